// The torture tenant (tests/integration/data/torture.sql): every MySQL value
// at its extremes and in its invalid forms, loaded through binary COPY and
// through COPY text, with the servers' and the environment's settings set
// against us. Each value arrives exact, or as a counted change, or its row
// is rejected with the reason.
#include <rapidjson/document.h>

#include <fstream>
#include <map>

#include "tests/integration/test_env.h"

namespace my2pg {
namespace {

using Rows = std::vector<std::vector<std::string>>;

// The changes counted per "table.column.kind" in a run report.
std::map<std::string, int64_t> Changes(const std::string& report_path) {
  rapidjson::Document report;
  report.Parse(ReadFile(report_path).c_str());
  std::map<std::string, int64_t> changes;
  if (!report.IsObject()) return changes;
  for (const auto& table : report["databases"][0]["tables"].GetArray()) {
    for (const auto& column : table["changed_values"].GetObject()) {
      for (const auto& kind : column.value.GetObject()) {
        changes[std::string(table["target"].GetString()) + "." + column.name.GetString() + "." + kind.name.GetString()] =
            kind.value.GetInt64();
      }
    }
  }
  return changes;
}

// Each line's "key.id column: reason".
std::vector<std::string> Rejects(const std::string& path) {
  std::vector<std::string> out;
  std::ifstream in(path);
  for (std::string line; std::getline(in, line);) {
    rapidjson::Document reject;
    reject.Parse(line.c_str());
    out.push_back(std::string(reject["key"]["id"].GetString()) + " " + reject["column"].GetString() + ": " +
                  reject["reason"].GetString());
  }
  return out;
}

// Sets the source server's global sql_mode for the new sessions; restores it.
class GlobalSqlMode {
 public:
  explicit GlobalSqlMode(const std::string& mode) {
    saved_ = RunCommand("scripts/sandbox mysql -N -e 'SELECT @@GLOBAL.sql_mode'").output;
    while (!saved_.empty() && saved_.back() == '\n') saved_.pop_back();
    Set(mode);
  }
  ~GlobalSqlMode() { Set(saved_); }

 private:
  static void Set(const std::string& mode) {
    CommandResult set = RunCommand("scripts/sandbox mysql -e \"SET GLOBAL sql_mode = '" + mode + "'\"");
    EXPECT_EQ(set.exit_code, 0) << set.output;
  }
  std::string saved_;
};

void ExpectTortureValues(const std::string& format) {
  SCOPED_TRACE("--copy-format " + format);
  PgSession db = my2pg::Target("torture");
  // FLOAT: the float MySQL stored, bit for bit (float4send); DOUBLE exact.
  EXPECT_EQ(db.Query("SELECT id, f::float8, encode(float4send(f), 'hex'), d FROM floats ORDER BY id"),
            (Rows{{"1", "1234567", "4996b438", "0.30000000000000004"},
                  {"2", "16777215", "4b7fffff", "1.7976931348623157e+308"},
                  {"3", "0.12345670163631439", "3dfcd6de", "-1.7976931348623157e+308"},
                  {"4", "3.4028234663852886e+38", "7f7fffff", "2.2250738585072014e-308"},
                  {"5", "1.1754943508222875e-38", "00800000", "5e-324"},
                  {"6", "1.401298464324817e-45", "00000001", "0.1"},
                  {"7", "-3.4028234663852886e+38", "ff7fffff", "1.2345678901234567"},
                  {"8", "", "", ""}}));
  // Narrowed numbers and text: rounded and counted, or the row rejected.
  EXPECT_EQ(db.Query("SELECT id, price, rate, ratio, small, code, qty FROM narrow ORDER BY id"),
            (Rows{{"1", "1234.50", "1.24", "1500.0000", "0.5", "h\xC3\xA9llo", "13"},
                  {"5", "-9999.99", "-1.01", "0.0000", "0.3", "ok", "-3"},
                  {"6", "1.00", "0.00", "0.0000", "0", "a", "1000000"}}));
  EXPECT_EQ(Rejects(Out("torture-") + format + "/torture/narrow.rejects.jsonl"),
            (std::vector<std::string>{"2 price: value '12345.67' does not fit numeric(6,2)",
                                      "3 small: value '1e300' does not fit real",
                                      "4 code: value of 6 characters does not fit varchar(5)"}));
  // SET members keep their backslash; NUL bytes stripped on every decoding
  // path; CHAR values unpadded whatever the server's sql_mode.
  EXPECT_EQ(db.Query("SELECT id, s::text, j->>'a', (j->>'n')::numeric = 1.5e300, l, u, k, c::text = 'ab' OR c = 'c' "
                     "FROM texts ORDER BY id"),
            (Rows{{"1", "{\"x\\\\y\",z}", "\xC3\xA9", "t", "ab", "ab", "ab", "t"}}));
  EXPECT_EQ(Rejects(Out("torture-") + format + "/torture/texts.rejects.jsonl"),
            (std::vector<std::string>{
                "2 j: invalid JSON at offset 16: \\u0000 in a string, which jsonb cannot hold",
                "3 j: invalid JSON at offset 1: a number past the range of jsonb's numeric"}));
  // UTC past year 9999 and before year 1; sentinels per column kind and zone.
  EXPECT_EQ(db.Query("SELECT id, montreal::text, tokyo::text, ts::text, d::text, naive::text FROM times ORDER BY id"),
            (Rows{{"1", "10000-01-01 04:59:59+00", "0001-12-31 20:00:00+00 BC", "1970-01-01 00:00:00+00",
                   "1970-01-01", "2000-01-01 00:00:00"},
                  {"2", "1970-01-01 05:00:00+00", "2020-06-01 03:00:00+00", "2038-01-19 03:14:07+00", "1900-01-01",
                   "1900-01-01 12:00:00"}}));
  EXPECT_EQ(db.QueryValue("SELECT v FROM \"it's\""), "ok");
  std::map<std::string, int64_t> expected = {
      {"narrow.rate.numeric_rounded", 2},   // 1.235, -1.005
      {"narrow.ratio.numeric_rounded", 1},  // 1e-7
      {"narrow.small.float_rounded", 1},    // 0.30000000000000004
      {"narrow.qty.numeric_rounded", 3},    // 12.50, -2.50, 999999.99
      {"texts.l.nul_stripped", 1},
      {"texts.u.nul_stripped", 1},
      {"texts.k.nul_stripped", 1},
      {"times.montreal.converted_to_utc", 1},
      {"times.montreal.zero_date_sentinel", 1},
      {"times.tokyo.converted_to_utc", 2},
      {"times.ts.zero_date_sentinel", 1},
      {"times.d.zero_date_sentinel", 1},
      {"times.d.invalid_date_sentinel", 1},
      {"times.naive.zero_date_sentinel", 1},
      {"times.naive.invalid_date_sentinel", 1},
  };
  EXPECT_EQ(Changes(Out("torture-") + format + ".json"), expected);
}

TEST(Torture, EveryValueExactCountedOrRejectedInBinaryCopy) {
  CommandResult load = RunCommand("scripts/sandbox mysql < tests/integration/data/torture.sql");
  ASSERT_EQ(load.exit_code, 0) << load.output;
  RunCommand("rm -rf $MY2PG_TEST_OUT/torture-auto");
  CommandResult run = RunMy2pg("migrate --databases torture --target '" + Env("MY2PG_TARGET") +
                               "' --mapping tests/integration/data/torture_mapping.json --replace -q "
                               "--reject-dir $MY2PG_TEST_OUT/torture-auto --report $MY2PG_TEST_OUT/torture-auto.json");
  EXPECT_EQ(run.exit_code, 0) << run.output;
  ExpectTortureValues("auto");
}

// COPY text, with every setting that could change what the text means set
// against us: the source server's sql_mode (backslashes, quotes, CHAR
// padding), the client's encoding, time zone and date style.
TEST(Torture, EveryValueExactCountedOrRejectedInTextCopyWhateverTheSettings) {
  CommandResult load = RunCommand("scripts/sandbox mysql < tests/integration/data/torture.sql");
  ASSERT_EQ(load.exit_code, 0) << load.output;
  RunCommand("rm -rf $MY2PG_TEST_OUT/torture-text");
  CommandResult run;
  {
    GlobalSqlMode hostile("NO_BACKSLASH_ESCAPES,ANSI_QUOTES,PAD_CHAR_TO_FULL_LENGTH");
    run = RunCommand("PGCLIENTENCODING=LATIN1 PGOPTIONS='-c TimeZone=Asia/Tokyo -c DateStyle=SQL,DMY' " +
                     std::string(MY2PG_BINARY) + " migrate --databases torture --target '" + Env("MY2PG_TARGET") +
                     "' --mapping tests/integration/data/torture_mapping.json --replace -q --copy-format text "
                     "--reject-dir $MY2PG_TEST_OUT/torture-text --report $MY2PG_TEST_OUT/torture-text.json");
  }
  EXPECT_EQ(run.exit_code, 0) << run.output;
  ExpectTortureValues("text");
}

}  // namespace
}  // namespace my2pg
