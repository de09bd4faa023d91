#include "mapper/catalog_json.h"

#include <gtest/gtest.h>

#include "common/error.h"

namespace my2pg {
namespace {

TEST(CatalogJson, RoundTrips) {
  SourceCatalog catalog;
  catalog.database = "client_1";
  catalog.server_version = "10.11.6-MariaDB";
  catalog.default_charset = "latin1";
  SourceTable table;
  table.name = "chambre";
  table.engine = "InnoDB";
  table.row_estimate = 200;
  table.auto_increment = 201;
  SourceColumn id;
  id.name = "id";
  id.ordinal = 1;
  id.data_type = "mediumint";
  id.column_type = "mediumint(9)";
  id.nullable = false;
  id.auto_increment = true;
  SourceColumn category;
  category.name = "categorie";
  category.ordinal = 2;
  category.data_type = "enum";
  category.column_type = "enum('simple','l''autre')";
  category.labels = {"simple", "l'autre"};
  category.default_value = {SourceDefault::Kind::kLiteral, "simple"};
  category.charset = "latin1";
  table.columns = {id, category};
  table.indexes.push_back({"PRIMARY", true, "BTREE", {{"id", std::nullopt, false}}});
  table.indexes.push_back({"idx_cat", false, "BTREE", {{"categorie", 3, true}}});
  table.foreign_keys.push_back({"fk", {"id"}, "other", {"oid"}, "CASCADE", "RESTRICT"});
  catalog.tables.push_back(table);
  catalog.other_objects.push_back({"trigger", "trg", "chambre", "SET NEW.x = 1"});

  SourceCatalog back = ReadCatalogJson(WriteCatalogJson(catalog), "snapshot.json");
  EXPECT_EQ(WriteCatalogJson(back), WriteCatalogJson(catalog));
  ASSERT_EQ(back.tables.size(), 1u);
  EXPECT_EQ(back.tables[0].columns[1].labels, (std::vector<std::string>{"simple", "l'autre"}));
  EXPECT_EQ(back.tables[0].indexes[1].parts[0].prefix_length, 3);
  EXPECT_EQ(*back.tables[0].auto_increment, 201u);
}

TEST(CatalogJson, RoundTripsGrants) {
  SourceCatalog catalog;
  catalog.database = "hotel_0001";
  catalog.grants.emplace();
  catalog.grants->push_back({"app", "%", "", {"INSERT", "SELECT"}});
  catalog.grants->push_back({"app", "10.0.0.%", "client", {"UPDATE"}});
  catalog.grants->push_back({"x\"y\n", "", "", {"CREATE VIEW"}});

  const std::string json = WriteCatalogJson(catalog);
  SourceCatalog back = ReadCatalogJson(json, "snapshot.json");
  EXPECT_EQ(WriteCatalogJson(back), json);
  ASSERT_TRUE(back.grants.has_value());
  ASSERT_EQ(back.grants->size(), 3u);
  EXPECT_EQ((*back.grants)[1].host, "10.0.0.%");
  EXPECT_EQ((*back.grants)[1].table, "client");
  EXPECT_EQ((*back.grants)[1].privileges, (std::vector<std::string>{"UPDATE"}));
  EXPECT_EQ((*back.grants)[2].user, "x\"y\n");
  EXPECT_EQ(back.grants_problem, "");
}

// Grants read and none found differs from grants not read.
TEST(CatalogJson, KeepsWhetherGrantsWereRead) {
  SourceCatalog none;
  none.database = "d";
  none.grants.emplace();
  EXPECT_TRUE(ReadCatalogJson(WriteCatalogJson(none), "a.json").grants.has_value());

  SourceCatalog unread;
  unread.database = "d";
  unread.grants_problem = "SELECT command denied";
  SourceCatalog back = ReadCatalogJson(WriteCatalogJson(unread), "b.json");
  EXPECT_FALSE(back.grants.has_value());
  EXPECT_EQ(back.grants_problem, "SELECT command denied");
}

TEST(CatalogJson, ErrorsNameThePointer) {
  try {
    ReadCatalogJson(R"({"format": "my2pg-catalog/1", "database": "d", "tables": [{"name": "t", "columns": [{}]}]})",
                    "c.json");
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(std::string(e.what()), "c.json: /tables/0/columns/0: missing 'name'");
  }
  EXPECT_THROW(ReadCatalogJson("{}", "c.json"), Error);
  EXPECT_THROW(ReadCatalogJson("not json", "c.json"), Error);
}

TEST(ParseEnumLabels, HandlesQuotes) {
  EXPECT_EQ(ParseEnumLabels("enum('a','b''c','')"), (std::vector<std::string>{"a", "b'c", ""}));
  EXPECT_EQ(ParseEnumLabels("set('wifi','tv')"), (std::vector<std::string>{"wifi", "tv"}));
}

}  // namespace
}  // namespace my2pg
