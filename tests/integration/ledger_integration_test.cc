// The ledger (issue 14): several `my2pg migrate --ledger` processes share
// one fleet. Every database is migrated exactly once (each in exactly one
// process's report, its rows exact, one epoch in its target); a process
// SIGKILLed while holding claims loses them to another after the lease; a
// stale epoch cannot mark a database done, and a process whose claim was
// taken over stops its worker and says so; `status --json` says what the
// ledger holds.
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <map>
#include <regex>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include <rapidjson/document.h>

#include "common/error.h"
#include "runtime/ledger.h"
#include "tests/integration/test_env.h"

namespace my2pg {
namespace {

using Clock = std::chrono::steady_clock;

constexpr int kDatabases = 6;

std::string Name(int i) { return "ztest_ledger_" + std::to_string(i); }

// Rows of table "t" in database i: different per database, so a database
// loaded twice or into the wrong target shows.
int64_t RowsOf(int i) { return 30000 * i + i; }

// The sources, made once per test binary (MariaDB's sequence engine).
void CreateLedgerSources() {
  static bool created = false;
  if (created) return;
  std::string sql;
  for (int i = 1; i <= kDatabases; ++i) {
    sql += "DROP DATABASE IF EXISTS " + Name(i) + "; CREATE DATABASE " + Name(i) + "; USE " + Name(i) +
           "; CREATE TABLE t (id INT PRIMARY KEY, v VARCHAR(30) NOT NULL, k INT NOT NULL, KEY (k)) ENGINE=InnoDB; "
           "INSERT INTO t SELECT seq, CONCAT('value ', seq), seq % 13 FROM seq_1_to_" +
           std::to_string(RowsOf(i)) +
           "; CREATE TABLE s (code CHAR(2) PRIMARY KEY) ENGINE=InnoDB; INSERT INTO s VALUES ('aa'), ('bb'); ";
  }
  CommandResult result = RunCommand("scripts/sandbox mysql -e \"" + sql + "\"");
  ASSERT_EQ(result.exit_code, 0) << result.output;
  created = true;
}

std::string LedgerUri() { return ConnectionUri::Parse(Env("MY2PG_TARGET")).WithDatabase("my2pg").Redacted(); }

PgSession LedgerSession() { return Target("my2pg"); }

// A fresh run "run": its rows in the ledger deleted, its targets dropped.
void ForgetRun(const std::string& run) {
  {
    PgSession admin = Target("postgres");
    for (int i = 1; i <= kDatabases; ++i) admin.Execute("DROP DATABASE IF EXISTS " + Name(i) + " WITH (FORCE)");
  }
  // The ledger may not exist yet: a first migrate --ledger creates it.
  PgSession admin = Target("postgres");
  if (admin.QueryValue("SELECT 1 FROM pg_database WHERE datname = 'my2pg'").empty()) return;
  PgSession ledger = LedgerSession();
  if (ledger.QueryValue("SELECT to_regclass('my2pg.run') IS NOT NULL") == "t") {
    ledger.Execute("DELETE FROM my2pg.run WHERE run_id = '" + run + "'");
  }
}

std::string MigrateArguments(const std::string& run, const std::string& extra) {
  std::string databases;
  for (int i = 1; i <= kDatabases; ++i) databases += " --databases " + Name(i);
  return "migrate" + databases + " --target '" + Env("MY2PG_TARGET") + "' --ledger --run " + run +
         " -q --threads 1 --reject-dir $MY2PG_TEST_OUT/rejects " + extra;
}

int Wait(pid_t pid) {
  int status = 0;
  waitpid(pid, &status, 0);
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

// The ledger's rows of "run": database -> "status attempts epoch rows_written".
std::map<std::string, std::string> LedgerRows(const std::string& run) {
  std::map<std::string, std::string> rows;
  for (const auto& row : LedgerSession().Query(
           "SELECT database, status || ' ' || attempts || ' ' || epoch || ' ' || rows_written FROM "
           "my2pg.run_database WHERE run_id = '" + run + "'")) {
    rows[row[0]] = row[1];
  }
  return rows;
}

// What each target holds: "rows of t, rows of s, epochs in its my2pg schema".
std::string TargetContent(int i) {
  PgSession db = Target(Name(i));
  return db.QueryValue("SELECT (SELECT count(*) FROM t) || ' ' || (SELECT count(*) FROM s) || ' ' || "
                       "(SELECT string_agg(DISTINCT epoch::text, ',') FROM my2pg.chunk_state)");
}

// The databases a run report lists.
std::vector<std::string> ReportedDatabases(const std::string& file) {
  rapidjson::Document report;
  report.Parse(ReadFile(file).c_str());
  std::vector<std::string> names;
  if (!report.IsObject() || !report.HasMember("databases")) return {"(no report)"};
  for (const auto& database : report["databases"].GetArray()) {
    names.push_back(std::string(database["database"].GetString()) + " " + database["status"].GetString());
  }
  return names;
}

TEST(Ledger, SeveralProcessesMigrateEveryDatabaseExactlyOnce) {
  CreateLedgerSources();
  for (int processes : {2, 3}) {
    SCOPED_TRACE(std::to_string(processes) + " processes");
    std::string run = "ztest-" + std::to_string(processes) + "-processes";
    ForgetRun(run);
    std::vector<pid_t> pids;
    for (int p = 0; p < processes; ++p) {
      std::string report = Out(run + "-" + std::to_string(p) + ".json");
      pids.push_back(Spawn(MigrateArguments(run, "--replace -j 2 --report " + report),
                           Out(run + "-" + std::to_string(p) + ".log")));
    }
    std::multiset<std::string> reported;
    for (int p = 0; p < processes; ++p) {
      EXPECT_EQ(Wait(pids[p]), 0) << ReadFile(Out(run + "-" + std::to_string(p) + ".log"));
      for (const std::string& line : ReportedDatabases(Out(run + "-" + std::to_string(p) + ".json"))) {
        reported.insert(line);
      }
    }
    // Each database in exactly one process's report, done.
    std::multiset<std::string> expected_reported;
    std::map<std::string, std::string> expected_ledger;
    for (int i = 1; i <= kDatabases; ++i) {
      expected_reported.insert(Name(i) + " done");
      expected_ledger[Name(i)] = "done 1 1 " + std::to_string(RowsOf(i) + 2);
      EXPECT_EQ(TargetContent(i), std::to_string(RowsOf(i)) + " 2 1") << Name(i);
    }
    EXPECT_EQ(reported, expected_reported);
    EXPECT_EQ(LedgerRows(run), expected_ledger);
    // Claimed by the processes started, nobody else.
    std::set<std::string> holders;
    for (const auto& row : LedgerSession().Query("SELECT DISTINCT split_part(claimed_by, ':', 2) FROM "
                                                 "my2pg.run_database WHERE run_id = '" + run + "'")) {
      holders.insert(row[0]);
    }
    for (const std::string& holder : holders) {
      bool ours = false;
      for (pid_t pid : pids) ours = ours || holder == std::to_string(pid);
      EXPECT_TRUE(ours) << holder;
    }
  }
}

TEST(Ledger, ClaimsOfAKilledProcessAreReclaimedAfterTheLease) {
  CreateLedgerSources();
  const std::string run = "ztest-killed";
  ForgetRun(run);
  pid_t first = Spawn(MigrateArguments(run, "--replace -j 3 --lease-seconds 3"), Out(run + "-first.log"));
  // Killed (with its workers: a host lost) once it holds three claims.
  std::string held;
  for (int i = 0; i < 600 && held != "3"; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
    held = LedgerSession().QueryValue(
        "SELECT count(*) FROM my2pg.run_database WHERE status = 'running' AND run_id = '" + run + "'");
  }
  ASSERT_EQ(held, "3") << ReadFile(Out(run + "-first.log"));
  kill(-first, SIGKILL);
  Wait(first);
  auto killed_at = Clock::now();
  std::set<std::string> orphaned;
  for (const auto& row : LedgerSession().Query("SELECT database FROM my2pg.run_database WHERE status = 'running' "
                                               "AND run_id = '" + run + "'")) {
    orphaned.insert(row[0]);
  }
  ASSERT_EQ(orphaned.size(), 3u);
  // The same arguments (not --resume): the lapsed claims are taken over and
  // carried on, the others migrated.
  pid_t second = Spawn(MigrateArguments(run, "--replace -j 2 --lease-seconds 3 --report " + Out(run + ".json")),
                       Out(run + "-second.log"));
  EXPECT_EQ(Wait(second), 0) << ReadFile(Out(run + "-second.log"));
  EXPECT_GE(std::chrono::duration<double>(Clock::now() - killed_at).count(), 3.0);
  std::map<std::string, std::string> expected;
  for (int i = 1; i <= kDatabases; ++i) {
    bool reclaimed = orphaned.count(Name(i)) > 0;
    expected[Name(i)] = std::string("done ") + (reclaimed ? "2 2 " : "1 1 ") + std::to_string(RowsOf(i) + 2);
    std::string content = TargetContent(i);
    // A reclaimed database was resumed (epoch 2 on what the first attempt
    // committed, if it got that far), never dropped and redone.
    EXPECT_EQ(content.substr(0, content.rfind(' ')), std::to_string(RowsOf(i)) + " 2") << Name(i);
    if (!reclaimed) {
      EXPECT_EQ(content.substr(content.rfind(' ') + 1), "1") << Name(i);
    }
  }
  EXPECT_EQ(LedgerRows(run), expected);
  std::string holder = "%:" + std::to_string(second);
  EXPECT_EQ(LedgerSession().QueryValue("SELECT count(*) FROM my2pg.run_database WHERE run_id = '" + run +
                                       "' AND claimed_by LIKE '" + holder + "'"),
            std::to_string(kDatabases));
  EXPECT_EQ(ReportedDatabases(Out(run + ".json")).size(), static_cast<size_t>(kDatabases));
}

// Fencing, on the Ledger itself: the holder of a lapsed claim can neither
// renew it nor mark it done once another process took it over.
TEST(Ledger, StaleEpochCannotMarkDone) {
  const std::string run = "ztest-fencing";
  ForgetRun(run);
  ConnectionUri uri = ConnectionUri::Parse(Env("MY2PG_TARGET")).WithDatabase("my2pg");
  LedgerRegistration registration;
  registration.run_id = run;
  registration.source = ConnectionUri::Parse(Env("MY2PG_SOURCE"));
  registration.target = ConnectionUri::Parse(Env("MY2PG_TARGET"));
  registration.tenants = {{Name(1), "", false}};
  Ledger first(uri, "first:1", 60);
  first.Join(registration);
  Ledger second(uri, "second:2", 60);
  second.Join(registration);
  std::optional<LedgerClaim> claim = first.ClaimNext(false);
  ASSERT_TRUE(claim.has_value());
  EXPECT_EQ(claim->epoch, 1);
  EXPECT_EQ(claim->attempt, 1);
  EXPECT_FALSE(second.ClaimNext(false).has_value());  // leased
  EXPECT_TRUE(first.Renew(*claim, 10, 100));
  // The lease lapses (as if "first" hung for a whole lease).
  LedgerSession().Execute("UPDATE my2pg.run_database SET lease_expires_at = now() - interval '1 second' WHERE "
                          "run_id = '" + run + "'");
  std::optional<LedgerClaim> taken = second.ClaimNext(false);
  ASSERT_TRUE(taken.has_value());
  EXPECT_EQ(taken->epoch, 2);
  EXPECT_EQ(taken->attempt, 2);
  EXPECT_FALSE(first.Renew(*claim, 20, 100));
  EXPECT_FALSE(first.Finish(*claim, WorkStatus::kDone, "", 10, 10, 0));
  EXPECT_EQ(LedgerRows(run)[Name(1)], "running 2 2 0");
  EXPECT_TRUE(second.Finish(*taken, WorkStatus::kDone, "", 5, 5, 0));
  EXPECT_EQ(LedgerRows(run)[Name(1)], "done 2 2 5");
  EXPECT_FALSE(second.Unsettled());
}

// The CLI side of fencing: a process whose claim is taken over (its epoch
// moved on in the ledger) stops that database's worker, says so, does not
// record its end, and exits 1.
TEST(Ledger, ProcessThatLostItsClaimStopsAndSaysSo) {
  CreateLedgerSources();
  const std::string run = "ztest-lost";
  ForgetRun(run);
  std::string args = "migrate --databases " + Name(kDatabases) + " --target '" + Env("MY2PG_TARGET") +
                     "' --ledger --run " + run + " --threads 1 --lease-seconds 2 --replace";
  pid_t pid = Spawn(args, Out(run + ".log"));
  std::string taken;
  for (int i = 0; i < 1000 && taken.empty(); ++i) {
    taken = LedgerSession().QueryValue(
        "UPDATE my2pg.run_database SET epoch = epoch + 1, claimed_by = 'elsewhere:1', lease_expires_at = now() + "
        "interval '1 hour' WHERE run_id = '" + run + "' AND status = 'running' RETURNING epoch");
    if (taken.empty()) std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  ASSERT_EQ(taken, "2");
  // The heartbeat finds it lost and stops the worker, or (the worker ended
  // between two renewals) the end is refused: both say so at once.
  const std::string said = "my2pg: " + Name(kDatabases) +
                           ": claim 1 was lost (its lease lapsed and another process claimed it): its ";
  std::string log;
  for (int i = 0; i < 300 && log.find(said) == std::string::npos; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    log = ReadFile(Out(run + ".log"));
  }
  EXPECT_NE(log.find(said), std::string::npos) << log;
  // The process stays while "elsewhere" holds the database (it would take
  // it over if that lease lapsed); "elsewhere" finishes it.
  LedgerSession().Execute("UPDATE my2pg.run_database SET status = 'done', lease_expires_at = NULL WHERE run_id = '" +
                          run + "'");
  EXPECT_EQ(Wait(pid), 1);
  EXPECT_EQ(LedgerRows(run)[Name(kDatabases)], "done 1 2 0");
}

// Fencing in the target: once a later claim takes the database (as a
// process that reclaimed it would, in TargetState), the earlier worker's
// transactions fail at commit: nothing more of it lands, and its database
// fails with the reason.
TEST(Ledger, StaleWorkerCannotCommitIntoTheTarget) {
  CreateLedgerSources();
  const std::string run = "ztest-fence";
  ForgetRun(run);
  std::string args = "migrate --databases " + Name(kDatabases) + " --target '" + Env("MY2PG_TARGET") +
                     "' --ledger --run " + run + " --threads 1 -q --replace";
  pid_t pid = Spawn(args, Out(run + ".log"));
  std::string taken;
  for (int i = 0; i < 2000 && taken.empty(); ++i) {
    try {
      taken = Target(Name(kDatabases))
                  .QueryValue("UPDATE my2pg.claim SET epoch = epoch + 1 WHERE run_id = '" + run +
                              "' RETURNING epoch");
    } catch (const Error&) {
      // Not created yet.
    }
    if (taken.empty()) std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
  ASSERT_EQ(taken, "2");
  EXPECT_EQ(Wait(pid), 1) << ReadFile(Out(run + ".log"));
  PgSession db = Target(Name(kDatabases));
  EXPECT_EQ(db.QueryValue("SELECT to_regclass('public.t') IS NULL"), "t");  // its creation rolled back too
  EXPECT_EQ(db.QueryValue("SELECT count(*) FROM my2pg.chunk_state WHERE status = 'done' AND source_table = 't'"),
            "0");
  EXPECT_EQ(LedgerRows(run)[Name(kDatabases)], "failed 1 1 0");
  std::string error = LedgerSession().QueryValue("SELECT error FROM my2pg.run_database WHERE run_id = '" + run + "'");
  EXPECT_NE(error.find("claim 1 of ledger run ztest-fence no longer holds this database (claim 2 of run "
                       "ztest-fence does)"),
            std::string::npos)
      << error;
}

// status --json: what the ledger holds, exactly (the timings masked).
TEST(Ledger, StatusJson) {
  CreateLedgerSources();
  const std::string run = "ztest-status";
  ForgetRun(run);
  // One database fails: its target exists and neither --replace nor --resume
  // was given.
  Target("postgres").Execute("CREATE DATABASE " + Name(2));
  std::string args = "migrate --databases " + Name(1) + " --databases " + Name(2) + " --target '" +
                     Env("MY2PG_TARGET") + "' --ledger " + LedgerUri() + " --run " + run + " -q --threads 1";
  CommandResult migrate = RunMy2pg(args);
  EXPECT_EQ(migrate.exit_code, 1) << migrate.output;
  CommandResult status = RunMy2pg("status --target '" + Env("MY2PG_TARGET") + "' --run " + run + " --json");
  ASSERT_EQ(status.exit_code, 0) << status.output;
  rapidjson::Document json;
  json.Parse(status.output.c_str());
  ASSERT_TRUE(json.IsObject()) << status.output;
  EXPECT_GT(json["elapsed_seconds"].GetDouble(), 0);
  EXPECT_GT(json["rows_per_second"].GetDouble(), 0);
  for (const auto& database : json["database_list"].GetArray()) EXPECT_GT(database["seconds"].GetDouble(), 0);
  std::string masked = std::regex_replace(status.output, std::regex(R"re(("(elapsed_seconds|rows_per_second|seconds)": )[0-9.e+-]+)re"),
                                          "$1T");
  masked = std::regex_replace(masked, std::regex(R"re(("rows_estimate": )[0-9]+)re"), "$1E");
  masked = std::regex_replace(masked, std::regex(R"re("created_at": "[0-9T:Z-]+")re"), "\"created_at\": \"C\"");
  masked = std::regex_replace(masked, std::regex(R"re("claimed_by": "[^"]*:[0-9]+")re"), "\"claimed_by\": \"H\"");
  std::string target = ConnectionUri::Parse(Env("MY2PG_TARGET")).Redacted();
  std::string source = ConnectionUri::Parse(Env("MY2PG_SOURCE")).Redacted();
  EXPECT_EQ(masked, R"({
    "format": "my2pg-status/1",
    "run": "ztest-status",
    "source": ")" + source + R"(",
    "target": ")" + target + R"(",
    "created_at": "C",
    "elapsed_seconds": T,
    "databases": {
        "total": 2,
        "done": 1,
        "running": 0,
        "failed": 1,
        "pending": 0,
        "interrupted": 0
    },
    "rows_read": 30003,
    "rows_estimate": E,
    "rows_per_second": T,
    "eta_seconds": 0.0,
    "database_list": [
        {
            "database": "ztest_ledger_1",
            "target_database": "ztest_ledger_1",
            "status": "done",
            "attempts": 1,
            "epoch": 1,
            "claimed_by": "H",
            "rows_estimate": E,
            "rows_read": 30003,
            "rows_written": 30003,
            "rows_rejected": 0,
            "seconds": T,
            "error": ""
        },
        {
            "database": "ztest_ledger_2",
            "target_database": "ztest_ledger_2",
            "status": "failed",
            "attempts": 1,
            "epoch": 1,
            "claimed_by": "H",
            "rows_estimate": E,
            "rows_read": 0,
            "rows_written": 0,
            "rows_rejected": 0,
            "seconds": T,
            "error": "target database 'ztest_ledger_2' already exists (use --replace to drop and recreate it); --resume carries on a run that stopped"
        }
    ]
}
)");
  // The text form names the failure; an unknown run is a usage error.
  CommandResult text = RunMy2pg("status --ledger " + LedgerUri() + " --run " + run);
  EXPECT_EQ(text.exit_code, 0) << text.output;
  EXPECT_NE(text.output.find("databases: 2 total, 1 done, 0 running, 1 failed, 0 pending\n"), std::string::npos)
      << text.output;
  EXPECT_NE(text.output.find("  failed   ztest_ledger_2 (attempt 1 on "), std::string::npos) << text.output;
  CommandResult unknown = RunMy2pg("status --ledger " + LedgerUri() + " --run ztest-no-such-run");
  EXPECT_EQ(unknown.exit_code, 2) << unknown.output;
  EXPECT_EQ(unknown.output, "my2pg: the ledger holds no run ztest-no-such-run\n");
}

}  // namespace
}  // namespace my2pg
