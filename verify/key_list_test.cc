#include "verify/key_list.h"

#include <gtest/gtest.h>

namespace my2pg {
namespace {

TEST(KeyList, OneColumnIsAnArrayOfTheKeysAsWritten) {
  KeyList keys({"code"}, {"varchar(8)"}, {1});
  EXPECT_EQ(keys.Condition(), "false");
  keys.Add("x\tFR\t1");
  keys.Add("y\tit's\t2");
  keys.Add("z\ta\\\\b\"c\\td\t3");  // a\b"c<TAB>d
  EXPECT_EQ(keys.size(), 3u);
  EXPECT_EQ(keys.Condition(),
            "\"code\" = ANY('{\"FR\",\"it''s\",\"a\\\\b\\\"c\td\"}'::varchar(8)[])");
  keys.Clear();
  EXPECT_EQ(keys.size(), 0u);
  keys.Add("x\t\\N\t1");
  EXPECT_EQ(keys.Condition(), "\"code\" = ANY('{NULL}'::varchar(8)[])");
}

TEST(KeyList, CompositeKeysAreUnnestedInTheKeysOrder) {
  KeyList keys({"day", "room code"}, {"timestamptz", "text"}, {2, 0});
  keys.Add("A1\tignored\t2020-01-01 10:00:00+00");
  keys.Add("B2\tignored\t2020-01-02 10:00:00+00");
  EXPECT_EQ(
      keys.Condition(),
      "(\"day\", \"room code\") IN (SELECT * FROM unnest('{\"2020-01-01 10:00:00+00\",\"2020-01-02 "
      "10:00:00+00\"}'::timestamptz[], '{\"A1\",\"B2\"}'::text[]))");
}

TEST(KeyList, IndexedSelectLooksUpEachKey) {
  KeyList keys({"day", "room"}, {"timestamptz", "text"}, {1, 0});
  EXPECT_EQ(keys.IndexedSelect("\"room\", \"day\"", "\"s\".\"rate\""),
            "SELECT \"room\", \"day\" FROM \"s\".\"rate\" WHERE false");
  keys.Add("A1\t2020-01-01 10:00:00+00");
  EXPECT_EQ(keys.IndexedSelect("\"room\", \"day\"", "\"s\".\"rate\""),
            "SELECT my2pg_rows.* FROM unnest('{\"2020-01-01 10:00:00+00\"}'::timestamptz[], '{\"A1\"}'::text[]) AS "
            "my2pg_keys(k0, k1) CROSS JOIN LATERAL (SELECT \"room\", \"day\" FROM \"s\".\"rate\" WHERE \"day\" = "
            "my2pg_keys.k0 AND \"room\" = my2pg_keys.k1 OFFSET 0) AS my2pg_rows");
}

TEST(KeyList, ColumnNamesAreQuoted) {
  KeyList keys({"it's \"k\""}, {"text"}, {0});
  keys.Add("x");
  EXPECT_EQ(keys.Condition(), "\"it's \"\"k\"\"\" = ANY('{\"x\"}'::text[])");
}

TEST(KeyList, ArrayElementsQuoteEverything) {
  std::string out;
  AppendArrayElement("NULL", out);  // the text NULL, not a null
  EXPECT_EQ(out, "\"NULL\"");
  out.clear();
  AppendArrayElement("", out);
  EXPECT_EQ(out, "\"\"");
}

}  // namespace
}  // namespace my2pg
