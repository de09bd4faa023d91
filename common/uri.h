// Connection URIs: mysql://USER[:PASSWORD]@HOST[:PORT][/DATABASE][?OPTIONS]
// and postgresql://USER[:PASSWORD]@HOST[:PORT]/DATABASE[?OPTIONS]. The target
// database may contain the placeholder {db}, replaced by each source database
// name. Passwords are kept out of every printable form (Redacted()).
//
// The options are validated here, once, before any connection is tried:
// mysql:// accepts only the keys of kMySqlOptionKeys (an unknown key is
// refused, naming it and the accepted ones, as duckdb-mysql's
// ParseConnectionParameters does); postgresql:// options are libpq's own
// keywords and go to libpq as they are (adapters/connect.h refuses a keyword
// libpq does not know before connecting). "?password=" is the password on
// both sides: it leaves the options and is never printed.
//
// The password may hold any character but NUL: the user part ends at the
// last '@', and the options start at the first '?' after it, so a password
// with an unencoded '/', ':', '@' or '?' stays the password. An '@' in an
// option value must therefore be percent-encoded (%40).
#ifndef MY2PG_COMMON_URI_H_
#define MY2PG_COMMON_URI_H_

#include <map>
#include <string>
#include <vector>

namespace my2pg {

// MySQL's --ssl-mode, applied with MariaDB Connector/C's options by
// adapters/connect.cc. kUnset: what the option files say (by default no TLS).
enum class MySqlSslMode { kUnset, kDisabled, kPreferred, kRequired, kVerifyCa, kVerifyIdentity };

// The options a mysql:// URI accepts (the names of the mysql client's
// command-line options; '_' is read as '-').
extern const std::vector<std::string> kMySqlOptionKeys;

// True for an option whose value is a secret (password, passphrase): masked
// in every printed form.
bool IsSecretOptionKey(const std::string& key);

// "text" (a command-line argument) with every password in it replaced by
// '*', the length kept: the password of a URI's user part, and the value of
// any password=... (URI option or libpq keyword). main() writes the result
// over its argv, so that ps and /proc/PID/cmdline (the forked workers' too)
// never show a password.
std::string MaskSecrets(const std::string& text);

struct ConnectionUri {
  std::string scheme;  // "mysql" or "postgresql"
  std::string user;
  std::string password;  // empty: taken from the environment by the session
  std::string host;
  int port = 0;  // 0: the scheme's default
  std::string database;
  std::map<std::string, std::string> options;  // query parameters, decoded ("password" excluded)
  // mysql:// only: "ssl-mode", validated.
  MySqlSslMode ssl_mode = MySqlSslMode::kUnset;

  // Parses "uri", or libpq's keyword/value form ("host=h dbname=d ...",
  // read as postgresql://; its keywords other than host, port, user,
  // password and dbname become options); throws Error(kUsage) naming what is wrong (never echoing
  // the password or any part of the URI before its host). Accepts "postgres://" as "postgresql://" and "mariadb://" as
  // "mysql://".
  static ConnectionUri Parse(const std::string& uri);

  // The value of option "key", or "" when not given.
  std::string Option(const std::string& key) const {
    auto found = options.find(key);
    return found == options.end() ? "" : found->second;
  }

  // The URI without its password (nor any secret option), for logs and
  // reports.
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
