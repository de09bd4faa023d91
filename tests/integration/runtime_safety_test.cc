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

#include <rapidjson/document.h>

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

rapidjson::Document ReadReport(const std::string& path) {
  rapidjson::Document report;
  report.Parse(ReadFile(path).c_str());
  EXPECT_TRUE(report.IsObject()) << path;
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
  CommandResult run =
      Migrate("stest_pool", "--mapping tests/integration/data/pool_failure_mapping.json --threads 2 --chunk-rows 1000");
  EXPECT_EQ(run.exit_code, 1) << run.output;
  rapidjson::Document report = ReadReport(Out("stest_pool.json"));
  ASSERT_TRUE(report.HasMember("databases")) << run.output;
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
  CommandResult run = Migrate("stest_fk", "--mapping tests/integration/data/failed_parent_mapping.json");
  EXPECT_EQ(run.exit_code, 1) << run.output;
  rapidjson::Document report = ReadReport(Out("stest_fk.json"));
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

}  // namespace
}  // namespace my2pg
