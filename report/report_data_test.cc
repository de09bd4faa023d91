#include "report/report_data.h"

#include <gtest/gtest.h>

#include "common/error.h"
#include "tests/test_util.h"

namespace my2pg {
namespace {

RunData FixtureRun() { return ParseRunReport(ReadFile("report/testdata/run.json"), "run.json"); }

TEST(ReportData, ReadsTheRunReport) {
  RunData run = FixtureRun();
  EXPECT_EQ(run.wall_seconds, 12.5);
  ASSERT_EQ(run.databases.size(), 3u);
  const ReportDatabase& first = run.databases[0];
  EXPECT_EQ(first.database, "hotel_0001");
  EXPECT_EQ(first.target_database, "pg_hotel_0001");
  EXPECT_EQ(first.rows_read, 1250);
  EXPECT_EQ(first.rows_rejected, 3);
  EXPECT_EQ(first.seconds(), 6.25);
  EXPECT_EQ(first.changed_values(), 1014);
  EXPECT_EQ(first.warnings, std::vector<std::string>{"view v_old not migrated"});
  ASSERT_EQ(first.tables.size(), 2u);
  ASSERT_EQ(first.tables[0].changes.size(), 3u);
  EXPECT_EQ(first.tables[0].changes[1].column, "date_naissance");
  EXPECT_EQ(first.tables[0].changes[1].kind, "invalid_date_nulled");
  EXPECT_EQ(first.tables[0].changes[1].values, 2);
  EXPECT_EQ(first.tables[1].chunks, 2);
  EXPECT_EQ(run.databases[2].failed_tables(), 1);
  EXPECT_EQ(run.databases[2].start_seconds, 3.0);
  EXPECT_EQ(first.binlog_position, "binlog.000003:1234 (gtid 0-1-77)");
  EXPECT_EQ(run.databases[1].binlog_position, "unknown: binary log off");
  EXPECT_EQ(run.databases[2].binlog_position, "");  // a report written before it was recorded
}

TEST(ReportData, ReportWithoutStartTimes) {
  RunData run = ParseRunReport(R"({"format":"my2pg-report/1","databases":[{"database":"a","status":"done"}]})", "r");
  ASSERT_EQ(run.databases.size(), 1u);
  EXPECT_EQ(run.databases[0].start_seconds, -1);
  EXPECT_EQ(run.databases[0].seconds(), 0);
}

struct BadFile {
  const char* json;
  const char* error;
};

TEST(ReportData, BadFilesSayWhere) {
  static const BadFile kCases[] = {
      {"not json", "x.json: not JSON (Invalid value. at offset 1)"},
      {"[]", "x.json: not a my2pg run report (expected \"format\": \"my2pg-report/1\")"},
      {R"({"format":"my2pg-verify/1"})", "x.json: not a my2pg run report (expected \"format\": \"my2pg-report/1\")"},
      {R"({"format":"my2pg-report/1","databases":{}})", "x.json: /databases: expected an array"},
      {R"({"format":"my2pg-report/1","databases":[3]})", "x.json: /databases/0: expected an object"},
      {R"({"format":"my2pg-report/1","databases":[{"rows_read":"12"}]})",
       "x.json: /databases/0/rows_read: expected an integer"},
      {R"({"format":"my2pg-report/1","databases":[{"tables":[{"changed_values":{"c":{"k":1.5}}}]}]})",
       "x.json: /databases/0/tables/0/changed_values/c/k: expected an integer"},
      {R"({"format":"my2pg-report/1","databases":[{"phase_seconds":{"copy":"1"}}]})",
       "x.json: /databases/0/phase_seconds/copy: expected a number"},
  };
  for (const BadFile& bad : kCases) {
    try {
      ParseRunReport(bad.json, "x.json");
      ADD_FAILURE() << "accepted " << bad.json;
    } catch (const Error& e) {
      EXPECT_EQ(std::string(e.what()), bad.error) << bad.json;
      EXPECT_EQ(e.category(), ErrorCategory::kUsage);
    }
  }
}

TEST(ReportData, ReadsTheVerifyReport) {
  VerifyData verify = ParseVerifyReport(ReadFile("report/testdata/verify.json"), "verify.json");
  ASSERT_EQ(verify.databases.size(), 2u);
  EXPECT_EQ(verify.databases[0].status, "mismatch");
  ASSERT_EQ(verify.databases[0].tables.size(), 2u);
  EXPECT_EQ(verify.databases[0].tables[0].mismatched_rows, -1);  // left out
  EXPECT_EQ(verify.databases[0].tables[1].mismatched_rows, 2);
  EXPECT_EQ(verify.databases[0].tables[1].detail, "rows differ: id 17, id 42");
  EXPECT_THROW(ParseVerifyReport(ReadFile("report/testdata/run.json"), "run.json"), Error);
}

TEST(ReportData, ReasonPattern) {
  static const std::pair<const char*, const char*> kCases[] = {
      {"invalid date '1985-02-30'", "invalid date '\xE2\x80\xA6'"},
      {"time '25:00:00' is outside 00:00:00-24:00:00", "time '\xE2\x80\xA6' is outside 00:00:00-24:00:00"},
      {"orphan: no hotel.client.id = '5'", "orphan: no hotel.client.id = '\xE2\x80\xA6'"},
      {"'a' is not a member of the set", "'\xE2\x80\xA6' is not a member of the set"},
      {"text contains a NUL byte (0x00)", "text contains a NUL byte (0x00)"},
      {"it's unterminated", "it's unterminated"},
      {"", ""},
  };
  for (const auto& [reason, pattern] : kCases) EXPECT_EQ(ReasonPattern(reason), pattern) << reason;
}

TEST(ReportData, RejectsGroupedByReasonWithSamples) {
  RunData run = FixtureRun();
  for (const std::string& dir : {std::string(), std::string("report/testdata/rejects")}) {
    RejectSummary rejects = ReadRejects(run, dir);
    EXPECT_EQ(rejects.rows_not_read, 0) << dir;
    EXPECT_TRUE(rejects.problems.empty()) << dir;
    ASSERT_EQ(rejects.groups.size(), 2u) << dir;
    const RejectGroup& dates = rejects.groups[0];
    EXPECT_EQ(dates.table, "client");
    EXPECT_EQ(dates.column, "date_naissance");
    EXPECT_EQ(dates.reason, "invalid date '\xE2\x80\xA6'");
    EXPECT_EQ(dates.rows, 2);
    EXPECT_EQ(dates.databases, 1);
    ASSERT_EQ(dates.samples.size(), 2u);
    EXPECT_EQ(dates.samples[1].database, "hotel_0001");
    EXPECT_EQ(dates.samples[1].key, R"({"id":"9"})");
    EXPECT_EQ(dates.samples[1].value, "1990-13-01");
    EXPECT_EQ(dates.samples[1].reason, "invalid date '1990-13-01'");
    EXPECT_EQ(rejects.groups[1].reason, "byte 0xE9 is not valid utf8mb4");
    EXPECT_EQ(rejects.groups[1].samples[0].value, "caf\\xE9@ex.fr");
  }
}

TEST(ReportData, MissingRejectFilesAreCountedNotFatal) {
  RejectSummary rejects = ReadRejects(FixtureRun(), "/nonexistent");
  EXPECT_TRUE(rejects.groups.empty());
  EXPECT_EQ(rejects.rows_not_read, 3);
  EXPECT_EQ(rejects.problems, std::vector<std::string>{"/nonexistent/hotel_0001/client.rejects.jsonl: not found"});
}

}  // namespace
}  // namespace my2pg
