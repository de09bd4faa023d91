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
#include "tests/test_catalog.h"
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
  EXPECT_EQ(every.columns[0].policies.zero_date, Policy::kNegativeInfinity);
  EXPECT_EQ(every.columns[0].policies.nul_bytes, Policy::kReject);
  EXPECT_EQ(every.columns[3].name, "t_flag");
  EXPECT_EQ(every.columns[3].policies.stray_boolean, Policy::kReject);
  EXPECT_EQ(every.columns[2].policies.stray_boolean, Policy::kTrue);
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
    keys.push_back(std::string(statement.validation ? "validate " : "add ") + statement.table + " needs " +
                   (statement.needs.empty() ? "" : statement.needs[0]));
  }
  EXPECT_EQ(keys, (std::vector<std::string>{"add \"hotel\".\"booking\" needs \"hotel\".\"customer\"",
                                            "validate \"hotel\".\"booking\" needs \"hotel\".\"customer\"",
                                            "add \"hotel\".\"booking\" needs \"hotel\".\"room\"",
                                            "validate \"hotel\".\"booking\" needs \"hotel\".\"room\""}));
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

SourceColumn IntColumn(const std::string& name) { return TestColumn(name, "int", "int(11)"); }

// orders (tenant_id, id) keyed on both; line references it by (tenant_id, order_id).
SourceCatalog OrdersAndLines() {
  SourceCatalog catalog;
  catalog.database = "d";
  SourceTable orders;
  orders.name = "orders";
  orders.columns = {IntColumn("tenant_id"), IntColumn("id"), IntColumn("code")};
  SourceIndex key;
  key.name = "PRIMARY";
  key.unique = true;
  for (const char* column : {"tenant_id", "id"}) {
    SourceIndexPart part;
    part.column = column;
    key.parts.push_back(part);
  }
  orders.indexes = {key};
  SourceTable line;
  line.name = "line";
  SourceColumn order_id = IntColumn("order_id");
  order_id.data_type = "bigint";
  order_id.column_type = "bigint(20)";
  line.columns = {IntColumn("tenant_id"), order_id, IntColumn("code")};
  catalog.tables = {orders, line};
  return catalog;
}

TEST(Mapper, ForeignKeyOfSeveralColumns) {
  Rules rules = LoadRulesText(R"j({"tables": [{"match": "line", "foreign_keys": [
      {"columns": ["tenant_id", "order_id"], "references": {"table": "orders", "orphans": "null"}},
      {"columns": ["order_id", "tenant_id"], "references": {"table": "orders", "columns": ["id", "tenant_id"], "orphans": "keep"}}]}]})j",
                              "k.json");
  SchemaPlan plan = MapCatalog(OrdersAndLines(), rules);
  const TargetTable& line = plan.tables[1];
  ASSERT_EQ(line.foreign_keys.size(), 2u);
  const TargetForeignKey& key = line.foreign_keys[0];
  EXPECT_EQ(key.name, "line_tenant_id_order_id_fkey");
  EXPECT_EQ(key.columns, (std::vector<std::string>{"tenant_id", "order_id"}));
  EXPECT_EQ(key.referenced_columns, (std::vector<std::string>{"tenant_id", "id"}));
  EXPECT_EQ(key.origin, "k.json#/tables/0/foreign_keys/0");
  EXPECT_EQ(key.orphans, Policy::kNull);
  EXPECT_TRUE(key.orphans_after_load);  // a bitmap holds one integer column only
  EXPECT_EQ(line.columns[1].type, "integer");  // bigint narrowed to its parent's type
  EXPECT_EQ(line.foreign_keys[1].referenced_columns, (std::vector<std::string>{"id", "tenant_id"}));
  EXPECT_FALSE(line.foreign_keys[1].orphans_after_load);  // kept: not checked
  Ddl ddl = BuildDdl(plan);
  // Added NOT VALID, then validated apart, but for the key that keeps its
  // orphans: PostgreSQL checks its new rows only.
  ASSERT_EQ(ddl.foreign_keys.size(), 3u);
  EXPECT_EQ(ddl.foreign_keys[0].sql,
            "ALTER TABLE \"public\".\"line\" ADD CONSTRAINT \"line_tenant_id_order_id_fkey\" FOREIGN KEY "
            "(\"tenant_id\", \"order_id\") REFERENCES \"public\".\"orders\" (\"tenant_id\", \"id\") ON DELETE NO ACTION ON "
            "UPDATE NO ACTION NOT VALID");
  EXPECT_FALSE(ddl.foreign_keys[0].validation);
  EXPECT_EQ(ddl.foreign_keys[1].sql,
            "ALTER TABLE \"public\".\"line\" VALIDATE CONSTRAINT \"line_tenant_id_order_id_fkey\"");
  EXPECT_TRUE(ddl.foreign_keys[1].validation);
  EXPECT_EQ(ddl.foreign_keys[1].needs, (std::vector<std::string>{"\"public\".\"orders\""}));
  EXPECT_EQ(ddl.foreign_keys[2].sql,
            "ALTER TABLE \"public\".\"line\" ADD CONSTRAINT \"line_order_id_tenant_id_fkey\" FOREIGN KEY "
            "(\"order_id\", \"tenant_id\") REFERENCES \"public\".\"orders\" (\"id\", \"tenant_id\") ON DELETE NO ACTION ON "
            "UPDATE NO ACTION NOT VALID");
  EXPECT_NE(ExplainText(plan, "line").find("foreign key line_tenant_id_order_id_fkey (tenant_id, order_id) -> orders "
                                           "(tenant_id, id) on delete NO ACTION, orphans: null (checked after the load)"
                                           "  [k.json#/tables/0/foreign_keys/0]"),
            std::string::npos)
      << ExplainText(plan, "line");
}

// A self-reference is checked after the load, against the table's own rows,
// and its key is VALID: no longer kept NOT VALID whatever the policy.
TEST(Mapper, SelfReferenceIsCheckedAfterTheLoad) {
  Rules rules = LoadRulesText(R"j({"tables": [{"match": "orders", "columns": [
      {"match": "code", "references": {"table": "orders", "columns": ["id"], "orphans": "reject"}}]}]})j",
                              "s.json");
  SourceCatalog catalog = OrdersAndLines();
  catalog.tables[0].indexes[0].parts.pop_back();  // the primary key: (id)
  catalog.tables[0].indexes[0].parts[0].column = "id";
  SchemaPlan plan = MapCatalog(catalog, rules);
  const TargetTable& orders = plan.tables[0];
  ASSERT_EQ(orders.foreign_keys.size(), 1u);
  EXPECT_EQ(orders.foreign_keys[0].orphans, Policy::kReject);
  EXPECT_TRUE(orders.foreign_keys[0].orphans_after_load);
  EXPECT_EQ(orders.columns[2].notes, std::vector<std::string>{});
  EXPECT_NE(ExplainText(plan, "orders").find("foreign key orders_code_fkey (code) -> orders (id) on delete NO ACTION, "
                                             "orphans: reject (checked after the load, against its own rows)"),
            std::string::npos)
      << ExplainText(plan, "orders");
  EXPECT_NE(ExplainJson(plan, "orders").find("\"orphans_checked\": \"after the load, against its own rows\""),
            std::string::npos)
      << ExplainJson(plan, "orders");
  Ddl ddl = BuildDdl(plan);
  ASSERT_EQ(ddl.foreign_keys.size(), 2u);
  EXPECT_EQ(ddl.foreign_keys[1].sql, "ALTER TABLE \"public\".\"orders\" VALIDATE CONSTRAINT \"orders_code_fkey\"");
}

TEST(Mapper, ForeignKeyOfSeveralColumnsErrors) {
  const std::pair<const char*, const char*> kCases[] = {
      {R"j({"tables": [{"match": "line", "foreign_keys": [{"columns": ["tenant_id"], "references": {"table": "orders"}}]}]})j",
       "k.json:1:48: /tables/0/foreign_keys/0: line.tenant_id: table 'orders' has no single-column primary key; name the column"},
      {R"j({"tables": [{"match": "line", "foreign_keys": [{"columns": ["tenant_id", "order_id", "code"], "references": {"table": "orders"}}]}]})j",
       "k.json:1:48: /tables/0/foreign_keys/0: line.(tenant_id, order_id, code): 3 columns cannot reference the primary "
       "key of table 'orders' (tenant_id, id); name the parent columns"},
      {R"j({"tables": [{"match": "line", "foreign_keys": [{"columns": ["tenant", "order_id"], "references": {"table": "orders"}}]}]})j",
       "k.json:1:48: /tables/0/foreign_keys/0: line.(tenant, order_id): column 'tenant' is not migrated"},
      {R"j({"tables": [{"match": "line", "foreign_keys": [{"columns": ["tenant_id", "code"], "references": {"table": "orders", "columns": ["tenant_id", "code"]}}]}]})j",
       "k.json:1:48: /tables/0/foreign_keys/0: line.(tenant_id, code): 'orders.(tenant_id, code)' is not a primary key or unique"},
      {R"j({"tables": [{"match": "line", "columns": [{"match": "code", "type": "text"}], "foreign_keys": [{"columns": ["tenant_id", "code"], "references": {"table": "orders"}}]}]})j",
       "k.json:1:96: /tables/0/foreign_keys/0: line.(tenant_id, code): column code: type text does not match orders.id (integer)"},
  };
  for (const auto& [json, expected] : kCases) {
    try {
      MapCatalog(OrdersAndLines(), LoadRulesText(json, "k.json"));
      ADD_FAILURE() << "accepted: " << json;
    } catch (const Error& e) {
      EXPECT_EQ(std::string(e.what()), expected);
    }
  }
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

// Two tables whose identity sequences PostgreSQL would name alike (both
// names cut to the same 58 bytes): the second gets its own name, qualified in
// the DDL, so the two CREATE TABLEs can run at once.
TEST(Mapper, IdentitySequencesThatWouldCollideAreNamed) {
  std::string prefix(63, 'x');
  SourceColumn id = IntColumn("id");
  id.auto_increment = true;
  SourceCatalog catalog = OneTable({id});
  catalog.tables[0].name = prefix + "1";
  catalog.tables.push_back(catalog.tables[0]);
  catalog.tables[1].name = prefix + "2";
  catalog.tables.push_back(catalog.tables[0]);
  catalog.tables[2].name = "short";
  SchemaPlan plan = MapCatalog(catalog, DefaultRules());
  ASSERT_EQ(plan.tables.size(), 3u);
  ASSERT_TRUE(plan.tables[0].columns[0].identity);
  EXPECT_EQ(plan.tables[0].columns[0].identity_sequence, "");  // PostgreSQL's x{56}_id_seq
  EXPECT_EQ(plan.tables[1].columns[0].identity_sequence, std::string(56, 'x') + "_id_s_1");
  EXPECT_EQ(plan.tables[2].columns[0].identity_sequence, "");  // short_id_seq
  Ddl ddl = BuildDdl(plan);
  EXPECT_NE(ddl.tables[1].sql.find("GENERATED BY DEFAULT AS IDENTITY (SEQUENCE NAME \"public\".\"" + std::string(56, 'x') +
                                   "_id_s_1\")"),
            std::string::npos)
      << ddl.tables[1].sql;
}

// A MySQL name may hold a line break: in the plan's comments it is escaped,
// so it can never become a statement of the script.
TEST(RenderScript, NamesInCommentsCannotEndThem) {
  SourceCatalog catalog = OneTable({IntColumn("a")});
  catalog.database = "d\nDROP DATABASE d;";
  catalog.tables[0].name = "t\nDROP TABLE x; --";
  catalog.other_objects.push_back({"view", "v\r\nDROP TABLE y;", "", ""});
  Rules rules = LoadRulesText(R"({"tables": [{"match": "/^t/", "skip": true}]})", "r.json");
  SchemaPlan plan = MapCatalog(catalog, rules);
  EXPECT_EQ(RenderScript(plan, BuildDdl(plan)),
            "-- my2pg plan for MySQL database d\\nDROP DATABASE d;\n"
            "-- WARNING: view v\\r\\nDROP TABLE y;: not migrated (my2pg does not translate MySQL views)\n"
            "-- skipped by rule: table t\\nDROP TABLE x; --\n");
}

TEST(RenderScript, NotesAndViewSchemaInCommentsAreEscaped) {
  SourceColumn column = IntColumn("c\nDROP TABLE z;");
  column.default_value = {SourceDefault::Kind::kExpression, "f()\nDROP TABLE w;"};
  SourceCatalog catalog = OneTable({column});
  Rules rules = LoadRulesText(R"({"options": {"legacy_schema": "old\nDROP TABLE v;"}})", "r.json");
  SchemaPlan plan = MapCatalog(catalog, rules);
  Ddl ddl = BuildDdl(plan);
  ddl.views.push_back({"", "SELECT 1"});
  std::string script = RenderScript(plan, ddl);
  EXPECT_NE(script.find("-- note: t.c\\nDROP TABLE z;: default expression 'f()\\nDROP TABLE w;' not translated; "
                        "no default\n"), std::string::npos) << script;
  EXPECT_NE(script.find("\n-- Compatibility views: the old names in schema old\\nDROP TABLE v;\n"), std::string::npos)
      << script;
  // (The column's own line break is inside its quoted name in CREATE TABLE.)
  EXPECT_EQ(script.find("\nDROP TABLE w;"), std::string::npos) << script;
  EXPECT_EQ(script.find("\nDROP TABLE v;"), std::string::npos) << script;
}

TEST(Explain, NamesWithLineBreaksStayOnTheirLine) {
  SourceCatalog catalog = OneTable({IntColumn("c\nd")});
  catalog.tables[0].name = "t\tx";
  SchemaPlan plan = MapCatalog(catalog, DefaultRules());
  std::string text = ExplainText(plan, "");
  EXPECT_EQ(text.substr(0, text.find('\n')), "table t\\tx -> public.t\\tx");
}

struct DefaultCase {
  const char* type;             // the target type a column rule gives a varchar(5)
  SourceDefault::Kind kind;
  const char* text;             // the source default
  const char* expected_sql;     // "" when dropped
  const char* expected_note;    // "" when none
};

using K = SourceDefault::Kind;

// Every default is a validated literal of the target type, quoted, or a known
// expression; anything else is dropped with a note, never spliced into DDL.
const DefaultCase kDefaults[] = {
    {"integer", K::kLiteral, "N/A", "", "default 'N/A' is not a valid integer; dropped"},
    {"integer", K::kLiteral, "1); DROP TABLE t; --", "", "default '1); DROP TABLE t; --' is not a valid integer; dropped"},
    {"integer", K::kLiteral, "42", "42", ""},
    {"bigint", K::kLiteral, "-9223372036854775808", "-9223372036854775808", ""},
    {"smallint", K::kLiteral, "32768", "", "default '32768' is not a valid smallint; dropped"},
    {"integer", K::kLiteral, "1.5", "", "default '1.5' is not a valid integer; dropped"},
    {"numeric(10,2)", K::kLiteral, "12.50", "12.50", ""},
    {"numeric(10,2)", K::kLiteral, "-.5", "-.5", ""},
    {"double precision", K::kLiteral, "1e-3", "1e-3", ""},
    {"real", K::kLiteral, "1e", "", "default '1e' is not a valid real; dropped"},
    {"boolean", K::kLiteral, "1", "true", ""},
    {"boolean", K::kLiteral, "b'0'", "false", ""},
    {"boolean", K::kLiteral, "Oui", "true", ""},
    {"boolean", K::kLiteral, "N/A", "", "default 'N/A' is not a valid boolean; dropped"},
    {"date", K::kLiteral, "2020-02-29", "'2020-02-29'", ""},
    {"date", K::kLiteral, "N/A", "", "default 'N/A' is not a valid date; dropped"},
    {"timestamp(3)", K::kLiteral, "2020-02-29 23:59:59.125", "'2020-02-29 23:59:59.125'", ""},
    {"timestamp", K::kLiteral, "2020-02-29'; DROP TABLE t; --", "",
     "default '2020-02-29'; DROP TABLE t; --' is not a valid timestamp; dropped"},
    {"time", K::kLiteral, "12:30:00", "'12:30:00'", ""},
    {"time", K::kLiteral, "-838:59:59", "", "default '-838:59:59' is not a valid time; dropped"},
    {"varchar(5)", K::kLiteral, "it's", "'it''s'", ""},
    {"varchar(3)", K::kLiteral, "abcd", "", "default 'abcd' is not a valid varchar(3); dropped"},
    {"char(3)", K::kLiteral, "été", "'été'", ""},
    {"text", K::kLiteral, "x'); DROP TABLE t; --", "'x''); DROP TABLE t; --'", ""},
    {"jsonb", K::kLiteral, "{\"a\": 1}", "'{\"a\": 1}'", ""},
    {"jsonb", K::kLiteral, "{a", "", "default '{a' is not a valid jsonb; dropped"},
    {"bit(3)", K::kLiteral, "b'101'", "B'101'", ""},
    {"bit(3)", K::kLiteral, "b'1' || 'x'", "", "default 'b'1' || 'x'' is not a valid bit(3); dropped"},
    {"uuid", K::kLiteral, "abc", "",
     "default 'abc' is not checked for type uuid; dropped (a column rule's \"default\" can give one)"},
    {"timestamp", K::kExpression, "current_timestamp()", "CURRENT_TIMESTAMP", ""},
    {"date", K::kExpression, "curdate()", "", "default expression 'curdate()' not translated; no default"},
    {"integer", K::kExpression, "current_timestamp()", "",
     "default expression 'current_timestamp()' does not fit integer; no default"},
};

class DefaultsTest : public testing::TestWithParam<DefaultCase> {};

TEST_P(DefaultsTest, ValidatedQuotedOrDropped) {
  SourceColumn column;
  column.name = "c";
  column.data_type = "varchar";
  column.column_type = "varchar(5)";
  column.char_max_length = 5;
  column.default_value = {GetParam().kind, GetParam().text};
  Rules rules = LoadRulesText(std::string(R"({"tables": [{"match": "t", "columns": [{"match": "c", "type": ")") +
                                  GetParam().type + "\"}]}]}",
                              "r.json");
  SchemaPlan plan = MapCatalog(OneTable({column}), rules);
  const TargetColumn& target = plan.tables[0].columns[0];
  EXPECT_EQ(target.default_sql, GetParam().expected_sql);
  std::vector<std::string> expected_notes;
  if (*GetParam().expected_note != '\0') expected_notes.push_back(GetParam().expected_note);
  EXPECT_EQ(target.notes, expected_notes);
}

INSTANTIATE_TEST_SUITE_P(Mapper, DefaultsTest, testing::ValuesIn(kDefaults));

TEST(Mapper, EnumDefaultMustBeALabel) {
  SourceColumn column;
  column.name = "c";
  column.data_type = "enum";
  column.column_type = "enum('a','b')";
  column.labels = {"a", "b"};
  column.default_value = {K::kLiteral, "c"};
  SchemaPlan plan = MapCatalog(OneTable({column}), DefaultRules());
  EXPECT_EQ(plan.tables[0].columns[0].default_sql, "");
  EXPECT_EQ(plan.tables[0].columns[0].notes, std::vector<std::string>{"default 'c' is not a valid \"public\".\"t_c\"; dropped"});
  column.default_value.text = "b";
  EXPECT_EQ(MapCatalog(OneTable({column}), DefaultRules()).tables[0].columns[0].default_sql, "'b'");
}

TEST(Mapper, SetDefaultElementsAreQuotedInTheArray) {
  SourceColumn column;
  column.name = "c";
  column.data_type = "set";
  column.column_type = "set('a','b\"c')";
  column.labels = {"a", "b\"c"};
  column.default_value = {K::kLiteral, "a,b\"c"};
  SchemaPlan plan = MapCatalog(OneTable({column}), DefaultRules());
  EXPECT_EQ(plan.tables[0].columns[0].default_sql, "'{\"a\",\"b\\\"c\"}'");
}

// Names PostgreSQL would cut to the same 63 bytes, or that case folding
// makes equal, get distinct names: the same ones on every run.
TEST(Mapper, NamesEqualAfterTruncationGetDistinctNames) {
  std::string stem(63, 'a');
  SourceCatalog catalog = OneTable({IntColumn(stem + "1"), IntColumn(stem + "2"), IntColumn("ctid"),
                                    IntColumn(std::string(61, 'a') + "_1")});
  catalog.tables[0].name = stem + "2";
  SourceTable other = catalog.tables[0];
  other.name = stem + "1";
  catalog.tables.push_back(other);
  SchemaPlan plan = MapCatalog(catalog, DefaultRules());
  ASSERT_EQ(plan.tables.size(), 2u);
  EXPECT_EQ(plan.tables[0].name, std::string(61, 'a') + "_1");  // stem + "2" sorts after stem + "1"
  EXPECT_EQ(plan.tables[1].name, stem);
  std::vector<std::string> columns;
  for (const TargetColumn& column : plan.tables[0].columns) columns.push_back(column.name);
  // "aaa…a_1" is a source name (cut to 63 bytes): the suffixed name skips it.
  EXPECT_EQ(columns, (std::vector<std::string>{stem, std::string(61, 'a') + "_2", "ctid_1", std::string(61, 'a') + "_1"}));
  EXPECT_EQ(plan.tables[0].columns[2].notes,
            std::vector<std::string>{"named ctid_1: ctid is a PostgreSQL system column"});
  EXPECT_EQ(plan.tables[0].columns[1].notes,
            std::vector<std::string>{"named " + std::string(61, 'a') + "_2: " + stem + " is taken (names are cut to 63 bytes)"});
  std::string cut = " is taken (names are cut to 63 bytes)";
  EXPECT_EQ(plan.renamed_to_stay_distinct,
            (std::vector<std::string>{
                "table " + stem + "2: named " + std::string(61, 'a') + "_1: " + stem + cut,
                "column " + stem + "2." + stem + "2: named " + std::string(61, 'a') + "_2: " + stem + cut,
                "column " + stem + "2.ctid: named ctid_1: ctid is a PostgreSQL system column",
                "column " + stem + "1." + stem + "2: named " + std::string(61, 'a') + "_2: " + stem + cut,
                "column " + stem + "1.ctid: named ctid_1: ctid is a PostgreSQL system column"}));
  // The same plan whatever the catalog's order.
  std::swap(catalog.tables[0], catalog.tables[1]);
  SchemaPlan swapped = MapCatalog(catalog, DefaultRules());
  EXPECT_EQ(swapped.tables[0].name, stem);
  EXPECT_EQ(swapped.tables[1].name, std::string(61, 'a') + "_1");
}

TEST(Mapper, NamesEqualAfterCaseFoldingGetDistinctNames) {
  SourceCatalog catalog = OneTable({IntColumn("a")});
  catalog.tables[0].name = "Order";
  SourceTable lower = catalog.tables[0];
  lower.name = "order";
  catalog.tables.push_back(lower);
  Rules rules = LoadRulesText(R"({"options": {"name_case": "lower"}})", "r.json");
  SchemaPlan plan = MapCatalog(catalog, rules);
  EXPECT_EQ(plan.tables[0].name, "order_1");  // "order" keeps its own name
  EXPECT_EQ(plan.tables[1].name, "order");
  EXPECT_EQ(plan.warnings, std::vector<std::string>{"table Order: named order_1: order is taken (names are lower-cased)"});
  EXPECT_EQ(plan.renamed_to_stay_distinct,
            std::vector<std::string>{"table Order: named order_1: order is taken (names are lower-cased)"});
}

TEST(Mapper, RuleNameOnASystemColumnIsAnError) {
  Rules rules = LoadRulesText(R"({"tables": [{"match": "t", "columns": [{"match": "a", "rename": "xmin"}]}]})", "r.json");
  try {
    MapCatalog(OneTable({IntColumn("a")}), rules);
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(std::string(e.what()), "r.json:1:40: /tables/0/columns/0: table t: 'xmin' is a PostgreSQL system column name");
  }
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
