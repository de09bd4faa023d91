// my2pg: migrates MySQL/MariaDB databases to PostgreSQL, reshaping them by
// JSON mapping rules. This file registers the subcommands (one file each in
// cli/) and maps errors to exit codes; the work is in the modules.
#include <CLI/CLI.hpp>
#include <sys/prctl.h>
#include <sys/resource.h>

#include <cstring>
#include <iostream>
#include <string>
#include <vector>

#include "adapters/mysql_session.h"
#include "cli/catalog_command.h"
#include "cli/check_rules_command.h"
#include "cli/explain_command.h"
#include "cli/migrate_command.h"
#include "cli/plan_command.h"
#include "cli/precheck_command.h"
#include "cli/report_command.h"
#include "cli/status_command.h"
#include "cli/verify_command.h"
#include "cli/views_command.h"
#include "common/error.h"
#include "common/uri.h"

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
  PrecheckArgs precheck;
  CLI::App* precheck_cmd = AddPrecheckCommand(app, precheck);
  ReportArgs report;
  CLI::App* report_cmd = AddReportCommand(app, report);
  VerifyArgs verify;
  CLI::App* verify_cmd = AddVerifyCommand(app, verify);
  StatusArgs status;
  CLI::App* status_cmd = AddStatusCommand(app, status);

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e) == 0 ? kExitOk : kExitUsage;
  }

  if (*report_cmd) return RunReportCommand(report);
  if (*status_cmd) return RunStatusCommand(status);
  MySqlDriverInit();
  if (*catalog_cmd) return RunCatalogCommand(catalog);
  if (*explain_cmd) return RunExplainCommand(explain);
  if (*check_cmd) return RunCheckRulesCommand(check);
  if (*plan_cmd) return RunPlanCommand(plan);
  if (*views_cmd) return RunViewsCommand(views);
  if (*verify_cmd) return RunVerifyCommand(verify);
  if (*precheck_cmd) return RunPrecheckCommand(precheck);
  migrate.jobs_given = migrate_cmd->get_option("--jobs")->count() > 0;
  // --ledger given alone: the default ledger.
  if (migrate_cmd->get_option("--ledger")->count() > 0 && migrate.ledger.empty()) migrate.ledger = kDefaultLedger;
  return RunMigrateCommand(migrate);
}

// my2pg holds passwords from its first instruction to its last: no core
// file may hold them, and no other process of the user may read its memory
// (PR_SET_DUMPABLE 0 also closes /proc/PID/mem and ptrace to them).
void ProtectSecrets() {
  rlimit no_core = {0, 0};
  setrlimit(RLIMIT_CORE, &no_core);
  prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
}

// The arguments, kept in our own memory; the passwords in the process's
// argv area (what ps and /proc/PID/cmdline show, for the forked workers too)
// are overwritten with '*'.
std::vector<std::string> TakeArguments(int argc, char** argv) {
  std::vector<std::string> arguments(argv, argv + argc);
  for (int i = 1; i < argc; ++i) {
    std::string masked = MaskSecrets(arguments[i]);
    if (masked != arguments[i]) std::memcpy(argv[i], masked.data(), masked.size());
  }
  return arguments;
}

}  // namespace
}  // namespace my2pg

int main(int argc, char** argv) {
  my2pg::ProtectSecrets();
  std::vector<std::string> arguments = my2pg::TakeArguments(argc, argv);
  std::vector<char*> own_argv;
  for (std::string& argument : arguments) own_argv.push_back(argument.data());
  own_argv.push_back(nullptr);
  try {
    return my2pg::Run(argc, own_argv.data());
  } catch (const my2pg::Error& e) {
    std::cerr << "my2pg: " << e.Describe() << "\n";
    return e.exit_code();
  } catch (const std::exception& e) {
    std::cerr << "my2pg: internal error: " << e.what() << "\n";
    return my2pg::kExitFailed;
  }
}
