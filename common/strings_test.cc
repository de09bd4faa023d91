#include "common/strings.h"

#include <gtest/gtest.h>

namespace my2pg {
namespace {

TEST(Strings, HumanBytes) {
  EXPECT_EQ(HumanBytes(0), "0 bytes");
  EXPECT_EQ(HumanBytes(1023), "1023 bytes");
  EXPECT_EQ(HumanBytes(1024), "1.0 KiB");
  EXPECT_EQ(HumanBytes(229376), "224 KiB");
  EXPECT_EQ(HumanBytes(uint64_t{4617089843}), "4.3 GiB");
  EXPECT_EQ(HumanBytes(uint64_t{1} << 60), "1024 PiB");
}

TEST(Strings, SplitCopyLine) {
  EXPECT_EQ(SplitCopyLine("1\t\\N\ta\\tb\t"), (std::vector<std::string_view>{"1", "\\N", "a\\tb", ""}));
  EXPECT_EQ(SplitCopyLine(""), (std::vector<std::string_view>{""}));
}

TEST(Strings, EscapeBytes) {
  const char bytes[] = {'a', '\\', '\n', static_cast<char>(0xE9)};
  EXPECT_EQ(EscapeBytes(bytes, sizeof bytes), "a\\\\\\x0A\\xE9");
}

}  // namespace
}  // namespace my2pg
