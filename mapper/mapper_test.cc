#include "mapper/mapper.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <sstream>

#include "common/error.h"
#include "mapper/catalog_json.h"
#include "mapper/check_rules.h"
#include "mapper/ddl.h"
#include "mapper/explain.h"
#include "tests/test_util.h"

namespace my2pg {
namespace {



std::string Plan(const std::string& catalog_path, const Rules& rules) {
  SchemaPlan plan = MapCatalog(ReadCatalogJson(ReadFile(catalog_path), catalog_path), rules);
  return RenderScript(plan, BuildDdl(plan));
}

// Every MySQL type through the built-in defaults (tests run from the source root).
TEST(MapperGolden, AllTypesWithDefaults) {
  ExpectGolden(Plan("tests/golden/all_types.catalog.json", DefaultRules()), "tests/golden/all_types.default.sql");
}

TEST(MapperGolden, AllTypesWithOptions) {
  Rules rules = LoadRulesText(R"({"options": {"enum_mode": "check", "bigint_unsigned": "bigint",
      "name_case": "lower", "target_schema": "App"}})", "options.json");
  ExpectGolden(Plan("tests/golden/all_types.catalog.json", rules), "tests/golden/all_types.options.sql");
}

TEST(MapperGolden, EveryRuleKind) {
  Rules rules = LoadRulesFile("tests/golden/rule_kinds.json");
  ExpectGolden(Plan("tests/golden/all_types.catalog.json", rules), "tests/golden/all_types.rule_kinds.sql");
  SchemaPlan plan = MapCatalog(ReadCatalogJson(ReadFile("tests/golden/all_types.catalog.json"), "c"), rules);
  ExpectGolden(ExplainText(plan, ""), "tests/golden/all_types.rule_kinds.explain.txt");
  // Conversions: file, then table, then column.
  const TargetTable& every = plan.tables[0];
  EXPECT_EQ(every.columns[0].policies.zero_date, "-infinity");
  EXPECT_EQ(every.columns[0].policies.nul_bytes, "reject");
  EXPECT_EQ(every.columns[3].name, "t_flag");
  EXPECT_EQ(every.columns[3].policies.stray_boolean, "reject");
  EXPECT_EQ(every.columns[2].policies.stray_boolean, "true");
  EXPECT_EQ(plan.tables[1].source_filter, "`Key` > 0");
}

// With PostGIS (not installed in the sandbox: this plan is not run on it).
TEST(MapperGolden, AllTypesWithPostgis) {
  Rules rules = LoadRulesText(R"({"options": {"geometry": "postgis"}})", "postgis.json");
  ExpectGolden(Plan("tests/golden/all_types.catalog.json", rules), "tests/golden/all_types.postgis.sql");
}

TEST(MapperGolden, HotelSampleMapping) {
  ExpectGolden(Plan("tests/golden/hotel.catalog.json", LoadRulesFile("samples/hotel_mapping.json")),
               "tests/golden/hotel.mapped.sql");
}

// Statements name their table qualified, and a foreign key names the parent
// it needs: the runtime skips both by the failed tables' qualified names.
TEST(Ddl, StatementsNameQualifiedTablesAndTheParentsTheyNeed) {
  SchemaPlan plan = MapCatalog(ReadCatalogJson(ReadFile("tests/golden/hotel.catalog.json"), "hotel.catalog.json"),
                               LoadRulesFile("samples/hotel_mapping.json"));
  Ddl ddl = BuildDdl(plan);
  std::vector<std::string> tables;
  for (const DdlStatement& statement : ddl.tables) tables.push_back(statement.table);
  EXPECT_EQ(tables, (std::vector<std::string>{"\"hotel\".\"room\"", "\"hotel\".\"customer\"",
                                              "\"hotel\".\"event_log\"", "\"hotel\".\"booking\""}));
  std::vector<std::string> keys;
  for (const DdlStatement& statement : ddl.foreign_keys) {
    keys.push_back(statement.table + " needs " + (statement.needs.empty() ? "" : statement.needs[0]));
  }
  EXPECT_EQ(keys, (std::vector<std::string>{"\"hotel\".\"booking\" needs \"hotel\".\"customer\"",
                                            "\"hotel\".\"booking\" needs \"hotel\".\"room\""}));
}

SourceCatalog OneTable(std::vector<SourceColumn> columns) {
  SourceCatalog catalog;
  catalog.database = "d";
  SourceTable table;
  table.name = "t";
  table.columns = std::move(columns);
  catalog.tables.push_back(table);
  return catalog;
}

SourceColumn IntColumn(const std::string& name) {
  SourceColumn column;
  column.name = name;
  column.data_type = "int";
  column.column_type = "int(11)";
  return column;
}

TEST(Mapper, ColumnRuleTypeAndRename) {
  Rules rules = LoadRulesText(R"({"tables": [{"match": "t", "rename": "things",
      "columns": [{"match": "a", "rename": "alpha", "type": "bigint"}, {"match": "b", "skip": true}]}]})", "r.json");
  SchemaPlan plan = MapCatalog(OneTable({IntColumn("a"), IntColumn("b"), IntColumn("c")}), rules);
  ASSERT_EQ(plan.tables.size(), 1u);
  EXPECT_EQ(plan.tables[0].name, "things");
  ASSERT_EQ(plan.tables[0].columns.size(), 2u);
  EXPECT_EQ(plan.tables[0].columns[0].name, "alpha");
  EXPECT_EQ(plan.tables[0].columns[0].type, "bigint");
  EXPECT_EQ(plan.tables[0].columns[0].decided_by, std::vector<std::string>{"r.json#/tables/0/columns/0"});
  EXPECT_EQ(plan.tables[0].columns[1].name, "c");
  EXPECT_EQ(plan.tables[0].columns[1].decided_by, std::vector<std::string>{"defaults.json#/types/8"});
}

TEST(Mapper, TwoColumnsOneNameIsAnError) {
  Rules rules = LoadRulesText(R"({"tables": [{"match": "t", "columns": [{"match": "a", "rename": "b"}]}]})", "r.json");
  try {
    MapCatalog(OneTable({IntColumn("a"), IntColumn("b")}), rules);
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(std::string(e.what()), "r.json:1:40: /tables/0/columns/0: table t: columns a and b both map to the target name 'b'");
  }
}

TEST(Mapper, SkippedTableIsListed) {
  Rules rules = LoadRulesText(R"({"tables": [{"match": "/^t$/", "skip": true}]})", "r.json");
  SchemaPlan plan = MapCatalog(OneTable({IntColumn("a")}), rules);
  EXPECT_TRUE(plan.tables.empty());
  EXPECT_EQ(plan.skipped_tables, std::vector<std::string>{"t"});
}

TEST(Mapper, LongNamesAreCutAndKeptUnique) {
  std::string long_name(70, 'x');
  Rules rules = LoadRulesText(R"({"extends": "defaults"})", "r.json");
  SourceCatalog catalog = OneTable({IntColumn(long_name)});
  catalog.tables[0].name = long_name;
  catalog.tables[0].indexes.push_back({"PRIMARY", true, "BTREE", {{long_name, std::nullopt, false}}});
  catalog.tables[0].indexes.push_back({"i1", false, "BTREE", {{long_name, std::nullopt, false}}});
  SchemaPlan plan = MapCatalog(catalog, rules);
  EXPECT_EQ(plan.tables[0].name, std::string(63, 'x'));
  EXPECT_EQ(plan.tables[0].columns[0].name, std::string(63, 'x'));
  EXPECT_EQ(plan.tables[0].indexes[0].name, std::string(61, 'x') + "_1");
  EXPECT_EQ(plan.tables[0].indexes[1].name, std::string(61, 'x') + "_2");
}

TEST(ExpandTypeTemplate, FillsPlaceholdersOrSaysWhatIsMissing) {
  SourceColumn column;
  column.name = "c";
  column.column_type = "decimal(10,2)";
  column.numeric_precision = 10;
  column.numeric_scale = 2;
  RuleOrigin origin{"r.json", "/types/0", nullptr};
  EXPECT_EQ(ExpandTypeTemplate("numeric({precision},{scale})", column, origin), "numeric(10,2)");
  try {
    ExpandTypeTemplate("varchar({length})", column, origin);
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(std::string(e.what()), "r.json: /types/0: column c (decimal(10,2)) has no {length}");
  }
}

}  // namespace
}  // namespace my2pg

namespace my2pg {
namespace {

SourceCatalog HotelCatalog() {
  std::string path = "tests/golden/hotel.catalog.json";
  return ReadCatalogJson(ReadFile(path), path);
}

struct CheckCase {
  const char* rules;
  const char* expected_error;  // "" when the rules are fine
};

// check-rules against the hotel catalog: each broken file, one precise error.
const CheckCase kChecks[] = {
    {R"j({"tables": [{"match": "clients"}]})j",
     "c.json:1:23: /tables/0/match: no table 'clients' in hotel (did you mean 'client'?)"},
    {R"j({"tables": [{"match": "client", "columns": [{"match": "nmo", "rename": "x"}]}]})j",
     "c.json:1:55: /tables/0/columns/0/match: table client has no column 'nmo' (did you mean 'nom'?)"},
    {R"j({"tables": [{"match": "client", "rename": "room"}, {"match": "chambre", "rename": "room"}]})j",
     "c.json:1:13: /tables/0: tables chambre and client map to the same target table public.room"},
    {R"j({"tables": [{"match": "client", "columns": [{"match": "nom", "rename": "prenom"}]}]})j",
     "c.json:1:45: /tables/0/columns/0: table client: columns nom and prenom both map to the target name 'prenom'"},
    {R"j({"tables": [{"match": "reservation", "columns": [{"match": "client_id", "references": {"table": "clinet"}}]}]})j",
     "c.json:1:87: /tables/0/columns/0/references: reservation.client_id: references table 'clinet', which is not "
     "migrated (did you mean 'client'?)"},
    {R"j({"tables": [{"match": "reservation", "columns": [{"match": "client_id", "references": {"table": "client", "column": "nom"}}]}]})j",
     "c.json:1:87: /tables/0/columns/0/references: reservation.client_id: 'client.nom' is not a primary key or unique"},
    {R"j({"tables": [{"match": "reservation", "columns": [{"match": "commentaire", "references": {"table": "client"}}]}]})j",
     "c.json:1:89: /tables/0/columns/0/references: reservation.commentaire: type text does not match client.id (bigint)"},
    {R"j({"tables": [{"match": "journal", "columns": [{"match": "quand", "references": {"table": "journal"}}]}]})j",
     "c.json:1:79: /tables/0/columns/0/references: journal.quand: table 'journal' has no single-column primary key; name the column"},
    {R"j({"tables": [{"match": "journal", "primary_key": ["quand", "nivo"]}]})j",
     "c.json:1:49: /tables/0/primary_key: table journal has no column 'nivo' to key on"},
    {R"j({"tables": [{"match": "journal", "surrogate_key": "message"}]})j",
     "c.json:1:51: /tables/0/surrogate_key: surrogate key 'message' is already a column of journal"},
    {R"j({"tables": [{"match": "client", "columns": [{"match": "nom", "type": "varchar({precision})"}]}]})j",
     "c.json:1:45: /tables/0/columns/0: column nom (varchar(100)) has no {precision}"},
    {R"j({"types": [{"match": {"data_type": "int"}, "type": "numeric({size})"}]})j",
     "c.json:1:12: /types/0: unknown placeholder {size} (expected {length}, {precision}, {scale} or {fsp})"},
    {R"j({"tables": [{"match": "client", "columns": [{"match": "id", "type": "varchar(10)"}]},
                    {"match": "reservation", "columns": [{"match": "client_id", "references": {"table": "client"}}]}]})j",
     "c.json:2:95: /tables/1/columns/0/references: reservation.client_id: type bigint does not match client.id (varchar(10))"},
    {R"j({"tables": [{"match": "/^tmp_/", "skip": true}, {"match": "client"}]})j", ""},
};

class CheckRulesTest : public testing::TestWithParam<CheckCase> {};

TEST_P(CheckRulesTest, NamesTheProblem) {
  Rules rules = LoadRulesText(GetParam().rules, "c.json");
  RuleProblems problems = CheckRules(rules, "c.json", HotelCatalog());
  if (std::string(GetParam().expected_error).empty()) {
    EXPECT_TRUE(problems.errors.empty()) << problems.errors[0];
  } else {
    ASSERT_EQ(problems.errors.size(), 1u);
    EXPECT_EQ(problems.errors[0], GetParam().expected_error);
  }
}

INSTANTIATE_TEST_SUITE_P(Hotel, CheckRulesTest, testing::ValuesIn(kChecks));

TEST(CheckRules, RegexMatchingNothingIsAWarning) {
  Rules rules = LoadRulesText(R"j({"tables": [{"match": "/^tmp_/", "skip": true}],
      "types": [{"match": {"column": "/^zz/"}, "type": "text"}]})j", "c.json");
  RuleProblems problems = CheckRules(rules, "c.json", HotelCatalog());
  EXPECT_TRUE(problems.errors.empty());
  EXPECT_EQ(problems.warnings, (std::vector<std::string>{
                                   "c.json:1:23: /tables/0/match: /^tmp_/ matches no table of hotel",
                                   "c.json:2:27: /types/0/match: matches no column of hotel"}));
}

TEST(MapperGolden, ExplainHotel) {
  SchemaPlan plan = MapCatalog(HotelCatalog(), LoadRulesFile("samples/hotel_mapping.json"));
  ExpectGolden(ExplainText(plan, ""), "tests/golden/hotel.explain.txt");
  ExpectGolden(ExplainJson(plan, "reservation"), "tests/golden/hotel.explain.reservation.json");
}

TEST(Explain, UnknownTableSaysSo) {
  SchemaPlan plan = MapCatalog(HotelCatalog(), DefaultRules());
  try {
    ExplainText(plan, "reservations");
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(std::string(e.what()), "no table 'reservations' (did you mean 'reservation'?)");
  }
}

}  // namespace
}  // namespace my2pg
