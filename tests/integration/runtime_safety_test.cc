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

// Runs the admin client on the source; the statements are one shell argument.
void SourceAdmin(const std::string& sql) {
  CommandResult result = RunCommand("scripts/sandbox mysql -e \"" + sql + "\"");
  ASSERT_EQ(result.exit_code, 0) << result.output;
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
  SourceAdmin(
      "DROP DATABASE IF EXISTS stest_pool; CREATE DATABASE stest_pool; USE stest_pool; "
      "CREATE TABLE parent (id INT PRIMARY KEY, name VARCHAR(20)) ENGINE=InnoDB; "
      "INSERT INTO parent SELECT seq, CONCAT('p', seq) FROM seq_1_to_10; "
      "CREATE TABLE child (id INT PRIMARY KEY, parent_id INT, note VARCHAR(20)) ENGINE=InnoDB; "
      "INSERT INTO child SELECT seq, seq % 10 + 1, CONCAT('n', seq) FROM seq_1_to_20000; "
      "CREATE TABLE other (id INT PRIMARY KEY, v INT) ENGINE=InnoDB; "
      "INSERT INTO other SELECT seq, seq FROM seq_1_to_5; "
      "ANALYZE TABLE parent, child, other;");
  CommandResult run = RunMy2pg("migrate --databases stest_pool --target '" + Env("MY2PG_TARGET") +
                               "' --mapping tests/integration/data/pool_failure_mapping.json --threads 2 "
                               "--chunk-rows 1000 --replace -q --reject-dir $MY2PG_TEST_OUT/pool-rejects "
                               "--report $MY2PG_TEST_OUT/pool-report.json");
  EXPECT_EQ(run.exit_code, 1) << run.output;
  rapidjson::Document report = ReadReport(Out("pool-report.json"));
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

}  // namespace
}  // namespace my2pg
