// RejectWriter: the rows the converter could not load, one JSON object per
// line in "<dir>/<database>/<table>.rejects.jsonl": the row's key, the
// column, the reason, the offending value and the whole row, with bytes that
// are not printable ASCII written as \xNN so the original bytes survive. The
// file is created at the first reject only, and open only until Close(): a
// database of thousands of tables keeps one file open per table copying, not
// one per table with rejects. Thread-safe: the chunks of one table share one
// writer.
#ifndef MY2PG_ADAPTERS_REJECT_WRITER_H_
#define MY2PG_ADAPTERS_REJECT_WRITER_H_

#include <cstdio>
#include <mutex>
#include <string>
#include <vector>

#include "converter/reject_sink.h"

namespace my2pg {

class RejectWriter : public RejectSink {
 public:
  // "column_names" names the values of each row, in order; "key_columns"
  // indexes the ones that identify a row (empty: the row number is used).
  RejectWriter(std::string path, std::vector<std::string> column_names, std::vector<int> key_columns);
  ~RejectWriter() override;
  RejectWriter(const RejectWriter&) = delete;
  RejectWriter& operator=(const RejectWriter&) = delete;

  // Throws Error(kData) if the file cannot be written: a reject that cannot
  // be recorded must not be lost silently.
  void Write(int64_t row_number, const SourceValue* values, int column, const std::string& reason) override;
  // Closes the file (its table's copy ended); a later Write appends to it.
  void Close();

  const std::string& path() const { return path_; }
  int64_t count() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return count_;
  }

 private:
  std::string path_;
  std::vector<std::string> column_names_;
  std::vector<int> key_columns_;
  mutable std::mutex mutex_;
  FILE* file_ = nullptr;  // guarded by mutex_
  bool created_ = false;  // guarded by mutex_
  int64_t count_ = 0;     // guarded by mutex_
};

}  // namespace my2pg

#endif  // MY2PG_ADAPTERS_REJECT_WRITER_H_
