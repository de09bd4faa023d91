#include "mapper/mapper.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <sstream>

#include "common/error.h"
#include "mapper/catalog_json.h"
#include "mapper/ddl.h"

namespace my2pg {
namespace {

std::string ReadFile(const std::string& path) {
  std::ifstream in(path);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

// Compares with a golden file; MY2PG_UPDATE_GOLDEN=1 rewrites it instead.
void ExpectGolden(const std::string& actual, const std::string& golden_path) {
  if (std::getenv("MY2PG_UPDATE_GOLDEN") != nullptr) {
    std::ofstream(golden_path) << actual;
    return;
  }
  EXPECT_EQ(actual, ReadFile(golden_path)) << "golden file " << golden_path
                                           << " differs (MY2PG_UPDATE_GOLDEN=1 to accept)";
}

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

TEST(MapperGolden, HotelSampleMapping) {
  ExpectGolden(Plan("tests/golden/hotel.catalog.json", LoadRulesFile("samples/hotel_mapping.json")),
               "tests/golden/hotel.mapped.sql");
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
    EXPECT_EQ(std::string(e.what()), "table t: two columns map to the target name 'b'");
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
  RuleOrigin origin{"r.json", "/types/0"};
  EXPECT_EQ(ExpandTypeTemplate("numeric({precision},{scale})", column, origin), "numeric(10,2)");
  try {
    ExpandTypeTemplate("varchar({length})", column, origin);
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(std::string(e.what()), "r.json#/types/0: column c (decimal(10,2)) has no {length}");
  }
}

}  // namespace
}  // namespace my2pg
