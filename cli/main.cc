// my2pg: migrates MySQL/MariaDB databases to PostgreSQL, reshaping them by
// JSON mapping rules. This file only parses the command line and maps errors
// to exit codes; the work is in the modules.
#include <CLI/CLI.hpp>

#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <filesystem>
#include <thread>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <sstream>

#include "common/error.h"
#include "common/mysql_session.h"
#include "cli/progress_display.h"
#include "cli/report_command.h"
#include "cli/role_options.h"
#include "common/pg_session.h"
#include "common/suggest.h"
#include "compat_views/compat_views.h"
#include "converter/database_migration.h"
#include "converter/fleet_runner.h"
#include "converter/tenant_selection.h"
#include "converter/run_report.h"
#include "mapper/catalog_json.h"
#include "mapper/catalog_reader.h"
#include "mapper/check_rules.h"
#include "mapper/explain.h"
#include "mapper/ddl.h"
#include "mapper/mapper.h"
#include "rules/rules.h"

namespace my2pg {
namespace {

std::string FromEnv(const char* name) {
  const char* value = std::getenv(name);
  return value ? value : "";
}

Rules LoadRules(const std::string& mapping) {
  return mapping.empty() ? DefaultRules() : LoadRulesFile(mapping);
}

[[noreturn]] void CannotWrite(const std::string& path, int error) {
  throw Error(ErrorCategory::kUsage, "cannot write " + path + ": " + std::strerror(error));
}

void WriteOutput(const std::string& path, const std::string& text) {
  if (path.empty() || path == "-") {
    std::cout << text;
    return;
  }
  errno = 0;
  std::ofstream out(path, std::ios::binary);
  out << text;
  if (!out) CannotWrite(path, errno != 0 ? errno : EIO);
}

// Throws the error WriteOutput would, before a long run rather than after:
// an existing "path" must be a writable file, a new one needs a writable
// directory. Creates nothing.
void CheckWritable(const std::string& path) {
  if (path.empty() || path == "-") return;
  std::error_code ignored;
  if (std::filesystem::is_directory(path, ignored)) CannotWrite(path, EISDIR);
  if (access(path.c_str(), F_OK) == 0) {
    if (access(path.c_str(), W_OK) != 0) CannotWrite(path, errno);
    return;
  }
  if (errno != ENOENT) CannotWrite(path, errno);
  std::string directory = std::filesystem::path(path).parent_path().string();
  if (access(directory.empty() ? "." : directory.c_str(), W_OK | X_OK) != 0) CannotWrite(path, errno);
}

std::string ReadInput(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw Error(ErrorCategory::kUsage, "cannot read " + path);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

ConnectionUri RequireUri(const std::string& text, const char* option, const char* env, const char* scheme) {
  if (text.empty()) {
    throw Error(ErrorCategory::kUsage, std::string(option) + " is required (or set " + env + ")");
  }
  ConnectionUri uri = ConnectionUri::Parse(text);
  if (uri.scheme != scheme) {
    throw Error(ErrorCategory::kUsage, std::string(option) + " must be a " + scheme + ":// URI");
  }
  return uri;
}

// The --target of migrate and views: a PostgreSQL URI that names the target
// database, or a pattern of names with {db}.
ConnectionUri RequireTargetUri(const std::string& text) {
  ConnectionUri uri = RequireUri(text, "--target", "MY2PG_TARGET", "postgresql");
  if (uri.database.empty()) {
    throw Error(ErrorCategory::kUsage,
                "--target must name the target database: postgresql://USER@HOST[:PORT]/NAME, or /{db} for the "
                "source database's name");
  }
  return uri;
}

struct SourceArgs {
  std::string source = FromEnv("MY2PG_SOURCE");
  std::string database;
  std::string catalog;
  std::string mapping;
};

SourceCatalog LoadCatalog(const SourceArgs& args) {
  if (!args.catalog.empty()) return ReadCatalogJson(ReadInput(args.catalog), args.catalog);
  if (args.database.empty()) throw Error(ErrorCategory::kUsage, "give --catalog FILE, or --source and --database");
  MySqlSession session(RequireUri(args.source, "--source", "MY2PG_SOURCE", "mysql"));
  return ReadCatalog(session, args.database);
}

// How many connections the target lets my2pg's role open, and why.
struct TargetCapacity {
  int connections = 0;
  std::string why;  // "max_connections 200 - 3 reserved for superusers"
};

TargetCapacity ReadTargetCapacity(PgSession& session) {
  auto rows = session.Query(
      "SELECT current_setting('max_connections'), current_setting('superuser_reserved_connections')::int + "
      "COALESCE(current_setting('reserved_connections', true)::int, 0), r.rolsuper, r.rolconnlimit, r.rolname "
      "FROM pg_roles r WHERE r.rolname = current_user");
  TargetCapacity capacity;
  const std::vector<std::string>& row = rows.at(0);
  capacity.connections = std::stoi(row[0]);
  capacity.why = "max_connections " + row[0];
  if (row[2] != "t") {
    capacity.connections -= std::stoi(row[1]);
    capacity.why += " - " + row[1] + " reserved for superusers";
  }
  int role_limit = std::stoi(row[3]);  // -1: none
  if (role_limit >= 0 && role_limit < capacity.connections) {
    capacity.connections = role_limit;
    capacity.why = "the connection limit of role " + row[4];
  }
  return capacity;
}

// Fits --jobs to what the target allows: every worker may open
// TargetConnectionsPerDatabase(threads) connections at once. A --jobs the
// user gave that cannot fit is a usage error; the default is lowered, with a
// note. Returns the jobs to run.
int FitJobs(int jobs, bool jobs_given, int threads, size_t databases, const TargetCapacity& capacity) {
  int running = static_cast<int>(std::min<size_t>(jobs, databases));
  int per_database = TargetConnectionsPerDatabase(threads);
  if (running * per_database <= capacity.connections) return jobs;
  int fitting = capacity.connections / per_database;
  std::string allows =
      "the target allows my2pg " + std::to_string(capacity.connections) + " (" + capacity.why + ")";
  if (jobs_given || fitting == 0) {
    std::string lower = fitting > 0 ? "lower --jobs to " + std::to_string(fitting) + " or --threads"
                                    : "lower --threads to " + std::to_string(std::max(1, capacity.connections / 2 - 1));
    throw Error(ErrorCategory::kUsage,
                "--jobs " + std::to_string(running) + " with --threads " + std::to_string(threads) + " may open " +
                    std::to_string(running * per_database) + " PostgreSQL connections (" + std::to_string(running) +
                    " x (2 x " + std::to_string(threads) + " + 2)), and " + allows + ": " + lower);
  }
  std::cerr << "my2pg: note: running " << fitting << " database" << (fitting > 1 ? "s" : "") << " at a time, not "
            << running << ": with --threads " << threads << " each may open " << per_database
            << " PostgreSQL connections, and " << allows << "\n";
  return fitting;
}

int Run(int argc, char** argv) {
  CLI::App app{
      "my2pg: migrate MySQL/MariaDB databases to PostgreSQL, reshaping them by mapping rules.\n"
      "Passwords come from the URIs or from MYSQL_PWD / PGPASSWORD / ~/.pgpass; they are never printed."};
  app.require_subcommand(1);
  app.set_version_flag("--version", "my2pg 0.1.0");

  // migrate
  struct {
    std::string source = FromEnv("MY2PG_SOURCE");
    std::string target = FromEnv("MY2PG_TARGET");
    std::vector<std::string> databases, excludes;
    std::string databases_file;
    std::string mapping, reject_dir = "rejects", report;
    bool replace = false, fail_on_reject = false, quiet = false, no_lock = false, async_commit = false;
    std::string grant_legacy;
    int jobs = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
    int threads = 2;
    int64_t chunk_rows = 500000;
    std::string copy_format = "auto";
    int lock_timeout = 30;
  } migrate;
  CLI::App* migrate_cmd = app.add_subcommand(
      "migrate", "Copy databases into PostgreSQL: schema by the mapping, every row converted, keys and indexes after.");
  migrate_cmd->add_option("--source", migrate.source, "mysql://USER[:PASSWORD]@HOST[:PORT] (default: $MY2PG_SOURCE)");
  migrate_cmd->add_option("--target", migrate.target,
                          "postgresql://USER@HOST[:PORT]/NAME: the target database (one source database), or a "
                          "NAME with {db}, which becomes each source database name (default: $MY2PG_TARGET)");
  auto* databases_option = migrate_cmd->add_option(
      "--databases", migrate.databases, "source databases to migrate: SQL LIKE patterns or /regex/ (repeatable)");
  migrate_cmd->add_option("--exclude", migrate.excludes, "databases to leave out: LIKE patterns or /regex/ (repeatable)");
  migrate_cmd
      ->add_option("--databases-file", migrate.databases_file,
                   "file listing the databases, one per line, optionally with timezone=ZONE")
      ->excludes(databases_option);
  CLI::Option* jobs_option =
      migrate_cmd->add_option("-j,--jobs", migrate.jobs, "databases migrated at once, a process each (default: cores)")
          ->check(CLI::Range(1, 1024));
  migrate_cmd->add_option("-t,--threads", migrate.threads, "tables (and key ranges of large tables) copied at once per database")
      ->capture_default_str()
      ->check(CLI::Range(1, 64));
  migrate_cmd->add_option("--chunk-rows", migrate.chunk_rows, "split tables with more rows than this into key ranges")
      ->capture_default_str()
      ->check(CLI::Range(int64_t{1000}, int64_t{1} << 40));
  migrate_cmd->add_option("--grant-legacy", migrate.grant_legacy,
                          "role of the legacy application: gets what it needs on the legacy schema, nothing more");
  RoleArgs migrate_roles;
  AddRoleOptions(migrate_cmd, migrate_roles, true);
  migrate_cmd->add_flag("--no-lock", migrate.no_lock,
                        "no read lock on the tables while the snapshot starts: for a source nobody writes to");
  migrate_cmd->add_option("--copy-format", migrate.copy_format,
                          "auto: binary COPY for tables whose columns all have a binary form, text for the others; "
                          "text: COPY text for every table (same values, slower)")
      ->capture_default_str()
      ->check(CLI::IsMember({"auto", "text"}));
  migrate_cmd
      ->add_option("--lock-timeout", migrate.lock_timeout,
                   "seconds the read lock may wait behind an open write transaction on the source before the "
                   "database fails, naming that session (new writers wait behind the lock meanwhile)")
      ->capture_default_str()
      ->check(CLI::Range(1, 31536000));
  migrate_cmd->add_flag("--async-commit", migrate.async_commit,
                        "commit without waiting for the target's disk (synchronous_commit = off): faster for many "
                        "small tables, but a crash of the target may lose tables already reported done");
  migrate_cmd->add_option("--mapping", migrate.mapping, "rules file (default: the built-in defaults)");
  migrate_cmd->add_option("--reject-dir", migrate.reject_dir, "where rejected rows are written")->capture_default_str();
  migrate_cmd->add_option("--report", migrate.report, "write the run report as JSON to this file");
  migrate_cmd->add_flag("--replace", migrate.replace, "drop and recreate target databases that already exist");
  migrate_cmd->add_flag("--fail-on-reject", migrate.fail_on_reject, "exit 4 if any row was rejected");
  migrate_cmd->add_flag("-q,--quiet", migrate.quiet, "print no summary");

  auto add_source_options = [](CLI::App* command, SourceArgs& args) {
    command->add_option("--source", args.source, "mysql://... to read the catalog from (default: $MY2PG_SOURCE)");
    command->add_option("--database", args.database, "the source database (with --source)");
    command->add_option("--catalog", args.catalog, "a catalog snapshot from `my2pg catalog` (no server needed)");
  };

  // plan
  SourceArgs plan;
  std::string plan_output;
  CLI::App* plan_cmd = app.add_subcommand(
      "plan", "Dry run: print the PostgreSQL DDL the mapping produces, touching nothing.");
  add_source_options(plan_cmd, plan);
  plan_cmd->add_option("--mapping", plan.mapping, "rules file (default: the built-in defaults)");
  plan_cmd->add_option("-o,--output", plan_output, "write the DDL here instead of stdout");
  RoleArgs plan_roles;
  AddRoleOptions(plan_cmd, plan_roles, false);

  // explain
  SourceArgs explain;
  std::string explain_table;
  bool explain_json = false;
  CLI::App* explain_cmd = app.add_subcommand(
      "explain", "For each column: source name/type -> target name/type and the rules that decided it.");
  add_source_options(explain_cmd, explain);
  explain_cmd->add_option("--mapping", explain.mapping, "rules file (default: the built-in defaults)");
  explain_cmd->add_option("--table", explain_table, "only this table (source or target name)");
  explain_cmd->add_flag("--json", explain_json, "JSON for tools instead of the human table");

  // views
  SourceArgs views;
  std::string views_target = FromEnv("MY2PG_TARGET"), views_grant;
  CLI::App* views_cmd = app.add_subcommand(
      "views", "(Re)create the compatibility views of one migrated database, e.g. after the mapping changed.");
  add_source_options(views_cmd, views);
  views_cmd->add_option("--mapping", views.mapping, "rules file (default: the built-in defaults)");
  views_cmd->add_option("--target", views_target,
                        "postgresql://.../NAME of the migrated database; {db} in NAME becomes the source database "
                        "name (default: $MY2PG_TARGET)");
  views_cmd->add_option("--grant-legacy", views_grant, "role of the legacy application");
  RoleArgs views_roles;
  AddRoleOptions(views_cmd, views_roles, true);

  // check-rules
  SourceArgs check;
  CLI::App* check_cmd = app.add_subcommand(
      "check-rules", "Validate a rules file; with a catalog, check every table, column and reference it names.");
  check_cmd->add_option("rules", check.mapping, "the rules file")->required();
  add_source_options(check_cmd, check);

  // catalog
  SourceArgs catalog;
  std::string catalog_output;
  CLI::App* catalog_cmd = app.add_subcommand(
      "catalog", "Save one database's INFORMATION_SCHEMA as a JSON snapshot, for plan without a server.");
  catalog_cmd->add_option("--source", catalog.source, "mysql://... (default: $MY2PG_SOURCE)");
  catalog_cmd->add_option("--database", catalog.database, "the source database")->required();
  catalog_cmd->add_option("-o,--output", catalog_output, "write the snapshot here instead of stdout");

  ReportArgs report;
  CLI::App* report_cmd = AddReportCommand(app, report);

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e) == 0 ? kExitOk : kExitUsage;
  }

  if (*report_cmd) return RunReportCommand(report);
  MySqlDriverInit();
  if (*catalog_cmd) {
    SourceCatalog snapshot = LoadCatalog(catalog);
    if (!snapshot.grants) std::cerr << "my2pg: warning: no privileges in the snapshot: " << snapshot.grants_problem << "\n";
    WriteOutput(catalog_output, WriteCatalogJson(snapshot));
    return kExitOk;
  }
  if (*explain_cmd) {
    Rules rules = LoadRules(explain.mapping);
    SchemaPlan schema = MapCatalog(LoadCatalog(explain), rules);
    std::cout << (explain_json ? ExplainJson(schema, explain_table) : ExplainText(schema, explain_table));
    return kExitOk;
  }
  if (*check_cmd) {
    Rules rules = LoadRulesFile(check.mapping);
    size_t type_rules = 0, table_rules = 0;
    for (const auto& rule : rules.types) type_rules += rule.origin.file == check.mapping;
    for (const auto& rule : rules.tables) table_rules += rule.origin.file == check.mapping;
    if (!check.catalog.empty() || !check.database.empty()) {
      SourceCatalog source_catalog = LoadCatalog(check);
      RuleProblems problems = CheckRules(rules, check.mapping, source_catalog);
      for (const auto& warning : problems.warnings) std::cerr << "warning: " << warning << "\n";
      for (const auto& error : problems.errors) std::cerr << "my2pg: " << error << "\n";
      if (!problems.errors.empty()) return kExitUsage;
      std::cout << check.mapping << ": OK against " << source_catalog.database << " (" << type_rules
                << " type rules, " << table_rules << " table rules)\n";
    } else {
      std::cout << check.mapping << ": OK (" << type_rules << " type rules, " << table_rules
                << " table rules; give --catalog to check the names they use)\n";
    }
    return kExitOk;
  }
  if (*plan_cmd) {
    Rules rules = LoadRules(plan.mapping);
    SchemaPlan schema = MapCatalog(LoadCatalog(plan), rules);
    Ddl ddl = BuildDdl(schema);
    CompatViewOptions view_options;
    ApplyRoleArgs(plan_roles, schema.legacy_schema, view_options);
    ddl.views = BuildCompatViews(schema, view_options);
    if (view_options.roles_from_source) ddl.view_notes = PlanRoles(schema).notes;
    WriteOutput(plan_output, RenderScript(schema, ddl));
    return kExitOk;
  }
  if (*views_cmd) {
    Rules rules = LoadRules(views.mapping);
    SchemaPlan schema = MapCatalog(LoadCatalog(views), rules);
    if (schema.legacy_schema.empty()) {
      throw Error(ErrorCategory::kUsage, "the mapping names no legacy schema (options.legacy_schema)");
    }
    CompatViewOptions view_options{views_grant};
    ApplyRoleArgs(views_roles, schema.legacy_schema, view_options);
    // As for migrate: NAME is the target database; {db} becomes the source's name.
    ConnectionUri target = RequireTargetUri(views_target).ForDatabase(schema.catalog.database);
    PgSession session(target);
    // One transaction: a failure leaves the views as they were.
    std::string script = "BEGIN;\n";
    for (const DdlStatement& statement : BuildCompatViews(schema, view_options)) script += statement.sql + ";\n";
    session.Execute(script + "COMMIT;");
    std::cout << "my2pg: views of " << schema.catalog.database << " recreated in " << target.Redacted()
              << ", schema " << schema.legacy_schema << "\n";
    return kExitOk;
  }

  // migrate
  auto start = std::chrono::steady_clock::now();
  Rules rules = LoadRules(migrate.mapping);
  CheckWritable(migrate.report);
  MigrationOptions options;
  options.source = RequireUri(migrate.source, "--source", "MY2PG_SOURCE", "mysql");
  options.target = RequireTargetUri(migrate.target);
  TargetCapacity capacity;
  {
    // The target server, reached and logged into once before any work: a
    // wrong address or password is one line and exit 3, not a failed
    // database per worker.
    PgSession admin(options.target.WithDatabase("postgres"));
    capacity = ReadTargetCapacity(admin);
  }
  options.rules = &rules;
  options.reject_dir = migrate.reject_dir;
  options.replace = migrate.replace;
  options.threads = migrate.threads;
  CompatViewOptions view_options{migrate.grant_legacy};
  ApplyRoleArgs(migrate_roles, rules.Option("legacy_schema"), view_options);
  options.final_ddl = [view_options](const SchemaPlan& schema) { return BuildCompatViews(schema, view_options); };
  options.lock_source = !migrate.no_lock;
  options.lock_timeout_seconds = migrate.lock_timeout;
  options.chunk_rows = migrate.chunk_rows;
  options.binary_copy = migrate.copy_format == "auto";
  options.commit_mode = migrate.async_commit ? CommitMode::kAsync : CommitMode::kDurable;
  std::vector<TenantSpec> tenants;
  {
    MySqlSession session(options.source);
    std::vector<std::string> available = ListDatabases(session);
    if (!migrate.databases_file.empty()) {
      tenants = ParseDatabasesFile(ReadInput(migrate.databases_file), migrate.databases_file);
      for (const TenantSpec& tenant : tenants) {
        if (std::find(available.begin(), available.end(), tenant.database) == available.end()) {
          throw Error(ErrorCategory::kUsage, migrate.databases_file + ": no source database '" + tenant.database + "'" +
                                                 DidYouMean(tenant.database, available));
        }
      }
    } else {
      if (migrate.databases.empty()) throw Error(ErrorCategory::kUsage, "give --databases or --databases-file");
      for (const std::string& name : SelectDatabases(available, migrate.databases, migrate.excludes)) {
        tenants.push_back({name, ""});
      }
    }
    if (migrate_roles.from_source() && !tenants.empty()) CheckGrantsReadable(session, tenants.front().database);
  }
  if (tenants.empty()) throw Error(ErrorCategory::kUsage, "no source database matches --databases");
  if (tenants.size() > 1 && !options.target.HasDatabasePlaceholder()) {
    // Without {db}, every database would load into the one NAME.
    throw Error(ErrorCategory::kUsage, std::to_string(tenants.size()) + " databases match; --target names one "
                                           "database: put {db} in its name (postgresql://.../{db})");
  }
  migrate.jobs = FitJobs(migrate.jobs, jobs_option->count() > 0, migrate.threads, tenants.size(), capacity);
  ProgressDisplay display(isatty(STDERR_FILENO) != 0);
  FleetOptions fleet;
  fleet.jobs = migrate.jobs;
  if (!migrate.quiet) {
    std::cerr << "my2pg: migrating " << tenants.size() << " database" << (tenants.size() > 1 ? "s" : "") << ", "
              << std::min<size_t>(migrate.jobs, tenants.size()) << " at a time, " << migrate.threads
              << " threads each\n";
    fleet.on_progress = [&display](const std::vector<TenantSpec>& all, const ProgressSlot* slots) {
      display.Update(all, slots);
    };
  }
  std::vector<DatabaseReport> reports = RunFleet(tenants, options, fleet);
  display.Finish();
  double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  if (!migrate.report.empty()) WriteOutput(migrate.report, RunReportJson(reports, wall));
  if (!migrate.quiet) std::cerr << RunSummary(reports, wall);
  int64_t rejected = 0;
  for (const auto& report : reports) {
    if (report.status != "done") return kExitFailed;
    rejected += report.rows_rejected();
  }
  if (migrate.fail_on_reject && rejected > 0) return kExitRejects;
  return kExitOk;
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
