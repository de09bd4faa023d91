// Fuzzes the number fitting of converter/numeric_text.h. The input is a
// precision and scale (two bytes), a float flag, then the number's text.
// Asserts, for FitNumeric:
// - on success the output is plain numeric text PostgreSQL reads as
//   numeric(p,s) unchanged: -?(0|[1-9][0-9]*) with exactly "scale" fraction
//   digits and at most p - s integer digits, and fitting it again gives
//   kExact and the same text;
// - for decimals of up to 36 digits, the outcome and the text equal those of
//   a reference in 128-bit integers (rounded half away from zero, overflow
//   checked after rounding, as PostgreSQL does);
// - unconstrained numeric (precision 0) keeps the value: fitting the output
//   again gives the same text, kExact;
// and for FitFloat: the output reads back (strtod/strtof) to the same value,
// in a form float4in/float8in accept, and kOverflow exactly when the value is
// infinite or a nonzero read as zero.
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "converter/numeric_text.h"
#include "tests/fuzz/fuzz_util.h"

namespace my2pg {
namespace {

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

// -?(0|[1-9][0-9]*)(\.[0-9]{scale})? with the point present iff scale > 0;
// "integer_digits" gets the count before the point (0 for "0").
bool IsPlainNumeric(std::string_view text, int scale, int* integer_digits) {
  size_t i = text.size() > 0 && text[0] == '-' ? 1 : 0;
  size_t start = i;
  while (i < text.size() && IsDigit(text[i])) ++i;
  size_t length = i - start;
  if (length == 0 || (length > 1 && text[start] == '0')) return false;
  *integer_digits = text[start] == '0' ? 0 : static_cast<int>(length);
  if (scale == 0) return i == text.size();
  if (i >= text.size() || text[i] != '.') return false;
  ++i;
  size_t fraction_start = i;
  while (i < text.size() && IsDigit(text[i])) ++i;
  return i == text.size() && static_cast<int>(i - fraction_start) == scale;
}

std::string ToString(unsigned __int128 value) {
  std::string digits;
  do {
    digits.insert(digits.begin(), static_cast<char>('0' + static_cast<int>(value % 10)));
    value /= 10;
  } while (value != 0);
  return digits;
}

unsigned __int128 Pow10(int exponent) {
  unsigned __int128 value = 1;
  while (exponent-- > 0) value *= 10;
  return value;
}

// The reference for a decimal without exponent of at most 36 digits: false
// if "text" is not such a decimal or the scaled value would not fit 128 bits.
bool ReferenceFit(std::string_view text, int precision, int scale, NumberFit* fit, std::string* out) {
  size_t i = 0;
  bool negative = false;
  if (i < text.size() && (text[i] == '-' || text[i] == '+')) negative = text[i++] == '-';
  unsigned __int128 value = 0;
  int digits = 0, fraction_digits = 0;
  bool in_fraction = false;
  for (; i < text.size(); ++i) {
    if (text[i] == '.' && !in_fraction) {
      in_fraction = true;
    } else if (IsDigit(text[i])) {
      if (++digits > 36) return false;
      value = value * 10 + (text[i] - '0');
      if (in_fraction) ++fraction_digits;
    } else {
      return false;
    }
  }
  if (digits == 0 || precision > 38) return false;
  bool rounded = false;
  if (fraction_digits <= scale) {
    if (digits + scale - fraction_digits > 38) return false;
    value *= Pow10(scale - fraction_digits);
  } else {
    unsigned __int128 divisor = Pow10(fraction_digits - scale);
    unsigned __int128 remainder = value % divisor;
    value /= divisor;
    rounded = remainder != 0;
    if (remainder * 2 >= divisor) ++value;  // half away from zero, on the magnitude
  }
  if (value >= Pow10(precision)) {
    *fit = NumberFit::kOverflow;
    return true;
  }
  std::string magnitude = ToString(value);
  if (static_cast<int>(magnitude.size()) <= scale) magnitude.insert(0, scale + 1 - magnitude.size(), '0');
  out->clear();
  if (negative && value != 0) *out += '-';
  *out += magnitude.substr(0, magnitude.size() - scale);
  if (scale > 0) *out += "." + magnitude.substr(magnitude.size() - scale);
  *fit = rounded ? NumberFit::kRounded : NumberFit::kExact;
  return true;
}

void CheckNumeric(std::string_view text, int precision, int scale) {
  std::string out = "prefix";
  NumberFit fit = FitNumeric(text, precision, scale, out);
  std::string what = Printable(text) + " as numeric(" + std::to_string(precision) + "," + std::to_string(scale) +
                     ") -> " + Printable(out) + " fit " + std::to_string(static_cast<int>(fit));
  FUZZ_CHECK(out.rfind("prefix", 0) == 0, what);
  std::string written = out.substr(6);
  if (fit == NumberFit::kOverflow || fit == NumberFit::kInvalid) {
    FUZZ_CHECK(written.empty(), what);
  } else if (precision > 0) {
    int integer_digits = 0;
    FUZZ_CHECK(IsPlainNumeric(written, scale, &integer_digits), what);
    FUZZ_CHECK(integer_digits <= precision - scale, what);
  }
  if (fit == NumberFit::kExact || fit == NumberFit::kRounded) {
    std::string again;
    FUZZ_CHECK(FitNumeric(written, precision, scale, again) == NumberFit::kExact && again == written,
               what + " refits as " + Printable(again));
  }
  NumberFit expected_fit;
  std::string expected;
  if (precision > 0 && ReferenceFit(text, precision, scale, &expected_fit, &expected)) {
    FUZZ_CHECK(fit == expected_fit, what + ", expected fit " + std::to_string(static_cast<int>(expected_fit)));
    if (fit != NumberFit::kOverflow) FUZZ_CHECK(written == expected, what + ", expected " + expected);
  }
}

// -?[0-9]+(\.[0-9]+)?(e[+-][0-9]+)?: what std::to_chars writes, and what
// float4in/float8in read.
bool IsFloatText(std::string_view text) {
  size_t i = text.size() > 0 && text[0] == '-' ? 1 : 0;
  auto digits = [&] {
    size_t start = i;
    while (i < text.size() && IsDigit(text[i])) ++i;
    return i > start;
  };
  if (!digits()) return false;
  if (i < text.size() && text[i] == '.') {
    ++i;
    if (!digits()) return false;
  }
  if (i < text.size() && text[i] == 'e') {
    ++i;
    if (i >= text.size() || (text[i] != '+' && text[i] != '-')) return false;
    ++i;
    if (!digits()) return false;
  }
  return i == text.size();
}

void CheckFloat(std::string_view text, bool single) {
  std::string out;
  NumberFit fit = FitFloat(text, single, out);
  std::string what = Printable(text) + (single ? " as real -> " : " as double -> ") + Printable(out);
  std::string numeric;
  bool is_number = FitNumeric(text, 0, 0, numeric) != NumberFit::kInvalid;  // the same syntax
  if (!is_number) {
    FUZZ_CHECK(fit == NumberFit::kInvalid && out.empty(), what);
    return;
  }
  std::string terminated(text);
  double value = single ? std::strtof(terminated.c_str(), nullptr) : std::strtod(terminated.c_str(), nullptr);
  std::string_view mantissa = text.substr(0, text.find_first_of("eE"));
  bool nonzero = mantissa.find_first_of("123456789") != std::string_view::npos;
  bool overflow = std::isinf(value) || (value == 0 && nonzero);
  FUZZ_CHECK((fit == NumberFit::kOverflow) == overflow, what);
  if (overflow) {
    FUZZ_CHECK(out.empty(), what);
    return;
  }
  FUZZ_CHECK(fit == NumberFit::kExact || fit == NumberFit::kRounded, what);
  FUZZ_CHECK(IsFloatText(out), what);
  double back = single ? std::strtof(out.c_str(), nullptr) : std::strtod(out.c_str(), nullptr);
  FUZZ_CHECK(back == value && std::signbit(back) == std::signbit(value), what);
}

}  // namespace
}  // namespace my2pg

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace my2pg;
  if (size < 3 || size > 200) return 0;
  int precision = data[0] % 41;  // 0: unconstrained numeric
  int scale = precision == 0 ? 0 : data[1] % (precision + 1);
  bool single = data[2] & 1;
  std::string_view text(reinterpret_cast<const char*>(data) + 3, size - 3);
  CheckNumeric(text, precision, scale);
  CheckFloat(text, single);
  return 0;
}
