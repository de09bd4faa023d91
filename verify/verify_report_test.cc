#include "verify/verify_report.h"

#include <gtest/gtest.h>

#include "common/error.h"

namespace my2pg {
namespace {

TEST(VerifyReport, DescribesOnlyTheDifferingColumns) {
  RowDifference difference{RowDifference::Kind::kChanged, "k", "17\tAnn\t12.50", "17\tAnn\t13.00"};
  ShownDifference shown;
  DescribeDifference({"id", "name", "price"}, {ColumnCanon::kInteger, ColumnCanon::kText, ColumnCanon::kNumeric},
                     difference, shown);
  EXPECT_EQ(shown.kind, "changed");
  EXPECT_EQ(shown.source, "price=12.50");
  EXPECT_EQ(shown.target, "price=13.00");
  RowDifference missing{RowDifference::Kind::kMissing, "k", "18\t\\N\t1", ""};
  ShownDifference all;
  DescribeDifference({"id", "name", "price"}, {ColumnCanon::kInteger, ColumnCanon::kText, ColumnCanon::kNumeric},
                     missing, all);
  EXPECT_EQ(all.kind, "missing");
  EXPECT_EQ(all.source, "id=18, name=NULL, price=1");
  EXPECT_EQ(all.target, "");
}

TEST(VerifyReport, JsonRoundTripsAndKeepsTheReportFormat) {
  DatabaseVerification database;
  database.database = "hotel_0001";
  database.target_database = "hotel_0001";
  database.status = "mismatch";
  TableVerification table;
  table.table = "reservation";
  table.target = "\"hotel\".\"booking\"";
  table.status = "mismatch";
  table.source_rows = 10;
  table.target_rows = 9;
  table.rejected_rows = 1;
  table.mismatched_rows = 1;
  table.differences.push_back({"changed", "id 17", "price=1", "price=2"});
  database.tables.push_back(table);
  DatabaseVerification back = DatabaseVerificationFromJson(DatabaseVerificationJson(database));
  EXPECT_EQ(back.status, "mismatch");
  ASSERT_EQ(back.tables.size(), 1u);
  EXPECT_EQ(back.tables[0].target, "\"hotel\".\"booking\"");
  EXPECT_EQ(back.tables[0].rejected_rows, 1);
  EXPECT_EQ(back.tables[0].Detail(), "1 row differs: id 17");
  ASSERT_EQ(back.tables[0].differences.size(), 1u);
  EXPECT_EQ(back.tables[0].differences[0].target, "price=2");
  std::string json = VerifyReportJson({database}, "sample", 42, 1.5);
  EXPECT_EQ(json.rfind("{\"format\":\"my2pg-verify/1\",\"mode\":\"sample\",\"seed\":42,", 0), 0u) << json;
  EXPECT_NE(json.find("\"mismatched_rows\":1,"), std::string::npos);
  EXPECT_THROW(DatabaseVerificationFromJson("not json"), Error);
}

}  // namespace
}  // namespace my2pg
