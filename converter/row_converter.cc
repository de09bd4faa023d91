#include "converter/row_converter.h"

#include <date/date.h>
#include <rapidjson/encodedstream.h>
#include <rapidjson/error/en.h>
#include <rapidjson/memorystream.h>
#include <rapidjson/reader.h>

#include <algorithm>
#include <cctype>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <sstream>

#include "common/error.h"
#include "common/strings.h"
#include "converter/binary_copy.h"
#include "converter/mojibake.h"
#include "converter/numeric_text.h"

namespace my2pg {
namespace {

using seconds_t = std::chrono::seconds;
constexpr char kNull[] = "\\N";

bool IsDigits(std::string_view text, size_t from, size_t count) {
  if (from + count > text.size()) return false;
  for (size_t i = from; i < from + count; ++i) {
    if (text[i] < '0' || text[i] > '9') return false;
  }
  return true;
}

int Number(std::string_view text, size_t from, size_t count) {
  int value = 0;
  for (size_t i = from; i < from + count; ++i) value = value * 10 + (text[i] - '0');
  return value;
}

struct IntegerRange {
  __int128 min, max;
};

// The values a MySQL integer column can hold.
IntegerRange SourceRange(const SourceColumn& column) {
  int bits = column.data_type == "tinyint" ? 8 : column.data_type == "smallint" ? 16
           : column.data_type == "mediumint" ? 24 : column.data_type == "bigint" ? 64 : 32;
  __int128 span = static_cast<__int128>(1) << bits;
  if (column.is_unsigned) return {0, span - 1};
  return {-span / 2, span / 2 - 1};
}

bool TargetRange(TargetKind kind, IntegerRange* range) {
  switch (kind) {
    case TargetKind::kSmallint: *range = {-32768, 32767}; return true;
    case TargetKind::kInteger: *range = {INT32_MIN, INT32_MAX}; return true;
    case TargetKind::kBigint: *range = {INT64_MIN, INT64_MAX}; return true;
    default: return false;
  }
}

// Parses a MySQL integer's text; false if it is not one.
bool ParseInteger(std::string_view text, __int128* value) {
  if (text.empty() || text.size() > 21) return false;
  bool negative = text[0] == '-';
  size_t i = negative ? 1 : 0;
  if (i == text.size()) return false;
  __int128 result = 0;
  for (; i < text.size(); ++i) {
    if (text[i] < '0' || text[i] > '9') return false;
    result = result * 10 + (text[i] - '0');
  }
  *value = negative ? -result : result;
  return true;
}

std::string Quoted(std::string_view text) {
  std::string out = "'";
  for (char c : text.substr(0, 64)) out += (static_cast<unsigned char>(c) < 0x20) ? '?' : c;
  return out + (text.size() > 64 ? "...'" : "'");
}

// A value that is neither true nor false, by the stray_boolean policy.
bool StrayBoolean(const ConversionPolicies& policies, std::string_view value, const char* expected, std::string& out,
                  ColumnChanges& changes, std::string* reason, const char* what) {
  if (policies.stray_boolean == Policy::kTrue) {
    out += 't';
    ++changes[ChangeKind::kStrayBooleanTrue];
  } else if (policies.stray_boolean == Policy::kNull) {
    out += kNull;
    ++changes[ChangeKind::kStrayBooleanNulled];
  } else {
    *reason = what + Quoted(value) + " (expected " + expected + ")";
    return false;
  }
  return true;
}

// "YYYY-MM-DD", and with "with_time" optionally " HH:MM:SS[.f{1,6}]": what a
// MySQL date prints, checked whole before text retyped to a date is used.
bool IsDateText(std::string_view text, bool with_time) {
  bool day = text.size() >= 10 && IsDigits(text, 0, 4) && text[4] == '-' && IsDigits(text, 5, 2) &&
             text[7] == '-' && IsDigits(text, 8, 2);
  if (!day || text.size() == 10) return day;
  if (!with_time || text.size() < 19 || text[10] != ' ' || !IsDigits(text, 11, 2) || text[13] != ':' ||
      !IsDigits(text, 14, 2) || text[16] != ':' || !IsDigits(text, 17, 2)) {
    return false;
  }
  if (Number(text, 11, 2) > 23 || Number(text, 14, 2) > 59 || Number(text, 17, 2) > 59) return false;
  if (text.size() == 19) return true;
  return text[19] == '.' && text.size() >= 21 && text.size() <= 26 && IsDigits(text, 20, text.size() - 20);
}

// True if "text" (a time or date-time) has nonzero fractional digits past
// "digits": PostgreSQL rounds them away.
bool DropsFraction(std::string_view text, int digits) {
  size_t point = text.find('.');
  if (point == std::string_view::npos) return false;
  for (size_t i = point + 1 + digits; i < text.size() && text[i] >= '0' && text[i] <= '9'; ++i) {
    if (text[i] != '0') return true;
  }
  return false;
}

// PostgreSQL refuses a field, or a COPY text line, of 1 GB or more.
constexpr size_t kMaxFieldBytes = (size_t{1} << 30) - 1;

// The numbers in a type's parentheses: "numeric(6,2)" -> {6, 2}.
std::vector<int> TypeModifiers(const std::string& type) {
  std::vector<int> modifiers;
  size_t open = type.find('(');
  if (open == std::string::npos) return modifiers;
  int value = -1;
  for (size_t i = open + 1; i < type.size() && type[i] != ')'; ++i) {
    if (type[i] >= '0' && type[i] <= '9') {
      value = (value < 0 ? 0 : value * 10) + (type[i] - '0');
    } else if (type[i] == ',') {
      modifiers.push_back(value);
      value = -1;
    }
  }
  if (value >= 0) modifiers.push_back(value);
  return modifiers;
}

// The length limit of varchar(n), character varying(n), char(n), character(n).
size_t CharacterLimit(const std::string& type) {
  std::string lower = AsciiLower(type);
  for (const char* prefix : {"varchar(", "character varying(", "char(", "character(", "bpchar("}) {
    if (lower.rfind(prefix, 0) == 0) {
      std::vector<int> modifiers = TypeModifiers(lower);
      return modifiers.size() == 1 && modifiers[0] > 0 ? static_cast<size_t>(modifiers[0]) : 0;
    }
  }
  return 0;
}

bool IsIntegerType(const std::string& type) {
  return type == "tinyint" || type == "smallint" || type == "mediumint" || type == "int" || type == "integer" ||
         type == "bigint";
}

// Characters in UTF-8 "text" (COPY-escaped when "escaped": "\\t" is one).
size_t CountCharacters(std::string_view text, bool escaped) {
  size_t count = 0;
  for (size_t i = 0; i < text.size(); ++i) {
    if (escaped && text[i] == '\\') {
      ++i;
      ++count;
    } else if ((static_cast<unsigned char>(text[i]) & 0xC0) != 0x80) {
      ++count;
    }
  }
  return count;
}

// Appends a UTC instant as PostgreSQL reads it: the year in as many digits as
// it needs (10000 after a shift to UTC), years before 1 as BC, "+00" for a
// timestamptz.
void AppendUtc(date::sys_seconds utc, std::string_view fraction, bool with_zone, std::string& out) {
  auto day = date::floor<date::days>(utc);
  date::year_month_day ymd{day};
  int64_t second_of_day = (utc - day).count();
  int year = static_cast<int>(ymd.year());
  bool before_christ = year <= 0;  // PostgreSQL has no year 0: 0 is 1 BC
  if (before_christ) year = 1 - year;
  // Digits by hand: this runs once per converted value (snprintf costs more).
  char buffer[32];
  int length = 0;
  auto put = [&buffer, &length](int64_t value, int digits) {
    char reversed[20];
    int count = 0;
    do {
      reversed[count++] = static_cast<char>('0' + value % 10);
      value /= 10;
    } while (value > 0 || count < digits);
    while (count > 0) buffer[length++] = reversed[--count];
  };
  put(year, 4);
  buffer[length++] = '-';
  put(static_cast<unsigned>(ymd.month()), 2);
  buffer[length++] = '-';
  put(static_cast<unsigned>(ymd.day()), 2);
  buffer[length++] = ' ';
  put(second_of_day / 3600, 2);
  buffer[length++] = ':';
  put(second_of_day / 60 % 60, 2);
  buffer[length++] = ':';
  put(second_of_day % 60, 2);
  out.append(buffer, length);
  out.append(fraction.data(), fraction.size());
  if (with_zone) out += "+00";
  if (before_christ) out += " BC";
}

// What a zero or invalid date becomes in a column of "kind", by "policy": ""
// for null and reject, else the COPY text. A sentinel date-time is a wall
// time: in "zone" when the column has one, else in UTC; a DATE column takes
// its date part.
std::string ResolveSentinel(Policy policy, const std::string& sentinel, TargetKind kind,
                            const date::time_zone* zone) {
  if (policy == Policy::kNull || policy == Policy::kReject) return "";
  if (policy == Policy::kNegativeInfinity) return "-infinity";
  std::string day = sentinel.substr(0, 10);
  std::string time = sentinel.size() > 10 ? sentinel.substr(11) : "00:00:00";
  if (kind == TargetKind::kDate) return day;
  if (kind == TargetKind::kTimestamp) return day + " " + time;
  if (kind != TargetKind::kTimestampTz) return sentinel;
  if (zone == nullptr) return day + " " + time + "+00";
  date::local_seconds local;
  std::istringstream in(day + " " + time);
  in >> date::parse("%F %T", local);
  std::string out;
  AppendUtc(zone->to_sys(local, date::choose::earliest), "", true, out);
  return out;
}

// Checks what jsonb refuses and RapidJSON accepts: \u0000 in a string or a
// key, and numbers past numeric's range.
struct JsonbGuard : rapidjson::BaseReaderHandler<rapidjson::UTF8<>, JsonbGuard> {
  const char* problem = nullptr;
  std::string number;
  bool String(const char* text, rapidjson::SizeType length, bool) {
    if (std::memchr(text, 0, length) == nullptr) return true;
    problem = "\\u0000 in a string, which jsonb cannot hold";
    return false;
  }
  bool Key(const char* text, rapidjson::SizeType length, bool copy) { return String(text, length, copy); }
  bool RawNumber(const char* text, rapidjson::SizeType length, bool) {
    number.clear();
    if (FitNumeric(std::string_view(text, length), 0, 0, number) != NumberFit::kOverflow) return true;
    problem = "a number past the range of jsonb's numeric";
    return false;
  }
};

}  // namespace

RowConverter::RowConverter(const SchemaPlan& plan, const TargetTable& table, bool allow_binary) {
  const SourceTable& source_table = plan.source_of(table);
  for (const TargetColumn& target : table.columns) {
    if (!target.from_source()) continue;  // a surrogate key: PostgreSQL fills it
    const SourceColumn& source = source_table.columns[target.source_index];
    columns_.push_back(CompileColumn(source, target, ChooseConversion(source, target)));
  }
  binary_ = allow_binary && ColumnsHaveBinaryForm();
  if (binary_) PrepareBinaryText(source_table);
}

// Which conversion a source type and a target type call for.
RowConverter::Conversion RowConverter::ChooseConversion(const SourceColumn& source, const TargetColumn& target) {
  const std::string& type = source.data_type;
  Conversion conversion = Conversion::kText;
  if (target.kind == TargetKind::kBoolean) {
    conversion = type == "bit" ? Conversion::kBitToBool : Conversion::kIntToBool;
  } else if (type == "bit") {
    conversion = Conversion::kBitString;
  } else if (type == "year") {
    conversion = Conversion::kYear;
  } else if (type == "date") {
    conversion = Conversion::kDate;
  } else if (type == "datetime") {
    conversion = Conversion::kDateTime;
  } else if (type == "timestamp") {
    // Read in a UTC session: the text is UTC; say so to a timestamptz.
    conversion = target.kind == TargetKind::kTimestampTz ? Conversion::kDateTimeUtc : Conversion::kDateTime;
  } else if (type == "time") {
    conversion = target.kind == TargetKind::kTime ? Conversion::kTime : Conversion::kPassThrough;
  } else if (IsIntegerType(type) || type == "decimal" || type == "numeric" || type == "float" ||
             type == "double" || type == "real" || type == "double precision") {
    conversion = NumberConversion(source, target);
  } else if (target.kind == TargetKind::kBytea) {
    conversion = Conversion::kBytea;
  } else if (type == "enum" && (target.kind == TargetKind::kEnum || target.kind == TargetKind::kText)) {
    conversion = Conversion::kEnum;
  } else if (target.kind == TargetKind::kTextArray && type == "set") {
    conversion = Conversion::kSetArray;
  } else if (target.kind == TargetKind::kJson) {
    conversion = Conversion::kJson;
  } else if (target.kind == TargetKind::kGeometry) {
    conversion = Conversion::kGeometry;
  }
  if (target.kind == TargetKind::kBoolean && conversion == Conversion::kIntToBool &&
      (type == "char" || type == "varchar" || type == "enum" || type == "tinytext" || type == "text")) {
    conversion = Conversion::kTextToBool;
  }
  // Text a rule retypes to a number or a date is checked here, so that a
  // value PostgreSQL would refuse rejects its row, not the table.
  bool text_source = type == "char" || type == "varchar" || type == "tinytext" || type == "text" ||
                     type == "mediumtext" || type == "longtext";
  if (text_source && conversion == Conversion::kText) {
    TargetKind kind = target.kind;
    if (IsIntegerKind(kind) || kind == TargetKind::kNumeric || kind == TargetKind::kReal ||
        kind == TargetKind::kDouble) {
      conversion = Conversion::kTextToNumber;
    } else if (kind == TargetKind::kDate || kind == TargetKind::kTimestamp || kind == TargetKind::kTimestampTz) {
      conversion = Conversion::kTextToDate;
    }
  }
  return conversion;
}

// A column's conversion with everything it needs decided once: encoders,
// zone, bounds, sentinels, labels.
RowConverter::Column RowConverter::CompileColumn(const SourceColumn& source, const TargetColumn& target,
                                                 Conversion conversion) {
  const std::string& type = source.data_type;
  Column column;
  column.conversion = conversion;
  column.target = &target;
  column.repair_mojibake = target.policies.mojibake == Policy::kRepair;
  if (!target.cleanup.empty()) column.cleanup = std::make_unique<TextCleanup>(target.cleanup);
  column.plain_text = (conversion == Conversion::kText && (column.repair_mojibake || column.cleanup)) ||
                      conversion == Conversion::kJson || conversion == Conversion::kTextToBool ||
                      conversion == Conversion::kTextToNumber || conversion == Conversion::kTextToDate;
  std::string charset = source.charset.empty() ? "utf8mb4" : source.charset;
  column.encoder = TextEncoder(charset, target.policies, /*copy_escape=*/!column.plain_text);
  if (conversion == Conversion::kDateTime && type == "datetime" && !target.policies.timezone.empty()) {
    column.zone = date::locate_zone(target.policies.timezone);
  }
  IntegerRange target_range;
  if (TargetRange(target.kind, &target_range)) {
    column.min = target_range.min;
    column.max = target_range.max;
  }
  if (type == "bit") column.bit_width = source.numeric_precision.value_or(1);
  if (target.kind == TargetKind::kNumeric) {
    std::vector<int> modifiers = TypeModifiers(target.type);
    column.precision = modifiers.empty() ? 0 : modifiers[0];
    column.scale = modifiers.size() > 1 ? modifiers[1] : 0;
  }
  if (target.kind == TargetKind::kText) column.max_characters = CharacterLimit(target.type);
  if (target.kind == TargetKind::kTime || target.kind == TargetKind::kTimestamp ||
      target.kind == TargetKind::kTimestampTz) {
    std::vector<int> modifiers = TypeModifiers(target.type);
    if (!modifiers.empty() && modifiers[0] < 6) column.fraction_digits = modifiers[0];
  }
  column.jsonb = target.kind == TargetKind::kJson && AsciiLower(target.type).rfind("jsonb", 0) == 0;
  column.zero_date =
      ResolveSentinel(target.policies.zero_date, target.policies.zero_date_sentinel, target.kind, column.zone);
  column.invalid_date =
      ResolveSentinel(target.policies.invalid_date, target.policies.invalid_date_sentinel, target.kind, column.zone);
  for (const auto& label : source.labels) {
    std::string escaped;
    TextEncoder::AppendCopyEscaped(label.data(), label.size(), escaped);
    column.labels.push_back(std::move(escaped));
  }
  return column;
}

// Binary COPY when every column has a binary form. A timestamptz must be a
// UTC instant ('+00'); a naive time would take the session's zone.
bool RowConverter::ColumnsHaveBinaryForm() const {
  if (columns_.empty()) return false;
  for (const Column& column : columns_) {
    TargetKind kind = column.target->kind;
    bool utc = column.conversion == Conversion::kDateTimeUtc || column.zone != nullptr;
    bool ok = (HasBinaryEncoding(kind) && (kind != TargetKind::kTimestampTz || utc)) ||
              kind == TargetKind::kText || kind == TargetKind::kEnum || kind == TargetKind::kJson ||
              kind == TargetKind::kBytea || kind == TargetKind::kGeometry;
    if (!ok) return false;
  }
  return true;
}

void RowConverter::PrepareBinaryText(const SourceTable& source_table) {
  for (Column& column : columns_) {
    // Decoded text is the binary form of text and enum columns only; text
    // a rule retypes (varchar to integer, to jsonb) is made as COPY text
    // first, then encoded for its type.
    bool text_is_binary = column.target->kind == TargetKind::kText || column.target->kind == TargetKind::kEnum;
    if (column.conversion == Conversion::kText && !column.plain_text && text_is_binary) {
      const SourceColumn& source = source_table.columns[column.target->source_index];
      column.raw_encoder = std::make_unique<TextEncoder>(source.charset.empty() ? "utf8mb4" : source.charset,
                                                         column.target->policies, /*copy_escape=*/false);
    }
  }
}

RowConverter::Conversion RowConverter::NumberConversion(const SourceColumn& source, const TargetColumn& target) {
  const std::string& type = source.data_type;
  const TargetKind kind = target.kind;
  const bool integer_source = IsIntegerType(type);
  const bool double_source = type == "double" || type == "real" || type == "double precision";
  if (type == "float") {
    // Read as the double of its exact value (the text protocol would print 6
    // digits): a double takes it as it is, anything else its shortest form.
    return kind == TargetKind::kDouble ? Conversion::kPassThrough : Conversion::kFloat;
  }
  if (IsIntegerKind(kind)) {
    if (!integer_source) return Conversion::kNumber;  // rounded to an integer, then checked
    IntegerRange source_range = SourceRange(source), target_range;
    TargetRange(kind, &target_range);
    bool fits = source_range.min >= target_range.min && source_range.max <= target_range.max;
    return fits ? Conversion::kPassThrough : Conversion::kIntegerInRange;
  }
  if (kind == TargetKind::kReal) return Conversion::kNumber;
  if (kind == TargetKind::kDouble) return double_source ? Conversion::kPassThrough : Conversion::kNumber;
  if (kind == TargetKind::kNumeric) {
    if (double_source) return Conversion::kNumber;  // exponents spelled out
    std::vector<int> modifiers = TypeModifiers(target.type);
    if (modifiers.empty()) return Conversion::kPassThrough;
    int precision = modifiers[0], scale = modifiers.size() > 1 ? modifiers[1] : 0;
    // A source that always fits goes straight through.
    int source_scale = integer_source ? 0 : source.numeric_scale.value_or(30);
    int source_integer_digits =
        integer_source ? 20 : source.numeric_precision.value_or(65) - source.numeric_scale.value_or(0);
    bool fits = source_scale <= scale && source_integer_digits <= precision - scale;
    return fits ? Conversion::kPassThrough : Conversion::kNumber;
  }
  return Conversion::kPassThrough;
}

std::string OrphanReason(const std::string& parent_description, const std::vector<std::string_view>& values) {
  if (values.size() == 1) return "orphan: no " + parent_description + " = " + Quoted(values[0]);
  std::string tuple;
  for (std::string_view value : values) tuple += (tuple.empty() ? "" : ", ") + Quoted(value);
  return "orphan: no " + parent_description + " = (" + tuple + ")";
}

bool RowConverter::IsOrphan(const Column& column, std::string_view field) const {
  if (column.parent_keys == nullptr || field == kNull) return false;
  return !column.parent_keys->Contains(field);
}

void RowConverter::CheckParentKeys(const std::string& column_name,
                                   std::shared_ptr<const ParentKeys> keys,
                                   Policy orphans, const std::string& parent_description) {
  for (Column& column : columns_) {
    if (column.target->name != column_name) continue;
    column.parent_keys = std::move(keys);
    column.orphans_to_null = orphans == Policy::kNull;
    column.parent_description = parent_description;
    return;
  }
}

bool RowConverter::Convert(const SourceValue* values, std::string& out, TableStats& stats,
                           RowRejection* rejection) {
  const size_t start = out.size();
  if (stats.columns.size() < columns_.size()) {
    stats.columns.resize(columns_.size());
    stats.column_names.clear();
    for (const auto& column : columns_) stats.column_names.push_back(column.target->name);
  }
  if (binary_) AppendInt16(out, static_cast<int16_t>(columns_.size()));
  for (size_t c = 0; c < columns_.size(); ++c) {
    Column& column = columns_[c];
    if (binary_ && column.parent_keys == nullptr && !values[c].is_null) {
      // The common cases go straight to binary: text decoded unescaped,
      // numbers from MySQL's own text.
      size_t length_at = out.size();
      bool direct = false;
      if (column.raw_encoder) {
        out.append(4, '\0');
        if (!column.raw_encoder->Append(values[c].data, values[c].size, out, stats.columns[c], &rejection->reason) ||
            !FieldFits(column, std::string_view(out).substr(length_at + 4), /*escaped=*/false, &rejection->reason)) {
          Reject(values, c, out, start, stats, rejection);
          return false;
        }
        direct = true;
      } else if (column.conversion == Conversion::kBytea) {
        if (!FieldFits(column, values[c].view(), /*escaped=*/false, &rejection->reason)) {
          Reject(values, c, out, start, stats, rejection);
          return false;
        }
        out.append(4, '\0');
        out.append(values[c].data, values[c].size);
        direct = true;
      } else if (column.conversion == Conversion::kPassThrough && HasBinaryEncoding(column.target->kind)) {
        out.append(4, '\0');
        if (!EncodeBinaryValue(column.target->kind, values[c].view(), out)) {
          rejection->reason = "cannot write " + Quoted(values[c].view()) + " as " + column.target->type;
          Reject(values, c, out, start, stats, rejection);
          return false;
        }
        direct = true;
      }
      if (direct) {
        PatchInt32(out, length_at, static_cast<int32_t>(out.size() - length_at - 4));
        continue;
      }
    }
    // Otherwise, in binary mode, the field is made as text first, then
    // encoded: the policies, checks and counts are the same in both formats.
    std::string& field = binary_ ? field_ : out;
    if (binary_) {
      field.clear();
    } else if (c > 0) {
      out += '\t';
    }
    const size_t field_start = field.size();
    if (!ConvertValue(column, values[c], field, stats.columns[c], &rejection->reason)) {
      Reject(values, c, out, start, stats, rejection);
      return false;
    }
    // A NULL, from the source or from a policy, cannot go into NOT NULL.
    if (!column.target->nullable && field.size() - field_start == 2 && field.compare(field_start, 2, kNull) == 0) {
      rejection->reason = values[c].is_null ? "NULL in a column that is NOT NULL in the target"
                                            : "the value would become NULL, but the target column is NOT NULL";
      Reject(values, c, out, start, stats, rejection);
      return false;
    }
    std::string_view made = std::string_view(field).substr(field_start);
    // Only a field longer than the limit can break it: most values skip the count.
    bool may_not_fit = (column.max_characters != 0 && made.size() > column.max_characters) ||
                       made.size() > kMaxFieldBytes;
    if (may_not_fit && made != kNull &&
        !FieldFits(column, made, /*escaped=*/true, &rejection->reason)) {
      Reject(values, c, out, start, stats, rejection);
      return false;
    }
    if (IsOrphan(column, std::string_view(field).substr(field_start))) {
      if (!column.orphans_to_null || !column.target->nullable) {
        rejection->reason =
            OrphanReason(column.parent_description, {std::string_view(field).substr(field_start)});
        Reject(values, c, out, start, stats, rejection);
        return false;
      }
      field.resize(field_start);
      field += kNull;
      ++stats.columns[c][ChangeKind::kOrphanNulled];
    }
    if (!binary_) continue;
    if (field == kNull) {
      AppendInt32(out, -1);
      continue;
    }
    size_t length_at = out.size();
    out.append(4, '\0');
    if (!AppendBinaryField(column, field, out, &rejection->reason)) {
      Reject(values, c, out, start, stats, rejection);
      return false;
    }
    PatchInt32(out, length_at, static_cast<int32_t>(out.size() - length_at - 4));
  }
  if (out.size() - start > kMaxFieldBytes) {
    // PostgreSQL reads a row (a COPY text line, a tuple) in one buffer.
    rejection->reason = "row of " + std::to_string(out.size() - start) + " bytes exceeds PostgreSQL's 1 GB limit";
    Reject(values, columns_.size() - 1, out, start, stats, rejection);
    return false;
  }
  if (!binary_) out += '\n';
  return true;
}

bool RowConverter::AppendBinaryField(const Column& column, std::string_view field, std::string& out,
                                     std::string* reason) {
  if (!EncodeBinaryField(column.target->kind, column.jsonb, field, out)) {
    *reason = "cannot write " + Quoted(field) + " as " + column.target->type;
    return false;
  }
  return true;
}

void RowConverter::Reject(const SourceValue* values, size_t column, std::string& out, size_t row_start,
                          TableStats& stats, RowRejection* rejection) {
  rejection->column = static_cast<int>(column);
  // A rejected row changes nothing: convert its columns again, up to the one
  // that failed, to learn what they counted, and take that back. Rejections
  // are rare; this keeps the accepted path free of bookkeeping.
  std::string ignored_reason;
  for (size_t c = 0; c <= column; ++c) {
    ColumnChanges counted;
    out.resize(row_start);
    ConvertValue(columns_[c], values[c], out, counted, &ignored_reason);
    if (c < column && IsOrphan(columns_[c], std::string_view(out).substr(row_start))) {
      ++counted[ChangeKind::kOrphanNulled];
    }
    for (size_t k = 0; k < counted.counts.size(); ++k) stats.columns[c].counts[k] -= counted.counts[k];
  }
  out.resize(row_start);
}

bool RowConverter::ConvertValue(Column& column, const SourceValue& value, std::string& out,
                                ColumnChanges& changes, std::string* reason) {
  if (value.is_null) {
    out += kNull;
    return true;
  }
  const std::string_view text = value.view();
  const ConversionPolicies& policies = column.target->policies;
  switch (column.conversion) {
    case Conversion::kPassThrough:
      out.append(text.data(), text.size());
      return true;

    case Conversion::kNumber:
      return ConvertNumber(column, text, out, changes, reason);

    case Conversion::kFloat:
      return ConvertFloat(column, text, out, changes, reason);

    case Conversion::kIntegerInRange: {
      __int128 number;
      if (!ParseInteger(text, &number) || number < column.min || number > column.max) {
        *reason = "value " + Quoted(text) + " does not fit " + column.target->type;
        return false;
      }
      out.append(text.data(), text.size());
      return true;
    }

    case Conversion::kIntToBool:
      if (text == "0") {
        out += 'f';
      } else if (text == "1") {
        out += 't';
      } else {
        return StrayBoolean(policies, text, "0 or 1", out, changes, reason, "boolean flag holds ");
      }
      return true;

    // BIT(n) arrives as the server sends it: big-endian bytes.
    case Conversion::kBitToBool: {
      bool set = false;
      for (char byte : text) set = set || byte != 0;
      out += set ? 't' : 'f';
      return true;
    }

    case Conversion::kBitString:
      for (int bit = column.bit_width - 1; bit >= 0; --bit) {
        size_t byte_from_end = bit / 8;
        unsigned char byte = byte_from_end < text.size() ? text[text.size() - 1 - byte_from_end] : 0;
        out += (byte >> (bit % 8)) & 1 ? '1' : '0';
      }
      return true;

    case Conversion::kYear:
      if (text == "0000" || text == "0") {
        if (policies.zero_year == Policy::kReject) {
          *reason = "zero year 0000";
          return false;
        }
        out += kNull;
        ++changes[ChangeKind::kZeroYearNulled];
        return true;
      }
      out.append(text.data(), text.size());
      return true;

    case Conversion::kDate:
      return ConvertDate(column, text, false, out, changes, reason);
    case Conversion::kDateTime:
    case Conversion::kDateTimeUtc:
      return ConvertDate(column, text, true, out, changes, reason);

    case Conversion::kTime:
      return ConvertTime(column, text, out, changes, reason);

    case Conversion::kText:
      if (column.plain_text) return ConvertPlainText(column, text, out, changes, reason);
      return column.encoder.Append(text.data(), text.size(), out, changes, reason);

    case Conversion::kJson:
      return ConvertPlainText(column, text, out, changes, reason);

    case Conversion::kTextToNumber:
    case Conversion::kTextToDate:
      return ConvertDecodedText(column, text, out, changes, reason);

    case Conversion::kTextToBool:
      return ConvertTextToBool(column, text, out, changes, reason);

    case Conversion::kBytea:
      return ConvertBytea(column, text, out, reason);

    case Conversion::kGeometry:
      return ConvertGeometry(column, text, out, reason);

    case Conversion::kEnum:
      return ConvertEnum(column, text, out, changes, reason);

    case Conversion::kSetArray:
      return ConvertSetArray(column, text, out, changes, reason);
  }
  return true;
}

// A FLOAT, read as the double of its exact value, written as the float's shortest text.
bool RowConverter::ConvertFloat(Column& column, std::string_view text, std::string& out, ColumnChanges& changes,
                                std::string* reason) {
  // The exact value as a float's shortest text: what MySQL stored.
  number_.clear();
  if (FitFloat(text, /*single=*/true, number_) == NumberFit::kInvalid) {
    *reason = Quoted(text) + " is not a FLOAT value";
    return false;
  }
  TargetKind kind = column.target->kind;
  if (kind == TargetKind::kNumeric || IsIntegerKind(kind)) {
    std::string shortest = number_;
    return ConvertNumber(column, shortest, out, changes, reason);
  }
  out += number_;
  return true;
}

// MySQL TIME into time: in range, or the time_out_of_range policy.
bool RowConverter::ConvertTime(Column& column, std::string_view text, std::string& out, ColumnChanges& changes,
                               std::string* reason) {
  // MySQL TIME spans -838:59:59 to 838:59:59; PostgreSQL time 00:00 to 24:00.
  size_t colon = text.find(':');
  bool in_range = !text.empty() && text[0] != '-' && colon != std::string_view::npos &&
                  colon <= 3 && IsDigits(text, 0, colon);
  if (in_range) {
    int hours = Number(text, 0, colon);
    in_range = hours < 24 || (hours == 24 && text.substr(colon).find_first_not_of(":0.") ==
                                                 std::string_view::npos);
  }
  if (in_range) {
    if (DropsFraction(text, column.fraction_digits)) ++changes[ChangeKind::kFractionRounded];
    out.append(text.data(), text.size());
    return true;
  }
  if (column.target->policies.time_out_of_range == Policy::kNull) {
    out += kNull;
    ++changes[ChangeKind::kTimeNulled];
    return true;
  }
  *reason = "time " + Quoted(text) + " is outside 00:00:00-24:00:00";
  return false;
}

// Text a rule retypes to a number or a date: decoded, cleaned, then checked.
bool RowConverter::ConvertDecodedText(Column& column, std::string_view text, std::string& out, ColumnChanges& changes,
                                      std::string* reason) {
  switch (DecodeText(column, text, changes, reason)) {
    case Decoded::kReject: return false;
    case Decoded::kNull: out += kNull; return true;
    case Decoded::kText: break;
  }
  if (column.conversion == Conversion::kTextToNumber) return ConvertNumber(column, scratch_, out, changes, reason);
  bool with_time = column.target->kind != TargetKind::kDate;
  if (!IsDateText(scratch_, with_time)) {
    *reason = "not a date" + std::string(with_time ? " or date-time" : "") + " (YYYY-MM-DD" +
              (with_time ? "[ HH:MM:SS[.ffffff]]" : "") + "): " + Quoted(scratch_);
    return false;
  }
  std::string date_text = scratch_;
  return ConvertDate(column, date_text, with_time, out, changes, reason);
}

// Y/N, oui/non, true/false... into boolean; anything else by the stray_boolean policy.
bool RowConverter::ConvertTextToBool(Column& column, std::string_view text, std::string& out, ColumnChanges& changes,
                                     std::string* reason) {
  scratch_.clear();
  if (!column.encoder.Append(text.data(), text.size(), scratch_, changes, reason)) return false;
  std::string lower;
  for (char c : scratch_) lower += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  static const char* const kTrue[] = {"1", "y", "yes", "t", "true", "o", "oui", "on"};
  static const char* const kFalse[] = {"0", "n", "no", "f", "false", "non", "off"};
  for (const char* word : kTrue) {
    if (lower == word) {
      out += 't';
      return true;
    }
  }
  for (const char* word : kFalse) {
    if (lower == word) {
      out += 'f';
      return true;
    }
  }
  return StrayBoolean(column.target->policies, scratch_, "Y/N, yes/no, true/false, 1/0, oui/non, on/off", out, changes, reason,
                      "boolean holds ");
}

// Bytes as COPY text of bytea's hex form.
bool RowConverter::ConvertBytea(const Column& column, std::string_view text, std::string& out, std::string* reason) {
  if (text.size() > (kMaxFieldBytes - 4) / 2) {  // its COPY text, \\x and two digits a byte, would not fit
    *reason = "bytea of " + std::to_string(text.size()) +
              " bytes exceeds PostgreSQL's 1 GB limit for a field in COPY text";
    return false;
  }
  static const char kHex[] = "0123456789abcdef";
  size_t at = out.size();
  out.resize(at + 3 + text.size() * 2);
  char* p = &out[at];
  *p++ = '\\';  // COPY text for the bytea hex form \x...
  *p++ = '\\';
  *p++ = 'x';
  for (unsigned char byte : text) {
    *p++ = kHex[byte >> 4];
    *p++ = kHex[byte & 15];
  }
  return true;
}

// MySQL's SRID + WKB into PostGIS hex EWKB.
bool RowConverter::ConvertGeometry(const Column& column, std::string_view text, std::string& out, std::string* reason) {
  // MySQL stores a 4-byte little-endian SRID, then WKB. PostGIS reads hex
  // EWKB: the WKB with the SRID flag in its type and the SRID after it.
  if (text.size() < 9 || (text[4] != 0 && text[4] != 1)) {
    *reason = "not a MySQL geometry value (" + std::to_string(text.size()) + " bytes)";
    return false;
  }
  static const char kHex[] = "0123456789ABCDEF";
  auto hex = [&out](unsigned char byte) {
    out += kHex[byte >> 4];
    out += kHex[byte & 15];
  };
  const bool little_endian = text[4] == 1;
  unsigned char type[4];
  std::memcpy(type, text.data() + 5, 4);
  type[little_endian ? 3 : 0] |= 0x20;  // wkbSRID flag 0x20000000
  unsigned char srid[4];
  for (int i = 0; i < 4; ++i) srid[i] = static_cast<unsigned char>(text[little_endian ? i : 3 - i]);
  hex(static_cast<unsigned char>(text[4]));
  for (unsigned char byte : type) hex(byte);
  for (unsigned char byte : srid) hex(byte);
  for (size_t i = 9; i < text.size(); ++i) hex(static_cast<unsigned char>(text[i]));
  return true;
}

// An ENUM label, checked against the labels.
bool RowConverter::ConvertEnum(Column& column, std::string_view text, std::string& out, ColumnChanges& changes,
                               std::string* reason) {
  scratch_.clear();
  if (!column.encoder.Append(text.data(), text.size(), scratch_, changes, reason)) return false;
  for (const auto& label : column.labels) {
    if (label == scratch_) {
      out += scratch_;
      return true;
    }
  }
  *reason = Quoted(scratch_) + " is not a label of " + column.target->type;
  return false;
}

// A SET value into a text[] literal, each member checked.
bool RowConverter::ConvertSetArray(Column& column, std::string_view text, std::string& out, ColumnChanges& changes,
                                   std::string* reason) {
  scratch_.clear();
  if (!column.encoder.Append(text.data(), text.size(), scratch_, changes, reason)) return false;
  out += '{';
  size_t begin = 0;
  bool first = true;
  while (!scratch_.empty() && begin <= scratch_.size()) {
    size_t comma = scratch_.find(',', begin);
    if (comma == std::string::npos) comma = scratch_.size();
    std::string_view member(scratch_.data() + begin, comma - begin);
    bool known = false;
    for (const auto& label : column.labels) known = known || label == member;
    if (!known) {
      *reason = Quoted(member) + " is not a member of the set";
      return false;
    }
    if (!first) out += ',';
    first = false;
    out += '"';
    for (size_t i = 0; i < member.size(); ++i) {
      // "member" is COPY text. Inside an array element a quote and a
      // backslash take a backslash; COPY then doubles each backslash.
      if (member[i] == '"') {
        out += "\\\\\"";
      } else if (member[i] == '\\' && i + 1 < member.size() && member[i + 1] == '\\') {
        out += "\\\\\\\\";
        ++i;
      } else {
        out += member[i];
      }
    }
    out += '"';
    begin = comma + 1;
  }
  out += '}';
  return true;
}

bool RowConverter::ConvertNumber(const Column& column, std::string_view text, std::string& out,
                                 ColumnChanges& changes, std::string* reason) {
  const TargetKind kind = column.target->kind;
  NumberFit fit;
  ChangeKind rounding = ChangeKind::kNumericRounded;
  if (kind == TargetKind::kNumeric) {
    fit = FitNumeric(text, column.precision, column.scale, out);
  } else if (kind == TargetKind::kReal || kind == TargetKind::kDouble) {
    fit = FitFloat(text, kind == TargetKind::kReal, out);
    rounding = ChangeKind::kFloatRounded;
  } else if (IsIntegerKind(kind)) {
    number_.clear();
    fit = FitNumeric(text, /*precision=*/1000, /*scale=*/0, number_);
    __int128 value;
    if (fit != NumberFit::kInvalid && fit != NumberFit::kOverflow &&
        (!ParseInteger(number_, &value) || value < column.min || value > column.max)) {
      fit = NumberFit::kOverflow;
    }
    if (fit == NumberFit::kExact || fit == NumberFit::kRounded) out += number_;
  } else {
    out.append(text.data(), text.size());
    return true;
  }
  switch (fit) {
    case NumberFit::kExact: return true;
    case NumberFit::kRounded: ++changes[rounding]; return true;
    case NumberFit::kOverflow: *reason = "value " + Quoted(text) + " does not fit " + column.target->type; return false;
    case NumberFit::kInvalid: *reason = Quoted(text) + " is not a number"; return false;
  }
  return false;
}

bool RowConverter::FieldFits(const Column& column, std::string_view field, bool escaped, std::string* reason) const {
  if (field.size() > kMaxFieldBytes) {
    *reason = "value of " + std::to_string(field.size()) + " bytes exceeds PostgreSQL's 1 GB limit for a field";
    return false;
  }
  if (column.max_characters != 0 && field.size() > column.max_characters) {
    size_t characters = CountCharacters(field, escaped);
    if (characters > column.max_characters) {
      *reason = "value of " + std::to_string(characters) + " characters does not fit " + column.target->type;
      return false;
    }
  }
  return true;
}

bool RowConverter::ConvertDate(Column& column, std::string_view text, bool with_time, std::string& out,
                               ColumnChanges& changes, std::string* reason) {
  const ConversionPolicies& policies = column.target->policies;
  bool shaped = IsDigits(text, 0, 4) && text.size() >= 10 && text[4] == '-' && IsDigits(text, 5, 2) &&
                text[7] == '-' && IsDigits(text, 8, 2);
  if (!shaped) {
    *reason = "not a date: " + Quoted(text);
    return false;
  }
  int year = Number(text, 0, 4), month = Number(text, 5, 2), day = Number(text, 8, 2);
  bool zero_time = text.size() <= 10 || text.substr(10).find_first_not_of(" :0.") == std::string_view::npos;
  if (year == 0 && month == 0 && day == 0 && zero_time) {
    Policy policy = policies.zero_date;
    if (policy == Policy::kReject) {
      *reason = "zero date " + Quoted(text);
      return false;
    }
    if (policy == Policy::kNull) {
      out += kNull;
      ++changes[ChangeKind::kZeroDateNulled];
    } else {
      out += column.zero_date;  // -infinity or the sentinel, resolved for this column
      ++changes[ChangeKind::kZeroDateSentinel];
    }
    return true;
  }
  // PostgreSQL has no year 0; MySQL's zero month or day and days past the
  // month's end (ALLOW_INVALID_DATES) are invalid too.
  date::year_month_day ymd{date::year{year}, date::month{static_cast<unsigned>(month)},
                           date::day{static_cast<unsigned>(day)}};
  if (year == 0 || !ymd.ok()) {
    Policy policy = policies.invalid_date;
    if (policy == Policy::kReject) {
      *reason = "invalid date " + Quoted(text);
      return false;
    }
    if (policy == Policy::kNull) {
      out += kNull;
      ++changes[ChangeKind::kInvalidDateNulled];
    } else {
      out += column.invalid_date;
      ++changes[ChangeKind::kInvalidDateSentinel];
    }
    return true;
  }
  if (column.target->kind == TargetKind::kDate) {
    // A date-time a rule retypes to date: its local day; the time is counted.
    if (!zero_time) ++changes[ChangeKind::kTimeDropped];
    out.append(text.data(), 10);
    return true;
  }
  if (with_time && DropsFraction(text, column.fraction_digits)) ++changes[ChangeKind::kFractionRounded];
  if (column.zone != nullptr) return ConvertToUtc(column, text, out, changes, reason);
  out.append(text.data(), text.size());
  if (with_time && column.conversion == Conversion::kDateTimeUtc) out += "+00";
  return true;
}

bool RowConverter::ConvertToUtc(Column& column, std::string_view text, std::string& out, ColumnChanges& changes,
                                std::string* reason) {
  // "YYYY-MM-DD[ HH:MM:SS[.ffffff]]", already checked to be a valid date.
  int hours = 0, minutes = 0, seconds = 0;
  std::string_view fraction;
  if (text.size() >= 19) {
    if (!IsDigits(text, 11, 2) || !IsDigits(text, 14, 2) || !IsDigits(text, 17, 2)) {
      *reason = "not a date-time: " + Quoted(text);
      return false;
    }
    hours = Number(text, 11, 2);
    minutes = Number(text, 14, 2);
    seconds = Number(text, 17, 2);
    fraction = text.substr(19);  // ".125" or ""
  }
  using namespace std::chrono;
  date::local_seconds local =
      date::local_days{date::year{Number(text, 0, 4)} / Number(text, 5, 2) / Number(text, 8, 2)} + hours * 1h +
      minutes * 1min + seconds * 1s;
  const ConversionPolicies& policies = column.target->policies;
  seconds_t offset;
  auto& stretches = column.stretches;
  auto after = std::upper_bound(stretches.begin(), stretches.end(), local,
                                [](date::local_seconds t, const Column::Stretch& s) { return t < s.begin; });
  if (after != stretches.begin() && local < std::prev(after)->end) {
    offset = std::prev(after)->offset;
    if (offset != seconds_t{0}) ++changes[ChangeKind::kConvertedToUtc];
  } else {
    date::local_info info = column.zone->get_info(local);
    offset = info.first.offset;
    if (info.result == date::local_info::unique) {
      // Remember the local stretch this offset covers, kept two days clear of
      // its transitions: local times near one may be ambiguous or missing
      // (a transition never moves clocks by more than a day).
      if (stretches.size() >= 4096) stretches.clear();
      constexpr auto kMargin = std::chrono::hours(48);
      Column::Stretch stretch{
          date::local_seconds{info.first.begin.time_since_epoch() + info.first.offset + kMargin},
          date::local_seconds{info.first.end.time_since_epoch() + info.first.offset - kMargin}, offset};
      auto at = std::upper_bound(stretches.begin(), stretches.end(), stretch.begin,
                                 [](date::local_seconds t, const Column::Stretch& s) { return t < s.begin; });
      if (stretch.begin < stretch.end) stretches.insert(at, stretch);
      if (offset != seconds_t{0}) ++changes[ChangeKind::kConvertedToUtc];
    } else if (info.result == date::local_info::nonexistent) {
      if (policies.dst_gap == Policy::kReject) {
        *reason = "local time " + Quoted(text) + " does not exist in " + policies.timezone + " (DST gap)";
        return false;
      }
      if (policies.dst_gap == Policy::kNull) {
        out += kNull;
        ++changes[ChangeKind::kDstGapNulled];
        return true;
      }
      // The offset before the gap: 02:30 in a 02:00-03:00 gap reads as 03:30.
      ++changes[ChangeKind::kDstGapShifted];
    } else {
      if (policies.dst_overlap == Policy::kReject) {
        *reason = "local time " + Quoted(text) + " occurs twice in " + policies.timezone + " (DST overlap)";
        return false;
      }
      if (policies.dst_overlap == Policy::kNull) {
        out += kNull;
        ++changes[ChangeKind::kDstOverlapNulled];
        return true;
      }
      if (policies.dst_overlap == Policy::kLater) offset = info.second.offset;
      ++changes[ChangeKind::kDstOverlapResolved];
    }
  }
  date::sys_seconds utc{local.time_since_epoch() - offset};
  AppendUtc(utc, fraction, column.target->kind == TargetKind::kTimestampTz, out);
  return true;
}

RowConverter::Decoded RowConverter::DecodeText(Column& column, std::string_view text, ColumnChanges& changes,
                                               std::string* reason) {
  scratch_.clear();
  if (!column.encoder.Append(text.data(), text.size(), scratch_, changes, reason)) return Decoded::kReject;
  if (column.repair_mojibake && RepairMojibake(scratch_, scratch2_)) ++changes[ChangeKind::kMojibakeRepaired];
  if (column.cleanup) {
    switch (column.cleanup->Apply(scratch_)) {
      case TextCleanup::Outcome::kUnchanged: break;
      case TextCleanup::Outcome::kChanged: ++changes[ChangeKind::kCleanedUp]; break;
      case TextCleanup::Outcome::kNull:
        ++changes[ChangeKind::kCleanupNulled];
        return Decoded::kNull;
    }
  }
  return Decoded::kText;
}

bool RowConverter::ConvertPlainText(Column& column, std::string_view text, std::string& out, ColumnChanges& changes,
                                    std::string* reason) {
  switch (DecodeText(column, text, changes, reason)) {
    case Decoded::kReject: return false;
    case Decoded::kNull: out += kNull; return true;
    case Decoded::kText: break;
  }
  if (column.conversion == Conversion::kJson) {
    rapidjson::MemoryStream memory(scratch_.data(), scratch_.size());
    rapidjson::EncodedInputStream<rapidjson::UTF8<>, rapidjson::MemoryStream> input(memory);
    rapidjson::Reader reader;
    rapidjson::ParseResult result;
    JsonbGuard guard;
    if (column.jsonb) {
      result = reader.Parse<rapidjson::kParseValidateEncodingFlag | rapidjson::kParseNumbersAsStringsFlag>(input,
                                                                                                        guard);
    } else {
      rapidjson::BaseReaderHandler<> ignore;
      result = reader.Parse<rapidjson::kParseValidateEncodingFlag | rapidjson::kParseFullPrecisionFlag>(input, ignore);
    }
    if (result.IsError()) {
      if (column.target->policies.invalid_json == Policy::kNull) {
        out += kNull;
        ++changes[ChangeKind::kInvalidJsonNulled];
        return true;
      }
      *reason = std::string("invalid JSON at offset ") + std::to_string(result.Offset()) + ": " +
                (guard.problem != nullptr ? guard.problem : rapidjson::GetParseError_En(result.Code()));
      return false;
    }
  }
  TextEncoder::AppendCopyEscaped(scratch_.data(), scratch_.size(), out);
  return true;
}

}  // namespace my2pg
