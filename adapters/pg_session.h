// PgSession: a control connection to the PostgreSQL target through libpqxx,
// for DDL and small queries (COPY streams have their own connection, see
// adapters/copy_writer.h). libpqxx errors become Error(kTarget) here, with
// the failing statement attached.
//
// Not thread-safe: one session per thread.
#ifndef MY2PG_ADAPTERS_PG_SESSION_H_
#define MY2PG_ADAPTERS_PG_SESSION_H_

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "common/uri.h"

#include <pqxx/connection>

namespace my2pg {

// Runs "connect", which returns "" once connected or else libpq's message,
// and runs it again while the server has no free connection slot ("too many
// clients", a role's or a database's connection limit: SQLSTATE 53300, which
// libpq does not give for a refused connection, so its message is matched):
// other sessions end, so that is transient. Waits longer each time, for up to
// kConnectRetrySeconds in all. Throws Error(kTarget), unreachable, for any
// other failure (a wrong password is never retried) or when the time is up.
constexpr int kConnectRetrySeconds = 60;

// The SQLSTATE of a libpqxx exception. libpqxx 6.4 (Debian 12) throws its
// specific classes (deadlock_detected, insufficient_privilege,
// unique_violation, ...) without the SQLSTATE the server sent, and its
// transaction_rollback family is not even an sql_error: the state is
// restored from the class (its class code, 22000, for data_exception).
// "" for an exception that is not a server error.
std::string SqlStateOf(const std::exception& e);
void ConnectRetrying(const ConnectionUri& uri, const std::function<std::string()>& connect);

class PgSession {
 public:
  // Connects to "uri" (ConnectRetrying); the password is the URI's, or
  // libpq's own (PGPASSWORD, ~/.pgpass). Throws Error(kTarget).
  explicit PgSession(const ConnectionUri& uri);
  ~PgSession();
  PgSession(const PgSession&) = delete;
  PgSession& operator=(const PgSession&) = delete;
  PgSession(PgSession&&) = default;

  // Runs "sql" (one or more statements) in autocommit mode.
  void Execute(const std::string& sql);
  // Runs a query and returns its rows as text (NULL as empty string).
  std::vector<std::vector<std::string>> Query(const std::string& sql);
  // The first column of the first row, or "" if there is none.
  std::string QueryValue(const std::string& sql);

  const ConnectionUri& uri() const { return uri_; }

 private:
  ConnectionUri uri_;
  std::unique_ptr<pqxx::connection> connection_;
};

}  // namespace my2pg

#endif  // MY2PG_ADAPTERS_PG_SESSION_H_
