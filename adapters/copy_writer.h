// CopyWriter: one COPY ... FROM STDIN stream into one PostgreSQL table, in
// its own transaction, so a table load is all or nothing: rows become visible
// only when Complete() commits, and a writer destroyed before that rolls
// everything back. CopyConnection is the libpq connection it runs on, kept by
// a thread for all the tables it loads (a new backend per table cost more
// than small tables' copies).
//
// Uses libpq directly: libpqxx 6.4 (Debian 12) offers no public way to send
// pre-encoded COPY buffers (stream_to::write_raw_line is private and
// tablewriter takes one std::string per line), and the converter already
// produces COPY text in large batches. Not thread-safe.
#ifndef MY2PG_ADAPTERS_COPY_WRITER_H_
#define MY2PG_ADAPTERS_COPY_WRITER_H_

#include <string>
#include <vector>

#include "common/uri.h"
#include "converter/row_sink.h"

struct pg_conn;

namespace my2pg {

// How a target session commits. kDurable, the default: COMMIT returns once
// the transaction is on disk (synchronous_commit is raised to "on" when the
// server's setting is "off", and left alone otherwise), so a table reported
// done survives a crash of the target. kAsync (--async-commit):
// synchronous_commit = off, faster for many small tables; a crash of the
// target may then lose the last transactions (up to 3 x wal_writer_delay),
// tables already reported done among them.
enum class CommitMode { kDurable, kAsync };

// The statement that puts a target session in "mode".
std::string CommitModeSql(CommitMode mode);

class CopyConnection {
 public:
  // Connects and sets "mode"; throws Error(kTarget).
  explicit CopyConnection(const ConnectionUri& target, CommitMode mode = CommitMode::kDurable);
  ~CopyConnection();
  CopyConnection(const CopyConnection&) = delete;
  CopyConnection& operator=(const CopyConnection&) = delete;
  pg_conn* get() const { return connection_; }

 private:
  pg_conn* connection_ = nullptr;
};

// Runs one statement (no COPY) on "connection" and returns the rows it
// changed (PQcmdTuples; 0 for a statement that changes none). Throws
// Error(kTarget) with the SQLSTATE; an open transaction is then aborted, and
// the caller rolls it back.
int64_t RunStatement(CopyConnection& connection, const std::string& sql);

class CopyWriter : public RowSink {
 public:
  // How the transaction prepares the table before COPY.
  enum class Start {
    kCreate,    // run "create_sql" (CREATE TABLE): COPY FREEZE, no TRUNCATE needed
    kTruncate,  // empty it first (a re-run replaces, never appends): COPY FREEZE
    kAppend,    // one of several key-range chunks loading the same table
  };

  // Begins a transaction on "connection" (which must outlive the writer),
  // prepares the table and starts COPY. Throws Error(kTarget).
  // "create_sql": for kCreate, the CREATE TABLE; for kAppend, if not empty,
  // a statement run first (a reloaded chunk's DELETE of its key range).
  // "binary": the lines written are binary COPY tuples (RowConverter::binary());
  // the writer adds the stream's header and trailer.
  CopyWriter(CopyConnection& connection, const std::string& qualified_table,
             const std::vector<std::string>& columns, Start start, const std::string& create_sql = "",
             bool binary = false);
  // Rolls back unless Complete() succeeded; the connection stays usable.
  // Never throws.
  ~CopyWriter() override;
  CopyWriter(const CopyWriter&) = delete;
  CopyWriter& operator=(const CopyWriter&) = delete;

  // Statements run in the transaction after COPY ends, just before COMMIT
  // (the chunk's "done" mark, so that rows and mark commit together).
  void SetCommitSql(std::string sql) { commit_sql_ = std::move(sql); }

  void Write(std::string_view lines) override;
  // Ends COPY and commits. Throws Error(kTarget), e.g. when PostgreSQL
  // refuses a value; the table is then left as it was.
  void Complete() override;

 private:
  [[noreturn]] void Fail(const std::string& what, const std::string& sqlstate = "");
  void Run(const std::string& sql);

  pg_conn* connection_;
  std::string table_;
  std::string commit_sql_;
  bool binary_ = false;
  bool in_transaction_ = false;
  bool completed_ = false;
};

}  // namespace my2pg

#endif  // MY2PG_ADAPTERS_COPY_WRITER_H_
