#include "adapters/pg_row_reader.h"

#include <libpq-fe.h>

#include "common/error.h"
#include "common/strings.h"

namespace my2pg {
namespace {

[[noreturn]] void Fail(pg_conn* connection, const std::string& sql) {
  throw Error(ErrorCategory::kTarget, "PostgreSQL error: " + TrimTrailingSpace(PQerrorMessage(connection)))
      .WithSql(sql);
}

}  // namespace

void ReadCopyRows(CopyConnection& connection, const std::string& select,
                  const std::function<void(std::string_view line)>& row) {
  pg_conn* pg = connection.get();
  std::string sql = "COPY (" + select + ") TO STDOUT";
  PGresult* started = PQexec(pg, sql.c_str());
  bool copying = PQresultStatus(started) == PGRES_COPY_OUT;
  PQclear(started);
  if (!copying) Fail(pg, sql);
  char* line = nullptr;
  int length;
  std::exception_ptr failed;
  while ((length = PQgetCopyData(pg, &line, /*async=*/0)) > 0) {
    if (!failed) {
      try {
        row(std::string_view(line, line[length - 1] == '\n' ? length - 1 : length));
      } catch (...) {
        failed = std::current_exception();  // the rest is drained, so the connection stays usable
      }
    }
    PQfreemem(line);
  }
  if (length == -2) Fail(pg, sql);
  PGresult* result = PQgetResult(pg);
  bool ok = PQresultStatus(result) == PGRES_COMMAND_OK;
  PQclear(result);
  while ((result = PQgetResult(pg)) != nullptr) PQclear(result);
  if (failed) std::rethrow_exception(failed);
  if (!ok) Fail(pg, sql);
}

}  // namespace my2pg
