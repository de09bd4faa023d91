// RenderHtmlReport: the run report (and, if given, the verify report and
// samples of the rejected rows) as one self-contained HTML page for the
// switch-over decision: fleet totals, a sortable table of databases, failures,
// rejected rows by reason, changed values by column and kind, verify results,
// a timeline of the run as inline SVG, and per-database table details.
//
// The page loads nothing: its style and its one small script (sorting and
// filtering tables) are inline and fixed; every value from the reports goes
// through HtmlEscape, so names and values cannot become markup. The layout is
// sized for fleets of thousands of databases (docs/report.md). Pure functions,
// safe from any thread.
#ifndef MY2PG_REPORT_HTML_REPORT_H_
#define MY2PG_REPORT_HTML_REPORT_H_

#include <string>
#include <string_view>

#include "report/report_data.h"

namespace my2pg {

struct HtmlReportInput {
  const RunData* run = nullptr;          // required
  const VerifyData* verify = nullptr;    // optional
  const RejectSummary* rejects = nullptr;  // optional
  std::string run_file;     // named in the page's heading
  std::string verify_file;
  std::string generator;    // "my2pg 0.1.0"
};

std::string RenderHtmlReport(const HtmlReportInput& input);

// Text safe in HTML content and in quoted attribute values: & < > " ' as
// entities; bytes that are not valid UTF-8 and control characters other than
// tab and newline as U+FFFD.
std::string HtmlEscape(std::string_view text);

// Per-database details are written for at most this many databases (those
// with failures, rejects, changes or verify problems first); the rest are in
// the table of databases only. Keeps a 1,200-database page near 1 MB.
constexpr int kMaxDatabaseDetails = 200;

}  // namespace my2pg

#endif  // MY2PG_REPORT_HTML_REPORT_H_
