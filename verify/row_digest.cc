#include "verify/row_digest.h"

#include <rapidjson/document.h>
#include <xxhash.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <map>

#include "common/error.h"
#include "common/strings.h"

namespace my2pg {
namespace {

void AppendTagged(char tag, std::string_view bytes, std::string& out) {
  char header[1 + sizeof(uint64_t)];
  header[0] = tag;
  uint64_t length = bytes.size();
  std::memcpy(header + 1, &length, sizeof(length));
  out.append(header, sizeof(header));
  out.append(bytes.data(), bytes.size());
}

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

void AppendInt(int64_t value, std::string& out) {
  char buffer[24];
  char* end = std::to_chars(buffer, buffer + sizeof(buffer), value).ptr;
  out.append(buffer, end - buffer);
}

// An exact decimal as "[-]DIGITSeEXPONENT" (value = 0.DIGITS x 10^EXPONENT,
// no leading or trailing zero digits), or false if "text" is not a number.

bool CanonicalDecimal(std::string_view text, std::string& out) {
  out.clear();
  size_t i = 0;
  bool negative = false;
  if (i < text.size() && (text[i] == '-' || text[i] == '+')) negative = text[i++] == '-';
  if (text.substr(i) == "NaN") {
    out = "NaN";
    return true;
  }
  if (text.substr(i) == "Infinity") {
    out = negative ? "-Infinity" : "Infinity";
    return true;
  }
  // The digits of the integer and fraction parts, read in place.
  size_t int_begin = i;
  while (i < text.size() && IsDigit(text[i])) ++i;
  std::string_view int_part = text.substr(int_begin, i - int_begin);
  std::string_view fraction;
  if (i < text.size() && text[i] == '.') {
    size_t fraction_begin = ++i;
    while (i < text.size() && IsDigit(text[i])) ++i;
    fraction = text.substr(fraction_begin, i - fraction_begin);
  }
  if (int_part.empty() && fraction.empty()) return false;
  int64_t exponent = static_cast<int64_t>(int_part.size());
  if (i < text.size() && (text[i] == 'e' || text[i] == 'E')) {
    ++i;
    bool minus = i < text.size() && text[i] == '-';
    if (i < text.size() && (text[i] == '-' || text[i] == '+')) ++i;
    if (i >= text.size()) return false;
    int64_t shift = 0;
    while (i < text.size() && IsDigit(text[i]) && shift < 100000000) shift = shift * 10 + (text[i++] - '0');
    exponent += minus ? -shift : shift;
  }
  if (i != text.size()) return false;
  // Leading zeros move the exponent; trailing zeros go.
  size_t lead = int_part.find_first_not_of('0');
  if (lead == std::string_view::npos) {
    lead = int_part.size();
    size_t fraction_lead = fraction.find_first_not_of('0');
    if (fraction_lead == std::string_view::npos) {
      out = "0";
      return true;
    }
    exponent -= static_cast<int64_t>(lead + fraction_lead);
    fraction.remove_prefix(fraction_lead);
    int_part = std::string_view();
  } else {
    exponent -= static_cast<int64_t>(lead);
    int_part.remove_prefix(lead);
  }
  if (negative) out += '-';
  if (fraction.find_first_not_of('0') == std::string_view::npos) {
    fraction = std::string_view();
    int_part = int_part.substr(0, int_part.find_last_not_of('0') + 1);
  } else {
    fraction = fraction.substr(0, fraction.find_last_not_of('0') + 1);
  }
  out.append(int_part.data(), int_part.size());
  out.append(fraction.data(), fraction.size());
  out += 'e';
  AppendInt(exponent, out);
  return true;
}

bool ParseInt(std::string_view text, size_t& i, size_t max_digits, int64_t& value) {
  size_t start = i;
  value = 0;
  while (i < text.size() && IsDigit(text[i]) && i - start < max_digits) value = value * 10 + (text[i++] - '0');
  return i > start;
}

// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's algorithm).
int64_t DaysFromCivil(int64_t year, int64_t month, int64_t day) {
  year -= month <= 2;
  int64_t era = (year >= 0 ? year : year - 399) / 400;
  int64_t year_of_era = year - era * 400;
  int64_t day_of_year = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1;
  int64_t day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
  return era * 146097 + day_of_era - 719468;
}

// "Y-MM-DD HH:MM:SS[.ffffff][+HH[:MM[:SS]]|Z][ BC]" as microseconds since
// 1970 UTC (the offset applied); "infinity" and "-infinity" as themselves.
bool CanonicalTimestamp(std::string_view text, std::string& out) {
  if (text == "infinity" || text == "-infinity") {
    out.assign(text.data(), text.size());
    return true;
  }
  bool before_christ = text.size() > 3 && text.substr(text.size() - 3) == " BC";
  if (before_christ) text.remove_suffix(3);
  size_t i = 0;
  int64_t year, month, day, hour = 0, minute = 0, second = 0, micros = 0;
  if (!ParseInt(text, i, 9, year) || i >= text.size() || text[i++] != '-') return false;
  if (!ParseInt(text, i, 2, month) || i >= text.size() || text[i++] != '-') return false;
  if (!ParseInt(text, i, 2, day)) return false;
  if (i < text.size() && (text[i] == ' ' || text[i] == 'T')) {
    ++i;
    if (!ParseInt(text, i, 2, hour) || i >= text.size() || text[i++] != ':') return false;
    if (!ParseInt(text, i, 2, minute) || i >= text.size() || text[i++] != ':') return false;
    if (!ParseInt(text, i, 2, second)) return false;
    if (i < text.size() && text[i] == '.') {
      ++i;
      int digits = 0;
      while (i < text.size() && IsDigit(text[i])) {
        if (digits++ < 6) micros = micros * 10 + (text[i] - '0');
        ++i;
      }
      for (; digits < 6; ++digits) micros *= 10;
    }
  }
  int64_t offset_seconds = 0;
  if (i < text.size() && text[i] == 'Z') {
    ++i;
  } else if (i < text.size() && (text[i] == '+' || text[i] == '-')) {
    int sign = text[i++] == '-' ? -1 : 1;
    int64_t part;
    if (!ParseInt(text, i, 2, part)) return false;
    offset_seconds = part * 3600;
    for (int64_t scale : {60, 1}) {
      if (i < text.size() && text[i] == ':') {
        ++i;
        if (!ParseInt(text, i, 2, part)) return false;
        offset_seconds += part * scale;
      }
    }
    offset_seconds *= sign;
  }
  if (i != text.size()) return false;
  if (before_christ) year = 1 - year;  // 1 BC is year 0
  int64_t seconds = DaysFromCivil(year, month, day) * 86400 + hour * 3600 + minute * 60 + second - offset_seconds;
  // The two numbers' bytes: formatting them as text cost a tenth of verify's
  // CPU (perf, big tenant).
  out.assign(reinterpret_cast<const char*>(&seconds), sizeof(seconds));
  out.append(reinterpret_cast<const char*>(&micros), sizeof(micros));
  return true;
}

// A time with its fraction's trailing zeros (and a bare dot) removed.
void CanonicalTime(std::string_view text, std::string& out) {
  out.assign(text.data(), text.size());
  size_t dot = out.find('.');
  if (dot == std::string::npos) return;
  size_t end = dot + 1;
  while (end < out.size() && IsDigit(out[end])) ++end;
  size_t last = end;
  while (last > dot + 1 && out[last - 1] == '0') --last;
  if (last == dot + 1) last = dot;
  out.erase(last, end - last);
}

void AppendCanonicalJson(const rapidjson::Value& value, std::string& out) {
  switch (value.GetType()) {
    case rapidjson::kNullType:
      out += 'n';
      return;
    case rapidjson::kFalseType:
      out += 'f';
      return;
    case rapidjson::kTrueType:
      out += 't';
      return;
    case rapidjson::kNumberType: {
      // jsonb keeps numbers as numeric: 1E2 prints as 100. Compared as the
      // number's value (integers exact, others as doubles).
      std::string text;
      if (value.IsInt64()) {
        text = std::to_string(value.GetInt64());
      } else if (value.IsUint64()) {
        text = std::to_string(value.GetUint64());
      } else {
        double number = value.GetDouble();
        char buffer[40];
        if (std::nearbyint(number) == number && std::fabs(number) < 9007199254740992.0) {
          std::snprintf(buffer, sizeof(buffer), "%.0f", number);
        } else {
          std::snprintf(buffer, sizeof(buffer), "%.17g", number);
        }
        text = buffer;
      }
      AppendTagged('#', text, out);
      return;
    }
    case rapidjson::kStringType:
      AppendTagged('s', std::string_view(value.GetString(), value.GetStringLength()), out);
      return;
    case rapidjson::kArrayType:
      out += '[';
      for (const auto& element : value.GetArray()) AppendCanonicalJson(element, out);
      out += ']';
      return;
    case rapidjson::kObjectType: {
      // jsonb keeps the last of duplicate keys and orders keys by length,
      // then bytes; any fixed order does here.
      std::map<std::string_view, const rapidjson::Value*> members;
      for (const auto& member : value.GetObject()) {
        members[std::string_view(member.name.GetString(), member.name.GetStringLength())] = &member.value;
      }
      out += '{';
      for (const auto& [name, member] : members) {
        AppendTagged('k', name, out);
        AppendCanonicalJson(*member, out);
      }
      out += '}';
      return;
    }
  }
}

// The elements of a one-dimensional array literal ("{a,"b c",NULL}").
bool CanonicalTextArray(std::string_view text, std::string& out) {
  if (text.size() < 2 || text.front() != '{' || text.back() != '}') return false;
  std::string_view body = text.substr(1, text.size() - 2);
  size_t i = 0;
  while (i < body.size()) {
    std::string element;
    bool quoted = false;
    while (i < body.size() && body[i] == ' ') ++i;
    if (i < body.size() && body[i] == '"') {
      quoted = true;
      ++i;
      while (i < body.size() && body[i] != '"') {
        if (body[i] == '\\' && i + 1 < body.size()) ++i;
        element += body[i++];
      }
      if (i >= body.size()) return false;
      ++i;
    } else {
      while (i < body.size() && body[i] != ',') {
        if (body[i] == '\\' && i + 1 < body.size()) ++i;
        element += body[i++];
      }
      while (!element.empty() && element.back() == ' ') element.pop_back();
    }
    if (!quoted && element == "NULL") {
      out += 'N';
    } else {
      AppendTagged('S', element, out);
    }
    while (i < body.size() && body[i] == ' ') ++i;
    if (i < body.size()) {
      if (body[i] != ',') return false;
      ++i;
    }
  }
  return true;
}

}  // namespace

ColumnCanon CanonFor(const TargetColumn& column) {
  switch (column.kind) {
    case TargetKind::kBoolean: return ColumnCanon::kBoolean;
    case TargetKind::kSmallint:
    case TargetKind::kInteger:
    case TargetKind::kBigint: return ColumnCanon::kInteger;
    case TargetKind::kNumeric: return ColumnCanon::kNumeric;
    case TargetKind::kReal: return ColumnCanon::kReal;
    case TargetKind::kDouble: return ColumnCanon::kDouble;
    case TargetKind::kTimestamp:
    case TargetKind::kTimestampTz: return ColumnCanon::kTimestamp;
    case TargetKind::kTime: return ColumnCanon::kTime;
    case TargetKind::kJson:
      return column.type.find("jsonb") != std::string::npos ? ColumnCanon::kJsonb : ColumnCanon::kText;
    case TargetKind::kBytea:
    case TargetKind::kGeometry: return ColumnCanon::kHex;
    case TargetKind::kTextArray: return ColumnCanon::kTextArray;
    case TargetKind::kText: {
      const std::string& type = column.type;
      bool bpchar = type.rfind("char(", 0) == 0 || type.rfind("character(", 0) == 0 || type == "char" ||
                    type == "character" || type.rfind("bpchar", 0) == 0;
      return bpchar ? ColumnCanon::kBpchar : ColumnCanon::kText;
    }
    default: return ColumnCanon::kText;
  }
}

void AppendCanonical(ColumnCanon canon, std::string_view field, std::string& out) {
  if (field == "\\N") {
    out += '0';
    return;
  }
  bool escaped = field.find('\\') != std::string_view::npos;
  // Fast paths, no copy: most fields are plain text or integers.
  if (!escaped && canon == ColumnCanon::kText) return AppendTagged('s', field, out);
  if (!escaped && canon == ColumnCanon::kBpchar) {
    size_t end = field.find_last_not_of(' ');
    return AppendTagged('s', field.substr(0, end == std::string_view::npos ? 0 : end + 1), out);
  }
  if (canon == ColumnCanon::kInteger && !field.empty()) {
    // An integer: its sign and digits without leading zeros ("-0" is 0).
    std::string_view digits = field;
    bool negative = digits[0] == '-';
    if (digits[0] == '-' || digits[0] == '+') digits.remove_prefix(1);
    bool all_digits = !digits.empty();
    for (char c : digits) all_digits = all_digits && IsDigit(c);
    if (all_digits) {
      size_t first = digits.find_first_not_of('0');
      digits = first == std::string_view::npos ? std::string_view("0") : digits.substr(first);
      if (negative && digits != "0") {
        out += 'i';
        uint64_t length = digits.size() + 1;
        out.append(reinterpret_cast<const char*>(&length), sizeof(length));
        out += '-';
        out.append(digits.data(), digits.size());
        return;
      }
      return AppendTagged('i', digits, out);
    }
  }
  // Reused per thread: no allocation per value once they have grown. Only
  // an escaped field is copied (unescaped); others are read in place.
  thread_local std::string unescaped;
  thread_local std::string canonical;
  std::string_view value = field;
  if (escaped) {
    UnescapeCopyField(field, unescaped);
    value = unescaped;
  }
  canonical.clear();
  switch (canon) {
    case ColumnCanon::kText:
      break;
    case ColumnCanon::kBpchar: {
      size_t end = value.find_last_not_of(' ');
      value = value.substr(0, end == std::string_view::npos ? 0 : end + 1);
      break;
    }
    case ColumnCanon::kBoolean:
      if (value == "t" || value == "true" || value == "1") return AppendTagged('b', "1", out);
      if (value == "f" || value == "false" || value == "0") return AppendTagged('b', "0", out);
      break;
    case ColumnCanon::kInteger:  // not plain digits: as a decimal, or as text
    case ColumnCanon::kNumeric:
      if (CanonicalDecimal(value, canonical)) return AppendTagged('n', canonical, out);
      break;
    case ColumnCanon::kReal:
    case ColumnCanon::kDouble: {
      // Compared by their bits; a real as the float it holds. from_chars
      // reads "Infinity", "-Infinity" and "NaN" too, without a terminator
      // or the locale (strtod needed both).
      // Out of range: as text.
      const char* end = value.data() + value.size();
      double number = 0;
      auto parsed = std::from_chars(value.data(), end, number);
      if (parsed.ec != std::errc() || parsed.ptr != end) break;
      if (std::isnan(number)) return AppendTagged('d', "NaN", out);
      if (canon == ColumnCanon::kReal) {
        float single = 0;
        if (std::from_chars(value.data(), end, single).ec != std::errc()) break;
        uint32_t bits;
        std::memcpy(&bits, &single, sizeof(bits));
        return AppendTagged('r', std::string_view(reinterpret_cast<const char*>(&bits), sizeof(bits)), out);
      }
      uint64_t bits;
      std::memcpy(&bits, &number, sizeof(bits));
      return AppendTagged('d', std::string_view(reinterpret_cast<const char*>(&bits), sizeof(bits)), out);
    }
    case ColumnCanon::kTimestamp:
      if (CanonicalTimestamp(value, canonical)) return AppendTagged('T', canonical, out);
      break;
    case ColumnCanon::kTime:
      CanonicalTime(value, canonical);
      return AppendTagged('t', canonical, out);
    case ColumnCanon::kJsonb: {
      rapidjson::Document document;
      document.Parse<rapidjson::kParseFullPrecisionFlag>(value.data(), value.size());
      if (document.HasParseError()) break;
      AppendCanonicalJson(document, canonical);
      return AppendTagged('j', canonical, out);
    }
    case ColumnCanon::kHex:
      for (char c : value) canonical += c >= 'A' && c <= 'Z' ? static_cast<char>(c + ('a' - 'A')) : c;
      return AppendTagged('h', canonical, out);
    case ColumnCanon::kTextArray:
      if (CanonicalTextArray(value, canonical)) return AppendTagged('a', canonical, out);
      break;
  }
  AppendTagged('s', value, out);
}

RowHasher::RowHasher(std::vector<ColumnCanon> columns, std::vector<int> key_columns,
                     std::vector<std::string> key_names)
    : columns_(std::move(columns)), key_columns_(std::move(key_columns)), key_names_(std::move(key_names)) {}

uint64_t RowHasher::Hash(std::string_view line) {
  buffer_.clear();
  key_.clear();
  size_t begin = 0;
  size_t key_index = 0;
  for (size_t column = 0; column < columns_.size(); ++column) {
    size_t tab = column + 1 < columns_.size() ? line.find('\t', begin) : line.size();
    if (tab == std::string_view::npos || (column + 1 == columns_.size() && line.find('\t', begin) != std::string_view::npos)) {
      throw Error(ErrorCategory::kInternal, "a COPY row with other than " + std::to_string(columns_.size()) +
                                                " fields: " + std::string(line.substr(0, 200)));
    }
    size_t before = buffer_.size();
    AppendCanonical(columns_[column], line.substr(begin, tab - begin), buffer_);
    if (key_index < key_columns_.size() && key_columns_[key_index] == static_cast<int>(column)) {
      key_.append(buffer_, before, buffer_.size() - before);
      ++key_index;
    }
    begin = tab + 1;
  }
  return XXH3_64bits(buffer_.data(), buffer_.size());
}

uint64_t RowHasher::KeyHash() const { return XXH3_64bits(key_.data(), key_.size()); }

std::string RowHasher::KeyText(std::string_view line) const {
  std::vector<std::string_view> fields = SplitCopyLine(line);
  std::string text;
  for (size_t k = 0; k < key_columns_.size(); ++k) {
    if (static_cast<size_t>(key_columns_[k]) >= fields.size()) break;
    std::string_view field = fields[key_columns_[k]];
    std::string value = field == "\\N" ? "NULL" : UnescapeCopyField(field);
    bool number = columns_[key_columns_[k]] == ColumnCanon::kInteger;
    text += (text.empty() ? "" : ", ") + (k < key_names_.size() ? key_names_[k] : "?") + " " +
            (number || field == "\\N" ? value : "'" + value + "'");
  }
  return text;
}

std::vector<RowDifference> CompareRows(std::vector<KeyedRow> source, std::vector<KeyedRow> target) {
  auto order = [](const KeyedRow& a, const KeyedRow& b) {
    return a.key != b.key ? a.key < b.key : a.hash < b.hash;
  };
  std::sort(source.begin(), source.end(), order);
  std::sort(target.begin(), target.end(), order);
  std::vector<RowDifference> differences;
  size_t s = 0, t = 0;
  while (s < source.size() || t < target.size()) {
    const std::string& key = t >= target.size() || (s < source.size() && source[s].key < target[t].key)
                                 ? source[s].key
                                 : target[t].key;
    size_t s_end = s, t_end = t;
    while (s_end < source.size() && source[s_end].key == key) ++s_end;
    while (t_end < target.size() && target[t_end].key == key) ++t_end;
    // Hashes on both sides cancel out; what remains differs.
    std::vector<const KeyedRow*> only_source, only_target;
    size_t i = s, j = t;
    while (i < s_end || j < t_end) {
      if (j >= t_end || (i < s_end && source[i].hash < target[j].hash)) {
        only_source.push_back(&source[i++]);
      } else if (i >= s_end || target[j].hash < source[i].hash) {
        only_target.push_back(&target[j++]);
      } else {
        ++i;
        ++j;
      }
    }
    size_t pairs = std::min(only_source.size(), only_target.size());
    for (size_t p = 0; p < pairs; ++p) {
      differences.push_back({RowDifference::Kind::kChanged, key, only_source[p]->line, only_target[p]->line});
    }
    for (size_t p = pairs; p < only_source.size(); ++p) {
      differences.push_back({RowDifference::Kind::kMissing, key, only_source[p]->line, ""});
    }
    for (size_t p = pairs; p < only_target.size(); ++p) {
      differences.push_back({RowDifference::Kind::kAdded, key, "", only_target[p]->line});
    }
    s = s_end;
    t = t_end;
  }
  return differences;
}

std::vector<KeyRange> KeyRanges(int64_t min, int64_t max, int64_t chunks) {
  std::vector<KeyRange> ranges;
  if (chunks < 1) chunks = 1;
  if (max < min) max = min;
  // The width in unsigned arithmetic: max - min may not fit an int64.
  uint64_t width = static_cast<uint64_t>(max) - static_cast<uint64_t>(min);
  uint64_t step = width / static_cast<uint64_t>(chunks) + 1;
  int64_t low = INT64_MIN;
  for (int64_t c = 0; c < chunks; ++c) {
    uint64_t end = static_cast<uint64_t>(min) + step * static_cast<uint64_t>(c + 1);  // exclusive
    bool last = c + 1 == chunks || step * static_cast<uint64_t>(c + 1) > width;
    int64_t high = last ? INT64_MAX : static_cast<int64_t>(end - 1);
    ranges.push_back({low, high});
    if (last) break;
    low = static_cast<int64_t>(end);
  }
  return ranges;
}

}  // namespace my2pg
