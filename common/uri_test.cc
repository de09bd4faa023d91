#include "common/uri.h"

#include <gtest/gtest.h>

#include "common/error.h"
#include "common/strings.h"

namespace my2pg {
namespace {

TEST(ConnectionUri, ParsesFullMysqlUri) {
  ConnectionUri uri = ConnectionUri::Parse("mysql://app:s%40cret@db.example:3307/client_1?ssl-mode=REQUIRED");
  EXPECT_EQ(uri.scheme, "mysql");
  EXPECT_EQ(uri.user, "app");
  EXPECT_EQ(uri.password, "s@cret");
  EXPECT_EQ(uri.host, "db.example");
  EXPECT_EQ(uri.port, 3307);
  EXPECT_EQ(uri.database, "client_1");
  EXPECT_EQ(uri.options.at("ssl-mode"), "REQUIRED");
}

TEST(ConnectionUri, AcceptsAliasesAndIpv6) {
  ConnectionUri uri = ConnectionUri::Parse("postgres://u@[::1]:5433/x");
  EXPECT_EQ(uri.scheme, "postgresql");
  EXPECT_EQ(uri.host, "::1");
  EXPECT_EQ(uri.port, 5433);
  EXPECT_EQ(ConnectionUri::Parse("mariadb://h").scheme, "mysql");
  EXPECT_EQ(ConnectionUri::Parse("mariadb://h").port, 0);
}

TEST(ConnectionUri, RedactedHidesPassword) {
  ConnectionUri uri = ConnectionUri::Parse("mysql://app:topsecret@h:1/db");
  EXPECT_EQ(uri.Redacted(), "mysql://app:***@h:1/db");
  EXPECT_EQ(uri.Redacted().find("topsecret"), std::string::npos);
}

TEST(ConnectionUri, ReplacesDatabasePlaceholder) {
  ConnectionUri uri = ConnectionUri::Parse("postgresql://u@h:5432/mig_{db}");
  ASSERT_TRUE(uri.HasDatabasePlaceholder());
  EXPECT_EQ(uri.ForDatabase("client_7").database, "mig_client_7");
  // Without {db}, the URI names the target database itself: the source name does not replace it.
  EXPECT_EQ(ConnectionUri::Parse("postgresql://u@h/newname").ForDatabase("e3").database, "newname");
  EXPECT_EQ(uri.WithDatabase("postgres").database, "postgres");  // the maintenance database, not mig_postgres
}

TEST(ConnectionUri, ConninfoQuotesValues) {
  ConnectionUri uri = ConnectionUri::Parse("postgresql://o'k:p%5Cw@h:5432/d%20b");
  EXPECT_EQ(uri.ToLibpqConninfo(), "host='h' port=5432 user='o\\'k' password='p\\\\w' dbname='d b'");
}

TEST(ConnectionUri, RejectsMalformedWithoutEchoingPassword) {
  const char* bad[] = {"localhost:3306", "ftp://h", "mysql://u@h:99999", "mysql://u@h:abc",
                       "mysql://u:pw%zz@h", "mysql://u@/db", "mysql://u@h/db?flag"};
  for (const char* text : bad) {
    try {
      ConnectionUri::Parse(text);
      FAIL() << "accepted " << text;
    } catch (const Error& e) {
      EXPECT_EQ(e.category(), ErrorCategory::kUsage) << text;
      EXPECT_EQ(std::string(e.what()).find("pw%zz"), std::string::npos);
    }
  }
}

// Found by tests/fuzz/uri_fuzz: libpq reads C strings, so a NUL cut the
// database name ("hote") and left the conninfo unterminated.
TEST(ConnectionUri, RejectsNulBytes) {
  const std::string bad[] = {std::string("mysql://root:s%40cret@127.0.0.1:13306/hote\0l_0801", 49),
                             "postgresql://u@h/a%00b", "postgresql://u:p%00w@h/d", "postgresql://u@h/d?application_name=%00"};
  for (const std::string& text : bad) {
    try {
      ConnectionUri::Parse(text);
      FAIL() << "accepted " << text;
    } catch (const Error& e) {
      EXPECT_EQ(e.category(), ErrorCategory::kUsage) << text;
      EXPECT_EQ(std::string(e.what()).find("s@cret"), std::string::npos);
    }
  }
}

// Found by tests/fuzz/uri_fuzz: an option name went into the conninfo
// unquoted, so "?x%3D1%20host=evil" connected to the host "evil".
TEST(ConnectionUri, RejectsOptionNamesThatAreNotWords) {
  const char* bad[] = {"postgresql://u@h/d?x%3D1%20host=evil", "postgresql://u@h/d?a%20b=c", "postgresql://u@h/d?=c"};
  for (const char* text : bad) EXPECT_THROW(ConnectionUri::Parse(text), Error) << text;
  ConnectionUri uri = ConnectionUri::Parse("postgresql://u@h/d?sslmode=require&connect_timeout=5");
  EXPECT_EQ(uri.ToLibpqConninfo(), "host='h' user='u' dbname='d' connect_timeout='5' sslmode='require'");
}

}  // namespace
}  // namespace my2pg

namespace my2pg {
namespace {

TEST(FileNameOf, NoNameClimbsOutOfItsDirectory) {
  EXPECT_EQ(FileNameOf("client"), "client");
  EXPECT_EQ(FileNameOf("../../etc/x"), "%2E.%2F..%2Fetc%2Fx");
  EXPECT_EQ(FileNameOf(".."), "%2E.");
  EXPECT_EQ(FileNameOf("a\\b%c\nd"), "a%5Cb%25c%0Ad");
  EXPECT_EQ(FileNameOf("été 2"), "été 2");
  EXPECT_EQ(FileNameOf(""), "%");
}

}  // namespace
}  // namespace my2pg

namespace my2pg {
namespace {

// A password with an unencoded '/' or ':' stays the password: it is never
// read as a host, a port or a database, so no message can show it.
TEST(ConnectionUri, PasswordWithSlashAndColonStaysThePassword) {
  ConnectionUri uri = ConnectionUri::Parse("mysql://mig:12345/x:y@db.example:3306");
  EXPECT_EQ(uri.user, "mig");
  EXPECT_EQ(uri.password, "12345/x:y");
  EXPECT_EQ(uri.host, "db.example");
  EXPECT_EQ(uri.port, 3306);
  EXPECT_EQ(uri.database, "");
  EXPECT_EQ(uri.Redacted().find("12345"), std::string::npos) << uri.Redacted();
  ConnectionUri pg = ConnectionUri::Parse("postgresql://app:p/w@pg:5432/tenant_{db}");
  EXPECT_EQ(pg.password, "p/w");
  EXPECT_EQ(pg.database, "tenant_{db}");
}

}  // namespace
}  // namespace my2pg

namespace my2pg {
namespace {

std::string ParseError(const std::string& text) {
  try {
    ConnectionUri::Parse(text);
  } catch (const Error& e) {
    EXPECT_EQ(e.category(), ErrorCategory::kUsage) << text;
    return e.what();
  }
  return "accepted";
}

// A password may hold '?', '@', '/' and ':' unencoded: the options start at
// the first '?' after the last '@'.
TEST(ConnectionUri, PasswordWithQuestionMarkStaysThePassword) {
  ConnectionUri uri = ConnectionUri::Parse("mysql://mig:a?b=c@d/e@db.example:3307/shop?ssl-mode=required");
  EXPECT_EQ(uri.password, "a?b=c@d/e");
  EXPECT_EQ(uri.host, "db.example");
  EXPECT_EQ(uri.port, 3307);
  EXPECT_EQ(uri.database, "shop");
  EXPECT_EQ(uri.Option("ssl-mode"), "REQUIRED");
  EXPECT_EQ(uri.ssl_mode, MySqlSslMode::kRequired);
  EXPECT_EQ(uri.Redacted(), "mysql://mig:***@db.example:3307/shop?ssl-mode=REQUIRED");
}

// "?password=" is the password on both sides, never an option that prints.
TEST(ConnectionUri, PasswordOptionIsThePassword) {
  ConnectionUri uri = ConnectionUri::Parse("postgresql://app@pg/d?password=s%3Fcr%26t&sslmode=verify-full");
  EXPECT_EQ(uri.password, "s?cr&t");
  EXPECT_EQ(uri.options.count("password"), 0u);
  EXPECT_EQ(uri.Redacted(), "postgresql://app:***@pg/d?sslmode=verify-full");
  EXPECT_EQ(ConnectionUri::Parse("mysql://app@h?password=x").password, "x");
  EXPECT_EQ(ParseError("mysql://app:one@h?password=two"),
            "invalid connection URI: the password is given twice (before '@' and as ?password=)");
  // Other secret options are masked.
  EXPECT_EQ(ConnectionUri::Parse("postgresql://u@h/d?sslpassword=k3y").Redacted(),
            "postgresql://u@h/d?sslpassword=***");
}

TEST(ConnectionUri, RefusesUnknownMysqlOptionsNamingTheAcceptedOnes) {
  EXPECT_EQ(ParseError("mysql://u@h?sslmode=REQUIRED"),
            "invalid connection URI: unknown option 'sslmode' for mysql:// (did you mean 'ssl-mode'?); accepted: "
            "password, connect-timeout, defaults-file, defaults-group, ssl-ca, ssl-capath, ssl-cert, ssl-cipher, "
            "ssl-crl, ssl-key, ssl-mode");
  EXPECT_EQ(ParseError("mysql://u@h?ssl-mode=ON"),
            "invalid connection URI: ssl-mode 'ON' is not one of DISABLED, PREFERRED, REQUIRED, VERIFY_CA, "
            "VERIFY_IDENTITY");
  EXPECT_EQ(ParseError("mysql://u@h?ssl-mode=verify_identity"),
            "invalid connection URI: ssl-mode=VERIFY_IDENTITY needs ssl-ca (or ssl-capath): the CA to verify the "
            "server with");
  EXPECT_EQ(ParseError("mysql://u@h?connect-timeout=soon"),
            "invalid connection URI: connect-timeout 'soon' is not a number of seconds (1-999999)");
  // The mysql client's spelling with '_' is the same option.
  ConnectionUri uri = ConnectionUri::Parse("mysql://u@h?ssl_ca=/ca.pem&SSL_MODE=verify_ca");
  EXPECT_EQ(uri.Option("ssl-ca"), "/ca.pem");
  EXPECT_EQ(uri.ssl_mode, MySqlSslMode::kVerifyCa);
}

// A URI that fails to parse never shows its secret part.
TEST(ConnectionUri, ParseErrorsNeverShowThePassword) {
  for (const char* text : {"mysql://u:hunter2?x", "mysql://hunter2:1@h:hunter2", "mysql://h:hunter2",
                           "mysql://u:hunter2@h?hunter2", "postgresql://hunter2@h:99999hunter2"}) {
    std::string message = ParseError(text);
    EXPECT_NE(message, "accepted") << text;
    EXPECT_EQ(message.find("hunter2"), std::string::npos) << message;
  }
}

}  // namespace
}  // namespace my2pg

namespace my2pg {
namespace {

// libpq's keyword/value form is a target as well as a URI is.
TEST(ConnectionUri, ReadsLibpqKeywordValue) {
  ConnectionUri uri = ConnectionUri::Parse(
      "host=pg.example port=5433 user=mig password='it\\'s \\'q\\' x' dbname=tenant_{db} sslmode=verify-full "
      "service=prod");
  EXPECT_EQ(uri.scheme, "postgresql");
  EXPECT_EQ(uri.host, "pg.example");
  EXPECT_EQ(uri.port, 5433);
  EXPECT_EQ(uri.user, "mig");
  EXPECT_EQ(uri.password, "it's 'q' x");
  EXPECT_EQ(uri.ForDatabase("a").database, "tenant_a");
  EXPECT_EQ(uri.Option("sslmode"), "verify-full");
  EXPECT_EQ(uri.Option("service"), "prod");
  EXPECT_EQ(uri.Redacted(), "postgresql://mig:***@pg.example:5433/tenant_{db}?service=prod&sslmode=verify-full");
  // Without a host, libpq chooses (PGHOST, the unix socket).
  ConnectionUri service = ConnectionUri::Parse("service=prod dbname=x");
  EXPECT_EQ(service.ToLibpqConninfo(), "dbname='x' service='prod'");
  EXPECT_EQ(ConnectionUri::Parse("postgresql:///x").ToLibpqConninfo(), "dbname='x'");
  EXPECT_EQ(ParseError("host=h dbname"), "invalid connection URI: a keyword has no value (expected KEY=VALUE ...)");
  EXPECT_EQ(ParseError("host=h password='unterminated"), "invalid connection URI: unterminated quoted value");
  // Found by tests/fuzz/uri_fuzz: a host that prints as another URI.
  EXPECT_EQ(ParseError("host='loc@gl:paost'"),
            "invalid connection URI: host must be a host name or an address (a socket directory or a list of "
            "hosts: PGHOST or a service file)");
  EXPECT_EQ(ConnectionUri::Parse("host=::1 dbname=d").Redacted(), "postgresql://[::1]/d");
}

}  // namespace
}  // namespace my2pg

namespace my2pg {
namespace {

TEST(MaskSecrets, HidesEveryPasswordKeepingTheLength) {
  const std::pair<std::string, std::string> cases[] = {
      {"mysql://app:s3cr?t@db:3306/x", "mysql://app:******@db:3306/x"},
      {"--source=mysql://app:a%40b@db", "--source=mysql://app:*****@db"},
      {"postgresql://u@h/d?sslmode=require&password=pw&x=1", "postgresql://u@h/d?sslmode=require&password=**&x=1"},
      {"host=h password='a b\\'c' dbname=d", "host=h password='******' dbname=d"},
      {"host=h PASSWORD = pw dbname=d", "host=h PASSWORD = ** dbname=d"},
      {"mysql://app@db/x", "mysql://app@db/x"},
      {"--databases", "--databases"},
  };
  for (const auto& [text, masked] : cases) {
    EXPECT_EQ(MaskSecrets(text), masked) << text;
    EXPECT_EQ(MaskSecrets(text).size(), text.size());
  }
}

// Found by tests/fuzz/uri_fuzz: "[[]" parsed as the host "[", which the
// redacted URI printed bare and could not read back.
TEST(ConnectionUri, RejectsBracketsInsideTheHost) {
  const char* bad[] = {"postgresql://u@[[]:5432/d", "postgresql://u@[a[b]/d", "mysql://u@a]b/d"};
  for (const char* text : bad) {
    try {
      ConnectionUri::Parse(text);
      FAIL() << "accepted " << text;
    } catch (const Error& e) {
      EXPECT_STREQ(e.what(), "invalid connection URI: a bracket inside the host") << text;
    }
  }
}

}  // namespace
}  // namespace my2pg
