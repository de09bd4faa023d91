// Fuzzes connection URI parsing (common/uri.h) on any bytes. Asserts:
// - Parse either accepts the text or throws Error(kUsage) with a message;
//   no other exception, no crash;
// - Redacted() does not depend on the password (the password never shows),
//   and parses back to the same user, host, port, database and options;
// - ToLibpqConninfo() means what the URI says: libpq's own parser
//   (PQconninfoParse) reads back exactly the URI's host, port, user,
//   password, database and options, so no part can inject a keyword.
#include <libpq-fe.h>

#include <cstdint>
#include <map>
#include <string>

#include "common/error.h"
#include "common/uri.h"
#include "tests/fuzz/fuzz_util.h"

namespace my2pg {
namespace {

void CheckRedacted(const ConnectionUri& uri) {
  std::string redacted = uri.Redacted();
  ConnectionUri other_password = uri;
  other_password.password = uri.password.empty() ? "" : (uri.password == "x" ? "y" : "x");
  FUZZ_CHECK(other_password.Redacted() == redacted, "the password shows in " + Printable(redacted));

  ConnectionUri back = ConnectionUri::Parse(redacted);
  // Secret options (sslpassword, ...) read back as "***".
  std::map<std::string, std::string> options = uri.options;
  for (auto& [key, value] : options) {
    if (IsSecretOptionKey(key)) value = "***";
  }
  FUZZ_CHECK(back.scheme == uri.scheme && back.user == uri.user && back.host == uri.host &&
                 back.port == uri.port && back.database == uri.database && back.options == options,
             "Redacted() does not read back: " + Printable(redacted));
  FUZZ_CHECK(back.password.empty() || back.password == "***", Printable(redacted));
}

void CheckConninfo(const ConnectionUri& uri) {
  std::map<std::string, std::string> expected;
  if (!uri.host.empty()) expected["host"] = uri.host;
  if (uri.port != 0) expected["port"] = std::to_string(uri.port);
  if (!uri.user.empty()) expected["user"] = uri.user;
  if (!uri.password.empty()) expected["password"] = uri.password;
  if (!uri.database.empty()) expected["dbname"] = uri.database;
  for (const auto& [key, value] : uri.options) {  // libpq: the last value wins
    if (key == "requiressl") {
      // libpq's deprecated alias: requiressl=1 is sslmode=require, any other
      // value sslmode=prefer (conninfo_storeval in fe-connect.c).
      expected["sslmode"] = !value.empty() && value[0] == '1' ? "require" : "prefer";
    } else {
      expected[key] = value;
    }
  }

  std::string conninfo = uri.ToLibpqConninfo();
  char* error = nullptr;
  PQconninfoOption* options = PQconninfoParse(conninfo.c_str(), &error);
  if (options == nullptr) {
    std::string message = error ? error : "out of memory";
    PQfreemem(error);
    // An option libpq does not know is refused at connect time with a clear
    // message; anything else means the conninfo is not what the URI said.
    FUZZ_CHECK(message.rfind("invalid connection option", 0) == 0,
               "libpq cannot read " + Printable(conninfo) + ": " + message);
    return;
  }
  std::map<std::string, std::string> actual;
  for (PQconninfoOption* option = options; option->keyword != nullptr; ++option) {
    if (option->val != nullptr) actual[option->keyword] = option->val;
  }
  PQconninfoFree(options);
  FUZZ_CHECK(actual == expected, "libpq reads another connection from " + Printable(conninfo));
}

}  // namespace
}  // namespace my2pg

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace my2pg;
  std::string text(reinterpret_cast<const char*>(data), size);
  ConnectionUri uri;
  try {
    uri = ConnectionUri::Parse(text);
  } catch (const Error& e) {
    FUZZ_CHECK(e.category() == ErrorCategory::kUsage && std::string(e.what()).size() > 0, e.what());
    return 0;
  }
  FUZZ_CHECK(uri.scheme == "mysql" || uri.scheme == "postgresql", uri.scheme);
  // PostgreSQL may leave the host to libpq (PGHOST, the unix socket).
  FUZZ_CHECK((!uri.host.empty() || uri.scheme == "postgresql") && uri.port >= 0 && uri.port <= 65535,
             Printable(text));
  CheckRedacted(uri);
  CheckConninfo(uri);
  for (const char* name : {"client_0001", "a{db}b", ""}) {
    ConnectionUri target = uri.ForDatabase(name);
    FUZZ_CHECK(uri.HasDatabasePlaceholder() || target.database == uri.database, Printable(text));
  }
  uri.ToPinnedConninfo();
  return 0;
}
