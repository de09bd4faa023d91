// MySqlStream: a source connection for the hot path, streaming rows through
// libmariadb's C API (the client library Connector/C++ itself wraps):
// mysql_use_result and the fields as pointers into the client's buffer, with
// no copy and no allocation per value. Profiling showed Connector/C++'s
// per-value std::string (SQLString) costing a tenth of the whole load's CPU.
// Catalog queries and control statements keep using MySqlSession.
//
// Like MySqlSession: read-only, UTC, raw bytes (character_set_results =
// binary), never writes. Not thread-safe: one stream per thread, with a
// MySqlThreadScope alive in that thread.
#ifndef MY2PG_ADAPTERS_MYSQL_STREAM_H_
#define MY2PG_ADAPTERS_MYSQL_STREAM_H_

#include <string>

#include "common/uri.h"

struct st_mysql;
struct st_mysql_res;

namespace my2pg {

class MySqlStream {
 public:
  // Connects (password from the URI or MYSQL_PWD). Throws Error(kSource).
  explicit MySqlStream(const ConnectionUri& uri);
  ~MySqlStream();
  MySqlStream(const MySqlStream&) = delete;
  MySqlStream& operator=(const MySqlStream&) = delete;

  // Runs a statement and discards any result. Throws Error(kSource).
  void Execute(const std::string& sql);
  // The first column of the first row ("" for NULL or no row).
  std::string QueryValue(const std::string& sql);

  // Starts streaming the rows of "sql"; no other statement may run until
  // the rows are read to the end or EndQuery(). Throws Error(kSource).
  void StartQuery(const std::string& sql);
  // The next row: "fields" and "lengths" point into the client's buffer and
  // stay valid until the next call; a null field is NULL. False at the end.
  // Throws Error(kSource) if the connection fails midway.
  bool NextRow(char*** fields, unsigned long** lengths);
  void EndQuery();
  unsigned int field_count() const;

 private:
  [[noreturn]] void Fail(const std::string& what);

  ConnectionUri uri_;
  st_mysql* connection_ = nullptr;
  st_mysql_res* result_ = nullptr;
  std::string sql_;  // the query being streamed, for errors
};

}  // namespace my2pg

#endif  // MY2PG_ADAPTERS_MYSQL_STREAM_H_
