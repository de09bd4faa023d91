// `my2pg report` on a real run: two sample tenants migrated with --report,
// then the page rendered from the run report and the reject files.
#include <rapidjson/document.h>

#include "tests/html_dom.h"
#include "tests/integration/test_env.h"

namespace my2pg {
namespace {

using Rows = std::vector<std::vector<std::string>>;

TEST(Report, PageOfARealRun) {
  CreateSampleTenants("rtest_", 2);
  CommandResult run = RunMy2pg("migrate --databases 'rtest_%' --target '" + Env("MY2PG_TARGET") +
                               "' --jobs 2 --replace -q --reject-dir $MY2PG_TEST_OUT/rtest-rejects --report $MY2PG_TEST_OUT/rtest-report.json");
  ASSERT_EQ(run.exit_code, 0) << run.output;
  CommandResult report = RunMy2pg("report $MY2PG_TEST_OUT/rtest-report.json -o $MY2PG_TEST_OUT/rtest-report.html");
  ASSERT_EQ(report.exit_code, 0) << report.output;
  EXPECT_EQ(report.output, "my2pg: report of 2 databases (0 failed) written to " + Out("rtest-report.html") + "\n");

  rapidjson::Document json;
  json.Parse(ReadFile(Out("rtest-report.json")).c_str());
  ASSERT_TRUE(json.IsObject());
  std::unique_ptr<HtmlNode> page = ParseHtml(ReadFile(Out("rtest-report.html")));
  EXPECT_EQ(ExternalReferences(*page), std::vector<std::string>{});

  // The sample tenant rejects 2 clients (invalid dates) and 2 bookings (arrival times).
  EXPECT_EQ(page->ById("verdict")->Text(), "All 2 databases migrated; 8 rows rejected");
  EXPECT_EQ(page->ById("t-done")->Text(), "2");
  EXPECT_EQ(page->ById("t-failed")->Text(), "0");
  EXPECT_EQ(page->ById("t-rejected")->Text(), "8");
  Rows databases = page->ById("db-table")->BodyRows();
  ASSERT_EQ(databases.size(), 2u);
  for (size_t i = 0; i < 2; ++i) {
    const auto& database = json["databases"][static_cast<rapidjson::SizeType>(i)];
    EXPECT_EQ(databases[i][1], "rtest_000" + std::to_string(i + 1));
    EXPECT_EQ(databases[i][3], "done");
    EXPECT_EQ(databases[i][4], std::to_string(database["tables"].Size()));
    EXPECT_EQ(databases[i][6], std::to_string(database["rows_read"].GetInt64()));  // under 1,000: no separators
    EXPECT_EQ(databases[i][7], std::to_string(database["rows_written"].GetInt64()));
    EXPECT_EQ(databases[i][8], "4");
    EXPECT_GE(database["start_seconds"].GetDouble(), 0.0);
  }
  Rows groups = page->ById("reject-groups")->BodyRows();
  ASSERT_EQ(groups.size(), 3u);
  const std::string ellipsis = "\xE2\x80\xA6";
  EXPECT_EQ(std::vector<std::string>(groups[0].begin(), groups[0].begin() + 5),
            (std::vector<std::string>{"reservation", "heure_arrivee",
                                      "time '" + ellipsis + "' is outside 00:00:00-24:00:00", "4", "2"}));
  EXPECT_EQ(std::vector<std::string>(groups[1].begin(), groups[1].begin() + 5),
            (std::vector<std::string>{"client", "date_creation", "invalid date '" + ellipsis + "'", "2", "2"}));
  EXPECT_EQ(std::vector<std::string>(groups[2].begin(), groups[2].begin() + 5),
            (std::vector<std::string>{"client", "date_naissance", "invalid date '" + ellipsis + "'", "2", "2"}));
  const HtmlNode* samples = page->ById("reject-groups")->All("ul")[0];
  ASSERT_EQ(samples->All("li").size(), 3u);  // the first three of four
  EXPECT_EQ(samples->All("li")[0]->Text(), "rtest_0001 {\"id\":\"2\"} 25:00:00");
  EXPECT_EQ(page->ById("rejects-not-read"), nullptr);
  // The timeline has a bar per database, the details a table per database.
  EXPECT_EQ(page->ById("timeline-svg")->All("rect").size(), 2u);
  ASSERT_EQ(page->All("details").size(), 2u);
  EXPECT_EQ(page->ById("db-1")->BodyRows().size(), json["databases"][0]["tables"].Size());
}

}  // namespace
}  // namespace my2pg
