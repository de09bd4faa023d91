// RejectSink: where the rows the converter refused go, with the column and
// the reason. RejectWriter (adapters/) writes them to a JSONL file;
// MemoryRejectSink keeps them, for tests.
#ifndef MY2PG_CONVERTER_REJECT_SINK_H_
#define MY2PG_CONVERTER_REJECT_SINK_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "converter/row_converter.h"

namespace my2pg {

class RejectSink {
 public:
  virtual ~RejectSink() = default;
  // "values" is the whole source row; "column" indexes the target column at
  // fault. Throws Error(kData) if the reject cannot be recorded: a reject
  // must never be lost silently.
  virtual void Write(int64_t row_number, const SourceValue* values, int column, const std::string& reason) = 0;
};

class MemoryRejectSink : public RejectSink {
 public:
  struct Reject {
    int64_t row_number;
    int column;
    std::string reason;
    std::vector<std::optional<std::string>> values;
  };
  explicit MemoryRejectSink(size_t columns) : columns_(columns) {}

  void Write(int64_t row_number, const SourceValue* values, int column, const std::string& reason) override {
    Reject reject{row_number, column, reason, {}};
    for (size_t i = 0; i < columns_; ++i) {
      if (values[i].is_null) {
        reject.values.emplace_back();
      } else {
        reject.values.emplace_back(std::string(values[i].view()));
      }
    }
    rejects_.push_back(std::move(reject));
  }
  const std::vector<Reject>& rejects() const { return rejects_; }

 private:
  size_t columns_;
  std::vector<Reject> rejects_;
};

}  // namespace my2pg

#endif  // MY2PG_CONVERTER_REJECT_SINK_H_
