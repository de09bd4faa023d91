// New foreign keys on a schema that never had them (issue 11): every orphan
// policy with integer and text parent keys, a self-reference, and a parent
// row rejected on the way, with exact counts.
#include <rapidjson/document.h>

#include <fstream>
#include <map>
#include <sstream>

#include "common/identifier.h"
#include "tests/integration/test_env.h"

namespace my2pg {
namespace {

using Rows = std::vector<std::vector<std::string>>;

// Loads tests/integration/data/<name>.sql (database <name>) and migrates it
// with <name>_mapping.json: rejects in <name>-rejects/, the report in
// <name>-report.json, in $MY2PG_TEST_OUT.
void LoadAndMigrate(const std::string& name, const std::string& options = "") {
  CommandResult load = RunCommand("scripts/sandbox mysql < tests/integration/data/" + name + ".sql");
  ASSERT_EQ(load.exit_code, 0) << load.output;
  RunCommand("rm -rf $MY2PG_TEST_OUT/" + name + "-rejects");
  CommandResult run = RunMy2pg("migrate --databases " + name + " --target '" + Env("MY2PG_TARGET") +
                               "' --mapping tests/integration/data/" + name + "_mapping.json --replace -q " + options +
                               " --reject-dir $MY2PG_TEST_OUT/" + name + "-rejects --report $MY2PG_TEST_OUT/" + name +
                               "-report.json");
  ASSERT_EQ(run.exit_code, 0) << run.output;
}

TEST(Orphans, EveryPolicyWithIntegerAndTextKeys) {
  ASSERT_NO_FATAL_FAILURE(LoadAndMigrate("orphans"));
  PgSession db = my2pg::Target("orphans");
  EXPECT_EQ(db.Query("SELECT id FROM team ORDER BY id"), (Rows{{"-5"}, {"1"}, {"2"}}));
  EXPECT_EQ(db.Query("SELECT id, team_null, team_reject, team_keep, country_null, country_reject, coach "
                     "FROM player ORDER BY id"),
            (Rows{{"1", "1", "1", "1", "FR", "FR", ""}, {"2", "", "2", "99", "", "DE", "1"}, {"6", "", "", "", "", "", ""}}));
  std::string rejects = ReadFile(Out("orphans-rejects/orphans/player.rejects.jsonl"));
  EXPECT_NE(rejects.find("\"column\":\"team_reject\",\"reason\":\"orphan: no team.id = '3'\""), std::string::npos)
      << rejects;
  EXPECT_NE(rejects.find("\"column\":\"country_reject\",\"reason\":\"orphan: no country.code = 'ZZ'\""),
            std::string::npos)
      << rejects;
  // The self-reference, after the load: player 3's coach 7 does not exist.
  // Its line holds the source row (team_null 3, which loaded as NULL).
  EXPECT_NE(rejects.find("{\"key\":{\"id\":\"3\"},\"column\":\"coach\",\"reason\":\"orphan: no player.id = '7'\","
                         "\"value\":\"7\",\"row\":{\"id\":\"3\",\"team_null\":\"3\",\"team_reject\":\"-5\","
                         "\"team_keep\":\"3\",\"country_null\":\"a\\\\x09b\",\"country_reject\":\"a\\\\x09b\","
                         "\"coach\":\"7\"},\"chunk\":-1}\n"),
            std::string::npos)
      << rejects;
  EXPECT_EQ(std::count(rejects.begin(), rejects.end(), '\n'), 3);
  // The keys exist; only "keep" is NOT VALID.
  EXPECT_EQ(db.Query("SELECT conname LIKE '%team_keep%', convalidated FROM pg_constraint "
                     "WHERE conrelid = 'player'::regclass AND contype = 'f' ORDER BY convalidated, conname"),
            (Rows{{"t", "f"}, {"f", "t"}, {"f", "t"}, {"f", "t"}, {"f", "t"}, {"f", "t"}}));
  rapidjson::Document report;
  report.Parse(ReadFile(Out("orphans-report.json")).c_str());
  ASSERT_TRUE(report.IsObject());
  for (const auto& table : report["databases"][0]["tables"].GetArray()) {
    if (std::string(table["target"].GetString()) != "player") continue;
    const auto& changes = table["changed_values"];
    // Player 3's team_null was nulled while copying, but the row was then
    // rejected after the load: only player 2's counts.
    EXPECT_EQ(changes["team_null"]["orphan_nulled"].GetInt64(), 1);
    EXPECT_EQ(changes["country_null"]["orphan_nulled"].GetInt64(), 1);
    EXPECT_EQ(table["rows_rejected"].GetInt64(), 3);
  }
}

// The counts of the target table "name" in a run report: rows rejected and
// each column's orphan_nulled.
struct OrphanCounts {
  int64_t rows_rejected = -1;
  std::map<std::string, int64_t> nulled;
};

OrphanCounts CountsOf(const rapidjson::Document& report, const std::string& name) {
  OrphanCounts counts;
  for (const auto& table : report["databases"][0]["tables"].GetArray()) {
    if (std::string(table["target"].GetString()) != name) continue;
    counts.rows_rejected = table["rows_rejected"].GetInt64();
    for (const auto& column : table["changed_values"].GetObject()) {
      if (column.value.HasMember("orphan_nulled")) {
        counts.nulled[column.name.GetString()] = column.value["orphan_nulled"].GetInt64();
      }
    }
  }
  return counts;
}

// The changed values of the target table "name" in a run report, as
// "column kind count" joined by ", ", in the report's order.
std::string ChangesOf(const rapidjson::Document& report, const std::string& name) {
  std::string changes;
  for (const auto& table : report["databases"][0]["tables"].GetArray()) {
    if (std::string(table["target"].GetString()) != name) continue;
    for (const auto& column : table["changed_values"].GetObject()) {
      for (const auto& kind : column.value.GetObject()) {
        changes += std::string(changes.empty() ? "" : ", ") + column.name.GetString() + " " + kind.name.GetString() +
                   " " + std::to_string(kind.value.GetInt64());
      }
    }
  }
  return changes;
}

// Lines of a reject file that contain "text".
int64_t LinesWith(const std::string& file, const std::string& text) {
  int64_t count = 0;
  std::istringstream lines(file);
  for (std::string line; std::getline(lines, line);) count += line.find(text) != std::string::npos;
  return count;
}

// Integer keys (checked while copying), text and two-column keys (checked by
// PostgreSQL after the load): each policy, parents rejected on the way, rows
// rejected after the load orphaning their own children, and self-references
// (a chain of rejects, and nulls).
TEST(Orphans, EveryPolicyWithIntegerTextAndCompositeKeys) {
  ASSERT_NO_FATAL_FAILURE(LoadAndMigrate("orphan_keys", "--threads 2"));
  PgSession db = my2pg::Target("orphan_keys");
  EXPECT_EQ(db.Query("SELECT id FROM team ORDER BY id"), (Rows{{"1"}, {"2"}}));
  EXPECT_EQ(db.Query("SELECT count(*) FROM region"), (Rows{{"3"}}));
  EXPECT_EQ(db.Query("SELECT shop, id FROM orders ORDER BY shop, id"), (Rows{{"1", "1"}, {"1", "2"}, {"2", "1"}}));
  EXPECT_EQ(db.Query("SELECT id, t_reject, t_null, t_keep FROM by_int ORDER BY id"),
            (Rows{{"1", "1", "1", "1"}, {"2", "2", "", "99"}, {"4", "1", "", "3"}, {"5", "", "", ""}}));
  EXPECT_EQ(db.Query("SELECT code, r_reject, r_null, r_keep FROM by_text ORDER BY code"),
            (Rows{{"a", "FR", "FR", "FR"}, {"b", "DE", "", "ZZ"}, {"d", "a\tb", "", "a\tb"}, {"f", "", "", ""}}));
  EXPECT_EQ(db.Query("SELECT id, text_code FROM by_text_note ORDER BY id"), (Rows{{"1", "a"}, {"4", ""}}));
  EXPECT_EQ(db.Query("SELECT text_code, said FROM by_text_log"), (Rows{{"a", "kept"}}));
  EXPECT_EQ(db.Query("SELECT id, s_reject, o_reject, s_null, o_null, s_keep, o_keep FROM by_pair ORDER BY id"),
            (Rows{{"1", "1", "1", "1", "2", "2", "1"},
                  {"2", "1", "2", "", "", "9", "9"},
                  {"4", "1", "1", "", "", "1", "1"},
                  {"5", "1", "", "5", "", "", "7"},
                  {"6", "2", "1", "1", "1", "1", "1"}}));
  EXPECT_EQ(db.Query("SELECT id, pair_id, pair_null FROM by_pair_note ORDER BY id"),
            (Rows{{"1", "1", "1"}, {"5", "2", ""}}));
  // The self-references: a chain of three rejected, then two nulled.
  EXPECT_EQ(db.Query("SELECT id, manager_id, mentor_id FROM employee ORDER BY id"),
            (Rows{{"1", "", ""}, {"2", "1", "1"}, {"6", "1", ""}, {"7", "2", ""}}));
  // Every key exists; those that keep orphans are NOT VALID.
  EXPECT_EQ(db.Query("SELECT conrelid::regclass::text, conname, convalidated FROM pg_constraint WHERE contype = 'f' "
                     "ORDER BY 1, 2"),
            (Rows{{"by_int", "by_int_t_keep_fkey", "f"},
                  {"by_int", "by_int_t_null_fkey", "t"},
                  {"by_int", "by_int_t_reject_fkey", "t"},
                  {"by_pair", "by_pair_o_keep_s_keep_fkey", "f"},
                  {"by_pair", "by_pair_s_null_o_null_fkey", "t"},
                  {"by_pair", "by_pair_s_reject_o_reject_fkey", "t"},
                  {"by_pair_note", "by_pair_note_pair_id_fkey", "t"},
                  {"by_pair_note", "by_pair_note_pair_null_fkey", "t"},
                  {"by_text", "by_text_r_keep_fkey", "f"},
                  {"by_text", "by_text_r_null_fkey", "t"},
                  {"by_text", "by_text_r_reject_fkey", "t"},
                  {"by_text_log", "by_text_log_text_code_fkey", "t"},
                  {"by_text_note", "by_text_note_text_code_fkey", "t"},
                  {"employee", "employee_manager_id_fkey", "t"},
                  {"employee", "employee_mentor_id_fkey", "t"}}));

  rapidjson::Document report;
  report.Parse(ReadFile(Out("orphan_keys-report.json")).c_str());
  ASSERT_TRUE(report.IsObject());
  OrphanCounts by_int = CountsOf(report, "by_int");
  EXPECT_EQ(by_int.rows_rejected, 2);
  EXPECT_EQ(by_int.nulled, (std::map<std::string, int64_t>{{"t_null", 2}}));
  OrphanCounts by_text = CountsOf(report, "by_text");
  EXPECT_EQ(by_text.rows_rejected, 2);
  EXPECT_EQ(by_text.nulled, (std::map<std::string, int64_t>{{"r_null", 2}}));
  EXPECT_EQ(CountsOf(report, "by_text_note").rows_rejected, 2);
  EXPECT_EQ(CountsOf(report, "by_text_log").rows_rejected, 1);
  OrphanCounts by_pair = CountsOf(report, "by_pair");
  EXPECT_EQ(by_pair.rows_rejected, 2);
  EXPECT_EQ(by_pair.nulled, (std::map<std::string, int64_t>{{"o_null", 2}, {"s_null", 2}}));
  OrphanCounts by_pair_note = CountsOf(report, "by_pair_note");
  EXPECT_EQ(by_pair_note.rows_rejected, 3);
  EXPECT_EQ(by_pair_note.nulled, (std::map<std::string, int64_t>{{"pair_null", 1}}));
  OrphanCounts employee = CountsOf(report, "employee");
  EXPECT_EQ(employee.rows_rejected, 3);
  EXPECT_EQ(employee.nulled, (std::map<std::string, int64_t>{{"mentor_id", 2}}));
  // The changes of the rows rejected after the load are taken back: row 6's
  // zero date only, and no stray boolean (row 4's 2).
  EXPECT_EQ(ChangesOf(report, "employee"), "mentor_id orphan_nulled 2, hired zero_date_nulled 1");
  for (const auto& table : report["databases"][0]["tables"].GetArray()) {
    EXPECT_EQ(table["rows_written"].GetInt64() + table["rows_rejected"].GetInt64(), table["rows_read"].GetInt64())
        << table["target"].GetString();
  }

  // Each rejected row once, whole, with its reason and its source values,
  // also those removed after the load (chunk -1, read back by their key).
  std::string dir = Out("orphan_keys-rejects/orphan_keys/");
  std::string int_rejects = ReadFile(dir + "by_int.rejects.jsonl");
  EXPECT_EQ(std::count(int_rejects.begin(), int_rejects.end(), '\n'), 2) << int_rejects;
  EXPECT_EQ(LinesWith(int_rejects, "\"key\":{\"id\":\"3\"},\"column\":\"t_reject\",\"reason\":\"orphan: no team.id = '3'\""), 1)
      << int_rejects;
  std::string text_rejects = ReadFile(dir + "by_text.rejects.jsonl");
  EXPECT_EQ(std::count(text_rejects.begin(), text_rejects.end(), '\n'), 2) << text_rejects;
  // A text key is not read back (a repair or a charset could make it name
  // another source row): the values as loaded, and the reason says so.
  EXPECT_EQ(LinesWith(text_rejects,
                      "{\"key\":{\"code\":\"c\"},\"column\":\"r_reject\",\"reason\":\"orphan: no region.code = 'XX' "
                      "(values as loaded: the source row could not be read back)\","
                      "\"value\":\"XX\",\"row\":{\"code\":\"c\",\"r_reject\":\"XX\",\"r_null\":\"FR\",\"r_keep\":\"FR\"}"),
            1)
      << text_rejects;
  EXPECT_EQ(LinesWith(text_rejects, "\"reason\":\"orphan: no region.code = 'ZZ' (values as loaded"), 1) << text_rejects;
  std::string note_rejects = ReadFile(dir + "by_text_note.rejects.jsonl");
  EXPECT_EQ(LinesWith(note_rejects, "\"reason\":\"orphan: no by_text.code = 'c'\""), 1) << note_rejects;
  EXPECT_EQ(LinesWith(note_rejects, "\"reason\":\"orphan: no by_text.code = 'q'\""), 1) << note_rejects;
  // A table with no key: its row cannot be read back, and says so.
  EXPECT_EQ(ReadFile(dir + "by_text_log.rejects.jsonl"),
            "{\"key\":{\"row_number\":-1},\"column\":\"text_code\",\"reason\":\"orphan: no by_text.code = 'q' "
            "(values as loaded: the source row could not be read back)\",\"value\":\"q\","
            "\"row\":{\"text_code\":\"q\",\"said\":\"rejected\"},\"chunk\":-1}\n");
  std::string pair_rejects = ReadFile(dir + "by_pair.rejects.jsonl");
  EXPECT_EQ(std::count(pair_rejects.begin(), pair_rejects.end(), '\n'), 2) << pair_rejects;
  EXPECT_EQ(LinesWith(pair_rejects, "{\"key\":{\"id\":\"3\"},\"column\":\"s_reject\","
                                    "\"reason\":\"orphan: no orders.(shop, id) = ('2', '2')\""),
            1)
      << pair_rejects;
  EXPECT_EQ(LinesWith(pair_rejects, "\"reason\":\"orphan: no orders.(shop, id) = ('3', '3')\""), 1) << pair_rejects;
  std::string pair_note_rejects = ReadFile(dir + "by_pair_note.rejects.jsonl");
  EXPECT_EQ(std::count(pair_note_rejects.begin(), pair_note_rejects.end(), '\n'), 3) << pair_note_rejects;
  EXPECT_EQ(LinesWith(pair_note_rejects, "\"reason\":\"orphan: no by_pair.id = '7'\""), 1) << pair_note_rejects;
  std::string employee_rejects = ReadFile(dir + "employee.rejects.jsonl");
  EXPECT_EQ(employee_rejects,
            "{\"key\":{\"id\":\"3\"},\"column\":\"manager_id\",\"reason\":\"orphan: no employee.id = '9'\","
            "\"value\":\"9\",\"row\":{\"id\":\"3\",\"manager_id\":\"9\",\"mentor_id\":\"9\",\"active\":\"1\","
            "\"hired\":\"0000-00-00\"},\"chunk\":-1}\n"
            "{\"key\":{\"id\":\"4\"},\"column\":\"manager_id\",\"reason\":\"orphan: no employee.id = '3'\","
            "\"value\":\"3\",\"row\":{\"id\":\"4\",\"manager_id\":\"3\",\"mentor_id\":\"2\",\"active\":\"2\","
            "\"hired\":\"2004-01-01\"},\"chunk\":-1}\n"
            "{\"key\":{\"id\":\"5\"},\"column\":\"manager_id\",\"reason\":\"orphan: no employee.id = '4'\","
            "\"value\":\"4\",\"row\":{\"id\":\"5\",\"manager_id\":\"4\",\"mentor_id\":\"1\",\"active\":\"0\","
            "\"hired\":\"0000-00-00\"},\"chunk\":-1}\n");

  // explain says where each check runs.
  const std::pair<const char*, const char*> kExplained[] = {
      {"by_pair_note", "foreign key by_pair_note_pair_id_fkey (pair_id) -> by_pair (id) on delete NO ACTION, "
                       "orphans: reject (checked after the load)"},
      {"by_pair_note", "foreign key by_pair_note_pair_null_fkey (pair_null) -> by_pair (id) on delete NO ACTION, "
                       "orphans: null (checked after the load)"},
      {"by_pair", "foreign key by_pair_s_null_o_null_fkey (s_null, o_null) -> orders (shop, id) on delete NO ACTION, "
                  "orphans: null (checked after the load)"},
      {"employee", "foreign key employee_manager_id_fkey (manager_id) -> employee (id) on delete NO ACTION, "
                   "orphans: reject (checked after the load, against its own rows)"},
      {"employee", "foreign key employee_mentor_id_fkey (mentor_id) -> employee (id) on delete NO ACTION, "
                   "orphans: null (checked after the load, against its own rows)"}};
  for (const auto& [table, line] : kExplained) {
    CommandResult explain = RunMy2pg("explain --source '" + Env("MY2PG_SOURCE") + "' --database orphan_keys "
                                     "--mapping tests/integration/data/orphan_keys_mapping.json --table " +
                                     std::string(table));
    ASSERT_EQ(explain.exit_code, 0) << explain.output;
    EXPECT_NE(explain.output.find(line), std::string::npos) << explain.output;
  }
}

// A run killed after a table's last chunk committed and before its check
// after the load did (as the check's transaction rolls back, restored here
// by hand: players 3 and 5 back, the check's step and counts undone, the keys
// that follow it dropped): --resume runs the check, whose table also has keys
// checked while copying (their parents' keys are not read again), and ends
// as the uncut run did.
TEST(Orphans, ResumeRunsTheCheckAfterTheLoadThatAKillCut) {
  ASSERT_NO_FATAL_FAILURE(LoadAndMigrate("orphans"));
  const std::string reject_file = Out("orphans-rejects/orphans/player.rejects.jsonl");
  const std::string rejects = ReadFile(reject_file);
  PgSession db = my2pg::Target("orphans");
  const Rows players = db.Query("SELECT * FROM player ORDER BY id");
  // Its foreign keys come after the check: not made yet.
  const Rows keys = db.Query("SELECT conname, convalidated FROM pg_constraint WHERE conrelid = 'player'::regclass "
                             "AND contype = 'f' ORDER BY conname");
  ASSERT_EQ(keys.size(), 6u);
  for (const auto& key : keys) db.Execute("ALTER TABLE player DROP CONSTRAINT " + key[0]);
  // Six added NOT VALID, five validated (team_keep keeps its orphans).
  ASSERT_EQ(db.QueryValue("WITH gone AS (DELETE FROM my2pg.step_done WHERE step LIKE 'ALTER TABLE %player% ADD "
                          "CONSTRAINT %FOREIGN KEY%' OR step LIKE 'ALTER TABLE %player% VALIDATE CONSTRAINT %' OR "
                          "step = '-- orphan check after the load of player' RETURNING 1) SELECT count(*) FROM gone"),
            "12");
  db.Execute("UPDATE my2pg.chunk_state SET rows_written = rows_written + 2, rows_rejected = rows_rejected - 2 "
             "WHERE source_table = 'player'");
  db.Execute("INSERT INTO player (id, team_null, team_reject, team_keep, country_null, country_reject, coach) "
             "VALUES (3, NULL, -5, 3, E'a\\tb', E'a\\tb', 7), (5, 1, 1, 1, 'FR', 'ZZ', NULL)");

  CommandResult resumed = RunMy2pg("migrate --databases orphans --target '" + Env("MY2PG_TARGET") +
                                   "' --mapping tests/integration/data/orphans_mapping.json --resume -q "
                                   "--reject-dir $MY2PG_TEST_OUT/orphans-rejects --report $MY2PG_TEST_OUT/"
                                   "orphans-resumed.json");
  ASSERT_EQ(resumed.exit_code, 0) << resumed.output;
  EXPECT_EQ(db.Query("SELECT * FROM player ORDER BY id"), players);
  EXPECT_EQ(ReadFile(reject_file), rejects);
  EXPECT_EQ(db.Query("SELECT conname, convalidated FROM pg_constraint WHERE conrelid = 'player'::regclass "
                     "AND contype = 'f' ORDER BY conname"),
            keys);
  rapidjson::Document report;
  report.Parse(ReadFile(Out("orphans-resumed.json")).c_str());
  ASSERT_TRUE(report.IsObject());
  EXPECT_EQ(CountsOf(report, "player").rows_rejected, 3);
}
}  // namespace
}  // namespace my2pg
