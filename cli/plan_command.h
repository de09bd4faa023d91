// `my2pg plan`: the PostgreSQL DDL the mapping produces, as a script; touches
// nothing (a dry run, from a server or an offline catalog snapshot).
#ifndef MY2PG_CLI_PLAN_COMMAND_H_
#define MY2PG_CLI_PLAN_COMMAND_H_

#include <CLI/CLI.hpp>

#include <string>

#include "cli/command_util.h"
#include "cli/role_options.h"

namespace my2pg {

struct PlanArgs {
  SourceArgs source;
  std::string output;  // "" or "-": stdout
  RoleArgs roles;
};

// Adds the subcommand to "app"; "args" must outlive the parse.
CLI::App* AddPlanCommand(CLI::App& app, PlanArgs& args);

// Runs it; returns the exit code. Throws Error.
int RunPlanCommand(const PlanArgs& args);

}  // namespace my2pg

#endif  // MY2PG_CLI_PLAN_COMMAND_H_
