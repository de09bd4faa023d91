// `my2pg status [--ledger URI] [--run ID] [--json]`: where a run recorded in
// a ledger (runtime/ledger.h) stands: databases done, running, failed and
// pending, rows per second, ETA, each failure with its error. Reads the
// ledger only.
#ifndef MY2PG_CLI_STATUS_COMMAND_H_
#define MY2PG_CLI_STATUS_COMMAND_H_

#include <CLI/CLI.hpp>

#include <string>

#include "cli/command_util.h"

namespace my2pg {

struct StatusArgs {
  std::string ledger;  // "": the target server's "my2pg" database
  std::string target = FromEnv("MY2PG_TARGET");
  std::string run;     // "": the run created last
  bool json = false;
};

// Adds the subcommand to "app"; "args" must outlive the parse.
CLI::App* AddStatusCommand(CLI::App& app, StatusArgs& args);

// Prints the status; returns the exit code. Throws Error(kUsage) when there
// is no ledger or no such run, Error(kTarget) when it cannot be read.
int RunStatusCommand(const StatusArgs& args);

}  // namespace my2pg

#endif  // MY2PG_CLI_STATUS_COMMAND_H_
