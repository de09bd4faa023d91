// The legacy application against PostgreSQL: with search_path = legacy, its
// old SQL (old table and column names, 0/1 flags, local times, positional
// INSERTs, INSERT without id) runs on the migrated sample tenant, as the
// legacy role that has rights on the legacy schema only.
#include "common/error.h"
#include "tests/integration/test_env.h"

namespace my2pg {
namespace {

using Rows = std::vector<std::vector<std::string>>;

class CompatViewsTest : public testing::Test {
 protected:
  static void SetUpTestSuite() {
    CreateSampleTenants("vtest_", 1);
    PgSession admin = my2pg::Target("postgres");
    admin.Execute("DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'legacy_app') THEN "
                  "CREATE ROLE legacy_app LOGIN PASSWORD 'legacy'; END IF; END $$");
    CommandResult run = RunMy2pg("migrate --databases vtest_0001 --target '" + Env("MY2PG_TARGET") +
                                 "' --mapping samples/hotel_mapping.json --replace --grant-legacy legacy_app -q "
                                 "--reject-dir $MY2PG_TEST_OUT/vtest-rejects");
    ASSERT_EQ(run.exit_code, 0) << run.output;
  }

  // my2pg views, as after a change of the mapping.
  static CommandResult RecreateViews() {
    return RunMy2pg("views --database vtest_0001 --mapping samples/hotel_mapping.json --target '" +
                    Env("MY2PG_TARGET") + "' --grant-legacy legacy_app");
  }

  // A session as the legacy application sees the database.
  static PgSession LegacyApp() {
    ConnectionUri uri = ConnectionUri::Parse(Env("MY2PG_TARGET")).WithDatabase("vtest_0001");
    uri.user = "legacy_app";
    uri.password = "legacy";
    PgSession session(uri);
    session.Execute("SET search_path = legacy; SET TIME ZONE 'UTC'");
    return session;
  }
};

TEST_F(CompatViewsTest, OldApplicationScriptRuns) {
  PgSession app = LegacyApp();
  PgSession db = my2pg::Target("vtest_0001");

  // SELECT with the old names, in the old column order, flags as 0/1.
  EXPECT_EQ(app.Query("SELECT * FROM client WHERE id = 1"),
            (Rows{{"1", "Dupont", "Amélie", "amelie@example.com", "1", "FR", "1980-05-17", "2012-03-04 10:11:12",
                   "12.50", "100"}}));
  // Local times as the old code stored them, across both DST changes.
  EXPECT_EQ(app.QueryValue("SELECT date_creation FROM client WHERE id = 5"), "2016-10-30 02:30:00");

  // INSERT without id: the next id, after MySQL's AUTO_INCREMENT; RETURNING and lastval() work.
  EXPECT_EQ(app.QueryValue("INSERT INTO client (nom, prenom, actif, pays, date_naissance, date_creation) "
                           "VALUES ('Nouveau', 'Jean', 1, 'FR', '1990-01-01', '2020-06-01 12:00:00') RETURNING id"),
            "6");
  EXPECT_EQ(app.QueryValue("SELECT lastval()"), "6");
  EXPECT_EQ(db.Query("SELECT last_name, active, created_at::text, balance FROM hotel.customer WHERE id = 6"),
            (Rows{{"Nouveau", "t", "2020-06-01 10:00:00+00", "0.00"}}));

  // UPDATE of a type-changed column.
  app.Execute("UPDATE client SET actif = 0, date_creation = '2020-12-24 18:00:00' WHERE id = 6");
  EXPECT_EQ(db.Query("SELECT active, created_at::text FROM hotel.customer WHERE id = 6"),
            (Rows{{"f", "2020-12-24 17:00:00+00"}}));

  // enum and set columns read and write as text; defaults of the old schema apply.
  app.Execute("INSERT INTO chambre (numero, categorie, equipements, prix_nuit) VALUES (301, 'suite', 'wifi,minibar', 99)");
  EXPECT_EQ(db.Query("SELECT id, category::text, amenities::text, smoking, available FROM hotel.room WHERE number = 301"),
            (Rows{{"4", "suite", "{wifi,minibar}", "f", "t"}}));
  app.Execute("UPDATE chambre SET categorie = 'double', equipements = '' WHERE numero = 301");
  EXPECT_EQ(app.Query("SELECT categorie, equipements, fumeur, disponible FROM chambre WHERE numero = 301"),
            (Rows{{"double", "", "0", "1"}}));

  // A join of two legacy views.
  EXPECT_EQ(app.Query("SELECT r.id, c.nom FROM reservation r JOIN client c ON c.id = r.client_id ORDER BY r.id"),
            (Rows{{"1", "Dupont"}, {"2", "Lefèvre"}, {"4", "Café"}}));

  // DELETE.
  app.Execute("DELETE FROM reservation WHERE id = 2");
  EXPECT_EQ(db.QueryValue("SELECT string_agg(id::text, ',' ORDER BY id) FROM hotel.booking"), "1,3,4");

  // A positional INSERT into a table that has no key in MySQL (it got a surrogate key).
  app.Execute("INSERT INTO journal VALUES ('2021-01-01 00:00:00', 'INFO', 'bonjour')");
  EXPECT_EQ(db.Query("SELECT id, logged_at::text FROM hotel.event_log WHERE message = 'bonjour'"),
            (Rows{{"6", "2020-12-31 23:00:00+00"}}));
  app.Execute("UPDATE journal SET niveau = 'WARN' WHERE message = 'bonjour'");
  EXPECT_EQ(db.QueryValue("SELECT level FROM hotel.event_log WHERE id = 6"), "WARN");

  // The legacy role has rights on the legacy schema only.
  try {
    app.Query("SELECT count(*) FROM hotel.customer");
    FAIL() << "the legacy role could read the new table";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("permission denied"), std::string::npos) << e.what();
  }
}

TEST_F(CompatViewsTest, ViewsCommandRecreatesThem) {
  PgSession db = my2pg::Target("vtest_0001");
  db.Execute("DROP SCHEMA legacy CASCADE");
  CommandResult run = RecreateViews();
  ASSERT_EQ(run.exit_code, 0) << run.output;
  EXPECT_EQ(LegacyApp().QueryValue("SELECT count(*) FROM chambre"), db.QueryValue("SELECT count(*) FROM hotel.room"));
  CommandResult none = RunMy2pg("views --database vtest_0001 --target '" + Env("MY2PG_TARGET") + "'");
  EXPECT_EQ(none.exit_code, 2);
  EXPECT_EQ(none.output, "my2pg: the mapping names no legacy schema (options.legacy_schema)\n");
}

// Recreating the views drops what my2pg made in the legacy schema, and
// nothing else: a table someone keeps there survives with its rows.
TEST_F(CompatViewsTest, ViewsCommandKeepsWhatItDidNotCreate) {
  PgSession db = my2pg::Target("vtest_0001");
  db.Execute("CREATE TABLE legacy.kept_notes (note text); INSERT INTO legacy.kept_notes VALUES ('mine')");
  CommandResult run = RecreateViews();
  ASSERT_EQ(run.exit_code, 0) << run.output;
  EXPECT_EQ(db.QueryValue("SELECT string_agg(note, ',') FROM legacy.kept_notes"), "mine");
  EXPECT_EQ(db.QueryValue("SELECT string_agg(table_name, ',' ORDER BY table_name) FROM information_schema.views "
                          "WHERE table_schema = 'legacy'"),
            "chambre,client,journal,reservation");
  // The legacy role was granted the views, not the table someone else made.
  EXPECT_EQ(db.QueryValue("SELECT has_table_privilege('legacy_app', 'legacy.kept_notes', 'SELECT')"), "f");
  EXPECT_EQ(LegacyApp().QueryValue("SELECT count(*) FROM chambre"), db.QueryValue("SELECT count(*) FROM hotel.room"));
  db.Execute("DROP TABLE legacy.kept_notes");
}

// A legacy schema that is the target schema would hold the migrated tables:
// refused when the rules load, before anything is touched.
TEST(CompatViewsRules, LegacySchemaEqualToTargetIsRefused) {
  CommandResult run = RunMy2pg("migrate --databases vtest_0001 --target '" + Env("MY2PG_TARGET") +
                               "' --mapping tests/integration/data/legacy_public.json --replace -q");
  EXPECT_EQ(run.exit_code, 2);
  EXPECT_EQ(run.output,
            "my2pg: tests/integration/data/legacy_public.json:1:31: /options/legacy_schema: 'public' is the target "
            "schema; the legacy schema must be another one (its views would sit among the migrated tables)\n");
}

}  // namespace
}  // namespace my2pg
