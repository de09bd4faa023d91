#include "cli/plan_command.h"

#include <iostream>

#include "common/error.h"
#include "compat_views/compat_views.h"
#include "compat_views/roles.h"
#include "mapper/ddl.h"
#include "mapper/mapper.h"

namespace my2pg {

CLI::App* AddPlanCommand(CLI::App& app, PlanArgs& args) {
  CLI::App* command = app.add_subcommand(
      "plan", "Dry run: print the PostgreSQL DDL the mapping produces, touching nothing.");
  AddSourceOptions(command, args.source);
  command->add_option("--mapping", args.source.mapping, "rules file (default: the built-in defaults)");
  command->add_option("-o,--output", args.output, "write the DDL here instead of stdout");
  AddRoleOptions(command, args.roles, false);
  return command;
}

int RunPlanCommand(const PlanArgs& args) {
  Rules rules = LoadRules(args.source.mapping);
  SchemaPlan schema = MapCatalog(LoadCatalog(args.source), rules);
  Ddl ddl = BuildDdl(schema);
  CompatViewOptions view_options;
  ApplyRoleArgs(args.roles, schema.legacy_schema, view_options);
  ddl.views = BuildCompatViews(schema, view_options);
  if (view_options.roles_from_source) ddl.view_notes = PlanRoles(schema).notes;
  WriteOutput(args.output, RenderScript(schema, ddl));
  return kExitOk;
}

}  // namespace my2pg
