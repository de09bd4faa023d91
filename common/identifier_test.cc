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

// A dollar-quoted body ends at the first copy of its tag: a name holding the
// tag must not end it early.
TEST(Identifier, DollarQuoteTagIsNotInTheBody) {
  EXPECT_EQ(DollarQuote("BEGIN END"), "$my2pg$BEGIN END$my2pg$");
  EXPECT_EQ(DollarQuote("NEW.\"$my2pg$\""), "$my2pg_1$NEW.\"$my2pg$\"$my2pg_1$");
  EXPECT_EQ(DollarQuote("x$my2pg"), "$my2pg_1$x$my2pg$my2pg_1$");  // the closing tag would start inside
  EXPECT_EQ(DollarQuote("$my2pg$ $my2pg_1$"), "$my2pg_2$$my2pg$ $my2pg_1$$my2pg_2$");
}

// Comments written into SQL scripts: a name cannot end the comment line.
TEST(Identifier, CommentTextEscapesLineBreaks) {
  EXPECT_EQ(CommentText("a\nDROP TABLE t;\r\tb\\c"), "a\\nDROP TABLE t;\\r\\tb\\\\c");
  EXPECT_EQ(CommentText("été \x7f"), "été \\x7f");
}

TEST(Identifier, UniqueNamesAreCutAndSuffixed) {
  UniqueNames names;
  names.Reserve("t");
  EXPECT_EQ(names.Take("t"), "t_1");
  EXPECT_EQ(names.Take("t"), "t_2");
  EXPECT_EQ(names.Take(std::string(64, 'x')), std::string(63, 'x'));
  EXPECT_EQ(names.Take(std::string(65, 'x')), std::string(61, 'x') + "_1");
  EXPECT_TRUE(names.Taken("t_1"));
  EXPECT_FALSE(names.Taken("t_3"));
}

}  // namespace
}  // namespace my2pg
