#include "verify/row_digest.h"

#include <gtest/gtest.h>

#include "common/error.h"
#include <xxhash.h>

namespace my2pg {
namespace {

std::string Canonical(ColumnCanon canon, std::string_view field) {
  std::string out;
  AppendCanonical(canon, field, out);
  return out;
}

// Pairs that must be equal (the converter's COPY text, PostgreSQL's output).
struct SameCase {
  ColumnCanon canon;
  const char* converter;
  const char* postgres;
};
const SameCase kSame[] = {
    {ColumnCanon::kBoolean, "1", "t"},
    {ColumnCanon::kBoolean, "false", "f"},
    {ColumnCanon::kInteger, "+007", "7"},
    {ColumnCanon::kInteger, "-0", "0"},
    {ColumnCanon::kNumeric, "1500", "1500.0000"},
    {ColumnCanon::kNumeric, "1e-7", "0.0000001"},
    {ColumnCanon::kNumeric, "-00012.50", "-12.5"},
    {ColumnCanon::kNumeric, "100", "1e2"},
    {ColumnCanon::kNumeric, "0.0100", "1e-2"},
    {ColumnCanon::kNumeric, "-0.0", "0.000"},
    {ColumnCanon::kNumeric, "-0.5e3", "-500"},
    {ColumnCanon::kDouble, "0.30000000000000004", "3.0000000000000004e-01"},
    {ColumnCanon::kDouble, "-Infinity", "-Infinity"},
    {ColumnCanon::kReal, "0.3", "0.30000001"},
    {ColumnCanon::kTimestamp, "2020-06-01 03:00:00+00", "2020-06-01 05:00:00+02"},
    {ColumnCanon::kTimestamp, "2020-06-01 03:00:00.500000+00", "2020-06-01 03:00:00.5Z"},
    {ColumnCanon::kTimestamp, "0001-12-31 20:00:00+00 BC", "0001-12-31 20:00:00+00 BC"},
    {ColumnCanon::kTime, "10:00:00.000000", "10:00:00"},
    {ColumnCanon::kJsonb, "{\"b\": 1E2, \"a\": [true, null], \"a\": \"x\"}", "{\"a\": \"x\", \"b\": 100}"},
    {ColumnCanon::kHex, "\\\\x4A0b", "\\\\x4a0b"},
    {ColumnCanon::kTextArray, "{\"x\\\\\\\\y\",\"z\"}", "{\"x\\\\\\\\y\",z}"},
    {ColumnCanon::kText, "a\\tb", "a\\011b"},
    {ColumnCanon::kBpchar, "ab", "ab   "},
};

TEST(RowDigest, ConverterAndPostgresFormsAreEqual) {
  for (const SameCase& c : kSame) {
    EXPECT_EQ(Canonical(c.canon, c.converter), Canonical(c.canon, c.postgres)) << c.converter << " / " << c.postgres;
  }
}

const SameCase kDifferent[] = {
    {ColumnCanon::kBoolean, "t", "f"},
    {ColumnCanon::kInteger, "17", "18"},
    {ColumnCanon::kNumeric, "12.50", "12.51"},
    {ColumnCanon::kNumeric, "1e2", "1e3"},
    {ColumnCanon::kNumeric, "0.01", "0.1"},
    {ColumnCanon::kNumeric, "10", "1"},
    {ColumnCanon::kDouble, "0.1", "0.10000000000000002"},
    {ColumnCanon::kTimestamp, "2020-06-01 03:00:00+00", "2020-06-01 03:00:00+01"},
    {ColumnCanon::kTimestamp, "0001-01-01 00:00:00+00", "0001-01-01 00:00:00+00 BC"},
    {ColumnCanon::kTimestamp, "2020-06-01 03:00:00.000001", "2020-06-01 03:00:00"},
    {ColumnCanon::kJsonb, "{\"a\": 1}", "{\"a\": \"1\"}"},
    {ColumnCanon::kTextArray, "{NULL}", "{\"NULL\"}"},
    {ColumnCanon::kText, "\\N", ""},
    {ColumnCanon::kText, "\\N", "\\\\N"},
    {ColumnCanon::kText, "A", "a"},
    {ColumnCanon::kText, "ab", "ab "},
    {ColumnCanon::kBpchar, " ab", "ab"},
};

TEST(RowDigest, DifferentValuesDiffer) {
  for (const SameCase& c : kDifferent) {
    EXPECT_NE(Canonical(c.canon, c.converter), Canonical(c.canon, c.postgres)) << c.converter << " / " << c.postgres;
  }
}

TEST(RowDigest, CanonicalEncodingIsTaggedAndLengthPrefixed) {
  EXPECT_EQ(Canonical(ColumnCanon::kText, "\\N"), "0");
  EXPECT_EQ(Canonical(ColumnCanon::kNumeric, "-12.50"), std::string("n\x06\0\0\0\0\0\0\0-125e2", 15));
  // A time: the bytes of its seconds since 1970 UTC and of its microseconds.
  auto instant = [](int64_t seconds, int64_t micros) {
    std::string bytes("T\x10\0\0\0\0\0\0\0", 9);
    bytes.append(reinterpret_cast<const char*>(&seconds), 8);
    return bytes.append(reinterpret_cast<const char*>(&micros), 8);
  };
  EXPECT_EQ(Canonical(ColumnCanon::kTimestamp, "1970-01-02 00:00:01.000025+00"), instant(86401, 25));
  EXPECT_EQ(Canonical(ColumnCanon::kTimestamp, "1969-12-31 23:59:59.5"), instant(-1, 500000));
  EXPECT_EQ(Canonical(ColumnCanon::kTimestamp, "1970-01-02 02:00:01.000025+02"), instant(86401, 25));
  // Floats by their bits, whatever the spelling; out of range: as text.
  EXPECT_EQ(Canonical(ColumnCanon::kDouble, "0.30000000000000004"), Canonical(ColumnCanon::kDouble, "3.0000000000000004e-1"));
  EXPECT_NE(Canonical(ColumnCanon::kDouble, "0.30000000000000004"), Canonical(ColumnCanon::kDouble, "0.3"));
  EXPECT_EQ(Canonical(ColumnCanon::kDouble, "-Infinity"), Canonical(ColumnCanon::kDouble, "-inf"));
  EXPECT_EQ(Canonical(ColumnCanon::kDouble, "1e400"), std::string("s\x05\0\0\0\0\0\0\0" "1e400", 14));
  EXPECT_EQ(Canonical(ColumnCanon::kReal, "1.1"), Canonical(ColumnCanon::kReal, "1.10000002"));
  EXPECT_EQ(Canonical(ColumnCanon::kHex, "\\xABcd"), Canonical(ColumnCanon::kHex, "\\xabCD"));
  // A number that does not parse keeps its bytes, under the text tag.
  EXPECT_EQ(Canonical(ColumnCanon::kInteger, "abc"), std::string("s\x03\0\0\0\0\0\0\0abc", 12));
}

TEST(RowDigest, RowHashIsXxh3OfTheCanonicalFields) {
  RowHasher hasher({ColumnCanon::kInteger, ColumnCanon::kText}, {0}, {"id"});
  std::string expected = Canonical(ColumnCanon::kInteger, "17") + Canonical(ColumnCanon::kText, "Ann");
  EXPECT_EQ(hasher.Hash("17\tAnn"), XXH3_64bits(expected.data(), expected.size()));
  EXPECT_EQ(hasher.key(), Canonical(ColumnCanon::kInteger, "17"));
  EXPECT_EQ(hasher.KeyText("17\tAnn"), "id 17");
  EXPECT_EQ(hasher.Hash("017\tAnn"), hasher.Hash("17\tAnn"));
  EXPECT_NE(hasher.Hash("17\tAnn"), hasher.Hash("17\tAnne"));
  EXPECT_THROW(hasher.Hash("17"), Error);
  EXPECT_THROW(hasher.Hash("17\tAnn\tx"), Error);
}

TEST(RowDigest, TextKeysAreQuotedForPeople) {
  RowHasher hasher({ColumnCanon::kText, ColumnCanon::kInteger, ColumnCanon::kText}, {0, 1}, {"code", "n"});
  EXPECT_EQ(hasher.KeyText("A1\t2\tx"), "code 'A1', n 2");
}

TEST(RowDigest, ChunkDigestIgnoresRowOrder) {
  ChunkDigest a, b;
  a.Add(1);
  a.Add(UINT64_MAX);
  b.Add(UINT64_MAX);
  b.Add(1);
  EXPECT_EQ(a, b);
  EXPECT_EQ(a.rows, 2);
  EXPECT_EQ(a.sum, 0u);  // mod 2^64
  b.Add(0);
  EXPECT_NE(a, b);  // one more row, same sum
}

TEST(RowDigest, CompareRowsNarrowsToTheDifferingKeys) {
  std::vector<KeyedRow> source = {{"1", 10, "1\ta"}, {"2", 20, "2\tb"}, {"3", 30, "3\tc"}, {"5", 50, "5\te"}};
  std::vector<KeyedRow> target = {{"5", 50, "5\te"}, {"3", 31, "3\tC"}, {"1", 10, "1\ta"}, {"4", 40, "4\td"}};
  std::vector<RowDifference> differences = CompareRows(source, target);
  ASSERT_EQ(differences.size(), 3u);
  EXPECT_EQ(differences[0].kind, RowDifference::Kind::kMissing);
  EXPECT_EQ(differences[0].key, "2");
  EXPECT_EQ(differences[0].source_line, "2\tb");
  EXPECT_EQ(differences[1].kind, RowDifference::Kind::kChanged);
  EXPECT_EQ(differences[1].key, "3");
  EXPECT_EQ(differences[1].source_line, "3\tc");
  EXPECT_EQ(differences[1].target_line, "3\tC");
  EXPECT_EQ(differences[2].kind, RowDifference::Kind::kAdded);
  EXPECT_EQ(differences[2].key, "4");
}

TEST(RowDigest, CompareRowsOfAKeylessTableAsMultisets) {
  std::vector<KeyedRow> source = {{"", 7, "x"}, {"", 7, "x"}, {"", 8, "y"}};
  std::vector<KeyedRow> target = {{"", 7, "x"}, {"", 8, "y"}, {"", 8, "y"}};
  std::vector<RowDifference> differences = CompareRows(source, target);
  ASSERT_EQ(differences.size(), 1u);
  EXPECT_EQ(differences[0].kind, RowDifference::Kind::kChanged);
  EXPECT_EQ(differences[0].source_line, "x");
  EXPECT_EQ(differences[0].target_line, "y");
}

TEST(RowDigest, KeyRangesCoverEveryInteger) {
  std::vector<KeyRange> ranges = KeyRanges(1, 100, 4);
  ASSERT_EQ(ranges.size(), 4u);
  EXPECT_EQ(ranges[0].low, INT64_MIN);
  EXPECT_EQ(ranges[0].high, 25);
  EXPECT_EQ(ranges[1].low, 26);
  EXPECT_EQ(ranges[1].high, 50);
  EXPECT_EQ(ranges[2].low, 51);
  EXPECT_EQ(ranges[2].high, 75);
  EXPECT_EQ(ranges[3].low, 76);
  EXPECT_EQ(ranges[3].high, INT64_MAX);
  std::vector<KeyRange> one = KeyRanges(5, 5, 8);
  ASSERT_EQ(one.size(), 1u);
  EXPECT_EQ(one[0].low, INT64_MIN);
  EXPECT_EQ(one[0].high, INT64_MAX);
  std::vector<KeyRange> wide = KeyRanges(INT64_MIN, INT64_MAX, 2);
  ASSERT_EQ(wide.size(), 2u);
  EXPECT_EQ(wide[0].high, -1);
  EXPECT_EQ(wide[1].low, 0);
}

}  // namespace
}  // namespace my2pg
