#include "cli/verify_command.h"

#include <unistd.h>

#include <chrono>
#include <iostream>
#include <random>

#include "adapters/catalog_reader.h"
#include "adapters/mysql_session.h"
#include "adapters/pg_session.h"
#include "cli/connection_limits.h"
#include "cli/progress_display.h"
#include "cli/tenant_selection.h"
#include "common/error.h"
#include "common/suggest.h"
#include "compat_views/compat_views.h"
#include "runtime/database_verification.h"
#include "runtime/fleet_runner.h"

namespace my2pg {
namespace {

constexpr int kVerifyIdentical = 0;
constexpr int kVerifyDifferent = 1;
constexpr int kVerifyFailed = 2;

// The tenants chosen; --jobs checked against the source's connection limits.
std::vector<TenantSpec> SelectTenants(const VerifyArgs& args, const ConnectionUri& source) {
  MySqlSession session(source);
  std::vector<TenantSpec> tenants =
      ChooseTenants(ListDatabases(session), args.databases, args.excludes, args.databases_file,
                    args.databases_file.empty() ? "" : ReadInput(args.databases_file));
  ConnectionCapacity capacity = ReadSourceCapacity(session);
  ConnectionNeed need{"MySQL", SourceConnectionsPerVerify(args.threads), std::to_string(args.threads) + " + 1",
                      capacity.connections - 1};
  FitJobs(args.jobs, /*jobs_given=*/true, args.threads, tenants.size(), need, capacity);
  return tenants;
}

uint64_t ParseSeed(const std::string& text) {
  if (text.empty()) return std::random_device{}() * uint64_t{4294967296} + std::random_device{}();
  size_t used = 0;
  uint64_t seed = 0;
  try {
    seed = std::stoull(text, &used);
  } catch (const std::exception&) {
    used = 0;
  }
  if (used != text.size() || text[0] == '-') {
    throw Error(ErrorCategory::kUsage, "--seed must be an unsigned integer (as a previous run printed it), not '" +
                                           text + "'");
  }
  return seed;
}

}  // namespace

CLI::App* AddVerifyCommand(CLI::App& app, VerifyArgs& args) {
  CLI::App* command = app.add_subcommand(
      "verify",
      "Prove the target holds what the source holds, through the mapping: schema, counts, and every row (--full) "
      "or sampled chunks (--sample N). Exit 0 identical, 1 differences, 2 could not check.");
  command->add_option("--source", args.source, "mysql://USER[:PASSWORD]@HOST[:PORT] (default: $MY2PG_SOURCE)");
  command->add_option("--target", args.target,
                      "postgresql://USER@HOST[:PORT]/NAME: the target database, or a NAME with {db} (default: "
                      "$MY2PG_TARGET)");
  AddTenantOptions(command, "verify", args.databases, args.excludes, args.databases_file);
  command->add_option("--mapping", args.mapping, "the rules file the migration used (default: the built-in defaults)");
  CLI::Option* full = command->add_flag("--full", args.full, "compare every row");
  CLI::Option* sample =
      command->add_option("--sample", args.sample,
                          "compare N random chunks per table plus the newest rows by key and by update time (a MySQL "
                          "column ON UPDATE CURRENT_TIMESTAMP); keyless tables whole")
          ->check(CLI::Range(1, 1000000));
  full->excludes(sample);
  command->add_option("--seed", args.seed, "the --sample seed to draw the same chunks again (printed by each run)")
      ->needs(sample);
  command->add_option("--report", args.report, "write the verify report (my2pg-verify/1) as JSON to this file");
  command
      ->add_option("-j,--jobs", args.jobs,
                   "databases verified at once, a process each (each opens threads + 1 connections per server: "
                   "checked against both servers' limits)")
      ->capture_default_str()
      ->check(CLI::Range(1, 1024));
  command->add_option("-t,--threads", args.threads, "chunks compared at once per database")
      ->capture_default_str()
      ->check(CLI::Range(1, 64));
  command
      ->add_option("--chunk-rows", args.chunk_rows,
                   "rows per compared key range (integer keys) or key-list batch (text or composite keys)")
      ->capture_default_str()
      ->check(CLI::Range(int64_t{100}, int64_t{1} << 40));
  command->add_option("--show", args.show, "differing rows shown per table")
      ->capture_default_str()
      ->check(CLI::Range(0, 100000));
  command->add_flag("-q,--quiet", args.quiet, "print no progress and no summary (the exit code and --report tell)");
  return command;
}

int RunVerifyCommand(const VerifyArgs& args) {
  try {
    auto start = std::chrono::steady_clock::now();
    if (!args.full && args.sample == 0) throw Error(ErrorCategory::kUsage, "give --full or --sample N");
    Rules rules = LoadRules(args.mapping);
    CheckWritable(args.report);
    VerifyOptions options;
    options.source = RequireUri(args.source, "--source", "MY2PG_SOURCE", "mysql");
    options.target = RequireTargetUri(args.target);
    ConnectionCapacity target_capacity;
    {
      PgSession admin(options.target.WithDatabase("postgres"));  // reached and logged into once, before any work
      target_capacity = ReadTargetCapacity(admin);
    }
    options.rules = &rules;
    options.promised_views = [](const SchemaPlan& plan) {
      std::vector<PromisedView> views;
      for (LegacyViewName& view : PlanLegacyViewNames(plan)) views.push_back({view.name, std::move(view.columns)});
      return views;
    };
    options.threads = args.threads;
    options.chunk_rows = args.chunk_rows;
    options.sample_chunks = args.full ? 0 : args.sample;
    options.seed = args.full ? 0 : ParseSeed(args.seed);
    options.shown_rows = args.show;
    std::vector<TenantSpec> tenants = SelectTenants(args, options.source);
    if (tenants.size() > 1 && !options.target.HasDatabasePlaceholder()) {
      throw Error(ErrorCategory::kUsage, std::to_string(tenants.size()) + " databases match; --target names one "
                                             "database: put {db} in its name (postgresql://.../{db})");
    }
    ConnectionNeed target_need{"PostgreSQL", TargetConnectionsPerVerify(args.threads),
                               std::to_string(args.threads) + " + 1", target_capacity.connections - 1};
    FitJobs(args.jobs, /*jobs_given=*/true, args.threads, tenants.size(), target_need, target_capacity);
    if (!args.quiet) {
      std::cerr << "my2pg: verifying " << tenants.size() << " database" << (tenants.size() > 1 ? "s" : "") << " ("
                << (args.full ? std::string("--full") : "--sample " + std::to_string(args.sample) + " --seed " +
                                                             std::to_string(options.seed))
                << "), " << std::min<size_t>(args.jobs, tenants.size()) << " at a time, " << args.threads
                << " threads each\n";
    }
    ProgressDisplay display(isatty(STDERR_FILENO) != 0);
    FleetOptions fleet;
    fleet.jobs = args.jobs;
    if (!args.quiet) {
      fleet.on_progress = [&display](const std::vector<TenantSpec>& all, const ProgressSlot* slots) {
        display.Update(all, slots);
      };
    }
    std::vector<WorkerResult> results =
        RunWorkerPool(tenants, fleet, [&options](const TenantSpec& tenant, ProgressSlot* slot) {
          VerifyOptions mine = options;
          mine.progress = slot;
          mine.timezone = tenant.timezone;
          return DatabaseVerificationJson(VerifyDatabase(tenant.database, mine));
        });
    display.Finish();
    std::vector<DatabaseVerification> databases;
    for (size_t i = 0; i < tenants.size(); ++i) {
      DatabaseVerification database;
      if (results[i].ok) {
        database = DatabaseVerificationFromJson(results[i].text);
      } else {
        database.database = tenants[i].database;
        database.target_database = options.target.ForDatabase(tenants[i].database).database;
        database.status = "failed";
        database.error = results[i].text;
      }
      databases.push_back(std::move(database));
    }
    double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    if (!args.report.empty()) {
      WriteOutput(args.report, VerifyReportJson(databases, args.full ? "full" : "sample", options.seed, wall));
    }
    if (!args.quiet) {
      std::cout << VerifySummary(databases);
      if (!args.full) std::cout << "verify: sampled with --seed " << options.seed << "\n";
    }
    int code = kVerifyIdentical;
    for (const auto& database : databases) {
      if (database.status == "failed") return kVerifyFailed;
      if (database.status != "ok") code = kVerifyDifferent;
    }
    return code;
  } catch (const Error& e) {
    std::cerr << "my2pg: " << e.Describe() << "\n";
    return kVerifyFailed;
  }
}

}  // namespace my2pg
