#include "common/error.h"

namespace my2pg {

const char* ToString(ErrorCategory category) {
  switch (category) {
    case ErrorCategory::kUsage: return "usage";
    case ErrorCategory::kRules: return "rules";
    case ErrorCategory::kSource: return "source";
    case ErrorCategory::kTarget: return "target";
    case ErrorCategory::kData: return "data";
    case ErrorCategory::kInternal: return "internal";
  }
  return "unknown";
}

std::string Error::Describe() const {
  std::string where = database_;
  if (!table_.empty()) where += (where.empty() ? "" : ".") + table_;
  return where.empty() ? what() : where + ": " + what();
}

int Error::exit_code() const {
  switch (category_) {
    case ErrorCategory::kUsage:
    case ErrorCategory::kRules: return kExitUsage;
    case ErrorCategory::kSource:
    case ErrorCategory::kTarget: return unreachable_ ? kExitConnection : kExitFailed;
    case ErrorCategory::kData: return kExitRejects;
    case ErrorCategory::kInternal: return kExitFailed;
  }
  return kExitFailed;
}

}  // namespace my2pg
