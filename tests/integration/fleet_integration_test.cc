// The fleet runtime against the real servers: several tenants with --jobs 2
// --threads 2 (one table split into key ranges) land complete; a worker killed
// with SIGKILL mid-copy fails only its own database, visibly.
#include <dirent.h>
#include <signal.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <thread>

#include <rapidjson/document.h>

#include "tests/integration/test_env.h"

namespace my2pg {
namespace {

// A tenant with one table of "rows" rows (MariaDB's sequence engine).
void CreateBigTenant(const std::string& name, int rows) {
  CommandResult result = RunCommand(
      "scripts/sandbox mysql -e \"DROP DATABASE IF EXISTS " + name + "; CREATE DATABASE " + name + "; USE " + name + "; "
      "CREATE TABLE " + name + ".mesure (id INT UNSIGNED NOT NULL PRIMARY KEY, capteur VARCHAR(40) NOT NULL, "
      "valeur DECIMAL(10,3), mesure_le DATETIME NOT NULL) ENGINE=InnoDB; "
      "INSERT INTO " + name + ".mesure SELECT seq, CONCAT('capteur-', seq % 97, '-', REPEAT('x', seq % 20)), "
      "(seq % 100000) / 7, TIMESTAMP('2015-01-01') + INTERVAL seq MINUTE FROM seq_1_to_" + std::to_string(rows) + "; "
      "ANALYZE TABLE " + name + ".mesure;\"");
  ASSERT_EQ(result.exit_code, 0) << result.output;
}

std::string SourceCount(const std::string& table) {
  return RunCommand("scripts/sandbox mysql -N -e 'SELECT COUNT(*) FROM " + table + "'").output;
}

TEST(Fleet, ParallelWorkersAndThreadsLandEveryRow) {
  CreateSampleTenants("ftest_", 3);
  CreateBigTenant("ftest_big", 60000);
  CommandResult run = RunMy2pg("migrate --databases 'ftest_%' --target '" + Env("MY2PG_TARGET") +
                               "' --jobs 2 --threads 2 --chunk-rows 10000 --replace --reject-dir $MY2PG_TEST_OUT/ftest-rejects "
                               "--report $MY2PG_TEST_OUT/ftest-report.json");
  ASSERT_EQ(run.exit_code, 0) << run.output;
  EXPECT_NE(run.output.find("my2pg: migrating 4 databases, 2 at a time, 2 threads each"), std::string::npos);
  rapidjson::Document report;
  report.Parse(ReadFile(Out("ftest-report.json")).c_str());
  ASSERT_TRUE(report.IsObject());
  EXPECT_EQ(report["databases_done"].GetInt(), 4);
  for (const auto& database : report["databases"].GetArray()) {
    std::string name = database["database"].GetString();
    PgSession db = my2pg::Target(name);
    for (const auto& table : database["tables"].GetArray()) {
      std::string source = table["source"].GetString();
      int64_t in_target = std::stoll(db.QueryValue("SELECT count(*) FROM " + std::string(table["target"].GetString())));
      int64_t in_source = std::stoll(SourceCount(name + "." + source));
      // Every source row is loaded or rejected.
      EXPECT_EQ(in_source, in_target + table["rows_rejected"].GetInt64()) << name << "." << source;
      EXPECT_EQ(table["rows_read"].GetInt64(), in_source) << name << "." << source;
    }
  }
  // The big table was split into key ranges and is complete and keyed.
  const auto& big = report["databases"][3];  // in name order
  ASSERT_EQ(std::string(big["database"].GetString()), "ftest_big");
  EXPECT_EQ(big["tables"][0]["chunks"].GetInt(), 4);
  PgSession db = my2pg::Target("ftest_big");
  EXPECT_EQ(db.QueryValue("SELECT count(DISTINCT id) || ' ' || min(id) || ' ' || max(id) FROM mesure"), "60000 1 60000");
  EXPECT_EQ(db.QueryValue("SELECT count(*) FROM pg_constraint WHERE conname = 'mesure_pkey'"), "1");
}

pid_t FindProcess(const std::string& comm) {
  DIR* proc = opendir("/proc");
  pid_t found = 0;
  while (dirent* entry = readdir(proc)) {
    std::ifstream file(std::string("/proc/") + entry->d_name + "/comm");
    std::string name;
    if (std::getline(file, name) && name == comm) found = std::atoi(entry->d_name);
  }
  closedir(proc);
  return found;
}

TEST(Fleet, KilledWorkerFailsOnlyItsDatabase) {
  CreateSampleTenants("ktest_", 2);
  CreateBigTenant("ktest_big", 1500000);
  std::remove(Out("ktest-exit").c_str());
  // Start my2pg in the background; its exit code lands in a file.
  std::string command = std::string(MY2PG_BINARY) + " migrate --databases 'ktest_%' --target '" + Env("MY2PG_TARGET") +
                        "' --jobs 3 --threads 1 --replace --reject-dir $MY2PG_TEST_OUT/ktest-rejects "
                        "--report $MY2PG_TEST_OUT/ktest-report.json";
  ASSERT_EQ(std::system(("(" + command + " > $MY2PG_TEST_OUT/ktest-output 2>&1; echo $? > $MY2PG_TEST_OUT/ktest-exit) &").c_str()), 0);

  // Wait until the big table's COPY is under way, then kill its worker.
  PgSession monitor = my2pg::Target("postgres");
  bool copying = false;
  for (int i = 0; i < 600 && !copying; ++i) {
    copying = monitor.QueryValue("SELECT count(*) FROM pg_stat_progress_copy p JOIN pg_database d ON d.oid = p.datid "
                                 "WHERE d.datname = 'ktest_big' AND p.tuples_processed > 0") == "1";
    if (!copying) std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  ASSERT_TRUE(copying) << "the copy of ktest_big was never seen under way";
  pid_t worker = FindProcess("my2pg:ktest_big");
  ASSERT_GT(worker, 0);
  ASSERT_EQ(kill(worker, SIGKILL), 0);

  std::string exit_code;
  for (int i = 0; i < 1200 && exit_code.empty(); ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    exit_code = ReadFile(Out("ktest-exit"));
  }
  ASSERT_EQ(exit_code, "1\n") << ReadFile(Out("ktest-output"));
  rapidjson::Document report;
  report.Parse(ReadFile(Out("ktest-report.json")).c_str());
  ASSERT_TRUE(report.IsObject());
  EXPECT_EQ(report["databases_done"].GetInt(), 2);
  EXPECT_EQ(report["databases_failed"].GetInt(), 1);
  for (const auto& database : report["databases"].GetArray()) {
    std::string name = database["database"].GetString();
    if (name == "ktest_big") {
      EXPECT_EQ(std::string(database["status"].GetString()), "failed");
      EXPECT_EQ(std::string(database["error"].GetString()), "worker killed by signal 9 (Killed)");
    } else {
      EXPECT_EQ(std::string(database["status"].GetString()), "done") << name;
      EXPECT_EQ(my2pg::Target(name).QueryValue("SELECT count(*) FROM reservation"), "2") << name;
    }
  }
  // The killed copy was never committed: its transaction, which created the
  // table, left nothing behind; no row is visible.
  EXPECT_EQ(my2pg::Target("ktest_big").QueryValue("SELECT to_regclass('mesure') IS NULL"), "t");
  std::string output = ReadFile(Out("ktest-output"));
  EXPECT_NE(output.find("error: ktest_big: worker killed by signal 9 (Killed)"), std::string::npos) << output;
}

}  // namespace
}  // namespace my2pg
