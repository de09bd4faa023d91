// MySqlRowSource: a RowSource that streams one table (or one key range of it)
// from MySQL through MySqlStream, raw bytes as stored, without copying them.
#ifndef MY2PG_ADAPTERS_MYSQL_ROW_SOURCE_H_
#define MY2PG_ADAPTERS_MYSQL_ROW_SOURCE_H_

#include <string>
#include <vector>

#include "adapters/mysql_stream.h"
#include "converter/row_source.h"
#include "mapper/catalog.h"

namespace my2pg {

// Streams "expressions" (SelectExpression of each column) of "table"
// (unbuffered: memory stays flat). "stream" must outlive this source; no other
// query may run on it meanwhile.
class MySqlRowSource : public RowSource {
 public:
  // "order_by": "" or what follows ORDER BY (with a LIMIT if wanted).
  MySqlRowSource(MySqlStream& stream, const std::string& database, const std::string& table,
                 const std::vector<std::string>& expressions, const std::string& where = "",
                 const std::string& order_by = "");
  ~MySqlRowSource() override;
  bool Next() override;
  const SourceValue* values() const override { return values_.data(); }

 private:
  MySqlStream& stream_;
  std::vector<SourceValue> values_;
};

// What the row stream selects for "column": its quoted name, or an
// expression that reads its value exactly.
std::string SelectExpression(const SourceColumn& column);

// The SELECT MySqlRowSource runs (exposed for tests).
std::string BuildSelect(const std::string& database, const std::string& table,
                        const std::vector<std::string>& expressions, const std::string& where,
                        const std::string& order_by = "");

}  // namespace my2pg

#endif  // MY2PG_ADAPTERS_MYSQL_ROW_SOURCE_H_
