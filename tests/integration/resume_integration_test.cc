// Resume (issue 14): a run SIGKILLed at points spread over its length
// (schema DDL, mid-COPY, index builds, foreign keys and views), then
// `migrate --resume`, leaves the target identical to an uninterrupted run:
// the same rows in every table (count and checksum), no duplicate, the same
// relations, constraints, indexes, triggers and views, every chunk recorded
// done. A finished run resumed changes nothing.
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <random>
#include <regex>
#include <string>
#include <thread>
#include <vector>

#include <rapidjson/document.h>

#include <cppconn/resultset.h>

#include "adapters/mysql_session.h"
#include "common/error.h"
#include "tests/integration/test_env.h"

namespace my2pg {
namespace {

using Clock = std::chrono::steady_clock;

const char kDatabase[] = "ztest_resume";

void CreateResumeSource() {
  CommandResult result = RunCommand(
      std::string("scripts/sandbox mysql -e \"DROP DATABASE IF EXISTS ") + kDatabase + "; CREATE DATABASE " + kDatabase +
      "; USE " + kDatabase +
      "; CREATE TABLE big (id INT PRIMARY KEY, grp INT NOT NULL, name VARCHAR(40), amount DECIMAL(10,2), "
      "created DATETIME, KEY by_grp (grp)) ENGINE=InnoDB; "
      "INSERT INTO big SELECT seq, seq % 97, CONCAT('name ', seq), seq / 7, "
      "'2020-01-01' + INTERVAL seq MINUTE FROM seq_1_to_300000; "
      "CREATE TABLE parent (id INT PRIMARY KEY, label VARCHAR(20) NOT NULL, UNIQUE KEY (label)) ENGINE=InnoDB; "
      "INSERT INTO parent SELECT seq, CONCAT('p', seq) FROM seq_1_to_2000; "
      "CREATE TABLE child (id INT AUTO_INCREMENT PRIMARY KEY, parent_id INT NOT NULL, note TEXT, KEY (parent_id), "
      "FOREIGN KEY (parent_id) REFERENCES parent (id)) ENGINE=InnoDB; "
      "INSERT INTO child SELECT seq, seq % 2000 + 1, REPEAT('x', seq % 50) FROM seq_1_to_60000; "
      "CREATE TABLE small (code CHAR(3) PRIMARY KEY, v INT) ENGINE=InnoDB; "
      "INSERT INTO small VALUES ('abc', 1), ('def', 2); "
      "CREATE VIEW big_groups AS SELECT grp, COUNT(*) AS n FROM big GROUP BY grp; "
      "ANALYZE TABLE big, parent, child, small;\"");
  ASSERT_EQ(result.exit_code, 0) << result.output;
}

std::string MigrateArguments(const std::string& mode) {
  return "migrate --databases " + std::string(kDatabase) + " --target '" + Env("MY2PG_TARGET") + "' " + mode +
         " -q --threads 4 --chunk-rows 20000 --reject-dir $MY2PG_TEST_OUT/rejects --report $MY2PG_TEST_OUT/" +
         kDatabase + ".json";
}

// Everything that must come out the same: per table its row count and a
// checksum of its rows in key order, then the relations, constraints,
// indexes and triggers by name (not the my2pg schema, which holds epochs).
std::vector<std::string> TargetFingerprint() {
  PgSession db = Target(kDatabase);
  std::vector<std::string> lines;
  for (const auto& row : db.Query(
           "SELECT quote_ident(n.nspname) || '.' || quote_ident(c.relname) FROM pg_class c "
           "JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.relkind = 'r' AND n.nspname NOT IN "
           "('pg_catalog', 'information_schema', 'my2pg') AND n.nspname NOT LIKE 'pg_toast%' ORDER BY 1")) {
    lines.push_back(row[0] + " " + db.QueryValue("SELECT count(*) || ' ' || md5(COALESCE(string_agg(t::text, '|' "
                                                 "ORDER BY t::text), '')) FROM " + row[0] + " t"));
  }
  for (const auto& row : db.Query(
           "SELECT n.nspname || '.' || c.relname || ' ' || c.relkind::text FROM pg_class c JOIN pg_namespace n "
           "ON n.oid = c.relnamespace WHERE n.nspname NOT IN ('pg_catalog', 'information_schema', 'my2pg') "
           "AND n.nspname NOT LIKE 'pg_toast%' UNION ALL "
           "SELECT 'constraint ' || conrelid::regclass || ' ' || conname || ' ' || contype::text FROM pg_constraint "
           "WHERE connamespace NOT IN (SELECT oid FROM pg_namespace WHERE nspname IN ('pg_catalog', 'my2pg')) "
           "UNION ALL SELECT 'trigger ' || tgrelid::regclass || ' ' || tgname FROM pg_trigger WHERE NOT tgisinternal "
           "ORDER BY 1")) {
    lines.push_back(row[0]);
  }
  return lines;
}

// Chunks (and whole tables) recorded in the target and not done.
std::string UnfinishedChunks() {
  return Target(kDatabase).QueryValue(
      "SELECT count(*) FILTER (WHERE status <> 'done') || ' of ' || count(*) FROM my2pg.chunk_state");
}

// SIGKILLs the run after "delay" unless it ended first; true if it was
// killed mid-run.
bool KillAfter(pid_t pid, std::chrono::milliseconds delay) {
  auto end = Clock::now() + delay;
  int status = 0;
  while (Clock::now() < end) {
    if (waitpid(pid, &status, WNOHANG) == pid) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  kill(-pid, SIGKILL);
  waitpid(pid, &status, 0);
  // The workers are in the group too: wait until none is left.
  for (int i = 0; i < 500 && kill(-pid, 0) == 0; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(10));
  return true;
}

int64_t ReportedRowsWritten() {
  rapidjson::Document report;
  report.Parse(ReadFile(Out(std::string(kDatabase) + ".json")).c_str());
  if (!report.IsObject() || !report.HasMember("databases")) return -1;
  return report["databases"][0]["rows_written"].GetInt64();
}

TEST(Resume, FinishedRunResumedChangesNothing) {
  CreateResumeSource();
  CommandResult first = RunMy2pg(MigrateArguments("--replace"));
  ASSERT_EQ(first.exit_code, 0) << first.output;
  std::vector<std::string> expected = TargetFingerprint();
  std::string records = Target(kDatabase).QueryValue(
      "SELECT string_agg(source_table || ':' || chunk || ':' || epoch || ':' || rows_written, ',' ORDER BY 1) || "
      "' / ' || (SELECT count(*) FROM my2pg.step_done) FROM my2pg.chunk_state");
  CommandResult again = RunMy2pg(MigrateArguments("--resume"));
  EXPECT_EQ(again.exit_code, 0) << again.output;
  EXPECT_EQ(TargetFingerprint(), expected);
  EXPECT_EQ(Target(kDatabase).QueryValue(
                "SELECT string_agg(source_table || ':' || chunk || ':' || epoch || ':' || rows_written, ',' "
                "ORDER BY 1) || ' / ' || (SELECT count(*) FROM my2pg.step_done) FROM my2pg.chunk_state"),
            records);
  EXPECT_EQ(ReportedRowsWritten(), 300000 + 2000 + 60000 + 2);
  // Without --resume an existing target is still refused.
  CommandResult refused = RunMy2pg(MigrateArguments(""));
  EXPECT_EQ(refused.exit_code, 1) << refused.output;
  rapidjson::Document report;
  report.Parse(ReadFile(Out(std::string(kDatabase) + ".json")).c_str());
  ASSERT_TRUE(report.IsObject() && report.HasMember("databases")) << refused.output;
  EXPECT_EQ(std::string(report["databases"][0]["error"].GetString()),
            "target database 'ztest_resume' already exists (use --replace to drop and recreate it); --resume "
            "carries on a run that stopped");
}

// `verify --full` of the resumed target: every row of the source, exactly.
void ExpectVerifiedIdentical() {
  CommandResult verify = RunMy2pg("verify --databases " + std::string(kDatabase) + " --target '" +
                                  Env("MY2PG_TARGET") + "' --full");
  EXPECT_EQ(verify.exit_code, 0) << verify.output;
  EXPECT_NE(verify.output.find(std::string(kDatabase) + ": OK\n"), std::string::npos) << verify.output;
}

// 20 kill points drawn at random over the length of a clean run (schema DDL,
// mid-COPY, index builds, foreign keys, views); the seed is printed, and
// MY2PG_KILL_SEED replays one.
TEST(Resume, SigkillAtPointsSpreadOverTheRunThenResume) {
  CreateResumeSource();
  auto start = Clock::now();
  CommandResult clean = RunMy2pg(MigrateArguments("--replace"));
  ASSERT_EQ(clean.exit_code, 0) << clean.output;
  auto length = std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - start);
  std::vector<std::string> expected = TargetFingerprint();
  ASSERT_GT(expected.size(), 8u);
  unsigned seed = std::getenv("MY2PG_KILL_SEED") != nullptr ? std::stoul(std::getenv("MY2PG_KILL_SEED"))
                                                            : std::random_device()();
  std::mt19937 random(seed);
  // Within the run's length as measured: the last 10% may end first on a
  // faster second run, which then says nothing.
  std::uniform_real_distribution<double> point(0.0, 0.9);
  std::vector<double> fractions;
  for (int i = 0; i < 20; ++i) fractions.push_back(point(random));
  std::sort(fractions.begin(), fractions.end());
  int killed = 0;
  for (double fraction : fractions) {
    SCOPED_TRACE("MY2PG_KILL_SEED=" + std::to_string(seed) + ": killed at " + std::to_string(fraction) + " of " +
                 std::to_string(length.count()) + " ms");
    pid_t run = Spawn(MigrateArguments("--replace"));
    killed += KillAfter(run, std::chrono::milliseconds(static_cast<int64_t>(length.count() * fraction)));
    CommandResult resumed = RunMy2pg(MigrateArguments("--resume"));
    ASSERT_EQ(resumed.exit_code, 0) << resumed.output;
    EXPECT_EQ(TargetFingerprint(), expected);
    EXPECT_EQ(UnfinishedChunks().substr(0, 2), "0 ");
    EXPECT_EQ(ReportedRowsWritten(), 300000 + 2000 + 60000 + 2);
    ExpectVerifiedIdentical();
  }
  EXPECT_GE(killed, 15) << "MY2PG_KILL_SEED=" << seed << ": the run ended before most kills: the points say nothing";
}

// PostgreSQL restarted (fast: every session ended) mid-COPY: the run retries
// what the restart cut, or fails those tables cleanly; a resume then
// completes it, and the target verifies identical.
TEST(Retry, PostgresqlRestartedMidRunThenResume) {
  CreateResumeSource();
  CommandResult clean = RunMy2pg(MigrateArguments("--replace"));
  ASSERT_EQ(clean.exit_code, 0) << clean.output;
  std::vector<std::string> expected = TargetFingerprint();
  // Dropped first: the chunks seen done below are this run's.
  Target("postgres").Execute(std::string("DROP DATABASE ") + kDatabase + " WITH (FORCE)");
  pid_t run = Spawn(MigrateArguments("--replace"), Out("restarted.log"));
  // Once some chunks of "big" are committed and others are copying.
  std::string done;
  for (int i = 0; i < 3000 && (done.empty() || done == "0"); ++i) {
    try {
      done = Target(kDatabase).QueryValue(
          "SELECT count(*) FROM my2pg.chunk_state WHERE source_table = 'big' AND status = 'done'");
    } catch (const Error&) {
      // Not created yet.
    }
    if (done.empty() || done == "0") std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  ASSERT_NE(done, "0");
  CommandResult restart = RunCommand("scripts/sandbox restart-postgresql");
  ASSERT_EQ(restart.exit_code, 0) << restart.output;
  int status = 0;
  ASSERT_EQ(waitpid(run, &status, 0), run);
  ASSERT_TRUE(WIFEXITED(status));
  std::string log = ReadFile(Out("restarted.log"));
  if (WEXITSTATUS(status) != 0) {
    EXPECT_EQ(WEXITSTATUS(status), 1) << log;  // failed cleanly, not crashed
    CommandResult resumed = RunMy2pg(MigrateArguments("--resume"));
    ASSERT_EQ(resumed.exit_code, 0) << resumed.output;
  }
  EXPECT_EQ(TargetFingerprint(), expected);
  EXPECT_EQ(UnfinishedChunks().substr(0, 2), "0 ");
  EXPECT_EQ(ReportedRowsWritten(), 300000 + 2000 + 60000 + 2);
  ExpectVerifiedIdentical();
}

// A DROP DATABASE cut short (a --replace killed, a restart) leaves the
// database invalid: PostgreSQL refuses connections to it. A plain migrate
// says so; --resume drops it and loads it afresh.
TEST(Resume, InvalidTargetDatabaseLeftByACutDropIsLoadedAfresh) {
  CreateResumeSource();
  CommandResult clean = RunMy2pg(MigrateArguments("--replace"));
  ASSERT_EQ(clean.exit_code, 0) << clean.output;
  std::vector<std::string> expected = TargetFingerprint();
  // What DROP DATABASE marks first (PostgreSQL 15.4 on).
  CommandResult mark = RunCommand(std::string("scripts/sandbox psql -d postgres -q -c \"UPDATE pg_database SET "
                                              "datconnlimit = -2 WHERE datname = '") + kDatabase + "'\"");
  ASSERT_EQ(mark.exit_code, 0) << mark.output;
  CommandResult plain = RunMy2pg(MigrateArguments(""));
  EXPECT_EQ(plain.exit_code, 1) << plain.output;
  EXPECT_NE(ReadFile(Out(std::string(kDatabase) + ".json"))
                .find("target database 'ztest_resume' is invalid: a DROP DATABASE of it was cut short (use "
                      "--replace or --resume to drop it and load it afresh)"),
            std::string::npos);
  CommandResult resumed = RunMy2pg(MigrateArguments("--resume"));
  ASSERT_EQ(resumed.exit_code, 0) << resumed.output;
  EXPECT_EQ(TargetFingerprint(), expected);
  EXPECT_EQ(ReportedRowsWritten(), 300000 + 2000 + 60000 + 2);
}

// SIGINT, then SIGTERM, mid-run: the run stops within 15 s with 130 / 143,
// its report says interrupted, and a resume completes it.
TEST(Resume, InterruptedBySignalStopsCleanlyAndResumes) {
  CreateResumeSource();
  auto start = Clock::now();
  CommandResult clean = RunMy2pg(MigrateArguments("--replace"));
  ASSERT_EQ(clean.exit_code, 0) << clean.output;
  auto length = std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - start);
  std::vector<std::string> expected = TargetFingerprint();
  for (int signal : {SIGINT, SIGTERM}) {
    SCOPED_TRACE("signal " + std::to_string(signal));
    std::remove(Out(std::string(kDatabase) + ".json").c_str());
    std::string loud = MigrateArguments("--replace");
    loud.erase(loud.find(" -q "), 3);  // the summary, to see it written
    pid_t run = Spawn(loud, Out("interrupted.log"));
    std::this_thread::sleep_for(length / 4);  // mid-COPY
    auto sent = Clock::now();
    ASSERT_EQ(kill(run, signal), 0);
    int status = 0;
    ASSERT_EQ(waitpid(run, &status, 0), run);
    double seconds = std::chrono::duration<double>(Clock::now() - sent).count();
    EXPECT_LT(seconds, 15.0);
    ASSERT_TRUE(WIFEXITED(status));
    EXPECT_EQ(WEXITSTATUS(status), 128 + signal);
    rapidjson::Document report;
    report.Parse(ReadFile(Out(std::string(kDatabase) + ".json")).c_str());
    ASSERT_TRUE(report.IsObject() && report.HasMember("databases"));
    EXPECT_EQ(std::string(report["databases"][0]["status"].GetString()), "interrupted");
    EXPECT_EQ(std::string(report["databases"][0]["error"].GetString()),
              "interrupted by signal " + std::to_string(signal) + " (migrate --resume carries on)");
    EXPECT_NE(UnfinishedChunks().substr(0, 2), "0 ");
    std::string summary = ReadFile(Out("interrupted.log"));
    EXPECT_NE(summary.find("\ntotal                    INTERRUPTED "), std::string::npos) << summary;
    // Nothing left running in the target for this database.
    EXPECT_EQ(Target("postgres").QueryValue("SELECT count(*) FROM pg_stat_activity WHERE datname = '" +
                                            std::string(kDatabase) + "' AND pid <> pg_backend_pid()"),
              "0");
    CommandResult resumed = RunMy2pg(MigrateArguments("--resume"));
    ASSERT_EQ(resumed.exit_code, 0) << resumed.output;
    EXPECT_EQ(TargetFingerprint(), expected);
    EXPECT_EQ(ReportedRowsWritten(), 300000 + 2000 + 60000 + 2);
  }
}

// A second SIGINT ends the run at once: exit 130, no report or summary
// written (the first would write them); a resume completes the target.
TEST(Resume, SecondSigintEndsAtOnce) {
  CreateResumeSource();
  CommandResult clean = RunMy2pg(MigrateArguments("--replace"));
  ASSERT_EQ(clean.exit_code, 0) << clean.output;
  std::vector<std::string> expected = TargetFingerprint();
  Target("postgres").Execute(std::string("DROP DATABASE ") + kDatabase + " WITH (FORCE)");
  std::remove(Out(std::string(kDatabase) + ".json").c_str());
  std::string loud = MigrateArguments("--replace");
  loud.erase(loud.find(" -q "), 3);
  pid_t run = Spawn(loud, Out("second-sigint.log"));
  std::string done;
  for (int i = 0; i < 3000 && (done.empty() || done == "0"); ++i) {
    try {
      done = Target(kDatabase).QueryValue("SELECT count(*) FROM my2pg.chunk_state WHERE status = 'done'");
    } catch (const Error&) {
      // Not created yet.
    }
    if (done.empty() || done == "0") std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  ASSERT_NE(done, "0");
  ASSERT_EQ(kill(run, SIGINT), 0);
  std::this_thread::sleep_for(std::chrono::milliseconds(50));
  ASSERT_EQ(kill(run, SIGINT), 0);
  int status = 0;
  ASSERT_EQ(waitpid(run, &status, 0), run);
  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 130);
  EXPECT_EQ(RunCommand("ls " + Out(std::string(kDatabase) + ".json") + " 2>/dev/null | wc -l").output, "0\n");
  EXPECT_EQ(ReadFile(Out("second-sigint.log")).find("INTERRUPTED"), std::string::npos);
  // The workers stop on the first SIGINT, forwarded: none is left.
  for (int i = 0; i < 1500 && kill(-run, 0) == 0; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(10));
  EXPECT_NE(kill(-run, 0), 0);
  CommandResult resumed = RunMy2pg(MigrateArguments("--resume"));
  ASSERT_EQ(resumed.exit_code, 0) << resumed.output;
  EXPECT_EQ(TargetFingerprint(), expected);
}

// Reject files are exact like the rows: a chunk's rejects count once it
// commits, so after kills and resumes (chunks rolled back and loaded again)
// the file holds each rejected row once; a table loaded afresh leaves no
// file of an earlier run behind.
TEST(Resume, RejectFilesAreExactAfterChunkReloads) {
  CommandResult created = RunCommand(
      "scripts/sandbox mysql -e \"DROP DATABASE IF EXISTS ztest_rejects; CREATE DATABASE ztest_rejects; "
      "USE ztest_rejects; CREATE TABLE r (id INT PRIMARY KEY, code VARCHAR(20) NOT NULL) ENGINE=InnoDB; "
      "INSERT INTO r SELECT seq, IF(seq % 997 = 0, CONCAT('too long ', seq), 'ok') "
      "FROM seq_1_to_200000; ANALYZE TABLE r;\"");
  ASSERT_EQ(created.exit_code, 0) << created.output;
  auto arguments = [](const std::string& mode, const std::string& mapping) {
    return "migrate --databases ztest_rejects --target '" + Env("MY2PG_TARGET") + "' " + mode + mapping +
           " -q --threads 2 --chunk-rows 10000 --reject-dir " + Out("exact-rejects");
  };
  const std::string mapping = " --mapping tests/integration/data/rejects_resume_mapping.json";
  const std::string file = Out("exact-rejects/ztest_rejects/r.rejects.jsonl");
  auto sorted_lines = [&file] {
    std::vector<std::string> lines;
    std::string text = ReadFile(file);
    for (size_t start = 0, end; start < text.size(); start = end + 1) {
      end = text.find('\n', start);
      if (end == std::string::npos) end = text.size();
      lines.push_back(text.substr(start, end - start));
    }
    std::sort(lines.begin(), lines.end());
    return lines;
  };
  auto start = Clock::now();
  CommandResult clean = RunMy2pg(arguments("--replace", mapping));
  ASSERT_EQ(clean.exit_code, 0) << clean.output;
  auto length = std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - start);
  std::vector<std::string> expected = sorted_lines();
  ASSERT_EQ(expected.size(), 200000u / 997);
  // The chunk's number depends on how the row estimate splits the table.
  EXPECT_EQ(std::regex_replace(expected.front(), std::regex(R"("chunk":[0-9]+\})"), "\"chunk\":N}"),
            "{\"key\":{\"id\":\"100697\"},\"column\":\"code\",\"reason\":\"value of 15 characters does not fit "
            "varchar(5)\",\"value\":\"too long 100697\",\"row\":{\"id\":\"100697\",\"code\":\"too long 100697\"},"
            "\"chunk\":N}");
  int killed = 0;
  for (double fraction : {0.3, 0.5, 0.7}) {
    SCOPED_TRACE("killed at " + std::to_string(fraction) + " of " + std::to_string(length.count()) + " ms");
    pid_t run = Spawn(arguments("--replace", mapping));
    killed += KillAfter(run, std::chrono::milliseconds(static_cast<int64_t>(length.count() * fraction)));
    CommandResult resumed = RunMy2pg(arguments("--resume", mapping));
    ASSERT_EQ(resumed.exit_code, 0) << resumed.output;
    EXPECT_EQ(sorted_lines(), expected);
    EXPECT_EQ(Target("ztest_rejects").QueryValue("SELECT count(*) FROM r"), std::to_string(200000 - 200000 / 997));
  }
  EXPECT_GE(killed, 2);
  // Loaded afresh without the narrowing mapping: nothing rejected, no file.
  CommandResult plain = RunMy2pg(arguments("--replace", ""));
  ASSERT_EQ(plain.exit_code, 0) << plain.output;
  EXPECT_EQ(RunCommand("ls " + file + " 2>/dev/null | wc -l").output, "0\n");
}

// An index build checks no flag: one that waits (here for a lock another
// session holds; in real life, one that runs for many minutes) is cancelled
// at the interruption, and the run stops within 15 s; a resume completes.
TEST(Resume, InterruptionCancelsAWaitingIndexBuild) {
  CreateResumeSource();
  CommandResult clean = RunMy2pg(MigrateArguments("--replace"));
  ASSERT_EQ(clean.exit_code, 0) << clean.output;
  std::vector<std::string> expected = TargetFingerprint();
  Target("postgres").Execute(std::string("DROP DATABASE ") + kDatabase + " WITH (FORCE)");
  pid_t run = Spawn(MigrateArguments("--replace"), Out("index-wait.log"));
  // ROW EXCLUSIVE lets the COPYs in and keeps CREATE INDEX (SHARE) out.
  std::unique_ptr<PgSession> blocker;
  for (int i = 0; i < 3000 && !blocker; ++i) {
    try {
      auto session = std::make_unique<PgSession>(ConnectionUri::Parse(Env("MY2PG_TARGET")).ForDatabase(kDatabase));
      session->Execute("BEGIN; LOCK TABLE public.big IN ROW EXCLUSIVE MODE");
      blocker = std::move(session);
    } catch (const Error&) {
      std::this_thread::sleep_for(std::chrono::milliseconds(5));  // not created yet
    }
  }
  ASSERT_TRUE(blocker);
  std::string waiting;
  PgSession watcher = Target("postgres");
  for (int i = 0; i < 6000 && waiting.empty(); ++i) {
    waiting = watcher.QueryValue("SELECT pid FROM pg_stat_activity WHERE datname = '" + std::string(kDatabase) +
                                 "' AND wait_event_type = 'Lock' AND query LIKE 'CREATE %INDEX%big%' LIMIT 1");
    if (waiting.empty()) std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  ASSERT_FALSE(waiting.empty()) << "no index build of big waited";
  auto sent = Clock::now();
  ASSERT_EQ(kill(run, SIGINT), 0);
  int status = 0;
  ASSERT_EQ(waitpid(run, &status, 0), run);
  EXPECT_LT(std::chrono::duration<double>(Clock::now() - sent).count(), 15.0);
  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 130) << ReadFile(Out("index-wait.log"));
  EXPECT_EQ(watcher.QueryValue("SELECT count(*) FROM pg_stat_activity WHERE datname = '" + std::string(kDatabase) +
                               "' AND application_name = 'my2pg' AND pid <> " +
                               blocker->QueryValue("SELECT pg_backend_pid()")),
            "0");
  blocker->Execute("ROLLBACK");
  blocker.reset();
  CommandResult resumed = RunMy2pg(MigrateArguments("--resume"));
  ASSERT_EQ(resumed.exit_code, 0) << resumed.output;
  EXPECT_EQ(TargetFingerprint(), expected);
}

// A migrate --replace, and "terminate" (SQL that terminates backends and
// gives what it terminated, "" for none yet) run until it terminates some:
// what it gave, and the run's exit status.
struct Terminated {
  std::string terminated;
  int status = 0;
};

Terminated MigrateTerminating(const std::string& terminate) {
  pid_t run = Spawn(MigrateArguments("--replace"));
  Terminated cut;
  PgSession admin = Target("postgres");
  for (int i = 0; i < 2000 && cut.terminated.empty(); ++i) {
    cut.terminated = admin.QueryValue(terminate);
    if (cut.terminated.empty()) std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  EXPECT_EQ(waitpid(run, &cut.status, 0), run);
  return cut;
}

// A COPY's backend terminated from another session mid-load (57P01, what a
// server restart does to every session): the chunk is retried on a new
// connection from the same snapshot, the run ends done, the target complete,
// and the report says what was retried.
TEST(Retry, TerminatedCopyBackendIsRetried) {
  CreateResumeSource();
  CommandResult clean = RunMy2pg(MigrateArguments("--replace"));
  ASSERT_EQ(clean.exit_code, 0) << clean.output;
  std::vector<std::string> expected = TargetFingerprint();
  Terminated cut = MigrateTerminating(
      "SELECT string_agg(pg_terminate_backend(pid)::text, ',') FROM pg_stat_activity WHERE datname = '" +
      std::string(kDatabase) + "' AND query LIKE 'COPY %big%'");
  ASSERT_FALSE(cut.terminated.empty()) << "no COPY of big was seen running";
  EXPECT_TRUE(WIFEXITED(cut.status) && WEXITSTATUS(cut.status) == 0);
  EXPECT_EQ(TargetFingerprint(), expected);
  EXPECT_EQ(ReportedRowsWritten(), 300000 + 2000 + 60000 + 2);
  std::string report = ReadFile(Out(std::string(kDatabase) + ".json"));
  EXPECT_NE(report.find("retried after: "), std::string::npos) << report;
}

// The control session (the holder of the target's lock, which runs the
// statements after the load: here child's identity restart) terminated
// mid-copy: the run opens another, takes the lock again, says it retried,
// and ends as a clean run does.
TEST(Retry, TerminatedControlSessionIsReopened) {
  CreateResumeSource();
  CommandResult clean = RunMy2pg(MigrateArguments("--replace"));
  ASSERT_EQ(clean.exit_code, 0) << clean.output;
  std::vector<std::string> expected = TargetFingerprint();
  Terminated cut = MigrateTerminating(
      "SELECT string_agg(pg_terminate_backend(l.pid)::text, ',') FROM pg_locks l JOIN pg_database d ON "
      "d.oid = l.database WHERE d.datname = '" + std::string(kDatabase) + "' AND l.locktype = 'advisory' AND "
      "l.objid = 727200002 AND EXISTS (SELECT 1 FROM pg_stat_activity WHERE query LIKE 'COPY %big%')");
  ASSERT_EQ(cut.terminated, "true") << "the control session was not seen while big copied";
  EXPECT_TRUE(WIFEXITED(cut.status) && WEXITSTATUS(cut.status) == 0);
  EXPECT_EQ(TargetFingerprint(), expected);
  EXPECT_EQ(ReportedRowsWritten(), 300000 + 2000 + 60000 + 2);
  std::string report = ReadFile(Out(std::string(kDatabase) + ".json"));
  EXPECT_NE(report.find("the constraints phase retried after: "), std::string::npos) << report;
}

// The MySQL connection reading "big" KILLed from another session mid-read:
// its snapshot is gone, so the table fails cleanly (nothing of it stays; the
// tables read later on that session fail too, the others load), the run
// exits 1, and a resume completes the target.
TEST(Retry, KilledSourceConnectionFailsTheTableAndResumeCompletes) {
  CreateResumeSource();
  CommandResult clean = RunMy2pg(MigrateArguments("--replace"));
  ASSERT_EQ(clean.exit_code, 0) << clean.output;
  std::vector<std::string> expected = TargetFingerprint();
  pid_t run = Spawn(MigrateArguments("--replace"));
  // As the source account: it sees (and may KILL) its own sessions only.
  MySqlSession watcher(ConnectionUri::Parse(Env("MY2PG_SOURCE")));
  std::string killed;
  for (int i = 0; i < 3000 && killed.empty(); ++i) {
    auto rows = watcher.Query("SELECT ID FROM information_schema.PROCESSLIST WHERE INFO LIKE 'SELECT%ztest_resume%big%' "
                              "AND ID <> CONNECTION_ID()");
    while (rows->next()) killed += rows->getString(1) + " ";
    if (killed.empty()) std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
  for (size_t at = 0, end; (end = killed.find(' ', at)) != std::string::npos; at = end + 1) {
    watcher.Execute("KILL " + killed.substr(at, end - at));
  }
  int status = 0;
  ASSERT_EQ(waitpid(run, &status, 0), run);
  ASSERT_FALSE(killed.empty()) << "no read of big was seen running";
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 1);
  rapidjson::Document report;
  report.Parse(ReadFile(Out(std::string(kDatabase) + ".json")).c_str());
  ASSERT_TRUE(report.IsObject() && report.HasMember("databases"));
  // "big" failed; a table read later on the same (killed) session fails too.
  int failed = 0;
  for (const auto& table : report["databases"][0]["tables"].GetArray()) {
    std::string name = table["source"].GetString();
    std::string status = table["status"].GetString();
    if (name == "big") {
      EXPECT_EQ(status, "failed");
    }
    if (status == "failed") {
      ++failed;
      EXPECT_EQ(table["rows_written"].GetInt64(), 0) << name;
    } else {
      EXPECT_EQ(status, "done") << name;
    }
  }
  EXPECT_GE(failed, 1);
  EXPECT_EQ(Target(kDatabase).QueryValue("SELECT count(*) FROM my2pg.chunk_state WHERE source_table = 'big' AND "
                                         "status = 'done'"),
            "0");
  CommandResult resumed = RunMy2pg(MigrateArguments("--resume"));
  ASSERT_EQ(resumed.exit_code, 0) << resumed.output;
  EXPECT_EQ(TargetFingerprint(), expected);
  EXPECT_EQ(ReportedRowsWritten(), 300000 + 2000 + 60000 + 2);
}

}  // namespace
}  // namespace my2pg
