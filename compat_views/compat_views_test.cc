#include "compat_views/compat_views.h"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "mapper/catalog_json.h"
#include "mapper/mapper.h"
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
            "DROP SCHEMA IF EXISTS \"old app\" CASCADE;\n"
            "CREATE SCHEMA \"old app\";\n"
            "CREATE VIEW \"old app\".\"commande\" AS SELECT \"number\" AS \"numero\", \"a\"\"b\" AS \"a\"\"b\" "
            "FROM \"public\".\"orders\";\n");
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
  ASSERT_EQ(views.size(), 3u);
  EXPECT_EQ(views[2].sql, "CREATE VIEW \"legacy\".\"t\" AS SELECT \"b\" AS \"a\", \"a\" AS \"b\" FROM \"public\".\"t\"");
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
