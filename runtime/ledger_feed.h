// LedgerFeed: the fleet's work taken from a ledger (runtime/ledger.h), for
// RunWorkerPool: each free worker slot claims the run's next claimable
// database; a heartbeat thread renews the leases of the claims held and
// records their progress; a worker whose claim is lost (its row carries
// another epoch, or the ledger could not be reached for a whole lease) is
// stopped, and its end is not recorded. The pool ends when the run has no
// database pending, interrupted or running anywhere: a process stays while
// others work, to take over any database whose lease lapses.
//
// Thread-safety: the TenantFeed methods and NoteProgress are called by the
// pool's thread; the heartbeat thread is the feed's own.
#ifndef MY2PG_RUNTIME_LEDGER_FEED_H_
#define MY2PG_RUNTIME_LEDGER_FEED_H_

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "runtime/fleet_runner.h"
#include "runtime/ledger.h"

namespace my2pg {

// How a worker's database ended, for the ledger.
struct LedgerOutcome {
  WorkStatus status = WorkStatus::kFailed;
  std::string error;
  int64_t rows_read = 0, rows_written = 0, rows_rejected = 0;
};

class LedgerFeed : public TenantFeed {
 public:
  // "tenants": the pool's tenants, ledger.Tenants() (a claim names one of
  // them). "retry_failed": --resume. "outcome_of" reads a worker's result.
  // "*ledger" must outlive the feed.
  LedgerFeed(Ledger* ledger, std::vector<TenantSpec> tenants, bool retry_failed,
             std::function<LedgerOutcome(size_t tenant, const WorkerResult&)> outcome_of);
  ~LedgerFeed() override;  // stops the heartbeat
  LedgerFeed(const LedgerFeed&) = delete;
  LedgerFeed& operator=(const LedgerFeed&) = delete;

  std::optional<Item> Next() override;
  bool Drained() override;
  void Ended(size_t tenant, const WorkerResult& result) override;
  bool KeepRunning(size_t tenant) override;

  // The workers' progress (FleetOptions::on_progress), sent with the next
  // heartbeat.
  void NoteProgress(const ProgressSlot* slots);

  // One line per database whose claim this process lost, saying why; a
  // database listed here was not recorded by this process.
  std::vector<std::string> lost() const;

 private:
  struct Held {
    LedgerClaim claim;
    int64_t rows_read = 0;
    int64_t rows_estimate = 0;
    std::chrono::steady_clock::time_point renewed;  // the last renewal the ledger accepted
    bool lost = false;
  };
  void Heartbeat();
  void Lose(size_t tenant, const std::string& why);  // REQUIRES: mutex_ held

  Ledger* ledger_;
  std::vector<TenantSpec> tenants_;
  std::map<std::string, size_t> index_of_;  // database -> tenant
  bool retry_failed_;
  std::function<LedgerOutcome(size_t, const WorkerResult&)> outcome_of_;
  std::chrono::steady_clock::time_point asked_;  // when Next() or Drained() last found nothing
  std::chrono::steady_clock::time_point drained_asked_;  // when Drained() last asked the ledger
  bool drained_ = false;

  mutable std::mutex mutex_;
  std::map<size_t, Held> held_;  // by tenant; guarded by mutex_
  std::vector<std::string> lost_;  // guarded by mutex_
  std::condition_variable wake_;
  bool stopping_ = false;  // guarded by mutex_
  std::thread heartbeat_;
};

}  // namespace my2pg

#endif  // MY2PG_RUNTIME_LEDGER_FEED_H_
