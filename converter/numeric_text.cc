#include "converter/numeric_text.h"

#include <charconv>
#include <cmath>
#include <cstdlib>
#include <cstring>

namespace my2pg {
namespace {

// PostgreSQL's numeric holds up to 131072 digits before the point and 16383
// after it.
constexpr int64_t kMaxIntegerDigits = 131072;
constexpr int64_t kMaxScale = 16383;

// A number as 0.<digits> x 10^point: no leading or trailing zeros in
// "digits"; zero has no digits.
struct Decimal {
  bool negative = false;
  std::string digits;
  int64_t point = 0;
  int64_t display_scale = 0;  // fraction digits as written ("12.50": 2; "1e-3": 3)
};

bool ParseDecimal(std::string_view text, Decimal* number) {
  size_t i = 0;
  if (i < text.size() && (text[i] == '-' || text[i] == '+')) number->negative = text[i++] == '-';
  std::string& digits = number->digits;
  digits.clear();
  int64_t integer_digits = 0, fraction_digits = 0;
  bool in_fraction = false;
  for (; i < text.size(); ++i) {
    char c = text[i];
    if (c == '.' && !in_fraction) {
      in_fraction = true;
    } else if (c >= '0' && c <= '9') {
      (in_fraction ? fraction_digits : integer_digits)++;
      digits += c;
    } else {
      break;
    }
  }
  if (digits.empty()) return false;
  int64_t exponent = 0;
  if (i < text.size() && (text[i] == 'e' || text[i] == 'E')) {
    ++i;
    bool negative = false;
    if (i < text.size() && (text[i] == '-' || text[i] == '+')) negative = text[i++] == '-';
    if (i == text.size()) return false;
    for (; i < text.size(); ++i) {
      if (text[i] < '0' || text[i] > '9') return false;
      if (exponent < 1000000000) exponent = exponent * 10 + (text[i] - '0');
    }
    if (negative) exponent = -exponent;
  }
  if (i != text.size()) return false;
  size_t leading = digits.find_first_not_of('0');
  if (leading == std::string::npos) {
    digits.clear();
    number->point = 0;
  } else {
    digits.erase(0, leading);
    while (digits.back() == '0') digits.pop_back();
    number->point = integer_digits - static_cast<int64_t>(leading) + exponent;
  }
  number->display_scale = fraction_digits - exponent > 0 ? fraction_digits - exponent : 0;
  return true;
}

// Drops the digits past "scale" fraction digits, rounding half away from
// zero; true if any nonzero digit was dropped.
bool RoundToScale(Decimal& number, int64_t scale) {
  int64_t keep = number.point + scale;
  std::string& digits = number.digits;
  if (keep >= static_cast<int64_t>(digits.size())) return false;
  bool round_up = keep >= 0 && digits[keep] >= '5';
  digits.resize(keep > 0 ? keep : 0);
  if (round_up) {
    size_t i = digits.size();
    while (i > 0 && digits[i - 1] == '9') digits[--i] = '0';
    if (i == 0) {
      digits.insert(digits.begin(), '1');
      ++number.point;
    } else {
      ++digits[i - 1];
    }
  }
  while (!digits.empty() && digits.back() == '0') digits.pop_back();
  if (digits.empty()) number.point = 0;
  return true;
}

void AppendPlain(const Decimal& number, int64_t scale, std::string& out) {
  const std::string& digits = number.digits;
  auto digit_at = [&](int64_t position) {  // position 0: the first digit after 0.
    return position >= 0 && position < static_cast<int64_t>(digits.size()) ? digits[position] : '0';
  };
  if (number.negative && !digits.empty()) out += '-';
  if (number.point <= 0) {
    out += '0';
  } else {
    for (int64_t i = 0; i < number.point; ++i) out += digit_at(i);
  }
  if (scale > 0) {
    out += '.';
    for (int64_t i = 0; i < scale; ++i) out += digit_at(number.point + i);
  }
}

}  // namespace

NumberFit FitNumeric(std::string_view text, int precision, int scale, std::string& out) {
  Decimal number;
  if (!ParseDecimal(text, &number)) return NumberFit::kInvalid;
  bool rounded = false;
  int64_t out_scale = number.display_scale;
  if (precision > 0) {
    rounded = RoundToScale(number, scale);
    out_scale = scale;
    if (!number.digits.empty() && number.point > precision - scale) return NumberFit::kOverflow;
  } else if (number.point > kMaxIntegerDigits || out_scale > kMaxScale) {
    return NumberFit::kOverflow;
  }
  AppendPlain(number, out_scale, out);
  return rounded ? NumberFit::kRounded : NumberFit::kExact;
}

NumberFit FitFloat(std::string_view text, bool single, std::string& out) {
  Decimal number;
  if (!ParseDecimal(text, &number)) return NumberFit::kInvalid;  // no "inf", "nan", hex
  // strtod needs a terminator: number texts fit on the stack, long DECIMALs go to the heap.
  char stack[64];
  std::string heap;
  const char* terminated = stack;
  if (text.size() < sizeof(stack)) {
    std::memcpy(stack, text.data(), text.size());
    stack[text.size()] = '\0';
  } else {
    heap.assign(text);
    terminated = heap.c_str();
  }
  double value = single ? std::strtof(terminated, nullptr) : std::strtod(terminated, nullptr);
  // Like float4in/float8in: infinity, or a nonzero that reads as zero, is out
  // of range. Denormals are kept.
  if (std::isinf(value) || (value == 0 && !number.digits.empty())) return NumberFit::kOverflow;
  char shortest[64];
  std::to_chars_result result = single ? std::to_chars(shortest, shortest + sizeof(shortest), static_cast<float>(value))
                                       : std::to_chars(shortest, shortest + sizeof(shortest), value);
  std::string_view written_text(shortest, result.ptr - shortest);
  Decimal written;
  ParseDecimal(written_text, &written);
  out.append(written_text);
  bool same = written.digits == number.digits && written.point == number.point;
  return same ? NumberFit::kExact : NumberFit::kRounded;
}

bool ParseInt64(std::string_view text, int64_t* value) {
  if (text.empty() || text.size() > 20) return false;
  bool negative = text[0] == '-';
  size_t i = negative || text[0] == '+' ? 1 : 0;
  if (i == text.size()) return false;
  uint64_t result = 0;
  for (; i < text.size(); ++i) {
    if (text[i] < '0' || text[i] > '9') return false;
    uint64_t next = result * 10 + static_cast<uint64_t>(text[i] - '0');
    if (next / 10 != result) return false;
    result = next;
  }
  if (result > (negative ? uint64_t{1} << 63 : (uint64_t{1} << 63) - 1)) return false;
  *value = negative ? static_cast<int64_t>(0 - result) : static_cast<int64_t>(result);
  return true;
}

}  // namespace my2pg
