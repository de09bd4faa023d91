// New foreign keys on a schema that never had them (issue 11): every orphan
// policy with integer and text parent keys, a self-reference, and a parent
// row rejected on the way, with exact counts.
#include <rapidjson/document.h>

#include <fstream>

#include "tests/integration/test_env.h"

namespace my2pg {
namespace {

using Rows = std::vector<std::vector<std::string>>;

TEST(Orphans, EveryPolicyWithIntegerAndTextKeys) {
  CommandResult load = RunCommand("scripts/sandbox mysql < tests/integration/data/orphans.sql");
  ASSERT_EQ(load.exit_code, 0) << load.output;
  RunCommand("rm -rf $MY2PG_TEST_OUT/orphans-rejects");
  CommandResult run = RunMy2pg("migrate --databases orphans --target '" + Env("MY2PG_TARGET") +
                               "' --mapping tests/integration/data/orphans_mapping.json --replace -q "
                               "--reject-dir $MY2PG_TEST_OUT/orphans-rejects --report $MY2PG_TEST_OUT/orphans-report.json");
  ASSERT_EQ(run.exit_code, 0) << run.output;
  PgSession db = my2pg::Target("orphans");
  EXPECT_EQ(db.Query("SELECT id FROM team ORDER BY id"), (Rows{{"-5"}, {"1"}, {"2"}}));
  EXPECT_EQ(db.Query("SELECT id, team_null, team_reject, team_keep, country_null, country_reject, coach "
                     "FROM player ORDER BY id"),
            (Rows{{"1", "1", "1", "1", "FR", "FR", ""},
                  {"2", "", "2", "99", "", "DE", "1"},
                  {"3", "", "-5", "3", "a\tb", "a\tb", "7"},
                  {"6", "", "", "", "", "", ""}}));
  std::string rejects = ReadFile(Out("orphans-rejects/orphans/player.rejects.jsonl"));
  EXPECT_NE(rejects.find("\"column\":\"team_reject\",\"reason\":\"orphan: no team.id = '3'\""), std::string::npos)
      << rejects;
  EXPECT_NE(rejects.find("\"column\":\"country_reject\",\"reason\":\"orphan: no country.code = 'ZZ'\""),
            std::string::npos)
      << rejects;
  EXPECT_EQ(std::count(rejects.begin(), rejects.end(), '\n'), 2);
  // The keys exist; "keep" and the self-reference are NOT VALID.
  EXPECT_EQ(db.Query("SELECT conname LIKE '%team_keep%', convalidated FROM pg_constraint "
                     "WHERE conrelid = 'player'::regclass AND contype = 'f' ORDER BY convalidated, conname"),
            (Rows{{"f", "f"}, {"t", "f"}, {"f", "t"}, {"f", "t"}, {"f", "t"}, {"f", "t"}}));
  rapidjson::Document report;
  report.Parse(ReadFile(Out("orphans-report.json")).c_str());
  ASSERT_TRUE(report.IsObject());
  for (const auto& table : report["databases"][0]["tables"].GetArray()) {
    if (std::string(table["target"].GetString()) != "player") continue;
    const auto& changes = table["changed_values"];
    EXPECT_EQ(changes["team_null"]["orphan_nulled"].GetInt64(), 2);
    EXPECT_EQ(changes["country_null"]["orphan_nulled"].GetInt64(), 1);
    EXPECT_EQ(table["rows_rejected"].GetInt64(), 2);
  }
}

}  // namespace
}  // namespace my2pg
