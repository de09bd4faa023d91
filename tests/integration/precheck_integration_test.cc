// my2pg precheck against the sandbox: exact findings for what is missing,
// and migrate with the least privileges README documents.
#include <fstream>
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

TEST_F(PrecheckTest, ChecksTheTenantsAgainstTheMapping) {
  CommandResult run = RunMy2pg("precheck --databases 'pre_%' --mapping samples/hotel_mapping.json --target '" +
                               Env("MY2PG_TARGET") + "'");
  EXPECT_NE(run.output.find("ok      source  mapping       samples/hotel_mapping.json map 4 tables of pre_0001\n"),
            std::string::npos)
      << run.output;
  // journal gets a surrogate key from the sample mapping.
  EXPECT_NE(run.output.find("ok      source  primary keys  2 tables without one get one from the mapping: "
                            "pre_0001.journal, pre_0002.journal\n"),
            std::string::npos)
      << run.output;
  EXPECT_EQ(run.output.find("copied in one piece"), std::string::npos) << run.output;

  // A tenant without the parent table a rule references cannot be mapped.
  CreateSampleTenants("mapd_", 2);
  ASSERT_EQ(RunCommand("scripts/sandbox mysql -e 'DROP TABLE mapd_0002.chambre'").exit_code, 0);
  CommandResult drifted = RunMy2pg("precheck --databases 'mapd_%' --mapping samples/hotel_mapping.json --target '" +
                                   Env("MY2PG_TARGET") + "'");
  EXPECT_EQ(drifted.exit_code, 1) << drifted.output;
  EXPECT_NE(drifted.output.find("PROBLEM source  drift         mapd_0002 differs from mapd_0001: no table chambre\n"),
            std::string::npos)
      << drifted.output;
  EXPECT_NE(drifted.output.find("PROBLEM source  mapping       mapd_0002: samples/hotel_mapping.json:40:"),
            std::string::npos)
      << drifted.output;
  EXPECT_NE(drifted.output.find("reservation.chambre_id: references table 'chambre', which is not migrated\n"),
            std::string::npos)
      << drifted.output;
  // What the unmappable tenant's tables would become is not known: not said.
  EXPECT_NE(drifted.output.find("ok      source  primary keys  1 tables without one get one from the mapping: "
                                "mapd_0001.journal\n"),
            std::string::npos)
      << drifted.output;
  EXPECT_EQ(drifted.output.find("mapd_0002.journal"), std::string::npos) << drifted.output;
}

// Names PostgreSQL would cut to 63 bytes or fold onto another's are named,
// with the name each gets.
TEST_F(PrecheckTest, NamesThatCollide) {
  std::string stem(63, 'c');
  CommandResult created = RunCommand(
      "scripts/sandbox mysql -e 'DROP DATABASE IF EXISTS pcheck_names; CREATE DATABASE pcheck_names; "
      "CREATE TABLE pcheck_names.Client (id INT PRIMARY KEY, " + stem + "1 INT, " + stem + "2 INT); "
      "CREATE TABLE pcheck_names.client (id INT PRIMARY KEY)'");
  ASSERT_EQ(created.exit_code, 0) << created.output;
  CommandResult cut = RunMy2pg("precheck --databases pcheck_names --target '" + Env("MY2PG_TARGET") + "'");
  EXPECT_NE(cut.output.find("note    source  names         column Client." + stem + "2: named " +
                            std::string(61, 'c') + "_1: " + stem + " is taken (names are cut to 63 bytes)\n"),
            std::string::npos)
      << cut.output;
  EXPECT_EQ(cut.output.find("names are lower-cased"), std::string::npos) << cut.output;

  std::string rules = Out("lower.json");
  std::ofstream(rules) << R"({"extends": "defaults", "options": {"name_case": "lower"}})";
  CommandResult folded =
      RunMy2pg("precheck --databases pcheck_names --mapping " + rules + " --target '" + Env("MY2PG_TARGET") + "'");
  EXPECT_NE(folded.output.find("note    source  names         table Client: named client_1: client is taken "
                               "(names are lower-cased)\n"),
            std::string::npos)
      << folded.output;
}

// The source's settings: connections, sql_mode, and a write transaction
// LOCK TABLES would wait for.
TEST_F(PrecheckTest, SourceSettingsAndOpenTransactions) {
  ASSERT_EQ(RunCommand("scripts/sandbox mysql -e 'DROP DATABASE IF EXISTS pcheck_scratch; CREATE DATABASE pcheck_scratch; "
                       "CREATE TABLE pcheck_scratch.t (id INT PRIMARY KEY)'").exit_code, 0);
  CommandResult quiet = RunMy2pg("precheck --databases pre_0001 --target '" + Env("MY2PG_TARGET") + "' --jobs 1");
  EXPECT_NE(quiet.output.find("ok      source  transactions  no open write transaction: LOCK TABLES will not wait\n"),
            std::string::npos)
      << quiet.output;
  EXPECT_NE(quiet.output.find("ok      source  connections   1 jobs x 2 threads need 3 connections; the server has "),
            std::string::npos)
      << quiet.output;
  std::string sql_mode = RunCommand("scripts/sandbox mysql -N -e 'SELECT @@GLOBAL.sql_mode'").output;
  sql_mode.erase(sql_mode.find_last_not_of("\n") + 1);
  EXPECT_NE(quiet.output.find("note    source  sql_mode      '" + sql_mode + "': zero or invalid dates may be "
                              "stored; the mapping's zero_date and invalid_date policies decide them"),
            std::string::npos)
      << quiet.output;

  // A session that wrote and has not committed, until the test ends.
  std::string pid_file = Out("writer.pid");
  ASSERT_EQ(RunCommand("(scripts/sandbox mysql -e 'BEGIN; INSERT INTO pcheck_scratch.t VALUES (1); SELECT SLEEP(60)' "
                       ">/dev/null 2>&1 & echo $! > " + pid_file + ")").exit_code, 0);
  std::string open;
  for (int i = 0; i < 50 && open.find("session ") == std::string::npos; ++i) {
    open = RunMy2pg("precheck --databases pre_0001 --target '" + Env("MY2PG_TARGET") + "' --jobs 1").output;
  }
  RunCommand("scripts/sandbox mysql -e \"SELECT CONCAT('KILL ', ID) FROM information_schema.PROCESSLIST "
             "WHERE INFO LIKE 'SELECT SLEEP(60)%'\" -N | scripts/sandbox mysql; kill $(cat " + pid_file + ")");
  EXPECT_NE(open.find("note    source  transactions  open write transactions, which migrate's LOCK TABLES waits "
                      "for (up to --lock-timeout): session "),
            std::string::npos)
      << open;
  EXPECT_NE(open.find(" (user my2pg_admin, open "), std::string::npos) << open;
  CommandResult unlocked =
      RunMy2pg("precheck --databases pre_0001 --no-lock --target '" + Env("MY2PG_TARGET") + "' --jobs 1");
  EXPECT_EQ(unlocked.output.find(" transactions "), std::string::npos) << unlocked.output;
  // Without PROCESS, other sessions cannot be seen: said so.
  CommandResult blind = RunMy2pg("precheck --source '" + Source("my2pg_min", "pw2") + "' --databases pre_0001 "
                                 "--target '" + Env("MY2PG_TARGET") + "' --jobs 1");
  EXPECT_NE(blind.output.find("note    source  transactions  other sessions' transactions are not visible (the "
                              "PROCESS privilege shows them)"),
            std::string::npos)
      << blind.output;
}

// Free space shows only to a role that may read data_directory, on this host.
TEST_F(PrecheckTest, TargetFreeSpace) {
  CommandResult hidden = RunMy2pg("precheck --databases pre_0001 --target '" + TargetAs("my2pg_minpg", "pw4") + "'");
  EXPECT_NE(hidden.output.find("note    target  space         free space not visible from here (a server on this "
                               "host, and a role that may read data_directory, show it); the copy needs about "),
            std::string::npos)
      << hidden.output;
  ASSERT_EQ(RunCommand("scripts/sandbox psql -d postgres -q -c 'GRANT pg_read_all_settings TO my2pg_minpg'").exit_code,
            0);
  CommandResult shown = RunMy2pg("precheck --databases pre_0001 --target '" + TargetAs("my2pg_minpg", "pw4") + "'");
  RunCommand("scripts/sandbox psql -d postgres -q -c 'REVOKE pg_read_all_settings FROM my2pg_minpg'");
  std::string data_directory = RunCommand("scripts/sandbox psql -d postgres -At -c 'SHOW data_directory'").output;
  data_directory.erase(data_directory.find_last_not_of("\n") + 1);
  EXPECT_NE(shown.output.find(" free in " + data_directory + "; the copy needs about "), std::string::npos)
      << shown.output;
  EXPECT_NE(shown.output.find("ok      target  space         "), std::string::npos) << shown.output;
}

// migrate refuses a target database that exists, unless --replace or
// --resume says what to do with it.
TEST_F(PrecheckTest, ExistingTargetDatabases) {
  ASSERT_EQ(RunCommand("scripts/sandbox mysql -e 'CREATE DATABASE IF NOT EXISTS pcheck_exists'").exit_code, 0);
  RunCommand("scripts/sandbox psql -d postgres -q -c 'DROP DATABASE IF EXISTS pcheck_exists'");
  ASSERT_EQ(RunCommand("scripts/sandbox psql -d postgres -q -c 'CREATE DATABASE pcheck_exists OWNER my2pg'").exit_code,
            0);
  std::string command = "precheck --databases pcheck_exists --target '" + Env("MY2PG_TARGET") + "'";
  CommandResult refused = RunMy2pg(command);
  EXPECT_EQ(refused.exit_code, 1) << refused.output;
  EXPECT_NE(refused.output.find("PROBLEM target  existing      1 target databases exist (pcheck_exists): migrate "
                                "refuses them without --replace (drop and recreate) or --resume (carry on a stopped "
                                "run)\n"),
            std::string::npos)
      << refused.output;
  CommandResult replace = RunMy2pg(command + " --replace");
  EXPECT_EQ(replace.exit_code, 0) << replace.output;
  EXPECT_NE(replace.output.find("note    target  existing      1 target databases exist (pcheck_exists): --replace "
                                "drops and recreates them\n"),
            std::string::npos)
      << replace.output;
  CommandResult resume = RunMy2pg(command + " --resume");
  EXPECT_EQ(resume.exit_code, 0) << resume.output;
  EXPECT_NE(resume.output.find("ok      target  existing      1 target databases exist (pcheck_exists): --resume "
                               "carries on their run\n"),
            std::string::npos)
      << resume.output;
  RunCommand("scripts/sandbox psql -d postgres -q -c 'DROP DATABASE pcheck_exists'");
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
