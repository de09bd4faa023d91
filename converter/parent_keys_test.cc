#include "converter/parent_keys.h"

#include <gtest/gtest.h>

#include <string>

namespace my2pg {
namespace {

TEST(ParentKeys, IntegersInABitmap) {
  ParentKeys keys(/*integers=*/true);
  for (const char* key : {"1", "2", "-9223372036854775808", "9223372036854775807", "0", "-1"}) {
    EXPECT_TRUE(keys.Add(key)) << key;
  }
  EXPECT_FALSE(keys.Add("1.5"));
  EXPECT_FALSE(keys.Add("9223372036854775808"));
  keys.Seal();
  EXPECT_EQ(keys.size(), 6u);
  for (const char* key : {"1", "2", "-9223372036854775808", "9223372036854775807", "0", "-1"}) {
    EXPECT_TRUE(keys.Contains(key)) << key;
  }
  for (const char* key : {"3", "-2", "", "abc", "01x", "18446744073709551615"}) EXPECT_FALSE(keys.Contains(key)) << key;
}

TEST(ParentKeys, TwentyMillionDenseKeysTakeAFewMegabytes) {
  ParentKeys keys(/*integers=*/true);
  for (int64_t key = 1; key <= 20000000; ++key) keys.Add(std::to_string(key));
  keys.Seal();
  EXPECT_EQ(keys.size(), 20000000u);
  EXPECT_LT(keys.memory_bytes(), 4u << 20);
  EXPECT_TRUE(keys.Contains("20000000"));
  EXPECT_FALSE(keys.Contains("20000001"));
}

TEST(ParentKeys, TextKeysAsCopyText) {
  ParentKeys keys(/*integers=*/false);
  keys.Add("a\\tb");
  keys.Add("x");
  keys.Seal();
  EXPECT_TRUE(keys.Contains("a\\tb"));
  EXPECT_FALSE(keys.Contains("a\tb"));
  EXPECT_FALSE(keys.Contains("X"));
  EXPECT_EQ(keys.size(), 2u);
}

}  // namespace
}  // namespace my2pg
