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
  auto* sql_error = dynamic_cast<const pqxx::sql_error*>(&e);
  throw Error(ErrorCategory::kTarget, "PostgreSQL error: " + message)
      .WithDatabase(uri.database)
      .WithSql(sql)
      .Retryable(lost)
      .WithSqlState(sql_error != nullptr ? sql_error->sqlstate() : "");
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
