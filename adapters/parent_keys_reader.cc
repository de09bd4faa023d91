#include "adapters/parent_keys_reader.h"

#include <libpq-fe.h>

#include "common/error.h"
#include "common/strings.h"
#include "converter/text_encoder.h"

namespace my2pg {
namespace {

[[noreturn]] void Fail(pg_conn* connection, const std::string& sql) {
  throw Error(ErrorCategory::kTarget, "PostgreSQL error: " + TrimTrailingSpace(PQerrorMessage(connection)))
      .WithSql(sql);
}

}  // namespace

std::shared_ptr<const ParentKeys> ReadParentKeys(CopyConnection& connection, const std::string& qualified_table,
                                                 const std::string& column, bool integers) {
  pg_conn* pg = connection.get();
  std::string sql =
      "COPY (SELECT " + column + " FROM " + qualified_table + " WHERE " + column + " IS NOT NULL) TO STDOUT";
  PGresult* started = PQexec(pg, sql.c_str());
  bool copying = PQresultStatus(started) == PGRES_COPY_OUT;
  PQclear(started);
  if (!copying) Fail(pg, sql);
  auto keys = std::make_shared<ParentKeys>(integers);
  std::string unescaped, escaped;
  bool well_formed = true;
  char* line = nullptr;
  int length;
  while ((length = PQgetCopyData(pg, &line, /*async=*/0)) > 0) {
    std::string_view value(line, length > 0 && line[length - 1] == '\n' ? length - 1 : length);
    if (integers) {
      well_formed = keys->Add(value) && well_formed;
    } else {
      escaped.clear();
      UnescapeCopyField(value, unescaped);
      TextEncoder::AppendCopyEscaped(unescaped.data(), unescaped.size(), escaped);
      keys->Add(escaped);
    }
    PQfreemem(line);
  }
  if (length == -2) Fail(pg, sql);
  PGresult* result = PQgetResult(pg);
  bool ok = PQresultStatus(result) == PGRES_COMMAND_OK;
  PQclear(result);
  while ((result = PQgetResult(pg)) != nullptr) PQclear(result);
  if (!ok) Fail(pg, sql);
  if (!well_formed) throw Error(ErrorCategory::kInternal, "non-integer key in " + qualified_table + "." + column);
  keys->Seal();
  return keys;
}

}  // namespace my2pg
