#include "converter/row_converter.h"

#include <gtest/gtest.h>

#include <cstring>

#include "mapper/mapper.h"

namespace my2pg {
namespace {

SourceColumn Column(const std::string& name, const std::string& data_type, const std::string& column_type,
                    bool nullable = true) {
  SourceColumn column;
  column.name = name;
  column.data_type = data_type;
  column.column_type = column_type;
  column.nullable = nullable;
  column.is_unsigned = column_type.find("unsigned") != std::string::npos;
  if (data_type == "enum" || data_type == "set") column.labels = ParseEnumLabels(column_type);
  if (data_type == "bit") column.numeric_precision = std::stoi(column_type.substr(4));
  if (data_type == "decimal") { column.numeric_precision = 12; column.numeric_scale = 2; }
  if (data_type == "varchar" || data_type == "text") column.charset = "latin1";
  if (data_type == "varchar") column.char_max_length = 50;
  if (data_type == "datetime" || data_type == "timestamp" || data_type == "time") column.datetime_precision = 0;
  return column;
}

// Converts one value of a one-column table; returns the COPY field or "REJECT: reason".
std::string ConvertOne(const SourceColumn& column, const char* value, size_t size,
                       const Rules& rules = DefaultRules(), TableStats* stats_out = nullptr) {
  SourceCatalog catalog;
  catalog.database = "db";
  SourceTable table;
  table.name = "t";
  table.columns.push_back(column);
  catalog.tables.push_back(table);
  SchemaPlan plan = MapCatalog(catalog, rules);
  RowConverter converter(plan, plan.tables[0]);
  SourceValue source{value, size, value == nullptr};
  std::string out;
  TableStats stats;
  RowRejection rejection;
  bool ok = converter.Convert(&source, out, stats, &rejection);
  if (stats_out) *stats_out = stats;
  if (!ok) return "REJECT: " + rejection.reason;
  EXPECT_EQ(out.back(), '\n');
  out.pop_back();
  return out;
}

std::string ConvertOne(const SourceColumn& column, const char* value) {
  return ConvertOne(column, value, value ? std::strlen(value) : 0);
}

struct ValueCase {
  const char* data_type;
  const char* column_type;
  const char* value;  // nullptr: NULL
  const char* expected;
};

const ValueCase kValues[] = {
    {"int", "int(10) unsigned", "4294967295", "4294967295"},
    {"bigint", "bigint(20) unsigned", "18446744073709551615", "18446744073709551615"},
    {"decimal", "decimal(12,2)", "-0.01", "-0.01"},
    {"bigint", "bigint(20) unsigned", "18446744073709551615", "18446744073709551615"},
    {"tinyint", "tinyint(3) unsigned", "255", "255"},
    {"tinyint", "tinyint(1)", "0", "f"},
    {"tinyint", "tinyint(1)", "1", "t"},
    {"tinyint", "tinyint(1)", "2", "t"},
    {"tinyint", "tinyint(1)", nullptr, "\\N"},
    {"date", "date", "2014-01-04", "2014-01-04"},
    {"date", "date", "0009-12-04", "0009-12-04"},
    {"date", "date", "0000-00-00", "\\N"},
    {"date", "date", "1985-02-30", "REJECT: invalid date '1985-02-30'"},
    {"date", "date", "2014-00-10", "REJECT: invalid date '2014-00-10'"},
    {"date", "date", "2000-02-29", "2000-02-29"},
    {"datetime", "datetime", "0000-00-00 00:00:00", "\\N"},
    {"datetime", "datetime", "2014-10-26 02:30:00", "2014-10-26 02:30:00"},
    {"timestamp", "timestamp", "2014-03-30 01:30:00", "2014-03-30 01:30:00+00"},
    {"time", "time", "14:30:00", "14:30:00"},
    {"time", "time", "24:00:00", "24:00:00"},
    {"time", "time", "25:00:00", "REJECT: time '25:00:00' is outside 00:00:00-24:00:00"},
    {"time", "time", "-01:00:00", "REJECT: time '-01:00:00' is outside 00:00:00-24:00:00"},
    {"year", "year(4)", "1999", "1999"},
    {"year", "year(4)", "0000", "\\N"},
    {"varchar", "varchar(50)", "Lef\xE8vre", "Lef\xC3\xA8vre"},
    {"varchar", "varchar(50)", "a\tb", "a\\tb"},
    {"enum", "enum('simple','double')", "double", "double"},
    {"enum", "enum('simple','double')", "", "REJECT: '' is not a label of \"public\".\"t_c\""},
    {"set", "set('wifi','tv')", "wifi,tv", "{\"wifi\",\"tv\"}"},
    {"set", "set('wifi','tv')", "", "{}"},
    {"set", "set('wifi','tv')", "radio", "REJECT: 'radio' is not a member of the set"},
};

class RowConverterValues : public testing::TestWithParam<ValueCase> {};

TEST_P(RowConverterValues, ConvertsByDefaultRules) {
  const ValueCase& c = GetParam();
  EXPECT_EQ(ConvertOne(Column("c", c.data_type, c.column_type), c.value), c.expected);
}

INSTANTIATE_TEST_SUITE_P(Defaults, RowConverterValues, testing::ValuesIn(kValues));

TEST(RowConverter, BinaryValues) {
  EXPECT_EQ(ConvertOne(Column("c", "blob", "blob"), "\xDE\xAD\x00\x01", 4), "\\\\xdead0001");
  // BIT arrives from Connector/C++ as its decimal value.
  EXPECT_EQ(ConvertOne(Column("c", "bit", "bit(1)"), "1", 1), "t");
  EXPECT_EQ(ConvertOne(Column("c", "bit", "bit(1)"), "0", 1), "f");
  EXPECT_EQ(ConvertOne(Column("c", "bit", "bit(10)"), "517", 3), "1000000101");
  EXPECT_EQ(ConvertOne(Column("c", "bit", "bit(64)"), "18446744073709551615", 20), std::string(64, '1'));
  EXPECT_EQ(ConvertOne(Column("c", "bit", "bit(1)"), "\x01", 1), "REJECT: not a BIT value: '?'");
}

TEST(RowConverter, CountsEveryChange) {
  TableStats stats;
  ConvertOne(Column("c", "tinyint", "tinyint(1)"), "7", 1, DefaultRules(), &stats);
  EXPECT_EQ(stats.columns[0][ChangeKind::kStrayBooleanTrue], 1);
  ConvertOne(Column("c", "date", "date"), "0000-00-00", 10, DefaultRules(), &stats);
  EXPECT_EQ(stats.columns[0][ChangeKind::kZeroDateNulled], 1);
  EXPECT_EQ(stats.columns[0].total(), 1);
}

TEST(RowConverter, PoliciesFromRules) {
  Rules rules = LoadRulesText(R"({"conversions": {"zero_date": "-infinity", "invalid_date": "1900-01-01",
      "stray_boolean": "reject", "time_out_of_range": "null"}})", "policies.json");
  EXPECT_EQ(ConvertOne(Column("c", "date", "date"), "0000-00-00", 10, rules), "-infinity");
  EXPECT_EQ(ConvertOne(Column("c", "date", "date"), "1985-02-30", 10, rules), "1900-01-01");
  EXPECT_EQ(ConvertOne(Column("c", "tinyint", "tinyint(1)"), "2", 1, rules),
            "REJECT: boolean flag holds '2' (expected 0 or 1)");
  EXPECT_EQ(ConvertOne(Column("c", "time", "time"), "838:59:59", 9, rules), "\\N");
}

TEST(RowConverter, NullIntoNotNullIsRejectedNotSentToCopy) {
  Rules rules = LoadRulesText(R"({"conversions": {"stray_boolean": "null"}})", "p.json");
  EXPECT_EQ(ConvertOne(Column("c", "tinyint", "tinyint(1)", false), "2", 1, rules),
            "REJECT: the value would become NULL, but the target column is NOT NULL");
}

TEST(RowConverter, WholeRowIsTabSeparated) {
  SourceCatalog catalog;
  SourceTable table;
  table.name = "t";
  table.columns = {Column("a", "int", "int(11)"), Column("b", "varchar", "varchar(50)"),
                   Column("c", "date", "date")};
  catalog.tables.push_back(table);
  SchemaPlan plan = MapCatalog(catalog, DefaultRules());
  RowConverter converter(plan, plan.tables[0]);
  SourceValue values[] = {{"1", 1, false}, {nullptr, 0, true}, {"2014-01-04", 10, false}};
  std::string out;
  TableStats stats;
  RowRejection rejection;
  ASSERT_TRUE(converter.Convert(values, out, stats, &rejection));
  EXPECT_EQ(out, "1\t\\N\t2014-01-04\n");
  SourceValue bad[] = {{"2", 1, false}, {"x", 1, false}, {"2014-02-30", 10, false}};
  EXPECT_FALSE(converter.Convert(bad, out, stats, &rejection));
  EXPECT_EQ(out, "1\t\\N\t2014-01-04\n");  // unchanged by the rejected row
  EXPECT_EQ(rejection.column, 2);
}

}  // namespace
}  // namespace my2pg

namespace my2pg {
namespace {

TEST(RowConverter, NarrowedIntegersAreCheckedNotLeftToCopy) {
  SourceColumn id = Column("id", "bigint", "bigint(20) unsigned", false);
  id.auto_increment = true;  // the defaults map it to bigint for an identity
  EXPECT_EQ(ConvertOne(id, "9223372036854775807"), "9223372036854775807");
  EXPECT_EQ(ConvertOne(id, "9223372036854775808"), "REJECT: value '9223372036854775808' does not fit bigint");
  Rules rules = LoadRulesText(R"({"types": [{"match": {"data_type": "int"}, "type": "smallint"}]})", "n.json");
  EXPECT_EQ(ConvertOne(Column("c", "int", "int(11)"), "-32768", 6, rules), "-32768");
  EXPECT_EQ(ConvertOne(Column("c", "int", "int(11)"), "40000", 5, rules),
            "REJECT: value '40000' does not fit smallint");
}

}  // namespace
}  // namespace my2pg

namespace my2pg {
namespace {

TEST(RowConverter, RejectedRowCountsNoChanges) {
  SourceCatalog catalog;
  SourceTable table;
  table.name = "t";
  table.columns = {Column("flag", "tinyint", "tinyint(1)"), Column("born", "date", "date"),
                   Column("note", "varchar", "varchar(50)")};
  catalog.tables.push_back(table);
  SchemaPlan plan = MapCatalog(catalog, DefaultRules());
  RowConverter converter(plan, plan.tables[0]);
  TableStats stats;
  RowRejection rejection;
  std::string out;
  // flag 2 (a stray boolean) would count, but the date rejects the row.
  SourceValue rejected[] = {{"2", 1, false}, {"1985-02-30", 10, false}, {"x", 1, false}};
  EXPECT_FALSE(converter.Convert(rejected, out, stats, &rejection));
  EXPECT_EQ(rejection.column, 1);
  EXPECT_EQ(rejection.reason, "invalid date '1985-02-30'");
  EXPECT_EQ(stats.changed_values(), 0);
  SourceValue accepted[] = {{"2", 1, false}, {"0000-00-00", 10, false}, {"a\0b", 3, false}};
  EXPECT_TRUE(converter.Convert(accepted, out, stats, &rejection));
  EXPECT_EQ(out, "t\t\\N\tab\n");
  EXPECT_EQ(stats.columns[0][ChangeKind::kStrayBooleanTrue], 1);
  EXPECT_EQ(stats.columns[1][ChangeKind::kZeroDateNulled], 1);
  EXPECT_EQ(stats.columns[2][ChangeKind::kNulStripped], 1);
  EXPECT_EQ(stats.changed_values(), 3);
}

}  // namespace
}  // namespace my2pg
