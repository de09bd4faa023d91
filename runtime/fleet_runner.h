// RunFleet: migrates many databases, a worker process per database, up to
// "jobs" at once. A worker that crashes or is killed fails its database only:
// the others go on, and the report says which failed and why. Progress of
// every worker is shared through memory the parent reads to draw it.
#ifndef MY2PG_RUNTIME_FLEET_RUNNER_H_
#define MY2PG_RUNTIME_FLEET_RUNNER_H_

#include <functional>
#include <string>
#include <vector>

#include "runtime/database_migration.h"
#include "runtime/progress.h"

namespace my2pg {

struct TenantSpec {
  std::string database;
  std::string timezone;  // from --databases-file; "" for the rules' own
};

struct FleetOptions {
  int jobs = 1;  // worker processes at once
  // Called about twice a second in the parent with every tenant's slot
  // (parallel to the tenants) and the reports finished so far.
  std::function<void(const std::vector<TenantSpec>&, const ProgressSlot*)> on_progress;
};

// The process pool under RunFleet, for any per-database work (verify too):
// "work" runs in a forked worker process, up to fleet.jobs at once (without
// fork, jobs == 0: in this process, one after the other) and returns what
// the worker hands back (JSON). A worker that dies or throws gives no text:
// its result is not ok and "text" says why.
using WorkerFunction = std::function<std::string(const TenantSpec& tenant, ProgressSlot* slot)>;
struct WorkerResult {
  bool ok = false;
  std::string text;  // the worker's text, or why there is none
  double start_seconds = 0;  // when its worker started, since the pool started
  bool interrupted = false;  // never started: the run was interrupted first
};
// Results in the order of "tenants".
std::vector<WorkerResult> RunWorkerPool(const std::vector<TenantSpec>& tenants, const FleetOptions& fleet,
                                        const WorkerFunction& work);

// Reports in the order of "tenants". Without fork (jobs == 0) runs in-process,
// one database after the other.
std::vector<DatabaseReport> RunFleet(const std::vector<TenantSpec>& tenants, const MigrationOptions& migration,
                                     const FleetOptions& fleet);

}  // namespace my2pg

#endif  // MY2PG_RUNTIME_FLEET_RUNNER_H_
