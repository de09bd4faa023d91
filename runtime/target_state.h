// TargetState: the migration's own record inside each target database, in a
// schema named "my2pg": the state of every table and key-range chunk (status,
// bounds, row counts, the epoch of the run that wrote it) and the post-load
// statements already run, and where each run's source snapshot stands in the
// binary log. It is what makes a database's migration exactly
// once and resumable: a chunk's rows and its "done" mark commit in the same
// transaction (CopyWriter's), and so does every DDL statement with its own
// mark, so a crash at any instant leaves both or neither.
//
// With a ledger (runtime/ledger.h) it also holds the claim that may write:
// the ledger's run and epoch of the claim the worker runs under. A worker
// takes it at start, and every transaction that writes rows or marks work
// done first checks that it still holds it (FOR SHARE, so a new claim waits
// for commits in flight): a process whose claim was taken over can commit
// nothing more into the database, even from a session that outlived it.
//
// The schema stays in the target after the run (a finished run resumed reads
// it and changes nothing); DROP SCHEMA my2pg CASCADE removes it.
//
// Not thread-safe: StepDone() and Done() read what Load() read; each thread
// runs statements on its own session.
#ifndef MY2PG_RUNTIME_TARGET_STATE_H_
#define MY2PG_RUNTIME_TARGET_STATE_H_

#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "adapters/binlog_position.h"
#include "adapters/pg_session.h"
#include "runtime/copy_tasks.h"
#include "runtime/work_status.h"

namespace my2pg {

// What a table's chunk (chunk 0 of 1 for a whole table) holds in the target.
struct ChunkState {
  int chunk = 0;
  int chunks = 1;
  std::optional<int64_t> lower;
  std::optional<int64_t> upper;
  WorkStatus status = WorkStatus::kPending;
  int64_t rows_read = 0;
  int64_t rows_written = 0;
  int64_t rows_rejected = 0;
  std::string error;
};

// The ledger claim a worker runs under; epoch 0: none (no ledger).
struct ClaimFence {
  std::string run_id;
  int64_t epoch = 0;
};

class TargetState {
 public:
  // Creates the schema if missing (idempotent), takes this run's epoch and
  // the claim "fence" (if any), and reads what earlier runs recorded. Throws
  // Error(kTarget), also if a later claim of the same ledger run holds the
  // database already.
  explicit TargetState(PgSession& session, const ClaimFence& fence = {});

  int64_t epoch() const { return epoch_; }

  // The recorded chunks of "source_table", by chunk number; empty if none.
  const std::vector<ChunkState>& Chunks(const std::string& source_table) const;

  // SQL that records "bounds" of "source_table" as "status" with its counts;
  // run in the transaction that loaded (or emptied) the rows.
  std::string MarkSql(const std::string& source_table, const ChunkBounds& bounds, WorkStatus status,
                      int64_t rows_read = 0, int64_t rows_written = 0, int64_t rows_rejected = 0,
                      const std::string& error = "") const;
  // SQL that marks every recorded chunk of "source_table" "status" (and
  // its orphan check after the load not done: its rows are loaded again).
  std::string MarkTableSql(const std::string& source_table, WorkStatus status, const std::string& error) const;

  // The orphan check after the load of "source_table" (runtime/orphan_check)
  // as a step: done by an earlier run; and the SQL that marks it done in the
  // check's transaction, moving the "rows_rejected" it removed from written
  // to rejected in the recorded counts.
  bool AfterLoadCheckDone(const std::string& source_table) const;
  std::string AfterLoadCheckDoneSql(const std::string& source_table, int64_t rows_rejected) const;

  // Runs "sql" on "session" unless an earlier run (or this one) ran it: the
  // statement and its mark commit in one implicit transaction, so it is run
  // once. For statements PostgreSQL allows in a transaction block (not
  // CREATE DATABASE or CREATE INDEX CONCURRENTLY). "ask_target": look up
  // the mark in the target first (a retry after the connection broke: the
  // commit may have landed unseen). Thread-safe.
  void RunOnce(PgSession& session, const std::string& sql, bool ask_target = false);

  // Records where in the source's binary log this run's snapshot stands
  // (by this run's epoch, which the chunks it loads carry): a binlog
  // catch-up applies to each chunk the changes from its run's position on.
  void RecordSnapshot(PgSession& session, const BinlogPosition& position) const;

  // The number of post-load statements already marked run.
  size_t steps_done() const;

  // SQL that fails its transaction unless this worker's claim still holds
  // the database ("" without a ledger); put first in every transaction that
  // writes. The SQL builders above include it.
  const std::string& FenceSql() const { return fence_sql_; }

 private:
  int64_t epoch_ = 0;
  std::string fence_sql_;
  std::map<std::string, std::vector<ChunkState>> chunks_;
  mutable std::mutex mutex_;
  std::set<std::string> steps_done_;  // the statements run; guarded by mutex_
};

}  // namespace my2pg

#endif  // MY2PG_RUNTIME_TARGET_STATE_H_
