// The one place where my2pg opens a server connection: every MySQL
// connection (the catalog and control session through Connector/C++, the row
// streams through libmariadb's C API) and every PostgreSQL one (libpqxx
// sessions, libpq COPY connections) takes its settings from here, so that
// TLS, timeouts, option files and secrets are handled once.
//
// MySQL, from a validated ConnectionUri (common/uri.h):
// - host, port, user, database from the URI; a port or user the URI leaves
//   out comes from the option files, else 3306 and the login name;
// - the password: the URI's (userinfo or ?password=), else $MYSQL_PWD, else
//   the option files' (libmariadb reads it there itself);
// - option files, as the mysql client reads them: [client] (and
//   [client-server], [client-mariadb]) of the default files (/etc/my.cnf,
//   /etc/mysql/my.cnf, ~/.my.cnf), or only ?defaults-file=, plus the group
//   ?defaults-group=; the URI's own values win over the files';
// - TLS: ?ssl-mode= (DISABLED, PREFERRED, REQUIRED, VERIFY_CA,
//   VERIFY_IDENTITY), ?ssl-ca=, ?ssl-capath=, ?ssl-cert=, ?ssl-key=,
//   ?ssl-cipher=, ?ssl-crl=; REQUIRED and stricter refuse a connection that
//   did not end up encrypted;
// - ?connect-timeout= seconds (default 10); no automatic reconnect; utf8mb4.
//
// PostgreSQL: the URI's options are libpq keywords (sslmode, sslrootcert,
// sslcert, sslkey, service, passfile, ...) handed to libpq as they are; the
// password, when the URI has none, is found by libpq (PGPASSWORD, .pgpass,
// the service file), as are the PG* environment variables.
//
// Thread-safe: each call opens its own connection.
#ifndef MY2PG_ADAPTERS_CONNECT_H_
#define MY2PG_ADAPTERS_CONNECT_H_

#include <cppconn/connection.h>

#include <string>

#include "common/error.h"
#include "common/uri.h"

struct st_mysql;

namespace my2pg {

// A connected libmariadb handle for "uri" (mysql://), its settings applied;
// the caller owns it (mysql_close). Throws Error(kSource), Unreachable for a
// server that cannot be reached, refuses the login or the TLS handshake.
st_mysql* OpenMySql(const ConnectionUri& uri);

// The same settings as Connector/C++ options, for sql::Driver::connect.
sql::ConnectOptionsMap MySqlConnectorOptions(const ConnectionUri& uri);

// The error of a MySQL connection that could not be opened (the server's
// message, the URI without its secrets), for both drivers.
Error MySqlConnectError(const ConnectionUri& uri, const std::string& message, unsigned int code);

// Whether "uri" asks for TLS to be in effect (ssl-mode REQUIRED or stricter).
bool MySqlRequiresTls(const ConnectionUri& uri);

// libpq's connection string for "uri" (postgresql://), with the session
// settings my2pg relies on pinned (ConnectionUri::ToPinnedConninfo). Throws
// Error(kUsage) for an option keyword libpq does not know, naming it.
std::string PgConninfo(const ConnectionUri& uri);

}  // namespace my2pg

#endif  // MY2PG_ADAPTERS_CONNECT_H_
