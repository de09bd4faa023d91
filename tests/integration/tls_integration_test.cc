// TLS against the sandbox (scripts/sandbox gives both servers a certificate
// for localhost / 127.0.0.1 signed by a throwaway CA in $MY2PG_TLS_DIR):
// every connection my2pg opens honours ssl-mode / sslmode, TLS is checked to
// be in effect on the server side, and a wrong CA or host name is refused
// with exit 3 and the connector's reason.
#include <cppconn/resultset.h>
#include <libpq-fe.h>
#include <unistd.h>

#include <fstream>
#include <string>

#include "adapters/copy_writer.h"
#include "adapters/mysql_session.h"
#include "adapters/mysql_stream.h"
#include "adapters/pg_session.h"
#include "common/error.h"
#include "tests/integration/test_env.h"

namespace my2pg {
namespace {

std::string TlsFile(const std::string& name) { return Env("MY2PG_TLS_DIR") + "/" + name; }

// The sandbox source, with "options" (mysql:// keys) added.
std::string Source(const std::string& host, const std::string& options) {
  ConnectionUri uri = ConnectionUri::Parse(Env("MY2PG_SOURCE"));
  return "mysql://" + uri.user + "@" + host + ":" + std::to_string(uri.port) + "?" + options;
}

std::string Target(const std::string& host, const std::string& options) {
  ConnectionUri uri = ConnectionUri::Parse(Env("MY2PG_TARGET"));
  return "postgresql://" + uri.user + "@" + host + ":" + std::to_string(uri.port) + "/{db}?" + options;
}

std::string VerifyIdentity(const std::string& ca = "ca.pem") {
  return "ssl-mode=VERIFY_IDENTITY&ssl-ca=" + TlsFile(ca);
}
std::string VerifyFull(const std::string& ca = "ca.pem") { return "sslmode=verify-full&sslrootcert=" + TlsFile(ca); }

// A name of this machine that resolves to 127.0.0.1 but is not in the
// sandbox certificate (which names localhost and 127.0.0.1).
std::string OtherLoopbackName() {
  char name[256] = {};
  gethostname(name, sizeof(name) - 1);
  CommandResult resolved = RunCommand(std::string("getent ahostsv4 ") + name + " | head -n 1");
  if (resolved.output.rfind("127.0.0.1", 0) != 0) return "";
  return name;
}

class TlsTest : public testing::Test {
 protected:
  static void SetUpTestSuite() {
    MySqlDriverInit();
    CreateSampleTenants("tls_", 1);
    // An account that can only log in over TLS.
    CommandResult created = RunCommand(
        "scripts/sandbox mysql -e \"CREATE USER IF NOT EXISTS 'my2pg_tls'@'127.0.0.1' IDENTIFIED BY 'tls-only' "
        "REQUIRE SSL; GRANT SELECT, SHOW VIEW, LOCK TABLES ON tls_0001.* TO 'my2pg_tls'@'127.0.0.1'\"");
    ASSERT_EQ(created.exit_code, 0) << created.output;
  }
};

TEST_F(TlsTest, EveryMySqlConnectionUsesTls) {
  ConnectionUri uri = ConnectionUri::Parse(Source("127.0.0.1", VerifyIdentity()));
  MySqlSession session(uri);
  auto cipher = session.Query("SHOW SESSION STATUS LIKE 'Ssl_cipher'");
  ASSERT_TRUE(cipher->next());
  EXPECT_NE(cipher->getString(2).asStdString(), "");
  MySqlStream stream(uri);
  EXPECT_NE(stream.QueryValue("SELECT VARIABLE_VALUE FROM information_schema.SESSION_STATUS "
                              "WHERE VARIABLE_NAME = 'SSL_CIPHER'"),
            "");
  // Without ssl-mode, the sandbox's plain connection stays plain.
  MySqlStream plain(ConnectionUri::Parse(Env("MY2PG_SOURCE")));
  EXPECT_EQ(plain.QueryValue("SELECT VARIABLE_VALUE FROM information_schema.SESSION_STATUS "
                             "WHERE VARIABLE_NAME = 'SSL_CIPHER'"),
            "");
  MySqlStream disabled(ConnectionUri::Parse(Source("127.0.0.1", "ssl-mode=DISABLED&ssl-ca=" + TlsFile("ca.pem"))));
  EXPECT_EQ(disabled.QueryValue("SELECT VARIABLE_VALUE FROM information_schema.SESSION_STATUS "
                                "WHERE VARIABLE_NAME = 'SSL_CIPHER'"),
            "");
}

TEST_F(TlsTest, EveryPostgresConnectionUsesTls) {
  ConnectionUri uri = ConnectionUri::Parse(Target("localhost", VerifyFull())).WithDatabase("postgres");
  PgSession session(uri);
  EXPECT_EQ(session.QueryValue("SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()"), "t");
  CopyConnection copy(uri);
  EXPECT_EQ(PQsslInUse(copy.get()), 1);
  PgSession disabled(ConnectionUri::Parse(Target("localhost", "sslmode=disable")).WithDatabase("postgres"));
  EXPECT_EQ(disabled.QueryValue("SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()"), "f");
}

TEST_F(TlsTest, MigratesWithFullVerificationOnBothSides) {
  CommandResult run = RunMy2pg("migrate --source '" + Source("127.0.0.1", VerifyIdentity()) + "' --target '" +
                               Target("localhost", VerifyFull()) + "' --databases tls_0001 --replace --reject-dir " +
                               Out("tls-rejects"));
  ASSERT_EQ(run.exit_code, 0) << run.output;
  PgSession db = my2pg::Target("tls_0001");
  EXPECT_EQ(db.QueryValue("SELECT count(*) FROM client"), "3");
  EXPECT_EQ(db.QueryValue("SELECT count(*) FROM journal"), "5");
}

TEST_F(TlsTest, AccountRequiringSslConnectsOnlyOverTls) {
  std::string source = "mysql://my2pg_tls:tls-only@127.0.0.1:" +
                       std::to_string(ConnectionUri::Parse(Env("MY2PG_SOURCE")).port);
  CommandResult over_tls =
      RunMy2pg("catalog --source '" + source + "?ssl-mode=REQUIRED' --database tls_0001 -o " + Out("tls-catalog.json"));
  EXPECT_EQ(over_tls.exit_code, 0) << over_tls.output;
  CommandResult plain = RunMy2pg("catalog --source '" + source + "?ssl-mode=DISABLED' --database tls_0001");
  EXPECT_EQ(plain.exit_code, 3) << plain.output;
  EXPECT_NE(plain.output.find("cannot connect to mysql://my2pg_tls:***@127.0.0.1:"), std::string::npos)
      << plain.output;
  EXPECT_NE(plain.output.find("Access denied for user 'my2pg_tls'"), std::string::npos) << plain.output;
  EXPECT_EQ(plain.output.find("tls-only"), std::string::npos) << plain.output;
}

// A MariaDB of its own, without TLS, on the sandbox's port + 50; removed
// when the test ends.
class PlainMariaDb {
 public:
  PlainMariaDb()
      : port_(ConnectionUri::Parse(Env("MY2PG_SOURCE")).port + 50),
        env_("MY2PG_SANDBOX_DIR=" + Out("plain-mariadb") + " MY2PG_MYSQL_PORT=" + std::to_string(port_) +
             " MY2PG_SANDBOX_TLS=off ") {
    started_ = RunCommand(env_ + "scripts/sandbox start-mariadb");
  }
  ~PlainMariaDb() { RunCommand(env_ + "scripts/sandbox destroy"); }
  const CommandResult& started() const { return started_; }
  // The source account on it (MYSQL_PWD gives the password), with "options".
  std::string Source(const std::string& options) const {
    return "mysql://my2pg@127.0.0.1:" + std::to_string(port_) + "?" + options;
  }

 private:
  int port_;
  std::string env_;
  CommandResult started_;
};

// PREFERRED uses TLS where the server offers it and connects in plain text
// where it does not; REQUIRED refuses such a server.
TEST_F(TlsTest, PreferredConnectsInPlainTextToAServerWithoutTls) {
  const char* kCipher = "SELECT VARIABLE_VALUE FROM information_schema.SESSION_STATUS WHERE VARIABLE_NAME = 'SSL_CIPHER'";
  MySqlStream offered(ConnectionUri::Parse(Source("127.0.0.1", "ssl-mode=PREFERRED")));
  EXPECT_NE(offered.QueryValue(kCipher), "");

  PlainMariaDb plain;
  ASSERT_EQ(plain.started().exit_code, 0) << plain.started().output;
  MySqlStream stream(ConnectionUri::Parse(plain.Source("ssl-mode=PREFERRED")));
  EXPECT_EQ(stream.QueryValue(kCipher), "");
  MySqlSession session(ConnectionUri::Parse(plain.Source("ssl-mode=PREFERRED")));
  auto cipher = session.Query("SHOW SESSION STATUS LIKE 'Ssl_cipher'");
  ASSERT_TRUE(cipher->next());
  EXPECT_EQ(cipher->getString(2).asStdString(), "");

  CommandResult required = RunMy2pg("catalog --source '" + plain.Source("ssl-mode=REQUIRED") + "' --database mysql");
  EXPECT_EQ(required.exit_code, 3) << required.output;
  EXPECT_NE(required.output.find("cannot connect to mysql://my2pg@127.0.0.1:"), std::string::npos) << required.output;
  // Connector/C connects in plain text even with MYSQL_OPT_SSL_ENFORCE when
  // the server has no TLS; my2pg's own check after connecting refuses it.
  EXPECT_NE(required.output.find("?ssl-mode=REQUIRED: the connection is not encrypted, but ssl-mode asks for TLS"),
            std::string::npos)
      << required.output;
}

// libpq's own conventions carry the TLS settings: a service file, PG*
// environment variables, a keyword/value string. precheck shows TLS in
// effect on the target's session.
TEST_F(TlsTest, PostgresServiceFileEnvironmentAndKeywordValues) {
  int port = ConnectionUri::Parse(Env("MY2PG_TARGET")).port;
  std::string service_file = Out("pg_service.conf");
  std::ofstream(service_file) << "[my2pg_sandbox]\nhost=localhost\nport=" << port
                              << "\nuser=my2pg\nsslmode=verify-full\nsslrootcert=" << TlsFile("ca.pem") << "\n";
  std::string precheck = std::string(MY2PG_BINARY) + " precheck --databases tls_0001 --replace --target ";
  const char* kTls = "ok      target  tls           TLSv1.3\n";

  CommandResult service = RunCommand("PGSERVICEFILE=" + service_file + " " + precheck +
                                     "'postgresql:///{db}?service=my2pg_sandbox'");
  EXPECT_EQ(service.exit_code, 0) << service.output;
  EXPECT_NE(service.output.find(kTls), std::string::npos) << service.output;

  CommandResult environment = RunCommand("PGHOST=localhost PGPORT=" + std::to_string(port) +
                                         " PGUSER=my2pg PGSSLMODE=verify-full PGSSLROOTCERT=" + TlsFile("ca.pem") +
                                         " " + precheck + "'postgresql:///{db}'");
  EXPECT_EQ(environment.exit_code, 0) << environment.output;
  EXPECT_NE(environment.output.find(kTls), std::string::npos) << environment.output;

  CommandResult keywords = RunCommand(precheck + "'host=localhost port=" + std::to_string(port) +
                                      " user=my2pg dbname={db} sslmode=verify-full sslrootcert=" + TlsFile("ca.pem") +
                                      "'");
  EXPECT_EQ(keywords.exit_code, 0) << keywords.output;
  EXPECT_NE(keywords.output.find(kTls), std::string::npos) << keywords.output;

  // The same service with the wrong CA: refused, with libpq's reason.
  std::ofstream(service_file) << "[my2pg_sandbox]\nhost=localhost\nport=" << port
                              << "\nuser=my2pg\nsslmode=verify-full\nsslrootcert=" << TlsFile("other-ca.pem") << "\n";
  CommandResult wrong = RunCommand("PGSERVICEFILE=" + service_file + " " + precheck +
                                   "'postgresql:///{db}?service=my2pg_sandbox'");
  EXPECT_EQ(wrong.exit_code, 1) << wrong.output;
  EXPECT_NE(wrong.output.find("PROBLEM target  connect       "), std::string::npos) << wrong.output;
  EXPECT_NE(wrong.output.find("certificate verify failed"), std::string::npos) << wrong.output;
}

TEST_F(TlsTest, WrongCaIsRefused) {
  CommandResult mysql =
      RunMy2pg("catalog --source '" + Source("127.0.0.1", "ssl-mode=VERIFY_CA&ssl-ca=" + TlsFile("other-ca.pem")) +
               "' --database tls_0001");
  EXPECT_EQ(mysql.exit_code, 3) << mysql.output;
  EXPECT_NE(mysql.output.find("TLS/SSL error"), std::string::npos) << mysql.output;
  CommandResult pg = RunMy2pg("migrate --source '" + Source("127.0.0.1", VerifyIdentity()) + "' --target '" +
                              Target("localhost", VerifyFull("other-ca.pem")) + "' --databases tls_0001 --replace");
  EXPECT_EQ(pg.exit_code, 3) << pg.output;
  EXPECT_NE(pg.output.find("certificate verify failed"), std::string::npos) << pg.output;
}

TEST_F(TlsTest, WrongHostNameIsRefused) {
  std::string other = OtherLoopbackName();
  if (other.empty()) GTEST_SKIP() << "no other name of this machine resolves to 127.0.0.1";
  CommandResult mysql = RunMy2pg("catalog --source '" + Source(other, VerifyIdentity()) + "' --database tls_0001");
  EXPECT_EQ(mysql.exit_code, 3) << mysql.output;
  EXPECT_NE(mysql.output.find("TLS/SSL error"), std::string::npos) << mysql.output;
  // VERIFY_CA checks the chain only: the same host name is accepted.
  CommandResult ca_only = RunMy2pg("catalog --source '" +
                                   Source(other, "ssl-mode=VERIFY_CA&ssl-ca=" + TlsFile("ca.pem")) +
                                   "' --database tls_0001 -o " + Out("tls-catalog-ca.json"));
  EXPECT_EQ(ca_only.exit_code, 0) << ca_only.output;
  CommandResult pg = RunMy2pg("migrate --source '" + Source("127.0.0.1", VerifyIdentity()) + "' --target '" +
                              Target(other, VerifyFull()) + "' --databases tls_0001 --replace");
  EXPECT_EQ(pg.exit_code, 3) << pg.output;
  EXPECT_NE(pg.output.find("does not match host name \"" + other + "\""), std::string::npos) << pg.output;
}

TEST_F(TlsTest, UnknownOptionsAreRefusedBeforeConnecting) {
  CommandResult mysql = RunMy2pg("catalog --source '" + Source("127.0.0.1", "sslmode=REQUIRED") + "' --database x");
  EXPECT_EQ(mysql.exit_code, 2) << mysql.output;
  EXPECT_NE(mysql.output.find("unknown option 'sslmode' for mysql:// (did you mean 'ssl-mode'?)"),
            std::string::npos)
      << mysql.output;
  CommandResult pg = RunMy2pg("migrate --source '" + Env("MY2PG_SOURCE") + "' --target '" +
                              Target("localhost", "ssl-mode=require") + "' --databases tls_0001 --replace");
  EXPECT_EQ(pg.exit_code, 2) << pg.output;
  EXPECT_NE(pg.output.find("unknown option 'ssl-mode' for postgresql:// (did you mean 'sslmode'?)"),
            std::string::npos)
      << pg.output;
}

}  // namespace
}  // namespace my2pg

namespace my2pg {
namespace {

// TLS settings from a MySQL option file: the URI asks for TLS, the file
// names the CA and asks for the host name check.
TEST_F(TlsTest, TlsSettingsFromAnOptionFile) {
  std::string file = Out("tls-my.cnf");
  std::ofstream(file) << "[client]\nssl-ca=" << TlsFile("ca.pem") << "\nssl-verify-server-cert\n";
  ConnectionUri uri = ConnectionUri::Parse(Source("127.0.0.1", "ssl-mode=REQUIRED&defaults-file=" + file));
  MySqlStream stream(uri);
  EXPECT_NE(stream.QueryValue("SELECT VARIABLE_VALUE FROM information_schema.SESSION_STATUS "
                              "WHERE VARIABLE_NAME = 'SSL_CIPHER'"),
            "");
  MySqlSession session(uri);
  // The file's CA is the wrong one: refused, so the file was read.
  std::ofstream(file) << "[client]\nssl-ca=" << TlsFile("other-ca.pem") << "\nssl-verify-server-cert\n";
  CommandResult refused = RunMy2pg("catalog --source '" + uri.Redacted() + "' --database tls_0001");
  EXPECT_EQ(refused.exit_code, 3) << refused.output;
  EXPECT_NE(refused.output.find("TLS/SSL error"), std::string::npos) << refused.output;
}

}  // namespace
}  // namespace my2pg
