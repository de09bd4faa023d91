// MigrateDatabase: one source database into one PostgreSQL database, start to
// finish: read the catalog, map it, create the target database and bare
// tables, copy every table, then add keys, indexes, foreign keys and restart
// identities. The unit of work the fleet runtime hands to a worker.
#ifndef MY2PG_RUNTIME_DATABASE_MIGRATION_H_
#define MY2PG_RUNTIME_DATABASE_MIGRATION_H_

#include <functional>
#include <string>
#include <vector>

#include "adapters/binlog_position.h"
#include "common/uri.h"
#include "converter/conversion_stats.h"
#include "adapters/copy_writer.h"
#include "runtime/progress.h"
#include "runtime/target_state.h"
#include "runtime/work_status.h"
#include "mapper/ddl.h"
#include "rules/rules.h"

namespace my2pg {

struct MigrationOptions {
  ConnectionUri source;  // no database: the server
  ConnectionUri target;  // its database may hold {db}
  const Rules* rules = nullptr;
  std::string reject_dir = "rejects";
  bool replace = false;  // drop an existing target database first
  // Carry on in an existing target database: skip the tables and chunks its
  // "my2pg" schema (target_state.h) records done, reload the others, run the
  // post-load statements not yet run.
  bool resume = false;
  int threads = 1;       // tables (and key ranges of large tables) copied at once
  // Take a short global read lock so that every connection reads the same
  // snapshot of a live source; false for a source that is already quiesced.
  bool lock_source = true;
  // How long that lock may wait for the tables (an open write transaction
  // holds them, and new writers queue behind the waiting lock) before the
  // database fails, naming the session that holds them.
  int lock_timeout_seconds = 30;
  CommitMode commit_mode = CommitMode::kDurable;  // of every target session the migration opens
  int64_t chunk_rows = 500000;  // a table with more estimated rows is split by key ranges
  bool binary_copy = true;      // false: COPY text for every table
  std::string timezone;         // this tenant's DATETIME zone; overrides the rules file's
  ClaimFence claim;             // the ledger claim this database runs under (epoch 0: no ledger)
  ProgressSlot* progress = nullptr;  // advanced as the work goes, if not null
  // Statements run last, once the data is loaded (the compatibility views);
  // the caller builds them from the plan.
  std::function<std::vector<DdlStatement>(const SchemaPlan&)> final_ddl;
};

struct TableReport {
  std::string source_name;
  std::string target_schema;
  std::string target_name;
  WorkStatus status = WorkStatus::kPending;  // done | failed at the end
  std::string error;
  double copy_seconds = 0;  // summed over the table's chunks
  int chunks = 1;           // key ranges copied in parallel
  std::string reject_file;  // empty when no row was rejected
  TableStats stats;
};

struct DatabaseReport {
  std::string database;
  std::string target_database;
  WorkStatus status = WorkStatus::kPending;  // done | failed | interrupted at the end
  std::string error;
  double schema_seconds = 0;
  double copy_seconds = 0;
  double keys_seconds = 0;
  double constraints_seconds = 0;
  // When its worker began, in seconds since the fleet began (set by RunFleet):
  // with the phase times, the run's timeline.
  double start_seconds = 0;
  std::vector<TableReport> tables;
  std::vector<std::string> warnings;
  // Where the source snapshot stood in the binary log (also recorded in the
  // target's my2pg.snapshot); empty if the run failed before taking it.
  BinlogPosition binlog_position;

  int64_t rows_read() const;
  int64_t rows_written() const;
  int64_t rows_rejected() const;
};

// Never throws: a failure of a table or of the database, whatever its kind
// (Error, std::bad_alloc, on any thread), is in the report, "failed" with
// why; a task that fails fails its table only. Uses options.threads threads, each
// with its own MySQL and PostgreSQL connections.
DatabaseReport MigrateDatabase(const std::string& database, const MigrationOptions& options);

// The most PostgreSQL connections MigrateDatabase opens at once with
// "threads" threads: per thread a COPY connection and a session for keys and
// parent keys, plus the database's control session and a short one that
// empties or recreates a failed table.
constexpr int TargetConnectionsPerDatabase(int threads) { return 2 * threads + 2; }

// The most MySQL connections it opens at once: a stream per thread, plus
// the catalog session that takes the snapshot.
constexpr int SourceConnectionsPerDatabase(int threads) { return threads + 1; }

// The report as JSON and back, for worker processes to hand theirs over.
std::string DatabaseReportJson(const DatabaseReport& report);
DatabaseReport DatabaseReportFromJson(const std::string& json);

}  // namespace my2pg

#endif  // MY2PG_RUNTIME_DATABASE_MIGRATION_H_
