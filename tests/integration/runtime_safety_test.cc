// The runtime under failure and pressure, against the real servers: a task
// that throws on a pool thread fails its table only; statements that depend
// on a failed table are skipped; exit codes; durable commits; bounded
// descriptors and connections; a bounded wait for the source's table locks.
#include <dirent.h>
#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <map>
#include <set>
#include <thread>

#include <cppconn/resultset.h>
#include <libpq-fe.h>
#include <rapidjson/document.h>

#include "adapters/mysql_session.h"
#include "adapters/copy_writer.h"
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
  for (const auto& table : database["tables"].GetArray()) {
    // child was split, so its CREATE ran while planning, on a pool thread.
    if (std::string(table["source"].GetString()) == "child") {
      EXPECT_EQ(table["chunks"].GetInt(), 4);
    }
  }
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
            "ON DELETE RESTRICT ON UPDATE RESTRICT NOT VALID; ALTER TABLE \"public\".\"child\" VALIDATE CONSTRAINT "
            "\"child_child_parent_1\"");
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

// --replace while a session of another role is in the target (a psql
// ending, an application): WITH (FORCE) may not end it (42501, which
// libpqxx 6.4 throws without its SQLSTATE), so the plain DROP DATABASE
// waits for it to end. This failed whole runs before.
TEST(Replace, WaitsForAnotherRolesSessionToEnd) {
  CreateSource("stest_other", "CREATE TABLE t (id INT PRIMARY KEY); INSERT INTO t VALUES (1), (2)");
  MigrateExpecting(0, "stest_other", "");
  ASSERT_EQ(RunCommand("scripts/sandbox psql -d postgres -q -c \"DROP ROLE IF EXISTS stest_other\" -c \"CREATE ROLE "
                       "stest_other LOGIN PASSWORD 'other'\"").exit_code,
            0);
  pid_t other = fork();
  if (other == 0) {
    std::string uri = "postgresql://stest_other:other@127.0.0.1:" +
                      std::to_string(ConnectionUri::Parse(Env("MY2PG_TARGET")).port) + "/stest_other";
    execlp("psql", "psql", "-q", "-X", uri.c_str(), "-c", "SELECT pg_sleep(2)", static_cast<char*>(nullptr));
    _exit(127);
  }
  std::string seen;
  for (int i = 0; i < 500 && seen != "1"; ++i) {
    seen = my2pg::Target("postgres").QueryValue(
        "SELECT count(*) FROM pg_stat_activity WHERE datname = 'stest_other' AND usename = 'stest_other'");
    if (seen != "1") std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  ASSERT_EQ(seen, "1");
  rapidjson::Document report = MigrateExpecting(0, "stest_other", "");
  int status = 0;
  waitpid(other, &status, 0);
  EXPECT_EQ(my2pg::Target("stest_other").QueryValue("SELECT count(*) FROM t"), "2");
  RunCommand("scripts/sandbox psql -d postgres -q -c \"DROP ROLE IF EXISTS stest_other\"");
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

// A reject file is closed when its table ends: a database with more tables
// with rejects than the process may open files still loads.
TEST(BoundedResources, RejectFilesAreClosedWhenTheirTableEnds) {
  std::string sql = "SET SESSION sql_mode = 'ALLOW_INVALID_DATES'; ";
  for (int t = 1; t <= 100; ++t) {
    std::string table = "t" + std::to_string(t);
    sql += "CREATE TABLE " + table + " (id INT PRIMARY KEY, day DATE); INSERT INTO " + table +
           " VALUES (1, '2020-01-01'), (2, '2020-02-30'); ";
  }
  CreateSource("stest_fds", sql);
  CommandResult run = RunCommand("ulimit -n 64 && " + std::string(MY2PG_BINARY) +
                                 " migrate --databases stest_fds --target '" + Env("MY2PG_TARGET") +
                                 "' --jobs 1 --threads 1 --replace -q --reject-dir $MY2PG_TEST_OUT/fds-rejects");
  EXPECT_EQ(run.exit_code, 0) << run.output;
  EXPECT_EQ(ReadFile(Out("fds-rejects/stest_fds/t100.rejects.jsonl")),
            "{\"key\":{\"id\":\"2\"},\"column\":\"day\",\"reason\":\"invalid date '2020-02-30'\","
            "\"value\":\"2020-02-30\",\"row\":{\"id\":\"2\",\"day\":\"2020-02-30\"},\"chunk\":0}\n");
  EXPECT_EQ(my2pg::Target("stest_fds").QueryValue("SELECT count(*) FROM t100"), "1");
}

pid_t FindProcess(const std::string& comm) {
  pid_t found = 0;
  DIR* proc = opendir("/proc");
  while (dirent* entry = readdir(proc)) {
    if (ReadFile(std::string("/proc/") + entry->d_name + "/comm") == comm + "\n") found = std::atoi(entry->d_name);
  }
  closedir(proc);
  return found;
}

// The pipes a process holds open ("pipe:[inode]").
std::set<std::string> Pipes(pid_t pid) {
  std::set<std::string> pipes;
  std::string dir = "/proc/" + std::to_string(pid) + "/fd";
  DIR* fds = opendir(dir.c_str());
  if (fds == nullptr) return pipes;
  while (dirent* entry = readdir(fds)) {
    char target[256];
    ssize_t n = readlink((dir + "/" + entry->d_name).c_str(), target, sizeof(target) - 1);
    if (n > 0 && std::string(target, n).rfind("pipe:", 0) == 0) pipes.insert(std::string(target, n));
  }
  closedir(fds);
  return pipes;
}

// An open write transaction of the admin account on "tables" (db.table),
// which makes LOCK TABLES ... READ wait; ended by Release() or the destructor.
class SourceWriter {
 public:
  explicit SourceWriter(const std::vector<std::string>& tables) : session_(Admin()) {
    session_.Execute("START TRANSACTION READ WRITE");
    for (const std::string& table : tables) session_.Execute("UPDATE " + table + " SET id = id WHERE id = 1");
    auto id = session_.Query("SELECT CONNECTION_ID()");
    id->next();
    id_ = id->getString(1);
  }
  ~SourceWriter() { Release(); }
  void Release() {
    if (!released_) session_.Execute("ROLLBACK");
    released_ = true;
  }
  const std::string& id() const { return id_; }

 private:
  static ConnectionUri Admin() {
    MySqlDriverInit();
    ConnectionUri admin = ConnectionUri::Parse(Env("MY2PG_SOURCE"));
    admin.user = "my2pg_admin";
    admin.password = "sandbox-admin";
    return admin;
  }
  MySqlSession session_;
  std::string id_;
  bool released_ = false;
};

// A worker holds its own report pipe and no other worker's.
TEST(BoundedResources, WorkersHoldOnlyTheirOwnPipe) {
  for (const char* name : {"pfd_1", "pfd_2", "pfd_3"}) {
    CreateSource(name, "CREATE TABLE t (id INT PRIMARY KEY) ENGINE=InnoDB; INSERT INTO t VALUES (1);");
  }
  SourceWriter writer({"pfd_1.t", "pfd_2.t", "pfd_3.t"});  // the workers wait at LOCK TABLES
  std::remove(Out("pfd-exit").c_str());
  std::string command = std::string(MY2PG_BINARY) + " migrate --databases 'pfd_%' --target '" + Env("MY2PG_TARGET") +
                        "' --jobs 3 --threads 1 --replace -q --reject-dir $MY2PG_TEST_OUT/pfd-rejects";
  ASSERT_EQ(std::system(("(" + command + " < /dev/null > $MY2PG_TEST_OUT/pfd-output 2>&1; echo $? > "
                         "$MY2PG_TEST_OUT/pfd-exit) &").c_str()), 0);
  std::vector<pid_t> workers(3, 0);
  for (int i = 0; i < 400 && std::count(workers.begin(), workers.end(), 0) > 0; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    for (int w = 0; w < 3; ++w) workers[w] = FindProcess("my2pg:pfd_" + std::to_string(w + 1));
  }
  ASSERT_EQ(std::count(workers.begin(), workers.end(), 0), 0) << ReadFile(Out("pfd-output"));
  std::vector<std::set<std::string>> pipes;
  for (pid_t worker : workers) pipes.push_back(Pipes(worker));
  writer.Release();
  for (const std::string& inherited : Pipes(getpid())) {  // the test's own, from whatever started it
    for (auto& worker_pipes : pipes) worker_pipes.erase(inherited);
  }
  for (int w = 0; w < 3; ++w) {
    EXPECT_EQ(pipes[w].size(), 1u) << "worker " << w + 1;
    for (int other = 0; other < w; ++other) {
      for (const std::string& pipe : pipes[w]) EXPECT_EQ(pipes[other].count(pipe), 0u) << pipe;
    }
  }
  std::string exit_code;
  for (int i = 0; i < 1200 && exit_code.empty(); ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    exit_code = ReadFile(Out("pfd-exit"));
  }
  EXPECT_EQ(exit_code, "0\n") << ReadFile(Out("pfd-output"));
}

// More connections than the target allows are refused before the run when
// --jobs was given, and --jobs is lowered (with a note) when it was not.
TEST(BoundedResources, ConnectionsPerRunFitTheTarget) {
  for (const char* name : {"pfd_1", "pfd_2"}) {
    CreateSource(name, "CREATE TABLE t (id INT PRIMARY KEY) ENGINE=InnoDB; INSERT INTO t VALUES (1);");
  }
  std::string arguments = "migrate --databases 'pfd_1' --databases 'pfd_2' --target '" + Env("MY2PG_TARGET") +
                          "' --threads 64 --replace -q --reject-dir $MY2PG_TEST_OUT/pfd-rejects";
  CommandResult explicit_jobs = RunMy2pg(arguments + " --jobs 2");
  EXPECT_EQ(explicit_jobs.exit_code, 2) << explicit_jobs.output;
  EXPECT_EQ(explicit_jobs.output,
            "my2pg: --jobs 2 with --threads 64 may open 260 PostgreSQL connections (2 x (2 x 64 + 2)), and the "
            "target allows my2pg 197 (max_connections 200 - 3 reserved for superusers): lower --jobs to 1 or "
            "--threads\n");
  if (std::thread::hardware_concurrency() < 2) GTEST_SKIP() << "the default --jobs is already 1";
  CommandResult default_jobs = RunMy2pg(arguments);
  EXPECT_EQ(default_jobs.exit_code, 0) << default_jobs.output;
  EXPECT_EQ(default_jobs.output,
            "my2pg: note: running 1 database at a time, not " + std::to_string(std::thread::hardware_concurrency()) +
            ": with --threads 64 each may open 130 PostgreSQL connections, and the target allows my2pg 197 "
            "(max_connections 200 - 3 reserved for superusers)\n");
}

// "too many clients" is transient: my2pg waits for a free connection slot.
TEST(BoundedResources, TooManyClientsIsRetried) {
  CreateSource("plim", "CREATE TABLE t (id INT PRIMARY KEY) ENGINE=InnoDB; INSERT INTO t VALUES (1);");
  PgSession admin = my2pg::Target("postgres");
  admin.Execute("DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'my2pg_limited') THEN "
                "CREATE ROLE my2pg_limited LOGIN CREATEDB PASSWORD 'sandbox'; END IF; END $$");
  admin.Execute("ALTER ROLE my2pg_limited CONNECTION LIMIT 4");
  ConnectionUri limited = ConnectionUri::Parse(Env("MY2PG_TARGET"));
  limited.user = "my2pg_limited";
  std::vector<std::unique_ptr<PgSession>> held;  // every slot of the role
  for (int i = 0; i < 4; ++i) held.push_back(std::make_unique<PgSession>(limited.WithDatabase("postgres")));
  std::remove(Out("plim-exit").c_str());
  std::string command = std::string(MY2PG_BINARY) + " migrate --databases plim --target '" + limited.Redacted() +
                        "' --jobs 1 --threads 1 --replace -q --reject-dir $MY2PG_TEST_OUT/plim-rejects";
  ASSERT_EQ(std::system(("(" + command + " < /dev/null > $MY2PG_TEST_OUT/plim-output 2>&1; echo $? > "
                         "$MY2PG_TEST_OUT/plim-exit) &").c_str()), 0);
  std::this_thread::sleep_for(std::chrono::seconds(2));
  EXPECT_EQ(ReadFile(Out("plim-exit")), "") << "my2pg gave up while every slot was taken";
  held.clear();
  std::string exit_code;
  for (int i = 0; i < 1200 && exit_code.empty(); ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    exit_code = ReadFile(Out("plim-exit"));
  }
  EXPECT_EQ(exit_code, "0\n") << ReadFile(Out("plim-output"));
  EXPECT_EQ(PgSession(limited.WithDatabase("plim")).QueryValue("SELECT count(*) FROM t"), "1");
}

// LOCK TABLES behind an open write transaction waits --lock-timeout seconds,
// then fails the database naming the session that holds the tables.
TEST(LockTimeout, NamesTheBlockingSession) {
  CreateSource("stest_lock", "CREATE TABLE t (id INT PRIMARY KEY) ENGINE=InnoDB; INSERT INTO t VALUES (1);");
  SourceWriter writer({"stest_lock.t"});
  auto start = std::chrono::steady_clock::now();
  rapidjson::Document report = MigrateExpecting(1, "stest_lock", "--lock-timeout 2");
  double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  writer.Release();
  ASSERT_TRUE(report.HasMember("databases"));
  EXPECT_EQ(std::string(report["databases"][0]["error"].GetString()),
            "LOCK TABLES waited 2 s (--lock-timeout) for the tables of stest_lock: session " + writer.id() +
                " (user my2pg_admin) has an open write transaction; end it, or use --no-lock for a source nobody "
                "writes to");
  EXPECT_LT(seconds, 15);
}

}  // namespace
}  // namespace my2pg

namespace my2pg {
namespace {

// A table name is a path component of its reject file, never a path: a
// table named ../../../escape writes inside --reject-dir.
TEST(RejectFiles, TableNamesCannotClimbOutOfTheRejectDirectory) {
  CreateSource("stest_paths", "SET SESSION sql_mode = 'ALLOW_INVALID_DATES'; "
               "CREATE TABLE \\`../../../escape\\` (id INT PRIMARY KEY, d DATE); "
               "INSERT INTO \\`../../../escape\\` VALUES (1, '2001-02-30'), (2, '2001-02-03')");
  std::string dir = Out("paths/rejects");
  RunCommand("rm -rf " + Out("paths") + " " + Out("escape.rejects.jsonl"));
  CommandResult run = RunMy2pg("migrate --databases stest_paths --target '" + Env("MY2PG_TARGET") +
                               "' --replace -q --reject-dir " + dir);
  EXPECT_EQ(run.exit_code, 0) << run.output;
  std::string rejects = ReadFile(dir + "/stest_paths/%2E.%2F..%2F..%2Fescape.rejects.jsonl");
  EXPECT_NE(rejects.find("\"reason\":\"invalid date '2001-02-30'\""), std::string::npos) << rejects;
  EXPECT_EQ(RunCommand("find " + Out("paths") + " -type f | wc -l").output, "1\n");
  EXPECT_EQ(RunCommand("ls " + Out("escape.rejects.jsonl") + " 2>/dev/null | wc -l").output, "0\n");
}

}  // namespace
}  // namespace my2pg
