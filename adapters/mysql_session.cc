#include "adapters/mysql_session.h"

#include <cppconn/driver.h>
#include <cppconn/exception.h>
#include <cppconn/resultset.h>
#include <cppconn/statement.h>
#include <mysql_driver.h>

#include "adapters/connect.h"
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
  sql::ConnectOptionsMap options = MySqlConnectorOptions(uri);
  try {
    connection_.reset(Driver()->connect(options));
  } catch (const sql::SQLException& e) {
    throw MySqlConnectError(uri, e.what(), e.getErrorCode());
  }
  if (MySqlRequiresTls(uri)) {
    auto cipher = Query("SHOW SESSION STATUS LIKE 'Ssl_cipher'");
    if (!cipher->next() || cipher->getString(2).asStdString().empty()) {
      throw MySqlConnectError(uri, "the connection is not encrypted, but ssl-mode asks for TLS", 2026);
    }
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
