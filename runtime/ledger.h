// Ledger: the fleet's shared record, in a PostgreSQL database (`--ledger`;
// by default one named "my2pg" on the target server). It holds each run and,
// per run, each source database: its state (WorkStatus), who holds it
// (claimed_by "host:pid"), attempts, error, timings, row counts, heartbeat,
// lease expiry and fencing epoch. Several `my2pg migrate --ledger` processes
// (shells, hosts, pods) share one run through it with no coordinator of
// their own: PostgreSQL's row locks are the coordination.
//
// A claim takes the next claimable database (pending, interrupted, a
// running one whose lease lapsed, and with --resume a failed one) with
// SELECT ... FOR UPDATE SKIP LOCKED, so two processes never take the same
// row, and increments its epoch. The claim is a lease: its holder renews it
// (Renew) and ends it (Finish) only while the row still carries its epoch;
// a process whose lease lapsed and was taken over affects no row, and so
// can never mark the database done (fencing). The ledger's own clock
// (now()) decides every expiry: hosts' clocks never meet.
//
// Secrets are never written: URIs are stored Redacted().
//
// Thread-safe: one session, each call under a mutex; a call whose connection
// broke reconnects and tries once more.
#ifndef MY2PG_RUNTIME_LEDGER_H_
#define MY2PG_RUNTIME_LEDGER_H_

#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "adapters/pg_session.h"
#include "common/uri.h"
#include "runtime/fleet_runner.h"
#include "runtime/work_status.h"

namespace my2pg {

// The run a process joins when no --run is given: "run-" and 16 hex digits
// of a hash of what identifies the work (the source server and user, the
// target URI without secrets or options, the selected databases in order),
// so that processes started with the same arguments share one run. Pure.
std::string DefaultRunId(const ConnectionUri& source, const ConnectionUri& target,
                         const std::vector<TenantSpec>& tenants);

// The ledger of "target" when --ledger is given without a URI: the target
// server's database "my2pg". Pure.
ConnectionUri DefaultLedgerUri(const ConnectionUri& target);

// One database of a run, as the ledger holds it.
struct LedgerDatabase {
  std::string database;
  std::string target_database;
  std::string timezone;
  WorkStatus status = WorkStatus::kPending;
  int64_t epoch = 0;
  int attempts = 0;
  std::string claimed_by;  // "host:pid" of the last claim; "" if never claimed
  std::string error;
  int64_t rows_estimate = 0;  // the source's estimate (INFORMATION_SCHEMA)
  int64_t rows_read = 0;      // so far (running) or in the end
  int64_t rows_written = 0;   // at the end
  int64_t rows_rejected = 0;  // at the end
  double seconds = 0;         // since started (running) or started to finished; 0 if never started
  double lease_left = 0;      // seconds until the lease lapses (running); negative: lapsed
};

// A run as `my2pg status` shows it.
struct RunStatus {
  std::string run_id;
  std::string source;  // redacted
  std::string target;  // redacted
  std::string created_at;  // ISO 8601, UTC
  double elapsed_seconds = 0;  // since its first claim (0 if none)
  std::vector<LedgerDatabase> databases;  // in the run's order
};

// What the status says, computed from "run". Pure.
struct RunTotals {
  int done = 0, running = 0, failed = 0, pending = 0, interrupted = 0;
  int64_t rows_read = 0;      // done databases' written rows count as read
  int64_t rows_estimate = 0;  // of every database
  double rows_per_second = 0;  // rows_read / elapsed
  // Seconds left at that rate for the rows not yet read of the databases not
  // settled; nullopt when nothing has been read yet, 0 once none is left.
  std::optional<double> eta_seconds;
};
RunTotals TotalsOf(const RunStatus& run);

// `my2pg status --json` (format "my2pg-status/1") and its text form. Pure.
std::string StatusJson(const RunStatus& run);
std::string StatusText(const RunStatus& run);

// A claim this process holds.
struct LedgerClaim {
  std::string database;
  int64_t epoch = 0;
  int attempt = 0;  // 1 for the first claim of the database in this run
};

struct LedgerRegistration {
  std::string run_id;
  ConnectionUri source;
  ConnectionUri target;
  std::vector<TenantSpec> tenants;
  std::vector<int64_t> rows_estimates;  // parallel to tenants; may be empty
};

class Ledger {
 public:
  // Connects to "uri" (creating its database if missing) and creates the
  // ledger's tables if missing. "holder" names this process in claims
  // ("host:pid"). Throws Error(kTarget).
  Ledger(const ConnectionUri& uri, std::string holder, int lease_seconds);
  // The ledger at "uri" as it is, to read (Status): creates nothing; throws
  // Error(kUsage) if "uri" holds no ledger, Error(kTarget) if unreachable.
  static std::unique_ptr<Ledger> OpenExisting(const ConnectionUri& uri);
  ~Ledger();
  Ledger(const Ledger&) = delete;
  Ledger& operator=(const Ledger&) = delete;

  // Registers the run and its databases, or joins it (databases it does not
  // hold yet are added after its own). Throws Error(kUsage) if the run
  // exists for another source or target.
  void Join(const LedgerRegistration& registration);
  const std::string& run_id() const { return run_id_; }

  // The run's databases in order (after Join).
  std::vector<TenantSpec> Tenants();

  // Claims the next claimable database, or nullopt if none is now.
  // "retry_failed": failed databases are claimable too (--resume), those
  // that failed before this process joined (each is retried once here).
  std::optional<LedgerClaim> ClaimNext(bool retry_failed);
  // Renews the lease of "claim" and records its progress; false if the
  // claim was lost (its row carries another epoch or is no longer running).
  bool Renew(const LedgerClaim& claim, int64_t rows_read, int64_t rows_estimate);
  // Ends "claim" with "status" and what the database's report says; false
  // if the claim was lost (nothing written).
  bool Finish(const LedgerClaim& claim, WorkStatus status, const std::string& error, int64_t rows_read,
              int64_t rows_written, int64_t rows_rejected);
  // True while a database of the run is pending, interrupted or running
  // (held by any process): work may still come to this process.
  bool Unsettled();

  // The run "run_id" ("": the run created last); throws Error(kUsage) if
  // there is none.
  RunStatus Status(const std::string& run_id);

  int lease_seconds() const { return lease_seconds_; }

 private:
  Ledger(const ConnectionUri& uri, std::unique_ptr<PgSession> session);  // OpenExisting
  // Runs "call" on the session, reconnecting once if the connection broke.
  template <typename Call>
  auto WithSession(Call call) -> decltype(call(std::declval<PgSession&>()));

  ConnectionUri uri_;
  std::string holder_;
  int lease_seconds_;
  std::string run_id_;
  std::string joined_at_;  // the ledger's now() at Join: failures before it are retried with --resume
  std::mutex mutex_;
  std::unique_ptr<PgSession> session_;  // guarded by mutex_
};

}  // namespace my2pg

#endif  // MY2PG_RUNTIME_LEDGER_H_
