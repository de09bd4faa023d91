#include "compat_views/compat_views.h"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "mapper/catalog_json.h"
#include "mapper/mapper.h"
#include "tests/test_catalog.h"
#include "tests/test_util.h"

namespace my2pg {
namespace {


SchemaPlan HotelPlan() {
  std::string path = "tests/golden/hotel.catalog.json";
  return MapCatalog(ReadCatalogJson(ReadFile(path), path), LoadRulesFile("samples/hotel_mapping.json"));
}

std::string All(const std::vector<DdlStatement>& statements) {
  std::string out;
  for (const auto& statement : statements) out += statement.sql + ";\n";
  return out;
}

TEST(CompatViews, NoLegacySchemaNoViews) {
  SchemaPlan plan = HotelPlan();
  plan.legacy_schema.clear();
  EXPECT_TRUE(BuildCompatViews(plan, {}).empty());
}

// The sample mapping's views, whole: golden file (MY2PG_UPDATE_GOLDEN=1 rewrites it).
TEST(CompatViews, HotelGolden) {
  ExpectGolden(All(BuildCompatViews(HotelPlan(), {"legacy_app"})), "tests/golden/hotel.views.sql");
}

// What (re)creating the views drops first: the views and trigger functions
// my2pg made (marked by their comment), never the schema and what else it holds.
std::string DropOwnObjects(const std::string& schema_literal) {
  return "DO $my2pg$\n"
         "DECLARE\n"
         "  object text;\n"
         "BEGIN\n"
         "  FOR object IN SELECT c.oid::regclass::text FROM pg_catalog.pg_class c\n"
         "      JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace\n"
         "      WHERE n.nspname = " + schema_literal + " AND c.relkind = 'v'\n"
         "        AND pg_catalog.obj_description(c.oid, 'pg_class') = 'my2pg compatibility view' LOOP\n"
         "    EXECUTE 'DROP VIEW ' || object;\n"
         "  END LOOP;\n"
         "  FOR object IN SELECT p.oid::regprocedure::text FROM pg_catalog.pg_proc p\n"
         "      JOIN pg_catalog.pg_namespace n ON n.oid = p.pronamespace\n"
         "      WHERE n.nspname = " + schema_literal + "\n"
         "        AND pg_catalog.obj_description(p.oid, 'pg_proc') = 'my2pg compatibility view' LOOP\n"
         "    EXECUTE 'DROP FUNCTION ' || object;\n"
         "  END LOOP;\n"
         "END\n"
         "$my2pg$;\n";
}

// The legacy schema may hold what others put there (or be "public" of a
// mapping whose tables go elsewhere): it is never dropped.
TEST(CompatViews, NeverDropsTheSchema) {
  std::string sql = All(BuildCompatViews(HotelPlan(), {"legacy_app"}));
  EXPECT_EQ(sql.find("DROP SCHEMA"), std::string::npos);
  EXPECT_EQ(sql.find("CASCADE"), std::string::npos);
  EXPECT_EQ(sql.find("ALL TABLES IN SCHEMA"), std::string::npos);  // grants name each view
  EXPECT_EQ(sql.substr(0, sql.find("CREATE VIEW")), "CREATE SCHEMA IF NOT EXISTS \"legacy\";\n" + DropOwnObjects("'legacy'"));
}

TEST(CompatViews, RenamesOnlyGiveAPlainUpdatableView) {
  SourceCatalog catalog;
  catalog.database = "d";
  SourceTable table;
  table.name = "commande";
  SourceColumn a, b;
  a.name = "numero";
  a.data_type = "int";
  a.column_type = "int(11)";
  b.name = "a\"b";  // a name that needs quoting
  b.data_type = "int";
  b.column_type = "int(11)";
  table.columns = {a, b};
  catalog.tables.push_back(table);
  Rules rules = LoadRulesText(R"({"options": {"legacy_schema": "old app"},
      "tables": [{"match": "commande", "rename": "orders", "columns": [{"match": "numero", "rename": "number"}]}]})",
                              "r.json");
  EXPECT_EQ(All(BuildCompatViews(MapCatalog(catalog, rules), {})),
            "CREATE SCHEMA IF NOT EXISTS \"old app\";\n" + DropOwnObjects("'old app'") +
            "CREATE VIEW \"old app\".\"commande\" AS SELECT \"number\" AS \"numero\", \"a\"\"b\" AS \"a\"\"b\" "
            "FROM \"public\".\"orders\";\n"
            "COMMENT ON VIEW \"old app\".\"commande\" IS 'my2pg compatibility view';\n");
}

TEST(CompatViews, SwappedColumnNamesMapByPosition) {
  SourceCatalog catalog;
  SourceTable table;
  table.name = "t";
  SourceColumn a, b;
  a.name = "a";
  a.data_type = b.data_type = "int";
  a.column_type = b.column_type = "int(11)";
  b.name = "b";
  table.columns = {a, b};
  catalog.tables.push_back(table);
  Rules rules = LoadRulesText(R"({"options": {"legacy_schema": "legacy"},
      "tables": [{"match": "t", "columns": [{"match": "a", "rename": "b"}, {"match": "b", "rename": "a"}]}]})", "r.json");
  std::vector<DdlStatement> views = BuildCompatViews(MapCatalog(catalog, rules), {});
  ASSERT_EQ(views.size(), 4u);
  EXPECT_EQ(views[2].sql, "CREATE VIEW \"legacy\".\"t\" AS SELECT \"b\" AS \"a\", \"a\" AS \"b\" FROM \"public\".\"t\"");
}

// "$" in names is text like any other: the trigger SQL is composed around the
// quoted names, never made by replacing a placeholder in text that holds them.
TEST(CompatViews, DollarInNamesStaysInTheNames) {
  SourceCatalog catalog;
  catalog.database = "d";
  SourceTable table;
  table.name = "prix$2";
  SourceColumn id = TestColumn("id$", "int", "int(11)");
  id.auto_increment = true;
  id.nullable = false;
  SourceColumn state = TestColumn("$1", "enum", "enum('a','b$')");
  state.labels = {"a", "b$"};
  table.columns = {id, state};
  table.indexes.push_back({"PRIMARY", true, "BTREE", {{"id$", std::nullopt, false}}});
  catalog.tables.push_back(table);
  Rules rules = LoadRulesText(R"({"options": {"legacy_schema": "legacy", "target_schema": "app"}})", "r.json");
  std::vector<DdlStatement> views = BuildCompatViews(MapCatalog(catalog, rules), {});
  std::string function;
  for (const DdlStatement& statement : views) {
    if (statement.sql.rfind("CREATE FUNCTION", 0) == 0) function = statement.sql;
  }
  const std::string id_value = "COALESCE(NEW.\"id$\", nextval(pg_get_serial_sequence('\"app\".\"prix$2\"', 'id$')))";
  const std::string state_value = "NEW.\"$1\"::\"app\".\"prix$2_$1\"";
  EXPECT_EQ(function,
            "CREATE FUNCTION \"legacy\".\"prix$2_write\"() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER "
            "SET search_path = pg_catalog, pg_temp AS $my2pg$\n"
            "BEGIN\n"
            "  IF TG_OP = 'INSERT' THEN\n"
            "    INSERT INTO \"app\".\"prix$2\" AS my2pg_row (\"id$\", \"$1\")\n"
            "      VALUES (" + id_value + ", " + state_value + ")\n"
            "      RETURNING my2pg_row.\"id$\", my2pg_row.\"$1\"::text\n"
            "      INTO NEW.\"id$\", NEW.\"$1\";\n"
            "    RETURN NEW;\n"
            "  ELSIF TG_OP = 'UPDATE' THEN\n"
            "    UPDATE \"app\".\"prix$2\" AS my2pg_row SET \"id$\" = " + id_value + ", \"$1\" = " + state_value + "\n"
            "      WHERE my2pg_row.\"id$\" = OLD.\"id$\";\n"
            "    RETURN NEW;\n"
            "  END IF;\n"
            "  DELETE FROM \"app\".\"prix$2\" AS my2pg_row WHERE my2pg_row.\"id$\" = OLD.\"id$\";\n"
            "  RETURN OLD;\n"
            "END\n"
            "$my2pg$");
}

// A name holding the dollar-quote tag cannot end the function body early.
TEST(CompatViews, BodyTagAvoidsNames) {
  SourceCatalog catalog;
  SourceTable table;
  table.name = "t";
  table.columns = {TestColumn("$my2pg$", "tinyint", "tinyint(1)")};
  catalog.tables.push_back(table);
  Rules rules = LoadRulesText(R"({"options": {"legacy_schema": "legacy"}})", "r.json");
  std::string sql = All(BuildCompatViews(MapCatalog(catalog, rules), {}));
  EXPECT_NE(sql.find("SET search_path = pg_catalog, pg_temp AS $my2pg_1$\nBEGIN\n"), std::string::npos) << sql;
  EXPECT_NE(sql.find("\nEND\n$my2pg_1$;\n"), std::string::npos) << sql;
}

TEST(CompatViews, TypeChangesShowTheLegacyForm) {
  std::string sql = All(BuildCompatViews(HotelPlan(), {}));
  EXPECT_NE(sql.find("\"active\"::integer::smallint AS \"actif\""), std::string::npos);
  EXPECT_NE(sql.find("\"category\"::text AS \"categorie\""), std::string::npos);
  EXPECT_NE(sql.find("array_to_string(\"amenities\", ',') AS \"equipements\""), std::string::npos);
  EXPECT_NE(sql.find("(\"created_at\" AT TIME ZONE 'Europe/Paris') AS \"date_creation\""), std::string::npos);
  // Writes map back: 0/1 to boolean, text to the enum type, local time to UTC.
  EXPECT_NE(sql.find("(NEW.\"actif\" <> 0)"), std::string::npos);
  EXPECT_NE(sql.find("NEW.\"categorie\"::\"hotel\".\"room_category\""), std::string::npos);
  EXPECT_NE(sql.find("(NEW.\"date_creation\" AT TIME ZONE 'Europe/Paris')"), std::string::npos);
}

}  // namespace
}  // namespace my2pg

namespace my2pg {
namespace {

// A skipped table has no view (documented): the old code gets "relation does
// not exist" rather than a view that silently returns nothing.
TEST(CompatViews, SkippedTableHasNoView) {
  std::string path = "tests/golden/hotel.catalog.json";
  Rules rules = LoadRulesText(R"({"options": {"legacy_schema": "legacy"}, "tables": [{"match": "journal", "skip": true}]})",
                              "r.json");
  std::string sql = All(BuildCompatViews(MapCatalog(ReadCatalogJson(ReadFile(path), path), rules), {}));
  EXPECT_EQ(sql.find("\"journal\""), std::string::npos);
  EXPECT_NE(sql.find("CREATE VIEW \"legacy\".\"client\""), std::string::npos);
}

// A dropped column still appears, as NULL of its old type, so SELECT * and
// positional INSERTs keep their shape.
TEST(CompatViews, DroppedColumnReadsAsNull) {
  std::string path = "tests/golden/hotel.catalog.json";
  Rules rules = LoadRulesText(R"({"options": {"legacy_schema": "legacy"},
      "tables": [{"match": "client", "columns": [{"match": "points", "skip": true}]}]})", "r.json");
  std::string sql = All(BuildCompatViews(MapCatalog(ReadCatalogJson(ReadFile(path), path), rules), {}));
  EXPECT_NE(sql.find("\"solde\" AS \"solde\", NULL::bigint AS \"points\" FROM \"public\".\"client\""), std::string::npos)
      << sql;
}

}  // namespace
}  // namespace my2pg
