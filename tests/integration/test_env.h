// Helpers for the integration tests: the sandbox's connection settings, and
// running the my2pg binary as a user would.
#ifndef MY2PG_TESTS_INTEGRATION_TEST_ENV_H_
#define MY2PG_TESTS_INTEGRATION_TEST_ENV_H_

#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "adapters/pg_session.h"
#include "common/uri.h"
#include "tests/test_util.h"

namespace my2pg {

inline std::string Env(const char* name) {
  const char* value = std::getenv(name);
  if (value == nullptr) {
    ADD_FAILURE() << name << " is not set: run the tests with scripts/test (it starts the sandbox)";
    return "";
  }
  return value;
}

// Where the tests write (reject files, reports, plans, logs): a directory
// under the system's temporary directory, one per build tree, never the
// source tree. Command lines name it as $MY2PG_TEST_OUT.
inline const std::string& OutputDir() {
  static const std::string dir = [] {
    std::string key = MY2PG_BUILD_DIR;
    for (char& c : key) {
      if (c == '/') c = '_';
    }
    std::filesystem::path path = std::filesystem::temp_directory_path() / ("my2pg-test" + key);
    std::filesystem::create_directories(path);
    setenv("MY2PG_TEST_OUT", path.c_str(), 1);
    return path.string();
  }();
  return dir;
}

// "name" in OutputDir().
inline std::string Out(const std::string& name) { return OutputDir() + "/" + name; }

struct CommandResult {
  int exit_code = -1;
  std::string output;  // stdout and stderr
};

// Runs a shell command line; output captured.
inline CommandResult RunCommand(const std::string& command) {
  OutputDir();  // sets $MY2PG_TEST_OUT
  CommandResult result;
  FILE* pipe = popen((command + " 2>&1").c_str(), "r");
  char buffer[4096];
  size_t n;
  while ((n = fread(buffer, 1, sizeof(buffer), pipe)) > 0) result.output.append(buffer, n);
  int status = pclose(pipe);
  result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return result;
}

inline CommandResult RunMy2pg(const std::string& arguments) {
  return RunCommand(std::string(MY2PG_BINARY) + " " + arguments);
}

// Creates sample tenants PREFIX0001.. from samples/hotel_tenant.sql.
inline void CreateSampleTenants(const std::string& prefix, int count) {
  CommandResult result = RunCommand("samples/create-tenants.sh -n " + std::to_string(count) + " -p " + prefix);
  ASSERT_EQ(result.exit_code, 0) << result.output;
}


// A session on the target database "name".
// Starts "my2pg arguments" in its own process group (its workers with it,
// so a test can signal them all), its output to "log".
inline pid_t Spawn(const std::string& arguments, const std::string& log = "/dev/null") {
  OutputDir();
  pid_t pid = fork();
  if (pid == 0) {
    setpgid(0, 0);
    std::string command = "exec " + std::string(MY2PG_BINARY) + " " + arguments + " > " + log + " 2>&1";
    execl("/bin/sh", "sh", "-c", command.c_str(), static_cast<char*>(nullptr));
    _exit(127);
  }
  setpgid(pid, pid);
  return pid;
}

inline PgSession Target(const std::string& name) {
  PgSession session(ConnectionUri::Parse(Env("MY2PG_TARGET")).WithDatabase(name));
  session.Execute("SET TIME ZONE 'UTC'");  // timestamptz as text, whatever the server's zone
  return session;
}

}  // namespace my2pg

#endif  // MY2PG_TESTS_INTEGRATION_TEST_ENV_H_
