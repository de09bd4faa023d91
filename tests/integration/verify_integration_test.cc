// `my2pg verify` against the sandbox: clean migrations verify OK (--full and
// --sample), and each tampering of the target is caught with its exact key.
#include <rapidjson/document.h>

#include <algorithm>

#include "common/identifier.h"
#include "tests/integration/test_env.h"

namespace my2pg {
namespace {

// What the verify report says about one source table.
struct TableResult {
  std::string status;
  int64_t source_rows = -1, target_rows = -1, rejected_rows = -1, mismatched_rows = -1;
  std::vector<std::string> problems;
  std::vector<std::string> notes;
  std::vector<std::string> differences;  // "kind key: source | target"
};

std::map<std::string, TableResult> ReadVerifyReport(const std::string& path, std::string* database_status = nullptr) {
  rapidjson::Document report;
  report.Parse(ReadFile(path).c_str());
  std::map<std::string, TableResult> tables;
  if (!report.IsObject() || !report.HasMember("databases") || report["databases"].Empty()) {
    ADD_FAILURE() << "not a verify report: " << path;
    return tables;
  }
  EXPECT_STREQ(report["format"].GetString(), "my2pg-verify/1");
  const auto& database = report["databases"][0];
  if (database_status != nullptr) *database_status = database["status"].GetString();
  for (const auto& table : database["tables"].GetArray()) {
    TableResult result;
    result.status = table["status"].GetString();
    result.source_rows = table["source_rows"].GetInt64();
    result.target_rows = table["target_rows"].GetInt64();
    result.rejected_rows = table["rejected_rows"].GetInt64();
    result.mismatched_rows = table["mismatched_rows"].GetInt64();
    for (const auto& problem : table["problems"].GetArray()) result.problems.push_back(problem.GetString());
    for (const auto& note : table["notes"].GetArray()) result.notes.push_back(note.GetString());
    for (const auto& d : table["differences"].GetArray()) {
      result.differences.push_back(std::string(d["kind"].GetString()) + " " + d["key"].GetString() + ": " +
                                   d["source"].GetString() + " | " + d["target"].GetString());
    }
    tables[table["table"].GetString()] = result;
  }
  return tables;
}

const char kSampleTenant[] = "verify_0001";

// A fresh sample tenant, migrated with the sample mapping.
void MigrateSampleTenant() {
  CreateSampleTenants("verify_", 1);
  CommandResult run = RunMy2pg(std::string("migrate --databases ") + kSampleTenant + " --target '" +
                               Env("MY2PG_TARGET") + "' --mapping samples/hotel_mapping.json --replace -q "
                               "--reject-dir $MY2PG_TEST_OUT/verify-rejects --report $MY2PG_TEST_OUT/verify-migrate.json");
  ASSERT_EQ(run.exit_code, 0) << run.output << ReadFile(Out("verify-migrate.json"));
}

CommandResult VerifySampleTenant(const std::string& mode, const std::string& report) {
  return RunMy2pg(std::string("verify --databases ") + kSampleTenant + " --target '" + Env("MY2PG_TARGET") +
                  "' --mapping samples/hotel_mapping.json " + mode + " --threads 2 --report " + Out(report));
}

TEST(Verify, CleanSampleTenantIsIdenticalFullAndSampled) {
  MigrateSampleTenant();
  CommandResult full = VerifySampleTenant("--full", "verify-clean.json");
  EXPECT_EQ(full.exit_code, 0) << full.output;
  EXPECT_NE(full.output.find("verify_0001: OK\n"), std::string::npos) << full.output;
  EXPECT_NE(full.output.find("  reservation -> \"hotel\".\"booking\": OK  source 4 = target 4 + rejected 0 + "
                             "filtered 0; key ranges of id, 1/1 chunks\n"),
            std::string::npos)
      << full.output;
  EXPECT_NE(full.output.find("  journal -> \"hotel\".\"event_log\": OK  source 5 = target 5 + rejected 0 + filtered 0; "
                             "whole table (no key: count and digest only), 1/1 chunks\n"),
            std::string::npos)
      << full.output;
  std::string status;
  auto tables = ReadVerifyReport(Out("verify-clean.json"), &status);
  EXPECT_EQ(status, "ok");
  ASSERT_EQ(tables.size(), 4u);
  EXPECT_EQ(tables["client"].status, "ok");
  EXPECT_EQ(tables["client"].source_rows, 5);
  EXPECT_EQ(tables["client"].target_rows, 5);

  CommandResult sampled = VerifySampleTenant("--sample 1 --seed 42 --chunk-rows 100", "verify-sample.json");
  EXPECT_EQ(sampled.exit_code, 0) << sampled.output;
  EXPECT_NE(sampled.output.find("verify: sampled with --seed 42\n"), std::string::npos) << sampled.output;
  rapidjson::Document report;
  report.Parse(ReadFile(Out("verify-sample.json")).c_str());
  ASSERT_TRUE(report.IsObject());
  EXPECT_STREQ(report["mode"].GetString(), "sample");
  EXPECT_EQ(report["seed"].GetUint64(), 42u);
  EXPECT_STREQ(report["databases"][0]["status"].GetString(), "ok");

  CommandResult neither = RunMy2pg(std::string("verify --databases ") + kSampleTenant);
  EXPECT_EQ(neither.exit_code, 2);
  EXPECT_NE(neither.output.find("give --full or --sample N"), std::string::npos) << neither.output;
  CommandResult bad_seed = VerifySampleTenant("--sample 1 --seed -3", "verify-bad.json");
  EXPECT_EQ(bad_seed.exit_code, 2);
  EXPECT_NE(bad_seed.output.find("--seed must be an unsigned integer"), std::string::npos) << bad_seed.output;
}

// Each tampering of the target, on a fresh migration: what verify says.
struct Tampering {
  const char* name;
  const char* sql;  // run on the target, user triggers off
  const char* table;  // source name
  std::vector<std::string> differences;
  std::vector<std::string> problems;
};

const Tampering kTamperings[] = {
    {"number", "UPDATE hotel.booking SET amount = 121.00 WHERE id = 1", "reservation",
     {"changed id 1: amount=120.00 | amount=121.00"}, {}},
    {"text", "UPDATE hotel.customer SET last_name = 'Dupond' WHERE id = 1", "client",
     {"changed id 1: last_name='Dupont' | last_name='Dupond'"}, {}},
    {"time", "UPDATE hotel.booking SET created_at = created_at + interval '1 hour' WHERE id = 3", "reservation",
     {"changed id 3: created_at='2016-06-15 12:00:00+00' | created_at='2016-06-15 13:00:00+00'"}, {}},
    {"deleted row", "DELETE FROM hotel.customer WHERE id = 5", "client",
     {"missing id 5: id=5, last_name='Prix 10€', first_name='Anne', email=NULL, active=t, country='ES', "
      "birth_date='2000-02-29', created_at='2016-10-30 00:30:00+00', balance=0.01, points=1 | "},
     {"counts differ: source 5 - rejected 0 - filtered 0 = 5, target 4"}},
    {"added row",
     "CREATE TEMP TABLE extra AS SELECT * FROM hotel.room WHERE id = 1; UPDATE extra SET id = 99, number = 999; "
     "INSERT INTO hotel.room SELECT * FROM extra",
     "chambre", {},
     {"identity id would give 4, but the largest id is 99", "counts differ: source 3 - rejected 0 - filtered 0 = 3, target 4"}},
    {"value moved to another row",
     "UPDATE hotel.customer SET email = 'amelie@example.com' WHERE id = 2; "
     "UPDATE hotel.customer SET email = NULL WHERE id = 1",
     "client",
     {"changed id 1: email='amelie@example.com' | email=NULL", "changed id 2: email=NULL | email='amelie@example.com'"},
     {}},
    {"sequence set back", "SELECT setval(pg_get_serial_sequence('hotel.customer', 'id'), 2)", "client", {},
     {"identity id would give 3, but the largest id is 5"}},
    {"dropped index", "DROP INDEX hotel.customer_idx_client_nom", "client", {},
     {"index customer_idx_client_nom is missing"}},
    {"dropped foreign key", "ALTER TABLE hotel.booking DROP CONSTRAINT booking_room_id_fkey", "reservation", {},
     {"foreign key booking_room_id_fkey is missing"}},
    {"dropped view", "DROP VIEW legacy.client", "client", {}, {"view \"legacy\".\"client\" is missing"}},
    {"view column renamed", "ALTER VIEW legacy.chambre RENAME COLUMN numero TO num", "chambre", {},
     {"view \"legacy\".\"chambre\" has the columns id, num, categorie, equipements, prix_nuit, fumeur, "
      "annee_renov, disponible, the plan promises id, numero, categorie, equipements, prix_nuit, fumeur, annee_renov, "
      "disponible"}},
};

TEST(Verify, EveryTamperingIsCaughtWithItsKey) {
  for (const Tampering& tampering : kTamperings) {
    SCOPED_TRACE(tampering.name);
    MigrateSampleTenant();
    {
      PgSession db = my2pg::Target(kSampleTenant);
      // No ON UPDATE trigger changing updated_at as well.
      db.Execute("ALTER TABLE hotel.booking DISABLE TRIGGER USER; ALTER TABLE hotel.customer DISABLE TRIGGER USER");
      db.Execute(tampering.sql);
    }
    CommandResult run = VerifySampleTenant("--full", "verify-tampered.json");
    EXPECT_EQ(run.exit_code, 1) << run.output;
    std::string status;
    auto tables = ReadVerifyReport(Out("verify-tampered.json"), &status);
    EXPECT_EQ(status, "mismatch");
    for (const auto& [name, table] : tables) {
      if (name == tampering.table) continue;
      EXPECT_EQ(table.status, "ok") << name << ": " << ::testing::PrintToString(table.problems)
                                    << ::testing::PrintToString(table.differences);
    }
    const TableResult& table = tables[tampering.table];
    EXPECT_EQ(table.status, "mismatch");
    std::vector<std::string> differences = tampering.differences;
    if (std::string(tampering.name) == "added row") {
      ASSERT_EQ(table.differences.size(), 1u);
      EXPECT_EQ(table.differences[0].rfind("added id 99:  | id=99, number=999, ", 0), 0u) << table.differences[0];
    } else {
      EXPECT_EQ(table.differences, differences);
    }
    EXPECT_EQ(table.mismatched_rows, std::string(tampering.name) == "added row" ? 1 : static_cast<int64_t>(differences.size()));
    EXPECT_EQ(table.problems, tampering.problems);
  }
}

// A tenant from tests/integration/data/NAME.sql (which creates database
// "database"), migrated with MAPPING (a file there too).
void LoadAndMigrate(const std::string& sql, const std::string& database, const std::string& mapping) {
  CommandResult load = RunCommand("scripts/sandbox mysql < tests/integration/data/" + sql);
  ASSERT_EQ(load.exit_code, 0) << load.output;
  CommandResult run = RunMy2pg("migrate --databases " + database + " --target '" + Env("MY2PG_TARGET") +
                               "' --mapping tests/integration/data/" + mapping + " --replace -q "
                               "--reject-dir $MY2PG_TEST_OUT/verify-" + database + "-rejects");
  ASSERT_EQ(run.exit_code, 0) << run.output;
}

// verify of such a tenant, its report written to "report".
CommandResult VerifyTenant(const std::string& database, const std::string& mapping, const std::string& mode,
                           const std::string& report) {
  return RunMy2pg("verify --databases " + database + " --target '" + Env("MY2PG_TARGET") +
                  "' --mapping tests/integration/data/" + mapping + " " + mode + " --report " + Out(report));
}

TEST(Verify, TortureTenantIsIdenticalWithItsRejectsExpectedMissing) {
  LoadAndMigrate("torture.sql", "torture", "torture_mapping.json");
  for (const char* mode : {"--full", "--sample 1"}) {
    SCOPED_TRACE(mode);
    CommandResult verify = VerifyTenant("torture", "torture_mapping.json", mode, "verify-torture.json");
    EXPECT_EQ(verify.exit_code, 0) << verify.output;
    std::string status;
    auto tables = ReadVerifyReport(Out("verify-torture.json"), &status);
    EXPECT_EQ(status, "ok");
    EXPECT_EQ(tables["narrow"].status, "ok");
    EXPECT_EQ(tables["narrow"].source_rows, 6);
    EXPECT_EQ(tables["narrow"].target_rows, 3);
    EXPECT_EQ(tables["narrow"].rejected_rows, 3);
    EXPECT_EQ(tables["texts"].rejected_rows, 2);
    EXPECT_EQ(tables["floats"].target_rows, 8);
  }
  // A float changed in its last bit is a difference.
  {
    PgSession db = my2pg::Target("torture");
    db.Execute("UPDATE floats SET d = 0.30000000000000009 WHERE id = 1");
  }
  CommandResult verify = VerifyTenant("torture", "torture_mapping.json", "--full", "verify-torture.json");
  EXPECT_EQ(verify.exit_code, 1) << verify.output;
  auto tables = ReadVerifyReport(Out("verify-torture.json"));
  EXPECT_EQ(tables["floats"].differences,
            (std::vector<std::string>{"changed id 1: d=0.30000000000000004 | d=0.3000000000000001"}));
}

// Text and composite keys (tests/integration/data/verify_keys.sql): compared
// by key lists of the converted keys (upper-cased, shifted to UTC), in
// batches of --chunk-rows; tampering caught with the exact key.
CommandResult VerifyKeys(const std::string& mode) {
  return VerifyTenant("verify_keys", "verify_keys_mapping.json", "--chunk-rows 100 " + mode, "verify-keys.json");
}

TEST(Verify, TextAndCompositeKeysAreComparedByKeyLists) {
  LoadAndMigrate("verify_keys.sql", "verify_keys", "verify_keys_mapping.json");
  {
    PgSession db = my2pg::Target("verify_keys");
    EXPECT_EQ(db.QueryValue("SELECT name FROM country WHERE iso = 'A\"B\\C'"), "both");
    EXPECT_EQ(db.QueryValue("SELECT price FROM rate WHERE room = 'R1' AND day = '2024-01-01 00:30:00+00'"), "1.50");
  }
  CommandResult full = VerifyKeys("--full");
  EXPECT_EQ(full.exit_code, 0) << full.output;
  EXPECT_NE(full.output.find("  pays -> \"public\".\"country\": OK  source 254 = target 254 + rejected 0 + filtered 0; "
                             "key lists of iso, 3/3 chunks\n"),
            std::string::npos)
      << full.output;
  EXPECT_NE(full.output.find("  tarif -> \"public\".\"rate\": OK  source 500 = target 500 + rejected 0 + filtered 0; "
                             "key lists of room, day, 5/5 chunks\n"),
            std::string::npos)
      << full.output;
  CommandResult sampled = VerifyKeys("--sample 1 --seed 3");
  EXPECT_EQ(sampled.exit_code, 0) << sampled.output;
  // A random batch, the newest keys, and the rows updated last.
  EXPECT_NE(sampled.output.find("key lists of room, day; the newest by updated_at, by key list, 3/6 chunks\n"),
            std::string::npos)
      << sampled.output;

  // The row updated last is in the oldest keys' batch, which seed 3 does not
  // draw: a row beside it that was not updated goes unseen, that row is
  // found by the newest by update time.
  {
    PgSession db = my2pg::Target("verify_keys");
    db.Execute("ALTER TABLE rate DISABLE TRIGGER USER");  // updated_at stays as loaded
    db.Execute("UPDATE rate SET price = 0 WHERE room = 'R0' AND day IN ('2024-01-01 06:30:00+00', "
               "'2024-01-01 13:30:00+00')");
  }
  sampled = VerifyKeys("--sample 1 --seed 3");
  EXPECT_EQ(sampled.exit_code, 1) << sampled.output;
  auto tables = ReadVerifyReport(Out("verify-keys.json"));
  EXPECT_EQ(tables["tarif"].differences,
            (std::vector<std::string>{"changed room 'R0', day '2024-01-01 06:30:00+00': price=10.50 | price=0.00"}));
  EXPECT_EQ(tables["tarif"].mismatched_rows, 1);
  // Seed 11 draws that batch too: the row is in two compared chunks and counts once.
  sampled = VerifyKeys("--sample 1 --seed 11");
  EXPECT_EQ(sampled.exit_code, 1) << sampled.output;
  tables = ReadVerifyReport(Out("verify-keys.json"));
  std::vector<std::string> differences = tables["tarif"].differences;
  std::sort(differences.begin(), differences.end());
  EXPECT_EQ(differences,
            (std::vector<std::string>{"changed room 'R0', day '2024-01-01 06:30:00+00': price=10.50 | price=0.00",
                                      "changed room 'R0', day '2024-01-01 13:30:00+00': price=21.00 | price=0.00"}));
  EXPECT_EQ(tables["tarif"].mismatched_rows, 2);

  // A changed text, a deleted and an added row (the counts still agree), a
  // changed price under a composite key.
  {
    PgSession db = my2pg::Target("verify_keys");
    db.Execute("UPDATE country SET name = 'X' WHERE iso = 'B1'; DELETE FROM country WHERE iso = 'C2'; "
               "INSERT INTO country VALUES ('ZZ9', 'new'); "
               "UPDATE rate SET price = 9.99 WHERE room = 'R1' AND day = '2024-01-01 00:30:00+00'");
  }
  full = VerifyKeys("--full");
  EXPECT_EQ(full.exit_code, 1) << full.output;
  tables = ReadVerifyReport(Out("verify-keys.json"));
  EXPECT_EQ(tables["pays"].status, "mismatch");
  EXPECT_EQ(tables["pays"].source_rows, 254);
  EXPECT_EQ(tables["pays"].target_rows, 254);
  EXPECT_EQ(tables["pays"].mismatched_rows, 3);
  EXPECT_EQ(tables["pays"].problems, std::vector<std::string>{});
  differences = tables["pays"].differences;
  std::sort(differences.begin(), differences.end());
  EXPECT_EQ(differences, (std::vector<std::string>{"added iso 'ZZ9':  | iso='ZZ9', name='new'",
                                                   "changed iso 'B1': name='Pays 1' | name='X'",
                                                   "missing iso 'C2': iso='C2', name='Pays 2' | "}));
  differences = tables["tarif"].differences;
  std::sort(differences.begin(), differences.end());
  EXPECT_EQ(differences,
            (std::vector<std::string>{"changed room 'R0', day '2024-01-01 06:30:00+00': price=10.50 | price=0.00",
                                      "changed room 'R0', day '2024-01-01 13:30:00+00': price=21.00 | price=0.00",
                                      "changed room 'R1', day '2024-01-01 00:30:00+00': price=1.50 | price=9.99"}));
  EXPECT_EQ(tables["tarif"].mismatched_rows, 3);

  // Without the primary key's index the batches are read by a condition
  // (one scan each), and find the same rows.
  my2pg::Target("verify_keys").Execute("ALTER TABLE country DROP CONSTRAINT country_pkey");
  full = VerifyKeys("--full");
  EXPECT_EQ(full.exit_code, 1) << full.output;
  tables = ReadVerifyReport(Out("verify-keys.json"));
  EXPECT_EQ(tables["pays"].problems, std::vector<std::string>{"primary key country_pkey is missing"});
  differences = tables["pays"].differences;
  std::sort(differences.begin(), differences.end());
  EXPECT_EQ(differences, (std::vector<std::string>{"added iso 'ZZ9':  | iso='ZZ9', name='new'",
                                                   "changed iso 'B1': name='Pays 1' | name='X'",
                                                   "missing iso 'C2': iso='C2', name='Pays 2' | "}));
}

// An account my2pg may open few connections with, on both servers
// (MY2PG_SOURCE and MY2PG_TARGET with another user, the same password).
std::string LimitedUri(const std::string& uri) {
  std::string limited = uri;
  size_t at = limited.find("my2pg@");
  if (at != std::string::npos) limited.replace(at, 5, "verify_limited");
  return limited;
}

// --threads (and --jobs) that may open more connections than either server
// allows the account are refused before any work, saying what to lower.
TEST(Verify, ConnectionsFitTheSourceAndTheTarget) {
  CreateSampleTenants("verify_", 1);
  ASSERT_EQ(RunCommand("scripts/sandbox mysql -e \"DROP USER IF EXISTS verify_limited; CREATE USER verify_limited "
                       "IDENTIFIED BY '$MYSQL_PWD' WITH MAX_USER_CONNECTIONS 3; GRANT SELECT, SHOW VIEW ON *.* TO "
                       "verify_limited\"")
                .exit_code,
            0);
  {
    PgSession admin = my2pg::Target("postgres");
    admin.Execute("DROP ROLE IF EXISTS verify_limited");
    admin.Execute("CREATE ROLE verify_limited LOGIN CONNECTION LIMIT 3 PASSWORD " +
                  QuotePgLiteral(Env("PGPASSWORD")));
  }
  std::string tenant = std::string(" --databases ") + kSampleTenant + " --full --threads 4";
  CommandResult source = RunMy2pg("verify --source '" + LimitedUri(Env("MY2PG_SOURCE")) + "' --target '" +
                                  Env("MY2PG_TARGET") + "'" + tenant);
  EXPECT_EQ(source.exit_code, 2) << source.output;
  EXPECT_EQ(source.output,
            "my2pg: --jobs 1 with --threads 4 may open 5 MySQL connections (1 x (4 + 1)), and the source allows my2pg "
            "3 (max_user_connections 3): lower --threads to 2\n");
  CommandResult target = RunMy2pg("verify --target '" + LimitedUri(Env("MY2PG_TARGET")) + "'" + tenant);
  EXPECT_EQ(target.exit_code, 2) << target.output;
  EXPECT_EQ(target.output,
            "my2pg: --jobs 1 with --threads 4 may open 5 PostgreSQL connections (1 x (4 + 1)), and the target allows "
            "my2pg 3 (the connection limit of role verify_limited): lower --threads to 2\n");
  my2pg::Target("postgres").Execute("DROP ROLE verify_limited");
  RunCommand("scripts/sandbox mysql -e 'DROP USER verify_limited'");
}

// New foreign keys (tests/integration/data/orphans.sql): those left NOT
// VALID are shown with their orphan counts, and are no difference; the
// parents' orphan rejects are recomputed; a text-keyed parent by key list.
TEST(Verify, NotValidForeignKeysAreShownWithTheirOrphans) {
  LoadAndMigrate("orphans.sql", "orphans", "orphans_mapping.json");
  CommandResult verify = VerifyTenant("orphans", "orphans_mapping.json", "--full", "verify-orphans.json");
  EXPECT_EQ(verify.exit_code, 0) << verify.output;
  EXPECT_NE(verify.output.find("  country -> \"public\".\"country\": OK  source 3 = target 3 + rejected 0 + "
                               "filtered 0; key lists of code, 1/1 chunks\n"),
            std::string::npos)
      << verify.output;
  auto tables = ReadVerifyReport(Out("verify-orphans.json"));
  EXPECT_EQ(tables["player"].status, "ok");
  // Player 3 is rejected by its self-reference (coach 7) after the load.
  EXPECT_EQ(tables["player"].rejected_rows, 3);
  EXPECT_EQ(tables["player"].notes,
            (std::vector<std::string>{"foreign key player_team_keep_fkey is NOT VALID, 1 orphan row"}));
  EXPECT_EQ(tables["team"].rejected_rows, 1);
}

// Keys of every kind checked by migrate, some after the load (text, two
// columns, self-references: tests/integration/data/orphan_keys.sql): verify expects the same
// orphans rejected or nulled, so the tenant verifies identical.
TEST(Verify, OrphansCheckedAfterTheLoadAreExpected) {
  LoadAndMigrate("orphan_keys.sql", "orphan_keys", "orphan_keys_mapping.json");
  CommandResult verify = VerifyTenant("orphan_keys", "orphan_keys_mapping.json", "--full", "verify-orphan-keys.json");
  EXPECT_EQ(verify.exit_code, 0) << verify.output;
  auto tables = ReadVerifyReport(Out("verify-orphan-keys.json"));
  EXPECT_EQ(tables["by_pair"].status, "ok");
  EXPECT_EQ(tables["by_pair"].rejected_rows, 2);
  EXPECT_EQ(tables["by_pair_note"].rejected_rows, 3);
  EXPECT_EQ(tables["by_text_log"].status, "ok");  // no key: compared as a whole
  EXPECT_EQ(tables["by_text_log"].rejected_rows, 1);
  // The self-references: the chain of three rejected (their parents are not
  // among the loaded rows), two mentors nulled.
  EXPECT_EQ(tables["employee"].status, "ok");
  EXPECT_EQ(tables["employee"].rejected_rows, 3);
  // A key column of a nulled orphan set back: caught with its key.
  {
    PgSession db = my2pg::Target("orphan_keys");
    db.Execute("UPDATE by_pair SET s_null = 2 WHERE id = 2");
  }
  CommandResult tampered =
      VerifyTenant("orphan_keys", "orphan_keys_mapping.json", "--full", "verify-orphan-keys.json");
  EXPECT_EQ(tampered.exit_code, 1) << tampered.output;
  tables = ReadVerifyReport(Out("verify-orphan-keys.json"));
  ASSERT_EQ(tables["by_pair"].differences.size(), 1u) << tampered.output;
  EXPECT_EQ(tables["by_pair"].differences[0].rfind("changed id 2: ", 0), 0u) << tampered.output;
}

TEST(Verify, MissingTargetDatabaseCannotBeChecked) {
  CreateSampleTenants("verify_", 1);
  my2pg::Target("postgres").Execute("DROP DATABASE IF EXISTS verify_0001 WITH (FORCE)");
  CommandResult run = VerifySampleTenant("--full", "verify-missing.json");
  EXPECT_EQ(run.exit_code, 2) << run.output;
  EXPECT_NE(run.output.find("verify_0001: FAILED (target database 'verify_0001' does not exist)"), std::string::npos)
      << run.output;
}

}  // namespace
}  // namespace my2pg
