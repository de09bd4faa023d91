// `my2pg views`: (re)creates the compatibility views of one migrated database
// in one transaction, e.g. after the mapping changed.
#ifndef MY2PG_CLI_VIEWS_COMMAND_H_
#define MY2PG_CLI_VIEWS_COMMAND_H_

#include <CLI/CLI.hpp>

#include <string>

#include "cli/command_util.h"
#include "cli/role_options.h"

namespace my2pg {

struct ViewsArgs {
  SourceArgs source;
  std::string target = FromEnv("MY2PG_TARGET");
  std::string grant_legacy;
  RoleArgs roles;
};

// Adds the subcommand to "app"; "args" must outlive the parse.
CLI::App* AddViewsCommand(CLI::App& app, ViewsArgs& args);

// Runs it; returns the exit code. Throws Error.
int RunViewsCommand(const ViewsArgs& args);

}  // namespace my2pg

#endif  // MY2PG_CLI_VIEWS_COMMAND_H_
