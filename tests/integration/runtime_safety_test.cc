// The runtime under failure and pressure, against the real servers: a task
// that throws on a pool thread fails its table only; statements that depend
// on a failed table are skipped; exit codes; durable commits; bounded
// descriptors and connections; a bounded wait for the source's table locks.
#include <dirent.h>
#include <signal.h>
#include <unistd.h>

#include <chrono>
#include <map>
#include <thread>

#include <libpq-fe.h>
#include <rapidjson/document.h>

#include "converter/copy_writer.h"
#include "tests/integration/test_env.h"

namespace my2pg {
namespace {

// (Re)creates the source database "name" with the admin client and runs
// "sql" in it (one shell argument: no double quotes).
void CreateSource(const std::string& name, const std::string& sql) {
  CommandResult result = RunCommand("scripts/sandbox mysql -e \"DROP DATABASE IF EXISTS " + name + "; CREATE DATABASE " +
                                    name + "; USE " + name + "; " + sql + "\"");
  ASSERT_EQ(result.exit_code, 0) << result.output;
}

// my2pg migrate of one database into a fresh target database, its reject
// files and report ($MY2PG_TEST_OUT/<database>.json) in the test directory.
CommandResult Migrate(const std::string& database, const std::string& arguments) {
  return RunMy2pg("migrate --databases " + database + " --target '" + Env("MY2PG_TARGET") + "' --replace -q " +
                  "--reject-dir $MY2PG_TEST_OUT/rejects --report $MY2PG_TEST_OUT/" + database + ".json " + arguments);
}

// Migrate(), expecting "exit_code"; returns the run report.
rapidjson::Document MigrateExpecting(int exit_code, const std::string& database, const std::string& arguments) {
  CommandResult run = Migrate(database, arguments);
  EXPECT_EQ(run.exit_code, exit_code) << run.output;
  rapidjson::Document report;
  report.Parse(ReadFile(Out(database + ".json")).c_str());
  EXPECT_TRUE(report.IsObject() && report.HasMember("databases")) << run.output;
  return report;
}

// "source table" -> "status rows_written error" of a database's report.
std::map<std::string, std::string> TableOutcomes(const rapidjson::Value& database) {
  std::map<std::string, std::string> outcomes;
  for (const auto& table : database["tables"].GetArray()) {
    std::string outcome = std::string(table["status"].GetString()) + " " +
                          std::to_string(table["rows_written"].GetInt64());
    if (table.HasMember("error")) outcome += " " + std::string(table["error"].GetString());
    outcomes[table["source"].GetString()] = outcome;
  }
  return outcomes;
}

// Item: an exception on a pool thread. "child" is planned on the thread that
// finished its parent (its orphans are checked, so it waits); it is split in
// key ranges, so its CREATE TABLE runs while planning, and fails.
TEST(RuntimeSafety, TaskFailureOnPoolThreadFailsOnlyItsTable) {
  CreateSource(
      "stest_pool",
      "CREATE TABLE parent (id INT PRIMARY KEY, name VARCHAR(20)) ENGINE=InnoDB; "
      "INSERT INTO parent SELECT seq, CONCAT('p', seq) FROM seq_1_to_10; "
      "CREATE TABLE child (id INT PRIMARY KEY, parent_id INT, note VARCHAR(20)) ENGINE=InnoDB; "
      "INSERT INTO child SELECT seq, seq % 10 + 1, CONCAT('n', seq) FROM seq_1_to_20000; "
      "CREATE TABLE other (id INT PRIMARY KEY, v INT) ENGINE=InnoDB; "
      "INSERT INTO other SELECT seq, seq FROM seq_1_to_5; "
      "ANALYZE TABLE parent, child, other;");
  rapidjson::Document report = MigrateExpecting(
      1, "stest_pool", "--mapping tests/integration/data/pool_failure_mapping.json --threads 2 --chunk-rows 1000");
  ASSERT_TRUE(report.HasMember("databases"));
  const auto& database = report["databases"][0];
  const std::string create_error =
      "PostgreSQL error: ERROR:  type \"citext\" does not exist\nLINE 4:   \"note\" citext\n                 ^";
  EXPECT_EQ(TableOutcomes(database), (std::map<std::string, std::string>{
                                         {"parent", "done 10"},
                                         {"child", "failed 0 " + create_error},
                                         {"other", "done 5"},
                                     }));
  EXPECT_EQ(std::string(database["error"].GetString()), "table child failed: " + create_error);
  PgSession db = my2pg::Target("stest_pool");
  EXPECT_EQ(db.QueryValue("SELECT (SELECT count(*) FROM parent) || ' ' || (SELECT count(*) FROM other)"), "10 5");
  // Keys of the tables that loaded were built.
  EXPECT_EQ(db.QueryValue("SELECT string_agg(conname, ',' ORDER BY conname) FROM pg_constraint WHERE contype = 'p' "
                           "AND connamespace = 'public'::regnamespace"),
            "other_pkey,parent_pkey");
}

// Two tables of one name in two schemas: each gets its own CREATE, keys and
// comment.
TEST(RuntimeSafety, SameTableNameInTwoSchemas) {
  CreateSource(
      "stest_names",
      "CREATE TABLE log_a (id INT PRIMARY KEY, msg VARCHAR(20), KEY msg (msg)) COMMENT 'first'; "
      "INSERT INTO log_a VALUES (1, 'a1'), (2, 'a2'), (3, 'a3'); "
      "CREATE TABLE log_b (id INT PRIMARY KEY, msg VARCHAR(20), n INT) COMMENT 'second'; "
      "INSERT INTO log_b VALUES (1, 'b1', 10), (2, 'b2', 20);");
  CommandResult run = Migrate("stest_names", "--mapping tests/integration/data/same_name_mapping.json --threads 2");
  EXPECT_EQ(run.exit_code, 0) << run.output;
  PgSession db = my2pg::Target("stest_names");
  EXPECT_EQ(db.Query("SELECT 'a', string_agg(msg, ',' ORDER BY id) FROM a.log UNION ALL "
                     "SELECT 'b', string_agg(msg || n, ',' ORDER BY id) FROM b.log"),
            (std::vector<std::vector<std::string>>{{"a", "a1,a2,a3"}, {"b", "b110,b220"}}));
  EXPECT_EQ(db.Query("SELECT schemaname, indexname FROM pg_indexes WHERE tablename = 'log' ORDER BY 1, 2"),
            (std::vector<std::vector<std::string>>{{"a", "log_msg"}, {"a", "log_pkey"}, {"b", "log_pkey_1"}}));
  EXPECT_EQ(db.Query("SELECT obj_description('a.log'::regclass), obj_description('b.log'::regclass)"),
            (std::vector<std::vector<std::string>>{{"first", "second"}}));
}

// A foreign key whose parent failed is skipped, and the phases after it
// (identities, comments) still run for the tables that loaded.
TEST(RuntimeSafety, ForeignKeyToFailedParentIsSkipped) {
  CreateSource(
      "stest_fk",
      "CREATE TABLE parent (id INT PRIMARY KEY, name VARCHAR(20)) ENGINE=InnoDB; "
      "INSERT INTO parent VALUES (1, 'one'), (2, 'two'); "
      "CREATE TABLE child (id INT AUTO_INCREMENT PRIMARY KEY, parent_id INT, "
      "CONSTRAINT child_parent FOREIGN KEY (parent_id) REFERENCES parent (id)) ENGINE=InnoDB COMMENT 'kids'; "
      "INSERT INTO child (parent_id) VALUES (1), (2), (2);");
  rapidjson::Document report =
      MigrateExpecting(1, "stest_fk", "--mapping tests/integration/data/failed_parent_mapping.json");
  ASSERT_TRUE(report.HasMember("databases"));
  const auto& database = report["databases"][0];
  const std::string create_error =
      "PostgreSQL error: ERROR:  type \"citext\" does not exist\nLINE 3:   \"name\" citext\n                 ^";
  EXPECT_EQ(TableOutcomes(database), (std::map<std::string, std::string>{
                                         {"parent", "failed 0 " + create_error},
                                         {"child", "done 3"},
                                     }));
  EXPECT_EQ(std::string(database["error"].GetString()), "table parent failed: " + create_error);
  ASSERT_EQ(database["warnings"].Size(), 1u);
  EXPECT_EQ(std::string(database["warnings"][0].GetString()),
            "not run, table \"public\".\"parent\" failed: ALTER TABLE \"public\".\"child\" ADD CONSTRAINT "
            "\"child_child_parent_1\" FOREIGN KEY (\"parent_id\") REFERENCES \"public\".\"parent\" (\"id\") "
            "ON DELETE RESTRICT ON UPDATE RESTRICT");
  PgSession db = my2pg::Target("stest_fk");
  EXPECT_EQ(db.QueryValue("SELECT count(*) FROM pg_constraint WHERE contype = 'f'"), "0");
  EXPECT_EQ(db.QueryValue("SELECT nextval(pg_get_serial_sequence('child', 'id'))"), "4");
  EXPECT_EQ(db.QueryValue("SELECT obj_description('child'::regclass)"), "kids");
}

// A small source database for the tests that fail before copying.
void CreateExitSource() { CreateSource("stest_exit", "CREATE TABLE t (id INT PRIMARY KEY); INSERT INTO t VALUES (1);"); }

TEST(ExitCodes, UnreachableTargetExits3) {
  CreateExitSource();
  CommandResult run = RunMy2pg("migrate --databases stest_exit --target 'postgresql://my2pg@127.0.0.1:1/{db}' -q");
  EXPECT_EQ(run.exit_code, 3) << run.output;
  EXPECT_EQ(run.output,
            "my2pg: cannot connect to postgresql://my2pg@127.0.0.1:1/postgres: connection to server at "
            "\"127.0.0.1\", port 1 failed: Connection refused\n\tIs the server running on that host and accepting "
            "TCP/IP connections?\n");
}

TEST(ExitCodes, WrongTargetPasswordExits3) {
  CreateExitSource();
  ConnectionUri target = ConnectionUri::Parse(Env("MY2PG_TARGET"));
  CommandResult run = RunMy2pg("migrate --databases stest_exit --target 'postgresql://my2pg:hunter2@127.0.0.1:" +
                               std::to_string(target.port) + "/{db}' -q");
  EXPECT_EQ(run.exit_code, 3) << run.output;
  EXPECT_EQ(run.output, "my2pg: cannot connect to postgresql://my2pg:***@127.0.0.1:" + std::to_string(target.port) +
                            "/postgres: connection to server at \"127.0.0.1\", port " + std::to_string(target.port) +
                            " failed: FATAL:  password authentication failed for user \"my2pg\"\n");
}

TEST(ExitCodes, UnknownSourceDatabaseIsAUsageError) {
  CommandResult run = RunMy2pg("catalog --database stest_exi");
  EXPECT_EQ(run.exit_code, 2) << run.output;
  EXPECT_EQ(run.output, "my2pg: no source database 'stest_exi' (did you mean 'stest_exit'?)\n");
}

TEST(ExitCodes, UnwritableReportFailsBeforeTheRun) {
  CreateExitSource();
  my2pg::Target("postgres").Execute("DROP DATABASE IF EXISTS stest_exit");
  CommandResult run = RunMy2pg("migrate --databases stest_exit --target '" + Env("MY2PG_TARGET") +
                               "' -q --report /nonexistent/run.json");
  EXPECT_EQ(run.exit_code, 2) << run.output;
  EXPECT_EQ(run.output, "my2pg: cannot write /nonexistent/run.json: No such file or directory\n");
  EXPECT_EQ(my2pg::Target("postgres").QueryValue("SELECT count(*) FROM pg_database WHERE datname = 'stest_exit'"), "0");
}

// A table split in key ranges whose one range fails is emptied, and reports
// no row written (the ranges that committed first were taken back).
TEST(ExitCodes, FailedChunkedTableReportsNothingWritten) {
  CreateSource("stest_chunks",
               "CREATE TABLE mesure (id INT PRIMARY KEY, valeur DECIMAL(10,3)) ENGINE=InnoDB; "
               "INSERT INTO mesure SELECT seq, seq FROM seq_1_to_20000; ANALYZE TABLE mesure;");
  rapidjson::Document report = MigrateExpecting(
      1, "stest_chunks", "--mapping tests/integration/data/chunk_failure_mapping.json --threads 2 --chunk-rows 1000");
  ASSERT_TRUE(report.HasMember("databases"));
  const auto& table = report["databases"][0]["tables"][0];
  EXPECT_EQ(table["chunks"].GetInt(), 4);
  EXPECT_EQ(std::string(table["status"].GetString()), "failed");
  EXPECT_EQ(std::string(table["error"].GetString()).substr(0, 98),
            "COPY failed: ERROR:  new row for relation \"mesure\" violates check constraint \"mesure_valeur_check\"");
  EXPECT_EQ(table["rows_written"].GetInt64(), 0);
  EXPECT_EQ(report["databases"][0]["rows_written"].GetInt64(), 0);
  EXPECT_EQ(my2pg::Target("stest_chunks").QueryValue("SELECT count(*) FROM mesure"), "0");
}

std::string ShowSynchronousCommit(const CopyConnection& connection) {
  PGresult* result = PQexec(connection.get(), "SHOW synchronous_commit");
  std::string value = PQresultStatus(result) == PGRES_TUPLES_OK ? PQgetvalue(result, 0, 0) : "";
  PQclear(result);
  return value;
}

// The sandbox server runs with synchronous_commit = off, as a throwaway
// server may: the connections that load tables commit durably all the same.
TEST(Durability, LoadsCommitDurablyByDefault) {
  ConnectionUri target = ConnectionUri::Parse(Env("MY2PG_TARGET")).WithDatabase("postgres");
  ASSERT_EQ(my2pg::Target("postgres").QueryValue("SHOW synchronous_commit"), "off");
  CopyConnection durable(target);
  EXPECT_EQ(ShowSynchronousCommit(durable), "on");
  CopyConnection fast(target, CommitMode::kAsync);  // --async-commit
  EXPECT_EQ(ShowSynchronousCommit(fast), "off");
  PgSession control(target);
  control.Execute(CommitModeSql(CommitMode::kDurable));
  EXPECT_EQ(control.QueryValue("SHOW synchronous_commit"), "on");
}

}  // namespace
}  // namespace my2pg
