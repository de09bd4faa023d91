#include "cli/progress_display.h"

#include <cstdio>

namespace my2pg {
namespace {

std::string Bar(double fraction, int width) {
  if (fraction < 0) fraction = 0;
  if (fraction > 1) fraction = 1;
  int filled = static_cast<int>(fraction * width);
  return "[" + std::string(filled, '#') + std::string(width - filled, '.') + "]";
}

std::string Duration(double seconds) {
  char buffer[32];
  int s = static_cast<int>(seconds);
  std::snprintf(buffer, sizeof(buffer), "%d:%02d", s / 60, s % 60);
  return buffer;
}

}  // namespace

ProgressDisplay::ProgressDisplay(bool terminal)
    : terminal_(terminal), start_(std::chrono::steady_clock::now()), last_plain_line_(start_) {}

void ProgressDisplay::Update(const std::vector<TenantSpec>& tenants, const ProgressSlot* slots) {
  auto now = std::chrono::steady_clock::now();
  double elapsed = std::chrono::duration<double>(now - start_).count();
  int64_t rows = 0, bytes = 0, estimate = 0;
  int done = 0, failed = 0;
  std::vector<size_t> active;
  for (size_t i = 0; i < tenants.size(); ++i) {
    const ProgressSlot& slot = slots[i];
    rows += slot.rows_read.load();
    bytes += slot.copy_bytes.load();
    Phase phase = slot.phase_value();
    // A pending database counts by its estimate once it is known.
    estimate += std::max(slot.rows_estimate.load(), slot.rows_read.load());
    if (phase == Phase::kDone) ++done;
    if (phase == Phase::kFailed) ++failed;
    if (phase != Phase::kPending && phase != Phase::kDone && phase != Phase::kFailed) active.push_back(i);
  }
  double rate = elapsed > 0 ? rows / elapsed : 0;
  double fraction_done = tenants.empty() ? 1 : static_cast<double>(done + failed) / tenants.size();
  char overall[256];
  std::snprintf(overall, sizeof(overall), "%d/%zu databases (%d failed)  %lld rows  %.0f rows/s  %.1f MB/s  %s",
                done + failed, tenants.size(), failed, static_cast<long long>(rows), rate,
                elapsed > 0 ? bytes / elapsed / 1e6 : 0.0, Duration(elapsed).c_str());
  if (!terminal_) {
    if (now - last_plain_line_ >= std::chrono::seconds(10)) {
      std::fprintf(stderr, "my2pg: %s\n", overall);
      last_plain_line_ = now;
    }
    return;
  }
  std::string text;
  for (int i = 0; i < lines_drawn_; ++i) text += "\033[1A\033[2K";  // up one line, clear it
  int lines = 0;
  for (size_t i : active) {
    if (lines == 8) break;  // a few bars, not hundreds
    const ProgressSlot& slot = slots[i];
    int64_t slot_estimate = std::max<int64_t>(1, slot.rows_estimate.load());
    char line[256];
    std::snprintf(line, sizeof(line), "  %-20.20s %-11s %s %lld rows, %d/%d tables\n", tenants[i].database.c_str(),
                  ToString(slot.phase_value()), Bar(static_cast<double>(slot.rows_read.load()) / slot_estimate, 20).c_str(),
                  static_cast<long long>(slot.rows_read.load()), slot.tables_done.load(), slot.tables_total.load());
    text += line;
    ++lines;
  }
  double eta = rate > 0 && estimate > rows ? (estimate - rows) / rate : 0;
  text += Bar(fraction_done, 30) + " " + overall + (eta > 0 ? "  ETA " + Duration(eta) : "") + "\n";
  ++lines;
  std::fputs(text.c_str(), stderr);
  std::fflush(stderr);
  lines_drawn_ = lines;
}

void ProgressDisplay::Finish() {
  if (!terminal_) return;
  std::string text;
  for (int i = 0; i < lines_drawn_; ++i) text += "\033[1A\033[2K";
  std::fputs(text.c_str(), stderr);
  lines_drawn_ = 0;
}

}  // namespace my2pg
