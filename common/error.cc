#include "common/error.h"

namespace my2pg {

bool IsTransientSqlState(std::string_view sqlstate) {
  if (sqlstate.size() != 5) return false;
  if (sqlstate.substr(0, 2) == "08") return true;  // connection exception
  for (std::string_view code : {"40001", "40P01", "53300", "57P01", "57P02", "57P03", "55P03"}) {
    if (sqlstate == code) return true;
  }
  return false;
}

bool IsTransientMySqlError(unsigned int code) {
  switch (code) {
    case 2002: case 2003: case 2006: case 2013: case 2055:  // CR_*: unreachable, gone, lost
    case 1040:  // ER_CON_COUNT_ERROR
    case 1053:  // ER_SERVER_SHUTDOWN
    case 1205:  // ER_LOCK_WAIT_TIMEOUT
    case 1213:  // ER_LOCK_DEADLOCK
    case 1927:  // ER_CONNECTION_KILLED (MariaDB)
      return true;
    default:
      return false;
  }
}

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
