// `my2pg precheck`: before anything is written, checks that a migrate with
// the same arguments can run: both servers reached (and TLS in effect where
// asked), their versions, the privileges on both sides (each missing one
// named with the GRANT that fixes it), the target's connection limit against
// --jobs and --threads on both sides, the source's sql_mode and open write
// transactions, each tenant's tables and columns against the first tenant's
// and against the mapping (rules that fail, names made distinct, tables left
// without a primary key), the size of what would be copied and the target's
// free space. Prints one table of findings. Reads only.
#ifndef MY2PG_CLI_PRECHECK_COMMAND_H_
#define MY2PG_CLI_PRECHECK_COMMAND_H_

#include <CLI/CLI.hpp>

#include <string>
#include <thread>
#include <vector>

#include "cli/command_util.h"

namespace my2pg {

struct PrecheckArgs {
  std::string source = FromEnv("MY2PG_SOURCE");
  std::string target = FromEnv("MY2PG_TARGET");
  std::vector<std::string> databases, excludes;
  std::string databases_file;
  std::string mapping;
  int jobs = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  int threads = 2;
  bool no_lock = false;
  bool replace = false;  // migrate's --replace and --resume: existing targets are expected
  bool resume = false;
};

// Adds the subcommand to "app"; "args" must outlive the parse.
CLI::App* AddPrecheckCommand(CLI::App& app, PrecheckArgs& args);

// Runs it; returns 0 (ready), 1 (problems found) or 2 (could not run: bad
// arguments). Throws Error(kUsage) for bad arguments.
int RunPrecheckCommand(const PrecheckArgs& args);

}  // namespace my2pg

#endif  // MY2PG_CLI_PRECHECK_COMMAND_H_
