// Connection URIs: mysql://USER[:PASSWORD]@HOST[:PORT][/DATABASE][?OPTIONS]
// and postgresql://USER[:PASSWORD]@HOST[:PORT]/DATABASE[?OPTIONS]. The target
// database may contain the placeholder {db}, replaced by each source database
// name. Passwords are kept out of every printable form (Redacted()).
#ifndef MY2PG_COMMON_URI_H_
#define MY2PG_COMMON_URI_H_

#include <map>
#include <string>

namespace my2pg {

struct ConnectionUri {
  std::string scheme;  // "mysql" or "postgresql"
  std::string user;
  std::string password;  // empty: taken from the environment by the session
  std::string host;
  int port = 0;  // 0: the scheme's default
  std::string database;
  std::map<std::string, std::string> options;  // query parameters, decoded

  // Parses "uri"; throws Error(kUsage) naming what is wrong (never echoing a
  // password). Accepts "postgres://" as "postgresql://" and "mariadb://" as
  // "mysql://".
  static ConnectionUri Parse(const std::string& uri);

  // The URI without its password, for logs and reports.
  std::string Redacted() const;
  // The target of source database "name": a copy whose {db} placeholders are
  // replaced by "name". Without a placeholder, the URI's database is the
  // target, whatever "name" is (callers refuse several sources then).
  ConnectionUri ForDatabase(const std::string& name) const;
  // A copy whose database is exactly "name" (e.g. the maintenance database
  // "postgres"), whatever the URI's database is.
  ConnectionUri WithDatabase(const std::string& name) const {
    ConnectionUri copy = *this;
    copy.database = name;
    return copy;
  }
  bool HasDatabasePlaceholder() const;
  // libpq keyword/value connection string (password included only when the
  // URI had one; otherwise libpq reads PGPASSWORD or ~/.pgpass).
  std::string ToLibpqConninfo() const;
  // ToLibpqConninfo() with the session settings my2pg's own SQL and COPY
  // text rely on pinned, whatever PGCLIENTENCODING, PGOPTIONS or a role's
  // settings say: client_encoding UTF8, TimeZone UTC, DateStyle ISO,
  // IntervalStyle postgres, extra_float_digits 3. The user's "options" come
  // first; the pinned ones win.
  std::string ToPinnedConninfo() const;
};

}  // namespace my2pg

#endif  // MY2PG_COMMON_URI_H_
