// `my2pg verify` against the sandbox: clean migrations verify OK (--full and
// --sample), and each tampering of the target is caught with its exact key.
#include <rapidjson/document.h>

#include "tests/integration/test_env.h"

namespace my2pg {
namespace {

// What the verify report says about one source table.
struct TableResult {
  std::string status;
  int64_t source_rows = -1, target_rows = -1, rejected_rows = -1, mismatched_rows = -1;
  std::vector<std::string> problems;
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
      EXPECT_EQ(table.status, "ok") << name;
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

TEST(Verify, TortureTenantIsIdenticalWithItsRejectsExpectedMissing) {
  CommandResult load = RunCommand("scripts/sandbox mysql < tests/integration/data/torture.sql");
  ASSERT_EQ(load.exit_code, 0) << load.output;
  CommandResult run = RunMy2pg("migrate --databases torture --target '" + Env("MY2PG_TARGET") +
                               "' --mapping tests/integration/data/torture_mapping.json --replace -q "
                               "--reject-dir $MY2PG_TEST_OUT/verify-torture");
  ASSERT_EQ(run.exit_code, 0) << run.output;
  for (const char* mode : {"--full", "--sample 1"}) {
    SCOPED_TRACE(mode);
    CommandResult verify = RunMy2pg("verify --databases torture --target '" + Env("MY2PG_TARGET") +
                                    "' --mapping tests/integration/data/torture_mapping.json " + mode +
                                    " --report " + Out("verify-torture.json"));
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
  CommandResult verify = RunMy2pg("verify --databases torture --target '" + Env("MY2PG_TARGET") +
                                  "' --mapping tests/integration/data/torture_mapping.json --full --report " +
                                  Out("verify-torture.json"));
  EXPECT_EQ(verify.exit_code, 1) << verify.output;
  auto tables = ReadVerifyReport(Out("verify-torture.json"));
  EXPECT_EQ(tables["floats"].differences,
            (std::vector<std::string>{"changed id 1: d=0.30000000000000004 | d=0.3000000000000001"}));
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
