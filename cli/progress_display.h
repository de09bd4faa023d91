// Draws the progress of a fleet run on stderr: live bars per database and
// overall on a terminal; a plain line every 10 seconds in a log or CI.
#ifndef MY2PG_CLI_PROGRESS_DISPLAY_H_
#define MY2PG_CLI_PROGRESS_DISPLAY_H_

#include <chrono>
#include <string>
#include <vector>

#include "runtime/fleet_runner.h"

namespace my2pg {

class ProgressDisplay {
 public:
  explicit ProgressDisplay(bool terminal);
  // Called by RunFleet about twice a second.
  void Update(const std::vector<TenantSpec>& tenants, const ProgressSlot* slots);
  // Clears the live lines before the summary is printed.
  void Finish();

 private:
  bool terminal_;
  std::chrono::steady_clock::time_point start_;
  std::chrono::steady_clock::time_point last_plain_line_;
  int lines_drawn_ = 0;
};

}  // namespace my2pg

#endif  // MY2PG_CLI_PROGRESS_DISPLAY_H_
