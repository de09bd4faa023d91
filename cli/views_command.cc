#include "cli/views_command.h"

#include <iostream>

#include "adapters/pg_session.h"
#include "common/error.h"
#include "compat_views/compat_views.h"
#include "mapper/mapper.h"

namespace my2pg {

CLI::App* AddViewsCommand(CLI::App& app, ViewsArgs& args) {
  CLI::App* command = app.add_subcommand(
      "views", "(Re)create the compatibility views of one migrated database, e.g. after the mapping changed.");
  AddSourceOptions(command, args.source);
  command->add_option("--mapping", args.source.mapping, "rules file (default: the built-in defaults)");
  command->add_option("--target", args.target,
                      "postgresql://.../NAME of the migrated database; {db} in NAME becomes the source database "
                      "name (default: $MY2PG_TARGET)");
  command->add_option("--grant-legacy", args.grant_legacy, "role of the legacy application");
  AddRoleOptions(command, args.roles, true);
  return command;
}

int RunViewsCommand(const ViewsArgs& args) {
  Rules rules = LoadRules(args.source.mapping);
  SchemaPlan schema = MapCatalog(LoadCatalog(args.source), rules);
  if (schema.legacy_schema.empty()) {
    throw Error(ErrorCategory::kUsage, "the mapping names no legacy schema (options.legacy_schema)");
  }
  CompatViewOptions view_options{args.grant_legacy};
  ApplyRoleArgs(args.roles, schema.legacy_schema, view_options);
  // As for migrate: NAME is the target database; {db} becomes the source's name.
  ConnectionUri target = RequireTargetUri(args.target).ForDatabase(schema.catalog.database);
  PgSession session(target);
  // One transaction: a failure leaves the views as they were.
  std::string script = "BEGIN;\n";
  for (const DdlStatement& statement : BuildCompatViews(schema, view_options)) script += statement.sql + ";\n";
  session.Execute(script + "COMMIT;");
  std::cout << "my2pg: views of " << schema.catalog.database << " recreated in " << target.Redacted()
            << ", schema " << schema.legacy_schema << "\n";
  return kExitOk;
}

}  // namespace my2pg
