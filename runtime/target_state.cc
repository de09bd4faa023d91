#include "runtime/target_state.h"

#include "common/error.h"
#include "common/identifier.h"

namespace my2pg {
namespace {

const char kCreateSchemaSql[] =
    "CREATE SCHEMA IF NOT EXISTS my2pg;\n"
    "CREATE SEQUENCE IF NOT EXISTS my2pg.epoch;\n"
    "CREATE TABLE IF NOT EXISTS my2pg.chunk_state (\n"
    "  source_table text NOT NULL,\n"
    "  chunk int NOT NULL,\n"
    "  chunks int NOT NULL,\n"
    "  lower_bound bigint,\n"
    "  upper_bound bigint,\n"
    "  status text NOT NULL,\n"
    "  rows_read bigint NOT NULL DEFAULT 0,\n"
    "  rows_written bigint NOT NULL DEFAULT 0,\n"
    "  rows_rejected bigint NOT NULL DEFAULT 0,\n"
    "  error text,\n"
    "  epoch bigint NOT NULL,\n"
    "  updated_at timestamptz NOT NULL DEFAULT now(),\n"
    "  PRIMARY KEY (source_table, chunk));\n"
    "CREATE TABLE IF NOT EXISTS my2pg.step_done (\n"
    "  step text NOT NULL,  -- the statement\n"
    "  epoch bigint NOT NULL,\n"
    "  done_at timestamptz NOT NULL DEFAULT now());\n"
    "CREATE UNIQUE INDEX IF NOT EXISTS step_done_step ON my2pg.step_done (md5(step));\n"
    "CREATE TABLE IF NOT EXISTS my2pg.snapshot (\n"
    "  epoch bigint PRIMARY KEY,  -- the run whose chunks read it (chunk_state.epoch)\n"
    "  binlog_file text,  -- NULL: not known (unknown says why)\n"
    "  binlog_position bigint,\n"
    "  gtid text,\n"
    "  unknown text,\n"
    "  taken_at timestamptz NOT NULL DEFAULT now());\n"
    "CREATE TABLE IF NOT EXISTS my2pg.claim (\n"
    "  only_row boolean PRIMARY KEY DEFAULT true CHECK (only_row),\n"
    "  run_id text NOT NULL,  -- the ledger's run\n"
    "  epoch bigint NOT NULL);  -- the ledger's claim that may write\n"
    "CREATE OR REPLACE FUNCTION my2pg.hold_claim(run text, mine bigint) RETURNS void LANGUAGE plpgsql AS $f$\n"
    "DECLARE holder my2pg.claim;\n"
    "BEGIN\n"
    "  SELECT * INTO holder FROM my2pg.claim FOR SHARE;\n"
    "  IF holder.run_id IS DISTINCT FROM run OR holder.epoch IS DISTINCT FROM mine THEN\n"
    "    RAISE EXCEPTION 'claim % of ledger run % no longer holds this database (claim % of run % does)',\n"
    "      mine, run, holder.epoch, holder.run_id;\n"
    "  END IF;\n"
    "END $f$;\n";

// The step_done key of a table's orphan check after the load.
std::string AfterLoadCheckStep(const std::string& source_table) {
  return "-- orphan check after the load of " + source_table;
}

std::string Bound(const std::optional<int64_t>& bound) { return bound ? std::to_string(*bound) : "NULL"; }

std::optional<int64_t> BoundOf(const std::string& text) {
  if (text.empty()) return std::nullopt;
  return std::stoll(text);
}

}  // namespace

TargetState::TargetState(PgSession& session, const ClaimFence& fence) {
  // Two runs creating the schema at once (a resume started twice) would
  // race on the catalog: an advisory lock orders them.
  session.Execute("SELECT pg_advisory_lock(727200001)");
  try {
    session.Execute(kCreateSchemaSql);
  } catch (...) {
    session.Execute("SELECT pg_advisory_unlock(727200001)");
    throw;
  }
  session.Execute("SELECT pg_advisory_unlock(727200001)");
  if (fence.epoch > 0) {
    // A later claim of the run takes over from an earlier one (waiting for
    // its commits in flight); another run's claim is replaced.
    std::string run = QuotePgLiteral(fence.run_id);
    std::string epoch = std::to_string(fence.epoch);
    if (session.QueryValue("INSERT INTO my2pg.claim (run_id, epoch) VALUES (" + run + ", " + epoch +
                           ") ON CONFLICT (only_row) DO UPDATE SET run_id = EXCLUDED.run_id, epoch = EXCLUDED.epoch "
                           "WHERE my2pg.claim.run_id <> EXCLUDED.run_id OR my2pg.claim.epoch <= EXCLUDED.epoch "
                           "RETURNING 1")
            .empty()) {
      throw Error(ErrorCategory::kTarget, "claim " + epoch + " of ledger run " + fence.run_id +
                                              " was taken over before it started: a later claim holds the database");
    }
    fence_sql_ = "SELECT my2pg.hold_claim(" + run + ", " + epoch + ");\n";
  }
  epoch_ = std::stoll(session.QueryValue("SELECT nextval('my2pg.epoch')"));
  for (const auto& row : session.Query(
           "SELECT source_table, chunk, chunks, lower_bound, upper_bound, status, rows_read, rows_written, "
           "rows_rejected, COALESCE(error, '') FROM my2pg.chunk_state ORDER BY source_table, chunk")) {
    ChunkState state;
    state.chunk = std::stoi(row[1]);
    state.chunks = std::stoi(row[2]);
    state.lower = BoundOf(row[3]);
    state.upper = BoundOf(row[4]);
    state.status = ParseWorkStatus(row[5]);
    state.rows_read = std::stoll(row[6]);
    state.rows_written = std::stoll(row[7]);
    state.rows_rejected = std::stoll(row[8]);
    state.error = row[9];
    chunks_[row[0]].push_back(state);
  }
  for (const auto& row : session.Query("SELECT step FROM my2pg.step_done")) steps_done_.insert(row[0]);
}

void TargetState::RecordSnapshot(PgSession& session, const BinlogPosition& position) const {
  auto text = [](const std::string& value) { return value.empty() ? std::string("NULL") : QuotePgLiteral(value); };
  session.Execute(fence_sql_ + "INSERT INTO my2pg.snapshot (epoch, binlog_file, binlog_position, gtid, unknown) VALUES (" +
                  std::to_string(epoch_) + ", " + text(position.file) + ", " +
                  (position.known() ? std::to_string(position.position) : "NULL") + ", " + text(position.gtid) + ", " +
                  text(position.unknown) + ") ON CONFLICT (epoch) DO NOTHING");
}

const std::vector<ChunkState>& TargetState::Chunks(const std::string& source_table) const {
  static const std::vector<ChunkState> kNone;
  auto it = chunks_.find(source_table);
  return it == chunks_.end() ? kNone : it->second;
}

std::string TargetState::MarkSql(const std::string& source_table, const ChunkBounds& bounds, WorkStatus status,
                                 int64_t rows_read, int64_t rows_written, int64_t rows_rejected,
                                 const std::string& error) const {
  return fence_sql_ + "INSERT INTO my2pg.chunk_state AS s (source_table, chunk, chunks, lower_bound, upper_bound, status, "
         "rows_read, rows_written, rows_rejected, error, epoch) VALUES (" +
         QuotePgLiteral(source_table) + ", " + std::to_string(bounds.chunk) + ", " + std::to_string(bounds.chunks) +
         ", " + Bound(bounds.lower) + ", " + Bound(bounds.upper) + ", " + QuotePgLiteral(ToString(status)) + ", " +
         std::to_string(rows_read) + ", " + std::to_string(rows_written) + ", " + std::to_string(rows_rejected) +
         ", " + (error.empty() ? "NULL" : QuotePgLiteral(error)) + ", " + std::to_string(epoch_) +
         ") ON CONFLICT (source_table, chunk) DO UPDATE SET status = EXCLUDED.status, rows_read = "
         "EXCLUDED.rows_read, rows_written = EXCLUDED.rows_written, rows_rejected = EXCLUDED.rows_rejected, "
         "error = EXCLUDED.error, epoch = EXCLUDED.epoch, updated_at = now()";
}

std::string TargetState::MarkTableSql(const std::string& source_table, WorkStatus status,
                                      const std::string& error) const {
  return fence_sql_ + "UPDATE my2pg.chunk_state SET status = " + QuotePgLiteral(ToString(status)) +
         ", rows_read = 0, rows_written = 0, rows_rejected = 0, error = " +
         (error.empty() ? "NULL" : QuotePgLiteral(error)) + ", epoch = " + std::to_string(epoch_) +
         ", updated_at = now() WHERE source_table = " + QuotePgLiteral(source_table) +
         ";\nDELETE FROM my2pg.step_done WHERE md5(step) = md5(" +
         QuotePgLiteral(AfterLoadCheckStep(source_table)) + ")";
}

bool TargetState::AfterLoadCheckDone(const std::string& source_table) const {
  std::lock_guard<std::mutex> lock(mutex_);
  return steps_done_.count(AfterLoadCheckStep(source_table)) > 0;
}

std::string TargetState::AfterLoadCheckDoneSql(const std::string& source_table, int64_t rows_rejected) const {
  std::string sql = fence_sql_;
  if (rows_rejected > 0) {
    std::string table = QuotePgLiteral(source_table);
    sql += "UPDATE my2pg.chunk_state SET rows_written = rows_written - " + std::to_string(rows_rejected) +
           ", rows_rejected = rows_rejected + " + std::to_string(rows_rejected) + " WHERE source_table = " + table +
           " AND chunk = (SELECT min(chunk) FROM my2pg.chunk_state WHERE source_table = " + table + ");\n";
  }
  return sql + "INSERT INTO my2pg.step_done (step, epoch) VALUES (" +
         QuotePgLiteral(AfterLoadCheckStep(source_table)) + ", " + std::to_string(epoch_) +
         ") ON CONFLICT DO NOTHING";
}

void TargetState::RunOnce(PgSession& session, const std::string& sql, bool ask_target) {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (steps_done_.count(sql) > 0) return;
  }
  if (ask_target &&
      !session.QueryValue("SELECT 1 FROM my2pg.step_done WHERE md5(step) = md5(" + QuotePgLiteral(sql) + ")").empty()) {
    std::lock_guard<std::mutex> lock(mutex_);
    steps_done_.insert(sql);
    return;
  }
  // One simple query: PostgreSQL runs its statements as one implicit
  // transaction, rolled back whole if any fails.
  session.Execute(fence_sql_ + sql + ";\nINSERT INTO my2pg.step_done (step, epoch) VALUES (" + QuotePgLiteral(sql) + ", " +
                  std::to_string(epoch_) + ") ON CONFLICT DO NOTHING");
  std::lock_guard<std::mutex> lock(mutex_);
  steps_done_.insert(sql);
}

size_t TargetState::steps_done() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return steps_done_.size();
}

}  // namespace my2pg
