// InterruptCanceller: while it lives, a thread waits for an interruption
// (runtime/interruption.h) and then cancels the statements this migration's
// sessions run in its target database. The COPYs check the interruption
// between batches, but an index build, a foreign key's validation, ANALYZE
// or a statement waiting for a lock check nothing, and one of them can run
// for many minutes: cancelled, their transactions roll back, their steps
// stay undone for `migrate --resume`, and the run stops within seconds.
//
// The sessions are found by name: my2pg's connections carry
// fallback_application_name "my2pg" (adapters/connect.cc), and only one
// migration holds a target database at a time (its advisory lock), so the
// sessions of this role named "my2pg" in it are this migration's.
#ifndef MY2PG_RUNTIME_INTERRUPT_CANCELLER_H_
#define MY2PG_RUNTIME_INTERRUPT_CANCELLER_H_

#include <condition_variable>
#include <mutex>
#include <thread>

#include "common/uri.h"

namespace my2pg {

class InterruptCanceller {
 public:
  // "target": the migration's target database.
  explicit InterruptCanceller(ConnectionUri target);
  ~InterruptCanceller();  // stops the thread
  InterruptCanceller(const InterruptCanceller&) = delete;
  InterruptCanceller& operator=(const InterruptCanceller&) = delete;

 private:
  void Watch();

  ConnectionUri target_;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;  // guarded by mutex_
  std::thread watcher_;
};

}  // namespace my2pg

#endif  // MY2PG_RUNTIME_INTERRUPT_CANCELLER_H_
