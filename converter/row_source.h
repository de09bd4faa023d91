// RowSource: where rows come from. MySqlRowSource streams them from the
// source server; tests use an in-memory source. A source keeps its error and
// throws it from Next(), so the caller decides what a failed table means.
#ifndef MY2PG_CONVERTER_ROW_SOURCE_H_
#define MY2PG_CONVERTER_ROW_SOURCE_H_

#include <memory>
#include <string>
#include <vector>

#include "common/mysql_stream.h"
#include "converter/row_converter.h"

namespace my2pg {

class RowSource {
 public:
  virtual ~RowSource() = default;
  // Advances to the next row; false at the end. Throws Error(kSource).
  virtual bool Next() = 0;
  // The current row's values, one per selected column; valid until Next().
  virtual const SourceValue* values() const = 0;
};

// Streams "expressions" (SelectExpression of each column) of "table"
// (unbuffered: memory stays flat), raw bytes as stored, without copying them. "stream" must outlive this source; no other
// query may run on it meanwhile.
class MySqlRowSource : public RowSource {
 public:
  MySqlRowSource(MySqlStream& stream, const std::string& database, const std::string& table,
                 const std::vector<std::string>& expressions, const std::string& where = "");
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
                        const std::vector<std::string>& expressions, const std::string& where);

}  // namespace my2pg

#endif  // MY2PG_CONVERTER_ROW_SOURCE_H_
