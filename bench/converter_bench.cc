// Micro-benchmark of the converter: values per second for each conversion
// kind, on one core. Run: build/bench/converter_bench (bench/run prints it too).
#include <benchmark/benchmark.h>

#include <cstring>

#include "converter/row_converter.h"
#include "mapper/mapper.h"

namespace my2pg {
namespace {

struct OneColumn {
  SchemaPlan plan;
  std::unique_ptr<RowConverter> converter;
};

OneColumn Make(SourceColumn column, const char* rules_json = "{}") {
  SourceCatalog catalog;
  SourceTable table;
  table.name = "t";
  column.name = "c";
  table.columns.push_back(column);
  catalog.tables.push_back(table);
  OneColumn one;
  Rules rules = LoadRulesText(rules_json, "bench.json");
  one.plan = MapCatalog(catalog, rules);
  one.converter = std::make_unique<RowConverter>(one.plan, one.plan.tables[0]);
  return one;
}

SourceColumn Column(const char* data_type, const char* column_type, const char* charset = "") {
  SourceColumn column;
  column.data_type = data_type;
  column.column_type = column_type;
  column.charset = charset;
  column.char_max_length = 255;
  column.datetime_precision = 0;
  column.is_unsigned = std::strstr(column_type, "unsigned") != nullptr;
  return column;
}

// Converts "values" round-robin, one value per row; reports values/s and bytes/s.
void Run(benchmark::State& state, OneColumn one, std::vector<std::string> values) {
  std::string out;
  out.reserve(1 << 20);
  TableStats stats;
  RowRejection rejection;
  std::vector<SourceValue> sources;
  size_t bytes = 0;
  for (const auto& v : values) {
    sources.push_back({v.data(), v.size(), false});
    bytes += v.size();
  }
  size_t i = 0;
  for (auto _ : state) {
    one.converter->Convert(&sources[i], out, stats, &rejection);
    if (++i == sources.size()) i = 0;
    if (out.size() > (1 << 20)) out.clear();
  }
  state.SetItemsProcessed(state.iterations());
  state.SetBytesProcessed(state.iterations() * bytes / values.size());
}

void BM_TextLatin1(benchmark::State& state) {
  Run(state, Make(Column("varchar", "varchar(255)", "latin1")),
      {"Dupont", "Lef\xE8vre", "Arriv\xE9" "e tardive, pr\xE9voir cl\xE9", "M\xFCller", "tab\there", "user42@example.com"});
}
BENCHMARK(BM_TextLatin1);

void BM_TextUtf8(benchmark::State& state) {
  Run(state, Make(Column("varchar", "varchar(255)", "utf8mb4")),
      {"user42@example.com", "\xC3\xA9v\xC3\xA8nement 12 lorem ipsum lorem ipsum", "ref-0042-abcdef", "ligne\nsuivante"});
}
BENCHMARK(BM_TextUtf8);

void BM_TextMojibakeRepair(benchmark::State& state) {
  Run(state, Make(Column("varchar", "varchar(255)", "latin1"), R"({"conversions": {"mojibake": "repair"}})"),
      {"Dupont", "Caf\xC3\xA9", "Lef\xE8vre", "Arriv\xC3\xA9" "e \xE2\x80\x94 caf\xC3\xA9 offert"});
}
BENCHMARK(BM_TextMojibakeRepair);

void BM_Integer(benchmark::State& state) {
  Run(state, Make(Column("int", "int(11)")), {"1", "42", "123456", "-7", "2147483647"});
}
BENCHMARK(BM_Integer);

void BM_IntegerNarrowed(benchmark::State& state) {
  SourceColumn column = Column("bigint", "bigint(20) unsigned");
  column.auto_increment = true;
  Run(state, Make(column), {"1", "42", "123456", "9000000000"});
}
BENCHMARK(BM_IntegerNarrowed);

void BM_Decimal(benchmark::State& state) {
  SourceColumn column = Column("decimal", "decimal(12,2)");
  column.numeric_precision = 12;
  column.numeric_scale = 2;
  Run(state, Make(column), {"12.50", "-3.00", "99999.99", "0.01"});
}
BENCHMARK(BM_Decimal);

void BM_Boolean(benchmark::State& state) {
  Run(state, Make(Column("tinyint", "tinyint(1)")), {"0", "1", "1", "0", "2"});
}
BENCHMARK(BM_Boolean);

void BM_Date(benchmark::State& state) {
  Run(state, Make(Column("date", "date")), {"2014-01-04", "1980-05-17", "0000-00-00", "2000-02-29"});
}
BENCHMARK(BM_Date);

void BM_DateTime(benchmark::State& state) {
  Run(state, Make(Column("datetime", "datetime")), {"2014-01-04 10:11:12", "2016-10-30 02:30:00"});
}
BENCHMARK(BM_DateTime);

void BM_DateTimeToUtc(benchmark::State& state) {
  Run(state, Make(Column("datetime", "datetime"), R"({"conversions": {"timezone": "Europe/Paris"}})"),
      {"2014-01-04 10:11:12", "2016-07-30 02:30:00", "2014-03-30 02:30:00", "2019-11-02 23:59:59"});
}
BENCHMARK(BM_DateTimeToUtc);

void BM_Bytea(benchmark::State& state) {
  Run(state, Make(Column("blob", "blob")), {std::string(64, '\x9C'), std::string(16, '\x01')});
}
BENCHMARK(BM_Bytea);

void BM_Json(benchmark::State& state) {
  Run(state, Make(Column("json", "json", "utf8mb4")), {R"({"terminal": 7, "ok": true, "devise": "EUR"})"});
}
BENCHMARK(BM_Json);

}  // namespace
}  // namespace my2pg

BENCHMARK_MAIN();
