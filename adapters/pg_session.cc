#include "adapters/pg_session.h"

#include <pqxx/pqxx>

#include <algorithm>
#include <chrono>
#include <thread>
#include <vector>

#include "adapters/connect.h"
#include "common/error.h"
#include "common/strings.h"

namespace my2pg {
namespace {

[[noreturn]] void Fail(const ConnectionUri& uri, const std::exception& e, const std::string& sql) {
  std::string message = TrimTrailingSpace(e.what());
  bool lost = dynamic_cast<const pqxx::broken_connection*>(&e) != nullptr ||
              dynamic_cast<const pqxx::in_doubt_error*>(&e) != nullptr;
  throw Error(ErrorCategory::kTarget, "PostgreSQL error: " + message)
      .WithDatabase(uri.database)
      .WithSql(sql)
      .Retryable(lost)
      .WithSqlState(SqlStateOf(e));
}

template <typename Class>
bool Is(const std::exception& e) {
  return dynamic_cast<const Class*>(&e) != nullptr;
}

bool IsTooManyConnections(const std::string& message) {
  for (const char* text : {"too many clients already", "too many connections for",
                           "remaining connection slots are reserved"}) {
    if (message.find(text) != std::string::npos) return true;
  }
  return false;
}

// What a server restarting answers (or its backend says as it ends): worth
// waiting for.
bool IsRestarting(const std::string& message) {
  for (const char* text : {"the database system is shutting down", "the database system is starting up",
                           "the database system is in recovery mode",
                           "terminating connection due to administrator command"}) {
    if (message.find(text) != std::string::npos) return true;
  }
  return false;
}

// libpq joins the errors of each attempt (sslmode=prefer tries TLS, then
// plain): the same line twice says nothing more.
std::string WithoutRepeatedLines(const std::string& message) {
  std::string out;
  std::vector<std::string> seen;
  size_t start = 0;
  while (start <= message.size()) {
    size_t end = message.find('\n', start);
    if (end == std::string::npos) end = message.size();
    std::string line = message.substr(start, end - start);
    if (!line.empty() && std::find(seen.begin(), seen.end(), line) == seen.end()) {
      out += (out.empty() ? "" : "\n") + line;
      seen.push_back(line);
    }
    start = end + 1;
  }
  return out;
}

}  // namespace

std::string SqlStateOf(const std::exception& e) {
  auto* sql_error = dynamic_cast<const pqxx::sql_error*>(&e);
  if (sql_error != nullptr && !sql_error->sqlstate().empty()) return sql_error->sqlstate();
  // Most specific first: each class below derives from some after it.
  if (Is<pqxx::deadlock_detected>(e)) return "40P01";
  if (Is<pqxx::serialization_failure>(e)) return "40001";
  if (Is<pqxx::statement_completion_unknown>(e)) return "40003";
  if (Is<pqxx::transaction_rollback>(e)) return "40000";
  if (Is<pqxx::too_many_connections>(e)) return "53300";
  if (Is<pqxx::unique_violation>(e)) return "23505";
  if (Is<pqxx::foreign_key_violation>(e)) return "23503";
  if (Is<pqxx::not_null_violation>(e)) return "23502";
  if (Is<pqxx::check_violation>(e)) return "23514";
  if (Is<pqxx::restrict_violation>(e)) return "23001";
  if (Is<pqxx::integrity_constraint_violation>(e)) return "23000";
  if (Is<pqxx::undefined_column>(e)) return "42703";
  if (Is<pqxx::undefined_function>(e)) return "42883";
  if (Is<pqxx::undefined_table>(e)) return "42P01";
  if (Is<pqxx::syntax_error>(e)) return "42601";
  if (Is<pqxx::insufficient_privilege>(e)) return "42501";
  if (Is<pqxx::disk_full>(e)) return "53100";
  if (Is<pqxx::out_of_memory>(e)) return "53200";
  if (Is<pqxx::insufficient_resources>(e)) return "53000";
  if (Is<pqxx::feature_not_supported>(e)) return "0A000";
  if (Is<pqxx::data_exception>(e)) return "22000";
  if (Is<pqxx::invalid_cursor_state>(e)) return "24000";
  if (Is<pqxx::invalid_sql_statement_name>(e)) return "26000";
  if (Is<pqxx::invalid_cursor_name>(e)) return "34000";
  if (Is<pqxx::plpgsql_raise>(e)) return "P0001";
  if (Is<pqxx::plpgsql_no_data_found>(e)) return "P0002";
  if (Is<pqxx::plpgsql_too_many_rows>(e)) return "P0003";
  if (Is<pqxx::plpgsql_error>(e)) return "P0000";
  return "";
}

void ConnectRetrying(const ConnectionUri& uri, const std::function<std::string()>& connect) {
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(kConnectRetrySeconds);
  auto wait = std::chrono::milliseconds(100);
  while (true) {
    std::string message = WithoutRepeatedLines(connect());
    if (message.empty()) return;
    bool transient = IsTooManyConnections(message) || IsRestarting(message);
    // Refused, or cut while connecting: no server (yet), or one going
    // down. Not waited for here, since a wrong port must fail at once, but
    // a caller retrying work (a server restart mid-run) may try again.
    bool refused = message.find("Connection refused") != std::string::npos ||
                   message.find("closed unexpectedly") != std::string::npos;
    if (!transient || std::chrono::steady_clock::now() + wait > deadline) {
      throw Error(ErrorCategory::kTarget, "cannot connect to " + uri.Redacted() + ": " + message)
          .Retryable(transient || refused)
          .Unreachable();
    }
    std::this_thread::sleep_for(wait);
    wait = std::min<std::chrono::milliseconds>(wait * 2, std::chrono::seconds(2));
  }
}

PgSession::PgSession(const ConnectionUri& uri) : uri_(uri) {
  std::string conninfo = PgConninfo(uri);
  ConnectRetrying(uri, [this, &conninfo]() -> std::string {
    try {
      connection_ = std::make_unique<pqxx::connection>(conninfo);
      // libpqxx 6 reconnects a broken connection by itself, silently: the
      // session's SET settings and advisory locks (the control session's
      // hold on the target) would be gone. A broken connection is an error
      // its caller retries, restoring them (libpqxx 7 dropped reactivation).
#if PQXX_VERSION_MAJOR < 7
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wdeprecated-declarations"
      connection_->inhibit_reactivation(true);
#pragma GCC diagnostic pop
#endif
      return "";
    } catch (const std::exception& e) {
      return TrimTrailingSpace(e.what());
    }
  });
}

PgSession::~PgSession() = default;

void PgSession::Execute(const std::string& sql) {
  try {
    pqxx::nontransaction work(*connection_);
    work.exec(sql);
  } catch (const std::exception& e) {
    Fail(uri_, e, sql);
  }
}

std::vector<std::vector<std::string>> PgSession::Query(const std::string& sql) {
  std::vector<std::vector<std::string>> rows;
  try {
    pqxx::nontransaction work(*connection_);
    pqxx::result result = work.exec(sql);
    for (const auto& row : result) {
      std::vector<std::string> values;
      for (const auto& field : row) values.push_back(field.is_null() ? "" : field.c_str());
      rows.push_back(std::move(values));
    }
  } catch (const std::exception& e) {
    Fail(uri_, e, sql);
  }
  return rows;
}

std::string PgSession::QueryValue(const std::string& sql) {
  auto rows = Query(sql);
  return rows.empty() || rows[0].empty() ? "" : rows[0][0];
}

}  // namespace my2pg
