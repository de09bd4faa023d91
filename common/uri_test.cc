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
