// `my2pg check-rules`: validates a rules file; with a catalog, checks every
// table, column and reference it names (did-you-mean on a miss).
#ifndef MY2PG_CLI_CHECK_RULES_COMMAND_H_
#define MY2PG_CLI_CHECK_RULES_COMMAND_H_

#include <CLI/CLI.hpp>

#include <string>

#include "cli/command_util.h"

namespace my2pg {

struct CheckRulesArgs {
  SourceArgs source;  // source.mapping: the rules file
};

// Adds the subcommand to "app"; "args" must outlive the parse.
CLI::App* AddCheckRulesCommand(CLI::App& app, CheckRulesArgs& args);

// Runs it; returns the exit code. Throws Error.
int RunCheckRulesCommand(const CheckRulesArgs& args);

}  // namespace my2pg

#endif  // MY2PG_CLI_CHECK_RULES_COMMAND_H_
