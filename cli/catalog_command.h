// `my2pg catalog`: saves one database's INFORMATION_SCHEMA as a JSON
// snapshot, so plan, explain and check-rules can run without a server.
#ifndef MY2PG_CLI_CATALOG_COMMAND_H_
#define MY2PG_CLI_CATALOG_COMMAND_H_

#include <CLI/CLI.hpp>

#include <string>

#include "cli/command_util.h"

namespace my2pg {

struct CatalogArgs {
  SourceArgs source;
  std::string output;  // "" or "-": stdout
};

// Adds the subcommand to "app"; "args" must outlive the parse.
CLI::App* AddCatalogCommand(CLI::App& app, CatalogArgs& args);

// Runs it; returns the exit code. Throws Error.
int RunCatalogCommand(const CatalogArgs& args);

}  // namespace my2pg

#endif  // MY2PG_CLI_CATALOG_COMMAND_H_
