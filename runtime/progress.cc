#include "runtime/progress.h"

namespace my2pg {

const char* ToString(Phase phase) {
  switch (phase) {
    case Phase::kPending: return "pending";
    case Phase::kSchema: return "schema";
    case Phase::kCopy: return "copy";
    case Phase::kKeys: return "keys";
    case Phase::kConstraints: return "constraints";
    case Phase::kDone: return "done";
    case Phase::kFailed: return "failed";
  }
  return "?";
}

}  // namespace my2pg
