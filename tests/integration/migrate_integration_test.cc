// my2pg migrate, plan and catalog against the real sandbox servers: a sample
// tenant full of planted dirt goes through, and every value that arrives is
// checked exactly.
#include <rapidjson/document.h>

#include <fstream>
#include <map>

#include "common/error.h"
#include "common/identifier.h"
#include "adapters/mysql_session.h"
#include "tests/integration/test_env.h"

namespace my2pg {
namespace {

class MigrateTest : public testing::Test {
 protected:
  static void SetUpTestSuite() {
    MySqlDriverInit();
    CreateSampleTenants("itest_", 2);
  }

  static std::string Target() { return "--target '" + Env("MY2PG_TARGET") + "'"; }
};

std::vector<std::vector<std::string>> Rows(PgSession& session, const std::string& sql) {
  return session.Query(sql);
}

TEST_F(MigrateTest, DefaultMappingLoadsEveryRowOrRejectsIt) {
  CommandResult run = RunMy2pg("migrate --databases itest_0001 " + Target() +
                               " --replace --reject-dir $MY2PG_TEST_OUT/itest-rejects --report $MY2PG_TEST_OUT/itest-report.json");
  ASSERT_EQ(run.exit_code, 0) << run.output;
  EXPECT_EQ(run.output.find("sandbox"), std::string::npos) << "a password was printed";

  PgSession db = my2pg::Target("itest_0001");
  // Source rows = target rows + rejected rows, per table.
  EXPECT_EQ(db.QueryValue("SELECT count(*) FROM client"), "3");       // 5 - 2 rejected
  EXPECT_EQ(db.QueryValue("SELECT count(*) FROM chambre"), "3");
  EXPECT_EQ(db.QueryValue("SELECT count(*) FROM reservation"), "2");  // 4 - 2 rejected
  EXPECT_EQ(db.QueryValue("SELECT count(*) FROM journal"), "5");      // no primary key, duplicates kept

  // latin1 is Windows-1252; zero dates become NULL; unsigned extremes survive.
  EXPECT_EQ(Rows(db, "SELECT nom, prenom, email IS NULL, actif, date_naissance IS NULL, date_creation IS NULL, points "
                     "FROM client WHERE id = 2"),
            (std::vector<std::vector<std::string>>{{"Lefèvre", "Jérôme", "t", "f", "t", "t", "4294967295"}}));
  EXPECT_EQ(Rows(db, "SELECT nom, prenom, email, date_naissance::text, date_creation::text FROM client WHERE id = 5"),
            (std::vector<std::vector<std::string>>{{"Prix 10€", "  Anne  ", "", "2000-02-29", "2016-10-30 02:30:00"}}));
  EXPECT_EQ(db.QueryValue("SELECT date_naissance::text FROM client WHERE id = 1"), "1980-05-17");
  // Mis-encoded UTF-8 stays as stored until a rule asks for repair.
  EXPECT_EQ(db.QueryValue("SELECT count(*) FROM client WHERE id IN (3, 4)"), "0");

  // enum, set, bit(1), year 0000.
  EXPECT_EQ(Rows(db, "SELECT id, categorie::text, equipements::text, fumeur, annee_renov, disponible FROM chambre ORDER BY id"),
            (std::vector<std::vector<std::string>>{{"1", "simple", "{wifi,tv}", "f", "1999", "t"},
                                                   {"2", "double", "{}", "t", "", "f"},
                                                   {"3", "suite", "", "f", "", "t"}}));
  // COPY escaping, NUL bytes, bytea, TIMESTAMP read as UTC, fractional seconds.
  EXPECT_EQ(Rows(db, "SELECT commentaire, cree_le::text, modifie_le::text, encode(recu, 'hex'), heure_arrivee::text, "
                     "taux_tva::text, annule FROM reservation WHERE id = 1"),
            (std::vector<std::vector<std::string>>{{"Arrivée tardive, prévoir clé", "2014-03-30 01:30:00+00",
                                                    "2014-10-26 02:30:00.125", "deadbeef", "14:30:00", "0.1", "f"}}));
  EXPECT_EQ(Rows(db, "SELECT commentaire, octet_length(recu), modifie_le::text FROM reservation WHERE id = 3"),
            (std::vector<std::vector<std::string>>{{"nulbyte", "0", "2016-06-15 12:00:00"}}));
  EXPECT_EQ(db.QueryValue("SELECT message FROM journal WHERE quand = '2016-01-01 00:01:00' LIMIT 1"), "évènement 2 😀");
  EXPECT_EQ(db.QueryValue("SELECT count(*) FROM journal WHERE quand IS NULL"), "1");

  // Keys and identities come after the load; the next id follows MySQL's.
  EXPECT_EQ(db.QueryValue("SELECT count(*) FROM pg_indexes WHERE tablename = 'client'"), "2");
  db.Execute("INSERT INTO chambre (numero, prix_nuit) VALUES (301, 80)");
  EXPECT_EQ(db.QueryValue("SELECT max(id) FROM chambre"), "4");

  // Each rejected row is in the reject file with its key, column and reason.
  std::string client_rejects = ReadFile(Out("itest-rejects/itest_0001/client.rejects.jsonl"));
  EXPECT_NE(client_rejects.find(R"({"key":{"id":"3"},"column":"date_naissance","reason":"invalid date '1985-02-30'")"),
            std::string::npos) << client_rejects;
  EXPECT_NE(client_rejects.find(R"({"key":{"id":"4"},"column":"date_creation","reason":"invalid date '2014-00-10 00:00:00'")"),
            std::string::npos) << client_rejects;
  EXPECT_NE(client_rejects.find(R"("nom":"Caf\\xC3\\xA9")"), std::string::npos) << "original bytes, hex-escaped";
  std::string booking_rejects = ReadFile(Out("itest-rejects/itest_0001/reservation.rejects.jsonl"));
  EXPECT_NE(booking_rejects.find(R"("reason":"time '25:00:00' is outside 00:00:00-24:00:00")"), std::string::npos);
  EXPECT_NE(booking_rejects.find(R"("reason":"time '-01:00:00' is outside 00:00:00-24:00:00")"), std::string::npos);

  // The report counts each change the test planted, and no other.
  rapidjson::Document report;
  report.Parse(ReadFile(Out("itest-report.json")).c_str());
  ASSERT_TRUE(report.IsObject());
  const auto& database = report["databases"][0];
  EXPECT_EQ(database["rows_read"].GetInt64(), 17);
  EXPECT_EQ(database["rows_written"].GetInt64(), 13);
  EXPECT_EQ(database["rows_rejected"].GetInt64(), 4);
  std::map<std::string, std::string> changes;
  for (const auto& table : database["tables"].GetArray()) {
    for (const auto& column : table["changed_values"].GetObject()) {
      for (const auto& kind : column.value.GetObject()) {
        changes[std::string(table["source"].GetString()) + "." + column.name.GetString() + "." +
                kind.name.GetString()] = std::to_string(kind.value.GetInt64());
      }
    }
  }
  EXPECT_EQ(changes, (std::map<std::string, std::string>{
                         {"client.date_naissance.zero_date_nulled", "1"},
                         {"client.date_creation.zero_date_nulled", "1"},
                         {"chambre.annee_renov.zero_year_nulled", "1"},
                         {"reservation.commentaire.nul_stripped", "1"},
                         {"journal.quand.zero_date_nulled", "1"},
                     }));
}

TEST_F(MigrateTest, SampleMappingRenamesAndLoadsEverything) {
  CommandResult run = RunMy2pg("migrate --databases 'itest_%' " + Target() +
                               " --mapping samples/hotel_mapping.json --replace --reject-dir $MY2PG_TEST_OUT/itest-rejects "
                               "--fail-on-reject --report $MY2PG_TEST_OUT/itest-sample-report.json");
  ASSERT_EQ(run.exit_code, 0) << run.output;
  for (const char* name : {"itest_0001", "itest_0002"}) {
    PgSession db = my2pg::Target(name);
    EXPECT_EQ(Rows(db, "SELECT (SELECT count(*) FROM hotel.customer), (SELECT count(*) FROM hotel.room), "
                       "(SELECT count(*) FROM hotel.booking), (SELECT count(*) FROM hotel.event_log)"),
              (std::vector<std::vector<std::string>>{{"5", "3", "4", "5"}}));
    // invalid_date and time_out_of_range are "null" in the sample mapping.
    EXPECT_EQ(Rows(db, "SELECT last_name, birth_date IS NULL, active FROM hotel.customer WHERE id = 3"),
              (std::vector<std::vector<std::string>>{{"Café", "t", "t"}}));
    // mojibake repaired, cleanup applied.
    EXPECT_EQ(db.QueryValue("SELECT note FROM hotel.booking WHERE id = 4"), "Arrivée — café offert");
    EXPECT_EQ(Rows(db, "SELECT first_name, email IS NULL, country FROM hotel.customer WHERE id = 5"),
              (std::vector<std::vector<std::string>>{{"Anne", "t", "ES"}}));
    EXPECT_EQ(db.QueryValue("SELECT country FROM hotel.customer WHERE id = 3"), "FR");
    // Europe/Paris local times stored as UTC, across both DST changes.
    EXPECT_EQ(Rows(db, "SELECT id, created_at::text FROM hotel.customer WHERE created_at IS NOT NULL ORDER BY id"),
              (std::vector<std::vector<std::string>>{{"1", "2012-03-04 09:11:12+00"},   // winter: +01
                                                     {"3", "2013-07-08 07:00:00+00"},   // summer: +02
                                                     {"5", "2016-10-30 00:30:00+00"}}));  // overlap: earlier
    EXPECT_EQ(db.QueryValue("SELECT updated_at::text FROM hotel.booking WHERE id = 1"), "2014-10-26 00:30:00.125+00");
    EXPECT_EQ(db.QueryValue("SELECT logged_at::text FROM hotel.event_log WHERE level = 'INFO' AND message LIKE 'heure%'"),
              "2014-03-30 01:30:00+00");  // in the spring gap: shifted forward
    EXPECT_EQ(db.QueryValue("SELECT vat_rate::text FROM hotel.booking WHERE id = 2"), "0.2000");
    EXPECT_EQ(db.QueryValue("SELECT arrival_time IS NULL FROM hotel.booking WHERE id = 2"), "t");
    // references: the orphan (client 99) became NULL; the keys hold.
    EXPECT_EQ(Rows(db, "SELECT id, customer_id, room_id FROM hotel.booking ORDER BY id"),
              (std::vector<std::vector<std::string>>{{"1", "1", "1"}, {"2", "2", "2"}, {"3", "", "3"}, {"4", "3", "1"}}));
    EXPECT_EQ(db.QueryValue("SELECT count(*) FROM pg_constraint WHERE contype = 'f' AND convalidated"), "2");
    // surrogate_key: PostgreSQL numbered the rows of a table without a key.
    EXPECT_EQ(db.QueryValue("SELECT string_agg(id::text, ',' ORDER BY id) FROM hotel.event_log"), "1,2,3,4,5");
    // ON UPDATE CURRENT_TIMESTAMP became a trigger.
    db.Execute("UPDATE hotel.booking SET amount = 1 WHERE id = 1");
    EXPECT_EQ(db.QueryValue("SELECT updated_at > now() - interval '1 minute' FROM hotel.booking WHERE id = 1"), "t");
    db.Execute("UPDATE hotel.booking SET amount = 2, updated_at = '2001-01-01' WHERE id = 4");
    EXPECT_EQ(db.QueryValue("SELECT updated_at::text FROM hotel.booking WHERE id = 4"), "2001-01-01 00:00:00+00");
  }
  rapidjson::Document report;
  report.Parse(ReadFile(Out("itest-sample-report.json")).c_str());
  ASSERT_TRUE(report.IsObject());
  std::map<std::string, int64_t> changes;
  for (const auto& table : report["databases"][0]["tables"].GetArray()) {
    for (const auto& column : table["changed_values"].GetObject()) {
      for (const auto& kind : column.value.GetObject()) {
        changes[std::string(table["target"].GetString()) + "." + column.name.GetString() + "." +
                kind.name.GetString()] = kind.value.GetInt64();
      }
    }
  }
  // Exactly the changes samples/hotel_tenant.sql plants, and no other.
  EXPECT_EQ(changes, (std::map<std::string, int64_t>{
                         {"room.renovated_in.zero_year_nulled", 1},
                         {"customer.last_name.mojibake_repaired", 1},
                         {"customer.first_name.cleaned_up", 1},
                         {"customer.email.cleanup_nulled", 1},
                         {"customer.active.stray_boolean_true", 1},
                         {"customer.country.cleaned_up", 1},
                         {"customer.birth_date.zero_date_nulled", 1},
                         {"customer.birth_date.invalid_date_nulled", 1},
                         {"customer.created_at.zero_date_nulled", 1},
                         {"customer.created_at.invalid_date_nulled", 1},
                         {"customer.created_at.converted_to_utc", 2},
                         {"customer.created_at.dst_overlap_resolved", 1},
                         {"event_log.logged_at.zero_date_nulled", 1},
                         {"event_log.logged_at.converted_to_utc", 3},
                         {"event_log.logged_at.dst_gap_shifted", 1},
                         {"booking.customer_id.orphan_nulled", 1},
                         {"booking.arrival_date.zero_date_nulled", 1},
                         {"booking.arrival_time.time_nulled", 2},
                         {"booking.note.nul_stripped", 1},
                         {"booking.note.mojibake_repaired", 1},
                         {"booking.updated_at.converted_to_utc", 1},
                         {"booking.updated_at.dst_overlap_resolved", 1},
                     }));
  EXPECT_EQ(report["databases"][0]["rows_read"].GetInt64(), 17);
  EXPECT_EQ(report["databases"][0]["rows_written"].GetInt64(), 17);
}

TEST_F(MigrateTest, PlanFromServerRunsOnAnEmptyDatabase) {
  CommandResult plan = RunMy2pg("plan --database itest_0001 --mapping samples/hotel_mapping.json -o $MY2PG_TEST_OUT/itest-plan.sql");
  ASSERT_EQ(plan.exit_code, 0) << plan.output;
  PgSession admin = my2pg::Target("postgres");
  admin.Execute("DROP DATABASE IF EXISTS itest_plan");
  admin.Execute("CREATE DATABASE itest_plan");
  PgSession db = my2pg::Target("itest_plan");
  db.Execute(ReadFile(Out("itest-plan.sql")));
  EXPECT_EQ(db.QueryValue("SELECT count(*) FROM information_schema.tables WHERE table_schema = 'hotel'"), "4");
}

TEST_F(MigrateTest, CatalogSnapshotPlansWithoutServer) {
  CommandResult snapshot = RunMy2pg("catalog --database itest_0001 -o $MY2PG_TEST_OUT/itest-catalog.json");
  ASSERT_EQ(snapshot.exit_code, 0) << snapshot.output;
  CommandResult offline = RunCommand("env -u MY2PG_SOURCE " + std::string(MY2PG_BINARY) +
                                     " plan --catalog $MY2PG_TEST_OUT/itest-catalog.json");
  ASSERT_EQ(offline.exit_code, 0) << offline.output;
  EXPECT_NE(offline.output.find("CREATE TABLE \"public\".\"reservation\""), std::string::npos);
}

TEST_F(MigrateTest, ExistingTargetIsNotOverwrittenWithoutReplace) {
  CommandResult first = RunMy2pg("migrate --databases itest_0002 " + Target() +
                                 " --replace -q --reject-dir $MY2PG_TEST_OUT/itest-rejects");
  ASSERT_EQ(first.exit_code, 0) << first.output;
  CommandResult again = RunMy2pg("migrate --databases itest_0002 " + Target() + " --reject-dir $MY2PG_TEST_OUT/itest-rejects");
  EXPECT_EQ(again.exit_code, 1);
  EXPECT_NE(again.output.find("target database 'itest_0002' already exists (use --replace to drop and recreate it)"),
            std::string::npos) << again.output;
}

TEST_F(MigrateTest, ClearErrorsAndExitCodes) {
  CommandResult bad_uri = RunMy2pg("migrate --databases x --source localhost " + Target());
  EXPECT_EQ(bad_uri.exit_code, 2);
  EXPECT_EQ(bad_uri.output, "my2pg: invalid connection URI: expected SCHEME://USER@HOST[:PORT][/DATABASE]\n");

  CommandResult wrong_password = RunMy2pg("migrate --databases x --source mysql://my2pg:hunter2@127.0.0.1:" +
                                          std::to_string(ConnectionUri::Parse(Env("MY2PG_SOURCE")).port) + " " + Target());
  EXPECT_EQ(wrong_password.exit_code, 3);
  EXPECT_EQ(wrong_password.output.find("hunter2"), std::string::npos) << wrong_password.output;
  EXPECT_NE(wrong_password.output.find("mysql://my2pg:***@127.0.0.1"), std::string::npos) << wrong_password.output;

  CommandResult none = RunMy2pg("migrate --databases 'no_such_db_%' " + Target());
  EXPECT_EQ(none.exit_code, 2);
  EXPECT_EQ(none.output, "my2pg: no source database matches --databases\n");

  CommandResult bad_rules = RunMy2pg("plan --catalog $MY2PG_TEST_OUT/itest-catalog.json --mapping tests/integration/data/bad_rules.json");
  EXPECT_EQ(bad_rules.exit_code, 2);
  EXPECT_EQ(bad_rules.output,
            "my2pg: tests/integration/data/bad_rules.json:3:29: /tables/0/renam: unknown key 'renam' "
            "(expected one of: $comment, columns, conversions, filter, foreign_keys, match, primary_key, rename, "
            "schema, skip, surrogate_key)\n");

  CommandResult help = RunMy2pg("migrate --help");
  EXPECT_EQ(help.exit_code, 0);
  EXPECT_NE(help.output.find("--databases"), std::string::npos);
}

// --target without {db} names the target database itself: the source's
// namesake on the target is neither dropped nor loaded.
TEST_F(MigrateTest, TargetWithoutPlaceholderIsTheTargetDatabase) {
  PgSession admin = my2pg::Target("postgres");
  admin.Execute("DROP DATABASE IF EXISTS itest_0002 WITH (FORCE)");
  admin.Execute("DROP DATABASE IF EXISTS itest_renamed WITH (FORCE)");
  admin.Execute("CREATE DATABASE itest_0002");
  my2pg::Target("itest_0002").Execute("CREATE TABLE precious (id int); INSERT INTO precious VALUES (42)");
  std::string renamed = ConnectionUri::Parse(Env("MY2PG_TARGET")).WithDatabase("itest_renamed").Redacted();
  CommandResult run = RunMy2pg("migrate --databases itest_0002 --target '" + renamed +
                               "' --replace -q --reject-dir $MY2PG_TEST_OUT/itest-rejects --report $MY2PG_TEST_OUT/itest-renamed.json");
  ASSERT_EQ(run.exit_code, 0) << run.output;
  EXPECT_EQ(my2pg::Target("itest_renamed").QueryValue("SELECT count(*) FROM client"), "3");
  EXPECT_EQ(my2pg::Target("itest_0002").QueryValue("SELECT string_agg(id::text, ',') FROM precious"), "42");
  EXPECT_EQ(my2pg::Target("itest_0002").QueryValue("SELECT count(*) FROM pg_tables WHERE tablename = 'client'"), "0");
  rapidjson::Document report;
  report.Parse(ReadFile(Out("itest-renamed.json")).c_str());
  ASSERT_TRUE(report.IsObject());
  EXPECT_EQ(std::string(report["databases"][0]["target_database"].GetString()), "itest_renamed");

  // Several source databases need {db}; a URI without a database is refused.
  CommandResult several = RunMy2pg("migrate --databases 'itest_%' --target '" + renamed + "' -q");
  EXPECT_EQ(several.exit_code, 2);
  EXPECT_EQ(several.output, "my2pg: 2 databases match; --target names one database: put {db} in its name "
                            "(postgresql://.../{db})\n");
  std::string no_name = ConnectionUri::Parse(Env("MY2PG_TARGET")).WithDatabase("").Redacted();
  CommandResult none = RunMy2pg("migrate --databases itest_0002 --target '" + no_name + "' -q");
  EXPECT_EQ(none.exit_code, 2);
  EXPECT_EQ(none.output, "my2pg: --target must name the target database: postgresql://USER@HOST[:PORT]/NAME, or "
                         "/{db} for the source database's name\n");
}

TEST_F(MigrateTest, RejectsFailTheRunWhenAsked) {
  CommandResult run = RunMy2pg("migrate --databases itest_0002 " + Target() +
                               " --replace -q --reject-dir $MY2PG_TEST_OUT/itest-rejects --fail-on-reject");
  EXPECT_EQ(run.exit_code, 4) << run.output;
}

// Runs write their outputs (reject files, reports) where they are told and
// nowhere else: the source tree holds none, and git ignores the defaults.
TEST(Repository, NoRunOutputsInTheSourceTree) {
  if (RunCommand("git rev-parse --is-inside-work-tree").exit_code != 0) GTEST_SKIP() << "not a git checkout";
  // Fixtures under testdata/ are inputs, not outputs.
  EXPECT_EQ(RunCommand("git ls-files rejects build out '*.rejects.jsonl' ':!:*/testdata/*'").output, "");
  EXPECT_EQ(RunCommand("git check-ignore rejects/db/t.rejects.jsonl build/x out/x").output,
            "rejects/db/t.rejects.jsonl\nbuild/x\nout/x\n");
}

// my2pg's source sessions are read-only: even an account allowed to write
// cannot write through one.
TEST_F(MigrateTest, SourceSessionIsReadOnly) {
  ConnectionUri admin = ConnectionUri::Parse(Env("MY2PG_SOURCE"));
  admin.user = "my2pg_admin";
  admin.password = "sandbox-admin";
  MySqlSession session(admin);
  try {
    session.Execute("INSERT INTO itest_0001.journal VALUES (NOW(), 'X', 'written')");
    FAIL() << "the source session accepted a write";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("READ ONLY"), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace my2pg

namespace my2pg {
namespace {

// Every golden plan is valid PostgreSQL: run each on an empty database.
TEST(RuleAuthorTools, GoldenPlansRunOnPostgres) {
  for (const char* name : {"all_types.default.sql", "all_types.options.sql", "all_types.rule_kinds.sql",
                           "hotel.mapped.sql"}) {
    PgSession admin = my2pg::Target("postgres");
    admin.Execute("DROP DATABASE IF EXISTS itest_golden");
    admin.Execute("CREATE DATABASE itest_golden");
    PgSession db = my2pg::Target("itest_golden");
    EXPECT_NO_THROW(db.Execute(ReadFile(std::string("tests/golden/") + name))) << name;
  }
}

TEST(RuleAuthorTools, ExplainAndCheckRulesWithoutServer) {
  std::string tool = "env -u MY2PG_SOURCE " + std::string(MY2PG_BINARY);
  CommandResult explain = RunCommand(tool + " explain --catalog tests/golden/hotel.catalog.json "
                                            "--mapping samples/hotel_mapping.json --table journal");
  ASSERT_EQ(explain.exit_code, 0) << explain.output;
  EXPECT_NE(explain.output.find("table journal -> hotel.event_log  [samples/hotel_mapping.json#/tables/3]"),
            std::string::npos) << explain.output;
  CommandResult json = RunCommand(tool + " explain --json --catalog tests/golden/hotel.catalog.json --table client");
  ASSERT_EQ(json.exit_code, 0);
  EXPECT_NE(json.output.find("\"target\": \"client\""), std::string::npos);

  CommandResult ok = RunCommand(tool + " check-rules samples/hotel_mapping.json --catalog tests/golden/hotel.catalog.json");
  EXPECT_EQ(ok.exit_code, 0) << ok.output;
  EXPECT_EQ(ok.output, "samples/hotel_mapping.json: OK against hotel (1 type rules, 4 table rules)\n");

  CommandResult bad = RunCommand(tool + " check-rules tests/integration/data/unknown_table.json "
                                        "--catalog tests/golden/hotel.catalog.json");
  EXPECT_EQ(bad.exit_code, 2);
  EXPECT_EQ(bad.output,
            "my2pg: tests/integration/data/unknown_table.json:3:15: /tables/0/match: no table 'reservations' in "
            "hotel (did you mean 'reservation'?)\n");
}

}  // namespace
}  // namespace my2pg

namespace my2pg {
namespace {

// Edge values through binary COPY (the default when every column has a
// binary form), read back as PostgreSQL prints them.
TEST(BinaryCopy, EdgeValuesArriveExact) {
  CommandResult create = RunCommand(
      "scripts/sandbox mysql -e \"DROP DATABASE IF EXISTS btest; CREATE DATABASE btest; USE btest; "
      "SET SESSION sql_mode = ''; "
      "CREATE TABLE edge (id INT PRIMARY KEY, d DECIMAL(30,10), u BIGINT UNSIGNED, s SMALLINT, f FLOAT, g DOUBLE, "
      "day DATE, at DATETIME(6), t TIME, b BIT(10), flag TINYINT(1), v VARCHAR(20) CHARACTER SET latin1, "
      "bl BLOB, ts TIMESTAMP(3) NULL) ENGINE=InnoDB; "
      "INSERT INTO edge VALUES "
      "(1, 0, 0, -32768, 0.1, 1e300, '0001-01-01', '1970-01-01 00:00:00.000001', '24:00:00', b'1000000101', 1, "
      "'tab\\\\there', x'00FF', '2038-01-19 03:14:07.999'), "
      "(2, -12345678901234567890.0123456789, 18446744073709551615, 32767, -3.4e38, -2.2250738585072014e-308, "
      "'9999-12-31', '9999-12-31 23:59:59.999999', '00:00:00', b'0', 0, 'back\\\\\\\\slash', '', NULL), "
      "(3, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL);\"");
  ASSERT_EQ(create.exit_code, 0) << create.output;
  CommandResult run = RunMy2pg("migrate --databases btest --target '" + Env("MY2PG_TARGET") +
                               "' --replace -q --reject-dir $MY2PG_TEST_OUT/btest-rejects --fail-on-reject");
  ASSERT_EQ(run.exit_code, 0) << run.output;
  PgSession db = my2pg::Target("btest");
  EXPECT_EQ(db.Query("SELECT d, u, s, f, g, day, at, t, b, flag, v, encode(bl, 'hex'), ts FROM edge ORDER BY id"),
            (std::vector<std::vector<std::string>>{
                {"0.0000000000", "0", "-32768", "0.1", "1e+300", "0001-01-01", "1970-01-01 00:00:00.000001",
                 "24:00:00", "1000000101", "t", "tab\there", "00ff", "2038-01-19 03:14:07.999+00"},
                {"-12345678901234567890.0123456789", "18446744073709551615", "32767", "-3.4e+38",
                 "-2.2250738585072014e-308", "9999-12-31", "9999-12-31 23:59:59.999999", "00:00:00", "0000000000",
                 "f", "back\\slash", "", ""},
                {"", "", "", "", "", "", "", "", "", "", "", "", ""}}));
}

}  // namespace
}  // namespace my2pg

namespace my2pg {
namespace {

// The names the hostile test gives, each to a table and to a column of it:
// every kind of quote, dollar quoting, placeholders, comment markers, line
// breaks, unicode, reserved words and PL/pgSQL's own names, names equal but
// for case, and 64-byte names PostgreSQL cuts to the same 63 bytes.
std::vector<std::string> HostileNames() {
  return {"prix$2", "$$", "$1", "$my2pg$", "100%", "semi;colon", "dash--dash", "slash/*star", "star*/",
          "nl\nSELECT 1/0;--x", "tab\there", "it's", "back\\slash", "été", "日本語", "select", "Order", "order",
          "new", "old", "found", "tg_op", "ctid", "a b", std::string(63, 'x') + "1", std::string(63, 'x') + "2",
          "é" + std::string(62, 'e'), "\"", "`", "my2pg_row", "public",
          "{db}", "'; DROP TABLE x; --"};
}

// Names that need quoting everywhere, through migrate, plan | psql, the
// legacy views (insert, update, delete through each) and explain. The
// database's name has a space; a 64-character column and index name with a
// single quote come from the first table.
TEST(HostileNames, MigrateAndViews) {
  const std::vector<std::string> names = HostileNames();
  ASSERT_GE(names.size(), 30u);
  std::string long_name(64, 'c');
  std::string sql =
      "DROP DATABASE IF EXISTS `hostile db`; CREATE DATABASE `hostile db`; USE `hostile db`;\n"
      "CREATE TABLE `we\"ird``name` (`id` INT PRIMARY KEY AUTO_INCREMENT, `col\"1` VARCHAR(10), `été` INT, `" +
      long_name + "` INT, `select` TINYINT(1), KEY `idx'quote` (`col\"1`));\n"
      "INSERT INTO `we\"ird``name` VALUES (1, 'a\"b', 2, 3, 1);\n"
      // Defaults a rule retypes: not integers, dropped; never spliced into the DDL.
      "CREATE TABLE `defaults` (`id` INT PRIMARY KEY, `n` VARCHAR(50) DEFAULT 'N/A', "
      "`m` VARCHAR(50) DEFAULT '1); DROP TABLE x; --', `d` VARCHAR(50) DEFAULT '2020-01-01''); DROP TABLE x; --');\n"
      "INSERT INTO `defaults` VALUES (1, '7', '8', '2021-02-03');\n"
      "CREATE TABLE `long columns` (`id` INT PRIMARY KEY AUTO_INCREMENT, `" + std::string(63, 'y') + "1` INT, `" +
      std::string(63, 'y') + "2` INT, `e` ENUM('a','b'));\n"
      "INSERT INTO `long columns` VALUES (1, 10, 20, 'a');\n";
  for (const std::string& name : names) {
    std::string table = QuoteMySqlIdentifier(name);
    sql += "CREATE TABLE " + table + " (`id` INT PRIMARY KEY AUTO_INCREMENT, " + QuoteMySqlIdentifier(name) +
           " VARCHAR(20), `e` ENUM('a','b') NOT NULL DEFAULT 'a', KEY " + QuoteMySqlIdentifier(name) + " (" +
           QuoteMySqlIdentifier(name) + "));\n"
           "INSERT INTO " + table + " VALUES (1, 'v1', 'a');\n";
  }
  {
    std::ofstream(Out("hostile.sql"), std::ios::binary) << sql;
  }
  CommandResult create = RunCommand("scripts/sandbox mysql < $MY2PG_TEST_OUT/hostile.sql");
  ASSERT_EQ(create.exit_code, 0) << create.output;

  // migrate
  CommandResult run = RunMy2pg("migrate --databases 'hostile db' --target '" + Env("MY2PG_TARGET") +
                               "' --mapping tests/integration/data/hostile_mapping.json --replace -q "
                               "--reject-dir $MY2PG_TEST_OUT/hostile-rejects --fail-on-reject");
  ASSERT_EQ(run.exit_code, 0) << run.output;
  // verify reads every name back through the same quoting.
  for (const char* mode : {"--full", "--sample 1"}) {
    CommandResult verify = RunMy2pg("verify --databases 'hostile db' --target '" + Env("MY2PG_TARGET") +
                                    "' --mapping tests/integration/data/hostile_mapping.json " + mode);
    EXPECT_EQ(verify.exit_code, 0) << mode << "\n" << verify.output;
    EXPECT_NE(verify.output.find("hostile db: OK\n"), std::string::npos) << verify.output;
  }
  PgSession db = my2pg::Target("hostile db");
  EXPECT_EQ(db.QueryValue("SELECT count(*) FROM pg_tables WHERE schemaname = 'public'"),
            std::to_string(names.size() + 3));
  EXPECT_EQ(db.Query("SELECT id, \"col\"\"1\", \"été\", \"" + std::string(63, 'c') + "\", choice FROM public.\"Weird \"\"Name\"\"\""),
            (std::vector<std::vector<std::string>>{{"1", "a\"b", "2", "3", "t"}}));
  EXPECT_EQ(db.QueryValue("SELECT count(*) FROM pg_indexes WHERE indexname = 'Weird \"Name\"_idx''quote'"), "1");
  EXPECT_EQ(db.Query("SELECT \"col\"\"1\", \"select\" FROM \"legacy app\".\"we\"\"ird`name\""),
            (std::vector<std::vector<std::string>>{{"a\"b", "1"}}));
  db.Execute("INSERT INTO \"legacy app\".\"we\"\"ird`name\" (\"col\"\"1\", \"select\") VALUES ('x', 0)");
  EXPECT_EQ(db.QueryValue("SELECT id || ' ' || choice FROM public.\"Weird \"\"Name\"\"\" WHERE \"col\"\"1\" = 'x'"), "2 false");
  // The retyped defaults were dropped; the values loaded.
  EXPECT_EQ(db.Query("SELECT n, m, d::text FROM public.defaults"),
            (std::vector<std::vector<std::string>>{{"7", "8", "2021-02-03"}}));
  EXPECT_EQ(db.QueryValue("SELECT count(*) FROM information_schema.columns WHERE table_name = 'defaults' "
                          "AND column_default IS NOT NULL"), "0");
  // Columns PostgreSQL would cut to the same 63 bytes, and a system column's name.
  EXPECT_EQ(db.QueryValue("SELECT string_agg(column_name, ',' ORDER BY ordinal_position) FROM information_schema.columns "
                          "WHERE table_schema = 'public' AND table_name = 'long columns'"),
            "id," + std::string(63, 'y') + "," + std::string(61, 'y') + "_1,e");
  EXPECT_EQ(db.QueryValue("SELECT string_agg(column_name, ',' ORDER BY ordinal_position) FROM information_schema.columns "
                          "WHERE table_schema = 'public' AND table_name = 'ctid'"), "id,ctid_1,e");
  // The 64-byte table names: the first by name keeps the cut name.
  EXPECT_EQ(db.QueryValue("SELECT string_agg(tablename, ',' ORDER BY tablename) FROM pg_tables WHERE tablename LIKE 'xxx%'"),
            std::string(61, 'x') + "_1," + std::string(63, 'x'));

  // Through each legacy view: insert (the next id), update, delete.
  std::map<std::string, std::string> view_of;  // source name -> view name
  for (const std::string& name : names) view_of[name] = TruncateIdentifier(name);
  view_of[std::string(63, 'x') + "2"] = std::string(61, 'x') + "_1";
  for (const std::string& name : names) {
    SCOPED_TRACE(name);
    std::string view = "\"legacy app\"." + QuotePgIdentifier(view_of[name]);
    std::string column = QuotePgIdentifier(TruncateIdentifier(name));
    EXPECT_EQ(db.QueryValue("INSERT INTO " + view + " (" + column + ", e) VALUES ('v2', 'b') RETURNING id"), "2");
    db.Execute("UPDATE " + view + " SET " + column + " = 'v3' WHERE id = 2");
    db.Execute("DELETE FROM " + view + " WHERE id = 1");
    EXPECT_EQ(db.Query("SELECT id, " + column + ", e FROM " + view),
              (std::vector<std::vector<std::string>>{{"2", "v3", "b"}}));
  }
  EXPECT_EQ(db.Query("SELECT * FROM \"legacy app\".\"long columns\""),
            (std::vector<std::vector<std::string>>{{"1", "10", "20", "a"}}));

  // plan | psql on an empty database: every name stays a name.
  PgSession admin = my2pg::Target("postgres");
  admin.Execute("DROP DATABASE IF EXISTS hostile_plan");
  admin.Execute("CREATE DATABASE hostile_plan OWNER my2pg");
  CommandResult plan = RunCommand(std::string(MY2PG_BINARY) + " plan --database 'hostile db' --mapping "
                                  "tests/integration/data/hostile_mapping.json | scripts/sandbox psql -q -X "
                                  "-v ON_ERROR_STOP=1 -d hostile_plan -f -");
  EXPECT_EQ(plan.exit_code, 0) << plan.output;
  PgSession planned = my2pg::Target("hostile_plan");
  EXPECT_EQ(planned.QueryValue("SELECT count(*) FROM pg_tables WHERE schemaname = 'public'"),
            std::to_string(names.size() + 3));
  EXPECT_EQ(planned.QueryValue("SELECT count(*) FROM pg_views WHERE schemaname = 'legacy app'"),
            std::to_string(names.size() + 3));

  // explain: one line per name, line breaks escaped.
  CommandResult explain = RunMy2pg("explain --database 'hostile db' --mapping tests/integration/data/hostile_mapping.json");
  ASSERT_EQ(explain.exit_code, 0) << explain.output;
  EXPECT_NE(explain.output.find("\ntable nl\\nSELECT 1/0;--x -> public.nl\\nSELECT 1/0;--x\n"), std::string::npos)
      << explain.output;
  EXPECT_NE(explain.output.find("default 'N/A' is not a valid integer; dropped"), std::string::npos);
  EXPECT_NE(explain.output.find("note: named ctid_1: ctid is a PostgreSQL system column"), std::string::npos);
}

}  // namespace
}  // namespace my2pg
