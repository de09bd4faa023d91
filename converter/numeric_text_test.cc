#include "converter/numeric_text.h"

#include <gtest/gtest.h>

namespace my2pg {
namespace {

std::string Fit(std::string_view text, int precision, int scale) {
  std::string out;
  switch (FitNumeric(text, precision, scale, out)) {
    case NumberFit::kExact: return out;
    case NumberFit::kRounded: return "ROUNDED " + out;
    case NumberFit::kOverflow: return "OVERFLOW";
    case NumberFit::kInvalid: return "INVALID";
  }
  return "?";
}

std::string Float(std::string_view text, bool single) {
  std::string out;
  switch (FitFloat(text, single, out)) {
    case NumberFit::kExact: return out;
    case NumberFit::kRounded: return "ROUNDED " + out;
    case NumberFit::kOverflow: return "OVERFLOW";
    case NumberFit::kInvalid: return "INVALID";
  }
  return "?";
}

TEST(FitNumeric, ChecksPrecisionAndRoundsToScale) {
  EXPECT_EQ(Fit("12345.67", 6, 2), "OVERFLOW");
  EXPECT_EQ(Fit("1234.5", 6, 2), "1234.50");
  EXPECT_EQ(Fit("9999.99", 6, 2), "9999.99");
  EXPECT_EQ(Fit("9999.995", 6, 2), "OVERFLOW");  // rounds to 10000.00
  EXPECT_EQ(Fit("1.235", 6, 2), "ROUNDED 1.24");
  EXPECT_EQ(Fit("-1.005", 6, 2), "ROUNDED -1.01");  // half away from zero, as numeric rounds
  EXPECT_EQ(Fit("1.234", 6, 2), "ROUNDED 1.23");
  EXPECT_EQ(Fit("-0.001", 6, 2), "ROUNDED 0.00");
  EXPECT_EQ(Fit("0.005", 6, 2), "ROUNDED 0.01");
  EXPECT_EQ(Fit("0.0049", 6, 2), "ROUNDED 0.00");
  EXPECT_EQ(Fit("000123.4000", 6, 2), "123.40");
  EXPECT_EQ(Fit("-0", 6, 2), "0.00");
  EXPECT_EQ(Fit("999.5", 3, 0), "OVERFLOW");
  EXPECT_EQ(Fit("998.5", 3, 0), "ROUNDED 999");
  EXPECT_EQ(Fit("1.5e3", 12, 4), "1500.0000");
  EXPECT_EQ(Fit("1e-7", 12, 4), "ROUNDED 0.0000");
  EXPECT_EQ(Fit("-2.5E+2", 5, 0), "-250");
  EXPECT_EQ(Fit("1e300", 12, 4), "OVERFLOW");
  EXPECT_EQ(Fit("abc", 6, 2), "INVALID");
  EXPECT_EQ(Fit("1e", 6, 2), "INVALID");
  EXPECT_EQ(Fit("", 6, 2), "INVALID");
}

TEST(FitNumeric, UnconstrainedSpellsOutExponents) {
  EXPECT_EQ(Fit("12.50", 0, 0), "12.50");
  EXPECT_EQ(Fit("1.5e3", 0, 0), "1500");
  EXPECT_EQ(Fit("-1.25e-3", 0, 0), "-0.00125");
  EXPECT_EQ(Fit("5e-324", 0, 0), "0." + std::string(323, '0') + "5");
  EXPECT_EQ(Fit("1.7976931348623157e308", 0, 0), "17976931348623157" + std::string(292, '0'));
  EXPECT_EQ(Fit("1e200000", 0, 0), "OVERFLOW");
}

TEST(FitFloat, RealKeepsFloatsAndRoundsDoubles) {
  EXPECT_EQ(Float("1234567", true), "1234567");
  EXPECT_EQ(Float("16777215", true), "16777215");
  EXPECT_EQ(Float("16777217", true), "ROUNDED 16777216");
  EXPECT_EQ(Float("0.12345670163631439", true), "ROUNDED 0.1234567");  // a FLOAT read as double
  EXPECT_EQ(Float("3.4028234663852886e38", true), "ROUNDED 3.4028235e+38");
  EXPECT_EQ(Float("1.401298464324817e-45", true), "ROUNDED 1e-45");  // the smallest denormal
  EXPECT_EQ(Float("1e300", true), "OVERFLOW");
  EXPECT_EQ(Float("-1e300", true), "OVERFLOW");
  EXPECT_EQ(Float("1e-50", true), "OVERFLOW");
  EXPECT_EQ(Float("0", true), "0");
  EXPECT_EQ(Float("-0", true), "-0");
  EXPECT_EQ(Float("0.5", true), "0.5");
  EXPECT_EQ(Float("nan", true), "INVALID");
}

TEST(FitFloat, DoubleIsExactForShortestDoubles) {
  EXPECT_EQ(Float("0.30000000000000004", false), "0.30000000000000004");
  EXPECT_EQ(Float("1.7976931348623157e308", false), "1.7976931348623157e+308");
  EXPECT_EQ(Float("5e-324", false), "5e-324");
  EXPECT_EQ(Float("2e-324", false), "OVERFLOW");
  EXPECT_EQ(Float("12345678901234567890", false), "ROUNDED 12345678901234567168");
  EXPECT_EQ(Float("0.1", false), "0.1");
}

}  // namespace
}  // namespace my2pg
