#include "compat_views/roles.h"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <cstdio>
#include <fstream>

#include "common/error.h"
#include "compat_views/compat_views.h"
#include "mapper/mapper.h"
#include "tests/test_util.h"

namespace my2pg {
namespace {

// Two tables: "compte" with an AUTO_INCREMENT id, "note" without.
SourceCatalog TwoTables() {
  SourceCatalog catalog;
  catalog.database = "tenant_a";
  for (const char* name : {"compte", "note"}) {
    SourceTable table;
    table.name = name;
    SourceColumn id;
    id.name = "id";
    id.ordinal = 1;
    id.data_type = "int";
    id.column_type = "int(11)";
    id.nullable = false;
    id.auto_increment = std::string(name) == "compte";
    table.columns.push_back(id);
    table.indexes.push_back({"PRIMARY", true, "BTREE", {{"id", std::nullopt, false}}});
    catalog.tables.push_back(table);
  }
  catalog.grants.emplace();
  return catalog;
}

SchemaPlan Plan(const SourceCatalog& catalog,
                const std::string& rules = R"({"options": {"legacy_schema": "legacy"}})") {
  return MapCatalog(catalog, LoadRulesText(rules, "r.json"));
}

// The statements after the views: what --roles adds.
std::string RoleSql(const SchemaPlan& plan, const RolePasswords& passwords = {}) {
  CompatViewOptions options;
  options.roles_from_source = true;
  options.role_passwords = passwords;
  std::string out;
  bool after_views = false;
  for (const DdlStatement& statement : BuildCompatViews(plan, options)) {
    if (statement.sql.find("CREATE ROLE") != std::string::npos) after_views = true;
    if (after_views) out += statement.sql + ";\n";
  }
  return out;
}

constexpr char kCreateAppNoLogin[] =
    "DO $my2pg$\n"
    "BEGIN\n"
    "  CREATE ROLE \"app\" NOLOGIN;\n"
    "EXCEPTION WHEN duplicate_object OR unique_violation THEN\n"
    "  NULL;\n"
    "END\n"
    "$my2pg$;\n";

// The issue's case: SELECT, INSERT on the database reach every view, and
// nothing else; the INSERT brings SELECT on the identity's sequence (lastval).
TEST(Roles, DatabaseGrantReachesEveryView) {
  SourceCatalog catalog = TwoTables();
  catalog.grants->push_back({"app", "%", "", {"INSERT", "SELECT"}});
  EXPECT_EQ(RoleSql(Plan(catalog)),
            std::string(kCreateAppNoLogin) +
                "GRANT USAGE ON SCHEMA \"legacy\" TO \"app\";\n"
                "GRANT SELECT, INSERT ON \"legacy\".\"compte\" TO \"app\";\n"
                "GRANT SELECT, INSERT ON \"legacy\".\"note\" TO \"app\";\n"
                "DO $my2pg$ BEGIN EXECUTE format('GRANT SELECT ON SEQUENCE %s TO %I', "
                "pg_get_serial_sequence('\"public\".\"compte\"', 'id'), 'app'); END $my2pg$;\n");
}

// Two hosts of one user make one role with the privileges of both; a table
// grant reaches that table's view only; other privileges are noted.
TEST(Roles, HostsOfOneUserMerge) {
  SourceCatalog catalog = TwoTables();
  catalog.grants->push_back({"app", "%", "", {"SELECT"}});
  catalog.grants->push_back({"app", "10.0.0.%", "note", {"ALTER", "DELETE", "UPDATE"}});
  catalog.grants->push_back({"ops", "localhost", "", {"CREATE", "DROP"}});
  SchemaPlan plan = Plan(catalog);
  RolePlan roles = PlanRoles(plan);
  ASSERT_EQ(roles.roles.size(), 1u);
  EXPECT_EQ(roles.roles[0].name, "app");
  EXPECT_EQ(roles.roles[0].accounts, (std::vector<std::string>{"'app'@'%'", "'app'@'10.0.0.%'"}));
  EXPECT_EQ(roles.notes, (std::vector<std::string>{
                             "not migrated: 'app'@'10.0.0.%' on table note: ALTER",
                             "not migrated: 'ops'@'localhost' on tenant_a: CREATE, DROP",
                             "role \"app\": from 'app'@'%', 'app'@'10.0.0.%'",
                         }));
  EXPECT_EQ(RoleSql(plan), std::string(kCreateAppNoLogin) +
                               "GRANT USAGE ON SCHEMA \"legacy\" TO \"app\";\n"
                               "GRANT SELECT ON \"legacy\".\"compte\" TO \"app\";\n"
                               "GRANT SELECT, UPDATE, DELETE ON \"legacy\".\"note\" TO \"app\";\n");
}

// Names are quoted like every identifier: a hostile user name stays a name.
TEST(Roles, HostileNamesAreQuoted) {
  SourceCatalog catalog = TwoTables();
  catalog.grants->push_back({"x\" SUPERUSER; --", "%", "note", {"SELECT"}});
  catalog.grants->push_back({"$my2pg$", "%", "note", {"SELECT"}});
  const std::string sql = RoleSql(Plan(catalog));
  EXPECT_EQ(sql,
            "DO $my2pg_1$\nBEGIN\n  CREATE ROLE \"$my2pg$\" NOLOGIN;\n"
            "EXCEPTION WHEN duplicate_object OR unique_violation THEN\n  NULL;\nEND\n$my2pg_1$;\n"
            "GRANT USAGE ON SCHEMA \"legacy\" TO \"$my2pg$\";\n"
            "GRANT SELECT ON \"legacy\".\"note\" TO \"$my2pg$\";\n"
            "DO $my2pg$\nBEGIN\n  CREATE ROLE \"x\"\" SUPERUSER; --\" NOLOGIN;\n"
            "EXCEPTION WHEN duplicate_object OR unique_violation THEN\n  NULL;\nEND\n$my2pg$;\n"
            "GRANT USAGE ON SCHEMA \"legacy\" TO \"x\"\" SUPERUSER; --\";\n"
            "GRANT SELECT ON \"legacy\".\"note\" TO \"x\"\" SUPERUSER; --\";\n");
}

// A line break in a user name cannot end the plan's comment and become SQL.
TEST(Roles, NotesInThePlanAreComments) {
  SourceCatalog catalog = TwoTables();
  catalog.grants->push_back({"evil\nDROP DATABASE x;", "%", "", {"SELECT"}});
  SchemaPlan plan = Plan(catalog);
  Ddl ddl = BuildDdl(plan);
  ddl.views = BuildCompatViews(plan, {});
  ddl.view_notes = PlanRoles(plan).notes;
  const std::string script = RenderScript(plan, ddl);
  EXPECT_NE(script.find("-- role \"evil\\nDROP DATABASE x;\": from 'evil\\nDROP DATABASE x;'@'%'\n"),
            std::string::npos)
      << script;
  EXPECT_EQ(script.find("-- role \"evil\nDROP"), std::string::npos);
}

// Roles PostgreSQL reserves, the anonymous user and users that only differ
// past 63 bytes get no role: noted, never merged into someone else's.
TEST(Roles, NamesWithoutARole) {
  SourceCatalog catalog = TwoTables();
  const std::string long_name(63, 'u');
  catalog.grants->push_back({"", "localhost", "", {"SELECT"}});
  catalog.grants->push_back({"pg_monitor", "%", "", {"SELECT"}});
  catalog.grants->push_back({"public", "%", "", {"SELECT"}});
  catalog.grants->push_back({long_name + "1", "%", "", {"SELECT"}});
  catalog.grants->push_back({long_name + "2", "%", "", {"SELECT"}});
  catalog.grants->push_back({std::string(70, 'v'), "%", "", {"SELECT"}});
  RolePlan roles = PlanRoles(Plan(catalog));
  ASSERT_EQ(roles.roles.size(), 1u);
  EXPECT_EQ(roles.roles[0].name, std::string(63, 'v'));
  const std::string cut = "users " + long_name + "1, " + long_name + "2 would all be role \"" + long_name +
                          "\" once cut to 63 bytes";
  EXPECT_EQ(roles.notes, (std::vector<std::string>{
                             "not migrated: ''@'localhost': the anonymous account has no PostgreSQL role",
                             "not migrated: 'pg_monitor'@'%': \"pg_monitor\" is a role name PostgreSQL reserves",
                             "not migrated: 'public'@'%': \"public\" is a role name PostgreSQL reserves",
                             "not migrated: '" + long_name + "1'@'%': " + cut,
                             "not migrated: '" + long_name + "2'@'%': " + cut,
                             "role \"" + std::string(63, 'v') + "\": from '" + std::string(70, 'v') + "'@'%'",
                         }));
}

// A table grant whose table has no view is noted, not granted elsewhere.
TEST(Roles, TableWithoutAView) {
  SourceCatalog catalog = TwoTables();
  catalog.grants->push_back({"app", "%", "note", {"SELECT"}});
  catalog.grants->push_back({"app", "%", "gone", {"SELECT"}});
  SchemaPlan plan = Plan(catalog, R"({"options": {"legacy_schema": "legacy"},
                                      "tables": [{"match": "note", "skip": true}]})");
  RolePlan roles = PlanRoles(plan);
  EXPECT_TRUE(roles.roles.empty());
  EXPECT_EQ(roles.notes, (std::vector<std::string>{
                             "not migrated: 'app'@'%' on table note: the table is not migrated, it has no view",
                             "not migrated: 'app'@'%' on table gone: no such table",
                         }));
  EXPECT_EQ(RoleSql(plan), "");
}

TEST(Roles, GrantsNotReadIsAnError) {
  SourceCatalog catalog = TwoTables();
  catalog.grants.reset();
  catalog.grants_problem = "SELECT command denied";
  try {
    PlanRoles(Plan(catalog));
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.exit_code(), kExitUsage);
    EXPECT_EQ(std::string(e.what()), "--roles from-source: the privileges on tenant_a were not read: SELECT command denied");
  }
}

// A role with a password: LOGIN, the SCRAM secret (never the password),
// created or altered, retried when another database sets it at the same time.
TEST(Roles, PasswordGivesLogin) {
  SourceCatalog catalog = TwoTables();
  catalog.grants->push_back({"app", "%", "note", {"SELECT"}});
  const std::string secret = "SCRAM-SHA-256$4096:c2FsdA==$a:b";
  EXPECT_EQ(RoleSql(Plan(catalog), {{"app", secret}}),
            "DO $my2pg$\nBEGIN\n"
            "  FOR attempt IN 1..5 LOOP\n"
            "    BEGIN\n"
            "      BEGIN\n"
            "        CREATE ROLE \"app\" LOGIN PASSWORD '" + secret + "';\n"
            "      EXCEPTION WHEN duplicate_object OR unique_violation THEN\n"
            "        ALTER ROLE \"app\" LOGIN PASSWORD '" + secret + "';\n"
            "      END;\n"
            "      RETURN;\n"
            "    EXCEPTION WHEN internal_error THEN\n"
            "      IF attempt = 5 THEN RAISE; END IF;\n"
            "      PERFORM pg_catalog.pg_sleep(0.1 * attempt);\n"
            "    END;\n"
            "  END LOOP;\n"
            "END\n$my2pg$;\n"
            "GRANT USAGE ON SCHEMA \"legacy\" TO \"app\";\n"
            "GRANT SELECT ON \"legacy\".\"note\" TO \"app\";\n");
}

// Checked against Python's hashlib/hmac (RFC 7677's construction).
TEST(Roles, ScramSecret) {
  EXPECT_EQ(ScramSha256Secret("pencil", "0123456789abcdef"),
            "SCRAM-SHA-256$4096:MDEyMzQ1Njc4OWFiY2RlZg==$nQpbZ77WudtqufPwikHXGRt6g2QJ4zns8bZLw273DRM=:"
            "jn2amWP1q1h+jgjy0YTO14S6/F02SV7taipOeB7ef20=");
}

class RolePasswordsFile : public testing::Test {
 protected:
  std::string Write(const std::string& text, mode_t mode) {
    std::ofstream(path_, std::ios::binary) << text;
    chmod(path_.c_str(), mode);
    return path_;
  }
  std::string ErrorOf(const std::string& text, mode_t mode = 0600) {
    try {
      LoadRolePasswords(Write(text, mode));
    } catch (const Error& e) {
      EXPECT_EQ(e.exit_code(), kExitUsage);
      return e.what();
    }
    return "no error";
  }
  void TearDown() override { std::remove(path_.c_str()); }
  std::string path_ = testing::TempDir() + "role_passwords_test.txt";
};

TEST_F(RolePasswordsFile, ReadsRolesAndHashesPasswords) {
  RolePasswords passwords = LoadRolePasswords(Write("# role password\n\napp  s3cret with spaces\r\nrO\tx\n", 0640));
  ASSERT_EQ(passwords.size(), 2u);
  EXPECT_EQ(passwords.at("app").rfind("SCRAM-SHA-256$4096:", 0), 0u);
  EXPECT_EQ(passwords.at("app").size(), std::string("SCRAM-SHA-256$4096:$:").size() + 24 + 44 + 44);
  EXPECT_EQ(passwords.at("rO").rfind("SCRAM-SHA-256$4096:", 0), 0u);
  // A fresh salt each time: the same password never gives the same secret.
  EXPECT_NE(LoadRolePasswords(path_).at("app"), passwords.at("app"));
}

TEST_F(RolePasswordsFile, RefusesAFileOthersMayRead) {
  EXPECT_EQ(ErrorOf("app secret\n", 0644), "--role-passwords: " + path_ +
                                               " holds passwords and every user may access it (mode 0644): chmod o-rwx " +
                                               path_);
}

// Errors name the file, the line and the role, never the password.
TEST_F(RolePasswordsFile, ErrorsNameTheLine) {
  EXPECT_EQ(ErrorOf("app secret\n  bob   \n"), path_ + ":2: role \"bob\" has no password");
  EXPECT_EQ(ErrorOf("app secret\napp other\n"), path_ + ":2: role \"app\" is given twice");
  EXPECT_EQ(ErrorOf("app s\xc3\xa9same\n"),
            path_ + ":1: role \"app\": the password holds a character that is not printable ASCII");
  EXPECT_EQ(ErrorOf("x"), path_ + ":1: role \"x\" has no password");
}

TEST(RolePasswords, MissingFile) {
  EXPECT_THROW(LoadRolePasswords("/nonexistent/passwords"), Error);
}

}  // namespace
}  // namespace my2pg
