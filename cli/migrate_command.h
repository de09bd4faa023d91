// `my2pg migrate`: selects the source databases, checks what the target
// allows, runs the fleet (runtime/fleet_runner.h) with progress, and writes
// the report and the summary.
#ifndef MY2PG_CLI_MIGRATE_COMMAND_H_
#define MY2PG_CLI_MIGRATE_COMMAND_H_

#include <CLI/CLI.hpp>

#include <algorithm>
#include <cstdint>
#include <string>
#include <thread>
#include <vector>

#include "cli/command_util.h"
#include "cli/role_options.h"

namespace my2pg {

struct MigrateArgs {
  std::string source = FromEnv("MY2PG_SOURCE");
  std::string target = FromEnv("MY2PG_TARGET");
  std::vector<std::string> databases, excludes;
  std::string databases_file;
  std::string mapping, reject_dir = "rejects", report;
  bool replace = false, resume = false, fail_on_reject = false, quiet = false, no_lock = false, async_commit = false;
  std::string grant_legacy;
  RoleArgs roles;
  int jobs = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  bool jobs_given = false;  // set after the parse: --jobs is a limit to keep, not a default to lower
  int threads = 2;
  int64_t chunk_rows = 500000;
  std::string copy_format = "auto";
  int lock_timeout = 30;
  // --ledger: "" when not given; kDefaultLedger when given without a URI.
  std::string ledger;
  std::string run;  // "": DefaultRunId
  int lease_seconds = 60;
};

// What --ledger holds when given without a URI: the target server's "my2pg".
constexpr char kDefaultLedger[] = "default";

// Adds the subcommand to "app"; "args" must outlive the parse.
CLI::App* AddMigrateCommand(CLI::App& app, MigrateArgs& args);

// Runs it; returns the exit code. Throws Error.
int RunMigrateCommand(MigrateArgs args);

}  // namespace my2pg

#endif  // MY2PG_CLI_MIGRATE_COMMAND_H_
