#include "report/html_report.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>
#include <set>
#include <tuple>

#include "common/strings.h"

namespace my2pg {
namespace {

// Fixed text: nothing from the reports goes into the style or the script.
constexpr const char* kStyle = R"(
body{font:14px/1.4 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:0 auto;max-width:1400px;padding:0 24px 48px;color:#1d2329;background:#fff}
h1{font-size:24px;margin:20px 0 2px}h2{font-size:18px;margin:28px 0 8px;border-bottom:1px solid #d8dde3;padding-bottom:4px}
.sub,.note{color:#5b6570}.note{font-size:13px}
.verdict{padding:12px 16px;border-radius:6px;font-size:17px;font-weight:600;margin:14px 0}
.verdict.ok{background:#e3f4e8;color:#14532d}.verdict.bad{background:#fde4e4;color:#7f1d1d}.verdict.warn{background:#fff4d6;color:#6b4e00}
.cards{display:flex;flex-wrap:wrap;gap:10px;margin:0}.cards div{border:1px solid #d8dde3;border-radius:6px;padding:8px 14px;min-width:120px}
.cards dt{color:#5b6570;font-size:12px}.cards dd{margin:0;font-size:20px;font-weight:600;font-variant-numeric:tabular-nums}
table{border-collapse:collapse;font-variant-numeric:tabular-nums}th,td{padding:3px 8px;border-bottom:1px solid #eceff2;text-align:left;vertical-align:top}
th{background:#f3f5f7;position:sticky;top:0;font-weight:600}th.n,td{text-align:right}td.t,td.err,td.s-done,td.s-ok,td.s-failed,td.s-mismatch{text-align:left}
.sortable th{cursor:pointer;user-select:none}.sortable th[aria-sort=ascending]::after{content:" \25B2"}.sortable th[aria-sort=descending]::after{content:" \25BC"}
.scroll{max-height:560px;overflow:auto;border:1px solid #d8dde3}
.s-done,.s-ok{color:#166534}.s-failed,.s-mismatch{color:#b91c1c;font-weight:600}
.err{color:#b91c1c;white-space:pre-wrap}code,.v{font-family:ui-monospace,Menlo,Consolas,monospace;font-size:12px;word-break:break-all}
ul.samples{margin:0;padding-left:14px}
details{margin:4px 0;border:1px solid #eceff2;border-radius:4px;padding:4px 8px}summary{cursor:pointer}
#filter{font:inherit;padding:4px 8px;margin:0 0 8px;width:320px}
.p0{fill:#8da0cb;background:#8da0cb}.p1{fill:#66c2a5;background:#66c2a5}.p2{fill:#fc8d62;background:#fc8d62}.p3{fill:#e78ac3;background:#e78ac3}.ax{stroke:#d8dde3}.hit{fill:transparent}.hit:hover{stroke:#1d2329}.lbl{font-size:11px;fill:#5b6570}
.legend span{display:inline-block;width:12px;height:12px;margin:0 4px 0 12px;vertical-align:-2px}
)";

constexpr const char* kScript = R"(
(function(){
function key(row,i,num){var t=row.cells[i]?row.cells[i].textContent:'';return num?parseFloat(t.replace(/,/g,''))||0:t.toLowerCase();}
document.querySelectorAll('table.sortable').forEach(function(table){
  table.tHead.addEventListener('click',function(e){
    var th=e.target.closest('th');if(!th)return;
    var heads=th.parentNode.children,i=Array.prototype.indexOf.call(heads,th),num=th.classList.contains('n');
    var dir=th.getAttribute('aria-sort')==='ascending'?-1:1;
    Array.prototype.forEach.call(heads,function(h){h.removeAttribute('aria-sort');});
    th.setAttribute('aria-sort',dir>0?'ascending':'descending');
    var body=table.tBodies[0],rows=Array.prototype.slice.call(body.rows);
    rows.sort(function(a,b){var x=key(a,i,num),y=key(b,i,num);return dir*(x<y?-1:x>y?1:0);});
    var f=document.createDocumentFragment();rows.forEach(function(r){f.appendChild(r);});body.appendChild(f);
  });
});
var filter=document.getElementById('filter');
if(filter)filter.addEventListener('input',function(){
  var q=filter.value.toLowerCase();
  document.querySelectorAll('#db-table tbody tr').forEach(function(r){r.style.display=r.textContent.toLowerCase().indexOf(q)<0?'none':'';});
});
})();
)";

constexpr int kMaxListedRows = 500;  // reject groups, changes, verify problems, tables over the fleet
constexpr int kMaxTimelineRows = 60;  // above this, the timeline packs databases into worker lanes


// 1234567 -> "1,234,567".
std::string Count(int64_t value) {
  std::string digits = std::to_string(value < 0 ? -value : value);
  std::string out;
  for (size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  return value < 0 ? "-" + out : out;
}

std::string Seconds(double seconds) { return Format("%.2f", seconds); }

// Builds the page; the helpers append well-formed markup only.
class Page {
 public:
  std::string& out() { return out_; }
  void Raw(std::string_view text) { out_ += text; }
  void Text(std::string_view text) { out_ += HtmlEscape(text); }
  void Cell(std::string_view text, const char* css_class = nullptr) {
    out_ += std::string("<td class=\"") + (css_class ? css_class : "t") + "\">";
    Text(text);
    out_ += "</td>";
  }
  // Cells are right-aligned unless they have a class (text cells: "t").
  void Number(int64_t value) { out_ += "<td>" + Count(value) + "</td>"; }
  void Decimal(double value) { out_ += "<td>" + Seconds(value) + "</td>"; }
  void Status(const std::string& status) { Cell(status, StatusClass(status)); }
  // <thead> of headings; a heading starting with '#' is numeric (right-aligned, sorted as a number).
  void Head(std::initializer_list<const char*> headings) {
    out_ += "<thead><tr>";
    for (const char* heading : headings) {
      out_ += heading[0] == '#' ? std::string("<th class=\"n\">") + (heading + 1) : std::string("<th>") + heading;
      out_ += "</th>";
    }
    out_ += "</tr></thead>";
  }
  void Card(const char* id, const char* label, const std::string& value) {
    out_ += std::string("<div><dt>") + label + "</dt><dd id=\"" + id + "\">";
    Text(value);
    out_ += "</dd></div>";
  }
  void MoreRows(size_t total, size_t shown, const char* what) {
    if (total > shown) out_ += "<p class=\"note\">" + Count(total - shown) + " more " + what + " not shown.</p>";
  }

  static const char* StatusClass(const std::string& status) {
    if (status == "done") return "s-done";
    if (status == "ok") return "s-ok";
    if (status == "mismatch") return "s-mismatch";
    return "s-failed";
  }

 private:
  std::string out_;
};

struct FleetTotals {
  int done = 0, failed = 0, failed_tables = 0;
  int64_t read = 0, written = 0, rejected = 0, changed = 0;
  std::map<std::string, std::pair<int64_t, std::set<std::string>>> by_kind;  // values, databases
};

FleetTotals Totals(const RunData& run) {
  FleetTotals totals;
  for (const ReportDatabase& db : run.databases) {
    (db.status == "done" ? totals.done : totals.failed) += 1;
    totals.failed_tables += db.failed_tables();
    totals.read += db.rows_read;
    totals.written += db.rows_written;
    totals.rejected += db.rows_rejected;
    for (const ReportTable& table : db.tables) {
      for (const ReportColumnChange& change : table.changes) {
        totals.changed += change.values;
        auto& kind = totals.by_kind[change.kind];
        kind.first += change.values;
        kind.second.insert(db.database);
      }
    }
  }
  return totals;
}

// A verify status per database name: "ok", "mismatch" or "failed".
std::map<std::string, const VerifyDatabase*> VerifyByDatabase(const VerifyData* verify) {
  std::map<std::string, const VerifyDatabase*> out;
  if (verify != nullptr) {
    for (const VerifyDatabase& db : verify->databases) out[db.database] = &db;
  }
  return out;
}

void WriteTotals(Page& page, const HtmlReportInput& input, const FleetTotals& totals) {
  const RunData& run = *input.run;
  int total = static_cast<int>(run.databases.size());
  int verify_problems = 0;
  if (input.verify != nullptr) {
    for (const VerifyDatabase& db : input.verify->databases) verify_problems += db.status != "ok";
  }
  const char* verdict_class = totals.failed > 0 || verify_problems > 0 ? "bad" : totals.rejected > 0 ? "warn" : "ok";
  std::string verdict = totals.failed > 0
                            ? Count(totals.failed) + " of " + Count(total) + " databases failed"
                            : "All " + Count(total) + " databases migrated";
  if (totals.rejected > 0) verdict += "; " + Count(totals.rejected) + " rows rejected";
  if (input.verify != nullptr) {
    verdict += verify_problems > 0 ? "; verify: " + Count(verify_problems) + " databases differ or were not checked"
                                   : "; verify: every database matches";
  }
  page.Raw(std::string("<p id=\"verdict\" class=\"verdict ") + verdict_class + "\">");
  page.Text(verdict);
  page.Raw("</p><section id=\"totals\"><h2>Fleet totals</h2><dl class=\"cards\">");
  page.Card("t-done", "Databases done", Count(totals.done));
  page.Card("t-failed", "Databases failed", Count(totals.failed));
  page.Card("t-failed-tables", "Tables failed", Count(totals.failed_tables));
  page.Card("t-read", "Rows read", Count(totals.read));
  page.Card("t-written", "Rows written", Count(totals.written));
  page.Card("t-rejected", "Rows rejected", Count(totals.rejected));
  page.Card("t-changed", "Values changed", Count(totals.changed));
  page.Card("t-wall", "Wall time (s)", Format("%.1f", run.wall_seconds));
  if (input.verify != nullptr) {
    page.Card("t-verify-ok", "Verified OK", Count(static_cast<int64_t>(input.verify->databases.size()) - verify_problems));
    page.Card("t-verify-bad", "Verify problems", Count(verify_problems));
  }
  page.Raw("</dl>");
  if (!totals.by_kind.empty()) {
    page.Raw("<h3>Changed values by kind</h3><table id=\"changes-by-kind\" class=\"sortable\">");
    page.Head({"kind", "#values", "#databases"});
    page.Raw("<tbody>");
    for (const auto& [kind, count] : totals.by_kind) {
      page.Raw("<tr>");
      page.Cell(kind);
      page.Number(count.first);
      page.Number(static_cast<int64_t>(count.second.size()));
      page.Raw("</tr>");
    }
    page.Raw("</tbody></table>");
  }
  page.Raw("</section>");
}

void WriteFailures(Page& page, const RunData& run) {
  Page body;
  size_t count = 0;
  for (const ReportDatabase& db : run.databases) {
    auto row = [&](const std::string& table, const std::string& error) {
      if (++count > kMaxListedRows) return;
      body.Raw("<tr>");
      body.Cell(db.database);
      body.Cell(table);
      body.Cell(error, "err");
      body.Raw("</tr>");
    };
    if (db.status != "done") row("", db.error.empty() ? "failed" : db.error);
    for (const ReportTable& table : db.tables) {
      if (table.status == "failed") row(table.source, table.error.empty() ? "failed" : table.error);
    }
  }
  if (count == 0) return;
  page.Raw("<section id=\"failures\"><h2>Failures</h2><table id=\"failure-table\">");
  page.Head({"database", "table", "error"});
  page.Raw("<tbody>" + body.out() + "</tbody></table>");
  page.MoreRows(count, std::min<size_t>(count, kMaxListedRows), "failures");
  page.Raw("</section>");
}

void WriteDatabaseTable(Page& page, const HtmlReportInput& input, const std::vector<int>& detail_ids,
                        const std::map<std::string, const VerifyDatabase*>& verify) {
  bool with_verify = input.verify != nullptr;
  page.Raw("<section id=\"databases\"><h2>Databases</h2>"
           "<input id=\"filter\" type=\"search\" placeholder=\"Filter: name, status...\" aria-label=\"filter databases\"/>"
           "<div class=\"scroll\"><table id=\"db-table\" class=\"sortable\">");
  if (with_verify) {
    page.Head({"#no", "database", "target", "status", "#tables", "#failed tables", "#rows read", "#rows written",
               "#rejected", "#changed", "#seconds", "verify"});
  } else {
    page.Head({"#no", "database", "target", "status", "#tables", "#failed tables", "#rows read", "#rows written",
               "#rejected", "#changed", "#seconds"});
  }
  page.Raw("<tbody>");
  for (size_t i = 0; i < input.run->databases.size(); ++i) {
    const ReportDatabase& db = input.run->databases[i];
    page.Raw("<tr>");
    page.Number(static_cast<int64_t>(i + 1));
    if (detail_ids[i] >= 0) {
      page.Raw("<td class=\"t\"><a href=\"#db-" + std::to_string(detail_ids[i]) + "\">");
      page.Text(db.database);
      page.Raw("</a></td>");
    } else {
      page.Cell(db.database);
    }
    page.Cell(db.target_database);
    page.Status(db.status);
    page.Number(static_cast<int64_t>(db.tables.size()));
    page.Number(db.failed_tables());
    page.Number(db.rows_read);
    page.Number(db.rows_written);
    page.Number(db.rows_rejected);
    page.Number(db.changed_values());
    page.Decimal(db.seconds());
    if (with_verify) {
      auto it = verify.find(db.database);
      if (it == verify.end()) {
        page.Cell("not verified", "s-failed");
      } else {
        page.Status(it->second->status);
      }
    }
    page.Raw("</tr>");
  }
  page.Raw("</tbody></table></div></section>");
}

// Rows of the timeline: a label and the databases drawn on it.
struct TimelineRow {
  std::string label;
  std::vector<const ReportDatabase*> databases;
};

void WriteTimeline(Page& page, const RunData& run) {
  std::vector<const ReportDatabase*> databases;
  bool starts_known = true;
  for (const ReportDatabase& db : run.databases) {
    databases.push_back(&db);
    starts_known = starts_known && db.start_seconds >= 0;
  }
  if (databases.empty()) return;
  auto start = [starts_known](const ReportDatabase* db) { return starts_known ? db->start_seconds : 0.0; };
  std::vector<TimelineRow> rows;
  std::string note;
  if (databases.size() <= kMaxTimelineRows) {
    for (const ReportDatabase* db : databases) rows.push_back({db->database, {db}});
  } else if (starts_known) {
    // Interval partitioning: each database on the first lane free when it
    // starts, so the lanes are the worker slots (--jobs) as they were used.
    std::stable_sort(databases.begin(), databases.end(),
                     [](const ReportDatabase* a, const ReportDatabase* b) { return a->start_seconds < b->start_seconds; });
    std::vector<double> lane_end;
    for (const ReportDatabase* db : databases) {
      size_t lane = 0;
      while (lane < lane_end.size() && lane_end[lane] > db->start_seconds + 1e-3) ++lane;
      if (lane == lane_end.size()) {
        lane_end.push_back(0);
        rows.push_back({"worker " + std::to_string(lane + 1), {}});
      }
      lane_end[lane] = db->start_seconds + db->seconds();
      rows[lane].databases.push_back(db);
    }
    note = Count(static_cast<int64_t>(databases.size())) + " databases on " + Count(static_cast<int64_t>(rows.size())) +
           " worker lanes; hover a bar for its database.";
  } else {
    std::stable_sort(databases.begin(), databases.end(),
                     [](const ReportDatabase* a, const ReportDatabase* b) { return a->seconds() > b->seconds(); });
    for (size_t i = 0; i < kMaxTimelineRows; ++i) rows.push_back({databases[i]->database, {databases[i]}});
    note = "The report has no start times: the " + std::to_string(kMaxTimelineRows) +
           " longest databases, each from 0.";
  }
  double end = 0;
  for (const TimelineRow& row : rows) {
    for (const ReportDatabase* db : row.databases) end = std::max(end, start(db) + db->seconds());
  }
  if (end <= 0) end = 1;
  const double label_width = 180, width = 900, row_height = 16, top = 20;
  double height = top + row_height * rows.size() + 4;
  double scale = width / end;
  // Axis ticks every 1, 2 or 5 x 10^k seconds, about eight of them.
  double step = std::pow(10, std::floor(std::log10(end / 8)));
  if (end / step > 40) step *= 5; else if (end / step > 16) step *= 2;
  page.Raw("<section id=\"timeline\"><h2>Timeline</h2><p class=\"legend note\">Phases:");
  for (int p = 0; p < static_cast<int>(ReportPhase::kCount); ++p) {
    page.Raw(Format("<span class=\"p%d\"></span>", p));
    page.Raw(ToString(static_cast<ReportPhase>(p)));
  }
  page.Raw(". " + note + "</p>");
  page.Raw(Format("<svg id=\"timeline-svg\" width=\"%.0f\" height=\"%.0f\" viewBox=\"0 0 %.0f %.0f\" role=\"img\">",
                  label_width + width + 40, height, label_width + width + 40, height));
  for (double t = 0; t <= end + 1e-9; t += step) {
    double x = label_width + t * scale;
    page.Raw(Format("<line class=\"ax\" x1=\"%.1f\" y1=\"%.0f\" x2=\"%.1f\" y2=\"%.0f\"/>", x, top - 4, x, height));
    page.Raw(Format("<text class=\"lbl\" x=\"%.1f\" y=\"12\">%g s</text>", x + 2, t));
  }
  // Each phase is one path over all databases (a rectangle per database);
  // over them, a transparent rectangle per database carries its tooltip.
  std::string phase_paths[static_cast<int>(ReportPhase::kCount)];
  std::string hits;
  Page labels;
  for (size_t r = 0; r < rows.size(); ++r) {
    double y = top + r * row_height;
    labels.Raw(Format("<text class=\"lbl\" x=\"0\" y=\"%.0f\">", y + 12));
    labels.Text(rows[r].label.size() > 28 ? rows[r].label.substr(0, 27) + "\xE2\x80\xA6" : rows[r].label);
    labels.Raw("</text>");
    for (const ReportDatabase* db : rows[r].databases) {
      double x = label_width + start(db) * scale;
      hits += Format("<rect class=\"hit\" x=\"%.1f\" y=\"%.0f\" width=\"%.1f\" height=\"%.0f\"><title>", x, y + 2,
                     std::max(db->seconds() * scale, 0.5), row_height - 4);
      std::string title = db->database + " " + db->status + " " + Format("%.2f", start(db)) + "-" +
                          Format("%.2f", start(db) + db->seconds()) + " s:";
      for (int p = 0; p < static_cast<int>(ReportPhase::kCount); ++p) {
        title += Format("%s %s %.2f", p > 0 ? "," : "", ToString(static_cast<ReportPhase>(p)), db->phase_seconds[p]);
      }
      hits += HtmlEscape(title) + "</title></rect>";
      for (int p = 0; p < static_cast<int>(ReportPhase::kCount); ++p) {
        double w = db->phase_seconds[p] * scale;
        if (w > 0.05) phase_paths[p] += Format("M%.1f %.0fh%.1fv%.0fh-%.1fz", x, y + 2, std::max(w, 0.5), row_height - 4, std::max(w, 0.5));
        x += w;
      }
    }
  }
  page.Raw(labels.out());
  for (int p = 0; p < static_cast<int>(ReportPhase::kCount); ++p) {
    if (!phase_paths[p].empty()) page.Raw(Format("<path class=\"p%d\" d=\"", p) + phase_paths[p] + "\"/>");
  }
  page.Raw(hits);
  page.Raw("</svg></section>");
}

void WriteFleetTables(Page& page, const RunData& run) {
  struct Sum {
    int databases = 0, failed = 0;
    int64_t read = 0, written = 0, rejected = 0, changed = 0;
    double seconds = 0;
  };
  std::map<std::string, Sum> tables;
  for (const ReportDatabase& db : run.databases) {
    for (const ReportTable& table : db.tables) {
      Sum& sum = tables[table.source];
      ++sum.databases;
      sum.failed += table.status == "failed";
      sum.read += table.rows_read;
      sum.written += table.rows_written;
      sum.rejected += table.rows_rejected;
      sum.changed += table.changed_values();
      sum.seconds += table.copy_seconds;
    }
  }
  if (tables.empty()) return;
  page.Raw("<section id=\"fleet-tables\"><h2>Tables over the fleet</h2><div class=\"scroll\">"
           "<table id=\"fleet-table\" class=\"sortable\">");
  page.Head({"table", "#databases", "#failed", "#rows read", "#rows written", "#rejected", "#changed", "#copy seconds"});
  page.Raw("<tbody>");
  int shown = 0;
  for (const auto& [name, sum] : tables) {
    if (++shown > kMaxListedRows) break;
    page.Raw("<tr>");
    page.Cell(name);
    page.Number(sum.databases);
    page.Number(sum.failed);
    page.Number(sum.read);
    page.Number(sum.written);
    page.Number(sum.rejected);
    page.Number(sum.changed);
    page.Decimal(sum.seconds);
    page.Raw("</tr>");
  }
  page.Raw("</tbody></table></div>");
  page.MoreRows(tables.size(), std::min<size_t>(tables.size(), kMaxListedRows), "tables");
  page.Raw("</section>");
}

void WriteRejects(Page& page, const RejectSummary* rejects, int64_t rejected) {
  if (rejected == 0 && (rejects == nullptr || rejects->groups.empty())) return;
  page.Raw("<section id=\"rejects\"><h2>Rejected rows by reason</h2>");
  if (rejects == nullptr) {
    page.Raw("<p class=\"note\">Reject files not read.</p></section>");
    return;
  }
  page.Raw("<table id=\"reject-groups\" class=\"sortable\">");
  page.Head({"table", "column", "reason", "#rows", "#databases", "samples (database, key, value)"});
  page.Raw("<tbody>");
  size_t shown = std::min<size_t>(rejects->groups.size(), kMaxListedRows);
  for (size_t g = 0; g < shown; ++g) {
    const RejectGroup& group = rejects->groups[g];
    page.Raw("<tr>");
    page.Cell(group.table);
    page.Cell(group.column);
    page.Cell(group.reason);
    page.Number(group.rows);
    page.Number(group.databases);
    page.Raw("<td class=\"t\"><ul class=\"samples\">");
    for (const RejectSample& sample : group.samples) {
      page.Raw("<li>");
      page.Text(sample.database);
      page.Raw(" <code>");
      page.Text(sample.key);
      page.Raw("</code> <span class=\"v\">");
      page.Text(sample.value);
      page.Raw("</span></li>");
    }
    page.Raw("</ul></td></tr>");
  }
  page.Raw("</tbody></table>");
  page.MoreRows(rejects->groups.size(), shown, "reasons");
  if (rejects->rows_not_read > 0 || !rejects->problems.empty()) {
    page.Raw("<p class=\"note\" id=\"rejects-not-read\">" + Count(rejects->rows_not_read) +
             " rejected rows not in these groups (reject files missing or read in part):</p><ul class=\"note\">");
    for (size_t i = 0; i < rejects->problems.size() && i < 50; ++i) {
      page.Raw("<li>");
      page.Text(rejects->problems[i]);
      page.Raw("</li>");
    }
    page.Raw("</ul>");
  }
  page.Raw("</section>");
}

void WriteChanges(Page& page, const RunData& run) {
  struct Sum {
    int64_t values = 0;
    std::set<std::string> databases;
  };
  std::map<std::tuple<std::string, std::string, std::string>, Sum> changes;  // table, column, kind
  for (const ReportDatabase& db : run.databases) {
    for (const ReportTable& table : db.tables) {
      for (const ReportColumnChange& change : table.changes) {
        Sum& sum = changes[{table.source, change.column, change.kind}];
        sum.values += change.values;
        sum.databases.insert(db.database);
      }
    }
  }
  if (changes.empty()) return;
  std::vector<std::pair<std::tuple<std::string, std::string, std::string>, const Sum*>> sorted;
  for (const auto& [key, sum] : changes) sorted.push_back({key, &sum});
  std::stable_sort(sorted.begin(), sorted.end(),
                   [](const auto& a, const auto& b) { return a.second->values > b.second->values; });
  page.Raw("<section id=\"changes\"><h2>Changed values by column and kind</h2>"
           "<div class=\"scroll\"><table id=\"changes-by-column\" class=\"sortable\">");
  page.Head({"table", "column", "kind", "#values", "#databases"});
  page.Raw("<tbody>");
  size_t shown = std::min<size_t>(sorted.size(), kMaxListedRows);
  for (size_t i = 0; i < shown; ++i) {
    const auto& [key, sum] = sorted[i];
    page.Raw("<tr>");
    page.Cell(std::get<0>(key));
    page.Cell(std::get<1>(key));
    page.Cell(std::get<2>(key));
    page.Number(sum->values);
    page.Number(static_cast<int64_t>(sum->databases.size()));
    page.Raw("</tr>");
  }
  page.Raw("</tbody></table></div>");
  page.MoreRows(sorted.size(), shown, "column changes");
  page.Raw("</section>");
}

void WriteVerify(Page& page, const HtmlReportInput& input) {
  if (input.verify == nullptr) return;
  page.Raw("<section id=\"verify\"><h2>Verify</h2><p class=\"sub\">");
  page.Text(input.verify_file);
  page.Raw("</p><table id=\"verify-table\" class=\"sortable\">");
  page.Head({"database", "table", "status", "#source rows", "#target rows", "#mismatched rows", "detail"});
  page.Raw("<tbody>");
  size_t count = 0;
  auto number = [&page](int64_t value) {
    if (value < 0) page.Cell("", "n"); else page.Number(value);
  };
  std::set<std::string> verified;
  for (const VerifyDatabase& db : input.verify->databases) {
    verified.insert(db.database);
    if (db.status != "ok" && db.tables.empty() && ++count <= kMaxListedRows) {
      page.Raw("<tr>");
      page.Cell(db.database);
      page.Cell("");
      page.Status(db.status);
      page.Raw("<td></td><td></td><td></td>");  // no counts
      page.Cell(db.error, "err");
      page.Raw("</tr>");
    }
    for (const VerifyTable& table : db.tables) {
      if (table.status == "ok" || ++count > kMaxListedRows) continue;
      page.Raw("<tr>");
      page.Cell(db.database);
      page.Cell(table.table);
      page.Status(table.status);
      number(table.source_rows);
      number(table.target_rows);
      number(table.mismatched_rows);
      page.Cell(table.detail.empty() ? db.error : table.detail, "err");
      page.Raw("</tr>");
    }
  }
  page.Raw("</tbody></table>");
  if (count == 0) page.Raw("<p class=\"s-ok\">Every verified table matches.</p>");
  page.MoreRows(count, std::min<size_t>(count, kMaxListedRows), "verify problems");
  int missing = 0;
  for (const ReportDatabase& db : input.run->databases) missing += verified.count(db.database) == 0;
  if (missing > 0) page.Raw("<p class=\"s-failed\" id=\"verify-missing\">" + Count(missing) + " migrated databases are not in the verify report.</p>");
  page.Raw("</section>");
}

void WriteDetails(Page& page, const HtmlReportInput& input, const std::vector<int>& detail_ids) {
  int written = 0;
  for (int id : detail_ids) written += id >= 0;
  page.Raw("<section id=\"details\"><h2>Per-database details</h2>");
  if (written < static_cast<int>(detail_ids.size())) {
    page.Raw("<p class=\"note\">Details of " + Count(written) + " of " + Count(static_cast<int64_t>(detail_ids.size())) +
             " databases: those with failures, rejects, verify problems or changed values first.</p>");
  }
  for (size_t i = 0; i < input.run->databases.size(); ++i) {
    if (detail_ids[i] < 0) continue;
    const ReportDatabase& db = input.run->databases[i];
    page.Raw("<details id=\"db-" + std::to_string(detail_ids[i]) + "\"><summary><b>");
    page.Text(db.database);
    page.Raw("</b> <span class=\"" + std::string(Page::StatusClass(db.status)) + "\">");
    page.Text(db.status);
    page.Raw("</span> &#8594; ");
    page.Text(db.target_database);
    page.Raw(", " + Count(db.rows_written) + " rows, " + Count(db.rows_rejected) + " rejected, " +
             Count(db.changed_values()) + " changed</summary>");
    if (!db.error.empty()) {
      page.Raw("<p class=\"err\">");
      page.Text(db.error);
      page.Raw("</p>");
    }
    for (const std::string& warning : db.warnings) {
      page.Raw("<p class=\"note\">warning: ");
      page.Text(warning);
      page.Raw("</p>");
    }
    if (!db.binlog_position.empty()) {  // where a binlog catch-up starts
      page.Raw("<p class=\"note\">binary log position of the snapshot: ");
      page.Text(db.binlog_position);
      page.Raw("</p>");
    }
    page.Raw("<table class=\"sortable\">");
    page.Head({"source", "target", "status", "#rows read", "#rows written", "#rejected", "#MB", "#seconds",
               "#chunks", "changed values"});
    page.Raw("<tbody>");
    for (const ReportTable& table : db.tables) {
      page.Raw("<tr>");
      page.Cell(table.source);
      page.Cell(table.target);
      page.Status(table.status);
      page.Number(table.rows_read);
      page.Number(table.rows_written);
      page.Number(table.rows_rejected);
      page.Raw("<td>" + Format("%.1f", table.copy_bytes / 1e6) + "</td>");
      page.Decimal(table.copy_seconds);
      page.Number(table.chunks);
      page.Raw("<td class=\"t\">");
      for (size_t c = 0; c < table.changes.size(); ++c) {
        if (c > 0) page.Raw("<br/>");
        page.Text(table.changes[c].column + ": " + table.changes[c].kind + " " + Count(table.changes[c].values));
      }
      if (!table.error.empty()) {
        page.Raw("<span class=\"err\">");
        page.Text(table.error);
        page.Raw("</span>");
      }
      page.Raw("</td></tr>");
    }
    page.Raw("</tbody></table></details>");
  }
  page.Raw("</section>");
}

// Which databases get details, numbered in page order: -1 for none.
std::vector<int> ChooseDetails(const RunData& run, const std::map<std::string, const VerifyDatabase*>& verify) {
  auto weight = [&verify](const ReportDatabase& db) {
    auto it = verify.find(db.database);
    if (db.status != "done" || db.failed_tables() > 0) return 0;
    if (db.rows_rejected > 0) return 1;
    if (it != verify.end() && it->second->status != "ok") return 2;
    if (db.changed_values() > 0) return 3;
    return 4;
  };
  std::vector<size_t> order(run.databases.size());
  for (size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) {
    return weight(run.databases[a]) < weight(run.databases[b]);
  });
  std::vector<int> ids(run.databases.size(), -1);
  for (size_t i = 0; i < order.size() && i < kMaxDatabaseDetails; ++i) ids[order[i]] = 0;
  int next = 1;
  for (int& id : ids) {
    if (id == 0) id = next++;
  }
  return ids;
}

}  // namespace

std::string HtmlEscape(std::string_view text) {
  static const char kReplacement[] = "\xEF\xBF\xBD";
  std::string out;
  out.reserve(text.size());
  size_t i = 0;
  while (i < text.size()) {
    unsigned char c = text[i];
    if (c < 0x80) {
      switch (c) {
        case '&': out += "&amp;"; break;
        case '<': out += "&lt;"; break;
        case '>': out += "&gt;"; break;
        case '"': out += "&quot;"; break;
        case '\'': out += "&#39;"; break;
        case '\t': case '\n': out += static_cast<char>(c); break;
        default:
          if (c < 0x20 || c == 0x7F) out += kReplacement; else out += static_cast<char>(c);
      }
      ++i;
      continue;
    }
    // A UTF-8 sequence: its length, its lowest code point, and then each
    // continuation byte checked; overlong forms, surrogates and code points
    // above U+10FFFF are invalid.
    size_t length = c >= 0xF0 && c <= 0xF4 ? 4 : c >= 0xE0 ? (c <= 0xEF ? 3 : 0) : c >= 0xC2 ? 2 : 0;
    uint32_t code = length == 4 ? c & 0x07 : length == 3 ? c & 0x0F : c & 0x1F;
    bool valid = length > 0 && i + length <= text.size();
    for (size_t k = 1; valid && k < length; ++k) {
      unsigned char next = text[i + k];
      valid = (next & 0xC0) == 0x80;
      code = (code << 6) | (next & 0x3F);
    }
    valid = valid && !(length == 3 && (code < 0x800 || (code >= 0xD800 && code <= 0xDFFF))) &&
            !(length == 4 && (code < 0x10000 || code > 0x10FFFF));
    if (valid) {
      out.append(text.data() + i, length);
      i += length;
    } else {
      out += kReplacement;
      ++i;
    }
  }
  return out;
}

std::string RenderHtmlReport(const HtmlReportInput& input) {
  const RunData& run = *input.run;
  FleetTotals totals = Totals(run);
  auto verify = VerifyByDatabase(input.verify);
  std::vector<int> detail_ids = ChooseDetails(run, verify);
  Page page;
  page.Raw("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"/>"
           "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"/><title>my2pg report: ");
  page.Text(input.run_file);
  page.Raw("</title><style>");
  page.Raw(kStyle);
  page.Raw("</style></head><body><h1>my2pg migration report</h1><p class=\"sub\">");
  page.Text(input.run_file);
  if (!input.verify_file.empty()) {
    page.Raw(" &#183; verify: ");
    page.Text(input.verify_file);
  }
  page.Raw(" &#183; ");
  page.Text(input.generator);
  page.Raw("</p>");
  WriteTotals(page, input, totals);
  WriteFailures(page, run);
  WriteDatabaseTable(page, input, detail_ids, verify);
  WriteVerify(page, input);
  WriteRejects(page, input.rejects, totals.rejected);
  WriteChanges(page, run);
  WriteTimeline(page, run);
  WriteFleetTables(page, run);
  WriteDetails(page, input, detail_ids);
  page.Raw("<script>");
  page.Raw(kScript);
  page.Raw("</script></body></html>\n");
  return std::move(page.out());
}

}  // namespace my2pg
