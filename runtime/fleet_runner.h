// RunFleet: migrates many databases, a worker process per database, up to
// "jobs" at once. A worker that crashes or is killed fails its database only:
// the others go on, and the report says which failed and why. Progress of
// every worker is shared through memory the parent reads to draw it.
#ifndef MY2PG_RUNTIME_FLEET_RUNNER_H_
#define MY2PG_RUNTIME_FLEET_RUNNER_H_

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "runtime/database_migration.h"
#include "runtime/progress.h"

namespace my2pg {

struct TenantSpec {
  std::string database;
  std::string timezone;  // from --databases-file; "" for the rules' own
  // Carry on what an earlier attempt left in the target (a database a
  // ledger hands out again: runtime/ledger_feed.h), whatever --resume says.
  bool resume = false;
  int64_t claim_epoch = 0;  // the ledger claim it runs under; 0: no ledger
};

struct WorkerResult;

// Where a pool's work comes from. By default each tenant in turn; with a
// ledger (runtime/ledger_feed.h) the databases this process claims, while
// other processes claim the rest. Called by the pool's thread only, in the
// parent process.
class TenantFeed {
 public:
  struct Item {
    size_t tenant = 0;    // index in the pool's tenants
    bool resume = false;  // sets TenantSpec::resume for its worker
    int64_t claim_epoch = 0;  // sets TenantSpec::claim_epoch
  };
  virtual ~TenantFeed() = default;
  // Next() and Drained() may be called every 20 ms while a worker slot is
  // free: a feed that asks a server keeps its own pace.
  // The next tenant to start, or nullopt: none now.
  virtual std::optional<Item> Next() = 0;
  // True once no tenant will come from Next() any more: the pool ends when
  // its workers have ended too. Asked when Next() gave nothing.
  virtual bool Drained() = 0;
  // The worker of "tenant" ended with "result".
  virtual void Ended(size_t tenant, const WorkerResult& result) = 0;
  // False once the worker of "tenant" must stop (the pool sends it SIGTERM,
  // once): its claim was lost.
  virtual bool KeepRunning(size_t tenant) { return true; }
};

struct FleetOptions {
  int jobs = 1;  // worker processes at once
  TenantFeed* feed = nullptr;  // null: every tenant, in order
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
  bool skipped = false;      // never started: its feed did not hand it to this process
};
// Results in the order of "tenants".
std::vector<WorkerResult> RunWorkerPool(const std::vector<TenantSpec>& tenants, const FleetOptions& fleet,
                                        const WorkerFunction& work);

// The report a migration worker handed back in "result" (or a failed one
// saying why there is none).
DatabaseReport ReportOf(const TenantSpec& tenant, const MigrationOptions& migration, const WorkerResult& result);

// Reports in the order of "tenants", of those this process ran (all but
// the ones fleet.feed handed to other processes). Without fork (jobs == 0) runs in-process,
// one database after the other.
std::vector<DatabaseReport> RunFleet(const std::vector<TenantSpec>& tenants, const MigrationOptions& migration,
                                     const FleetOptions& fleet);

}  // namespace my2pg

#endif  // MY2PG_RUNTIME_FLEET_RUNNER_H_
