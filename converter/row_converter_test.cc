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

// A catalog of one table "t" with these columns.
SourceCatalog TableOf(std::vector<SourceColumn> columns) {
  SourceCatalog catalog;
  catalog.database = "db";
  SourceTable table;
  table.name = "t";
  table.columns = std::move(columns);
  catalog.tables.push_back(table);
  return catalog;
}

// Converts one value of a one-column table; returns the COPY field or "REJECT: reason".
std::string ConvertOne(const SourceColumn& column, const char* value, size_t size,
                       const Rules& rules = DefaultRules(), TableStats* stats_out = nullptr) {
  SchemaPlan plan = MapCatalog(TableOf({column}), rules);
  RowConverter converter(plan, plan.tables[0], /*allow_binary=*/false);
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
  // BIT arrives as the server sends it: big-endian bytes.
  EXPECT_EQ(ConvertOne(Column("c", "bit", "bit(1)"), "\x01", 1), "t");
  EXPECT_EQ(ConvertOne(Column("c", "bit", "bit(1)"), "\x00", 1), "f");
  EXPECT_EQ(ConvertOne(Column("c", "bit", "bit(10)"), "\x02\x05", 2), "1000000101");
  EXPECT_EQ(ConvertOne(Column("c", "bit", "bit(64)"), std::string(8, '\xFF').c_str(), 8), std::string(64, '1'));
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
  SchemaPlan plan = MapCatalog(TableOf({Column("a", "int", "int(11)"), Column("b", "varchar", "varchar(50)"),
                                        Column("c", "date", "date")}),
                               DefaultRules());
  RowConverter converter(plan, plan.tables[0], /*allow_binary=*/false);
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
  SchemaPlan plan = MapCatalog(TableOf({Column("flag", "tinyint", "tinyint(1)"), Column("born", "date", "date"),
                                        Column("note", "varchar", "varchar(50)")}),
                               DefaultRules());
  RowConverter converter(plan, plan.tables[0], /*allow_binary=*/false);
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

namespace my2pg {
namespace {

// One column "c" of table "t" with the given rules.
std::string ConvertWith(const char* rules_json, SourceColumn column, const std::string& value,
                        TableStats* stats = nullptr) {
  Rules rules = LoadRulesText(rules_json, "r.json");
  return ConvertOne(column, value.data(), value.size(), rules, stats);
}

TEST(RowConverter, MojibakeRepairInLatin1AndUtf8Columns) {
  const char* repair = R"({"conversions": {"mojibake": "repair"}})";
  TableStats stats;
  // UTF-8 bytes stored in a latin1 column.
  EXPECT_EQ(ConvertWith(repair, Column("c", "varchar", "varchar(50)"), "Caf\xC3\xA9", &stats), "Caf\xC3\xA9");
  EXPECT_EQ(stats.columns[0][ChangeKind::kMojibakeRepaired], 1);
  EXPECT_EQ(ConvertWith(repair, Column("c", "varchar", "varchar(50)"), "Arriv\xC3\xA9" "e \xE2\x80\x94 x\tz"),
            "Arriv\xC3\xA9" "e \xE2\x80\x94 x\\tz");
  // Genuine latin1 stays.
  EXPECT_EQ(ConvertWith(repair, Column("c", "varchar", "varchar(50)"), "M\xFCller", &stats), "M\xC3\xBCller");
  EXPECT_EQ(stats.columns[0][ChangeKind::kMojibakeRepaired], 0);
  // Double-encoded text in a utf8mb4 column.
  SourceColumn utf8 = Column("c", "varchar", "varchar(50)");
  utf8.charset = "utf8mb4";
  EXPECT_EQ(ConvertWith(repair, utf8, "Caf\xC3\x83\xC2\xA9"), "Caf\xC3\xA9");
  // Without the rule, nothing is repaired.
  EXPECT_EQ(ConvertWith("{}", Column("c", "varchar", "varchar(50)"), "Caf\xC3\xA9"), "Caf\xC3\x83\xC2\xA9");
}

TEST(RowConverter, CleanupSteps) {
  const char* rules = R"j({"tables": [{"match": "t", "columns": [{"match": "c", "cleanup": [
      {"trim": true}, {"replace": {"pattern": "\\s+", "with": " "}}, {"map": {"fr": "FR", "Fr": "FR"}},
      {"null_if": ["N/A", "-"]}, {"empty_to_null": true}]}]}]})j";
  TableStats stats;
  EXPECT_EQ(ConvertWith(rules, Column("c", "varchar", "varchar(50)"), "  Anne   Marie \xA0", &stats), "Anne Marie");
  EXPECT_EQ(stats.columns[0][ChangeKind::kCleanedUp], 1);
  EXPECT_EQ(ConvertWith(rules, Column("c", "varchar", "varchar(50)"), " fr "), "FR");
  EXPECT_EQ(ConvertWith(rules, Column("c", "varchar", "varchar(50)"), "N/A", &stats), "\\N");
  EXPECT_EQ(stats.columns[0][ChangeKind::kCleanupNulled], 1);
  EXPECT_EQ(ConvertWith(rules, Column("c", "varchar", "varchar(50)"), "   "), "\\N");
  EXPECT_EQ(ConvertWith(rules, Column("c", "varchar", "varchar(50)"), "ok", &stats), "ok");
  EXPECT_EQ(stats.columns[0].total(), 0);
  const char* upper = R"j({"tables": [{"match": "t", "columns": [{"match": "c", "cleanup": [{"upper": true},
      {"null_if_match": "^X+$"}]}]}]})j";
  EXPECT_EQ(ConvertWith(upper, Column("c", "varchar", "varchar(50)"), "stra\xDF" "e"), "STRASSE");
  EXPECT_EQ(ConvertWith(upper, Column("c", "varchar", "varchar(50)"), "xxx"), "\\N");
}

TEST(RowConverter, TextFlagsToBoolean) {
  const char* rules = R"j({"tables": [{"match": "t", "columns": [{"match": "c", "type": "boolean"}]}],
      "conversions": {"stray_boolean": "reject"}})j";
  SourceColumn flag = Column("c", "char", "char(1)");
  flag.charset = "latin1";
  for (const char* yes : {"Y", "y", "1", "oui", "TRUE", "on"}) EXPECT_EQ(ConvertWith(rules, flag, yes), "t") << yes;
  for (const char* no : {"N", "0", "Non", "false", "off"}) EXPECT_EQ(ConvertWith(rules, flag, no), "f") << no;
  EXPECT_EQ(ConvertWith(rules, flag, "?"),
            "REJECT: boolean holds '?' (expected Y/N, yes/no, true/false, 1/0, oui/non, on/off)");
}

TEST(RowConverter, JsonIsValidated) {
  SourceColumn json = Column("c", "json", "json");
  json.charset = "utf8mb4";
  EXPECT_EQ(ConvertWith("{}", json, R"({"a": "x\ty", "b": [1, 2.5]})"), R"({"a": "x\\ty", "b": [1, 2.5]})");
  EXPECT_EQ(ConvertWith("{}", json, "{\"a\": }"), "REJECT: invalid JSON at offset 6: Invalid value.");
  TableStats stats;
  EXPECT_EQ(ConvertWith(R"({"conversions": {"invalid_json": "null"}})", json, "{oops", &stats), "\\N");
  EXPECT_EQ(stats.columns[0][ChangeKind::kInvalidJsonNulled], 1);
}

struct UtcCase {
  const char* rules;
  const char* local;
  const char* expected;
  ChangeKind counted;
};

// Europe/Paris: +01 in winter, +02 in summer; 2014-03-30 02:00-03:00 does not
// exist, 2014-10-26 02:00-03:00 occurs twice.
const UtcCase kUtcCases[] = {
    {R"({"conversions": {"timezone": "Europe/Paris"}})", "2014-01-15 12:00:00", "2014-01-15 11:00:00+00",
     ChangeKind::kConvertedToUtc},
    {R"({"conversions": {"timezone": "Europe/Paris"}})", "2014-07-14 12:00:00.125", "2014-07-14 10:00:00.125+00",
     ChangeKind::kConvertedToUtc},
    {R"({"conversions": {"timezone": "Europe/Paris"}})", "2014-03-30 01:59:59", "2014-03-30 00:59:59+00",
     ChangeKind::kConvertedToUtc},
    {R"({"conversions": {"timezone": "Europe/Paris"}})", "2014-03-30 02:30:00", "2014-03-30 01:30:00+00",
     ChangeKind::kDstGapShifted},
    {R"({"conversions": {"timezone": "Europe/Paris", "dst_gap": "null"}})", "2014-03-30 02:30:00", "\\N",
     ChangeKind::kDstGapNulled},
    {R"({"conversions": {"timezone": "Europe/Paris", "dst_gap": "reject"}})", "2014-03-30 02:30:00",
     "REJECT: local time '2014-03-30 02:30:00' does not exist in Europe/Paris (DST gap)", ChangeKind::kCount},
    {R"({"conversions": {"timezone": "Europe/Paris"}})", "2014-10-26 02:30:00", "2014-10-26 00:30:00+00",
     ChangeKind::kDstOverlapResolved},
    {R"({"conversions": {"timezone": "Europe/Paris", "dst_overlap": "later"}})", "2014-10-26 02:30:00",
     "2014-10-26 01:30:00+00", ChangeKind::kDstOverlapResolved},
    {R"({"conversions": {"timezone": "Europe/Paris", "dst_overlap": "reject"}})", "2014-10-26 02:30:00",
     "REJECT: local time '2014-10-26 02:30:00' occurs twice in Europe/Paris (DST overlap)", ChangeKind::kCount},
    {R"({"conversions": {"timezone": "UTC"}})", "2014-10-26 02:30:00", "2014-10-26 02:30:00+00", ChangeKind::kCount},
    {R"({"conversions": {"timezone": "America/New_York"}})", "2014-12-31 22:00:00", "2015-01-01 03:00:00+00",
     ChangeKind::kConvertedToUtc},
    {R"({"conversions": {"timezone": "Europe/Paris"}})", "0000-00-00 00:00:00", "\\N", ChangeKind::kZeroDateNulled},
};

class UtcTest : public testing::TestWithParam<UtcCase> {};

TEST_P(UtcTest, LocalTimesBecomeUtc) {
  const UtcCase& c = GetParam();
  SourceColumn column = Column("c", "datetime", "datetime");
  TableStats stats;
  EXPECT_EQ(ConvertWith(c.rules, column, c.local, &stats), c.expected);
  if (c.counted != ChangeKind::kCount) {
    EXPECT_EQ(stats.columns[0][c.counted], 1);
    EXPECT_EQ(stats.columns[0].total(), 1);
  } else if (!stats.columns.empty()) {
    EXPECT_EQ(stats.columns[0].total(), 0);
  }
}

INSTANTIATE_TEST_SUITE_P(EuropeParis, UtcTest, testing::ValuesIn(kUtcCases));

TEST(RowConverter, TimezoneMakesDatetimeTimestamptzUnlessARuleSaysTimestamp) {
  Rules rules = LoadRulesText(R"({"conversions": {"timezone": "Europe/Paris"}})", "r.json");
  SourceCatalog catalog = TableOf({Column("c", "datetime", "datetime")});
  EXPECT_EQ(MapCatalog(catalog, rules).tables[0].columns[0].type, "timestamptz(0)");
  Rules naive = LoadRulesText(R"j({"conversions": {"timezone": "Europe/Paris"},
      "tables": [{"match": "t", "columns": [{"match": "c", "type": "timestamp(0)"}]}]})j", "r.json");
  EXPECT_EQ(MapCatalog(catalog, naive).tables[0].columns[0].type, "timestamp(0)");
  EXPECT_EQ(ConvertOne(Column("c", "datetime", "datetime"), "2014-07-14 12:00:00", 19, naive), "2014-07-14 10:00:00");
}

}  // namespace
}  // namespace my2pg

namespace my2pg {
namespace {

// The zone cache must not hide a gap or an overlap next to a cached stretch.
TEST(RowConverter, ZoneCacheKeepsDstEdgesExact) {
  Rules rules = LoadRulesText(R"({"conversions": {"timezone": "Europe/Paris", "dst_overlap": "reject",
      "dst_gap": "reject"}})", "r.json");
  SchemaPlan plan = MapCatalog(TableOf({Column("c", "datetime", "datetime")}), rules);
  RowConverter converter(plan, plan.tables[0], /*allow_binary=*/false);
  TableStats stats;
  RowRejection rejection;
  auto convert = [&](const char* value) {
    std::string out;
    SourceValue source{value, std::strlen(value), false};
    return converter.Convert(&source, out, stats, &rejection) ? out : "REJECT";
  };
  EXPECT_EQ(convert("2014-10-25 12:00:00"), "2014-10-25 10:00:00+00\n");
  EXPECT_EQ(convert("2014-10-26 01:59:59"), "2014-10-25 23:59:59+00\n");
  EXPECT_EQ(convert("2014-10-26 02:00:00"), "REJECT");
  EXPECT_EQ(convert("2014-10-26 02:59:59"), "REJECT");
  EXPECT_EQ(convert("2014-10-26 03:00:00"), "2014-10-26 02:00:00+00\n");
  EXPECT_EQ(convert("2014-10-27 03:00:00"), "2014-10-27 02:00:00+00\n");
  EXPECT_EQ(convert("2014-10-26 02:30:00"), "REJECT");
  EXPECT_EQ(convert("2014-03-29 12:00:00"), "2014-03-29 11:00:00+00\n");
  EXPECT_EQ(convert("2014-03-30 02:00:00"), "REJECT");
  EXPECT_EQ(convert("2014-03-30 03:00:00"), "2014-03-30 01:00:00+00\n");
  EXPECT_EQ(convert("2014-03-30 02:59:59"), "REJECT");
}

}  // namespace
}  // namespace my2pg

namespace my2pg {
namespace {

TEST(RowConverter, GeometryBecomesEwkbForPostgis) {
  Rules rules = LoadRulesText(R"({"options": {"geometry": "postgis"}})", "r.json");
  // POINT(1 2) with SRID 4326, as MySQL stores it: SRID (LE), then WKB.
  std::string point("\xE6\x10\x00\x00" "\x01" "\x01\x00\x00\x00"
                    "\x00\x00\x00\x00\x00\x00\xF0\x3F" "\x00\x00\x00\x00\x00\x00\x00\x40", 25);
  EXPECT_EQ(ConvertOne(Column("c", "point", "point"), point.data(), point.size(), rules),
            "0101000020E6100000000000000000F03F0000000000000040");
  EXPECT_EQ(ConvertOne(Column("c", "point", "point"), "\x01\x02", 2, rules),
            "REJECT: not a MySQL geometry value (2 bytes)");
  // Without PostGIS: MySQL's bytes, as bytea.
  EXPECT_EQ(ConvertOne(Column("c", "point", "point"), point.data(), 9), "\\\\xe61000000101000000");
}

}  // namespace
}  // namespace my2pg
