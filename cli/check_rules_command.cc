#include "cli/check_rules_command.h"

#include <iostream>

#include "common/error.h"
#include "mapper/check_rules.h"

namespace my2pg {

CLI::App* AddCheckRulesCommand(CLI::App& app, CheckRulesArgs& args) {
  CLI::App* command = app.add_subcommand(
      "check-rules", "Validate a rules file; with a catalog, check every table, column and reference it names.");
  command->add_option("rules", args.source.mapping, "the rules file")->required();
  AddSourceOptions(command, args.source);
  return command;
}

int RunCheckRulesCommand(const CheckRulesArgs& args) {
  const std::string& file = args.source.mapping;
  Rules rules = LoadRulesFile(file);
  size_t type_rules = 0, table_rules = 0;
  for (const auto& rule : rules.types) type_rules += rule.origin.file == file;
  for (const auto& rule : rules.tables) table_rules += rule.origin.file == file;
  if (args.source.catalog.empty() && args.source.database.empty()) {
    std::cout << file << ": OK (" << type_rules << " type rules, " << table_rules
              << " table rules; give --catalog to check the names they use)\n";
    return kExitOk;
  }
  SourceCatalog catalog = LoadCatalog(args.source);
  RuleProblems problems = CheckRules(rules, file, catalog);
  for (const auto& warning : problems.warnings) std::cerr << "warning: " << warning << "\n";
  for (const auto& error : problems.errors) std::cerr << "my2pg: " << error << "\n";
  if (!problems.errors.empty()) return kExitUsage;
  std::cout << file << ": OK against " << catalog.database << " (" << type_rules << " type rules, "
            << table_rules << " table rules)\n";
  return kExitOk;
}

}  // namespace my2pg
