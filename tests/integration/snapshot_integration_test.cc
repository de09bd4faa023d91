// Where each run's source snapshot stands in the binary log (the start of a
// binlog catch-up): in the run report and in the target's my2pg.snapshot,
// by the run's epoch, which every chunk it loaded carries. The sandbox
// MariaDB logs in row format (scripts/sandbox).
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <rapidjson/document.h>

#include "tests/integration/test_env.h"

namespace my2pg {
namespace {

using Rows = std::vector<std::vector<std::string>>;

const char kDatabase[] = "ztest_binlog";

void Mysql(const std::string& sql) {
  CommandResult result = RunCommand("scripts/sandbox mysql -e \"" + sql + "\"");
  ASSERT_EQ(result.exit_code, 0) << result.output;
}

// The server's binary log position now, as the report writes it: file,
// position, GTID position.
std::vector<std::string> MasterStatus() {
  CommandResult status =
      RunCommand("scripts/sandbox mysql -N -B -e \"SHOW MASTER STATUS; SELECT @@gtid_binlog_pos\"");
  EXPECT_EQ(status.exit_code, 0) << status.output;
  std::string file = status.output.substr(0, status.output.find('\t'));
  std::string rest = status.output.substr(file.size() + 1);
  std::string position = rest.substr(0, rest.find('\t'));
  std::string gtid = status.output.substr(status.output.find('\n') + 1);
  while (!gtid.empty() && gtid.back() == '\n') gtid.pop_back();
  return {file, position, gtid};
}

// The report's binlog_position, as {file, position, gtid} or {"unknown: ..."}.
std::vector<std::string> ReportedPosition() {
  rapidjson::Document report;
  report.Parse(ReadFile(Out(std::string(kDatabase) + ".json")).c_str());
  EXPECT_TRUE(report.IsObject());
  const auto& binlog = report["databases"][0]["binlog_position"];
  if (binlog.HasMember("unknown")) return {std::string("unknown: ") + binlog["unknown"].GetString()};
  return {binlog["file"].GetString(), std::to_string(binlog["position"].GetInt64()), binlog["gtid"].GetString()};
}

CommandResult Migrate(const std::string& options) {
  return RunMy2pg("migrate --databases " + std::string(kDatabase) + " --target '" + Env("MY2PG_TARGET") +
                  "' --replace -q --chunk-rows 3000 " + options + " --report $MY2PG_TEST_OUT/" + kDatabase + ".json");
}

TEST(Snapshot, EachRunRecordsWhereItsSnapshotStandsInTheBinaryLog) {
  Mysql(std::string("DROP DATABASE IF EXISTS ") + kDatabase + "; CREATE DATABASE " + kDatabase + "; USE " + kDatabase +
        "; CREATE TABLE t (id INT PRIMARY KEY, v INT) ENGINE=InnoDB; INSERT INTO t SELECT seq, seq FROM seq_1_to_10000; "
        "ANALYZE TABLE t");
  std::vector<std::string> before = MasterStatus();
  ASSERT_NE(before[0], "") << "the sandbox MariaDB must log (scripts/sandbox)";
  CommandResult first = Migrate("--threads 2");
  ASSERT_EQ(first.exit_code, 0) << first.output;
  EXPECT_EQ(ReportedPosition(), before);
  // Every chunk names the run that loaded it, and that run its position.
  PgSession db = Target(kDatabase);
  EXPECT_EQ(db.Query("SELECT count(*), count(DISTINCT c.epoch), min(s.binlog_file), min(s.binlog_position)::text, "
                     "min(s.gtid) FROM my2pg.chunk_state c JOIN my2pg.snapshot s USING (epoch)"),
            (Rows{{"4", "1", before[0], before[1], before[2]}}));

  // A change after the first run: the next run's snapshot stands past it.
  Mysql(std::string("INSERT INTO ") + kDatabase + ".t VALUES (10001, 10001)");
  std::vector<std::string> after = MasterStatus();
  ASSERT_NE(after, before);
  CommandResult second = Migrate("--threads 2");
  ASSERT_EQ(second.exit_code, 0) << second.output;
  EXPECT_EQ(ReportedPosition(), after);
  EXPECT_EQ(Target(kDatabase).Query("SELECT binlog_file, binlog_position::text, gtid, unknown IS NULL "
                                    "FROM my2pg.snapshot ORDER BY epoch"),
            (Rows{{after[0], after[1], after[2], "t"}}));  // --replace started afresh

  // Several sessions without the lock have no common snapshot: unknown, and why.
  CommandResult unlocked = Migrate("--threads 2 --no-lock");
  ASSERT_EQ(unlocked.exit_code, 0) << unlocked.output;
  EXPECT_EQ(ReportedPosition(), (std::vector<std::string>{
                                    "unknown: the source was not locked (--no-lock): each session has its own snapshot"}));
  EXPECT_EQ(Target(kDatabase).Query("SELECT binlog_file IS NULL, unknown FROM my2pg.snapshot"),
            (Rows{{"t", "the source was not locked (--no-lock): each session has its own snapshot"}}));
}

}  // namespace
}  // namespace my2pg
