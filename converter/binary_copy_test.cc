#include "converter/binary_copy.h"

#include <gtest/gtest.h>

#include "tests/test_util.h"

namespace my2pg {
namespace {

struct BinaryCase {
  TargetKind kind;
  const char* text;
  const char* hex;  // "" when the text must be refused
};

// Expected bytes follow PostgreSQL's *_send functions.
const BinaryCase kCases[] = {
    {TargetKind::kBoolean, "t", "01"},
    {TargetKind::kBoolean, "f", "00"},
    {TargetKind::kSmallint, "-2", "fffe"},
    {TargetKind::kSmallint, "40000", ""},
    {TargetKind::kInteger, "4294967295", ""},
    {TargetKind::kBigint, "4294967295", "00000000ffffffff"},
    {TargetKind::kBigint, "-9223372036854775808", "8000000000000000"},
    {TargetKind::kBigint, "9223372036854775808", ""},
    // numeric: ndigits, weight, sign, dscale, then base-10000 digits.
    {TargetKind::kNumeric, "12.50", "0002000000000002000c1388"},
    {TargetKind::kNumeric, "-3.00", "0001000040000002" "0003"},
    {TargetKind::kNumeric, "0.00", "0000000000000002"},
    {TargetKind::kNumeric, "0.01", "0001ffff00000002" "0064"},
    {TargetKind::kNumeric, "18446744073709551615", "0005000400000000" "07341a5802e103bb064f"},  // 1844 6744 0737 0955 1615
    {TargetKind::kNumeric, "1.5e3", ""},
    {TargetKind::kReal, "0.1", "3dcccccd"},
    {TargetKind::kDouble, "0.1", "3fb999999999999a"},
    {TargetKind::kDate, "2000-01-01", "00000000"},
    {TargetKind::kDate, "1999-12-31", "ffffffff"},
    {TargetKind::kDate, "2000-02-30", ""},
    {TargetKind::kDate, "-infinity", "80000000"},
    {TargetKind::kTimestamp, "2000-01-01 00:00:01.5", "000000000016e360"},
    {TargetKind::kTimestampTz, "2000-01-01 00:00:01+00", "00000000000f4240"},
    {TargetKind::kTimestampTz, "2000-01-01 00:00:01", ""},  // not an instant
    {TargetKind::kTime, "24:00:00", "000000141dd76000"},
    {TargetKind::kBitString, "1000000101", "0000000a" "8140"},
};

class BinaryCopyTest : public testing::TestWithParam<BinaryCase> {};

TEST_P(BinaryCopyTest, EncodesLikePostgres) {
  std::string out;
  bool ok = EncodeBinaryValue(GetParam().kind, GetParam().text, out);
  if (std::string(GetParam().hex).empty()) {
    EXPECT_FALSE(ok) << GetParam().text;
  } else {
    ASSERT_TRUE(ok) << GetParam().text;
    EXPECT_EQ(Hex(out), GetParam().hex) << GetParam().text;
  }
}

INSTANTIATE_TEST_SUITE_P(Values, BinaryCopyTest, testing::ValuesIn(kCases));

TEST(BinaryCopy, HeaderAndTrailer) {
  std::string out;
  AppendBinaryHeader(out);
  AppendBinaryTrailer(out);
  EXPECT_EQ(Hex(out), "5047434f50590aff0d0a00" "00000000" "00000000" "ffff");
}

// Found by tests/fuzz/row_converter_fuzz: a year a rule retyped to bytea
// ("0") had its first three bytes dropped as if they were "\\x", and the
// hex loop read past the field's end.
TEST(BinaryCopy, ByteaFieldMustBeHex) {
  std::string out;
  EXPECT_TRUE(EncodeBinaryField(TargetKind::kBytea, false, "\\\\x00fF", out));
  EXPECT_EQ(Hex(out), "00ff");
  for (const char* field : {"0", "", "\\\\", "2014-01-04", "\\\\x0", "\\\\xzz"}) {
    out.clear();
    EXPECT_FALSE(EncodeBinaryField(TargetKind::kBytea, false, field, out)) << field;
  }
  EXPECT_FALSE(EncodeBinaryField(TargetKind::kGeometry, false, "123", out));  // not hex EWKB
  EXPECT_FALSE(EncodeBinaryField(TargetKind::kGeometry, false, "0101x0", out));
}

}  // namespace
}  // namespace my2pg
