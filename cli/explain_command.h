// `my2pg explain`: for each column, the source name and type, the target name
// and type, and the rules that decided them.
#ifndef MY2PG_CLI_EXPLAIN_COMMAND_H_
#define MY2PG_CLI_EXPLAIN_COMMAND_H_

#include <CLI/CLI.hpp>

#include <string>

#include "cli/command_util.h"

namespace my2pg {

struct ExplainArgs {
  SourceArgs source;
  std::string table;  // "": every table
  bool json = false;
};

// Adds the subcommand to "app"; "args" must outlive the parse.
CLI::App* AddExplainCommand(CLI::App& app, ExplainArgs& args);

// Runs it; returns the exit code. Throws Error.
int RunExplainCommand(const ExplainArgs& args);

}  // namespace my2pg

#endif  // MY2PG_CLI_EXPLAIN_COMMAND_H_
