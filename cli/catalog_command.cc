#include "cli/catalog_command.h"

#include <iostream>

#include "common/error.h"
#include "mapper/catalog_json.h"

namespace my2pg {

CLI::App* AddCatalogCommand(CLI::App& app, CatalogArgs& args) {
  CLI::App* command = app.add_subcommand(
      "catalog", "Save one database's INFORMATION_SCHEMA as a JSON snapshot, for plan without a server.");
  command->add_option("--source", args.source.source, "mysql://... (default: $MY2PG_SOURCE)");
  command->add_option("--database", args.source.database, "the source database")->required();
  command->add_option("-o,--output", args.output, "write the snapshot here instead of stdout");
  return command;
}

int RunCatalogCommand(const CatalogArgs& args) {
  SourceCatalog snapshot = LoadCatalog(args.source);
  if (!snapshot.grants) std::cerr << "my2pg: warning: no privileges in the snapshot: " << snapshot.grants_problem << "\n";
  WriteOutput(args.output, WriteCatalogJson(snapshot));
  return kExitOk;
}

}  // namespace my2pg
