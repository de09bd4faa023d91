#include "runtime/ledger.h"

#include <rapidjson/prettywriter.h>
#include <rapidjson/stringbuffer.h>

#include <cinttypes>
#include <cstdio>
#include <sstream>

#include "common/error.h"
#include "common/identifier.h"

namespace my2pg {
namespace {

// Creating the tables is ordered by this advisory lock: two processes
// starting at once would otherwise race on the catalog (CREATE ... IF NOT
// EXISTS is not safe against a concurrent create).
const char kCreateSql[] =
    "BEGIN;\n"
    "SELECT pg_advisory_xact_lock(727200003);\n"
    "CREATE SCHEMA IF NOT EXISTS my2pg;\n"
    "CREATE TABLE IF NOT EXISTS my2pg.run (\n"
    "  run_id text PRIMARY KEY,\n"
    "  source text NOT NULL,  -- redacted: never a password\n"
    "  target text NOT NULL,  -- redacted\n"
    "  created_by text NOT NULL,  -- host:pid\n"
    "  created_at timestamptz NOT NULL DEFAULT now());\n"
    "CREATE TABLE IF NOT EXISTS my2pg.run_database (\n"
    "  run_id text NOT NULL REFERENCES my2pg.run ON DELETE CASCADE,\n"
    "  position int NOT NULL,\n"
    "  database text NOT NULL,\n"
    "  target_database text NOT NULL,\n"
    "  timezone text NOT NULL DEFAULT '',\n"
    "  status text NOT NULL DEFAULT 'pending'\n"
    "    CHECK (status IN ('pending', 'running', 'done', 'failed', 'interrupted')),\n"
    "  epoch bigint NOT NULL DEFAULT 0,  -- fencing token: incremented at each claim\n"
    "  attempts int NOT NULL DEFAULT 0,\n"
    "  claimed_by text,  -- host:pid of the last claim\n"
    "  lease_expires_at timestamptz,\n"
    "  heartbeat_at timestamptz,\n"
    "  started_at timestamptz,\n"
    "  finished_at timestamptz,\n"
    "  error text,\n"
    "  rows_estimate bigint NOT NULL DEFAULT 0,\n"
    "  rows_read bigint NOT NULL DEFAULT 0,\n"
    "  rows_written bigint NOT NULL DEFAULT 0,\n"
    "  rows_rejected bigint NOT NULL DEFAULT 0,\n"
    "  PRIMARY KEY (run_id, database));\n"
    "COMMIT;\n";

// FNV-1a, 64 bits: stable across builds and hosts, which a run id must be.
uint64_t Fnv1a(const std::string& text) {
  uint64_t hash = 14695981039346656037ull;
  for (unsigned char c : text) {
    hash ^= c;
    hash *= 1099511628211ull;
  }
  return hash;
}

// How the ledger names a server: Redacted(), and without even the mark of
// a password, so that a process given the password in its URI and one
// given it in the environment name the same run.
std::string Printable(ConnectionUri uri) {
  uri.password.clear();
  return uri.Redacted();
}

int DefaultPort(const ConnectionUri& uri) {
  if (uri.port != 0) return uri.port;
  return uri.scheme == "mysql" ? 3306 : 5432;
}

std::string Int(int64_t value) { return std::to_string(value); }

int64_t ToInt(const std::string& text) { return text.empty() ? 0 : std::stoll(text); }
double ToDouble(const std::string& text) { return text.empty() ? 0 : std::stod(text); }

// What "holder" may claim, as a WHERE condition on run_database.
std::string ClaimableSql(const std::string& run, bool retry_failed, const std::string& joined_at) {
  std::string sql = "run_id = " + QuotePgLiteral(run) +
                    " AND (status IN ('pending', 'interrupted') OR (status = 'running' AND lease_expires_at < now())";
  if (retry_failed) sql += " OR (status = 'failed' AND finished_at < " + QuotePgLiteral(joined_at) + ")";
  return sql + ")";
}

}  // namespace

std::string DefaultRunId(const ConnectionUri& source, const ConnectionUri& target,
                         const std::vector<TenantSpec>& tenants) {
  std::string key = "mysql " + source.user + "@" + source.host + ":" + Int(DefaultPort(source)) + "\n" +
                    "postgresql " + target.user + "@" + target.host + ":" + Int(DefaultPort(target)) + "/" +
                    target.database + "\n";
  for (const TenantSpec& tenant : tenants) key += tenant.database + "\t" + tenant.timezone + "\n";
  char id[32];
  std::snprintf(id, sizeof(id), "run-%016" PRIx64, Fnv1a(key));
  return id;
}

ConnectionUri DefaultLedgerUri(const ConnectionUri& target) { return target.WithDatabase("my2pg"); }

RunTotals TotalsOf(const RunStatus& run) {
  RunTotals totals;
  int64_t rows_left = 0;
  for (const LedgerDatabase& database : run.databases) {
    totals.rows_estimate += database.rows_estimate;
    switch (database.status) {
      case WorkStatus::kDone:
        ++totals.done;
        totals.rows_read += database.rows_read;
        break;
      case WorkStatus::kFailed:
        ++totals.failed;
        totals.rows_read += database.rows_read;
        break;
      case WorkStatus::kRunning:
        ++totals.running;
        totals.rows_read += database.rows_read;
        rows_left += std::max<int64_t>(0, database.rows_estimate - database.rows_read);
        break;
      case WorkStatus::kPending:
        ++totals.pending;
        rows_left += database.rows_estimate;
        break;
      case WorkStatus::kInterrupted:
        ++totals.interrupted;
        rows_left += database.rows_estimate;  // a resume reads what was not committed again
        break;
    }
  }
  if (run.elapsed_seconds > 0) totals.rows_per_second = totals.rows_read / run.elapsed_seconds;
  if (totals.running + totals.pending + totals.interrupted == 0) {
    totals.eta_seconds = 0;
  } else if (totals.rows_per_second > 0) {
    totals.eta_seconds = rows_left / totals.rows_per_second;
  }
  return totals;
}

std::string StatusJson(const RunStatus& run) {
  RunTotals totals = TotalsOf(run);
  rapidjson::StringBuffer buffer;
  rapidjson::PrettyWriter<rapidjson::StringBuffer> w(buffer);
  auto string = [&w](const char* key, const std::string& value) {
    w.Key(key);
    w.String(value.c_str(), static_cast<rapidjson::SizeType>(value.size()));
  };
  auto integer = [&w](const char* key, int64_t value) {
    w.Key(key);
    w.Int64(value);
  };
  auto number = [&w](const char* key, double value) {
    w.Key(key);
    w.Double(value);
  };
  w.StartObject();
  string("format", "my2pg-status/1");
  string("run", run.run_id);
  string("source", run.source);
  string("target", run.target);
  string("created_at", run.created_at);
  number("elapsed_seconds", run.elapsed_seconds);
  w.Key("databases");
  w.StartObject();
  integer("total", static_cast<int>(run.databases.size()));
  integer("done", totals.done);
  integer("running", totals.running);
  integer("failed", totals.failed);
  integer("pending", totals.pending);
  integer("interrupted", totals.interrupted);
  w.EndObject();
  integer("rows_read", totals.rows_read);
  integer("rows_estimate", totals.rows_estimate);
  number("rows_per_second", totals.rows_per_second);
  w.Key("eta_seconds");
  if (totals.eta_seconds) {
    w.Double(*totals.eta_seconds);
  } else {
    w.Null();
  }
  w.Key("database_list");
  w.StartArray();
  for (const LedgerDatabase& database : run.databases) {
    w.StartObject();
    string("database", database.database);
    string("target_database", database.target_database);
    string("status", ToString(database.status));
    integer("attempts", database.attempts);
    integer("epoch", database.epoch);
    string("claimed_by", database.claimed_by);
    integer("rows_estimate", database.rows_estimate);
    integer("rows_read", database.rows_read);
    integer("rows_written", database.rows_written);
    integer("rows_rejected", database.rows_rejected);
    number("seconds", database.seconds);
    if (database.status == WorkStatus::kRunning) {
      number("lease_seconds_left", database.lease_left);
    }
    string("error", database.error);
    w.EndObject();
  }
  w.EndArray();
  w.EndObject();
  return std::string(buffer.GetString(), buffer.GetSize()) + "\n";
}

std::string StatusText(const RunStatus& run) {
  RunTotals totals = TotalsOf(run);
  std::ostringstream out;
  out << "run " << run.run_id << " (created " << run.created_at << ")\n"
      << "  source " << run.source << "\n  target " << run.target << "\n"
      << "databases: " << run.databases.size() << " total, " << totals.done << " done, " << totals.running
      << " running, " << totals.failed << " failed, " << totals.pending << " pending";
  if (totals.interrupted > 0) out << ", " << totals.interrupted << " interrupted";
  char line[160];
  std::snprintf(line, sizeof(line), "\nrows: %" PRId64 " read of about %" PRId64 ", %.0f rows/s", totals.rows_read,
                totals.rows_estimate, totals.rows_per_second);
  out << line;
  if (totals.eta_seconds) {
    std::snprintf(line, sizeof(line), ", ETA %.0f s", *totals.eta_seconds);
    out << line;
  } else {
    out << ", ETA unknown";
  }
  out << "\n";
  for (const LedgerDatabase& database : run.databases) {
    if (database.status != WorkStatus::kRunning) continue;
    std::snprintf(line, sizeof(line), "  running  %s on %s: %" PRId64 " of about %" PRId64 " rows, lease %.0f s left",
                  database.database.c_str(), database.claimed_by.c_str(), database.rows_read, database.rows_estimate,
                  database.lease_left);
    out << line << "\n";
  }
  for (const LedgerDatabase& database : run.databases) {
    if (database.status != WorkStatus::kFailed) continue;
    out << "  failed   " << database.database << " (attempt " << database.attempts << " on " << database.claimed_by
        << "): " << database.error << "\n";
  }
  return out.str();
}

Ledger::Ledger(const ConnectionUri& uri, std::string holder, int lease_seconds)
    : uri_(uri), holder_(std::move(holder)), lease_seconds_(lease_seconds) {
  {
    PgSession admin(uri.WithDatabase("postgres"));
    if (admin.QueryValue("SELECT 1 FROM pg_database WHERE datname = " + QuotePgLiteral(uri.database)).empty()) {
      try {
        admin.Execute("CREATE DATABASE " + QuotePgIdentifier(uri.database));
      } catch (const Error& e) {
        // Another process created it first: 42P04, or 23505 when both
        // inserted into pg_database at once.
        if (e.server_code() != "42P04" && e.server_code() != "23505") throw;
      }
    }
  }
  session_ = std::make_unique<PgSession>(uri_);
  session_->Execute(kCreateSql);
}

std::unique_ptr<Ledger> Ledger::OpenExisting(const ConnectionUri& uri) {
  auto session = std::make_unique<PgSession>(uri);
  if (session->QueryValue("SELECT to_regclass('my2pg.run_database') IS NOT NULL") != "t") {
    throw Error(ErrorCategory::kUsage, "no my2pg ledger in " + uri.Redacted() + " (migrate --ledger makes one)");
  }
  std::unique_ptr<Ledger> ledger(new Ledger(uri, std::move(session)));
  return ledger;
}

Ledger::Ledger(const ConnectionUri& uri, std::unique_ptr<PgSession> session)
    : uri_(uri), lease_seconds_(0), session_(std::move(session)) {}

Ledger::~Ledger() = default;

template <typename Call>
auto Ledger::WithSession(Call call) -> decltype(call(std::declval<PgSession&>())) {
  std::lock_guard<std::mutex> lock(mutex_);
  try {
    if (!session_) session_ = std::make_unique<PgSession>(uri_);
    return call(*session_);
  } catch (const Error& e) {
    if (!e.retryable()) throw;
    session_.reset();  // broken: a new connection, once
    session_ = std::make_unique<PgSession>(uri_);
    return call(*session_);
  }
}

void Ledger::Join(const LedgerRegistration& registration) {
  run_id_ = registration.run_id;
  const std::string run = QuotePgLiteral(run_id_);
  const std::string source = Printable(registration.source);
  const std::string target = Printable(registration.target);
  WithSession([&](PgSession& session) {
    // The run's row lock orders two processes joining at once (positions).
    std::string sql = "BEGIN;\nINSERT INTO my2pg.run (run_id, source, target, created_by) VALUES (" + run + ", " +
                      QuotePgLiteral(source) + ", " + QuotePgLiteral(target) + ", " + QuotePgLiteral(holder_) +
                      ") ON CONFLICT (run_id) DO NOTHING;\nSELECT 1 FROM my2pg.run WHERE run_id = " + run +
                      " FOR UPDATE;\n";
    // Databases this process brings that the run lacks go after its own.
    for (size_t i = 0; i < registration.tenants.size(); ++i) {
      const TenantSpec& tenant = registration.tenants[i];
      int64_t estimate = i < registration.rows_estimates.size() ? registration.rows_estimates[i] : 0;
      sql += "INSERT INTO my2pg.run_database (run_id, position, database, target_database, timezone, "
             "rows_estimate) SELECT " + run + ", COALESCE(max(position), 0) + 1, " +
             QuotePgLiteral(tenant.database) + ", " +
             QuotePgLiteral(registration.target.ForDatabase(tenant.database).database) + ", " +
             QuotePgLiteral(tenant.timezone) + ", " + Int(estimate) + " FROM my2pg.run_database WHERE run_id = " +
             run + " ON CONFLICT (run_id, database) DO NOTHING;\n";
    }
    session.Execute(sql + "COMMIT;");
    auto rows = session.Query("SELECT source, target, now() FROM my2pg.run WHERE run_id = " + run);
    if (rows.at(0)[0] != source || rows[0][1] != target) {
      throw Error(ErrorCategory::kUsage, "ledger run " + run_id_ + " migrates " + rows[0][0] + " into " + rows[0][1] +
                                             ", not " + source + " into " + target +
                                             ": give another --run for this one");
    }
    joined_at_ = rows[0][2];
  });
}

std::vector<TenantSpec> Ledger::Tenants() {
  return WithSession([&](PgSession& session) {
    std::vector<TenantSpec> tenants;
    for (const auto& row : session.Query("SELECT database, timezone FROM my2pg.run_database WHERE run_id = " +
                                         QuotePgLiteral(run_id_) + " ORDER BY position, database")) {
      TenantSpec tenant;
      tenant.database = row[0];
      tenant.timezone = row[1];
      tenants.push_back(tenant);
    }
    return tenants;
  });
}

std::optional<LedgerClaim> Ledger::ClaimNext(bool retry_failed) {
  return WithSession([&](PgSession& session) -> std::optional<LedgerClaim> {
    // SKIP LOCKED: a row another process is claiming right now is passed
    // over, never waited for nor taken twice. The candidate is chosen in a
    // CTE, evaluated exactly once: as a subquery joined to the UPDATE,
    // PostgreSQL may rescan it per row and lock (and claim) a second row.
    auto rows = session.Query(
        "WITH c AS MATERIALIZED (SELECT database FROM my2pg.run_database WHERE " +
        ClaimableSql(run_id_, retry_failed, joined_at_) +
        " ORDER BY position LIMIT 1 FOR UPDATE SKIP LOCKED) "
        "UPDATE my2pg.run_database d SET status = 'running', epoch = d.epoch + 1, attempts = d.attempts + 1, "
        "claimed_by = " + QuotePgLiteral(holder_) + ", lease_expires_at = now() + make_interval(secs => " +
        Int(lease_seconds_) + "), heartbeat_at = now(), started_at = now(), finished_at = NULL, error = NULL, "
        "rows_read = 0, rows_written = 0, rows_rejected = 0 FROM c WHERE d.run_id = " + QuotePgLiteral(run_id_) +
        " AND d.database = c.database RETURNING d.database, d.epoch, d.attempts");
    if (rows.size() > 1) {
      throw Error(ErrorCategory::kInternal, "a ledger claim took " + std::to_string(rows.size()) + " databases");
    }
    if (rows.empty()) return std::nullopt;
    return LedgerClaim{rows[0][0], ToInt(rows[0][1]), static_cast<int>(ToInt(rows[0][2]))};
  });
}

bool Ledger::Renew(const LedgerClaim& claim, int64_t rows_read, int64_t rows_estimate) {
  return WithSession([&](PgSession& session) {
    return !session
                .Query("UPDATE my2pg.run_database SET lease_expires_at = now() + make_interval(secs => " +
                       Int(lease_seconds_) + "), heartbeat_at = now(), rows_read = " + Int(rows_read) +
                       (rows_estimate > 0 ? ", rows_estimate = " + Int(rows_estimate) : "") +
                       " WHERE run_id = " + QuotePgLiteral(run_id_) + " AND database = " +
                       QuotePgLiteral(claim.database) + " AND epoch = " + Int(claim.epoch) +
                       " AND status = 'running' RETURNING 1")
                .empty();
  });
}

bool Ledger::Finish(const LedgerClaim& claim, WorkStatus status, const std::string& error, int64_t rows_read,
                    int64_t rows_written, int64_t rows_rejected) {
  return WithSession([&](PgSession& session) {
    // The fencing check: "epoch = mine". A process whose lease lapsed and
    // was claimed again affects no row.
    return !session
                .Query("UPDATE my2pg.run_database SET status = " + QuotePgLiteral(ToString(status)) +
                       ", error = " + (error.empty() ? "NULL" : QuotePgLiteral(error)) +
                       ", finished_at = now(), lease_expires_at = NULL, rows_read = " + Int(rows_read) +
                       ", rows_written = " + Int(rows_written) + ", rows_rejected = " + Int(rows_rejected) +
                       " WHERE run_id = " + QuotePgLiteral(run_id_) + " AND database = " +
                       QuotePgLiteral(claim.database) + " AND epoch = " + Int(claim.epoch) +
                       " AND status = 'running' RETURNING 1")
                .empty();
  });
}

bool Ledger::Unsettled() {
  return WithSession([&](PgSession& session) {
    return !session
                .QueryValue("SELECT 1 FROM my2pg.run_database WHERE run_id = " + QuotePgLiteral(run_id_) +
                            " AND status IN ('pending', 'interrupted', 'running') LIMIT 1")
                .empty();
  });
}

RunStatus Ledger::Status(const std::string& run_id) {
  return WithSession([&](PgSession& session) {
    std::string which = run_id.empty() ? "(SELECT run_id FROM my2pg.run ORDER BY created_at DESC, run_id LIMIT 1)"
                                        : QuotePgLiteral(run_id);
    auto runs = session.Query(
        "SELECT r.run_id, r.source, r.target, to_char(r.created_at AT TIME ZONE 'UTC', "
        "'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"'), COALESCE(EXTRACT(EPOCH FROM CASE WHEN bool_or(d.status = 'running') "
        "THEN now() ELSE max(d.finished_at) END - min(d.started_at)), 0) FROM my2pg.run r LEFT JOIN "
        "my2pg.run_database d USING (run_id) WHERE r.run_id = " + which + " GROUP BY 1, 2, 3, 4");
    if (runs.empty()) {
      throw Error(ErrorCategory::kUsage, run_id.empty() ? "the ledger holds no run"
                                                        : "the ledger holds no run " + run_id);
    }
    RunStatus status;
    status.run_id = runs[0][0];
    status.source = runs[0][1];
    status.target = runs[0][2];
    status.created_at = runs[0][3];
    status.elapsed_seconds = ToDouble(runs[0][4]);
    for (const auto& row : session.Query(
             "SELECT database, target_database, timezone, status, epoch, attempts, COALESCE(claimed_by, ''), "
             "COALESCE(error, ''), rows_estimate, rows_read, rows_written, rows_rejected, "
             "COALESCE(EXTRACT(EPOCH FROM COALESCE(finished_at, now()) - started_at), 0), "
             "COALESCE(EXTRACT(EPOCH FROM lease_expires_at - now()), 0) FROM my2pg.run_database WHERE run_id = " +
             QuotePgLiteral(status.run_id) + " ORDER BY position, database")) {
      LedgerDatabase database;
      database.database = row[0];
      database.target_database = row[1];
      database.timezone = row[2];
      database.status = ParseWorkStatus(row[3]);
      database.epoch = ToInt(row[4]);
      database.attempts = static_cast<int>(ToInt(row[5]));
      database.claimed_by = row[6];
      database.error = row[7];
      database.rows_estimate = ToInt(row[8]);
      database.rows_read = ToInt(row[9]);
      database.rows_written = ToInt(row[10]);
      database.rows_rejected = ToInt(row[11]);
      database.seconds = ToDouble(row[12]);
      database.lease_left = ToDouble(row[13]);
      status.databases.push_back(database);
    }
    return status;
  });
}

}  // namespace my2pg
