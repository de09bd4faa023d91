#include "runtime/work_status.h"

#include <string>

#include "common/error.h"

namespace my2pg {

const char* ToString(WorkStatus status) {
  switch (status) {
    case WorkStatus::kPending: return "pending";
    case WorkStatus::kRunning: return "running";
    case WorkStatus::kDone: return "done";
    case WorkStatus::kFailed: return "failed";
    case WorkStatus::kInterrupted: return "interrupted";
  }
  return "unknown";
}

WorkStatus ParseWorkStatus(std::string_view text) {
  for (WorkStatus status : {WorkStatus::kPending, WorkStatus::kRunning, WorkStatus::kDone, WorkStatus::kFailed,
                            WorkStatus::kInterrupted}) {
    if (text == ToString(status)) return status;
  }
  throw Error(ErrorCategory::kInternal, "unknown work status '" + std::string(text) + "'");
}

}  // namespace my2pg
