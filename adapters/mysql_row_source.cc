#include "adapters/mysql_row_source.h"

#include "common/error.h"
#include "common/identifier.h"

namespace my2pg {

std::string SelectExpression(const SourceColumn& column) {
  // The text protocol prints a FLOAT with 6 significant digits (1234567
  // arrives as 1234570); as a double, its exact value in full.
  if (column.data_type == "float") return QuoteMySqlIdentifier(column.name) + " * 1e0";
  return QuoteMySqlIdentifier(column.name);
}

std::string BuildSelect(const std::string& database, const std::string& table,
                        const std::vector<std::string>& expressions, const std::string& where,
                        const std::string& order_by) {
  std::string sql = "SELECT ";
  for (size_t i = 0; i < expressions.size(); ++i) {
    sql += (i ? ", " : "") + expressions[i];
  }
  sql += " FROM " + QuoteMySqlIdentifier(database) + "." + QuoteMySqlIdentifier(table);
  if (!where.empty()) sql += " WHERE " + where;
  if (!order_by.empty()) sql += " ORDER BY " + order_by;
  return sql;
}

MySqlRowSource::MySqlRowSource(MySqlStream& stream, const std::string& database, const std::string& table,
                               const std::vector<std::string>& expressions, const std::string& where,
                               const std::string& order_by)
    : stream_(stream), values_(expressions.size()) {
  stream_.StartQuery(BuildSelect(database, table, expressions, where, order_by));
}

MySqlRowSource::~MySqlRowSource() { stream_.EndQuery(); }

bool MySqlRowSource::Next() {
  char** fields;
  unsigned long* lengths;
  if (!stream_.NextRow(&fields, &lengths)) return false;
  for (size_t i = 0; i < values_.size(); ++i) {
    values_[i].data = fields[i];
    values_[i].size = lengths[i];
    values_[i].is_null = fields[i] == nullptr;
  }
  return true;
}

}  // namespace my2pg
