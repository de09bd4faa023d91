#include "converter/text_encoder.h"

#include <gtest/gtest.h>

#include <cstring>

#include "common/error.h"
#include "converter/mojibake.h"

namespace my2pg {
namespace {

struct EncodeCase {
  const char* charset;
  std::string input;
  std::string expected;  // COPY text
  ChangeKind counted;    // kCount: nothing counted
};

const EncodeCase kCases[] = {
    // MySQL latin1 is Windows-1252: 0x80 is the euro sign, 0x97 an em dash.
    {"latin1", "Prix 10\x80", "Prix 10\xE2\x82\xAC", ChangeKind::kCount},
    {"latin1", "\x97", "\xE2\x80\x94", ChangeKind::kCount},
    {"latin1", "M\xFCller", "M\xC3\xBCller", ChangeKind::kCount},
    // The five bytes Windows-1252 leaves undefined map to C1 controls, as in MySQL.
    {"latin1", "\x81", "\xC2\x81", ChangeKind::kCount},
    {"latin1", "a\tb\nc\\d\re", "a\\tb\\nc\\\\d\\re", ChangeKind::kCount},
    {"latin1", std::string("nul\0byte", 8), "nulbyte", ChangeKind::kNulStripped},
    {"utf8mb4", "Caf\xC3\xA9 \xF0\x9F\x98\x80", "Caf\xC3\xA9 \xF0\x9F\x98\x80", ChangeKind::kCount},
    {"utf8mb4", "bad\xFFutf8", "bad\xEF\xBF\xBDutf8", ChangeKind::kInvalidTextReplaced},
    {"utf8mb4", "cut\xC3", "cut\xEF\xBF\xBD", ChangeKind::kInvalidTextReplaced},
    {"utf8mb4", "\xED\xA0\x80", "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD", ChangeKind::kInvalidTextReplaced},
    {"utf8mb4", "tab\there", "tab\\there", ChangeKind::kCount},
    {"cp1251", "\xCF\xF0\xE8\xE2\xE5\xF2", "\xD0\x9F\xD1\x80\xD0\xB8\xD0\xB2\xD0\xB5\xD1\x82", ChangeKind::kCount},
    {"gbk", "\xC4\xE3\xBA\xC3", "\xE4\xBD\xA0\xE5\xA5\xBD", ChangeKind::kCount},
    {"ascii", "ok\xE9", "ok\xEF\xBF\xBD", ChangeKind::kInvalidTextReplaced},
    // ASCII below 0x80, where ICU's IBM PC tables rotate 0x1A, 0x1C and 0x7F
    // (found by tests/fuzz/text_encoder_fuzz). 0x82 is e acute, 0x80 Cyrillic A.
    {"cp850", "+\x1A\x1C\x7F\x82", "+\x1A\x1C\x7F\xC3\xA9", ChangeKind::kCount},
    {"cp852", "\x1A\x1C\x7F", "\x1A\x1C\x7F", ChangeKind::kCount},
    {"cp866", "\x1A\x7F\x80", "\x1A\x7F\xD0\x90", ChangeKind::kCount},
};

class TextEncoderTest : public testing::TestWithParam<EncodeCase> {};

TEST_P(TextEncoderTest, EncodesToCopyText) {
  const EncodeCase& c = GetParam();
  TextEncoder encoder(c.charset, ConversionPolicies{});
  std::string out, reason;
  ColumnChanges changes;
  ASSERT_TRUE(encoder.Append(c.input.data(), c.input.size(), out, changes, &reason)) << reason;
  EXPECT_EQ(out, c.expected);
  if (c.counted == ChangeKind::kCount) {
    EXPECT_EQ(changes.total(), 0);
  } else {
    EXPECT_GE(changes[c.counted], 1);
    EXPECT_EQ(changes.total(), changes[c.counted]);
  }
}

INSTANTIATE_TEST_SUITE_P(Charsets, TextEncoderTest, testing::ValuesIn(kCases));

TEST(TextEncoder, RejectPoliciesGiveReasons) {
  ConversionPolicies policies;
  policies.invalid_text = Policy::kReject;
  policies.nul_bytes = Policy::kReject;
  TextEncoder utf8("utf8mb4", policies);
  std::string out, reason;
  ColumnChanges changes;
  EXPECT_FALSE(utf8.Append("a\xFF", 2, out, changes, &reason));
  EXPECT_EQ(reason, "byte 0xFF is not valid utf8mb4");
  EXPECT_FALSE(utf8.Append("a\0b", 3, out, changes, &reason));
  EXPECT_EQ(reason, "text contains a NUL byte (0x00)");
}

TEST(TextEncoder, EscapePolicyKeepsTheByteAsText) {
  ConversionPolicies policies;
  policies.invalid_text = Policy::kEscape;
  TextEncoder utf8("utf8mb4", policies);
  std::string out, reason;
  ColumnChanges changes;
  ASSERT_TRUE(utf8.Append("a\xFF", 2, out, changes, &reason));
  EXPECT_EQ(out, "a\\\\xFF");
  EXPECT_EQ(changes[ChangeKind::kInvalidTextEscaped], 1);
}

TEST(TextEncoder, UnknownCharsetIsARulesError) {
  EXPECT_THROW(TextEncoder("klingon", ConversionPolicies{}), Error);
}

// Random bytes through every mode: never crashes, output is valid UTF-8 with
// no raw tab, newline, carriage return or NUL, and no lone backslash.
TEST(TextEncoder, RandomBytesAlwaysGiveValidCopyText) {
  uint32_t seed = 12345;
  auto next = [&seed] { return seed = seed * 1664525u + 1013904223u; };
  for (const char* charset : {"utf8mb4", "latin1", "cp1251", "gbk", "sjis"}) {
    TextEncoder encoder(charset, ConversionPolicies{});
    for (int round = 0; round < 2000; ++round) {
      std::string input(next() % 40, '\0');
      for (char& c : input) c = static_cast<char>(next() >> 24);
      std::string out, reason;
      ColumnChanges changes;
      ASSERT_TRUE(encoder.Append(input.data(), input.size(), out, changes, &reason)) << reason;
      TextEncoder check("utf8mb4", ConversionPolicies{});
      std::string again;
      ColumnChanges check_changes;
      // Valid UTF-8 passes the UTF-8 encoder unchanged except for escaping backslashes.
      ASSERT_TRUE(check.Append(out.data(), out.size(), again, check_changes, &reason));
      EXPECT_EQ(check_changes.total(), 0) << charset;
      for (size_t i = 0; i < out.size(); ++i) {
        ASSERT_NE(out[i], '\t');
        ASSERT_NE(out[i], '\n');
        ASSERT_NE(out[i], '\r');
        ASSERT_NE(out[i], '\0');
        if (out[i] == '\\') {
          ASSERT_LT(i + 1, out.size());
          ASSERT_TRUE(std::string("\\tnr").find(out[i + 1]) != std::string::npos) << charset;
          ++i;
        }
      }
    }
  }
}

// The plain path (decode, repair mojibake, then escape) on random bytes, with
// UTF-8-looking sequences mixed in: same guarantees.
TEST(TextEncoder, RandomBytesThroughMojibakeRepairStayValid) {
  uint32_t seed = 777;
  auto next = [&seed] { return seed = seed * 1664525u + 1013904223u; };
  const char* pieces[] = {"\xC3\xA9", "\xC3", "\xE2\x80\x94", "\xC2\xA0", "\\", "\t", "a", "\x80", "\x00", "\xF0\x9F\x98\x80"};
  for (const char* charset : {"latin1", "utf8mb4"}) {
    TextEncoder plain(charset, ConversionPolicies{}, /*copy_escape=*/false);
    for (int round = 0; round < 3000; ++round) {
      std::string input;
      for (int i = next() % 12; i > 0; --i) {
        const char* piece = pieces[next() % 10];
        input.append(piece, piece[0] == '\0' ? 1 : std::strlen(piece));
      }
      std::string text, scratch, reason, out;
      ColumnChanges changes;
      ASSERT_TRUE(plain.Append(input.data(), input.size(), text, changes, &reason));
      RepairMojibake(text, scratch);
      TextEncoder::AppendCopyEscaped(text.data(), text.size(), out);
      TextEncoder check("utf8mb4", ConversionPolicies{});
      std::string again;
      ColumnChanges check_changes;
      ASSERT_TRUE(check.Append(out.data(), out.size(), again, check_changes, &reason));
      EXPECT_EQ(check_changes.total(), 0) << charset;
      EXPECT_EQ(out.find_first_of(std::string("\t\n\r\0", 4)), std::string::npos);
    }
  }
}

}  // namespace
}  // namespace my2pg
