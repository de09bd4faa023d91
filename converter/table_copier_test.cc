// The whole row pipeline on in-memory sources and sinks: no server. The same
// rows go through text and binary COPY; both must carry the same values,
// the same rejects and the same counts.
#include "converter/table_copier.h"

#include <gtest/gtest.h>

#include "converter/reject_sink.h"
#include "converter/row_sink.h"
#include "converter/row_source.h"
#include "mapper/mapper.h"
#include "tests/test_util.h"

namespace my2pg {
namespace {

// A table "t" (id int primary key, name varchar(10) latin1, born datetime).
SourceCatalog Catalog() {
  SourceCatalog catalog;
  catalog.database = "db";
  SourceTable table;
  table.name = "t";
  SourceColumn id;
  id.name = "id";
  id.data_type = "int";
  id.column_type = "int(11)";
  id.nullable = false;
  SourceColumn name;
  name.name = "name";
  name.data_type = "varchar";
  name.column_type = "varchar(10)";
  name.charset = "latin1";
  name.char_max_length = 10;
  SourceColumn born;
  born.name = "born";
  born.data_type = "datetime";
  born.column_type = "datetime";
  table.columns = {id, name, born};
  SourceIndex primary;
  primary.name = "PRIMARY";
  primary.unique = true;
  primary.parts = {{"id", std::nullopt, false}};
  table.indexes = {primary};
  catalog.tables.push_back(table);
  return catalog;
}

std::vector<MemoryRowSource::Row> Rows() {
  return {
      {"1", std::string("Caf\xe9", 4), "2024-03-31 02:30:00"},
      {"2", std::nullopt, "0000-00-00 00:00:00"},
      {"3", "eleven chars", "2024-01-01 00:00:00"},  // too long for varchar(10): rejected
      {"4", "ok", std::nullopt},
  };
}

struct Result {
  TableStats stats;
  MemoryRowSink sink;
  MemoryRejectSink rejects{3};
  int64_t progress_rows = 0, progress_bytes = 0;
};

void Copy(bool binary, Result& result) {
  SchemaPlan plan = MapCatalog(Catalog(), DefaultRules());
  RowConverter converter(plan, plan.tables[0], binary);
  ASSERT_EQ(converter.binary(), binary);
  MemoryRowSource source(Rows());
  result.stats = CopyTableRows(source, converter, result.sink, result.rejects, [&](int64_t rows, int64_t bytes) {
    result.progress_rows += rows;
    result.progress_bytes += bytes;
  });
}

TEST(TableCopierTest, TextCopyCarriesConvertedRowsAndRejects) {
  Result result;
  Copy(false, result);
  EXPECT_EQ(result.sink.data(),
            "1\tCafé\t2024-03-31 02:30:00\n"
            "2\t\\N\t\\N\n"
            "4\tok\t\\N\n");
  EXPECT_TRUE(result.sink.complete());
  EXPECT_EQ(result.stats.rows_read, 4);
  EXPECT_EQ(result.stats.rows_written, 3);
  EXPECT_EQ(result.stats.rows_rejected, 1);
  EXPECT_EQ(result.stats.bytes_written, static_cast<int64_t>(result.sink.data().size()));
  EXPECT_EQ(result.progress_rows, 4);
  EXPECT_EQ(result.progress_bytes, static_cast<int64_t>(result.sink.data().size()));
  ASSERT_EQ(result.rejects.rejects().size(), 1u);
  const MemoryRejectSink::Reject& reject = result.rejects.rejects()[0];
  EXPECT_EQ(reject.row_number, 3);
  EXPECT_EQ(reject.column, 1);
  EXPECT_EQ(reject.reason, "value of 12 characters does not fit varchar(10)");
  EXPECT_EQ(reject.values[1], std::optional<std::string>("eleven chars"));
}

TEST(TableCopierTest, BinaryCopyCarriesTheSameRowsAsText) {
  Result text, binary;
  Copy(false, text);
  Copy(true, binary);
  // Three tuples of three fields (the header and trailer are the writer's).
  std::string expected;
  auto field = [&](const std::string& bytes) {
    for (int shift = 24; shift >= 0; shift -= 8) expected += static_cast<char>((bytes.size() >> shift) & 0xFF);
    expected += bytes;
  };
  auto null = [&] { expected += std::string("\xff\xff\xff\xff", 4); };
  auto tuple = [&] { expected += std::string("\0\3", 2); };
  // timestamp 2024-03-31 02:30:00: microseconds since 2000-01-01.
  auto micros = [](int64_t seconds) {
    std::string out;
    int64_t us = seconds * 1000000;
    for (int shift = 56; shift >= 0; shift -= 8) out += static_cast<char>((us >> shift) & 0xFF);
    return out;
  };
  tuple(), field(std::string("\0\0\0\1", 4)), field("Caf\xc3\xa9"), field(micros(765167400));
  tuple(), field(std::string("\0\0\0\2", 4)), null(), null();
  tuple(), field(std::string("\0\0\0\4", 4)), field("ok"), null();
  EXPECT_EQ(Hex(binary.sink.data()), Hex(expected));
  EXPECT_EQ(binary.stats.rows_written, text.stats.rows_written);
  EXPECT_EQ(binary.stats.rows_rejected, text.stats.rows_rejected);
  EXPECT_EQ(binary.stats.changed_values(), text.stats.changed_values());
  ASSERT_EQ(binary.rejects.rejects().size(), 1u);
  EXPECT_EQ(binary.rejects.rejects()[0].reason, text.rejects.rejects()[0].reason);
}

TEST(TableCopierTest, ZeroDateCountedOnce) {
  Result result;
  Copy(false, result);
  EXPECT_EQ(result.stats.changed_values(), 1);
}

}  // namespace
}  // namespace my2pg
