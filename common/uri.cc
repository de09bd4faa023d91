#include "common/uri.h"

#include <cctype>
#include <cstdlib>

#include "common/error.h"

namespace my2pg {
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

}  // namespace

ConnectionUri ConnectionUri::Parse(const std::string& uri) {
  ConnectionUri result;
  if (uri.find('\0') != std::string::npos) Fail("a NUL byte");
  size_t scheme_end = uri.find("://");
  if (scheme_end == std::string::npos) Fail("expected SCHEME://USER@HOST[:PORT][/DATABASE]");
  result.scheme = uri.substr(0, scheme_end);
  if (result.scheme == "postgres") result.scheme = "postgresql";
  if (result.scheme == "mariadb") result.scheme = "mysql";
  if (result.scheme != "mysql" && result.scheme != "postgresql") {
    Fail("unknown scheme '" + result.scheme + "' (expected mysql:// or postgresql://)");
  }
  std::string rest = uri.substr(scheme_end + 3);

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
        if (eq == std::string::npos) Fail("option '" + pair + "' has no value");
        std::string key = PercentDecode(pair.substr(0, eq), "option");
        // The key goes into libpq's conninfo unquoted (keywords cannot be
        // quoted): a space or '=' in it would add another keyword.
        if (key.empty() || key.find_first_not_of("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
                                                 "0123456789_-") != std::string::npos) {
          Fail("option name '" + key + "' is not a word (letters, digits, _ and -)");
        }
        result.options[key] = PercentDecode(pair.substr(eq + 1), "option");
      }
      pos = amp + 1;
    }
  }

  // The user part ends at the last '@', so that a password with an
  // unencoded '/' or ':' stays the password (and is never shown as a host,
  // a port or a database in a message).
  size_t at = rest.rfind('@');
  std::string userinfo;
  if (at != std::string::npos) {
    userinfo = rest.substr(0, at);
    rest = rest.substr(at + 1);
  }
  size_t path_start = rest.find('/');
  if (path_start != std::string::npos) {
    result.database = PercentDecode(rest.substr(path_start + 1), "database");
    rest.resize(path_start);
  }

  if (at != std::string::npos) {
    size_t colon = userinfo.find(':');
    if (colon != std::string::npos) {
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
  if (result.host.empty()) Fail("no host");
  if (!port_text.empty()) {
    for (char c : port_text) {
      if (!std::isdigit(static_cast<unsigned char>(c))) Fail("port '" + port_text + "' is not a number");
    }
    if (port_text.size() > 5 || std::stoi(port_text) == 0 || std::stoi(port_text) > 65535) {
      Fail("port '" + port_text + "' is out of range");
    }
    result.port = std::stoi(port_text);
  }
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
    out += separator + PercentEncode(key) + "=" + PercentEncode(value);
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
  std::string out = "host=" + ConninfoValue(host);
  if (port != 0) out += " port=" + std::to_string(port);
  if (!user.empty()) out += " user=" + ConninfoValue(user);
  if (!password.empty()) out += " password=" + ConninfoValue(password);
  if (!database.empty()) out += " dbname=" + ConninfoValue(database);
  for (const auto& [key, value] : options) out += " " + key + "=" + ConninfoValue(value);
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
