// Wrappers that let a chunk's "done" mark commit with its rows: they count
// the rows read and rejected while CopyTableRows runs, and just before the
// COPY's transaction commits, hand the counts to "mark", whose SQL
// (TargetState::MarkSql) then runs in that transaction. One set per task, on
// one thread; not thread-safe.
#ifndef MY2PG_RUNTIME_COUNTED_COPY_H_
#define MY2PG_RUNTIME_COUNTED_COPY_H_

#include <cstdint>
#include <functional>
#include <string>

#include "adapters/copy_writer.h"
#include "converter/reject_sink.h"
#include "converter/row_source.h"

namespace my2pg {

class CountingSource : public RowSource {
 public:
  explicit CountingSource(RowSource& source) : source_(source) {}
  bool Next() override {
    if (!source_.Next()) return false;
    ++rows_;
    return true;
  }
  const SourceValue* values() const override { return source_.values(); }
  int64_t rows() const { return rows_; }

 private:
  RowSource& source_;
  int64_t rows_ = 0;
};

class CountingRejects : public RejectSink {
 public:
  explicit CountingRejects(RejectSink& rejects) : rejects_(rejects) {}
  void Write(int64_t row_number, const SourceValue* values, int column, const std::string& reason) override {
    rejects_.Write(row_number, values, column, reason);
    ++rows_;
  }
  int64_t rows() const { return rows_; }

 private:
  RejectSink& rejects_;
  int64_t rows_ = 0;
};

// Forwards to "writer"; Complete() first asks "mark" for the SQL recording
// the chunk done with the rows read and rejected so far (all of them, since
// CopyTableRows completes last), then commits it with the rows.
class MarkedCopySink : public RowSink {
 public:
  using Mark = std::function<std::string(int64_t rows_read, int64_t rows_rejected)>;
  MarkedCopySink(CopyWriter& writer, const CountingSource& source, const CountingRejects& rejects, Mark mark)
      : writer_(writer), source_(source), rejects_(rejects), mark_(std::move(mark)) {}
  void Write(std::string_view rows) override { writer_.Write(rows); }
  void Complete() override {
    writer_.SetCommitSql(mark_(source_.rows(), rejects_.rows()));
    writer_.Complete();
  }

 private:
  CopyWriter& writer_;
  const CountingSource& source_;
  const CountingRejects& rejects_;
  Mark mark_;
};

}  // namespace my2pg

#endif  // MY2PG_RUNTIME_COUNTED_COPY_H_
