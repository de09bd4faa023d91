// Error: the one exception type for failures that end a table, a database or
// the run (bad rules file, lost connection, failed DDL). It carries properties
// rather than a class hierarchy, like pqxx::failure. Driver exceptions are
// turned into Error at the edge of the module that talks to the server; main()
// maps the category to an exit code and prints one line.
#ifndef MY2PG_COMMON_ERROR_H_
#define MY2PG_COMMON_ERROR_H_

#include <stdexcept>
#include <string>
#include <string_view>

namespace my2pg {

enum class ErrorCategory {
  kUsage,     // bad command line
  kRules,     // bad rules file or catalog snapshot
  kSource,    // MySQL connection or query failed
  kTarget,    // PostgreSQL connection, DDL or COPY failed
  kData,      // the data cannot be loaded as asked (e.g. rejects with --fail-on-reject)
  kInternal,  // a bug
};

const char* ToString(ErrorCategory category);

// Process exit codes, documented in the README.
enum ExitCode : int {
  kExitOk = 0,
  kExitFailed = 1,      // some databases or tables failed, or a server refused a statement
  kExitUsage = 2,       // bad command line, rules or catalog
  kExitConnection = 3,  // a server could not be reached or refused the login
  kExitRejects = 4,     // rows were rejected and --fail-on-reject was given
};

// Whether a failure with this PostgreSQL SQLSTATE may pass if the same work
// runs again: connection exceptions (class 08), serialization failures and
// deadlocks (40001, 40P01), too many connections (53300), a server shutting
// down or starting (57P01-57P03), a lock not available (55P03). A wrong
// password (28P01), a syntax error or a constraint violation is not.
bool IsTransientSqlState(std::string_view sqlstate);

// The same for a MySQL or MariaDB error number: the client lost or could not
// reach the server (2002, 2003, 2006, 2013, 2055), too many connections
// (1040), server shutdown (1053), lock wait timeout (1205), deadlock (1213),
// connection killed (1927). A refused login (1045) is not.
bool IsTransientMySqlError(unsigned int code);

class Error : public std::runtime_error {
 public:
  Error(ErrorCategory category, const std::string& message)
      : std::runtime_error(message), category_(category) {}

  ErrorCategory category() const { return category_; }
  const std::string& database() const { return database_; }
  const std::string& table() const { return table_; }
  // The statement that failed, if any (never contains a password).
  const std::string& sql() const { return sql_; }
  // True if running the same work again may succeed (lost connection,
  // serialization failure, deadlock).
  bool retryable() const { return retryable_; }
  // True if the server could not be reached or refused the login (exit 3);
  // other failures of a server end a database or a command (exit 1).
  bool unreachable() const { return unreachable_; }
  // The server's own code for the failure, if known: a PostgreSQL SQLSTATE
  // ("40P01") for kTarget, a MySQL error number ("1205") for kSource, or "".
  const std::string& server_code() const { return server_code_; }

  Error& WithDatabase(std::string database) {
    database_ = std::move(database);
    return *this;
  }
  Error& WithTable(std::string table) {
    table_ = std::move(table);
    return *this;
  }
  Error& WithSql(std::string sql) {
    sql_ = std::move(sql);
    return *this;
  }
  Error& Retryable(bool retryable = true) {
    retryable_ = retryable;
    return *this;
  }
  Error& WithServerCode(std::string code) {
    server_code_ = std::move(code);
    return *this;
  }
  // The server's code, and whether it says retrying may help (below).
  Error& WithSqlState(const std::string& sqlstate) {
    server_code_ = sqlstate;
    retryable_ = retryable_ || IsTransientSqlState(sqlstate);
    return *this;
  }
  Error& WithMySqlError(unsigned int code) {
    if (code == 0) return *this;
    server_code_ = std::to_string(code);
    retryable_ = retryable_ || IsTransientMySqlError(code);
    return *this;
  }
  Error& Unreachable(bool unreachable = true) {
    unreachable_ = unreachable;
    return *this;
  }

  // "database.table: message" with whatever context is known.
  std::string Describe() const;
  int exit_code() const;

 private:
  ErrorCategory category_;
  std::string database_;
  std::string table_;
  std::string sql_;
  bool retryable_ = false;
  bool unreachable_ = false;
  std::string server_code_;
};

}  // namespace my2pg

#endif  // MY2PG_COMMON_ERROR_H_
