#include "runtime/interrupt_canceller.h"

#include <chrono>

#include "adapters/pg_session.h"
#include "common/error.h"
#include "runtime/interruption.h"

namespace my2pg {
namespace {

// How often the interruption is looked for, and, once it came, how often
// the statements started since are cancelled again.
constexpr auto kPoll = std::chrono::milliseconds(100);
constexpr auto kAgain = std::chrono::seconds(1);

const char kCancelSql[] =
    "SELECT count(pg_cancel_backend(pid)) FROM pg_stat_activity WHERE datname = current_database() "
    "AND usename = current_user AND application_name = 'my2pg' AND pid <> pg_backend_pid() AND state = 'active'";

}  // namespace

InterruptCanceller::InterruptCanceller(ConnectionUri target)
    : target_(std::move(target)), watcher_([this] { Watch(); }) {}

InterruptCanceller::~InterruptCanceller() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  watcher_.join();
}

void InterruptCanceller::Watch() {
  std::unique_lock<std::mutex> lock(mutex_);
  while (!wake_.wait_for(lock, kPoll, [this] { return stopping_ || Interrupted(); })) {
  }
  std::unique_ptr<PgSession> session;
  while (!stopping_) {
    lock.unlock();
    try {
      if (!session) session = std::make_unique<PgSession>(target_);
      session->Execute(kCancelSql);
    } catch (const Error&) {
      session.reset();  // the target is going away too: nothing to cancel, or try again
    }
    lock.lock();
    wake_.wait_for(lock, kAgain, [this] { return stopping_; });
  }
}

}  // namespace my2pg
