// MySqlSession: one read-only connection to the MySQL/MariaDB source, through
// MySQL Connector/C++, for the catalog and control statements (rows stream
// through MySqlStream, mysql_stream.h). my2pg never writes to the source:
// every session is set READ ONLY where the server supports it, and my2pg
// issues no DML or DDL. Connector/C++ errors become Error(kSource) here.
//
// Not thread-safe: one session per thread. Call MySqlDriverInit() once in the
// main thread before any thread opens a session, and keep a MySqlThreadScope
// alive in every other thread that uses one.
#ifndef MY2PG_ADAPTERS_MYSQL_SESSION_H_
#define MY2PG_ADAPTERS_MYSQL_SESSION_H_

#include <memory>
#include <string>

#include "common/uri.h"

namespace sql {
class Connection;
class ResultSet;
class Statement;
}  // namespace sql

namespace my2pg {

// The rows of a query with the statement that owns them: Connector/C++ needs
// the statement alive while its result is read.
class MySqlResult {
 public:
  MySqlResult(std::unique_ptr<sql::Statement> statement, std::unique_ptr<sql::ResultSet> rows);
  MySqlResult(MySqlResult&&) noexcept;
  ~MySqlResult();
  sql::ResultSet* operator->() const { return rows_.get(); }
  sql::ResultSet& operator*() const { return *rows_; }

 private:
  std::unique_ptr<sql::Statement> statement_;  // declared first: destroyed last
  std::unique_ptr<sql::ResultSet> rows_;
};

void MySqlDriverInit();

// True for the codes of a failed connect that mean the server could not be
// reached or refused the login (every code but an unknown database).
bool IsMySqlLoginFailure(unsigned int code);

class MySqlThreadScope {
 public:
  MySqlThreadScope();
  ~MySqlThreadScope();
  MySqlThreadScope(const MySqlThreadScope&) = delete;
  MySqlThreadScope& operator=(const MySqlThreadScope&) = delete;
};

// What every MySQL session of my2pg sets first, so that what it reads does not
// depend on the server's or the account's settings: TIMESTAMP values in UTC;
// an empty sql_mode, so that literals my2pg quotes with backslashes mean the
// same under NO_BACKSLASH_ESCAPES, identifiers in backticks under
// ANSI_QUOTES, and CHAR values arrive unpadded despite PAD_CHAR_TO_FULL_LENGTH;
// and a slow target (checkpoint, index build) must not make the server drop a
// streaming result: the client may pause for up to a day.
inline constexpr char kMySqlSessionSettings[] =
    "SET SESSION time_zone = '+00:00', sql_mode = '', net_write_timeout = 86400, net_read_timeout = 86400";

class MySqlSession {
 public:
  // Connects to "uri" (database optional). The password is the URI's, or
  // MYSQL_PWD's. Results are utf8mb4; the session time zone is UTC. Throws
  // Error(kSource).
  explicit MySqlSession(const ConnectionUri& uri);
  ~MySqlSession();
  MySqlSession(const MySqlSession&) = delete;
  MySqlSession& operator=(const MySqlSession&) = delete;

  // Runs a statement that returns no rows (SET, START TRANSACTION, ...).
  void Execute(const std::string& sql);
  // Runs a query; the result is fully buffered (for catalog queries).
  MySqlResult Query(const std::string& sql);

  // "10.11.6-MariaDB-0+deb12u1" or "8.0.36".
  const std::string& server_version() const { return server_version_; }
  bool is_mariadb() const { return is_mariadb_; }
  const ConnectionUri& uri() const { return uri_; }

 private:
  [[noreturn]] void Fail(const std::exception& e, const std::string& sql);

  ConnectionUri uri_;
  std::unique_ptr<sql::Connection> connection_;
  std::string server_version_;
  bool is_mariadb_ = false;
};

}  // namespace my2pg

#endif  // MY2PG_ADAPTERS_MYSQL_SESSION_H_
