// RowSource: where rows come from. MySqlRowSource (adapters/) streams them
// from the source server; MemoryRowSource holds them in memory, for tests and
// for tools that already have the rows. A source keeps its error and throws it
// from Next(), so the caller decides what a failed table means.
#ifndef MY2PG_CONVERTER_ROW_SOURCE_H_
#define MY2PG_CONVERTER_ROW_SOURCE_H_

#include <optional>
#include <string>
#include <vector>

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

// Rows given as bytes, one optional per column (nullopt: SQL NULL).
class MemoryRowSource : public RowSource {
 public:
  using Row = std::vector<std::optional<std::string>>;
  explicit MemoryRowSource(std::vector<Row> rows) : rows_(std::move(rows)) {}

  bool Next() override {
    if (next_ >= rows_.size()) return false;
    const Row& row = rows_[next_++];
    values_.resize(row.size());
    for (size_t i = 0; i < row.size(); ++i) {
      values_[i].data = row[i] ? row[i]->data() : nullptr;
      values_[i].size = row[i] ? row[i]->size() : 0;
      values_[i].is_null = !row[i];
    }
    return true;
  }
  const SourceValue* values() const override { return values_.data(); }

 private:
  std::vector<Row> rows_;
  size_t next_ = 0;
  std::vector<SourceValue> values_;
};

}  // namespace my2pg

#endif  // MY2PG_CONVERTER_ROW_SOURCE_H_
