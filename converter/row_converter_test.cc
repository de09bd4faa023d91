#include "converter/row_converter.h"

#include <gtest/gtest.h>

#include <cstring>

#include "converter/binary_copy.h"
#include "mapper/mapper.h"
#include "tests/test_util.h"

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
  if (data_type == "datetime" || data_type == "timestamp" || data_type == "time") {
    size_t open = column_type.find('(');
    column.datetime_precision = open == std::string::npos ? 0 : std::stoi(column_type.substr(open + 1));
  }
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
// The same value also goes through binary COPY when the column has a binary
// form: the binary tuple must be the text result's binary encoding, or the
// same rejection, and count the same changes.
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
  RowConverter binary(plan, plan.tables[0], /*allow_binary=*/true);
  if (binary.binary()) {
    std::string tuple;
    TableStats binary_stats;
    RowRejection binary_rejection;
    bool binary_ok = binary.Convert(&source, tuple, binary_stats, &binary_rejection);
    EXPECT_EQ(binary_ok, ok) << "binary: " << binary_rejection.reason;
    if (ok && binary_ok) {
      std::string field(out, 0, out.size() - 1);
      std::string expected("\0\1", 2);
      if (field == "\\N") {
        expected += std::string("\xff\xff\xff\xff", 4);
      } else {
        std::string encoded;
        const TargetColumn& target = plan.tables[0].columns[0];
        EXPECT_TRUE(EncodeBinaryField(target.kind, target.type.rfind("jsonb", 0) == 0, field, encoded)) << field;
        for (int shift = 24; shift >= 0; shift -= 8) expected += static_cast<char>((encoded.size() >> shift) & 0xFF);
        expected += encoded;
      }
      EXPECT_EQ(Hex(tuple), Hex(expected)) << "binary COPY of " << field;
    } else if (!ok && !binary_ok) {
      EXPECT_EQ(binary_rejection.reason, rejection.reason);
    }
    if (!stats.columns.empty() && !binary_stats.columns.empty()) {
      EXPECT_EQ(binary_stats.columns[0].counts, stats.columns[0].counts);
    }
  }
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
  SourceColumn column = Column("c", "datetime", "datetime(3)");
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

namespace my2pg {
namespace {

// Issue 9: no value changes silently, no single value fails a table. Each
// case runs through COPY text and binary COPY (ConvertOne).

TEST(RowConverterExact, FloatIsReadAsItsExactValue) {
  // FLOAT columns are selected as `col` * 1e0: the double of the stored float.
  SourceColumn f = Column("c", "float", "float");
  TableStats stats;
  EXPECT_EQ(ConvertOne(f, "1234567", 7, DefaultRules(), &stats), "1234567");
  EXPECT_EQ(stats.columns[0].total(), 0);
  EXPECT_EQ(ConvertOne(f, "16777215"), "16777215");
  EXPECT_EQ(ConvertOne(f, "0.12345670163631439"), "0.1234567");
  EXPECT_EQ(ConvertOne(f, "3.4028234663852886e38"), "3.4028235e+38");    // FLT_MAX
  EXPECT_EQ(ConvertOne(f, "1.1754943508222875e-38"), "1.1754944e-38");   // FLT_MIN
  EXPECT_EQ(ConvertOne(f, "1.401298464324817e-45"), "1e-45");            // the smallest denormal
  EXPECT_EQ(ConvertOne(f, "-0"), "-0");
  EXPECT_EQ(ConvertOne(f, "1.5x"), "REJECT: '1.5x' is not a FLOAT value");
  // A FLOAT retyped to double precision keeps every bit of the float.
  Rules to_double = LoadRulesText(R"j({"types": [{"match": {"data_type": "float"}, "type": "double precision"}]})j",
                                  "r.json");
  EXPECT_EQ(ConvertOne(f, "0.12345670163631439", 19, to_double), "0.12345670163631439");
}

TEST(RowConverterExact, DoublesPassExactly) {
  SourceColumn d = Column("c", "double", "double");
  EXPECT_EQ(ConvertOne(d, "1.7976931348623157e308"), "1.7976931348623157e308");
  EXPECT_EQ(ConvertOne(d, "5e-324"), "5e-324");
  EXPECT_EQ(ConvertOne(d, "0.30000000000000004"), "0.30000000000000004");
  EXPECT_EQ(ConvertOne(d, "-2.2250738585072014e-308"), "-2.2250738585072014e-308");
}

TEST(RowConverterExact, DoubleIntoRealIsCheckedAndCounted) {
  const char* to_real = R"j({"types": [{"match": {"data_type": "double"}, "type": "real"}]})j";
  SourceColumn d = Column("c", "double", "double");
  TableStats stats;
  EXPECT_EQ(ConvertWith(to_real, d, "1e300"), "REJECT: value '1e300' does not fit real");
  EXPECT_EQ(ConvertWith(to_real, d, "1e-50"), "REJECT: value '1e-50' does not fit real");
  EXPECT_EQ(ConvertWith(to_real, d, "0.5", &stats), "0.5");
  EXPECT_EQ(stats.columns[0].total(), 0);
  EXPECT_EQ(ConvertWith(to_real, d, "0.30000000000000004", &stats), "0.3");
  EXPECT_EQ(stats.columns[0][ChangeKind::kFloatRounded], 1);
}

TEST(RowConverterExact, NumericPrecisionAndScale) {
  const char* narrow = R"j({"types": [{"match": {"data_type": "decimal"}, "type": "numeric(6,2)"}]})j";
  SourceColumn money = Column("c", "decimal", "decimal(12,2)");
  TableStats stats;
  EXPECT_EQ(ConvertWith(narrow, money, "12345.67"), "REJECT: value '12345.67' does not fit numeric(6,2)");
  EXPECT_EQ(ConvertWith(narrow, money, "-9999.99", &stats), "-9999.99");
  EXPECT_EQ(stats.columns[0].total(), 0);
  const char* coarse = R"j({"types": [{"match": {"data_type": "decimal"}, "type": "numeric(6,1)"}]})j";
  EXPECT_EQ(ConvertWith(coarse, money, "1234.55", &stats), "1234.6");
  EXPECT_EQ(stats.columns[0][ChangeKind::kNumericRounded], 1);
  EXPECT_EQ(ConvertWith(coarse, money, "-0.05", &stats), "-0.1");  // half away from zero, as PostgreSQL
  const char* from_double = R"j({"types": [{"match": {"data_type": "double"}, "type": "numeric(12,4)"}]})j";
  SourceColumn d = Column("c", "double", "double");
  EXPECT_EQ(ConvertWith(from_double, d, "1.5e3"), "1500.0000");
  EXPECT_EQ(ConvertWith(from_double, d, "1e-7", &stats), "0.0000");
  EXPECT_EQ(stats.columns[0][ChangeKind::kNumericRounded], 1);
  EXPECT_EQ(ConvertWith(from_double, d, "1e300"), "REJECT: value '1e300' does not fit numeric(12,4)");
  const char* unconstrained = R"j({"types": [{"match": {"data_type": "double"}, "type": "numeric"}]})j";
  EXPECT_EQ(ConvertWith(unconstrained, d, "-1.25e-3"), "-0.00125");
  const char* to_int = R"j({"types": [{"match": {"data_type": "decimal"}, "type": "integer"}]})j";
  EXPECT_EQ(ConvertWith(to_int, money, "12.50", &stats), "13");
  EXPECT_EQ(stats.columns[0][ChangeKind::kNumericRounded], 1);
  EXPECT_EQ(ConvertWith(to_int, money, "3000000000.00"), "REJECT: value '3000000000.00' does not fit integer");
}

TEST(RowConverterExact, TextLengthInCharacters) {
  const char* narrow = R"j({"types": [{"match": {"data_type": "varchar"}, "type": "varchar(5)"}]})j";
  SourceColumn v = Column("c", "varchar", "varchar(50)");  // latin1
  EXPECT_EQ(ConvertWith(narrow, v, "abcdef"), "REJECT: value of 6 characters does not fit varchar(5)");
  EXPECT_EQ(ConvertWith(narrow, v, "h\xE9llo"), "h\xC3\xA9llo");  // 5 characters, 6 bytes
  EXPECT_EQ(ConvertWith(narrow, v, "a\tb\\c"), "a\\tb\\\\c");     // escapes are one character
  // One invalid byte escaped as \xNN text is 4 characters.
  SourceColumn utf8 = Column("c", "varchar", "varchar(50)");
  utf8.charset = "utf8mb4";
  const char* escape = R"j({"types": [{"match": {"data_type": "varchar"}, "type": "varchar(5)"}],
      "conversions": {"invalid_text": "escape"}})j";
  EXPECT_EQ(ConvertWith(escape, utf8, "ab\xFF"), "REJECT: value of 6 characters does not fit varchar(5)");
  EXPECT_EQ(ConvertWith(escape, utf8, "a\xFF"), "a\\\\xFF");
  // After cleanup steps.
  const char* cleaned = R"j({"types": [{"match": {"data_type": "varchar"}, "type": "char(3)"}],
      "tables": [{"match": "t", "columns": [{"match": "c", "cleanup": [{"replace": {"pattern": "-", "with": "--"}}]}]}]})j";
  EXPECT_EQ(ConvertWith(cleaned, v, "a-b"), "REJECT: value of 4 characters does not fit char(3)");
  EXPECT_EQ(ConvertWith(cleaned, v, "a-"), "a--");
}

TEST(RowConverterExact, JsonbRefusesWhatJsonAccepts) {
  SourceColumn json = Column("c", "json", "json");
  json.charset = "utf8mb4";
  EXPECT_EQ(ConvertWith("{}", json, R"j({"a": "x\u0000y"})j"),
            "REJECT: invalid JSON at offset 16: \\u0000 in a string, which jsonb cannot hold");
  EXPECT_EQ(ConvertWith("{}", json, R"j({"a\u0000": 1})j"),
            "REJECT: invalid JSON at offset 10: \\u0000 in a string, which jsonb cannot hold");
  EXPECT_EQ(ConvertWith("{}", json, R"j([1e-16384])j"),
            "REJECT: invalid JSON at offset 1: a number past the range of jsonb's numeric");
  EXPECT_EQ(ConvertWith("{}", json, R"j([1e-16383])j"), "[1e-16383]");
  // RapidJSON refuses numbers past a double's range, which jsonb would hold:
  // rejected, with the reason (docs/rules.md).
  EXPECT_EQ(ConvertWith("{}", json, R"j([1e400])j"), "REJECT: invalid JSON at offset 1: Number too big to be stored in double.");
  TableStats stats;
  EXPECT_EQ(ConvertWith(R"j({"conversions": {"invalid_json": "null"}})j", json, R"j(["\u0000"])j", &stats), "\\N");
  EXPECT_EQ(stats.columns[0][ChangeKind::kInvalidJsonNulled], 1);
  EXPECT_EQ(ConvertWith("{}", json, R"j({"a": 1.5e300, "b": "\u00e9"})j"), R"j({"a": 1.5e300, "b": "\\u00e9"})j");
  // json (not jsonb) holds \u0000.
  const char* plain = R"j({"types": [{"match": {"data_type": "json"}, "type": "json"}]})j";
  EXPECT_EQ(ConvertWith(plain, json, R"j({"a": "x\u0000y"})j"), R"j({"a": "x\\u0000y"})j");
}

TEST(RowConverterExact, SetMembersKeepBackslashesAndQuotes) {
  SourceColumn set = Column("c", "set", "set('x\\\\y','z','q\"t')");
  EXPECT_EQ(set.labels, (std::vector<std::string>{"x\\y", "z", "q\"t"}));
  EXPECT_EQ(ConvertOne(set, "x\\y,z"), "{\"x\\\\\\\\y\",\"z\"}");
  EXPECT_EQ(ConvertOne(set, "q\"t"), "{\"q\\\\\"t\"}");
}

TEST(RowConverterExact, NulCountedOncePerValueOnEveryPath) {
  for (const char* charset : {"utf8mb4", "latin1", "sjis", "utf16"}) {
    SourceColumn v = Column("c", "varchar", "varchar(50)");
    v.charset = charset;
    std::string value = std::string(charset) == "utf16" ? std::string("\0a\0\0\0b\0\0", 8) : std::string("a\0b\0\0", 5);
    TableStats stats;
    EXPECT_EQ(ConvertOne(v, value.data(), value.size(), DefaultRules(), &stats), "ab") << charset;
    EXPECT_EQ(stats.columns[0][ChangeKind::kNulStripped], 1) << charset;
  }
}

TEST(RowConverterExact, UtcPastYear9999AndBeforeYear1) {
  SourceColumn dt = Column("c", "datetime", "datetime");
  TableStats stats;
  EXPECT_EQ(ConvertWith(R"j({"conversions": {"timezone": "America/Montreal"}})j", dt, "9999-12-31 23:59:59", &stats),
            "10000-01-01 04:59:59+00");
  EXPECT_EQ(stats.columns[0][ChangeKind::kConvertedToUtc], 1);
  EXPECT_EQ(ConvertWith(R"j({"conversions": {"timezone": "Etc/GMT-9"}})j", dt, "0001-01-01 05:00:00"),
            "0001-12-31 20:00:00+00 BC");
  // In a timestamp (a rule's choice), the same instants without a zone.
  const char* naive = R"j({"conversions": {"timezone": "America/Montreal"},
      "types": [{"match": {"data_type": "datetime"}, "type": "timestamp(0)"}]})j";
  EXPECT_EQ(ConvertWith(naive, dt, "9999-12-31 23:59:59"), "10000-01-01 04:59:59");
}

TEST(RowConverterExact, SentinelsMeanTheSameInEveryColumn) {
  const char* epoch = R"j({"conversions": {"zero_date": "1970-01-01", "invalid_date": "1900-01-01 12:00:00"}})j";
  TableStats stats;
  EXPECT_EQ(ConvertWith(epoch, Column("c", "timestamp", "timestamp"), "0000-00-00 00:00:00", &stats),
            "1970-01-01 00:00:00+00");
  EXPECT_EQ(stats.columns[0][ChangeKind::kZeroDateSentinel], 1);
  EXPECT_EQ(ConvertWith(epoch, Column("c", "datetime", "datetime"), "0000-00-00 00:00:00"), "1970-01-01 00:00:00");
  EXPECT_EQ(ConvertWith(epoch, Column("c", "date", "date"), "0000-00-00"), "1970-01-01");
  EXPECT_EQ(ConvertWith(epoch, Column("c", "date", "date"), "2001-02-30"), "1900-01-01");  // its date part
  EXPECT_EQ(ConvertWith(epoch, Column("c", "datetime", "datetime"), "2001-02-30 10:00:00"), "1900-01-01 12:00:00");
  // A column with a time zone: the sentinel is a wall time there.
  const char* paris = R"j({"conversions": {"zero_date": "1970-01-01", "timezone": "Europe/Paris"}})j";
  EXPECT_EQ(ConvertWith(paris, Column("c", "datetime", "datetime"), "0000-00-00 00:00:00"),
            "1969-12-31 23:00:00+00");
}

TEST(RowConverterExact, ValuesPastPostgresLimitsAreRejected) {
  // bytea's COPY text doubles every byte: 540 MB cannot go as text.
  SchemaPlan plan = MapCatalog(TableOf({Column("c", "longblob", "longblob")}), DefaultRules());
  std::string big(540u << 20, 'x');
  SourceValue value{big.data(), big.size(), false};
  TableStats stats;
  RowRejection rejection;
  std::string out;
  RowConverter text(plan, plan.tables[0], /*allow_binary=*/false);
  EXPECT_FALSE(text.Convert(&value, out, stats, &rejection));
  EXPECT_EQ(rejection.reason, "bytea of 566231040 bytes exceeds PostgreSQL's 1 GB limit for a field in COPY text");
  EXPECT_TRUE(out.empty());
  RowConverter binary(plan, plan.tables[0], /*allow_binary=*/true);
  ASSERT_TRUE(binary.binary());
  EXPECT_TRUE(binary.Convert(&value, out, stats, &rejection));
  EXPECT_EQ(out.size(), big.size() + 6);
  big.assign(1u << 30, 'x');
  value = {big.data(), big.size(), false};
  out.clear();
  EXPECT_FALSE(binary.Convert(&value, out, stats, &rejection));
  EXPECT_EQ(rejection.reason, "value of 1073741824 bytes exceeds PostgreSQL's 1 GB limit for a field");
}

}  // namespace
}  // namespace my2pg

namespace my2pg {
namespace {

// Text a rule retypes to a number or a date: a value PostgreSQL would refuse
// rejects its row (issue 9), after the column's cleanup.
TEST(RowConverterExact, TextRetypedToNumbersAndDatesIsChecked) {
  const char* to_int = R"j({"tables": [{"match": "t", "columns": [{"match": "c", "type": "integer",
      "cleanup": [{"trim": true}, {"null_if": ["N/A"]}]}]}]})j";
  SourceColumn v = Column("c", "varchar", "varchar(50)");
  EXPECT_EQ(ConvertWith(to_int, v, " 42 "), "42");
  EXPECT_EQ(ConvertWith(to_int, v, "N/A"), "\\N");
  EXPECT_EQ(ConvertWith(to_int, v, "abc"), "REJECT: 'abc' is not a number");
  EXPECT_EQ(ConvertWith(to_int, v, "99999999999"), "REJECT: value '99999999999' does not fit integer");
  TableStats stats;
  EXPECT_EQ(ConvertWith(to_int, v, "2.5", &stats), "3");
  EXPECT_EQ(stats.columns[0][ChangeKind::kNumericRounded], 1);
  const char* to_numeric = R"j({"tables": [{"match": "t", "columns": [{"match": "c", "type": "numeric(5,1)"}]}]})j";
  EXPECT_EQ(ConvertWith(to_numeric, v, "1e2"), "100.0");
  const char* to_date = R"j({"tables": [{"match": "t", "columns": [{"match": "c", "type": "date"}]}]})j";
  EXPECT_EQ(ConvertWith(to_date, v, "2014-01-04"), "2014-01-04");
  EXPECT_EQ(ConvertWith(to_date, v, "04/01/2014"), "REJECT: not a date (YYYY-MM-DD): '04/01/2014'");
  EXPECT_EQ(ConvertWith(to_date, v, "2014-01-04x"), "REJECT: not a date (YYYY-MM-DD): '2014-01-04x'");
  EXPECT_EQ(ConvertWith(to_date, v, "2014-02-30"), "REJECT: invalid date '2014-02-30'");
  EXPECT_EQ(ConvertWith(to_date, v, "0000-00-00"), "\\N");
  const char* to_timestamp = R"j({"tables": [{"match": "t", "columns": [{"match": "c", "type": "timestamp(3)"}]}]})j";
  EXPECT_EQ(ConvertWith(to_timestamp, v, "2014-01-04 10:11:12.125"), "2014-01-04 10:11:12.125");
  EXPECT_EQ(ConvertWith(to_timestamp, v, "2014-01-04 25:00"),
            "REJECT: not a date or date-time (YYYY-MM-DD[ HH:MM:SS[.ffffff]]): '2014-01-04 25:00'");
  EXPECT_EQ(ConvertWith(to_timestamp, v, "2014-01-04 24:00:00"),
            "REJECT: not a date or date-time (YYYY-MM-DD[ HH:MM:SS[.ffffff]]): '2014-01-04 24:00:00'");
}

}  // namespace
}  // namespace my2pg

namespace my2pg {
namespace {

// A rule that narrows fractional seconds: PostgreSQL rounds them, and the
// change is counted.
TEST(RowConverterExact, FractionalSecondsPastTheTargetPrecisionAreCounted) {
  const char* narrow = R"j({"types": [{"match": {"data_type": "datetime"}, "type": "timestamp(0)"},
      {"match": {"data_type": "time"}, "type": "time(1)"}]})j";
  SourceColumn dt = Column("c", "datetime", "datetime(6)");
  TableStats stats;
  EXPECT_EQ(ConvertWith(narrow, dt, "2014-01-04 10:11:12.500000", &stats), "2014-01-04 10:11:12.500000");
  EXPECT_EQ(stats.columns[0][ChangeKind::kFractionRounded], 1);
  EXPECT_EQ(ConvertWith(narrow, dt, "2014-01-04 10:11:12.000000", &stats), "2014-01-04 10:11:12.000000");
  EXPECT_EQ(stats.columns[0].total(), 0);
  SourceColumn t = Column("c", "time", "time(3)");
  EXPECT_EQ(ConvertWith(narrow, t, "10:11:12.250", &stats), "10:11:12.250");
  EXPECT_EQ(stats.columns[0][ChangeKind::kFractionRounded], 1);
  EXPECT_EQ(ConvertWith(narrow, t, "10:11:12.200", &stats), "10:11:12.200");
  EXPECT_EQ(stats.columns[0].total(), 0);
  // The defaults keep the source's precision: nothing to count.
  EXPECT_EQ(ConvertWith("{}", dt, "2014-01-04 10:11:12.123456", &stats), "2014-01-04 10:11:12.123456");
  EXPECT_EQ(stats.columns[0].total(), 0);
}

}  // namespace
}  // namespace my2pg

namespace my2pg {
namespace {

// DATETIME a rule retypes to date: the same day in text and binary COPY, the
// time of day counted when there was one.
TEST(RowConverterExact, DatetimeRetypedToDateKeepsItsDay) {
  const char* to_date = R"j({"types": [{"match": {"data_type": "datetime"}, "type": "date"}]})j";
  SourceColumn dt = Column("c", "datetime", "datetime");
  TableStats stats;
  EXPECT_EQ(ConvertWith(to_date, dt, "2014-01-04 10:11:12", &stats), "2014-01-04");
  EXPECT_EQ(stats.columns[0][ChangeKind::kTimeDropped], 1);
  EXPECT_EQ(ConvertWith(to_date, dt, "2014-01-04 00:00:00", &stats), "2014-01-04");
  EXPECT_EQ(stats.columns[0].total(), 0);
}

}  // namespace
}  // namespace my2pg
