#include "runtime/database_migration.h"

#include <cppconn/resultset.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <exception>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <new>
#include <optional>
#include <set>
#include <thread>
#include <unordered_set>

#include "common/error.h"
#include "common/identifier.h"
#include "adapters/mysql_session.h"
#include "adapters/mysql_stream.h"
#include "adapters/pg_session.h"
#include "common/strings.h"
#include "runtime/copy_tasks.h"
#include "runtime/counted_copy.h"
#include "runtime/interrupt_canceller.h"
#include "runtime/interruption.h"
#include "runtime/orphan_check.h"
#include "runtime/removed_rows.h"
#include "runtime/target_state.h"
#include "runtime/work_queue.h"
#include "adapters/copy_writer.h"
#include "adapters/parent_keys_reader.h"
#include "adapters/reject_writer.h"
#include "converter/row_converter.h"
#include "adapters/mysql_row_source.h"
#include "converter/table_copier.h"
#include "adapters/catalog_reader.h"
#include "mapper/ddl.h"
#include "mapper/mapper.h"

namespace my2pg {
namespace {

using Clock = std::chrono::steady_clock;

double SecondsSince(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

void SetPhase(const MigrationOptions& options, Phase phase) {
  if (options.progress != nullptr) options.progress->SetPhase(phase);
}

// Drops "name" for --replace. WITH (FORCE) ends the sessions left in it; but
// it refuses, for a role that is not superuser, while an autovacuum worker
// (which has no role) is in the database (42501), and a plain DROP DATABASE
// stops such workers itself. A session of another role that is ending (a
// psql that just quit) refuses it the same way for a moment, so the plain
// DROP (which itself waits 5 s for other sessions to end) is tried three
// times while the database is in use (55006).
void DropTargetDatabase(PgSession& admin, const std::string& name) {
  try {
    admin.Execute("DROP DATABASE " + QuotePgIdentifier(name) + " WITH (FORCE)");
    return;
  } catch (const Error& e) {
    if (e.server_code() != "42501") throw;
  }
  for (int attempt = 1;; ++attempt) {
    try {
      admin.Execute("DROP DATABASE " + QuotePgIdentifier(name));
      return;
    } catch (const Error& e) {
      if (e.server_code() != "55006" || attempt == 3) throw;
      std::this_thread::sleep_for(std::chrono::milliseconds(500));
    }
  }
}

// Creates the target database; with --resume, one that exists is kept,
// unless a DROP DATABASE was cut short in it (a --replace killed, a server
// restarted): PostgreSQL then marks it invalid (datconnlimit -2, from 15.4
// on), and the only thing it allows is to drop it, so the load starts afresh.
void CreateTargetDatabase(const MigrationOptions& options, const std::string& name) {
  PgSession admin(options.target.WithDatabase("postgres"));
  std::string state = admin.QueryValue("SELECT CASE WHEN datconnlimit = -2 THEN 'invalid' ELSE 'valid' END FROM "
                                       "pg_database WHERE datname = " + QuotePgLiteral(name));
  bool exists = !state.empty();
  if (state == "valid" && options.resume && !options.replace) return;
  if (state == "invalid" && !options.resume && !options.replace) {
    throw Error(ErrorCategory::kTarget, "target database '" + name +
                                            "' is invalid: a DROP DATABASE of it was cut short (use --replace or "
                                            "--resume to drop it and load it afresh)");
  }
  if (exists && !options.replace && !options.resume) {
    throw Error(ErrorCategory::kTarget, "target database '" + name +
                                            "' already exists (use --replace to drop and recreate it); "
                                            "--resume carries on a run that stopped");
  }
  if (exists) DropTargetDatabase(admin, name);
  // PostgreSQL 15 copies the template through the WAL by default; copying
  // the files is faster for a template as small as template0.
  bool file_copy = std::stoi(admin.QueryValue("SHOW server_version_num")) >= 150000;
  admin.Execute("CREATE DATABASE " + QuotePgIdentifier(name) + " ENCODING 'UTF8' TEMPLATE template0" +
                (file_copy ? " STRATEGY FILE_COPY" : ""));
}

// What an exception says, for a report: Error's own message; anything else
// (std::bad_alloc, a library's exception) named as such.
std::string ExceptionMessage(const std::exception& e) {
  if (dynamic_cast<const Error*>(&e) != nullptr) return e.what();
  if (dynamic_cast<const std::bad_alloc*>(&e) != nullptr) return "out of memory";
  return std::string("internal error: ") + e.what();
}

// The same for what a task threw, which may be anything.
std::string FailureMessage(std::exception_ptr failure) {
  try {
    std::rethrow_exception(failure);
  } catch (const std::exception& e) {
    return ExceptionMessage(e);
  } catch (...) {
    return "internal error: unknown exception";
  }
}

// One table being copied, possibly by several threads (one per key range).
struct TableRun {
  const TargetTable* table = nullptr;
  TableReport report;
  std::unique_ptr<RejectWriter> rejects;
  std::vector<std::string> columns;  // source columns read, in order
  std::vector<std::string> select_list;  // what the row stream selects for them (row_source.h)
  std::vector<std::string> target_columns;
  std::vector<std::string> key_columns;  // the source key's, by name
  std::vector<int> key_positions;        // of the source key's columns in "columns"
  bool counted_by_earlier_run = false;   // chunks done before this run: their changes are not in report.stats
  std::vector<std::shared_ptr<const ParentKeys>> parent_keys;  // parallel to the checked foreign keys
  // Tables whose orphans are checked against this one (true: while copying).
  std::vector<std::pair<size_t, bool>> children;
  // Guarded by DatabaseMigration::level_mutex_:
  int parents_left = 0;       // parents not settled yet: the table is finished once none is left
  int copy_parents_left = 0;  // of those checked while copying: it copies once none is left
  bool copied = false;        // its copy ended (it may wait for parents to be checked)
  bool settled = false;       // checked and finished
  int key_tasks_left = 0;    // index builds and ANALYZE; guarded by DatabaseMigration::level_mutex_
  bool keys_built = false;   // all succeeded; guarded by DatabaseMigration::level_mutex_
  bool settled_before_copy = false;  // done by an earlier run, or its parent failed: no copy task was queued
  std::string key_column;  // the target column its chunks are split on
  std::mutex mutex;  // guards report and chunks_left
  int chunks_left = 0;
};

class DatabaseMigration {
 public:
  DatabaseMigration(const std::string& database, const MigrationOptions& options)
      : options_(options), target_(options.target.ForDatabase(database)) {
    report_.database = database;
    report_.target_database = target_.database;
    threads_ = std::max(1, options.threads);
  }

  DatabaseReport Run() {
    try {
      PrepareSchema();
      InterruptCanceller canceller(target_);
      TakeSnapshot();
      CopyAll();
      if (Interrupted()) throw InterruptedError();
      Finish();
      report_.status = WorkStatus::kDone;
      for (const TableReport& table : report_.tables) {
        if (table.status != WorkStatus::kDone) {
          report_.status = WorkStatus::kFailed;
          report_.error = "table " + table.source_name + " failed: " + table.error;
          break;
        }
      }
    } catch (const std::exception& e) {
      report_.status = Interrupted() ? WorkStatus::kInterrupted : WorkStatus::kFailed;
      report_.error = Interrupted() ? "interrupted by signal " + std::to_string(InterruptSignal()) +
                                          " (migrate --resume carries on)"
                                    : ExceptionMessage(e);
      for (TableReport& table : report_.tables) {
        if (table.status == WorkStatus::kPending || table.status == WorkStatus::kRunning) {
          table.status = WorkStatus::kInterrupted;
        }
      }
    }
    SetPhase(options_, report_.status == WorkStatus::kDone ? Phase::kDone : Phase::kFailed);
    return std::move(report_);
  }

 private:
  // Catalog, plan, target database and its schemas (tables come with their
  // copies).
  void PrepareSchema() {
    schema_start_ = Clock::now();
    SetPhase(options_, Phase::kSchema);
    catalog_session_ = std::make_unique<MySqlSession>(options_.source);
    MySqlSession& catalog_session = *catalog_session_;
    Rules rules = *options_.rules;
    if (!options_.timezone.empty()) rules.conversions.timezone = options_.timezone;
    plan_ = MapCatalog(ReadCatalog(catalog_session, report_.database), rules);
    report_.warnings = plan_.warnings;
    ddl_ = BuildDdl(plan_);
    CreateTargetDatabase(options_, target_.database);
    OpenControl();
    state_ = std::make_unique<TargetState>(*control_, options_.claim);
    RunPhase(*control_, ddl_.schema);
    // Tables are created by the transaction that copies them (see RunTask),
    // except those split into key ranges: created here, in PlanTasks.
    for (const TargetTable& table : plan_.tables) total_rows_ += plan_.source_of(table).row_estimate;
    if (options_.progress != nullptr) {
      options_.progress->rows_estimate = total_rows_;
      options_.progress->tables_total = static_cast<int32_t>(plan_.tables.size());
    }
  }

  // The source sessions, one per thread, all reading one snapshot.
  void TakeSnapshot() {
    MySqlSession& catalog_session = *catalog_session_;
    // Every source session starts its transaction under a global read lock,
    // so all of them see the same data (the lock lasts milliseconds).
    for (int t = 0; t < threads_; ++t) sources_.push_back(std::make_unique<MySqlStream>(options_.source));
    if (options_.lock_source && !plan_.tables.empty()) {
      // Only this database's tables, with LOCK TABLES ... READ (allowed in a
      // read-only session): a global FLUSH TABLES WITH READ LOCK would wait
      // for every other worker's running scans.
      std::string tables;
      for (const TargetTable& table : plan_.tables) {
        tables += (tables.empty() ? "" : ", ") + QuoteMySqlIdentifier(plan_.catalog.database) + "." +
                  QuoteMySqlIdentifier(plan_.source_of(table).name) + " READ";
      }
      catalog_session.Execute("SET SESSION lock_wait_timeout = " + std::to_string(options_.lock_timeout_seconds));
      try {
        catalog_session.Execute("LOCK TABLES " + tables);
      } catch (const Error& e) {
        if (e.server_code() == "1205") throw LockTimeoutError(catalog_session);  // ER_LOCK_WAIT_TIMEOUT
        throw Error(ErrorCategory::kSource, std::string(e.what()) +
                                                " (a consistent snapshot needs the LOCK TABLES privilege; "
                                                "use --no-lock for a source nobody writes to)");
      }
    }
    for (auto& session : sources_) session->Execute("START TRANSACTION WITH CONSISTENT SNAPSHOT");
    bool locked = options_.lock_source && !plan_.tables.empty();
    // MariaDB tells the snapshot's own position, any time in its
    // transaction: read after the lock ends, which blocks writers. MySQL's
    // is the server's, true of the snapshots only while the lock holds.
    bool mariadb = catalog_session.is_mariadb();
    auto read_position = [&] {
      if (locked || threads_ == 1) {
        report_.binlog_position = ReadSnapshotPosition(*sources_[0], catalog_session, locked);
      } else {
        report_.binlog_position.unknown = "the source was not locked (--no-lock): each session has its own snapshot";
      }
    };
    if (!mariadb) read_position();
    if (locked) catalog_session.Execute("UNLOCK TABLES");
    if (mariadb) read_position();
    state_->RecordSnapshot(*control_, report_.binlog_position);
    catalog_session_.reset();
    report_.schema_seconds = SecondsSince(schema_start_);
  }

  // LOCK TABLES ... READ timed out: some session holds the tables, most
  // likely an open write transaction. Names the sessions with open write
  // transactions (INNODB_TRX, which needs the PROCESS privilege), oldest
  // first.
  Error LockTimeoutError(MySqlSession& session) {
    std::string blockers;
    int count = 0;
    try {
      auto rows = session.Query(
          "SELECT t.trx_mysql_thread_id, p.USER FROM information_schema.INNODB_TRX t "
          "JOIN information_schema.PROCESSLIST p ON p.ID = t.trx_mysql_thread_id "
          "WHERE t.trx_mysql_thread_id <> CONNECTION_ID() AND t.trx_is_read_only = 0 AND t.trx_tables_locked > 0 "
          "ORDER BY t.trx_started");
      while (rows->next()) {
        blockers += std::string(count++ > 0 ? ", " : "") + rows->getString(1) + " (user " + rows->getString(2) + ")";
      }
    } catch (const Error&) {
      // No PROCESS privilege: said below.
    }
    std::string message = "LOCK TABLES waited " + std::to_string(options_.lock_timeout_seconds) +
                          " s (--lock-timeout) for the tables of " + report_.database + ": ";
    if (count == 0) {
      message += "the session holding them could not be named (the source account needs PROCESS to see other "
                 "sessions); end its open write transaction";
    } else {
      message += (count == 1 ? "session " + blockers + " has an open write transaction"
                             : "sessions " + blockers + " have open write transactions") + "; end it";
    }
    return Error(ErrorCategory::kSource, message + ", or use --no-lock for a source nobody writes to");
  }

  // Copies every table; as each table's copy ends, its primary key, indexes
  // and ANALYZE run on the same threads while other tables still copy. A
  // table whose orphans are checked starts once the parents it is checked
  // against are settled (copied, their own orphans removed), not before:
  // their keys are those of the loaded rows.
  void CopyAll() {
    auto start = Clock::now();
    SetPhase(options_, Phase::kCopy);
    for (size_t t = 0; t < plan_.tables.size(); ++t) runs_.push_back(std::make_unique<TableRun>());
    for (size_t t = 0; t < plan_.tables.size(); ++t) StartRun(t);
    LinkParents();
    pg_sessions_.resize(threads_);
    copy_connections_.resize(threads_);
    tables_left_ = plan_.tables.size();
    std::vector<size_t> ready;
    for (size_t t = 0; t < plan_.tables.size(); ++t) {
      if (runs_[t]->copy_parents_left == 0) ready.push_back(t);
    }
    // Planning runs as a task too, so that nothing it throws escapes.
    queue_.Push([this, ready](int thread) { StartTables(ready, thread); },
                [this](std::exception_ptr e) { FailDatabase(e); });
    queue_.Run(threads_);
    copy_end_ = std::max(copy_end_, start);
    report_.copy_seconds = std::chrono::duration<double>(copy_end_ - start).count();
    report_.keys_seconds = SecondsSince(copy_end_);
    for (auto& run : runs_) report_.tables.push_back(std::move(run->report));
    if (!key_error_.empty()) throw Error(ErrorCategory::kTarget, key_error_);
  }

  // Each table waits for the parents its orphans are checked against: to
  // start copying, for the keys checked while copying (their keys are those
  // of the loaded rows); to be checked and finished, for all. CopyLevels
  // breaks cycles: a parent of a higher level is not waited for (its check
  // then fails the table: "not loaded first").
  void LinkParents() {
    std::vector<int> levels = CopyLevels(plan_);
    for (size_t t = 0; t < plan_.tables.size(); ++t) {
      std::map<size_t, bool> parents;  // -> checked while copying
      for (const TargetForeignKey& key : plan_.tables[t].foreign_keys) {
        if (!OrphansChecked(key)) continue;
        for (size_t p = 0; p < plan_.tables.size(); ++p) {
          if (p != t && levels[p] < levels[t] && References(key, plan_.tables[p])) {
            parents[p] = parents[p] || !key.orphans_after_load;
          }
        }
      }
      for (const auto& [p, while_copying] : parents) {
        runs_[p]->children.push_back({t, while_copying});
        runs_[t]->parents_left += 1;
        runs_[t]->copy_parents_left += while_copying ? 1 : 0;
      }
    }
  }

  // Plans and queues the copy tasks of "tables": first those of tables
  // other tables wait for to start copying, then biggest first.
  void StartTables(const std::vector<size_t>& tables, int thread) {
    std::vector<CopyTask> tasks;
    for (size_t t : tables) PlanTasks(t, thread, tasks);
    auto waited_for = [this](const CopyTask& task) {
      for (const auto& [child, while_copying] : runs_[task.bounds.table]->children) {
        if (while_copying) return true;
      }
      return false;
    };
    std::stable_sort(tasks.begin(), tasks.end(), [this, &waited_for](const CopyTask& a, const CopyTask& b) {
      if (waited_for(a) != waited_for(b)) return waited_for(a);
      return plan_.source_of(plan_.tables[a.bounds.table]).data_bytes / a.bounds.chunks >
             plan_.source_of(plan_.tables[b.bounds.table]).data_bytes / b.bounds.chunks;
    });
    // Ahead of the index builds already queued: a child that waited for its
    // parents is on the run's critical path. (Pushed first in reverse, so
    // they run in the order above.)
    for (auto task = tasks.rbegin(); task != tasks.rend(); ++task) {
      TableRun* run = runs_[task->bounds.table].get();
      queue_.Push([this, task = *task](int t) { RunTask(task, t); },
                  [run](std::exception_ptr e) { FailTable(*run, e); }, /*first=*/true);
    }
    // Tables settled before copying (done, or their parent failed) end now. (Not
    // by chunks_left == 0: a queued table may have finished already.)
    for (size_t t : tables) {
      if (runs_[t]->settled_before_copy) TableCopied(*runs_[t], thread);
    }
  }

  // Called once per table when its last chunk ends (or it failed first):
  // it is finished now, or once its last parent is.
  void TableCopied(TableRun& run, int thread) {
    {
      std::lock_guard<std::mutex> lock(level_mutex_);
      run.copied = true;
      if (run.parents_left > 0) return;
    }
    FinishTable(run, thread);
  }

  // Checks the table's orphans left for after the load, ends its run, queues
  // its keys; children whose last parent it was start, or finish.
  void FinishTable(TableRun& run, int thread) {
    CheckOrphansAfterCopy(run, thread);
    EndRun(run);
    if (run.report.status == WorkStatus::kDone) QueueKeys(run);
    bool all_copied;
    std::vector<size_t> start, finish;
    {
      std::lock_guard<std::mutex> lock(level_mutex_);
      run.settled = true;
      all_copied = --tables_left_ == 0;
      copy_end_ = Clock::now();
      for (const auto& [child, while_copying] : run.children) {
        TableRun& next = *runs_[child];
        if (while_copying && --next.copy_parents_left == 0) start.push_back(child);
        if (--next.parents_left == 0 && next.copied) finish.push_back(child);
      }
    }
    if (!start.empty()) StartTables(start, thread);
    for (size_t child : finish) {
      TableRun* next = runs_[child].get();
      queue_.Push([this, next](int t) { FinishTable(*next, t); }, [next](std::exception_ptr e) { FailTable(*next, e); },
                  /*first=*/true);
    }
    if (all_copied) SetPhase(options_, Phase::kKeys);  // index builds remain
  }

  // Queues the table's index builds and ANALYZE; once all succeeded, its
  // foreign keys whose parents' keys exist too run (StartForeignKeys).
  void QueueKeys(TableRun& run) {
    const std::string qualified = QualifiedName(run.table->schema, run.table->name);
    std::vector<std::string> statements;
    for (const DdlStatement& statement : ddl_.keys) {
      if (statement.table == qualified) statements.push_back(statement.sql);
    }
    statements.push_back("ANALYZE " + qualified);
    {
      std::lock_guard<std::mutex> lock(level_mutex_);
      run.key_tasks_left = static_cast<int>(statements.size());
    }
    for (const std::string& sql : statements) {
      queue_.Push([this, sql, &run](int thread) {
                    if (!Interrupted()) RunStepOnce(thread, sql);
                    KeyTaskDone(run);
                  },
                  [this, &run](std::exception_ptr e) { KeyFailed(run, e); });
    }
  }

  void KeyTaskDone(TableRun& run) {
    {
      std::lock_guard<std::mutex> lock(level_mutex_);
      if (--run.key_tasks_left > 0) return;
      run.keys_built = true;
    }
    StartForeignKeys();
  }

  // The run of the table "qualified" ("schema"."name"), or nullptr.
  TableRun* RunOf(const std::string& qualified) {
    for (auto& run : runs_) {
      if (QualifiedName(run->table->schema, run->table->name) == qualified) return run.get();
    }
    return nullptr;
  }

  // Runs the foreign keys whose table and parents are loaded with their keys
  // built, while other tables still copy: their validation scans overlap the
  // copies instead of following them all. The ADD ... NOT VALID one at a
  // time, each queued when the last ends (two on tables that reference each
  // other could deadlock, and a task waiting for another would hold a
  // thread); a VALIDATE once its ADD is done, beside VALIDATEs of other
  // tables (SHARE UPDATE EXCLUSIVE on its table, which conflicts with
  // another VALIDATE or ADD there; ROW SHARE on its parent, which conflicts
  // with neither): no task is queued to wait for a lock another holds.
  // Finish runs those left (RunOnce skips those run here).
  void StartForeignKeys() {
    std::lock_guard<std::mutex> lock(level_mutex_);
    foreign_key_queued_.resize(ddl_.foreign_keys.size());
    foreign_key_done_.resize(ddl_.foreign_keys.size());
    if (!key_error_.empty()) return;  // the database fails: no more scans
    for (size_t k = 0; k < ddl_.foreign_keys.size(); ++k) {
      const DdlStatement& statement = ddl_.foreign_keys[k];
      if (foreign_key_queued_[k]) continue;
      std::vector<std::string> tables = statement.needs;
      tables.push_back(statement.table);
      // A VALIDATE follows its ADD (BuildDdl puts it next).
      bool ready = statement.validation ? k > 0 && foreign_key_done_[k - 1] : !foreign_key_adding_;
      for (const std::string& qualified : tables) {
        const TableRun* run = RunOf(qualified);
        bool locked = validating_.count(qualified) > 0 && (!statement.validation || qualified == statement.table);
        ready = ready && run != nullptr && run->keys_built && run->report.status == WorkStatus::kDone && !locked;
      }
      if (!ready) continue;
      foreign_key_queued_[k] = true;
      if (statement.validation) {
        validating_.insert(statement.table);
      } else {
        foreign_key_adding_ = true;
      }
      TableRun* run = RunOf(statement.table);
      queue_.Push([this, k](int thread) {
                    if (!Interrupted()) RunStepOnce(thread, ddl_.foreign_keys[k].sql);
                    {
                      std::lock_guard<std::mutex> lock(level_mutex_);
                      const DdlStatement& done = ddl_.foreign_keys[k];
                      if (done.validation) {
                        validating_.erase(done.table);
                      } else {
                        foreign_key_adding_ = false;
                      }
                      foreign_key_done_[k] = !Interrupted();
                    }
                    StartForeignKeys();
                  },
                  [this, run](std::exception_ptr e) { KeyFailed(*run, e); });  // the database fails: no next
    }
  }

  // An index build or ANALYZE failed: the database fails, naming the first.
  void KeyFailed(TableRun& run, std::exception_ptr failure) {
    if (Interrupted()) return;  // cancelled: the run is interrupted anyway
    std::lock_guard<std::mutex> lock(level_mutex_);
    if (key_error_.empty()) key_error_ = "table " + run.report.source_name + ": " + FailureMessage(failure);
  }

  // A copy task failed outside its own handling (scheduling what follows
  // it): its table fails.
  static void FailTable(TableRun& run, std::exception_ptr failure) {
    std::lock_guard<std::mutex> lock(run.mutex);
    run.report.status = WorkStatus::kFailed;
    if (run.report.error.empty()) run.report.error = FailureMessage(failure);
  }

  // Planning the first tables failed: the database fails.
  void FailDatabase(std::exception_ptr failure) {
    std::lock_guard<std::mutex> lock(level_mutex_);
    if (key_error_.empty()) key_error_ = FailureMessage(failure);
  }

  PgSession& PgFor(int thread) {
    if (!pg_sessions_[thread]) {
      pg_sessions_[thread] = OpenTarget();
      // Index builds sort in memory; a foreign key's validation (an
      // anti-join of child and parent) hashes in memory instead of batches.
      pg_sessions_[thread]->Execute("SET maintenance_work_mem = '256MB'; SET work_mem = '64MB'");
    }
    return *pg_sessions_[thread];
  }

  // Opens the control session and takes the target's lock, which it holds
  // for the whole migration: two runs (two resumes started at once) never
  // load one target database together. A killed run's backend may still end
  // its last statement: waits 30 s. Throws Error(kTarget) if another run
  // holds it.
  void OpenControl() {
    control_ = OpenTarget();
    for (int attempt = 0; control_->QueryValue("SELECT pg_try_advisory_lock(727200002)") != "t"; ++attempt) {
      if (Interrupted()) throw InterruptedError();
      if (attempt == 150) {
        throw Error(ErrorCategory::kTarget,
                    "another my2pg run is migrating target database '" + target_.database + "'");
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(200));
    }
  }

  // After a lost connection (a restart of the target): if the control
  // session is gone too, and with it the target's lock, it is opened again
  // and the lock taken before more is written. Throws Error(kTarget) if
  // another run took the lock meanwhile.
  void KeepControl() {
    std::lock_guard<std::mutex> lock(control_mutex_);
    try {
      control_->Execute("SELECT 1");
      return;
    } catch (const Error& e) {
      if (!e.retryable()) throw;
    }
    OpenControl();
  }

  // A control session on the target database, committing as the options say.
  std::unique_ptr<PgSession> OpenTarget() const {
    auto session = std::make_unique<PgSession>(target_);
    session->Execute(CommitModeSql(options_.commit_mode));
    return session;
  }

  void StartRun(size_t t) {
    TableRun& run = *runs_[t];
    const TargetTable& table = plan_.tables[t];
    const SourceTable& source = plan_.source_of(table);
    run.table = &table;
    run.report.source_name = source.name;
    run.report.target_schema = table.schema;
    run.report.target_name = table.name;
    for (const TargetColumn& column : table.columns) {
      if (!column.from_source()) continue;
      run.columns.push_back(source.columns[column.source_index].name);
      run.select_list.push_back(SelectExpression(source.columns[column.source_index]));
      run.target_columns.push_back(column.name);
    }
    // Key columns the target drops are still read, to name rejected rows.
    for (int key : table.key_source_columns) {
      auto it = std::find(run.columns.begin(), run.columns.end(), source.columns[key].name);
      run.key_columns.push_back(source.columns[key].name);
      run.key_positions.push_back(static_cast<int>(it - run.columns.begin()));
      if (it == run.columns.end()) {
        run.columns.push_back(source.columns[key].name);
        run.select_list.push_back(SelectExpression(source.columns[key]));
      }
    }
    run.rejects = std::make_unique<RejectWriter>(
        options_.reject_dir + "/" + FileNameOf(plan_.catalog.database) + "/" + FileNameOf(source.name) + ".rejects.jsonl",
        run.columns,
        run.key_positions);
  }

  // Appends the copy tasks of table "t"; runs on any thread. A failure here
  // (the parents' keys, the key range query, the CREATE TABLE of a split
  // table, a connection) fails this table before it copies, and nothing else.
  // A table an earlier run loaded is done without a task; one it split is
  // split again by the stored bounds, its done chunks skipped.
  void PlanTasks(size_t t, int thread, std::vector<CopyTask>& tasks) {
    TableRun& run = *runs_[t];
    const TargetTable& table = plan_.tables[t];
    std::vector<ChunkBounds> ranges;
    try {
      PrepareRejectFile(run, t);
      if (SettledByEarlierRun(run, t)) return;
      WithRetries(thread, "table " + run.report.source_name + " planning", [&](int) {
        if (Interrupted()) throw InterruptedError();
        run.parent_keys.clear();
        LoadParentKeys(run, thread);
        ranges = RecordedRanges(run, t);
        if (ranges.empty()) ranges = SplitTable(run, t, thread);  // idempotent: CREATE or TRUNCATE
      });
    } catch (const std::exception& e) {
      run.report.status = Interrupted() ? WorkStatus::kInterrupted : WorkStatus::kFailed;
      run.report.error = Interrupted() ? "" : ExceptionMessage(e);
      run.settled_before_copy = true;
      return;
    }
    run.chunks_left = static_cast<int>(ranges.size());
    std::optional<std::string> key = ChunkColumn(plan_, table);
    for (const ChunkBounds& bounds : ranges) {
      std::string where = key ? BoundsCondition(QuoteMySqlIdentifier(*key), bounds) : "";
      if (!table.source_filter.empty()) {
        where = "(" + table.source_filter + ")" + (where.empty() ? "" : " AND " + where);
      }
      tasks.push_back({bounds, where});
    }
  }

  // The table's reject file, exactly once like its rows: loaded afresh, it
  // starts empty; resumed, it keeps the rejects of the chunks recorded done
  // (and of its orphan check after the load, if recorded done): the others
  // rolled back and are loaded again.
  void PrepareRejectFile(TableRun& run, size_t t) {
    const std::string& name = plan_.source_of(plan_.tables[t]).name;
    const std::vector<ChunkState>& recorded = state_->Chunks(name);
    if (recorded.empty()) {
      run.rejects->StartAfresh();
      return;
    }
    bool check_done = state_->AfterLoadCheckDone(name);
    run.rejects->KeepOnly([&recorded, check_done](int chunk) {
      if (chunk == RejectWriter::kAfterLoad) return check_done;
      for (const ChunkState& state : recorded) {
        if (state.chunk == chunk) return state.status == WorkStatus::kDone;
      }
      return false;
    });
  }

  // True when every recorded chunk of the table is done: its counts come
  // from the record.
  bool SettledByEarlierRun(TableRun& run, size_t t) {
    const std::vector<ChunkState>& recorded = state_->Chunks(plan_.source_of(plan_.tables[t]).name);
    if (recorded.empty()) return false;
    for (const ChunkState& chunk : recorded) {
      if (chunk.status != WorkStatus::kDone) return false;
    }
    AddRecordedCounts(run, recorded);
    run.report.chunks = recorded.front().chunks;
    run.report.status = WorkStatus::kDone;
    run.settled_before_copy = true;
    return true;
  }

  static void AddRecordedCounts(TableRun& run, const std::vector<ChunkState>& recorded) {
    for (const ChunkState& chunk : recorded) {
      if (chunk.status != WorkStatus::kDone) continue;
      run.counted_by_earlier_run = true;
      run.report.stats.rows_read += chunk.rows_read;
      run.report.stats.rows_written += chunk.rows_written;
      run.report.stats.rows_rejected += chunk.rows_rejected;
    }
  }

  // The chunks of a table an earlier run split that are not done yet, by
  // their stored bounds; empty if it was not split.
  std::vector<ChunkBounds> RecordedRanges(TableRun& run, size_t t) {
    const std::vector<ChunkState>& recorded = state_->Chunks(plan_.source_of(plan_.tables[t]).name);
    std::vector<ChunkBounds> ranges;
    if (recorded.empty() || recorded.front().chunks <= 1) return ranges;
    if (!KeyColumnOf(run, t)) {
      throw Error(ErrorCategory::kTarget, "the stored key ranges of " + run.report.source_name +
                                              " no longer fit its plan (was the mapping changed?)");
    }
    AddRecordedCounts(run, recorded);
    run.report.chunks = recorded.front().chunks;
    for (const ChunkState& chunk : recorded) {
      if (chunk.status != WorkStatus::kDone) ranges.push_back({t, chunk.chunk, chunk.chunks, chunk.lower, chunk.upper});
    }
    return ranges;
  }

  // The target column a split table's chunks are deleted by on reload (the
  // one its source key column loads into): false if the table cannot be split.
  bool KeyColumnOf(TableRun& run, size_t t) {
    const TargetTable& table = plan_.tables[t];
    std::optional<std::string> key = ChunkColumn(plan_, table);
    if (!key) return false;
    const SourceTable& source = plan_.source_of(table);
    for (const TargetColumn& column : table.columns) {
      if (column.from_source() && source.columns[column.source_index].name == *key) {
        run.key_column = column.name;
        return true;
      }
    }
    return false;
  }

  // Splits a table into key ranges when it alone is more than a thread's
  // share of the database (otherwise whole tables keep every thread busy,
  // and a whole table loads with COPY FREEZE). A split table is created here,
  // with its chunks recorded pending, before its chunks append to it.
  // (Splitting the parents and children of orphan checks too, which wait
  // for each other, was measured slower: the big tenant's 2M-row booking
  // took 25 s of copy in 4 ranges against 12 s whole.)
  std::vector<ChunkBounds> SplitTable(TableRun& run, size_t t, int thread) {
    const TargetTable& table = plan_.tables[t];
    const SourceTable& source = plan_.source_of(table);
    std::vector<ChunkBounds> ranges = {ChunkBounds{t, 0, 1, std::nullopt, std::nullopt}};
    if (threads_ > 1 && source.row_estimate > options_.chunk_rows &&
        source.row_estimate > total_rows_ / threads_ && KeyColumnOf(run, t)) {
      std::string key = QuoteMySqlIdentifier(*ChunkColumn(plan_, table));
      int chunks = static_cast<int>(std::min<int64_t>(threads_ * 2, source.row_estimate / options_.chunk_rows + 1));
      std::string from = " FROM " + QuoteMySqlIdentifier(plan_.catalog.database) + "." +
                         QuoteMySqlIdentifier(source.name);
      std::string min = sources_[thread]->QueryValue("SELECT MIN(" + key + ")" + from);
      std::string max = sources_[thread]->QueryValue("SELECT MAX(" + key + ")" + from);
      try {
        if (!min.empty()) ranges = SplitKeyRange(t, std::stoll(min), std::stoll(max), chunks);
      } catch (const std::out_of_range&) {
        // Keys beyond 2^63 (bigint unsigned): copy the table whole.
      }
    }
    run.report.chunks = static_cast<int>(ranges.size());
    if (ranges.size() > 1) {
      // One implicit transaction: the table and its pending chunks, or neither.
      std::string sql = (TargetTableExists(PgFor(thread), table) ? "TRUNCATE " + QualifiedName(table.schema, table.name)
                                                                  : CreateSql(table));
      for (const ChunkBounds& bounds : ranges) sql += ";\n" + state_->MarkSql(source.name, bounds, WorkStatus::kPending);
      PgFor(thread).Execute(sql);
    }
    return ranges;
  }

  // Whether an earlier run left "table" in the target (only a resumed run
  // asks: a new target database holds none).
  bool TargetTableExists(PgSession& session, const TargetTable& table) const {
    if (!options_.resume) return false;
    return session.QueryValue("SELECT to_regclass(" + QuotePgLiteral(QualifiedName(table.schema, table.name)) +
                              ") IS NOT NULL") == "t";
  }

  // The keys of "column" of the loaded "parent": read once (streamed, into a
  // bitmap for integers), then shared by every child that references it.
  std::shared_ptr<const ParentKeys> ParentKeysOf(const TargetTable& parent, const std::string& column, int thread) {
    std::string qualified = QualifiedName(parent.schema, parent.name);
    std::string id = qualified + "." + QuotePgIdentifier(column);
    {
      std::lock_guard<std::mutex> lock(parent_keys_mutex_);
      auto cached = parent_keys_.find(id);
      if (cached != parent_keys_.end()) return cached->second;
    }
    bool integers = false;
    for (const TargetColumn& target : parent.columns) {
      if (target.name == column) {
        integers = target.kind == TargetKind::kSmallint || target.kind == TargetKind::kInteger ||
                   target.kind == TargetKind::kBigint;
      }
    }
    if (!copy_connections_[thread]) copy_connections_[thread] = std::make_unique<CopyConnection>(target_, options_.commit_mode);
    auto keys = ReadParentKeys(*copy_connections_[thread], qualified, QuotePgIdentifier(column), integers);
    std::lock_guard<std::mutex> lock(parent_keys_mutex_);
    return parent_keys_.emplace(id, std::move(keys)).first->second;
  }

  // Reads the keys of the parents this table's orphans are checked against.
  void LoadParentKeys(TableRun& run, int thread) {
    for (const TargetForeignKey& key : run.table->foreign_keys) {
      if (!CheckedWhileCopying(key)) continue;
      const TableRun& parent = CheckedParent(key);
      run.parent_keys.push_back(ParentKeysOf(*parent.table, key.referenced_columns[0], thread));
    }
  }

  // The parent "key" checks orphans against. Throws Error(kData) if it
  // failed, or is not settled yet (a cycle). Called without level_mutex_.
  const TableRun& CheckedParent(const TargetForeignKey& key) {
    const TableRun* parent = nullptr;
    for (const auto& other : runs_) {
      if (other->table != nullptr && References(key, *other->table)) {
        parent = other.get();
      }
    }
    bool settled;
    {
      std::lock_guard<std::mutex> lock(level_mutex_);
      settled = parent != nullptr && parent->settled;
    }
    if (!settled || parent->report.status != WorkStatus::kDone) {
      throw Error(ErrorCategory::kData,
                  "cannot check orphans of " + Join(key.columns, ", ") + ": parent table " + key.referenced_table +
                      (settled ? " failed" : " is not loaded first (a cycle? use orphans: keep)"));
    }
    return *parent;
  }

  // The orphan checks PostgreSQL runs on the loaded table (orphan_check.h),
  // before its indexes are built, once its parents are settled. A failure
  // (a parent failed) fails the table.
  void CheckOrphansAfterCopy(TableRun& run, int thread) {
    if (run.report.status == WorkStatus::kFailed || run.report.status == WorkStatus::kInterrupted ||
        !HasOrphanChecksAfterLoad(*run.table)) {
      return;
    }
    try {
      if (Interrupted()) throw InterruptedError();
      for (const TargetForeignKey& key : run.table->foreign_keys) {
        // A self-reference's parent rows are its own.
        if (CheckedAfterLoad(key) && !References(key, *run.table)) CheckedParent(key);
      }
      const std::string source_name = run.report.source_name;
      if (state_->AfterLoadCheckDone(source_name)) return;  // by an earlier run: its rejects are in the file
      if (!copy_connections_[thread]) copy_connections_[thread] = std::make_unique<CopyConnection>(target_, options_.commit_mode);
      ChunkRejects rejects = run.rejects->ForChunk(RejectWriter::kAfterLoad);
      // An earlier run copied some rows: their changes are not in this
      // report, nor the parents' keys loaded to replay them.
      std::optional<RowConverter> replay;
      if (!run.counted_by_earlier_run) replay.emplace(ConverterFor(run));
      const bool reads_back = KeyReadsBack(plan_, *run.table);
      RemovedRowWriter removed(*sources_[thread], plan_.catalog.database, source_name, run.select_list,
                               reads_back ? run.key_columns : std::vector<std::string>(),
                               reads_back ? run.key_positions : std::vector<int>(),
                               replay ? &*replay : nullptr, rejects);
      OrphanCheckResult result = CheckOrphansAfterLoad(
          *copy_connections_[thread], plan_, *run.table, run.columns,
          [&removed](const std::vector<RemovedRow>& rows) { removed.Write(rows); },
          [this, &source_name, &run](int64_t rejected) {
            run.rejects->Sync();  // the rejects are durable before the rows' removal commits
            return state_->AfterLoadCheckDoneSql(source_name, rejected);
          });
      TableStats& stats = run.report.stats;
      stats.rows_written -= result.rows_rejected;
      stats.rows_rejected += result.rows_rejected;
      stats.TakeBackChanges(removed.taken_back());  // none without a replay
      for (const auto& [column, nulled] : result.nulled) {
        auto named = std::find(stats.column_names.begin(), stats.column_names.end(), column);
        if (named == stats.column_names.end()) {
          stats.column_names.push_back(column);
          stats.columns.resize(stats.column_names.size());
          named = stats.column_names.end() - 1;
        }
        stats.columns[named - stats.column_names.begin()][ChangeKind::kOrphanNulled] += nulled;
      }
    } catch (const std::exception& e) {
      run.report.status = Interrupted() ? WorkStatus::kInterrupted : WorkStatus::kFailed;
      run.report.error = Interrupted() ? "" : "orphan check after the load: " + ExceptionMessage(e);
    }
  }

  void RunTask(const CopyTask& task, int thread) {
    TableRun& run = *runs_[task.bounds.table];
    CopyChunk(task, run, thread);
    bool last;
    {
      std::lock_guard<std::mutex> lock(run.mutex);
      last = --run.chunks_left == 0;
    }
    if (last) TableCopied(run, thread);
  }

  // Runs work(attempt) for "what" (attempt 1, 2, ...). A transient failure
  // of the target (Error::retryable(): connection reset, server restart,
  // deadlock, serialization failure, too many connections) is tried again,
  // up to kCopyAttempts, unless interrupted: "failed" runs first (to drop
  // sessions that may be broken), then a bounded backoff (1, 2, 4 s), and
  // the retry is noted in the report's warnings. Anything else, or the last
  // failure, is thrown.
  template <typename Work, typename Failed>
  void Retrying(const std::string& what, Work work, Failed failed) {
    for (int attempt = 1;; ++attempt) {
      try {
        work(attempt);
        return;
      } catch (const Error& e) {
        if (e.category() != ErrorCategory::kTarget || !e.retryable()) throw;
        failed();
        if (attempt >= kCopyAttempts || Interrupted()) throw;
        std::this_thread::sleep_for(std::chrono::milliseconds(500 << attempt));
        std::lock_guard<std::mutex> lock(level_mutex_);
        report_.warnings.push_back(what + " retried after: " + e.what());
      }
    }
  }

  // Retrying on "thread": its target sessions are dropped after a failure
  // (a new backend for the next attempt), and a retry first makes sure the
  // control session still holds the target's lock (KeepControl).
  template <typename Work>
  void WithRetries(int thread, const std::string& what, Work work) {
    Retrying(
        what,
        [&](int attempt) {
          if (attempt > 1) KeepControl();
          work(attempt);
        },
        [&] {
          copy_connections_[thread].reset();
          pg_sessions_[thread].reset();
        });
  }

  // A post-load statement on "thread", once (TargetState::RunOnce), retried
  // like a chunk; a retry first asks the target whether the statement
  // committed unseen.
  void RunStepOnce(int thread, const std::string& sql) {
    WithRetries(thread, "statement " + sql.substr(0, 60), [&](int attempt) {
      state_->RunOnce(PgFor(thread), sql, /*ask_target=*/attempt > 1);
    });
  }

  // Copies one chunk (or whole table). A transient failure of the target
  // (connection reset, server restart, deadlock, serialization failure, too
  // many connections: Error::retryable()) is retried on a new connection
  // after a bounded backoff, reading the chunk again from the same snapshot;
  // anything else fails the table, with its error.
  void CopyChunk(const CopyTask& task, TableRun& run, int thread) {
    {
      std::lock_guard<std::mutex> lock(run.mutex);
      if (run.report.status == WorkStatus::kFailed) return;  // another chunk failed already
      if (Interrupted()) {
        run.report.status = WorkStatus::kInterrupted;
        return;
      }
    }
    std::unique_ptr<MySqlThreadScope> scope;
    if (thread > 0) scope = std::make_unique<MySqlThreadScope>();
    try {
      WithRetries(thread, "table " + run.report.source_name + " chunk " + std::to_string(task.bounds.chunk),
                  [&](int) { CopyChunkOnce(task, run, thread); });
    } catch (const std::exception& e) {
      std::lock_guard<std::mutex> lock(run.mutex);
      if (Interrupted()) {
        if (run.report.status != WorkStatus::kFailed) run.report.status = WorkStatus::kInterrupted;
      } else {
        run.report.status = WorkStatus::kFailed;
        if (run.report.error.empty()) run.report.error = ExceptionMessage(e);
      }
    }
  }

  // The converter of "run"'s rows, with the orphan checks made while copying.
  RowConverter ConverterFor(const TableRun& run) const {
    RowConverter converter(plan_, *run.table, options_.binary_copy);
    size_t checked = 0;
    for (const TargetForeignKey& key : run.table->foreign_keys) {
      if (!CheckedWhileCopying(key)) continue;
      converter.CheckParentKeys(key.columns[0], run.parent_keys[checked++], key.orphans,
                                key.referenced_table + "." + key.referenced_columns[0]);
    }
    return converter;
  }

  void CopyChunkOnce(const CopyTask& task, TableRun& run, int thread) {
    auto start = Clock::now();
    const TargetTable& table = *run.table;
    RowConverter converter = ConverterFor(run);
    MySqlRowSource source_rows(*sources_[thread], plan_.catalog.database, plan_.source_of(table).name,
                               run.select_list, task.where);
    CountingSource rows(source_rows);
    ChunkRejects chunk_rejects = run.rejects->ForChunk(task.bounds.chunk);
    CountingRejects rejects(chunk_rejects);
    if (!copy_connections_[thread]) copy_connections_[thread] = std::make_unique<CopyConnection>(target_, options_.commit_mode);
    CopyWriter writer(*copy_connections_[thread], QualifiedName(table.schema, table.name), run.target_columns,
                      StartOf(task, table, thread), FirstSql(task, run), converter.binary());
    const ChunkBounds bounds = task.bounds;
    const std::string source_name = run.report.source_name;
    MarkedCopySink sink(writer, rows, rejects, [this, bounds, source_name, &run](int64_t read, int64_t rejected) {
      run.rejects->Sync();  // the chunk's rejects are durable before its rows commit
      return state_->MarkSql(source_name, bounds, WorkStatus::kDone, read, read - rejected, rejected);
    });
    ProgressSlot* slot = options_.progress;
    // Called after every batch: where an interruption abandons the COPY
    // (the writer's transaction rolls back).
    CopyProgress progress = [slot](int64_t rows_read, int64_t bytes) {
      if (slot != nullptr) {
        slot->rows_read.fetch_add(rows_read, std::memory_order_relaxed);
        slot->copy_bytes.fetch_add(bytes, std::memory_order_relaxed);
      }
      if (Interrupted()) throw InterruptedError();
    };
    TableStats stats = CopyTableRows(rows, converter, sink, rejects, progress);
    std::lock_guard<std::mutex> lock(run.mutex);
    run.report.stats.Merge(stats);
    run.report.copy_seconds += SecondsSince(start);
  }

  // How a task's transaction prepares its table: a whole table is created
  // (or, left by an earlier run, emptied); a chunk appends.
  CopyWriter::Start StartOf(const CopyTask& task, const TargetTable& table, int thread) {
    if (task.bounds.chunks > 1) return CopyWriter::Start::kAppend;
    return TargetTableExists(PgFor(thread), table) ? CopyWriter::Start::kTruncate : CopyWriter::Start::kCreate;
  }

  // The statement a task's transaction starts with: the CREATE TABLE of a
  // whole table; for a chunk, the DELETE of its key range (rows an earlier
  // attempt may have left are never loaded twice).
  std::string FirstSql(const CopyTask& task, const TableRun& run) const {
    if (task.bounds.chunks == 1) return CreateSql(*run.table);
    std::string condition = BoundsCondition(QuotePgIdentifier(run.key_column), task.bounds);
    return "DELETE FROM " + QualifiedName(run.table->schema, run.table->name) +
           (condition.empty() ? "" : " WHERE " + condition);
  }

  // The CREATE TABLE of "table".
  const std::string& CreateSql(const TargetTable& table) const {
    const std::string qualified = QualifiedName(table.schema, table.name);
    for (const DdlStatement& statement : ddl_.tables) {
      if (statement.table == qualified) return statement.sql;
    }
    throw Error(ErrorCategory::kInternal, "no CREATE TABLE for " + qualified);
  }

  void EndRun(TableRun& run) {
    if (run.report.status == WorkStatus::kInterrupted) {
      EndInterruptedRun(run);
      return;
    }
    if (run.report.status == WorkStatus::kFailed) {
      // Nothing of it stays loaded (below): it wrote no row and changed no
      // value. Its rejects were read and recorded, and stay counted.
      TableStats& stats = run.report.stats;
      stats.rows_written = 0;
      stats.bytes_written = 0;
      for (ColumnChanges& column : stats.columns) column = ColumnChanges();
    }
    if (run.report.status != WorkStatus::kFailed) {
      run.report.status = WorkStatus::kDone;
    } else if (run.report.chunks == 1) {
      // Its transaction, CREATE TABLE included, rolled back: leave the table
      // there, empty, as the plan says.
      try {
        std::unique_ptr<PgSession> session = OpenTarget();
        session->Execute(
            (TargetTableExists(*session, *run.table) ? std::string() : CreateSql(*run.table) + ";\n") +
            state_->MarkSql(run.report.source_name, ChunkBounds{0, 0, 1, std::nullopt, std::nullopt},
                            WorkStatus::kFailed, 0, 0, 0, run.report.error));
      } catch (const Error&) {
        // The database fails anyway; the report says why.
      }
    } else if (run.report.chunks > 1) {
      // Chunks that finished are committed: empty the table so it is never
      // half-loaded. It is reported failed.
      try {
        OpenTarget()->Execute("TRUNCATE " + QualifiedName(run.table->schema, run.table->name) + ";\n" +
                              state_->MarkTableSql(run.report.source_name, WorkStatus::kFailed, run.report.error));
      } catch (const Error&) {
        // The database fails anyway; the report says why.
      }
    }
    run.rejects->Close();  // no descriptor per table for the rest of the run
    if (run.rejects->count() > 0) run.report.reject_file = run.rejects->path();
    if (options_.progress != nullptr) options_.progress->tables_done.fetch_add(1, std::memory_order_relaxed);
  }

  // An interrupted table keeps its chunks done; the others are recorded
  // interrupted (their transactions rolled back), for --resume to reload.
  void EndInterruptedRun(TableRun& run) {
    try {
      std::string sql = run.report.chunks > 1
                            ? state_->FenceSql() + "UPDATE my2pg.chunk_state SET status = 'interrupted', updated_at = now() WHERE "
                              "status <> 'done' AND source_table = " + QuotePgLiteral(run.report.source_name)
                            : state_->MarkSql(run.report.source_name, ChunkBounds{0, 0, 1, std::nullopt, std::nullopt},
                                              WorkStatus::kInterrupted);
      OpenTarget()->Execute(sql);
    } catch (const Error&) {
      // Unrecorded, it is still not done: a resume reloads it all the same.
    }
    run.rejects->Close();
    if (run.rejects->count() > 0) run.report.reject_file = run.rejects->path();
  }

  // Foreign keys (their parents' keys exist now), identities, triggers,
  // comments.
  void Finish() {
    sources_.clear();  // ends the source transactions
    pg_sessions_.clear();
    copy_connections_.clear();
    auto start = Clock::now();
    SetPhase(options_, Phase::kConstraints);
    bool any_failed = false;
    for (const TableReport& table : report_.tables) any_failed = any_failed || table.status == WorkStatus::kFailed;
    for (const auto* phase : {&ddl_.foreign_keys, &ddl_.sequences, &ddl_.triggers, &ddl_.comments}) WarnSkipped(*phase);
    // A restart of the target broke the control session (and released its
    // lock): a new one, the lock taken again, and the statements not known
    // done looked up in the target first (one may have committed unseen).
    Retrying(
        "the constraints phase",
        [&](int attempt) {
          const bool retry = attempt > 1;
          if (retry) OpenControl();
          RunPhase(*control_, ddl_.foreign_keys, retry);
          RunPhase(*control_, ddl_.sequences, retry);
          RunPhase(*control_, ddl_.triggers, retry);
          RunPhase(*control_, ddl_.comments, retry);
          if (options_.final_ddl && !any_failed) {  // views over failed tables would fail too
            for (const DdlStatement& statement : options_.final_ddl(plan_)) {
              state_->RunOnce(*control_, statement.sql, retry);
            }
          }
        },
        [] {});
    report_.constraints_seconds = SecondsSince(start);
  }

  // Warns of each statement of a phase skipped because a table it needs
  // failed (a foreign key to it), giving it, with the VALIDATE that follows
  // it, to run once that table is loaded.
  void WarnSkipped(const std::vector<DdlStatement>& statements) {
    for (size_t i = 0; i < statements.size(); ++i) {
      const DdlStatement& statement = statements[i];
      const std::string* failed = FailedNeed(statement);
      if (statement.validation || TableFailed(statement.table) || failed == nullptr) continue;
      std::string sql = statement.sql;
      if (i + 1 < statements.size() && statements[i + 1].validation) sql += "; " + statements[i + 1].sql;
      report_.warnings.push_back("not run, table " + *failed + " failed: " + sql);
    }
  }

  // "qualified": "schema"."name", as DdlStatement names tables.
  bool TableFailed(const std::string& qualified) const {
    for (const TableReport& table : report_.tables) {
      if (table.status == WorkStatus::kFailed && QualifiedName(table.target_schema, table.target_name) == qualified) return true;
    }
    return false;
  }

  // The failed table "statement" needs (a foreign key's parent), or nullptr.
  const std::string* FailedNeed(const DdlStatement& statement) const {
    for (const std::string& table : statement.needs) {
      if (TableFailed(table)) return &table;
    }
    return nullptr;
  }

  // Runs the statements of a phase, skipping those of tables that failed and
  // those that need one (WarnSkipped says which).
  void RunPhase(PgSession& session, const std::vector<DdlStatement>& statements, bool ask_target = false) {
    for (const DdlStatement& statement : statements) {
      if (!TableFailed(statement.table) && FailedNeed(statement) == nullptr) {
        state_->RunOnce(session, statement.sql, ask_target);
      }
    }
  }

  const MigrationOptions& options_;
  ConnectionUri target_;
  int threads_ = 1;
  int64_t total_rows_ = 0;  // the tables' row estimates, summed
  DatabaseReport report_;  // its warnings guarded by level_mutex_ while tables copy
  SchemaPlan plan_;
  Ddl ddl_;
  std::unique_ptr<PgSession> control_;
  std::mutex control_mutex_;  // KeepControl from several threads
  std::unique_ptr<TargetState> state_;  // from PrepareSchema on
  static constexpr int kCopyAttempts = 4;
  std::unique_ptr<MySqlSession> catalog_session_;  // from PrepareSchema to the snapshot
  Clock::time_point schema_start_;
  std::vector<std::unique_ptr<MySqlStream>> sources_;  // one per thread, in one snapshot
  std::vector<std::unique_ptr<TableRun>> runs_;  // parallel to plan_.tables
  std::vector<std::unique_ptr<PgSession>> pg_sessions_;  // one per thread, for keys and parent keys
  std::vector<std::unique_ptr<CopyConnection>> copy_connections_;  // one per thread, reused by its copies
  std::mutex parent_keys_mutex_;
  std::map<std::string, std::shared_ptr<const ParentKeys>> parent_keys_;  // by "schema"."table"."column"
  WorkQueue queue_;
  std::mutex level_mutex_;
  size_t tables_left_ = 0;  // not settled yet; guarded by level_mutex_
  std::vector<bool> foreign_key_queued_;  // parallel to ddl_.foreign_keys; guarded by level_mutex_
  std::vector<bool> foreign_key_done_;    // likewise: run here, a VALIDATE may follow
  bool foreign_key_adding_ = false;       // one ADD FOREIGN KEY at a time; guarded by level_mutex_
  std::set<std::string> validating_;      // tables a VALIDATE runs on; guarded by level_mutex_
  Clock::time_point copy_end_;       // guarded by level_mutex_
  std::string key_error_;            // the first failed index build; guarded by level_mutex_
};

}  // namespace

int64_t DatabaseReport::rows_read() const {
  int64_t sum = 0;
  for (const auto& table : tables) sum += table.stats.rows_read;
  return sum;
}
int64_t DatabaseReport::rows_written() const {
  int64_t sum = 0;
  for (const auto& table : tables) sum += table.stats.rows_written;
  return sum;
}
int64_t DatabaseReport::rows_rejected() const {
  int64_t sum = 0;
  for (const auto& table : tables) sum += table.stats.rows_rejected;
  return sum;
}

DatabaseReport MigrateDatabase(const std::string& database, const MigrationOptions& options) {
  return DatabaseMigration(database, options).Run();
}

}  // namespace my2pg
