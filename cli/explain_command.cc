#include "cli/explain_command.h"

#include <iostream>

#include "common/error.h"
#include "mapper/explain.h"
#include "mapper/mapper.h"

namespace my2pg {

CLI::App* AddExplainCommand(CLI::App& app, ExplainArgs& args) {
  CLI::App* command = app.add_subcommand(
      "explain", "For each column: source name/type -> target name/type and the rules that decided it.");
  AddSourceOptions(command, args.source);
  command->add_option("--mapping", args.source.mapping, "rules file (default: the built-in defaults)");
  command->add_option("--table", args.table, "only this table (source or target name)");
  command->add_flag("--json", args.json, "JSON for tools instead of the human table");
  return command;
}

int RunExplainCommand(const ExplainArgs& args) {
  Rules rules = LoadRules(args.source.mapping);
  SchemaPlan schema = MapCatalog(LoadCatalog(args.source), rules);
  std::cout << (args.json ? ExplainJson(schema, args.table) : ExplainText(schema, args.table));
  return kExitOk;
}

}  // namespace my2pg
