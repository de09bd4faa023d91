// RejectWriter: the rows the converter could not load, one JSON object per
// line in "<dir>/<database>/<table>.rejects.jsonl": the row's key, the
// column, the reason, the offending value, the whole row (bytes that are not
// printable ASCII written as \xNN so the original bytes survive) and the
// chunk whose load rejected it (-1: the orphan check after the load). The
// file is created at the first reject only, and open only until Close(): a
// database of thousands of tables keeps one file open per table copying, not
// one per table with rejects. Thread-safe: the chunks of one table share one
// writer, each through its own ForChunk() sink.
//
// Exactly once, like the rows: a table loaded afresh starts with no file
// (StartAfresh); a resumed one keeps only the lines of the chunks its target
// records done (KeepOnly), since the others roll back and are loaded again;
// and Sync() makes the lines durable before the transaction that records
// their chunk done commits.
#ifndef MY2PG_ADAPTERS_REJECT_WRITER_H_
#define MY2PG_ADAPTERS_REJECT_WRITER_H_

#include <cstdio>
#include <functional>
#include <mutex>
#include <string>
#include <vector>

#include "converter/reject_sink.h"

namespace my2pg {

class RejectWriter;

// The rejects of one chunk, into its table's RejectWriter.
class ChunkRejects : public RejectSink {
 public:
  ChunkRejects(RejectWriter* writer, int chunk) : writer_(writer), chunk_(chunk) {}
  void Write(int64_t row_number, const SourceValue* values, int column, const std::string& reason) override;

 private:
  RejectWriter* writer_;
  int chunk_;
};

class RejectWriter {
 public:
  // The chunk of the rejects an orphan check after the load makes.
  static constexpr int kAfterLoad = -1;

  // "column_names" names the values of each row, in order; "key_columns"
  // indexes the ones that identify a row (empty: the row number is used).
  RejectWriter(std::string path, std::vector<std::string> column_names, std::vector<int> key_columns);
  ~RejectWriter();
  RejectWriter(const RejectWriter&) = delete;
  RejectWriter& operator=(const RejectWriter&) = delete;

  // The table is loaded afresh: a file an earlier run left is removed.
  // Throws Error(kData) if it cannot be.
  void StartAfresh();
  // The table is resumed: of the file an earlier run left, only the lines
  // whose chunk "keep" accepts stay (a line without a chunk stays); later
  // lines are appended. Throws Error(kData) if the file cannot be rewritten.
  void KeepOnly(const std::function<bool(int chunk)>& keep);

  // The sink of chunk "chunk" (or kAfterLoad); valid while this lives.
  ChunkRejects ForChunk(int chunk) { return ChunkRejects(this, chunk); }
  // Throws Error(kData) if the file cannot be written: a reject that cannot
  // be recorded must not be lost silently.
  void Write(int chunk, int64_t row_number, const SourceValue* values, int column, const std::string& reason);
  // Makes the lines written so far durable (fsync): called before the
  // commit that records their chunk done. Throws Error(kData).
  void Sync();
  // Closes the file (its table's copy ended); a later Write appends to it.
  void Close();

  const std::string& path() const { return path_; }
  // The lines in the file: those kept from an earlier run and those written.
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
  bool created_ = false;  // guarded by mutex_: append from now on
  bool unsynced_ = false;  // guarded by mutex_: written since the last Sync
  int64_t count_ = 0;     // guarded by mutex_
};

}  // namespace my2pg

#endif  // MY2PG_ADAPTERS_REJECT_WRITER_H_
