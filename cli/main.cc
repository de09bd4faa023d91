// my2pg: migrates MySQL/MariaDB databases to PostgreSQL, reshaping them by
// JSON mapping rules. This file registers the subcommands (one file each in
// cli/) and maps errors to exit codes; the work is in the modules.
#include <CLI/CLI.hpp>

#include <iostream>

#include "adapters/mysql_session.h"
#include "cli/catalog_command.h"
#include "cli/check_rules_command.h"
#include "cli/explain_command.h"
#include "cli/migrate_command.h"
#include "cli/plan_command.h"
#include "cli/report_command.h"
#include "cli/verify_command.h"
#include "cli/views_command.h"
#include "common/error.h"

namespace my2pg {
namespace {

int Run(int argc, char** argv) {
  CLI::App app{
      "my2pg: migrate MySQL/MariaDB databases to PostgreSQL, reshaping them by mapping rules.\n"
      "Passwords come from the URIs or from MYSQL_PWD / PGPASSWORD / ~/.pgpass; they are never printed."};
  app.require_subcommand(1);
  app.set_version_flag("--version", "my2pg " MY2PG_VERSION);

  MigrateArgs migrate;
  CLI::App* migrate_cmd = AddMigrateCommand(app, migrate);
  PlanArgs plan;
  CLI::App* plan_cmd = AddPlanCommand(app, plan);
  ExplainArgs explain;
  CLI::App* explain_cmd = AddExplainCommand(app, explain);
  ViewsArgs views;
  CLI::App* views_cmd = AddViewsCommand(app, views);
  CheckRulesArgs check;
  CLI::App* check_cmd = AddCheckRulesCommand(app, check);
  CatalogArgs catalog;
  CLI::App* catalog_cmd = AddCatalogCommand(app, catalog);
  ReportArgs report;
  CLI::App* report_cmd = AddReportCommand(app, report);
  VerifyArgs verify;
  CLI::App* verify_cmd = AddVerifyCommand(app, verify);

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e) == 0 ? kExitOk : kExitUsage;
  }

  if (*report_cmd) return RunReportCommand(report);
  MySqlDriverInit();
  if (*catalog_cmd) return RunCatalogCommand(catalog);
  if (*explain_cmd) return RunExplainCommand(explain);
  if (*check_cmd) return RunCheckRulesCommand(check);
  if (*plan_cmd) return RunPlanCommand(plan);
  if (*views_cmd) return RunViewsCommand(views);
  if (*verify_cmd) return RunVerifyCommand(verify);
  migrate.jobs_given = migrate_cmd->get_option("--jobs")->count() > 0;
  return RunMigrateCommand(migrate);
}

}  // namespace
}  // namespace my2pg

int main(int argc, char** argv) {
  try {
    return my2pg::Run(argc, argv);
  } catch (const my2pg::Error& e) {
    std::cerr << "my2pg: " << e.Describe() << "\n";
    return e.exit_code();
  } catch (const std::exception& e) {
    std::cerr << "my2pg: internal error: " << e.what() << "\n";
    return my2pg::kExitFailed;
  }
}
