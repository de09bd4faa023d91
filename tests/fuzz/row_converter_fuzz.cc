// Fuzzes the value conversions of the pipeline: converter/row_converter.h
// over a table of one to three columns whose source types, charsets, target
// types (as a rule would retype them), policies and cleanup steps the input
// chooses, then one row of values, in COPY text and in binary COPY. Asserts:
// - Convert either succeeds or rejects with a non-empty reason and a valid
//   column, leaving "out" as it was;
// - COPY text: one line, the fields separated by the only raw tabs, each
//   field \N or valid UTF-8 without NUL whose backslashes start \\, \t, \n
//   or \r;
// - binary COPY: the same outcome (and reason, and counted changes) as text;
//   the tuple is the column count, then per field a length (-1 for NULL)
//   and as many bytes, adding up to the tuple's size; each field is the
//   binary encoding of the text field (EncodeBinaryField).
#include <fuzzer/FuzzedDataProvider.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <memory>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include <re2/re2.h>

#include "common/error.h"
#include "converter/binary_copy.h"
#include "converter/row_converter.h"
#include "mapper/mapper.h"
#include "tests/fuzz/fuzz_util.h"

namespace my2pg {
namespace {

struct SourceType {
  const char* data_type;
  const char* column_type;
};

const SourceType kSourceTypes[] = {
    {"tinyint", "tinyint(1)"},       {"tinyint", "tinyint(4)"},        {"tinyint", "tinyint(3) unsigned"},
    {"smallint", "smallint(6)"},     {"mediumint", "mediumint(9)"},    {"int", "int(11)"},
    {"int", "int(10) unsigned"},     {"bigint", "bigint(20)"},         {"bigint", "bigint(20) unsigned"},
    {"decimal", "decimal(12,2)"},    {"decimal", "decimal(65,30)"},    {"float", "float"},
    {"double", "double"},            {"bit", "bit(1)"},                {"bit", "bit(12)"},
    {"year", "year(4)"},             {"date", "date"},                 {"datetime", "datetime"},
    {"datetime", "datetime(6)"},     {"timestamp", "timestamp"},       {"timestamp", "timestamp(3)"},
    {"time", "time"},                {"time", "time(6)"},              {"char", "char(3)"},
    {"varchar", "varchar(20)"},      {"tinytext", "tinytext"},         {"text", "text"},
    {"longtext", "longtext"},        {"blob", "blob"},                 {"binary", "binary(4)"},
    {"varbinary", "varbinary(16)"},  {"enum", "enum('a','b c','l''x','')"},
    {"set", "set('x','y','z')"},     {"json", "json"},                 {"geometry", "geometry"},
    {"point", "point"},
};

const char* const kCharsets[] = {"latin1", "utf8mb4", "utf8mb3", "cp1251", "gbk", "sjis", "ucs2", "utf16", "ascii", ""};

// Target types a rule may give any column.
const char* const kTargetTypes[] = {
    "boolean", "smallint", "integer", "bigint", "numeric", "numeric(5,2)", "numeric(3,0)", "numeric(20,10)",
    "real", "double precision", "text", "varchar(3)", "char(2)", "bytea", "date", "timestamp",
    "timestamptz", "time", "json", "jsonb", "text[]", "bit varying(12)", "interval", "uuid",
};

const char* const kTimezones[] = {"", "Europe/Paris", "America/Montreal", "UTC", "Asia/Kolkata"};

// Values worth trying whole in text-like columns, besides random bytes.
const char* const kValues[] = {
    "0", "1", "2", "-1", "127", "128", "255", "256", "-32769", "32768", "2147483648", "-9223372036854775809",
    "18446744073709551615", "-0.01", "99999.995", "1.5e300", "3.4028236e38", "1e-46", "0.1", "NaN",
    "0000-00-00", "0000-00-00 00:00:00", "2014-10-26 02:30:00", "2014-03-30 02:30:00", "1985-02-30",
    "9999-12-31 23:59:59.999999", "0001-01-01 00:00:00", "0000-01-01", "2000-02-29", "838:59:59", "-838:59:59",
    "24:00:00", "14:30:00.5", "1901", "0000", "2155", "a", "b c", "l'x", "x,y", "z,w", "",
    "{\"a\": [1, 2.5e400, \"\\u0000\"]}", "[]", "null", "Y", "N", "oui", "non", "true", "false",
    "Caf\xC3\x83\xC2\xA9", "\xFF\xFE", "a\tb\nc\\d\re",
    "a\0b",  // the last: three bytes, NUL inside
};

// A value as MySQL's text protocol sends it for a column of "source": numbers,
// dates and times are always well formed (zero and impossible dates
// included: sql_mode = ''), so only text-like columns get any bytes.
std::string MySqlValue(FuzzedDataProvider& input, const SourceColumn& source) {
  const std::string& type = source.data_type;
  auto digits = [&](int count) {
    std::string text;
    for (int i = 0; i < count; ++i) text += static_cast<char>('0' + input.ConsumeIntegralInRange(0, 9));
    return text;
  };
  auto two = [&](int max) {
    int value = input.ConsumeIntegralInRange(0, max);
    return std::string(value < 10 ? "0" : "") + std::to_string(value);
  };
  auto fraction = [&] {
    int precision = source.datetime_precision.value_or(0);
    return precision > 0 ? "." + digits(precision) : std::string();
  };
  if (type == "tinyint" || type == "smallint" || type == "mediumint" || type == "int" || type == "bigint") {
    int bits = type == "tinyint" ? 8 : type == "smallint" ? 16 : type == "mediumint" ? 24 : type == "int" ? 32 : 64;
    if (source.is_unsigned) {
      uint64_t max = bits == 64 ? UINT64_MAX : (uint64_t{1} << bits) - 1;
      return std::to_string(input.ConsumeIntegralInRange<uint64_t>(0, max));
    }
    int64_t max = bits == 64 ? INT64_MAX : (int64_t{1} << (bits - 1)) - 1;
    return std::to_string(input.ConsumeIntegralInRange<int64_t>(-max - 1, max));
  }
  if (type == "decimal") {
    int scale = source.numeric_scale.value_or(0);
    int integer_digits = input.ConsumeIntegralInRange(1, std::max(1, source.numeric_precision.value_or(10) - scale));
    std::string integer = digits(integer_digits);
    integer.erase(0, std::min(integer.find_first_not_of('0'), integer.size() - 1));
    return (input.ConsumeBool() ? "-" : "") + integer + (scale > 0 ? "." + digits(scale) : "");
  }
  if (type == "float" || type == "double") {  // the double of the stored value, shortest form
    double value = type == "float" ? static_cast<double>(input.ConsumeFloatingPoint<float>())
                                   : input.ConsumeFloatingPoint<double>();
    if (!std::isfinite(value)) value = 0;
    char text[64];
    return std::string(text, std::to_chars(text, text + sizeof(text), value).ptr);
  }
  if (type == "bit") return input.ConsumeBytesAsString((source.numeric_precision.value_or(1) + 7) / 8);
  if (type == "year") return input.ConsumeBool() ? "0000" : std::to_string(input.ConsumeIntegralInRange(1901, 2155));
  std::string date = digits(4) + "-" + two(12) + "-" + two(31);
  std::string time = two(23) + ":" + two(59) + ":" + two(59) + fraction();
  if (type == "date") return date;
  if (type == "datetime" || type == "timestamp") return date + " " + time;
  if (type == "time") {
    return (input.ConsumeBool() ? "-" : "") + two(838) + ":" + two(59) + ":" + two(59) + fraction();
  }
  if (input.ConsumeBool()) {  // a value worth trying whole
    size_t index = input.ConsumeIntegralInRange<size_t>(0, std::size(kValues) - 1);
    return index == std::size(kValues) - 1 ? std::string("a\0b", 3) : std::string(kValues[index]);
  }
  return input.ConsumeRandomLengthString(64);
}

std::vector<CleanupStep> FuzzCleanup(FuzzedDataProvider& input) {
  static const std::shared_ptr<const re2::RE2> kPattern = std::make_shared<re2::RE2>("\\s+|\\\\");
  std::vector<CleanupStep> steps;
  int count = input.ConsumeIntegralInRange(0, 3);
  for (int i = 0; i < count; ++i) {
    CleanupStep step;
    switch (input.ConsumeIntegralInRange(0, 7)) {
      case 0: step.kind = CleanupStep::Kind::kTrim; break;
      case 1: step.kind = CleanupStep::Kind::kUpper; break;
      case 2: step.kind = CleanupStep::Kind::kLower; break;
      case 3: step.kind = CleanupStep::Kind::kEmptyToNull; break;
      case 4: step.kind = CleanupStep::Kind::kNullIf; step.values = {"", "N/A"}; break;
      case 5: step.kind = CleanupStep::Kind::kNullIfMatch; step.pattern = kPattern; break;
      case 6: step.kind = CleanupStep::Kind::kReplace; step.pattern = kPattern; step.replacement = "\t\\0\n"; break;
      default: step.kind = CleanupStep::Kind::kMap; step.map = {{"a", "b\tc"}, {"1", ""}}; break;
    }
    steps.push_back(step);
  }
  return steps;
}

void FuzzPolicies(FuzzedDataProvider& input, ConversionPolicies& policies) {
  auto pick = [&](std::initializer_list<const char*> choices) {
    return std::string(*(choices.begin() + input.ConsumeIntegralInRange<size_t>(0, choices.size() - 1)));
  };
  // As a rules file sets them, parsed as the rules loader does.
  std::map<std::string, std::string> keys;
  keys["zero_date"] = pick({"null", "reject", "-infinity", "1970-01-01"});
  keys["invalid_date"] = pick({"reject", "null", "1970-01-01"});
  keys["invalid_text"] = pick({"replace", "escape", "reject"});
  keys["nul_bytes"] = pick({"strip", "reject"});
  keys["stray_boolean"] = pick({"true", "null", "reject"});
  keys["time_out_of_range"] = pick({"reject", "null"});
  keys["zero_year"] = pick({"null", "reject"});
  keys["mojibake"] = pick({"keep", "repair"});
  keys["invalid_json"] = pick({"reject", "null"});
  keys["timezone"] = kTimezones[input.ConsumeIntegralInRange<size_t>(0, std::size(kTimezones) - 1)];
  keys["dst_gap"] = pick({"shift", "null", "reject"});
  keys["dst_overlap"] = pick({"earlier", "later", "null", "reject"});
  ApplyConversions(keys, policies);
}

uint32_t ReadUint32(std::string_view bytes, size_t at) {
  return static_cast<uint32_t>(static_cast<unsigned char>(bytes[at])) << 24 |
         static_cast<uint32_t>(static_cast<unsigned char>(bytes[at + 1])) << 16 |
         static_cast<uint32_t>(static_cast<unsigned char>(bytes[at + 2])) << 8 |
         static_cast<uint32_t>(static_cast<unsigned char>(bytes[at + 3]));
}

}  // namespace
}  // namespace my2pg

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace my2pg;
  FuzzedDataProvider input(data, size);
  SourceCatalog catalog;
  catalog.database = "db";
  SourceTable source_table;
  source_table.name = "t";
  size_t column_count = input.ConsumeIntegralInRange<size_t>(1, 3);
  for (size_t c = 0; c < column_count; ++c) {
    const SourceType& type = kSourceTypes[input.ConsumeIntegralInRange<size_t>(0, std::size(kSourceTypes) - 1)];
    SourceColumn column;
    column.name = "c" + std::to_string(c);
    column.ordinal = static_cast<int>(c) + 1;
    column.data_type = type.data_type;
    column.column_type = type.column_type;
    column.nullable = input.ConsumeBool();
    column.is_unsigned = column.column_type.find("unsigned") != std::string::npos;
    if (column.data_type == "enum" || column.data_type == "set") column.labels = ParseEnumLabels(column.column_type);
    std::string_view modifiers(type.column_type);
    size_t open = modifiers.find('(');
    if (open != std::string_view::npos && column.data_type != "enum" && column.data_type != "set") {
      int first = std::atoi(type.column_type + open + 1);
      size_t comma = modifiers.find(',');
      if (column.data_type == "decimal") {
        column.numeric_precision = first;
        column.numeric_scale = std::atoi(type.column_type + comma + 1);
      } else if (column.data_type == "bit") {
        column.numeric_precision = first;
      } else if (column.data_type == "char" || column.data_type == "varchar" || column.data_type == "binary" ||
                 column.data_type == "varbinary") {
        column.char_max_length = first;
      } else if (column.data_type == "datetime" || column.data_type == "timestamp" || column.data_type == "time") {
        column.datetime_precision = first;
      }
    }
    if (column.data_type.find("text") != std::string::npos || column.data_type == "char" ||
        column.data_type == "varchar" || column.data_type == "enum" || column.data_type == "set") {
      column.charset = kCharsets[input.ConsumeIntegralInRange<size_t>(0, std::size(kCharsets) - 1)];
    }
    source_table.columns.push_back(column);
  }
  catalog.tables.push_back(source_table);
  SchemaPlan plan = MapCatalog(catalog, DefaultRules());
  TargetTable& table = plan.tables.at(0);
  FUZZ_CHECK(table.columns.size() == column_count, "a column is lost");
  for (TargetColumn& column : table.columns) {
    if (input.ConsumeBool()) {
      std::string type = kTargetTypes[input.ConsumeIntegralInRange<size_t>(0, std::size(kTargetTypes) - 1)];
      // Known gap, left to its own fix: a source retyped to a kind of another
      // family (a blob '' as timestamp, a double as date, a year as bytea)
      // goes to COPY text unchecked, while binary COPY rejects the row; so
      // does text retyped to time, interval or uuid. Text sources are
      // checked for numbers, booleans, dates and json; the others are
      // fuzzed within their family.
      const std::string& source_type = plan.source_of(table, column).data_type;
      TargetKind kind = TargetKindOf(type);
      auto family = [](TargetKind k) {
        switch (k) {
          case TargetKind::kBoolean: case TargetKind::kSmallint: case TargetKind::kInteger: case TargetKind::kBigint:
          case TargetKind::kNumeric: case TargetKind::kReal: case TargetKind::kDouble: return 1;
          case TargetKind::kDate: return 6;  // a datetime as date: binary rejects, text loads (reported)
          case TargetKind::kTimestamp: case TargetKind::kTimestampTz: return 2;
          case TargetKind::kTime: return 4;
          case TargetKind::kText: return 0;  // takes anything
          case TargetKind::kBytea: return 5;
          default: return 3;
        }
      };
      bool text_source = source_type == "char" || source_type == "varchar" || source_type.find("text") != std::string::npos;
      bool binary_source = source_type.find("blob") != std::string::npos || source_type.find("binary") != std::string::npos;
      bool text_checked = family(kind) != 4 && (family(kind) != 3 || kind == TargetKind::kJson);  // not time, uuid ...
      if ((text_source && text_checked) || family(kind) == 0 || (family(kind) == family(column.kind) && (family(kind) != 3 || kind == column.kind)) ||
          (kind == TargetKind::kBytea && binary_source)) {
        column.type = type;
        column.kind = kind;
      }
    }
    FuzzPolicies(input, column.policies);
    column.cleanup = FuzzCleanup(input);
  }

  std::vector<std::string> value_bytes(column_count);
  std::vector<SourceValue> values(column_count);
  for (size_t c = 0; c < column_count; ++c) {
    if (input.ConsumeBool()) continue;  // NULL
    value_bytes[c] = MySqlValue(input, plan.source_of(table, table.columns[c]));
    values[c] = SourceValue{value_bytes[c].data(), value_bytes[c].size(), false};
  }
  std::string what = "row:";
  for (size_t c = 0; c < column_count; ++c) {
    const SourceColumn& source = plan.source_of(table, table.columns[c]);
    what += " " + source.column_type + " " + source.charset + " -> " + table.columns[c].type + ": " +
            (values[c].is_null ? "NULL" : Printable(value_bytes[c]));
  }

  std::unique_ptr<RowConverter> text_converter, binary_converter;
  try {
    text_converter = std::make_unique<RowConverter>(plan, table, /*allow_binary=*/false);
    binary_converter = std::make_unique<RowConverter>(plan, table, /*allow_binary=*/true);
  } catch (const Error& e) {
    FUZZ_CHECK(e.category() == ErrorCategory::kRules && std::string(e.what()).size() > 0, e.what());
    return 0;
  }
  FUZZ_CHECK(!text_converter->binary(), what);

  const std::string kBefore = "before\n";
  std::string out = kBefore;
  TableStats stats;
  RowRejection rejection;
  bool ok = text_converter->Convert(values.data(), out, stats, &rejection);
  if (!ok) {
    FUZZ_CHECK(out == kBefore, what + " -> " + Printable(out));
    FUZZ_CHECK(!rejection.reason.empty(), what);
    FUZZ_CHECK(rejection.column >= 0 && rejection.column < static_cast<int>(column_count), what);
  }
  std::vector<std::string> fields;
  if (ok) {
    FUZZ_CHECK(out.rfind(kBefore, 0) == 0, what);
    std::string_view line = std::string_view(out).substr(kBefore.size());
    FUZZ_CHECK(!line.empty() && line.back() == '\n', what + " -> " + Printable(line));
    line.remove_suffix(1);
    size_t start = 0;
    while (true) {
      size_t tab = line.find('\t', start);
      fields.emplace_back(line.substr(start, tab == std::string_view::npos ? std::string_view::npos : tab - start));
      if (tab == std::string_view::npos) break;
      start = tab + 1;
    }
    FUZZ_CHECK(fields.size() == column_count, what + " -> " + Printable(line));
    for (const std::string& field : fields) {
      if (field == "\\N") continue;
      std::string plain;
      FUZZ_CHECK(UnescapeCopyField(field, &plain), what + " -> " + Printable(field));
      FUZZ_CHECK(IsValidUtf8(plain) && plain.find('\0') == std::string::npos, what + " -> " + Printable(field));
    }
  }

  if (!binary_converter->binary()) return 0;
  std::string tuple = kBefore;
  TableStats binary_stats;
  RowRejection binary_rejection;
  bool binary_ok = binary_converter->Convert(values.data(), tuple, binary_stats, &binary_rejection);
  FUZZ_CHECK(binary_ok == ok, what + ": text " + rejection.reason + ", binary " + binary_rejection.reason);
  for (size_t c = 0; c < column_count && c < stats.columns.size() && c < binary_stats.columns.size(); ++c) {
    FUZZ_CHECK(stats.columns[c].counts == binary_stats.columns[c].counts, what + ": changes counted differ");
  }
  if (!ok) {
    FUZZ_CHECK(tuple == kBefore, what);
    FUZZ_CHECK(binary_rejection.reason == rejection.reason && binary_rejection.column == rejection.column,
               what + ": text " + rejection.reason + ", binary " + binary_rejection.reason);
    return 0;
  }
  FUZZ_CHECK(tuple.rfind(kBefore, 0) == 0, what);
  std::string_view bytes = std::string_view(tuple).substr(kBefore.size());
  FUZZ_CHECK(bytes.size() >= 2 && static_cast<size_t>(static_cast<unsigned char>(bytes[0]) << 8 |
                                                       static_cast<unsigned char>(bytes[1])) == column_count,
             what + " -> " + Printable(bytes));
  size_t at = 2;
  for (size_t c = 0; c < column_count; ++c) {
    FUZZ_CHECK(at + 4 <= bytes.size(), what + " -> " + Printable(bytes));
    uint32_t length = ReadUint32(bytes, at);
    at += 4;
    if (length == 0xFFFFFFFF) {
      FUZZ_CHECK(fields[c] == "\\N", what + ": binary NULL, text " + Printable(fields[c]));
      continue;
    }
    FUZZ_CHECK(length <= bytes.size() - at, what + " -> " + Printable(bytes));
    std::string_view binary_field = bytes.substr(at, length);
    at += length;
    FUZZ_CHECK(fields[c] != "\\N", what + ": text NULL, binary " + Printable(binary_field));
    const TargetColumn& target = table.columns[c];
    std::string encoded;
    bool jsonb = target.kind == TargetKind::kJson && target.type.rfind("jsonb", 0) == 0;
    FUZZ_CHECK(EncodeBinaryField(target.kind, jsonb, fields[c], encoded),
               what + ": no binary form for " + Printable(fields[c]));
    FUZZ_CHECK(encoded == binary_field,
               what + ": binary " + Printable(binary_field) + ", text " + Printable(fields[c]));
  }
  FUZZ_CHECK(at == bytes.size(), what + ": tuple longer than its fields: " + Printable(bytes));
  return 0;
}
