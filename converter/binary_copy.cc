#include "converter/binary_copy.h"

#include <date/date.h>

#include <cmath>
#include <cstdlib>
#include <cstring>
#include <limits>

#include "converter/numeric_text.h"

namespace my2pg {
namespace {

// PostgreSQL's epoch for dates and timestamps.
constexpr date::sys_days kPostgresEpoch = date::sys_days{date::year{2000} / 1 / 1};

bool Digits(std::string_view text, size_t from, size_t count, int* value) {
  if (from + count > text.size()) return false;
  int result = 0;
  for (size_t i = from; i < from + count; ++i) {
    if (text[i] < '0' || text[i] > '9') return false;
    result = result * 10 + (text[i] - '0');
  }
  *value = result;
  return true;
}

// "YYYY-MM-DD" at the start of "text" (the year in 4 digits or more; 1 BC
// is year 0 when "before_christ") -> days since 2000-01-01, and the length
// read.
bool ParseDays(std::string_view text, bool before_christ, int64_t* days, size_t* length) {
  size_t year_digits = 0;
  while (year_digits < text.size() && year_digits < 7 && text[year_digits] >= '0' && text[year_digits] <= '9') {
    ++year_digits;
  }
  int year, month, day;
  if (year_digits < 4 || text.size() < year_digits + 6 || text[year_digits] != '-' ||
      text[year_digits + 3] != '-' || !Digits(text, 0, year_digits, &year) ||
      !Digits(text, year_digits + 1, 2, &month) || !Digits(text, year_digits + 4, 2, &day)) {
    return false;
  }
  if (before_christ) {
    if (year == 0) return false;
    year = 1 - year;
  }
  date::year_month_day ymd{date::year{year}, date::month{static_cast<unsigned>(month)},
                           date::day{static_cast<unsigned>(day)}};
  if (!ymd.ok()) return false;
  *days = (date::sys_days{ymd} - kPostgresEpoch).count();
  *length = year_digits + 6;
  return true;
}

// Removes a trailing " BC"; true if there was one.
bool TakeEra(std::string_view& text) {
  if (text.size() < 3 || text.substr(text.size() - 3) != " BC") return false;
  text.remove_suffix(3);
  return true;
}

// "HH:MM:SS[.ffffff]" -> microseconds.
bool ParseTimeOfDay(std::string_view text, int64_t* micros) {
  int hours, minutes, seconds;
  if (text.size() < 8 || text[2] != ':' || text[5] != ':' || !Digits(text, 0, 2, &hours) ||
      !Digits(text, 3, 2, &minutes) || !Digits(text, 6, 2, &seconds)) {
    return false;
  }
  int64_t fraction = 0;
  size_t i = 8;
  if (i < text.size() && text[i] == '.') {
    int64_t scale = 100000;
    for (++i; i < text.size() && text[i] >= '0' && text[i] <= '9'; ++i, scale /= 10) {
      fraction += (text[i] - '0') * scale;
    }
  }
  if (i != text.size()) return false;
  *micros = ((hours * 60 + minutes) * 60 + seconds) * int64_t{1000000} + fraction;
  return true;
}

// PostgreSQL's numeric wire form: base-10000 digits with a weight, a sign
// and the display scale.
bool EncodeNumeric(std::string_view text, std::string& out) {
  bool negative = !text.empty() && text[0] == '-';
  if (negative || (!text.empty() && text[0] == '+')) text.remove_prefix(1);
  size_t point = text.find('.');
  std::string_view integer = text.substr(0, point);
  std::string_view fraction = point == std::string_view::npos ? std::string_view() : text.substr(point + 1);
  if (integer.empty() && fraction.empty()) return false;
  for (char c : integer) if (c < '0' || c > '9') return false;
  for (char c : fraction) if (c < '0' || c > '9') return false;
  // Base-10000 groups of the integer part padded on the left and the
  // fraction padded on the right to whole groups, read in place: a numeric
  // from a double can have hundreds of digits.
  const size_t lead = (4 - integer.size() % 4) % 4;
  const size_t total = lead + integer.size() + fraction.size() + (4 - fraction.size() % 4) % 4;
  auto digit = [&](size_t at) -> int {
    if (at < lead) return 0;
    at -= lead;
    if (at < integer.size()) return integer[at] - '0';
    at -= integer.size();
    return at < fraction.size() ? fraction[at] - '0' : 0;
  };
  auto group = [&](size_t g) {
    return static_cast<int16_t>(digit(4 * g) * 1000 + digit(4 * g + 1) * 100 + digit(4 * g + 2) * 10 + digit(4 * g + 3));
  };
  const size_t group_count = total / 4;
  if (group_count > 32767 || fraction.size() > 16383) return false;
  int weight = static_cast<int>((lead + integer.size()) / 4) - 1;
  size_t first = 0;
  while (first < group_count && group(first) == 0) {
    ++first;
    --weight;
  }
  size_t last = group_count;
  while (last > first && group(last - 1) == 0) --last;
  int16_t count = static_cast<int16_t>(last - first);
  if (count == 0) weight = 0;
  AppendInt16(out, count);
  AppendInt16(out, static_cast<int16_t>(weight));
  AppendInt16(out, static_cast<int16_t>(negative && count > 0 ? 0x4000 : 0x0000));
  AppendInt16(out, static_cast<int16_t>(fraction.size()));
  for (size_t i = first; i < last; ++i) AppendInt16(out, group(i));
  return true;
}

}  // namespace

void AppendBinaryHeader(std::string& out) {
  out.append("PGCOPY\n\377\r\n\0", 11);
  AppendInt32(out, 0);  // flags
  AppendInt32(out, 0);  // header extension length
}

void AppendBinaryTrailer(std::string& out) { AppendInt16(out, -1); }

bool HasBinaryEncoding(TargetKind kind) {
  switch (kind) {
    case TargetKind::kBoolean: case TargetKind::kSmallint: case TargetKind::kInteger: case TargetKind::kBigint:
    case TargetKind::kNumeric: case TargetKind::kReal: case TargetKind::kDouble: case TargetKind::kDate:
    case TargetKind::kTimestamp: case TargetKind::kTimestampTz: case TargetKind::kTime:
    case TargetKind::kBitString:
      return true;
    default:
      return false;
  }
}

bool EncodeBinaryValue(TargetKind kind, std::string_view text, std::string& out) {
  int64_t number;
  switch (kind) {
    case TargetKind::kBoolean:
      if (text != "t" && text != "f") return false;
      out += text == "t" ? '\1' : '\0';
      return true;
    case TargetKind::kSmallint:
      if (!ParseInt64(text, &number) || number < INT16_MIN || number > INT16_MAX) return false;
      AppendInt16(out, static_cast<int16_t>(number));
      return true;
    case TargetKind::kInteger:
      if (!ParseInt64(text, &number) || number < INT32_MIN || number > INT32_MAX) return false;
      AppendInt32(out, static_cast<int32_t>(number));
      return true;
    case TargetKind::kBigint:
      if (!ParseInt64(text, &number)) return false;
      AppendInt64(out, number);
      return true;
    case TargetKind::kNumeric:
      return EncodeNumeric(text, out);
    case TargetKind::kReal:
    case TargetKind::kDouble: {
      std::string copy(text);  // strtod needs a terminator
      char* end = nullptr;
      double value = std::strtod(copy.c_str(), &end);
      if (copy.empty() || *end != '\0') return false;
      if (kind == TargetKind::kReal) {
        float single = std::strtof(copy.c_str(), nullptr);  // rounds as float4in does
        uint32_t bits;
        std::memcpy(&bits, &single, 4);
        AppendInt32(out, static_cast<int32_t>(bits));
      } else {
        uint64_t bits;
        std::memcpy(&bits, &value, 8);
        AppendInt64(out, static_cast<int64_t>(bits));
      }
      return true;
    }
    case TargetKind::kDate: {
      if (text == "-infinity") {
        AppendInt32(out, std::numeric_limits<int32_t>::min());
        return true;
      }
      bool before_christ = TakeEra(text);
      size_t length;
      if (!ParseDays(text, before_christ, &number, &length) || length != text.size()) return false;
      AppendInt32(out, static_cast<int32_t>(number));
      return true;
    }
    case TargetKind::kTimestamp:
    case TargetKind::kTimestampTz: {
      if (text == "-infinity") {
        AppendInt64(out, std::numeric_limits<int64_t>::min());
        return true;
      }
      bool before_christ = TakeEra(text);
      if (kind == TargetKind::kTimestampTz) {
        // Only UTC instants: a naive time would depend on the session's zone.
        if (text.size() < 3 || text.substr(text.size() - 3) != "+00") return false;
        text.remove_suffix(3);
      }
      int64_t days, micros = 0;
      size_t length;
      if (!ParseDays(text, before_christ, &days, &length)) return false;
      if (text.size() > length) {
        if (text[length] != ' ' || !ParseTimeOfDay(text.substr(length + 1), &micros)) return false;
      }
      AppendInt64(out, days * 86400 * int64_t{1000000} + micros);
      return true;
    }
    case TargetKind::kTime:
      if (!ParseTimeOfDay(text, &number)) return false;
      AppendInt64(out, number);
      return true;
    case TargetKind::kBitString: {
      AppendInt32(out, static_cast<int32_t>(text.size()));
      unsigned char byte = 0;
      for (size_t i = 0; i < text.size(); ++i) {
        if (text[i] != '0' && text[i] != '1') return false;
        byte = static_cast<unsigned char>(byte | ((text[i] - '0') << (7 - i % 8)));
        if (i % 8 == 7 || i + 1 == text.size()) {
          out += static_cast<char>(byte);
          byte = 0;
        }
      }
      return true;
    }
    default:
      return false;
  }
}

bool EncodeBinaryField(TargetKind kind, bool jsonb, std::string_view field, std::string& out) {
  auto hex_value = [](char c) { return c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10; };
  if (kind == TargetKind::kBytea || kind == TargetKind::kGeometry) {
    // bytea's COPY text is \\x<hex>; geometry's, hex EWKB. Anything else
    // (a date a rule retyped to bytea) is refused, never read past its end.
    if (kind == TargetKind::kBytea) {
      if (field.substr(0, 3) != "\\\\x") return false;
      field.remove_prefix(3);
    }
    if (field.size() % 2 != 0 || field.find_first_not_of("0123456789abcdefABCDEF") != std::string_view::npos) {
      return false;
    }
    for (size_t i = 0; i + 1 < field.size(); i += 2) {
      out += static_cast<char>(hex_value(field[i]) * 16 + hex_value(field[i + 1]));
    }
    return true;
  }
  if (kind == TargetKind::kText || kind == TargetKind::kEnum || kind == TargetKind::kJson) {
    if (jsonb) out += '\1';  // jsonb's format version
    // Undo COPY's escapes: the value itself.
    for (size_t i = 0; i < field.size(); ++i) {
      char c = field[i];
      if (c == '\\' && i + 1 < field.size()) {
        char next = field[++i];
        c = next == 't' ? '\t' : next == 'n' ? '\n' : next == 'r' ? '\r' : next;
      }
      out += c;
    }
    return true;
  }
  return EncodeBinaryValue(kind, field, out);
}

}  // namespace my2pg
