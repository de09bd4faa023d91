#include "report/html_report.h"

#include <gtest/gtest.h>

#include "tests/html_dom.h"
#include "tests/test_util.h"

namespace my2pg {
namespace {

using Rows = std::vector<std::vector<std::string>>;

const std::string kEllipsis = "\xE2\x80\xA6";
const std::string kReplacement = "\xEF\xBF\xBD";

// The fixture run report (3 databases, one failed) rendered and parsed.
struct Fixture {
  RunData run = ParseRunReport(ReadFile("report/testdata/run.json"), "run.json");
  VerifyData verify = ParseVerifyReport(ReadFile("report/testdata/verify.json"), "verify.json");
  RejectSummary rejects = ReadRejects(run, "");
  std::string html;
  std::unique_ptr<HtmlNode> page;

  explicit Fixture(bool with_verify) {
    HtmlReportInput input;
    input.run = &run;
    input.verify = with_verify ? &verify : nullptr;
    input.rejects = &rejects;
    input.run_file = "run.json";
    input.verify_file = with_verify ? "verify.json" : "";
    input.generator = "my2pg test";
    html = RenderHtmlReport(input);
    page = ParseHtml(html);
  }
  std::string Text(const char* id) const {
    const HtmlNode* node = page->ById(id);
    return node ? node->Text() : "(no #" + std::string(id) + ")";
  }
  Rows RowsOf(const char* id) const {
    const HtmlNode* node = page->ById(id);
    return node ? node->BodyRows() : Rows{{"(no #" + std::string(id) + ")"}};
  }
};

TEST(HtmlReport, TotalsAreExact) {
  Fixture f(false);
  EXPECT_EQ(f.Text("verdict"), "1 of 3 databases failed; 3 rows rejected");
  EXPECT_EQ(f.page->ById("verdict")->Attribute("class"), "verdict bad");
  EXPECT_EQ(f.Text("t-done"), "2");
  EXPECT_EQ(f.Text("t-failed"), "1");
  EXPECT_EQ(f.Text("t-failed-tables"), "1");
  EXPECT_EQ(f.Text("t-read"), "1,850");
  EXPECT_EQ(f.Text("t-written"), "1,847");
  EXPECT_EQ(f.Text("t-rejected"), "3");
  EXPECT_EQ(f.Text("t-changed"), "1,015");
  EXPECT_EQ(f.Text("t-wall"), "12.5");
  EXPECT_EQ(f.page->ById("t-verify-ok"), nullptr);
  EXPECT_EQ(f.RowsOf("changes-by-kind"), (Rows{{"converted_to_utc", "1,000", "1"},
                                               {"invalid_date_nulled", "2", "1"},
                                               {"mojibake_repaired", "5", "1"},
                                               {"zero_date_nulled", "8", "2"}}));
  EXPECT_EQ(f.page->All("title")[0]->Text(), "my2pg report: run.json");
}

TEST(HtmlReport, OneRowPerDatabase) {
  Fixture f(false);
  EXPECT_EQ(f.RowsOf("db-table"),
            (Rows{{"1", "hotel_0001", "pg_hotel_0001", "done", "2", "0", "1,250", "1,247", "3", "1,014", "6.25"},
                  {"2", "hotel_0002", "pg_hotel_0002", "done", "2", "0", "500", "500", "0", "1", "3.00"},
                  {"3", "hotel_0003", "pg_hotel_0003", "failed", "2", "1", "100", "100", "0", "0", "1.50"}}));
  // Numeric columns sort as numbers, the table sorts at all.
  const HtmlNode* table = f.page->ById("db-table");
  EXPECT_EQ(table->Attribute("class"), "sortable");
  std::vector<std::string> numeric;
  for (const HtmlNode* th : table->All("th")) {
    if (th->Attribute("class") == "n") numeric.push_back(th->Text());
  }
  EXPECT_EQ(numeric, (std::vector<std::string>{"no", "tables", "failed tables", "rows read", "rows written",
                                               "rejected", "changed", "seconds"}));
  // Each name links to its details.
  std::vector<std::string> links;
  for (const HtmlNode* a : table->All("a")) links.push_back(a->Attribute("href") + " " + a->Text());
  EXPECT_EQ(links, (std::vector<std::string>{"#db-1 hotel_0001", "#db-2 hotel_0002", "#db-3 hotel_0003"}));
}

TEST(HtmlReport, FailuresRejectsAndChanges) {
  Fixture f(false);
  EXPECT_EQ(f.RowsOf("failure-table"),
            (Rows{{"hotel_0003", "", "hotel.reservation: COPY failed: server closed the connection"},
                  {"hotel_0003", "reservation", "COPY failed: server closed the connection"}}));
  Rows groups = f.RowsOf("reject-groups");
  ASSERT_EQ(groups.size(), 2u);
  EXPECT_EQ(groups[0], (std::vector<std::string>{"client", "date_naissance", "invalid date '" + kEllipsis + "'", "2",
                                                 "1", "hotel_0001 {\"id\":\"3\"} 1985-02-30hotel_0001 {\"id\":\"9\"} 1990-13-01"}));
  EXPECT_EQ(groups[1], (std::vector<std::string>{"client", "email", "byte 0xE9 is not valid utf8mb4", "1", "1",
                                                 "hotel_0001 {\"id\":\"4\"} caf\\xE9@ex.fr"}));
  EXPECT_EQ(f.page->ById("rejects-not-read"), nullptr);
  EXPECT_EQ(f.RowsOf("changes-by-column"), (Rows{{"reservation", "cree_le", "converted_to_utc", "1,000", "1"},
                                                 {"client", "date_naissance", "zero_date_nulled", "8", "2"},
                                                 {"client", "nom", "mojibake_repaired", "5", "1"},
                                                 {"client", "date_naissance", "invalid_date_nulled", "2", "1"}}));
  EXPECT_EQ(f.RowsOf("fleet-table"), (Rows{{"client", "3", "0", "450", "447", "3", "15", "2.25"},
                                           {"reservation", "3", "1", "1,400", "1,400", "0", "1,000", "5.50"}}));
}

TEST(HtmlReport, PerDatabaseDetails) {
  Fixture f(false);
  std::vector<const HtmlNode*> details = f.page->All("details");
  ASSERT_EQ(details.size(), 3u);
  EXPECT_EQ(details[0]->Attribute("id"), "db-1");
  EXPECT_EQ(details[0]->All("summary")[0]->Text(),
            "hotel_0001 done \xE2\x86\x92 pg_hotel_0001, 1,247 rows, 3 rejected, 1,014 changed");
  EXPECT_EQ(details[0]->BodyRows(),
            (Rows{{"client", "hotel.client", "done", "250", "247", "3", "2.0", "1.25", "1",
                   "date_naissance: zero_date_nulled 7date_naissance: invalid_date_nulled 2nom: mojibake_repaired 5"},
                  {"reservation", "hotel.reservation", "done", "1,000", "1,000", "0", "9.0", "3.50", "2",
                   "cree_le: converted_to_utc 1,000"}}));
  EXPECT_EQ(details[0]->All("p")[0]->Text(), "warning: view v_old not migrated");
  EXPECT_EQ(details[0]->All("p")[1]->Text(), "binary log position of the snapshot: binlog.000003:1234 (gtid 0-1-77)");
  EXPECT_EQ(details[2]->All("p")[0]->Text(), "hotel.reservation: COPY failed: server closed the connection");
}

TEST(HtmlReport, TimelineDrawsEachPhase) {
  Fixture f(false);
  const HtmlNode* svg = f.page->ById("timeline-svg");
  ASSERT_NE(svg, nullptr);
  std::vector<const HtmlNode*> paths = svg->All("path");
  ASSERT_EQ(paths.size(), 4u);  // a path per phase, a rectangle per database in each
  // 144 px a second (900 px for the 6.25 s of hotel_0001) after 180 px of
  // labels; rows 16 px apart; hotel_0003 failed in copy: no keys, no constraints.
  EXPECT_EQ(paths[0]->Attribute("class"), "p0");
  EXPECT_EQ(paths[0]->Attribute("d"), "M180.0 22h72.0v12h-72.0zM194.4 38h36.0v12h-36.0zM612.0 54h72.0v12h-72.0z");
  EXPECT_EQ(paths[2]->Attribute("d"), "M828.0 22h216.0v12h-216.0zM518.4 38h72.0v12h-72.0z");
  std::vector<const HtmlNode*> bars = svg->All("rect");
  ASSERT_EQ(bars.size(), 3u);
  EXPECT_EQ(bars[0]->Text(), "hotel_0001 done 0.00-6.25 s: schema 0.50, copy 4.00, keys 1.50, constraints 0.25");
  EXPECT_EQ(bars[2]->Attribute("x"), "612.0");
  EXPECT_EQ(bars[2]->Attribute("width"), "216.0");
}

TEST(HtmlReport, VerifyResults) {
  Fixture f(true);
  EXPECT_EQ(f.Text("verdict"),
            "1 of 3 databases failed; 3 rows rejected; verify: 1 databases differ or were not checked");
  EXPECT_EQ(f.Text("t-verify-ok"), "1");
  EXPECT_EQ(f.Text("t-verify-bad"), "1");
  EXPECT_EQ(f.RowsOf("verify-table"),
            (Rows{{"hotel_0001", "reservation", "mismatch", "1,000", "1,000", "2", "rows differ: id 17, id 42"}}));
  EXPECT_EQ(f.Text("verify-missing"), "1 migrated databases are not in the verify report.");
  std::vector<std::string> column;
  for (const auto& row : f.RowsOf("db-table")) column.push_back(row.back());
  EXPECT_EQ(column, (std::vector<std::string>{"mismatch", "ok", "not verified"}));
  Fixture without(false);
  EXPECT_EQ(without.page->ById("verify"), nullptr);
}

TEST(HtmlReport, LoadsNothingFromElsewhere) {
  Fixture f(true);
  EXPECT_EQ(ExternalReferences(*f.page), std::vector<std::string>{});
  EXPECT_EQ(f.page->All("script").size(), 1u);
  EXPECT_EQ(f.page->All("style").size(), 1u);
  // The checker itself finds what it must.
  auto bad = ParseHtml(R"(<p><img src="x.png"/><a href="https://example.com/">x</a></p>)"
                       R"(<style>body{background:url(a.png)}</style><script>fetch("/x")</script>)");
  EXPECT_EQ(ExternalReferences(*bad), (std::vector<std::string>{"<img>", "src=x.png", "href=https://example.com/",
                                                                "href=https://example.com/", "style with url(",
                                                                "script with fetch("}));
}

TEST(HtmlEscape, EveryValueIsText) {
  static const std::pair<std::string, std::string> kCases[] = {
      {"a&b", "a&amp;b"},
      {"<script>\"x\"'y'</script>", "&lt;script&gt;&quot;x&quot;&#39;y&#39;&lt;/script&gt;"},
      {"caf\xC3\xA9 \xF0\x9F\x98\x80", "caf\xC3\xA9 \xF0\x9F\x98\x80"},
      {"tab\tnl\n", "tab\tnl\n"},
      {std::string("nul\0x", 5), "nul" + kReplacement + "x"},
      {"\x01\x7F", kReplacement + kReplacement},
      {"\xC3", kReplacement},                                          // cut short
      {"\xC0\xAF", kReplacement + kReplacement},                       // overlong '/'
      {"\xED\xA0\x80", kReplacement + kReplacement + kReplacement},    // a surrogate
      {"\xF4\x90\x80\x80", kReplacement + kReplacement + kReplacement + kReplacement},  // above U+10FFFF
      {"\xFFok", kReplacement + "ok"},
  };
  for (const auto& [text, escaped] : kCases) EXPECT_EQ(HtmlEscape(text), escaped) << text;
}

// Names and values are hostile input: markup in them stays text.
TEST(HtmlReport, HostileNamesStayText) {
  const std::string db = "<script>alert(\"db\")</script>";
  const std::string target = "x\" onmouseover=\"alert(1)";
  const std::string table = "'><img src=x onerror=alert(1)>";
  std::string json = R"J({"format":"my2pg-report/1","wall_seconds":1,"databases":[{"database":"<script>alert(\"db\")</script>",)J"
                     R"J("target_database":"x\" onmouseover=\"alert(1)","status":"failed",)J"
                     R"J("error":"</script><script>alert(2)</script>","rows_rejected":1,"start_seconds":0,)J"
                     R"J("phase_seconds":{"schema":1},"warnings":["<b>&amp;</b>"],)J"
                     R"J("tables":[{"source":"'><img src=x onerror=alert(1)>","target":"&lt;t&gt;","status":"failed",)J"
                     R"J("rows_rejected":1,"changed_values":{"caf\u00e9 \ud83d\ude00 \u0000 )J" "\xFF" R"J(":{"<i>":3}}}]}]})J";
  RunData run = ParseRunReport(json, "<run>.json");
  RejectSummary rejects;
  rejects.groups.push_back({table, "</td></tr>", "reason '&'", 1, 1,
                            {{db, R"({"id":"<svg onload=alert(3)>"})", "</textarea><svg onload=alert(4)>", "r"}}});
  rejects.problems.push_back("<u>missing</u>");
  HtmlReportInput input;
  input.run = &run;
  input.rejects = &rejects;
  input.run_file = "<run>.json";
  std::string html = RenderHtmlReport(input);
  std::unique_ptr<HtmlNode> page = ParseHtml(html);
  // The only script, style and svg elements are the page's own.
  EXPECT_EQ(page->All("script").size(), 1u);
  EXPECT_EQ(page->All("script")[0]->Text().find("alert"), std::string::npos);
  EXPECT_EQ(page->All("svg").size(), 1u);
  for (const char* tag : {"img", "i", "u", "textarea"}) EXPECT_TRUE(page->All(tag).empty()) << tag;
  ASSERT_EQ(page->All("b").size(), 1u);  // the details' own heading
  EXPECT_EQ(page->All("b")[0]->Text(), db);
  std::vector<const HtmlNode*> handlers;
  page->Collect([](const HtmlNode& node) {
    for (const auto& attribute : node.attributes) {
      if (attribute.first.compare(0, 2, "on") == 0) return true;
    }
    return false;
  }, handlers);
  EXPECT_TRUE(handlers.empty());
  EXPECT_EQ(ExternalReferences(*page), std::vector<std::string>{});
  // ... and read back exactly as they were (invalid UTF-8 and NUL as U+FFFD).
  Rows databases = page->ById("db-table")->BodyRows();
  ASSERT_EQ(databases.size(), 1u);
  EXPECT_EQ(databases[0][1], db);
  EXPECT_EQ(databases[0][2], target);
  EXPECT_EQ(page->ById("failure-table")->BodyRows(),
            (Rows{{db, "", "</script><script>alert(2)</script>"}, {db, table, "failed"}}));
  EXPECT_EQ(page->ById("changes-by-column")->BodyRows(),
            (Rows{{table, "caf\xC3\xA9 \xF0\x9F\x98\x80 " + kReplacement + " " + kReplacement, "<i>", "3", "1"}}));
  EXPECT_EQ(page->ById("reject-groups")->BodyRows(),
            (Rows{{table, "</td></tr>", "reason '&'", "1", "1",
                   db + " {\"id\":\"<svg onload=alert(3)>\"} </textarea><svg onload=alert(4)>"}}));
  EXPECT_EQ(page->All("title")[0]->Text(), "my2pg report: <run>.json");
  EXPECT_EQ(page->ById("timeline-svg")->All("text").back()->Text(), db);
  EXPECT_NE(html.find("&lt;script&gt;alert(&quot;db&quot;)&lt;/script&gt;"), std::string::npos);
}

// A fleet of 1,200 databases of 8 tables, 8 workers: the page stays small,
// lists every database, details 200 of them, and packs the timeline into lanes.
TEST(HtmlReport, TwelveHundredDatabases) {
  RunData run;
  run.wall_seconds = 150;
  for (int i = 0; i < 1200; ++i) {
    ReportDatabase db;
    char name[32];
    std::snprintf(name, sizeof(name), "client_%04d", i + 1);
    db.database = name;
    db.target_database = name;
    db.status = i % 100 == 99 ? "failed" : "done";
    if (db.status == "failed") db.error = "COPY failed";
    db.start_seconds = (i / 8) * 1.0;
    db.phase_seconds[0] = 0.1;
    db.phase_seconds[1] = 0.6;
    db.phase_seconds[2] = 0.1;
    db.phase_seconds[3] = 0.1;
    for (int t = 0; t < 8; ++t) {
      ReportTable table;
      table.source = "table_" + std::to_string(t);
      table.target = "app.table_" + std::to_string(t);
      table.status = "done";
      table.rows_read = table.rows_written = 1000 + t;
      if (i % 10 == 0 && t == 0) {
        table.rows_rejected = 2;
        table.rows_written -= 2;
      }
      if (t == 1) table.changes.push_back({"created_at", "zero_date_nulled", 3});
      db.rows_read += table.rows_read;
      db.rows_written += table.rows_written;
      db.rows_rejected += table.rows_rejected;
      db.tables.push_back(table);
    }
    run.databases.push_back(db);
  }
  HtmlReportInput input;
  input.run = &run;
  input.run_file = "fleet.json";
  std::string html = RenderHtmlReport(input);
  EXPECT_LT(html.size(), 1000000u) << "bytes";  // 942 KB when written
  std::unique_ptr<HtmlNode> page = ParseHtml(html);
  EXPECT_EQ(page->ById("db-table")->BodyRows().size(), 1200u);
  EXPECT_EQ(page->ById("t-done")->Text(), "1,188");
  EXPECT_EQ(page->ById("t-failed")->Text(), "12");
  EXPECT_EQ(page->ById("t-read")->Text(), "9,633,600");  // 1,200 x (8 x 1,000 + 28)
  EXPECT_EQ(page->ById("t-rejected")->Text(), "240");
  EXPECT_EQ(page->ById("t-changed")->Text(), "3,600");
  EXPECT_EQ(page->ById("fleet-table")->BodyRows().size(), 8u);
  std::vector<const HtmlNode*> details = page->All("details");
  ASSERT_EQ(details.size(), static_cast<size_t>(kMaxDatabaseDetails));
  // Every failed database and every one with rejects has details, in page order.
  EXPECT_EQ(details[0]->All("b")[0]->Text(), "client_0001");
  int failed = 0, with_rejects = 0;
  for (const HtmlNode* detail : details) {
    std::string summary = detail->All("summary")[0]->Text();
    failed += summary.find(" failed ") != std::string::npos;
    with_rejects += summary.find(", 2 rejected,") != std::string::npos;
  }
  EXPECT_EQ(failed, 12);
  EXPECT_EQ(with_rejects, 120);
  const HtmlNode* svg = page->ById("timeline-svg");
  EXPECT_EQ(svg->All("rect").size(), 1200u);
  int lanes = 0;
  for (const HtmlNode* text : svg->All("text")) lanes += text->Text().compare(0, 7, "worker ") == 0;
  EXPECT_EQ(lanes, 8);
  EXPECT_EQ(ExternalReferences(*page), std::vector<std::string>{});
}

}  // namespace
}  // namespace my2pg
