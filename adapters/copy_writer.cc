#include "adapters/copy_writer.h"

#include <libpq-fe.h>

#include "adapters/connect.h"
#include "common/error.h"
#include "common/identifier.h"
#include "adapters/pg_session.h"
#include "common/strings.h"
#include "converter/binary_copy.h"

namespace my2pg {
namespace {

std::string Trimmed(const char* message) { return TrimTrailingSpace(message ? message : ""); }

}  // namespace

std::string CommitModeSql(CommitMode mode) {
  if (mode == CommitMode::kAsync) return "SET synchronous_commit = off";
  return "SELECT set_config('synchronous_commit', 'on', false) WHERE current_setting('synchronous_commit') = 'off'";
}

CopyConnection::CopyConnection(const ConnectionUri& target, CommitMode mode) {
  std::string conninfo = PgConninfo(target);
  ConnectRetrying(target, [this, &conninfo]() -> std::string {
    connection_ = PQconnectdb(conninfo.c_str());
    if (PQstatus(connection_) == CONNECTION_OK) return "";
    std::string message = Trimmed(PQerrorMessage(connection_));
    PQfinish(connection_);
    connection_ = nullptr;
    return message;
  });
  PGresult* result = PQexec(connection_, CommitModeSql(mode).c_str());
  bool ok = PQresultStatus(result) == PGRES_COMMAND_OK || PQresultStatus(result) == PGRES_TUPLES_OK;
  PQclear(result);
  if (!ok) {
    std::string message = Trimmed(PQerrorMessage(connection_));
    PQfinish(connection_);
    connection_ = nullptr;
    throw Error(ErrorCategory::kTarget, "PostgreSQL error: " + message).WithSql(CommitModeSql(mode));
  }
}

static std::string SqlStateOf(const PGresult* result, const PGconn* connection) {
  const char* sqlstate = result != nullptr ? PQresultErrorField(result, PG_DIAG_SQLSTATE) : nullptr;
  if (sqlstate != nullptr) return sqlstate;
  // No result from the server: the connection broke (connection_failure).
  return PQstatus(connection) == CONNECTION_BAD ? "08006" : "";
}

int64_t RunStatement(CopyConnection& connection, const std::string& sql) {
  PGresult* result = PQexec(connection.get(), sql.c_str());
  bool ok = PQresultStatus(result) == PGRES_COMMAND_OK || PQresultStatus(result) == PGRES_TUPLES_OK;
  std::string sqlstate = SqlStateOf(result, connection.get());
  const char* changed = ok ? PQcmdTuples(result) : "";
  int64_t rows = changed[0] == '\0' ? 0 : std::stoll(changed);
  PQclear(result);
  if (!ok) {
    throw Error(ErrorCategory::kTarget, "PostgreSQL error: " + Trimmed(PQerrorMessage(connection.get())))
        .WithSql(sql)
        .WithSqlState(sqlstate);
  }
  return rows;
}

CopyConnection::~CopyConnection() {
  if (connection_ != nullptr) PQfinish(connection_);
}

CopyWriter::CopyWriter(CopyConnection& connection, const std::string& qualified_table,
                       const std::vector<std::string>& columns, Start start, const std::string& create_sql,
                       bool binary)
    : connection_(connection.get()), table_(qualified_table), binary_(binary) {
  Run("BEGIN");
  in_transaction_ = true;
  if (start == Start::kCreate || (start == Start::kAppend && !create_sql.empty())) Run(create_sql);
  if (start == Start::kTruncate) Run("TRUNCATE " + qualified_table);
  std::string sql = "COPY " + qualified_table + " (";
  for (size_t i = 0; i < columns.size(); ++i) sql += (i ? ", " : "") + QuotePgIdentifier(columns[i]);
  // FREEZE (allowed in the transaction that created or emptied the table)
  // writes the rows frozen: index builds, ANALYZE and the first reads after
  // the load need not set hint bits on every page.
  std::string options;
  if (binary) options = "FORMAT binary";
  if (start != Start::kAppend) options += std::string(options.empty() ? "" : ", ") + "FREEZE";
  sql += ") FROM STDIN" + (options.empty() ? "" : " WITH (" + options + ")");
  PGresult* result = PQexec(connection_, sql.c_str());
  bool ok = PQresultStatus(result) == PGRES_COPY_IN;
  std::string sqlstate = SqlStateOf(result, connection_);
  PQclear(result);
  if (!ok) Fail(sql, sqlstate);
  if (binary_) {
    std::string header;
    AppendBinaryHeader(header);
    Write(header);
  }
}

CopyWriter::~CopyWriter() {
  if (!in_transaction_ || completed_) return;
  if (PQisBusy(connection_) == 0) {
    PQputCopyEnd(connection_, "my2pg: load aborted");
    while (PGresult* result = PQgetResult(connection_)) PQclear(result);
  }
  PQclear(PQexec(connection_, "ROLLBACK"));
}

void CopyWriter::Fail(const std::string& what, const std::string& sqlstate) {
  std::string message = Trimmed(PQerrorMessage(connection_));
  if (in_transaction_) {
    while (PGresult* result = PQgetResult(connection_)) PQclear(result);
    PQclear(PQexec(connection_, "ROLLBACK"));
    in_transaction_ = false;
  }
  throw Error(ErrorCategory::kTarget, "PostgreSQL error: " + message)
      .WithTable(table_)
      .WithSql(what)
      .WithSqlState(sqlstate.empty() ? SqlStateOf(nullptr, connection_) : sqlstate);
}

void CopyWriter::Run(const std::string& sql) {
  PGresult* result = PQexec(connection_, sql.c_str());
  bool ok = PQresultStatus(result) == PGRES_COMMAND_OK;
  std::string sqlstate = SqlStateOf(result, connection_);
  PQclear(result);
  if (!ok) Fail(sql, sqlstate);
}

void CopyWriter::Write(std::string_view lines) {
  if (lines.empty()) return;
  if (PQputCopyData(connection_, lines.data(), static_cast<int>(lines.size())) != 1) {
    Fail("COPY data");
  }
}

void CopyWriter::Complete() {
  if (binary_) {
    std::string trailer;
    AppendBinaryTrailer(trailer);
    Write(trailer);
  }
  if (PQputCopyEnd(connection_, nullptr) != 1) Fail("COPY end");
  PGresult* result = PQgetResult(connection_);
  bool ok = PQresultStatus(result) == PGRES_COMMAND_OK;
  std::string error = ok ? "" : Trimmed(PQresultErrorMessage(result));
  std::string sqlstate = ok ? "" : SqlStateOf(result, connection_);
  PQclear(result);
  while (PGresult* extra = PQgetResult(connection_)) PQclear(extra);
  if (!ok) {
    PQclear(PQexec(connection_, "ROLLBACK"));
    in_transaction_ = false;
    throw Error(ErrorCategory::kTarget, "COPY failed: " + error).WithTable(table_).WithSqlState(sqlstate);
  }
  if (!commit_sql_.empty()) Run(commit_sql_);
  Run("COMMIT");
  completed_ = true;
}

}  // namespace my2pg
