#include "converter/row_source.h"

#include <cppconn/exception.h>
#include <cppconn/resultset.h>

#include "common/error.h"
#include "common/identifier.h"

namespace my2pg {

std::string BuildSelect(const std::string& database, const std::string& table,
                        const std::vector<std::string>& columns, const std::string& where) {
  std::string sql = "SELECT ";
  for (size_t i = 0; i < columns.size(); ++i) {
    sql += (i ? ", " : "") + QuoteMySqlIdentifier(columns[i]);
  }
  sql += " FROM " + QuoteMySqlIdentifier(database) + "." + QuoteMySqlIdentifier(table);
  if (!where.empty()) sql += " WHERE " + where;
  return sql;
}

MySqlRowSource::MySqlRowSource(MySqlSession& session, const std::string& database,
                               const std::string& table, const std::vector<std::string>& columns,
                               const std::string& where)
    : rows_(session.QueryStreaming(BuildSelect(database, table, columns, where))),
      buffers_(columns.size()),
      values_(columns.size()) {}

MySqlRowSource::~MySqlRowSource() = default;

bool MySqlRowSource::Next() {
  try {
    if (!rows_->next()) return false;
    for (size_t i = 0; i < values_.size(); ++i) {
      const uint32_t index = static_cast<uint32_t>(i + 1);
      SourceValue& value = values_[i];
      value.is_null = rows_->isNull(index);
      if (value.is_null) {
        value.data = nullptr;
        value.size = 0;
        continue;
      }
      buffers_[i] = rows_->getString(index).asStdString();
      value.data = buffers_[i].data();
      value.size = buffers_[i].size();
    }
    return true;
  } catch (const sql::SQLException& e) {
    throw Error(ErrorCategory::kSource, std::string("reading rows failed: ") + e.what())
        .Retryable(e.getErrorCode() == 2013 || e.getErrorCode() == 2006);
  }
}

}  // namespace my2pg
