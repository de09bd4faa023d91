// CopyWriter: one COPY ... FROM STDIN stream into one PostgreSQL table, in
// its own transaction on its own connection, so a table load is all or
// nothing: rows become visible only when Complete() commits, and a writer
// destroyed before that rolls everything back.
//
// Uses libpq directly: libpqxx 6.4 (Debian 12) offers no public way to send
// pre-encoded COPY buffers (stream_to::write_raw_line is private and
// tablewriter takes one std::string per line), and the converter already
// produces COPY text in large batches. Not thread-safe.
#ifndef MY2PG_CONVERTER_COPY_WRITER_H_
#define MY2PG_CONVERTER_COPY_WRITER_H_

#include <string>
#include <vector>

#include "common/uri.h"
#include "converter/row_sink.h"

struct pg_conn;

namespace my2pg {

class CopyWriter : public RowSink {
 public:
  // Connects, begins a transaction, empties the table if "truncate" (a
  // re-run replaces, never appends; not for one of several key-range chunks
  // loading the same table) and starts COPY. Throws Error(kTarget).
  CopyWriter(const ConnectionUri& target, const std::string& qualified_table,
             const std::vector<std::string>& columns, bool truncate = true);
  // Rolls back unless Complete() succeeded. Never throws.
  ~CopyWriter() override;
  CopyWriter(const CopyWriter&) = delete;
  CopyWriter& operator=(const CopyWriter&) = delete;

  void Write(std::string_view lines) override;
  // Ends COPY and commits. Throws Error(kTarget), e.g. when PostgreSQL
  // refuses a value; the table is then left as it was.
  void Complete() override;

 private:
  [[noreturn]] void Fail(const std::string& what);
  void Run(const std::string& sql);

  pg_conn* connection_ = nullptr;
  std::string table_;
  bool completed_ = false;
};

}  // namespace my2pg

#endif  // MY2PG_CONVERTER_COPY_WRITER_H_
