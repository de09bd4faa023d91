#include "rules/rules.h"

#include <gtest/gtest.h>
#include <rapidjson/document.h>
#include <rapidjson/schema.h>
#include <rapidjson/stringbuffer.h>

#include <fstream>
#include <sstream>

#include "common/error.h"
#include "tests/test_util.h"

namespace my2pg {
namespace {

TEST(Rules, DefaultsLoadWithOptionsAndPolicies) {
  const Rules& rules = DefaultRules();
  EXPECT_EQ(rules.Option("target_schema"), "public");
  EXPECT_EQ(rules.Option("enum_mode"), "type");
  EXPECT_EQ(rules.conversions.zero_date, Policy::kNull);
  EXPECT_EQ(rules.conversions.invalid_date, Policy::kReject);
  ASSERT_FALSE(rules.types.empty());
  EXPECT_EQ(rules.types[0].type, "boolean");
  EXPECT_EQ(rules.types[0].origin.ToString(), "defaults.json#/types/0");
}

TEST(Rules, UserFileOverridesAndComesFirst) {
  Rules rules = LoadRulesText(R"({
    "options": {"target_schema": "app"},
    "conversions": {"zero_date": "1900-01-01"},
    "types": [{"match": {"data_type": "float"}, "type": "numeric"}],
    "tables": [{"match": "/^t_/", "rename": "x", "columns": [{"match": "a", "skip": true}]}]
  })", "user.json");
  EXPECT_EQ(rules.Option("target_schema"), "app");
  EXPECT_EQ(rules.Option("enum_mode"), "type");  // from the defaults
  EXPECT_EQ(rules.conversions.zero_date, Policy::kSentinel);
  EXPECT_EQ(rules.conversions.zero_date_sentinel, "1900-01-01");
  EXPECT_EQ(rules.conversions.nul_bytes, Policy::kStrip);
  EXPECT_EQ(rules.types[0].type, "numeric");
  EXPECT_EQ(rules.types[0].origin.ToString(), "user.json#/types/0");
  EXPECT_EQ(rules.types.size(), DefaultRules().types.size() + 1);
  ASSERT_EQ(rules.tables.size(), 1u);
  EXPECT_TRUE(rules.tables[0].match.Matches("t_orders"));
  EXPECT_FALSE(rules.tables[0].match.Matches("orders"));
  EXPECT_TRUE(rules.tables[0].columns[0].skip);
}

TEST(Rules, ExtendsNoneStartsEmpty) {
  Rules rules = LoadRulesText(R"({"extends": "none"})", "empty.json");
  EXPECT_TRUE(rules.types.empty());
  EXPECT_EQ(rules.files, std::vector<std::string>{"empty.json"});
}

struct BadRules {
  const char* json;
  const char* expected;  // the whole message
};

// Each broken file gives one precise error: file:line:column, pointer, what.
const BadRules kBadRules[] = {
    {"{", "bad.json:1:2: invalid JSON: Missing a name for object member."},
    {"[1]", "bad.json:1:1: /: a rules file is a JSON object"},
    {"{\"tabels\": []}",
     "bad.json:1:12: /tabels: unknown key 'tabels' (expected one of: $comment, $schema, conversions, extends, "
     "options, tables, types)"},
    {"{\"options\": {\"name_case\": \"upper\"}}",
     "bad.json:1:27: /options/name_case: 'upper' is not one of: keep, lower"},
    {"{\"options\": {\"colour\": \"x\"}}",
     "bad.json:1:24: /options/colour: unknown option 'colour' (expected one of: bigint_unsigned, enum_mode, geometry, "
     "legacy_schema, name_case, target_schema)"},
    {"{\"conversions\": {\"zero_date\": \"maybe\"}}",
     "bad.json:1:31: /conversions/zero_date: 'maybe' is not one of: -infinity, null, reject, or a date 'YYYY-MM-DD' or 'YYYY-MM-DD HH:MM:SS'"},
    {"{\"types\": {}}", "bad.json:1:11: /types: expected an array"},
    {"{\"types\": [{\"type\": \"text\"}]}", "bad.json:1:12: /types/0: missing 'match'"},
    {"{\"types\": [{\"match\": {}}]}", "bad.json:1:12: /types/0: missing 'type'"},
    {"{\"types\": [{\"match\": {\"data_type\": 5}, \"type\": \"text\"}]}",
     "bad.json:1:36: /types/0/match/data_type: expected a string"},
    {"{\"types\": [{\"match\": {\"column\": \"/a(/\"}, \"type\": \"text\"}]}",
     "bad.json:1:33: /types/0/match/column: bad regex /a(/: missing ): a("},
    {"{\"types\": [{\"match\": {\"unsigned\": \"yes\"}, \"type\": \"text\"}]}",
     "bad.json:1:35: /types/0/match/unsigned: expected true or false"},
    {"{\"tables\": [{\"rename\": \"x\"}]}", "bad.json:1:13: /tables/0: missing 'match' (a table name or /regex/)"},
    {"{\"tables\": [{\"match\": \"t\", \"skip\": 1}]}", "bad.json:1:36: /tables/0/skip: expected true or false"},
    {"{\"tables\": [{\"match\": \"\"}]}", "bad.json:1:23: /tables/0/match: must not be empty"},
    {"{\"tables\": [{\"match\": \"t\", \"columns\": [{\"match\": \"c\", \"renam\": \"d\"}]}]}",
     "bad.json:1:64: /tables/0/columns/0/renam: unknown key 'renam' (expected one of: $comment, cleanup, conversions, default, match, nullable, references, rename, skip, type)"},
    {"{\"tables\": [{\"match\": \"t\", \"colums\": []}]}",
     "bad.json:1:38: /tables/0/colums: unknown key 'colums' (expected one of: $comment, columns, conversions, filter, "
     "foreign_keys, match, primary_key, rename, schema, skip, surrogate_key)"},
    {"{\"extends\": 3}", "bad.json:1:13: /extends: expected a string: \"defaults\", \"none\" or a file path"},
    {"{\"extends\": \"missing.json\"}", "bad.json:1:13: /extends: no such file: ./missing.json"},
    {"{} x", "bad.json:1:4: invalid JSON: text after the end of the document"},
    {R"j({"conversions": {"timezone": "Europe/Pariss"}})j",
     "bad.json:1:30: /conversions/timezone: unknown time zone 'Europe/Pariss' (an IANA name such as Europe/Paris)"},
    {R"j({"tables": [{"match": "t", "columns": [{"match": "c", "cleanup": [{"trim": true, "upper": true}]}]}]})j",
     "bad.json:1:67: /tables/0/columns/0/cleanup/0: a cleanup step has exactly one key"},
    {R"j({"tables": [{"match": "t", "columns": [{"match": "c", "cleanup": [{"replace": {"pattern": "(a", "with": "b"}}]}]}]})j",
     "bad.json:1:91: /tables/0/columns/0/cleanup/0/replace/pattern: bad regex /(a/: missing ): (a"},
    {R"j({"tables": [{"match": "t", "columns": [{"match": "c", "cleanup": [{"replace": {"pattern": "a", "with": "\\2"}}]}]}]})j",
     "bad.json:1:104: /tables/0/columns/0/cleanup/0/replace/with: Rewrite schema requests 2 matches, but the regexp only has 0 parenthesized subexpressions."},
    {R"j({"tables": [{"match": "t", "columns": [{"match": "c", "cleanup": [{"capitalize": true}]}]}]})j",
     "bad.json:1:82: /tables/0/columns/0/cleanup/0/capitalize: unknown key 'capitalize' (expected one of: empty_to_null, lower, map, null_if, null_if_match, replace, trim, upper)"},
    {"{\n  \"types\": [\n    {\"match\": {\"option\": {\"nope\": \"x\"}}, \"type\": \"t\"}\n  ]\n}",
     "bad.json:3:35: /types/0/match/option/nope: unknown option 'nope'"},
    // Foreign keys of several columns: one parent column per child column.
    {R"j({"tables": [{"match": "t", "foreign_keys": [{"columns": ["a", "b"], "references": {"table": "p", "columns": ["x"]}}]}]})j",
     "bad.json:1:109: /tables/0/foreign_keys/0/references/columns: 2 columns cannot reference 1 (give one parent column "
     "per child column, in order)"},
    {R"j({"tables": [{"match": "t", "columns": [{"match": "c", "references": {"table": "p", "columns": ["x", "y"]}}]}]})j",
     "bad.json:1:95: /tables/0/columns/0/references/columns: one column cannot reference 2 (a key of several columns "
     "goes in the table's foreign_keys)"},
    {R"j({"tables": [{"match": "t", "foreign_keys": [{"columns": ["a", "a"], "references": {"table": "p"}}]}]})j",
     "bad.json:1:63: /tables/0/foreign_keys/0/columns/1: column 'a' is named twice"},
    {R"j({"tables": [{"match": "t", "foreign_keys": [{"columns": [], "references": {"table": "p"}}]}]})j",
     "bad.json:1:57: /tables/0/foreign_keys/0/columns: must name at least one column"},
    {R"j({"tables": [{"match": "t", "foreign_keys": [{"columns": ["a"]}]}]})j",
     "bad.json:1:45: /tables/0/foreign_keys/0: missing 'references' (the parent table and columns)"},
    {R"j({"tables": [{"match": "t", "foreign_keys": [{"columns": ["a"], "references": {"table": "p", "column": "x", "columns": ["x"]}}]}]})j",
     "bad.json:1:119: /tables/0/foreign_keys/0/references/columns: give column or columns, not both"},
    // A legacy schema that holds migrated tables would be dropped with them.
    {R"j({"options": {"legacy_schema": "public"}})j",
     "bad.json:1:31: /options/legacy_schema: 'public' is the target schema; the legacy schema must be another one "
     "(its views would sit among the migrated tables)"},
    {R"j({"options": {"target_schema": "app", "legacy_schema": "app"}})j",
     "bad.json:1:55: /options/legacy_schema: 'app' is the target schema; the legacy schema must be another one "
     "(its views would sit among the migrated tables)"},
    {R"j({"options": {"legacy_schema": "old"}, "tables": [{"match": "t", "schema": "old"}]})j",
     "bad.json:1:75: /tables/0/schema: 'old' is the legacy schema (options.legacy_schema); a table cannot go there"},
    {R"j({"options": {"legacy_schema": "pg_old"}})j",
     "bad.json:1:31: /options/legacy_schema: 'pg_old': names starting with pg_ are reserved by PostgreSQL"},
};

class BadRulesTest : public testing::TestWithParam<BadRules> {};

TEST_P(BadRulesTest, GivesOnePreciseError) {
  try {
    LoadRulesText(GetParam().json, "bad.json");
    FAIL() << "accepted: " << GetParam().json;
  } catch (const Error& e) {
    EXPECT_EQ(e.category(), ErrorCategory::kRules);
    EXPECT_EQ(std::string(e.what()), GetParam().expected);
  }
}

INSTANTIATE_TEST_SUITE_P(Rules, BadRulesTest, testing::ValuesIn(kBadRules));

TEST(Rules, ForeignKeysOfSeveralColumns) {
  Rules rules = LoadRulesText(R"j({"tables": [{"match": "line", "foreign_keys": [
      {"columns": ["tenant_id", "order_id"],
       "references": {"table": "orders", "columns": ["tenant_id", "id"], "orphans": "null", "on_delete": "cascade"}},
      {"columns": ["tenant_id", "order_id"], "references": {"table": "orders"}}]}]})j", "k.json");
  const std::vector<ForeignKeyRule>& keys = rules.tables[0].foreign_keys;
  ASSERT_EQ(keys.size(), 2u);
  EXPECT_EQ(keys[0].columns, (std::vector<std::string>{"tenant_id", "order_id"}));
  EXPECT_EQ(keys[0].references.table, "orders");
  EXPECT_EQ(keys[0].references.columns, (std::vector<std::string>{"tenant_id", "id"}));
  EXPECT_EQ(keys[0].references.orphans, Policy::kNull);
  EXPECT_EQ(keys[0].references.on_delete, "CASCADE");
  EXPECT_EQ(keys[0].origin.ToString(), "k.json#/tables/0/foreign_keys/0");
  EXPECT_TRUE(keys[1].references.columns.empty());  // the parent's primary key
  EXPECT_EQ(keys[1].references.orphans, Policy::kReject);
}


// rules.schema.json describes every file my2pg accepts: the shipped ones pass.
TEST(RulesSchema, ShippedFilesValidate) {
  rapidjson::Document schema_document;
  schema_document.Parse(ReadFile("rules/rules.schema.json").c_str());
  ASSERT_FALSE(schema_document.HasParseError());
  rapidjson::SchemaDocument schema(schema_document);
  for (const char* path : {"rules/defaults.json", "samples/hotel_mapping.json", "tests/golden/rule_kinds.json"}) {
    rapidjson::Document document;
    document.Parse(ReadFile(path).c_str());
    ASSERT_FALSE(document.HasParseError()) << path;
    rapidjson::SchemaValidator validator(schema);
    EXPECT_TRUE(document.Accept(validator)) << path << ": " << validator.GetInvalidSchemaKeyword();
    LoadRulesFile(path);  // and my2pg accepts them
  }
  rapidjson::Document bad;
  bad.Parse(R"({"tables": [{"match": "t", "renam": "u"}]})");
  rapidjson::SchemaValidator validator(schema);
  EXPECT_FALSE(bad.Accept(validator));
}

}  // namespace
}  // namespace my2pg

namespace my2pg {
namespace {

TEST(RulesSentinels, ADateSentinelMustBeARealDay) {
  EXPECT_EQ(LoadRulesText(R"({"conversions": {"zero_date": "1970-01-01 12:00:00"}})", "s.json")
                .conversions.zero_date_sentinel,
            "1970-01-01 12:00:00");
  for (const char* bad : {"1970-02-30", "0000-01-01", "1970-01-01 24:00:00", "1970-1-1"}) {
    try {
      LoadRulesText(std::string(R"({"conversions": {"zero_date": ")") + bad + "\"}}", "s.json");
      ADD_FAILURE() << bad << " was accepted";
    } catch (const Error& e) {
      EXPECT_EQ(std::string(e.what()),
                std::string("s.json:1:31: /conversions/zero_date: '") + bad +
                    "' is not one of: -infinity, null, reject, or a date 'YYYY-MM-DD' or 'YYYY-MM-DD HH:MM:SS'");
    }
  }
}

}  // namespace
}  // namespace my2pg
