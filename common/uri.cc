#include "common/uri.h"

#include <cctype>
#include <cstdlib>

#include "common/error.h"
#include "common/strings.h"
#include "common/suggest.h"

namespace my2pg {

const std::vector<std::string> kMySqlOptionKeys = {
    "connect-timeout", "defaults-file", "defaults-group", "ssl-ca",  "ssl-capath",
    "ssl-cert",        "ssl-cipher",    "ssl-crl",        "ssl-key", "ssl-mode",
};

bool IsSecretOptionKey(const std::string& key) {
  std::string lower;
  for (char c : key) lower += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return lower.find("password") != std::string::npos || lower.find("passphrase") != std::string::npos ||
         lower == "pwd" || lower == "passwd";
}

std::string MaskSecrets(const std::string& text) {
  std::string out = text;
  // The user part of every URI: from the ':' after the user to the last '@'.
  for (size_t scheme = out.find("://"); scheme != std::string::npos; scheme = out.find("://", scheme + 3)) {
    size_t start = scheme + 3;
    size_t end = out.find(' ', start);  // a libpq string may follow
    if (end == std::string::npos) end = out.size();
    size_t at = out.rfind('@', end - 1);
    if (at == std::string::npos || at < start) continue;
    size_t colon = out.find(':', start);
    if (colon == std::string::npos || colon > at) continue;
    for (size_t i = colon + 1; i < at; ++i) out[i] = '*';
  }
  // password=VALUE: up to '&' or a space, or within single quotes.
  std::string lower = out;
  for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  for (size_t key = lower.find("password"); key != std::string::npos; key = lower.find("password", key + 8)) {
    size_t i = key + 8;
    while (i < out.size() && out[i] == ' ') ++i;
    if (i == out.size() || out[i] != '=') continue;
    ++i;
    while (i < out.size() && out[i] == ' ') ++i;
    bool quoted = i < out.size() && out[i] == '\'';
    if (quoted) ++i;
    for (; i < out.size(); ++i) {
      if (quoted ? out[i] == '\'' : (out[i] == '&' || out[i] == ' ')) break;
      if (quoted && out[i] == '\\' && i + 1 < out.size()) out[i++] = '*';
      out[i] = '*';
    }
  }
  return out;
}

namespace {

[[noreturn]] void Fail(const std::string& what) {
  throw Error(ErrorCategory::kUsage, "invalid connection URI: " + what);
}

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

std::string PercentDecode(const std::string& text, const char* part) {
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] != '%') {
      out += text[i];
      continue;
    }
    int high = i + 2 < text.size() ? HexValue(text[i + 1]) : -1;
    int low = i + 2 < text.size() ? HexValue(text[i + 2]) : -1;
    if (high < 0 || low < 0) Fail(std::string("bad percent-encoding in ") + part);
    // libpq and the MySQL client read C strings: a NUL would cut the value.
    if (high == 0 && low == 0) Fail(std::string("%00 in ") + part);
    out += static_cast<char>(high * 16 + low);
    i += 2;
  }
  return out;
}

std::string PercentEncode(const std::string& text) {
  static const char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : text) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~' || c == '{' || c == '}') {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 15];
    }
  }
  return out;
}

// Quotes a libpq conninfo value: single quotes, with \ and ' escaped.
std::string ConninfoValue(const std::string& value) {
  std::string out = "'";
  for (char c : value) {
    if (c == '\\' || c == '\'') out += '\\';
    out += c;
  }
  return out + "'";
}

// The canonical spelling of a mysql:// option ('_' read as '-', lower case);
// refuses an unknown key, naming the accepted ones.
std::string MySqlOptionKey(const std::string& given) {
  std::string key;
  for (char c : given) key += c == '_' ? '-' : static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  for (const std::string& accepted : kMySqlOptionKeys) {
    if (key == accepted) return key;
  }
  Fail("unknown option '" + given + "' for mysql://" + DidYouMean(key, kMySqlOptionKeys) +
       "; accepted: password, " + Join(kMySqlOptionKeys, ", "));
}

void ValidateMySqlOptions(ConnectionUri& uri) {
  static const std::vector<std::pair<std::string, MySqlSslMode>> kModes = {
      {"DISABLED", MySqlSslMode::kDisabled},   {"PREFERRED", MySqlSslMode::kPreferred},
      {"REQUIRED", MySqlSslMode::kRequired},   {"VERIFY_CA", MySqlSslMode::kVerifyCa},
      {"VERIFY_IDENTITY", MySqlSslMode::kVerifyIdentity},
  };
  auto mode = uri.options.find("ssl-mode");
  if (mode != uri.options.end()) {
    std::string upper;
    for (char c : mode->second) upper += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    bool known = false;
    for (const auto& [name, value] : kModes) {
      if (upper == name) {
        uri.ssl_mode = value;
        known = true;
      }
    }
    if (!known) {
      Fail("ssl-mode '" + mode->second +
           "' is not one of DISABLED, PREFERRED, REQUIRED, VERIFY_CA, VERIFY_IDENTITY");
    }
    mode->second = upper;
  }
  if ((uri.ssl_mode == MySqlSslMode::kVerifyCa || uri.ssl_mode == MySqlSslMode::kVerifyIdentity) &&
      uri.Option("ssl-ca").empty() && uri.Option("ssl-capath").empty()) {
    Fail("ssl-mode=" + uri.options["ssl-mode"] + " needs ssl-ca (or ssl-capath): the CA to verify the server with");
  }
  auto timeout = uri.options.find("connect-timeout");
  if (timeout != uri.options.end()) {
    const std::string& text = timeout->second;
    if (text.empty() || text.size() > 6 || text.find_first_not_of("0123456789") != std::string::npos ||
        std::stoi(text) == 0) {
      Fail("connect-timeout '" + text + "' is not a number of seconds (1-999999)");
    }
  }
}

// libpq's keyword/value form ("host=h dbname='my db' sslmode=verify-full"),
// read as libpq reads it: values unquoted up to a space, or in single quotes;
// a backslash escapes the next character.
ConnectionUri ParseKeywordValue(const std::string& text) {
  ConnectionUri result;
  result.scheme = "postgresql";
  size_t i = 0;
  auto skip_space = [&] {
    while (i < text.size() && std::isspace(static_cast<unsigned char>(text[i]))) ++i;
  };
  while (true) {
    skip_space();
    if (i == text.size()) break;
    size_t key_start = i;
    while (i < text.size() && text[i] != '=' && !std::isspace(static_cast<unsigned char>(text[i]))) ++i;
    std::string key = text.substr(key_start, i - key_start);
    skip_space();
    if (i == text.size() || text[i] != '=') Fail("a keyword has no value (expected KEY=VALUE ...)");
    ++i;
    skip_space();
    std::string value;
    if (i < text.size() && text[i] == '\'') {
      ++i;
      while (true) {
        if (i == text.size()) Fail("unterminated quoted value");
        char c = text[i++];
        if (c == '\'') break;
        if (c == '\\' && i < text.size()) c = text[i++];
        value += c;
      }
    } else {
      while (i < text.size() && !std::isspace(static_cast<unsigned char>(text[i]))) {
        char c = text[i++];
        if (c == '\\' && i < text.size()) c = text[i++];
        value += c;
      }
    }
    if (key.empty() || key.find_first_not_of("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
                                             "0123456789_-") != std::string::npos) {
      Fail("a keyword is not a word (letters, digits, _ and -)");
    }
    if (key == "host") {
      // A name or an address, as in a URI. Found by tests/fuzz/uri_fuzz:
      // "host='a@b:c'" printed as a URI that read back as another host.
      // Socket directories and host lists: PGHOST or a service file.
      bool ipv6 = value.find(':') != std::string::npos &&
                  value.find_first_not_of("0123456789abcdefABCDEF:.") == std::string::npos;
      if (!ipv6 && value.find_first_not_of("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-_") !=
                       std::string::npos) {
        Fail("host must be a host name or an address (a socket directory or a list of hosts: PGHOST or a service "
             "file)");
      }
      result.host = value;
    } else if (key == "port") {
      if (value.empty() || value.size() > 5 || value.find_first_not_of("0123456789") != std::string::npos ||
          std::stoi(value) == 0 || std::stoi(value) > 65535) {
        Fail("the port is not a number in 1-65535");
      }
      result.port = std::stoi(value);
    } else if (key == "user") {
      result.user = value;
    } else if (key == "password") {
      result.password = value;
    } else if (key == "dbname") {
      result.database = value;
    } else {
      result.options[key] = value;
    }
  }
  return result;
}

}  // namespace

ConnectionUri ConnectionUri::Parse(const std::string& uri) {
  ConnectionUri result;
  if (uri.find('\0') != std::string::npos) Fail("a NUL byte");
  size_t scheme_end = uri.find("://");
  // libpq's keyword/value form: PostgreSQL only.
  if (scheme_end == std::string::npos && uri.find('=') != std::string::npos) return ParseKeywordValue(uri);
  if (scheme_end == std::string::npos) Fail("expected SCHEME://USER@HOST[:PORT][/DATABASE]");
  result.scheme = uri.substr(0, scheme_end);
  if (result.scheme == "postgres") result.scheme = "postgresql";
  if (result.scheme == "mariadb") result.scheme = "mysql";
  if (result.scheme != "mysql" && result.scheme != "postgresql") {
    Fail("unknown scheme '" + result.scheme + "' (expected mysql:// or postgresql://)");
  }
  std::string rest = uri.substr(scheme_end + 3);

  // The user part ends at the last '@', so that a password with an
  // unencoded '/', ':', '@' or '?' stays the password (and is never shown as
  // a host, a port, a database or an option in a message).
  size_t at = rest.rfind('@');
  std::string userinfo;
  if (at != std::string::npos) {
    userinfo = rest.substr(0, at);
    rest = rest.substr(at + 1);
  }

  size_t query_start = rest.find('?');
  if (query_start != std::string::npos) {
    std::string query = rest.substr(query_start + 1);
    rest.resize(query_start);
    size_t pos = 0;
    while (pos <= query.size()) {
      size_t amp = query.find('&', pos);
      if (amp == std::string::npos) amp = query.size();
      std::string pair = query.substr(pos, amp - pos);
      if (!pair.empty()) {
        size_t eq = pair.find('=');
        if (eq == std::string::npos) Fail("an option has no value (expected ?KEY=VALUE&...)");
        std::string key = PercentDecode(pair.substr(0, eq), "option");
        // The key goes into libpq's conninfo unquoted (keywords cannot be
        // quoted): a space or '=' in it would add another keyword.
        if (key.empty() || key.find_first_not_of("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
                                                 "0123456789_-") != std::string::npos) {
          Fail("an option name is not a word (letters, digits, _ and -)");
        }
        std::string value = PercentDecode(pair.substr(eq + 1), "option");
        if (key == "password") {
          if (!result.password.empty()) Fail("the password is given twice (before '@' and as ?password=)");
          result.password = value;
        } else {
          if (result.scheme == "mysql") key = MySqlOptionKey(key);
          result.options[key] = value;
        }
      }
      pos = amp + 1;
    }
  }

  size_t path_start = rest.find('/');
  if (path_start != std::string::npos) {
    result.database = PercentDecode(rest.substr(path_start + 1), "database");
    rest.resize(path_start);
  }

  if (at != std::string::npos) {
    size_t colon = userinfo.find(':');
    if (colon != std::string::npos) {
      if (!result.password.empty()) Fail("the password is given twice (before '@' and as ?password=)");
      result.password = PercentDecode(userinfo.substr(colon + 1), "password");
      userinfo.resize(colon);
    }
    result.user = PercentDecode(userinfo, "user");
  }

  std::string port_text;
  if (!rest.empty() && rest[0] == '[') {  // [IPv6]
    size_t close = rest.find(']');
    if (close == std::string::npos) Fail("unclosed '[' in host");
    result.host = rest.substr(1, close - 1);
    if (close + 1 < rest.size()) {
      if (rest[close + 1] != ':') Fail("unexpected text after ']'");
      port_text = rest.substr(close + 2);
    }
  } else {
    size_t colon = rest.find(':');
    result.host = rest.substr(0, colon);
    if (colon != std::string::npos) port_text = rest.substr(colon + 1);
  }
  // No host name or address holds a bracket; "[[]" would name host "[".
  if (result.host.find_first_of("[]") != std::string::npos) Fail("a bracket inside the host");
  // PostgreSQL without a host: libpq's default (PGHOST, the unix socket).
  if (result.host.empty() && result.scheme == "mysql") Fail("no host");
  if (!port_text.empty()) {
    for (char c : port_text) {
      if (!std::isdigit(static_cast<unsigned char>(c))) Fail("the port is not a number");
    }
    if (port_text.size() > 5 || std::stoi(port_text) == 0 || std::stoi(port_text) > 65535) {
      Fail("the port is out of range (1-65535)");
    }
    result.port = std::stoi(port_text);
  }
  if (result.scheme == "mysql") ValidateMySqlOptions(result);
  return result;
}

std::string ConnectionUri::Redacted() const {
  std::string out = scheme + "://";
  if (!user.empty()) out += PercentEncode(user) + (password.empty() ? "@" : ":***@");
  out += host.find(':') != std::string::npos ? "[" + host + "]" : host;
  if (port != 0) out += ":" + std::to_string(port);
  if (!database.empty()) out += "/" + PercentEncode(database);
  char separator = '?';
  for (const auto& [key, value] : options) {
    out += separator + PercentEncode(key) + "=" + (IsSecretOptionKey(key) ? "***" : PercentEncode(value));
    separator = '&';
  }
  return out;
}

bool ConnectionUri::HasDatabasePlaceholder() const {
  return database.find("{db}") != std::string::npos;
}

ConnectionUri ConnectionUri::ForDatabase(const std::string& name) const {
  ConnectionUri copy = *this;
  for (size_t placeholder = copy.database.find("{db}"); placeholder != std::string::npos;
       placeholder = copy.database.find("{db}", placeholder + name.size())) {
    copy.database.replace(placeholder, 4, name);
  }
  return copy;
}

std::string ConnectionUri::ToLibpqConninfo() const {
  std::string out;
  if (!host.empty()) out += "host=" + ConninfoValue(host);
  if (port != 0) out += " port=" + std::to_string(port);
  if (!user.empty()) out += " user=" + ConninfoValue(user);
  if (!password.empty()) out += " password=" + ConninfoValue(password);
  if (!database.empty()) out += " dbname=" + ConninfoValue(database);
  for (const auto& [key, value] : options) out += " " + key + "=" + ConninfoValue(value);
  if (!out.empty() && out[0] == ' ') out.erase(0, 1);
  return out;
}

std::string ConnectionUri::ToPinnedConninfo() const {
  std::string server_options;
  auto given = options.find("options");
  if (given != options.end()) {
    server_options = given->second + " ";
  } else if (const char* env = std::getenv("PGOPTIONS")) {
    server_options = std::string(env) + " ";  // the keyword below replaces PGOPTIONS: keep it
  }
  server_options += "-c TimeZone=UTC -c DateStyle=ISO,YMD -c IntervalStyle=postgres -c extra_float_digits=3";
  // libpq takes the last value of a repeated keyword.
  return ToLibpqConninfo() + " client_encoding=UTF8 options=" + ConninfoValue(server_options);
}

}  // namespace my2pg
