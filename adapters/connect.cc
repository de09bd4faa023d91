#include "adapters/connect.h"

#include <libpq-fe.h>
#include <mysql.h>

#include <cstdlib>
#include <memory>
#include <vector>

#include "adapters/mysql_session.h"
#include "common/error.h"
#include "common/strings.h"
#include "common/suggest.h"

namespace my2pg {
namespace {

// Every setting of a MySQL connection, resolved once from the URI and the
// environment; both drivers are configured from it.
struct MySqlSettings {
  std::string host;
  unsigned int port = 0;  // 0: the option files', else 3306
  std::string user;       // "": the option files', else the login name
  bool has_password = false;
  std::string password;
  std::string database;
  unsigned int connect_timeout = 10;
  std::string defaults_file;   // "": the default option files
  std::string defaults_group;  // read besides [client]
  MySqlSslMode ssl_mode = MySqlSslMode::kUnset;
  std::string ssl_ca, ssl_capath, ssl_cert, ssl_key, ssl_cipher, ssl_crl;
};

MySqlSettings ResolveMySql(const ConnectionUri& uri) {
  MySqlSettings settings;
  settings.host = uri.host;
  settings.port = static_cast<unsigned int>(uri.port);
  settings.user = uri.user;
  if (!uri.password.empty()) {
    settings.has_password = true;
    settings.password = uri.password;
  } else if (const char* env = std::getenv("MYSQL_PWD")) {
    settings.has_password = true;
    settings.password = env;
  }
  settings.database = uri.database;
  if (!uri.Option("connect-timeout").empty()) settings.connect_timeout = std::stoul(uri.Option("connect-timeout"));
  settings.defaults_file = uri.Option("defaults-file");
  settings.defaults_group = uri.Option("defaults-group");
  settings.ssl_mode = uri.ssl_mode;
  // DISABLED: no TLS file either, for libmariadb turns TLS on for any.
  if (settings.ssl_mode == MySqlSslMode::kDisabled) return settings;
  settings.ssl_ca = uri.Option("ssl-ca");
  settings.ssl_capath = uri.Option("ssl-capath");
  settings.ssl_cert = uri.Option("ssl-cert");
  settings.ssl_key = uri.Option("ssl-key");
  settings.ssl_cipher = uri.Option("ssl-cipher");
  settings.ssl_crl = uri.Option("ssl-crl");
  return settings;
}

bool TlsRequired(MySqlSslMode mode) {
  return mode == MySqlSslMode::kRequired || mode == MySqlSslMode::kVerifyCa || mode == MySqlSslMode::kVerifyIdentity;
}

// Whether TLS is tried at all: an explicit mode other than DISABLED, or (no
// mode) any TLS file given, as the mysql client does.
bool TlsWanted(const MySqlSettings& settings) {
  if (settings.ssl_mode == MySqlSslMode::kDisabled) return false;
  if (settings.ssl_mode != MySqlSslMode::kUnset) return true;
  return !settings.ssl_ca.empty() || !settings.ssl_capath.empty() || !settings.ssl_cert.empty() ||
         !settings.ssl_key.empty();
}

const char* OrNull(const std::string& text) { return text.empty() ? nullptr : text.c_str(); }

// libmariadb's settings. Connector/C checks the server certificate against
// the CA whenever a CA is given (VERIFY_CA), and MYSQL_OPT_SSL_VERIFY_SERVER_CERT
// adds the host name check (VERIFY_IDENTITY).
void ApplyMySqlOptions(MYSQL* connection, const MySqlSettings& settings) {
  mysql_optionsv(connection, MYSQL_OPT_CONNECT_TIMEOUT, &settings.connect_timeout);
  mysql_optionsv(connection, MYSQL_SET_CHARSET_NAME, "utf8mb4");
  if (!settings.defaults_file.empty()) mysql_optionsv(connection, MYSQL_READ_DEFAULT_FILE, settings.defaults_file.c_str());
  // Reading a group reads [client] too (and the default files when no
  // defaults-file is given).
  mysql_optionsv(connection, MYSQL_READ_DEFAULT_GROUP,
                 settings.defaults_group.empty() ? "client" : settings.defaults_group.c_str());
  if (!settings.ssl_ca.empty()) mysql_optionsv(connection, MYSQL_OPT_SSL_CA, settings.ssl_ca.c_str());
  if (!settings.ssl_capath.empty()) mysql_optionsv(connection, MYSQL_OPT_SSL_CAPATH, settings.ssl_capath.c_str());
  if (!settings.ssl_cert.empty()) mysql_optionsv(connection, MYSQL_OPT_SSL_CERT, settings.ssl_cert.c_str());
  if (!settings.ssl_key.empty()) mysql_optionsv(connection, MYSQL_OPT_SSL_KEY, settings.ssl_key.c_str());
  if (!settings.ssl_cipher.empty()) mysql_optionsv(connection, MYSQL_OPT_SSL_CIPHER, settings.ssl_cipher.c_str());
  if (!settings.ssl_crl.empty()) mysql_optionsv(connection, MYSQL_OPT_SSL_CRL, settings.ssl_crl.c_str());
  if (TlsWanted(settings)) {
    my_bool enforce = TlsRequired(settings.ssl_mode) ? 1 : 0;
    // ENFORCE turns TLS on; PREFERRED turns it on without refusing a server
    // that has none (mysql_ssl_set marks the connection as wanting TLS).
    if (enforce) {
      mysql_optionsv(connection, MYSQL_OPT_SSL_ENFORCE, &enforce);
    } else {
      mysql_ssl_set(connection, OrNull(settings.ssl_key), OrNull(settings.ssl_cert), OrNull(settings.ssl_ca),
                    OrNull(settings.ssl_capath), OrNull(settings.ssl_cipher));
    }
  }
  my_bool verify = settings.ssl_mode == MySqlSslMode::kVerifyIdentity ? 1 : 0;
  if (settings.ssl_mode != MySqlSslMode::kUnset) {
    mysql_optionsv(connection, MYSQL_OPT_SSL_VERIFY_SERVER_CERT, &verify);
  }
}

}  // namespace

bool MySqlRequiresTls(const ConnectionUri& uri) { return TlsRequired(uri.ssl_mode); }

Error MySqlConnectError(const ConnectionUri& uri, const std::string& message, unsigned int code) {
  return Error(ErrorCategory::kSource, "cannot connect to " + uri.Redacted() + ": " + message)
      .WithMySqlError(code)
      .Unreachable(IsMySqlLoginFailure(code));
}

st_mysql* OpenMySql(const ConnectionUri& uri) {
  MySqlSettings settings = ResolveMySql(uri);
  MYSQL* connection = mysql_init(nullptr);
  if (connection == nullptr) throw Error(ErrorCategory::kSource, "mysql_init failed (out of memory)");
  ApplyMySqlOptions(connection, settings);
  if (mysql_real_connect(connection, settings.host.c_str(), OrNull(settings.user),
                         settings.has_password ? settings.password.c_str() : nullptr, OrNull(settings.database),
                         settings.port, nullptr, 0) == nullptr) {
    std::string message = mysql_error(connection);
    unsigned int code = mysql_errno(connection);
    mysql_close(connection);
    throw MySqlConnectError(uri, message, code);
  }
  if (TlsRequired(settings.ssl_mode) && mysql_get_ssl_cipher(connection) == nullptr) {
    mysql_close(connection);
    throw MySqlConnectError(uri, "the connection is not encrypted, but ssl-mode asks for TLS", 2026);
  }
  return connection;
}

sql::ConnectOptionsMap MySqlConnectorOptions(const ConnectionUri& uri) {
  MySqlSettings settings = ResolveMySql(uri);
  sql::ConnectOptionsMap options;
  options["hostName"] = sql::SQLString(settings.host);
  if (settings.port != 0) options["port"] = static_cast<int>(settings.port);
  if (!settings.user.empty()) options["userName"] = sql::SQLString(settings.user);
  // Without a "password" option Connector/C++ gives libmariadb none, so the
  // option files' applies (tested: SecretsTest, way "files").
  if (settings.has_password) options["password"] = sql::SQLString(settings.password);
  if (!settings.database.empty()) options["schema"] = sql::SQLString(settings.database);
  options["OPT_RECONNECT"] = false;
  options["OPT_CONNECT_TIMEOUT"] = static_cast<int>(settings.connect_timeout);
  options["OPT_CHARSET_NAME"] = sql::SQLString("utf8mb4");
  if (!settings.defaults_file.empty()) options["readDefaultFile"] = sql::SQLString(settings.defaults_file);
  options["readDefaultGroup"] = sql::SQLString(settings.defaults_group.empty() ? "client" : settings.defaults_group);
  if (!settings.ssl_ca.empty()) options["sslCA"] = sql::SQLString(settings.ssl_ca);
  if (!settings.ssl_capath.empty()) options["sslCAPath"] = sql::SQLString(settings.ssl_capath);
  if (!settings.ssl_cert.empty()) options["sslCert"] = sql::SQLString(settings.ssl_cert);
  if (!settings.ssl_key.empty()) options["sslKey"] = sql::SQLString(settings.ssl_key);
  if (!settings.ssl_cipher.empty()) options["sslCipher"] = sql::SQLString(settings.ssl_cipher);
  if (!settings.ssl_crl.empty()) options["sslCRL"] = sql::SQLString(settings.ssl_crl);
  if (TlsWanted(settings)) options["sslEnforce"] = TlsRequired(settings.ssl_mode);
  if (settings.ssl_mode != MySqlSslMode::kUnset) {
    options["sslVerify"] = settings.ssl_mode == MySqlSslMode::kVerifyIdentity;
  }
  return options;
}

std::string PgConninfo(const ConnectionUri& uri) {
  std::string conninfo = uri.ToPinnedConninfo();
  char* error = nullptr;
  PQconninfoOption* parsed = PQconninfoParse(conninfo.c_str(), &error);
  if (parsed == nullptr) {
    // The only way a conninfo my2pg built fails to parse is a keyword libpq
    // does not know (the values are quoted): name it and the accepted ones.
    std::string message = error != nullptr ? TrimTrailingSpace(error) : "out of memory";
    PQfreemem(error);
    std::vector<std::string> keywords;
    if (PQconninfoOption* defaults = PQconndefaults()) {
      for (PQconninfoOption* option = defaults; option->keyword != nullptr; ++option) {
        keywords.push_back(option->keyword);
      }
      PQconninfoFree(defaults);
    }
    std::string suggestion;
    for (const auto& [key, value] : uri.options) {
      bool known = false;
      for (const std::string& keyword : keywords) known = known || keyword == key;
      if (!known) suggestion = "unknown option '" + key + "' for postgresql://" + DidYouMean(key, keywords);
    }
    throw Error(ErrorCategory::kUsage, "invalid connection URI: " +
                                           (suggestion.empty() ? message : suggestion) +
                                           "; libpq accepts: " + Join(keywords, ", "));
  }
  PQconninfoFree(parsed);
  // Named in pg_stat_activity (a DBA sees who runs what; an interruption
  // finds the statements to cancel), unless the URI names it otherwise.
  return conninfo + " fallback_application_name=my2pg";
}

}  // namespace my2pg
