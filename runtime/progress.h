// Progress of one database, written by the worker that migrates it and read
// by the process that draws progress bars. Lives in memory shared between
// processes (see fleet_runner.h), so it holds only lock-free atomics.
#ifndef MY2PG_RUNTIME_PROGRESS_H_
#define MY2PG_RUNTIME_PROGRESS_H_

#include <atomic>
#include <cstdint>

namespace my2pg {

enum class Phase : int32_t { kPending, kSchema, kCopy, kKeys, kConstraints, kDone, kFailed };

const char* ToString(Phase phase);

struct ProgressSlot {
  std::atomic<int64_t> rows_read{0};
  std::atomic<int64_t> copy_bytes{0};
  std::atomic<int64_t> rows_estimate{0};  // from INFORMATION_SCHEMA, approximate
  std::atomic<int32_t> tables_done{0};
  std::atomic<int32_t> tables_total{0};
  std::atomic<int32_t> phase{static_cast<int32_t>(Phase::kPending)};

  void SetPhase(Phase p) { phase.store(static_cast<int32_t>(p), std::memory_order_relaxed); }
  Phase phase_value() const { return static_cast<Phase>(phase.load(std::memory_order_relaxed)); }
};

static_assert(std::atomic<int64_t>::is_always_lock_free, "progress slots need lock-free atomics");

}  // namespace my2pg

#endif  // MY2PG_RUNTIME_PROGRESS_H_
