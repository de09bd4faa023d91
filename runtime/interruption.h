// Interruption: SIGINT and SIGTERM stop a run cleanly. The handlers only
// record the signal; the fleet stops starting databases and forwards the
// signal to its workers, and a worker's migration stops claiming tasks,
// abandons the COPYs in flight at their next batch (their transactions roll
// back) and records those tables and chunks "interrupted", so that
// `migrate --resume` reloads them. A second SIGINT to the fleet's process
// ends it at once. Async-signal-safe state only; readable from any thread.
#ifndef MY2PG_RUNTIME_INTERRUPTION_H_
#define MY2PG_RUNTIME_INTERRUPTION_H_

#include "common/error.h"

namespace my2pg {

// Installs the handlers in this process (inherited by forked workers).
// "fleet_parent": a second SIGINT calls _exit(130).
void InstallInterruptHandlers(bool fleet_parent);

// The signal that interrupted the run (SIGINT or SIGTERM), or 0.
int InterruptSignal();
inline bool Interrupted() { return InterruptSignal() != 0; }

// What a task throws to stop at an interruption; its table is then
// recorded interrupted, not failed.
class InterruptedError : public Error {
 public:
  InterruptedError() : Error(ErrorCategory::kInternal, "interrupted") {}
};

}  // namespace my2pg

#endif  // MY2PG_RUNTIME_INTERRUPTION_H_
