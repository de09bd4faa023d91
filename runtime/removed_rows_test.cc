#include "runtime/removed_rows.h"

#include <gtest/gtest.h>

#include "mapper/mapper.h"
#include "rules/rules.h"
#include "tests/test_catalog.h"

namespace my2pg {
namespace {

// t (id INT PRIMARY KEY, code VARCHAR(8) UNIQUE, at DATETIME, n INT).
SourceCatalog OneTable() {
  SourceCatalog catalog;
  catalog.database = "d";
  SourceTable table;
  table.name = "t";
  table.columns = {TestColumn("id", "int", "int(11)"), TestColumn("code", "varchar", "varchar(8)"),
                   TestColumn("at", "datetime", "datetime"), TestColumn("n", "int", "int(11)")};
  for (const char* column : {"id", "code"}) {
    SourceIndex index;
    index.name = std::string(column) == "id" ? "PRIMARY" : "code";
    index.unique = true;
    index.kind = "BTREE";
    SourceIndexPart part;
    part.column = column;
    index.parts.push_back(part);
    table.indexes.push_back(index);
  }
  table.columns[1].char_max_length = 8;
  for (size_t i = 0; i < table.columns.size(); ++i) table.columns[i].ordinal = static_cast<int>(i) + 1;
  catalog.tables = {table};
  return catalog;
}

bool ReadsBack(const std::string& rules_json, SourceCatalog catalog = OneTable()) {
  SchemaPlan plan = MapCatalog(catalog, LoadRulesText(rules_json, "r.json"));
  return KeyReadsBack(plan, plan.tables[0]);
}

TEST(KeyReadsBack, OnlyKeysTheCopyCannotChangeWithAUniqueSourceIndex) {
  EXPECT_TRUE(ReadsBack("{}"));  // the integer primary key
  // Its values mapped: a loaded key could name another source row.
  EXPECT_FALSE(ReadsBack(R"({"tables": [{"match": "t", "columns": [{"match": "id", "cleanup": [{"map": {"1": "2"}}]}]}]})"));
  // Text and date-time keys may be repaired or moved to UTC on the way.
  EXPECT_FALSE(ReadsBack(R"({"tables": [{"match": "t", "primary_key": ["code"]}]})"));
  EXPECT_FALSE(ReadsBack(R"({"tables": [{"match": "t", "primary_key": ["at"]}]})"));
  // An integer key a rule gives, with no unique index in the source: each
  // batch would scan the table.
  EXPECT_FALSE(ReadsBack(R"({"tables": [{"match": "t", "primary_key": ["n"]}]})"));
  SourceCatalog zerofill = OneTable();
  zerofill.tables[0].columns[0].column_type = "int(5) unsigned zerofill";
  EXPECT_FALSE(ReadsBack("{}", zerofill));  // "00042" in the source, 42 loaded
  SourceCatalog keyless = OneTable();
  keyless.tables[0].indexes.clear();
  EXPECT_FALSE(ReadsBack("{}", keyless));
}

}  // namespace
}  // namespace my2pg
