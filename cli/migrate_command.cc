#include "cli/migrate_command.h"

#include <unistd.h>

#include <chrono>
#include <iostream>
#include <memory>

#include "adapters/catalog_reader.h"
#include "adapters/mysql_session.h"
#include "adapters/pg_session.h"
#include "cli/connection_limits.h"
#include "cli/progress_display.h"
#include "cli/tenant_selection.h"
#include "common/error.h"
#include "common/suggest.h"
#include "compat_views/compat_views.h"
#include "runtime/database_migration.h"
#include "runtime/fleet_runner.h"
#include "runtime/interruption.h"
#include "runtime/ledger.h"
#include "runtime/ledger_feed.h"
#include "runtime/run_report.h"

namespace my2pg {
namespace {

// "host:pid", how this process signs its claims in the ledger.
std::string ClaimHolder() {
  char host[256] = {};
  gethostname(host, sizeof(host) - 1);
  return std::string(host) + ":" + std::to_string(getpid());
}

// The ledger of --ledger, joined for this run; its databases replace
// "tenants" (a run joined may hold more than this process selected).
std::unique_ptr<Ledger> JoinLedger(const MigrateArgs& args, const MigrationOptions& options,
                                   std::vector<TenantSpec>& tenants, const std::vector<int64_t>& estimates) {
  ConnectionUri uri = args.ledger == kDefaultLedger ? DefaultLedgerUri(options.target)
                                                    : RequireUri(args.ledger, "--ledger", "", "postgresql");
  for (const TenantSpec& tenant : tenants) {
    ConnectionUri target = options.target.ForDatabase(tenant.database);
    if (target.host == uri.host && target.port == uri.port && target.database == uri.database) {
      throw Error(ErrorCategory::kUsage, "--ledger names target database '" + uri.database +
                                             "' of source database " + tenant.database +
                                             ": give the ledger a database of its own");
    }
  }
  auto ledger = std::make_unique<Ledger>(uri, ClaimHolder(), args.lease_seconds);
  LedgerRegistration registration;
  registration.run_id = args.run.empty() ? DefaultRunId(options.source, options.target, tenants) : args.run;
  registration.source = options.source;
  registration.target = options.target;
  registration.tenants = tenants;
  registration.rows_estimates = estimates;
  ledger->Join(registration);
  tenants = ledger->Tenants();
  return ledger;
}

}  // namespace

CLI::App* AddMigrateCommand(CLI::App& app, MigrateArgs& args) {
  CLI::App* command = app.add_subcommand(
      "migrate", "Copy databases into PostgreSQL: schema by the mapping, every row converted, keys and indexes after.");
  command->add_option("--source", args.source, "mysql://USER[:PASSWORD]@HOST[:PORT][?ssl-mode=...&ssl-ca=...] (default: $MY2PG_SOURCE)");
  command->add_option("--target", args.target,
                          "postgresql://USER@HOST[:PORT]/NAME[?sslmode=...] or libpq's KEY=VALUE form: the target database (one source database), or a "
                          "NAME with {db}, which becomes each source database name (default: $MY2PG_TARGET)");
  AddTenantOptions(command, "migrate", args.databases, args.excludes, args.databases_file);
  command->add_option("-j,--jobs", args.jobs, "databases migrated at once, a process each (default: cores)")
          ->check(CLI::Range(1, 1024));
  command->add_option("-t,--threads", args.threads, "tables (and key ranges of large tables) copied at once per database")
      ->capture_default_str()
      ->check(CLI::Range(1, 64));
  command->add_option("--chunk-rows", args.chunk_rows, "split tables with more rows than this into key ranges")
      ->capture_default_str()
      ->check(CLI::Range(int64_t{1000}, int64_t{1} << 40));
  command->add_option("--grant-legacy", args.grant_legacy,
                          "role of the legacy application: gets what it needs on the legacy schema, nothing more");
  AddRoleOptions(command, args.roles, true);
  command->add_flag("--no-lock", args.no_lock,
                        "no read lock on the tables while the snapshot starts: for a source nobody writes to");
  command->add_option("--copy-format", args.copy_format,
                          "auto: binary COPY for tables whose columns all have a binary form, text for the others; "
                          "text: COPY text for every table (same values, slower)")
      ->capture_default_str()
      ->check(CLI::IsMember({"auto", "text"}));
  command
      ->add_option("--lock-timeout", args.lock_timeout,
                   "seconds the read lock may wait behind an open write transaction on the source before the "
                   "database fails, naming that session (new writers wait behind the lock meanwhile)")
      ->capture_default_str()
      ->check(CLI::Range(1, 31536000));
  command->add_flag("--async-commit", args.async_commit,
                        "commit without waiting for the target's disk (synchronous_commit = off): faster for many "
                        "small tables, but a crash of the target may lose tables already reported done");
  command->add_option("--mapping", args.mapping, "rules file (default: the built-in defaults)");
  command->add_option("--reject-dir", args.reject_dir, "where rejected rows are written")->capture_default_str();
  command->add_option("--report", args.report, "write the run report as JSON to this file");
  CLI::Option* replace =
      command->add_flag("--replace", args.replace, "drop and recreate target databases that already exist");
  command
      ->add_flag("--resume", args.resume,
                 "carry on a run that stopped (same arguments): skip the tables and key ranges done, reload the "
                 "others, finish keys, foreign keys, triggers and views; a finished run resumed changes nothing")
      ->excludes(replace);
  command
      ->add_option("--ledger", args.ledger,
                   "share the run with other my2pg processes (shells, hosts, pods) through a ledger in PostgreSQL: "
                   "postgresql://... or, given alone, a database named my2pg on the target server (created if "
                   "missing); each process claims databases until none is left")
      ->expected(0, 1);
  command->add_option("--run", args.run,
                      "the ledger's run to join or create (default: a hash of the source server, the target and the "
                      "selected databases, so that processes with the same arguments share one run)");
  command
      ->add_option("--lease-seconds", args.lease_seconds,
                   "how long a claim in the ledger lasts without a heartbeat (renewed 4 times per lease): a process "
                   "that dies holding a database loses it to another after this")
      ->capture_default_str()
      ->check(CLI::Range(2, 3600));
  command->add_flag("--fail-on-reject", args.fail_on_reject, "exit 4 if any row was rejected");
  command->add_flag("-q,--quiet", args.quiet, "print no summary (what failed is still printed, a line each)");
  return command;
}

int RunMigrateCommand(MigrateArgs args) {
  auto start = std::chrono::steady_clock::now();
  Rules rules = LoadRules(args.mapping);
  CheckWritable(args.report);
  MigrationOptions options;
  options.source = RequireUri(args.source, "--source", "MY2PG_SOURCE", "mysql");
  options.target = RequireTargetUri(args.target);
  ConnectionCapacity capacity;
  {
    // The target server, reached and logged into once before any work: a
    // wrong address or password is one line and exit 3, not a failed
    // database per worker.
    PgSession admin(options.target.WithDatabase("postgres"));
    capacity = ReadTargetCapacity(admin);
  }
  options.rules = &rules;
  options.reject_dir = args.reject_dir;
  options.replace = args.replace;
  options.resume = args.resume;
  options.threads = args.threads;
  CompatViewOptions view_options{args.grant_legacy};
  ApplyRoleArgs(args.roles, rules.Option("legacy_schema"), view_options);
  options.final_ddl = [view_options](const SchemaPlan& schema) { return BuildCompatViews(schema, view_options); };
  options.lock_source = !args.no_lock;
  options.lock_timeout_seconds = args.lock_timeout;
  options.chunk_rows = args.chunk_rows;
  options.binary_copy = args.copy_format == "auto";
  options.commit_mode = args.async_commit ? CommitMode::kAsync : CommitMode::kDurable;
  std::vector<TenantSpec> tenants;
  std::vector<int64_t> estimates;  // rows per tenant, for the ledger's ETA
  {
    MySqlSession session(options.source);
    tenants = ChooseTenants(ListDatabases(session), args.databases, args.excludes, args.databases_file,
                            args.databases_file.empty() ? "" : ReadInput(args.databases_file));
    if (args.roles.from_source()) CheckGrantsReadable(session, tenants.front().database);
    if (!args.ledger.empty()) {
      std::vector<std::string> names;
      for (const TenantSpec& tenant : tenants) names.push_back(tenant.database);
      std::map<std::string, int64_t> rows = EstimateDatabaseRows(session, names);
      for (const TenantSpec& tenant : tenants) estimates.push_back(rows[tenant.database]);
    }
  }
  if (tenants.size() > 1 && !options.target.HasDatabasePlaceholder()) {
    // Without {db}, every database would load into the one NAME.
    throw Error(ErrorCategory::kUsage, std::to_string(tenants.size()) + " databases match; --target names one "
                                           "database: put {db} in its name (postgresql://.../{db})");
  }
  ConnectionNeed need{"PostgreSQL", TargetConnectionsPerDatabase(args.threads),
                      "2 x " + std::to_string(args.threads) + " + 2", capacity.connections / 2 - 1};
  args.jobs = FitJobs(args.jobs, args.jobs_given, args.threads, tenants.size(), need, capacity);
  std::unique_ptr<Ledger> ledger;
  std::unique_ptr<LedgerFeed> feed;
  if (!args.ledger.empty()) {
    ledger = JoinLedger(args, options, tenants, estimates);
    options.claim.run_id = ledger->run_id();
    feed = std::make_unique<LedgerFeed>(
        ledger.get(), tenants, args.resume, [&tenants, &options](size_t tenant, const WorkerResult& result) {
          DatabaseReport report = ReportOf(tenants[tenant], options, result);
          return LedgerOutcome{report.status, report.error, report.rows_read(), report.rows_written(),
                               report.rows_rejected()};
        });
  }
  ProgressDisplay display(isatty(STDERR_FILENO) != 0);
  FleetOptions fleet;
  fleet.jobs = args.jobs;
  fleet.feed = feed.get();
  if (!args.quiet) {
    if (ledger) {
      std::cerr << "my2pg: run " << ledger->run_id() << " of " << tenants.size() << " database"
                << (tenants.size() > 1 ? "s" : "") << ": claiming up to " << args.jobs << " at a time, "
                << args.threads << " threads each\n";
    } else {
      std::cerr << "my2pg: migrating " << tenants.size() << " database" << (tenants.size() > 1 ? "s" : "") << ", "
                << std::min<size_t>(args.jobs, tenants.size()) << " at a time, " << args.threads
                << " threads each\n";
    }
  }
  fleet.on_progress = [&display, &args, &feed](const std::vector<TenantSpec>& all, const ProgressSlot* slots) {
    if (!args.quiet) display.Update(all, slots);
    if (feed) feed->NoteProgress(slots);
  };
  InstallInterruptHandlers(true);
  std::vector<DatabaseReport> reports = RunFleet(tenants, options, fleet);
  display.Finish();
  std::vector<std::string> lost = feed ? feed->lost() : std::vector<std::string>();
  feed.reset();  // the heartbeat stops
  for (const std::string& line : lost) std::cerr << "my2pg: " << line << "\n";
  if (ledger && reports.empty() && lost.empty() && !args.quiet) {
    std::cerr << "my2pg: run " << ledger->run_id() << ": nothing left to claim (my2pg status --ledger shows it)\n";
  }
  double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  if (!args.report.empty()) WriteOutput(args.report, RunReportJson(reports, wall), Visibility::kOwnerOnly);
  if (!args.quiet) {
    std::cerr << RunSummary(reports, wall);
  } else {
    // Quiet means no summary, not a silent failure: what failed, one line each.
    for (const DatabaseReport& report : reports) {
      if (report.status == WorkStatus::kDone) continue;
      std::cerr << "my2pg: " << report.database << ": " << ToString(report.status)
                << (report.error.empty() ? "" : ": " + report.error) << "\n";
      for (const TableReport& table : report.tables) {
        if (table.status == WorkStatus::kDone || table.error.empty()) continue;
        std::cerr << "my2pg: " << report.database << "." << table.source_name << ": " << table.error << "\n";
      }
    }
  }
  if (Interrupted()) return 128 + InterruptSignal();  // 130 for SIGINT, 143 for SIGTERM
  if (!lost.empty()) return kExitFailed;
  int64_t rejected = 0;
  for (const auto& report : reports) {
    if (report.status != WorkStatus::kDone) return kExitFailed;
    rejected += report.rows_rejected();
  }
  if (args.fail_on_reject && rejected > 0) return kExitRejects;
  return kExitOk;
}

}  // namespace my2pg
