#include "converter/binary_copy.h"

#include <date/date.h>

#include <cmath>
#include <cstdlib>
#include <cstring>
#include <limits>

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

bool ParseInt64(std::string_view text, int64_t* value) {
  if (text.empty() || text.size() > 20) return false;
  bool negative = text[0] == '-';
  size_t i = negative || text[0] == '+' ? 1 : 0;
  if (i == text.size()) return false;
  uint64_t result = 0;
  for (; i < text.size(); ++i) {
    if (text[i] < '0' || text[i] > '9') return false;
    uint64_t next = result * 10 + (text[i] - '0');
    if (next / 10 != result) return false;
    result = next;
  }
  if (result > (negative ? uint64_t{1} << 63 : (uint64_t{1} << 63) - 1)) return false;
  *value = negative ? static_cast<int64_t>(0 - result) : static_cast<int64_t>(result);
  return true;
}

// "YYYY-MM-DD" at the start of "text" -> days since 2000-01-01.
bool ParseDays(std::string_view text, int64_t* days) {
  int year, month, day;
  if (text.size() < 10 || text[4] != '-' || text[7] != '-' || !Digits(text, 0, 4, &year) ||
      !Digits(text, 5, 2, &month) || !Digits(text, 8, 2, &day)) {
    return false;
  }
  date::year_month_day ymd{date::year{year}, date::month{static_cast<unsigned>(month)},
                           date::day{static_cast<unsigned>(day)}};
  if (!ymd.ok()) return false;
  *days = (date::sys_days{ymd} - kPostgresEpoch).count();
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
  // Pad the integer part on the left and the fraction on the right to whole
  // groups of 4 decimal digits. MySQL's DECIMAL has at most 65 digits.
  char digits[160];
  size_t lead = (4 - integer.size() % 4) % 4;
  size_t tail = (4 - fraction.size() % 4) % 4;
  size_t total = lead + integer.size() + fraction.size() + tail;
  if (total > sizeof(digits)) return false;
  std::memset(digits, '0', lead);
  std::memcpy(digits + lead, integer.data(), integer.size());
  size_t integer_groups = (lead + integer.size()) / 4;
  std::memcpy(digits + lead + integer.size(), fraction.data(), fraction.size());
  std::memset(digits + lead + integer.size() + fraction.size(), '0', tail);
  int16_t groups[40];
  size_t group_count = total / 4;
  for (size_t g = 0; g < group_count; ++g) {
    const char* d = digits + 4 * g;
    groups[g] = static_cast<int16_t>((d[0] - '0') * 1000 + (d[1] - '0') * 100 + (d[2] - '0') * 10 + (d[3] - '0'));
  }
  int weight = static_cast<int>(integer_groups) - 1;
  size_t first = 0;
  while (first < group_count && groups[first] == 0) {
    ++first;
    --weight;
  }
  size_t last = group_count;
  while (last > first && groups[last - 1] == 0) --last;
  int16_t count = static_cast<int16_t>(last - first);
  if (count == 0) weight = 0;
  AppendInt16(out, count);
  AppendInt16(out, static_cast<int16_t>(weight));
  AppendInt16(out, static_cast<int16_t>(negative && count > 0 ? 0x4000 : 0x0000));
  AppendInt16(out, static_cast<int16_t>(fraction.size()));
  for (size_t i = first; i < last; ++i) AppendInt16(out, groups[i]);
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
    case TargetKind::kDate:
      if (text == "-infinity") {
        AppendInt32(out, std::numeric_limits<int32_t>::min());
        return true;
      }
      if (text.size() != 10 || !ParseDays(text, &number)) return false;
      AppendInt32(out, static_cast<int32_t>(number));
      return true;
    case TargetKind::kTimestamp:
    case TargetKind::kTimestampTz: {
      if (text == "-infinity") {
        AppendInt64(out, std::numeric_limits<int64_t>::min());
        return true;
      }
      if (kind == TargetKind::kTimestampTz) {
        // Only UTC instants: a naive time would depend on the session's zone.
        if (text.size() < 3 || text.substr(text.size() - 3) != "+00") return false;
        text.remove_suffix(3);
      }
      int64_t days, micros = 0;
      if (!ParseDays(text, &days)) return false;
      if (text.size() > 10) {
        if (text[10] != ' ' || !ParseTimeOfDay(text.substr(11), &micros)) return false;
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

}  // namespace my2pg
