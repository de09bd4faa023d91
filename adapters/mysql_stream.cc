#include "adapters/mysql_stream.h"

#include <mysql.h>

#include "adapters/connect.h"
#include "common/error.h"
#include "adapters/mysql_session.h"

namespace my2pg {
MySqlStream::MySqlStream(const ConnectionUri& uri) : uri_(uri) {
  connection_ = OpenMySql(uri);
  Execute(kMySqlSessionSettings);
  Execute("SET SESSION character_set_results = binary");  // raw bytes: each column decoded by its charset
  try {
    Execute("SET SESSION TRANSACTION READ ONLY");  // MySQL >= 5.6.5, MariaDB >= 10.0
  } catch (const Error&) {
    // Older servers: my2pg still issues only reads.
  }
}

MySqlStream::~MySqlStream() {
  if (result_ != nullptr) mysql_free_result(result_);
  if (connection_ != nullptr) mysql_close(connection_);
}

void MySqlStream::Fail(const std::string& what) {
  unsigned int code = mysql_errno(connection_);
  throw Error(ErrorCategory::kSource, "MySQL error: " + std::string(mysql_error(connection_)))
      .WithDatabase(uri_.database)
      .WithSql(what)
      .WithMySqlError(code);
}

void MySqlStream::Execute(const std::string& sql) {
  if (mysql_real_query(connection_, sql.data(), sql.size()) != 0) Fail(sql);
  if (MYSQL_RES* result = mysql_store_result(connection_)) mysql_free_result(result);
}

std::string MySqlStream::QueryValue(const std::string& sql) {
  if (mysql_real_query(connection_, sql.data(), sql.size()) != 0) Fail(sql);
  MYSQL_RES* result = mysql_store_result(connection_);
  if (result == nullptr) Fail(sql);
  std::string value;
  MYSQL_ROW row = mysql_fetch_row(result);
  if (row != nullptr && row[0] != nullptr) value.assign(row[0], mysql_fetch_lengths(result)[0]);
  mysql_free_result(result);
  return value;
}

void MySqlStream::StartQuery(const std::string& sql) {
  EndQuery();
  sql_ = sql;
  if (mysql_real_query(connection_, sql.data(), sql.size()) != 0) Fail(sql);
  result_ = mysql_use_result(connection_);  // rows stream: memory stays flat
  if (result_ == nullptr) Fail(sql);
}

bool MySqlStream::NextRow(char*** fields, unsigned long** lengths) {
  MYSQL_ROW row = mysql_fetch_row(result_);
  if (row == nullptr) {
    if (mysql_errno(connection_) != 0) Fail(sql_);
    return false;
  }
  *fields = row;
  *lengths = mysql_fetch_lengths(result_);
  return true;
}

void MySqlStream::EndQuery() {
  if (result_ == nullptr) return;
  mysql_free_result(result_);  // reads and drops any rows left
  result_ = nullptr;
}

unsigned int MySqlStream::field_count() const { return result_ ? mysql_num_fields(result_) : 0; }

}  // namespace my2pg
