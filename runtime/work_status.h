// WorkStatus: where a unit of work stands (a database, a table, a key-range
// chunk). One enum for the report, the migration's own state tables in the
// target (runtime/target_state.h) and resuming; its text form is what the
// JSON report and those tables hold. Plain values: thread-safe.
#ifndef MY2PG_RUNTIME_WORK_STATUS_H_
#define MY2PG_RUNTIME_WORK_STATUS_H_

#include <string_view>

namespace my2pg {

enum class WorkStatus { kPending, kRunning, kDone, kFailed, kInterrupted };

// "pending", "running", "done", "failed", "interrupted".
const char* ToString(WorkStatus status);

// The inverse of ToString; throws Error(kInternal) for any other text (a
// report or a state table written by something else).
WorkStatus ParseWorkStatus(std::string_view text);

}  // namespace my2pg

#endif  // MY2PG_RUNTIME_WORK_STATUS_H_
