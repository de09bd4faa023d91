#include "adapters/mysql_session.h"

#include <cppconn/driver.h>
#include <cppconn/exception.h>
#include <cppconn/resultset.h>
#include <cppconn/statement.h>
#include <mysql_driver.h>

#include <cstdlib>

#include "common/error.h"

namespace my2pg {
namespace {

sql::Driver* Driver() { return sql::mysql::get_mysql_driver_instance(); }


}  // namespace

void MySqlDriverInit() { Driver(); }

bool IsMySqlLoginFailure(unsigned int code) {
  return code != 1049;  // ER_BAD_DB_ERROR: reached and logged in, but no such database
}

MySqlThreadScope::MySqlThreadScope() { Driver()->threadInit(); }
MySqlThreadScope::~MySqlThreadScope() { Driver()->threadEnd(); }

MySqlSession::MySqlSession(const ConnectionUri& uri) : uri_(uri) {
  std::string password = uri.password;
  if (password.empty()) {
    if (const char* env = std::getenv("MYSQL_PWD")) password = env;
  }
  sql::ConnectOptionsMap options;
  options["hostName"] = sql::SQLString(uri.host);
  options["port"] = uri.port != 0 ? uri.port : 3306;
  options["userName"] = sql::SQLString(uri.user.empty() ? "root" : uri.user);
  options["password"] = sql::SQLString(password);
  options["OPT_RECONNECT"] = false;
  options["OPT_CONNECT_TIMEOUT"] = 10;
  options["OPT_CHARSET_NAME"] = sql::SQLString("utf8mb4");
  if (!uri.database.empty()) options["schema"] = sql::SQLString(uri.database);
  try {
    connection_.reset(Driver()->connect(options));
  } catch (const sql::SQLException& e) {
    throw Error(ErrorCategory::kSource,
                "cannot connect to " + uri.Redacted() + ": " + e.what())
        .WithMySqlError(e.getErrorCode())
        .Unreachable(IsMySqlLoginFailure(e.getErrorCode()));
  }
  auto version = Query("SELECT VERSION()");
  if (version->next()) server_version_ = version->getString(1);
  is_mariadb_ = server_version_.find("MariaDB") != std::string::npos;

  Execute(kMySqlSessionSettings);
  try {
    Execute("SET SESSION TRANSACTION READ ONLY");  // MySQL >= 5.6.5, MariaDB >= 10.0
  } catch (const Error&) {
    // Older servers: my2pg still issues only reads.
  }
}

MySqlSession::~MySqlSession() = default;

void MySqlSession::Fail(const std::exception& e, const std::string& sql) {
  int code = 0;
  if (auto* sql_error = dynamic_cast<const sql::SQLException*>(&e)) code = sql_error->getErrorCode();
  throw Error(ErrorCategory::kSource, std::string("MySQL error: ") + e.what())
      .WithDatabase(uri_.database)
      .WithSql(sql)
      .WithMySqlError(code);
}

void MySqlSession::Execute(const std::string& sql) {
  try {
    std::unique_ptr<sql::Statement> statement(connection_->createStatement());
    statement->execute(sql);
  } catch (const sql::SQLException& e) {
    Fail(e, sql);
  }
}

MySqlResult::MySqlResult(std::unique_ptr<sql::Statement> statement,
                         std::unique_ptr<sql::ResultSet> rows)
    : statement_(std::move(statement)), rows_(std::move(rows)) {}
MySqlResult::MySqlResult(MySqlResult&&) noexcept = default;
MySqlResult::~MySqlResult() = default;

MySqlResult MySqlSession::Query(const std::string& sql) {
  try {
    std::unique_ptr<sql::Statement> statement(connection_->createStatement());
    std::unique_ptr<sql::ResultSet> rows(statement->executeQuery(sql));
    return MySqlResult(std::move(statement), std::move(rows));
  } catch (const sql::SQLException& e) {
    Fail(e, sql);
  }
}

}  // namespace my2pg
