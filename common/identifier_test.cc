#include "common/identifier.h"

#include <gtest/gtest.h>

namespace my2pg {
namespace {

TEST(Identifier, QuotesPostgres) {
  EXPECT_EQ(QuotePgIdentifier("order"), "\"order\"");
  EXPECT_EQ(QuotePgIdentifier("a\"b"), "\"a\"\"b\"");
  EXPECT_EQ(QuotePgLiteral("l'été"), "'l''été'");
}

TEST(Identifier, QuotesMysql) {
  EXPECT_EQ(QuoteMySqlIdentifier("we`ird"), "`we``ird`");
  EXPECT_EQ(QuoteMySqlLiteral("a'b\\c"), "'a\\'b\\\\c'");
}

TEST(Identifier, TruncatesOnCharacterBoundary) {
  std::string name(62, 'a');
  name += "é";  // 2 bytes: 62 + 2 = 64 > 63
  EXPECT_EQ(TruncateIdentifier(name), std::string(62, 'a'));
  EXPECT_EQ(TruncateIdentifier("short"), "short");
  EXPECT_EQ(TruncateIdentifier(std::string(70, 'x')).size(), 63u);
}

}  // namespace
}  // namespace my2pg
