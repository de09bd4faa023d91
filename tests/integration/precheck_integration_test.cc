// my2pg precheck against the sandbox: exact findings for what is missing,
// and migrate with the least privileges README documents.
#include <string>

#include "tests/integration/test_env.h"

namespace my2pg {
namespace {

int Port(const char* env) { return ConnectionUri::Parse(Env(env)).port; }

std::string Source(const std::string& user, const std::string& password) {
  return "mysql://" + user + ":" + password + "@127.0.0.1:" + std::to_string(Port("MY2PG_SOURCE"));
}

std::string TargetAs(const std::string& role, const std::string& password) {
  return "postgresql://" + role + ":" + password + "@127.0.0.1:" + std::to_string(Port("MY2PG_TARGET")) + "/{db}";
}

class PrecheckTest : public testing::Test {
 protected:
  static void SetUpTestSuite() {
    CreateSampleTenants("pre_", 2);
    CommandResult mysql = RunCommand(
        "scripts/sandbox mysql -e \""
        "DROP USER IF EXISTS 'my2pg_noview'@'127.0.0.1', 'my2pg_min'@'127.0.0.1';"
        "CREATE USER 'my2pg_noview'@'127.0.0.1' IDENTIFIED BY 'pw1';"
        "GRANT SELECT, LOCK TABLES ON pre_0001.* TO 'my2pg_noview'@'127.0.0.1';"
        "CREATE USER 'my2pg_min'@'127.0.0.1' IDENTIFIED BY 'pw2';"
        "GRANT SELECT, SHOW VIEW, LOCK TABLES ON \\`pre\\\\_%\\`.* TO 'my2pg_min'@'127.0.0.1'\"");
    ASSERT_EQ(mysql.exit_code, 0) << mysql.output;
    RunCommand("scripts/sandbox psql -d postgres -q -c 'DROP DATABASE IF EXISTS pre_0001' "
               "-c 'DROP DATABASE IF EXISTS pre_0002'");
    CommandResult pg = RunCommand(
        "scripts/sandbox psql -d postgres -q -c 'DROP ROLE IF EXISTS my2pg_nocreate' "
        "-c \"CREATE ROLE my2pg_nocreate LOGIN PASSWORD 'pw3'\" -c 'DROP ROLE IF EXISTS my2pg_minpg' "
        "-c \"CREATE ROLE my2pg_minpg LOGIN CREATEDB PASSWORD 'pw4'\"");
    ASSERT_EQ(pg.exit_code, 0) << pg.output;
  }
};

TEST_F(PrecheckTest, ReadyWithTheSandboxAccounts) {
  CommandResult run = RunMy2pg("precheck --databases 'pre_%' --target '" + Env("MY2PG_TARGET") + "' --jobs 2");
  EXPECT_EQ(run.exit_code, 0) << run.output;
  EXPECT_NE(run.output.find("ok      source  privileges    SELECT, SHOW VIEW, LOCK TABLES on every database\n"),
            std::string::npos)
      << run.output;
  EXPECT_NE(run.output.find("note    source  primary keys  2 tables without one (copied in one piece, duplicates "
                            "kept): pre_0001.journal, pre_0002.journal\n"),
            std::string::npos)
      << run.output;
  EXPECT_NE(run.output.find("ok      target  connections   2 jobs x 2 threads need 12 connections; the role may "
                            "open 197\n"),
            std::string::npos)
      << run.output;
  EXPECT_NE(run.output.find("ok      source  drift         2 databases with the tables and columns of pre_0001\n"),
            std::string::npos)
      << run.output;
  EXPECT_NE(run.output.find("my2pg: precheck: ready"), std::string::npos) << run.output;
}

TEST_F(PrecheckTest, NamesTheTenantWhoseSchemaDrifted) {
  CreateSampleTenants("drift_", 3);
  CommandResult altered = RunCommand(
      "scripts/sandbox mysql -e 'ALTER TABLE drift_0003.client ADD COLUMN extra INT, MODIFY points BIGINT; "
      "DROP TABLE drift_0003.journal'");
  ASSERT_EQ(altered.exit_code, 0) << altered.output;
  CommandResult run = RunMy2pg("precheck --databases 'drift_%' --target '" + Env("MY2PG_TARGET") + "'");
  EXPECT_EQ(run.exit_code, 1) << run.output;
  EXPECT_NE(run.output.find("PROBLEM source  drift         drift_0003 differs from drift_0001: client: no column "
                            "points int(10) unsigned; client: extra column points bigint(20); client: extra column "
                            "extra int(11); no table journal\n"),
            std::string::npos)
      << run.output;
  EXPECT_EQ(run.output.find("drift_0002 differs"), std::string::npos) << run.output;
}

TEST_F(PrecheckTest, NamesTheGrantThatIsMissing) {
  CommandResult run = RunMy2pg("precheck --source '" + Source("my2pg_noview", "pw1") +
                               "' --databases pre_0001 --target '" + TargetAs("my2pg_nocreate", "pw3") + "'");
  EXPECT_EQ(run.exit_code, 1) << run.output;
  EXPECT_NE(run.output.find("PROBLEM source  privileges    GRANT SHOW VIEW ON `pre_0001`.* TO "
                            "'my2pg_noview'@'127.0.0.1';\n"),
            std::string::npos)
      << run.output;
  EXPECT_NE(run.output.find("PROBLEM target  privileges    ALTER ROLE \"my2pg_nocreate\" CREATEDB; (to create "
                            "database pre_0001)\n"),
            std::string::npos)
      << run.output;
  EXPECT_NE(run.output.find("my2pg: precheck: 2 problems"), std::string::npos) << run.output;
  EXPECT_EQ(run.output.find("pw1"), std::string::npos) << run.output;
}

TEST_F(PrecheckTest, ConnectionsAndUnreachableServers) {
  CommandResult crowded = RunMy2pg("precheck --databases 'pre_%' --target '" + Env("MY2PG_TARGET") +
                                   "' --jobs 2 --threads 64");
  EXPECT_EQ(crowded.exit_code, 1) << crowded.output;
  EXPECT_NE(crowded.output.find("PROBLEM target  connections   2 jobs x 64 threads need 260 connections; the role "
                                "may open 197\n"),
            std::string::npos)
      << crowded.output;
  CommandResult down = RunMy2pg("precheck --source 'mysql://my2pg@127.0.0.1:9' --databases 'pre_%' --target '" +
                                Env("MY2PG_TARGET") + "'");
  EXPECT_EQ(down.exit_code, 1) << down.output;
  EXPECT_NE(down.output.find("PROBLEM source  connect       cannot connect to mysql://my2pg@127.0.0.1:9: "),
            std::string::npos)
      << down.output;
  CommandResult usage = RunMy2pg("precheck --source 'mysql://h?bogus=1' --databases x");
  EXPECT_EQ(usage.exit_code, 2) << usage.output;
}

// README's least privileges: SELECT, SHOW VIEW, LOCK TABLES on the source
// databases; LOGIN CREATEDB on the target.
TEST_F(PrecheckTest, MigratesWithTheLeastPrivileges) {
  CommandResult run = RunMy2pg("migrate --source '" + Source("my2pg_min", "pw2") + "' --target '" +
                               TargetAs("my2pg_minpg", "pw4") + "' --databases 'pre_%' --replace -q --reject-dir " +
                               Out("pre-rejects"));
  EXPECT_EQ(run.exit_code, 0) << run.output;
  // One missing right (the target database belongs to another role): one
  // clear error, not a cascade.
  CommandResult refused = RunMy2pg("migrate --source '" + Source("my2pg_min", "pw2") + "' --target '" +
                                   TargetAs("my2pg_nocreate", "pw3") + "' --databases pre_0001 --replace "
                                   "--reject-dir " + Out("pre-rejects"));
  EXPECT_EQ(refused.exit_code, 1) << refused.output;
  std::string error = "error: pre_0001: PostgreSQL error: ERROR:  must be owner of database pre_0001";
  EXPECT_NE(refused.output.find(error), std::string::npos) << refused.output;
  EXPECT_EQ(refused.output.find("\nerror:", refused.output.find(error)), std::string::npos) << refused.output;
}

}  // namespace
}  // namespace my2pg
