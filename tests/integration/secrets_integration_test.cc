// Passwords never leak: the same password given each way my2pg accepts it
// (URI, percent-encoded URI, ?password=, MYSQL_PWD / PGPASSWORD, MySQL
// option file, .pgpass), with the servers up and with them unreachable, is
// looked for in everything my2pg prints and writes and in the command line
// of the process and of its forked workers. Also: option files and libpq's
// keyword/value strings work; files with row data are 0600. With --ledger
// (given the same way), nothing the ledger or the targets' my2pg schema
// holds carries it either.
#include <dirent.h>
#include <fcntl.h>
#include <unistd.h>
#include <sys/stat.h>

#include <atomic>
#include <fstream>
#include <map>
#include <vector>
#include <string>
#include <thread>

#include "tests/integration/test_env.h"

namespace my2pg {
namespace {

// Characters a naive parser would take for URI syntax.
constexpr char kPassword[] = "Zq?7/x@Sec";
constexpr char kEncoded[] = "Zq%3F7%2Fx%40Sec";

int Port(const char* env) { return ConnectionUri::Parse(Env(env)).port; }

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

// A /proc file, "" if the process is gone (ifstream throws then).
std::string ReadProcFile(const std::string& path) {
  std::string text;
  int fd = open(path.c_str(), O_RDONLY);
  if (fd < 0) return text;
  char buffer[4096];
  ssize_t n;
  while ((n = read(fd, buffer, sizeof(buffer))) > 0) text.append(buffer, n);
  close(fd);
  return text;
}

void WriteFile(const std::string& path, const std::string& text) {
  std::ofstream(path, std::ios::binary) << text;
  chmod(path.c_str(), 0600);
}

// Every file under "dir", recursively, with its content.
void ExpectNoSecretUnder(const std::string& dir, const std::string& context) {
  if (!std::filesystem::exists(dir)) return;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(dir)) {
    if (!entry.is_regular_file()) continue;
    std::string text = ReadFile(entry.path());
    EXPECT_EQ(text.find(kPassword), std::string::npos) << context << ": " << entry.path();
    EXPECT_EQ(text.find(kEncoded), std::string::npos) << context << ": " << entry.path();
  }
}

// The command lines of every my2pg process seen while it runs. The first
// process seen is the parent: between exec and its first instruction the
// kernel shows the argv it was given, so only its later command lines count;
// every command line of a worker (forked later) counts.
struct CmdlineWatch {
  std::atomic<bool> stop{false};
  std::string parent;
  std::map<std::string, std::vector<std::string>> seen;  // pid -> cmdlines, in order
  std::thread thread;

  void Start() {
    thread = std::thread([this] {
      while (!stop) {
        if (DIR* proc = opendir("/proc")) {
          while (dirent* entry = readdir(proc)) {
            std::string pid = entry->d_name;
            if (pid.find_first_not_of("0123456789") != std::string::npos) continue;
            std::string cmdline = ReadProcFile("/proc/" + pid + "/cmdline");
            if (cmdline.rfind(MY2PG_BINARY, 0) != 0) continue;
            if (parent.empty()) parent = pid;
            if (seen[pid].empty() || seen[pid].back() != cmdline) seen[pid].push_back(cmdline);
          }
          closedir(proc);
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
      }
    });
  }
  void Stop() {
    stop = true;
    thread.join();
  }
  // The command lines that must not show a secret.
  std::vector<std::string> Checked() const {
    std::vector<std::string> checked;
    for (const auto& [pid, cmdlines] : seen) {
      if (pid == parent) {
        checked.push_back(cmdlines.back());
      } else {
        checked.insert(checked.end(), cmdlines.begin(), cmdlines.end());
      }
    }
    return checked;
  }
};

class SecretsTest : public testing::Test {
 protected:
  static void SetUpTestSuite() {
    CreateSampleTenants("secret_", 2);
    CommandResult mysql = RunCommand(std::string("scripts/sandbox mysql -e \"") +
                                     "CREATE USER IF NOT EXISTS 'my2pg_secret'@'127.0.0.1' IDENTIFIED BY '" +
                                     kPassword + "'; GRANT SELECT, SHOW VIEW, LOCK TABLES ON *.* TO "
                                     "'my2pg_secret'@'127.0.0.1'\"");
    ASSERT_EQ(mysql.exit_code, 0) << mysql.output;
    for (const char* db : {"secret_0001", "secret_0002", "secret_ledger"}) {
      RunCommand(std::string("scripts/sandbox psql -d postgres -q -c 'DROP DATABASE IF EXISTS ") + db + "'");
    }
    CommandResult pg = RunCommand(std::string("scripts/sandbox psql -d postgres -q -c \"DROP ROLE IF EXISTS "
                                              "my2pg_secret\" -c \"CREATE ROLE my2pg_secret LOGIN CREATEDB "
                                              "PASSWORD '") + kPassword + "'\"");
    ASSERT_EQ(pg.exit_code, 0) << pg.output;
  }

  struct Way {
    std::string name;
    std::string source;
    std::string target;
    std::string environment;  // prefix of the command line
  };

  // Runs migrate with "way" (servers reachable unless "down"), checks every
  // output, file and command line.
  void RunWay(const Way& way, bool down) {
    std::string dir = Out("secrets-" + way.name + (down ? "-down" : ""));
    std::filesystem::remove_all(dir);
    std::filesystem::create_directories(dir);
    std::string source = way.source, target = way.target;
    if (down) {  // nothing listens on port 9 of 127.0.0.1
      source.replace(source.find(std::to_string(Port("MY2PG_SOURCE"))), 5, "9");
    }
    // The ledger given the target's way, in a database of its own.
    std::string ledger = target;
    ledger.replace(ledger.find("{db}"), 4, "secret_ledger");
    CmdlineWatch watch;
    watch.Start();
    CommandResult run = RunCommand("cd " + dir + " && env -u MYSQL_PWD -u PGPASSWORD HOME=" + dir + " " +
                                   way.environment + " " + MY2PG_BINARY + " migrate --source '" + source +
                                   "' --target '" + target + "' --databases 'secret_%' --jobs 2 --replace " +
                                   "--ledger '" + ledger + "' --run 'secrets-" + way.name + (down ? "-down" : "") +
                                   "' --reject-dir " + dir + "/rejects --report " + dir + "/report.json");
    watch.Stop();
    EXPECT_EQ(run.output.find(kPassword), std::string::npos) << way.name << ": " << run.output;
    EXPECT_EQ(run.output.find(kEncoded), std::string::npos) << way.name << ": " << run.output;
    ExpectNoSecretUnder(dir + "/rejects", way.name);
    if (std::filesystem::exists(dir + "/report.json")) {
      std::string report = ReadFile(dir + "/report.json");
      EXPECT_EQ(report.find(kPassword), std::string::npos) << way.name;
      EXPECT_EQ(report.find(kEncoded), std::string::npos) << way.name;
    }
    for (const std::string& cmdline : watch.Checked()) {
      EXPECT_EQ(cmdline.find(kPassword), std::string::npos) << way.name << ": " << cmdline;
      EXPECT_EQ(cmdline.find(kEncoded), std::string::npos) << way.name << ": " << cmdline;
    }
    if (!down) {
      EXPECT_EQ(run.exit_code, 0) << way.name << ": " << run.output;
      // Every row the ledger and the targets' my2pg schemas hold, as text.
      std::string recorded;
      for (const char* db : {"secret_ledger", "secret_0001", "secret_0002"}) {
        CommandResult dump = RunCommand(
            std::string("scripts/sandbox psql -d ") + db + " -At -c \"SELECT row_to_json(t)::text FROM (SELECT " +
            "table_name FROM information_schema.tables WHERE table_schema = 'my2pg') n, LATERAL (SELECT * FROM " +
            "query_to_xml('SELECT * FROM my2pg.' || quote_ident(n.table_name), true, false, '')) t\"");
        ASSERT_EQ(dump.exit_code, 0) << dump.output;
        recorded += dump.output;
      }
      EXPECT_NE(recorded.find("secrets-" + way.name), std::string::npos) << recorded;  // the run was recorded
      EXPECT_NE(recorded.find("my2pg_secret@127.0.0.1"), std::string::npos) << recorded;
      EXPECT_EQ(recorded.find(kPassword), std::string::npos) << way.name << ": " << recorded;
      EXPECT_EQ(recorded.find(kEncoded), std::string::npos) << way.name << ": " << recorded;
      // The parent and a worker per database were seen.
      EXPECT_GE(watch.seen.size(), 2u) << way.name;
      struct stat info;
      ASSERT_EQ(stat((dir + "/report.json").c_str(), &info), 0);
      EXPECT_EQ(info.st_mode & 0777, 0600u);
      ASSERT_EQ(stat((dir + "/rejects/secret_0001/client.rejects.jsonl").c_str(), &info), 0) << run.output;
      EXPECT_EQ(info.st_mode & 0777, 0600u);
    } else {
      EXPECT_EQ(run.exit_code, 3) << way.name << ": " << run.output;
    }

  }
};

TEST_F(SecretsTest, NoWayOfGivingThePasswordLeaksIt) {
  std::string my = "127.0.0.1:" + std::to_string(Port("MY2PG_SOURCE"));
  std::string pg = "127.0.0.1:" + std::to_string(Port("MY2PG_TARGET"));
  std::string dir = Out("secrets-inputs");
  std::filesystem::create_directories(dir);
  WriteFile(dir + "/my.cnf", std::string("[client]\nuser=my2pg_secret\npassword=") + kPassword + "\n");
  const Way ways[] = {
      {"uri", std::string("mysql://my2pg_secret:") + kPassword + "@" + my,
       std::string("postgresql://my2pg_secret:") + kPassword + "@" + pg + "/{db}", ""},
      {"encoded", std::string("mysql://my2pg_secret:") + kEncoded + "@" + my,
       std::string("postgresql://my2pg_secret:") + kEncoded + "@" + pg + "/{db}", ""},
      {"option", "mysql://my2pg_secret@" + my + "?password=" + kEncoded,
       "postgresql://my2pg_secret@" + pg + "/{db}?password=" + kEncoded, ""},
      {"environment", "mysql://my2pg_secret@" + my, "postgresql://my2pg_secret@" + pg + "/{db}",
       std::string("MYSQL_PWD='") + kPassword + "' PGPASSWORD='" + kPassword + "'"},
      {"files", "mysql://" + my + "?defaults-file=" + dir + "/my.cnf",
       "host=127.0.0.1 port=" + std::to_string(Port("MY2PG_TARGET")) + " user=my2pg_secret dbname={db} passfile=" +
           dir + "/pgpass",
       ""},
  };
  WriteFile(dir + "/pgpass", "127.0.0.1:" + std::to_string(Port("MY2PG_TARGET")) + ":*:my2pg_secret:" +
                                 std::string(kPassword) + "\n");
  for (const Way& way : ways) {
    RunWay(way, false);
    RunWay(way, true);
  }
  PgSession db(ConnectionUri::Parse(std::string("postgresql://my2pg_secret:") + kEncoded + "@" + pg + "/secret_0002"));
  EXPECT_EQ(db.QueryValue("SELECT count(*) FROM client"), "3");
}

// ~/.my.cnf [client] and ~/.pgpass, found where the clients find them.
TEST_F(SecretsTest, HomeOptionFileAndPgpass) {
  std::string home = Out("secrets-home");
  std::filesystem::create_directories(home);
  WriteFile(home + "/.my.cnf", std::string("[client]\npassword=") + kPassword + "\n");
  WriteFile(home + "/.pgpass", "*:*:*:my2pg_secret:" + std::string(kPassword) + "\n");
  std::string source = "mysql://my2pg_secret@127.0.0.1:" + std::to_string(Port("MY2PG_SOURCE"));
  std::string target = "postgresql://my2pg_secret@127.0.0.1:" + std::to_string(Port("MY2PG_TARGET")) + "/{db}";
  CommandResult run = RunCommand("env -u MYSQL_PWD -u PGPASSWORD HOME=" + home + " " + MY2PG_BINARY +
                                 " migrate --source '" + source + "' --target '" + target +
                                 "' --databases secret_0001 --replace --reject-dir " + home + "/rejects");
  EXPECT_EQ(run.exit_code, 0) << run.output;
  // Without them, the login is refused: exit 3, the URI without a password.
  std::filesystem::remove(home + "/.my.cnf");
  CommandResult refused = RunCommand("env -u MYSQL_PWD -u PGPASSWORD HOME=" + home + " " + MY2PG_BINARY +
                                     " catalog --source '" + source + "' --database secret_0001");
  EXPECT_EQ(refused.exit_code, 3) << refused.output;
  EXPECT_NE(refused.output.find("cannot connect to mysql://my2pg_secret@127.0.0.1:"), std::string::npos)
      << refused.output;
}

}  // namespace
}  // namespace my2pg
