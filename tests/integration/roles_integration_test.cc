// Tenant accounts (migrate --roles from-source): a MySQL account with SELECT,
// INSERT on one tenant becomes a PostgreSQL role that may SELECT and INSERT
// through that tenant's legacy views, not DELETE, and has nothing on the
// other tenant.
#include <sys/stat.h>

#include <fstream>

#include "common/error.h"
#include "tests/integration/test_env.h"

namespace my2pg {
namespace {

using Rows = std::vector<std::vector<std::string>>;

constexpr char kPasswords[] = "build/rtest-role-passwords";

std::string MySqlAdmin(const std::string& sql) {
  CommandResult result = RunCommand("scripts/sandbox mysql -N -e \"" + sql + "\"");
  EXPECT_EQ(result.exit_code, 0) << result.output;
  return result.output;
}

// The source URI with another account.
std::string SourceAs(const std::string& user, const std::string& password) {
  ConnectionUri source = ConnectionUri::Parse(Env("MY2PG_SOURCE"));
  return "mysql://" + user + ":" + password + "@" + source.host + ":" + std::to_string(source.port);
}

// The privileges "role" has on the relations of "schema", as "relation:PRIVILEGE,...".
std::string Privileges(PgSession& db, const std::string& role, const std::string& schema) {
  return db.QueryValue(
      "SELECT string_agg(c.relname || ':' || p.privilege, ',' ORDER BY c.relname, p.n) FROM pg_class c "
      "JOIN pg_namespace n ON n.oid = c.relnamespace, "
      "unnest(ARRAY['SELECT', 'INSERT', 'UPDATE', 'DELETE']) WITH ORDINALITY AS p(privilege, n) "
      "WHERE n.nspname = '" + schema + "' AND c.relkind IN ('r', 'v', 'S') "
      "AND has_table_privilege('" + role + "', c.oid, p.privilege)");
}

class RolesTest : public testing::Test {
 protected:
  static void SetUpTestSuite() {
    CreateSampleTenants("rtest_", 2);
    // rtenant1: SELECT, INSERT on the first tenant from anywhere, and from
    // localhost UPDATE on one table; rtenant2: SELECT on the second tenant.
    MySqlAdmin(
        "DROP USER IF EXISTS 'rtenant1'@'%', 'rtenant1'@'localhost', 'rtenant2'@'%', 'rnoacl'@'127.0.0.1'; "
        "CREATE USER 'rtenant1'@'%' IDENTIFIED BY 'mysql-only'; "
        "CREATE USER 'rtenant1'@'localhost' IDENTIFIED BY 'mysql-only'; "
        "CREATE USER 'rtenant2'@'%' IDENTIFIED BY 'mysql-only'; "
        "GRANT SELECT, INSERT, CREATE VIEW ON rtest_0001.* TO 'rtenant1'@'%'; "
        "GRANT UPDATE ON rtest_0001.chambre TO 'rtenant1'@'localhost'; "
        "GRANT SELECT ON rtest_0002.* TO 'rtenant2'@'%'; "
        // A read-only account without SELECT on mysql.db / mysql.tables_priv.
        "CREATE USER 'rnoacl'@'127.0.0.1' IDENTIFIED BY 'noacl'; "
        "GRANT SELECT, SHOW VIEW, LOCK TABLES ON \\`rtest\\_%\\`.* TO 'rnoacl'@'127.0.0.1';");
    // Roles are cluster-wide: dropped with the databases that hold their grants.
    PgSession admin = my2pg::Target("postgres");
    admin.Execute("DROP DATABASE IF EXISTS rtest_0001");
    admin.Execute("DROP DATABASE IF EXISTS rtest_0002");
    admin.Execute("DROP ROLE IF EXISTS rtenant1");
    admin.Execute("DROP ROLE IF EXISTS rtenant2");
    admin.Execute("DROP ROLE IF EXISTS rnoacl");
    std::ofstream(kPasswords) << "# role password\nrtenant1 pg secret 1\n";
    chmod(kPasswords, 0600);
    CommandResult run = RunMy2pg("migrate --databases 'rtest_%' --target '" + Env("MY2PG_TARGET") +
                                 "' --mapping samples/hotel_mapping.json --replace -q --reject-dir build/rtest-rejects "
                                 "--roles from-source --role-passwords " + kPasswords);
    ASSERT_EQ(run.exit_code, 0) << run.output;
  }

  static PgSession AsTenant1(const std::string& database) {
    ConnectionUri uri = ConnectionUri::Parse(Env("MY2PG_TARGET")).WithDatabase(database);
    uri.user = "rtenant1";
    uri.password = "pg secret 1";
    PgSession session(uri);
    session.Execute("SET search_path = legacy");
    return session;
  }

  static void ExpectRefused(PgSession& session, const std::string& sql, const std::string& message) {
    try {
      session.Execute(sql);
      ADD_FAILURE() << "allowed: " << sql;
    } catch (const Error& e) {
      EXPECT_NE(std::string(e.what()).find(message), std::string::npos) << e.what();
    }
  }
};

TEST_F(RolesTest, AccountGetsItsPrivilegesOnItsViewsOnly) {
  PgSession db1 = my2pg::Target("rtest_0001");
  // SELECT, INSERT on every view; UPDATE on chambre from the other host's
  // grant (the hosts merge); CREATE VIEW is not carried over; nothing on the
  // new tables; SELECT on the sequences for lastval().
  EXPECT_EQ(Privileges(db1, "rtenant1", "legacy"),
            "chambre:SELECT,chambre:INSERT,chambre:UPDATE,client:SELECT,client:INSERT,journal:SELECT,"
            "journal:INSERT,reservation:SELECT,reservation:INSERT");
  EXPECT_EQ(Privileges(db1, "rtenant1", "hotel"),
            "booking_id_seq:SELECT,customer_id_seq:SELECT,room_id_seq:SELECT");
  EXPECT_EQ(db1.QueryValue("SELECT has_schema_privilege('rtenant1', 'legacy', 'USAGE')::text || "
                           "has_schema_privilege('rtenant1', 'legacy', 'CREATE')::text || "
                           "has_schema_privilege('rtenant1', 'hotel', 'USAGE')::text"),
            "truefalsefalse");
  EXPECT_EQ(Privileges(db1, "rtenant2", "legacy"), "");

  // As the tenant's user, with the password from --role-passwords.
  PgSession app = AsTenant1("rtest_0001");
  EXPECT_EQ(app.QueryValue("SELECT count(*) FROM client"), "5");
  EXPECT_EQ(app.QueryValue("INSERT INTO client (nom, prenom, actif, pays, date_naissance, date_creation) "
                           "VALUES ('Role', 'Test', 1, 'FR', '1990-01-01', '2020-06-01 12:00:00') RETURNING id"),
            "6");
  EXPECT_EQ(app.QueryValue("SELECT lastval()"), "6");
  EXPECT_EQ(db1.QueryValue("SELECT last_name FROM hotel.customer WHERE id = 6"), "Role");
  app.Execute("UPDATE chambre SET prix_nuit = 88 WHERE id = 1");
  EXPECT_EQ(db1.QueryValue("SELECT nightly_rate FROM hotel.room WHERE id = 1"), "88.00");
  ExpectRefused(app, "DELETE FROM client WHERE id = 6", "permission denied for view client");
  ExpectRefused(app, "UPDATE client SET nom = 'x' WHERE id = 6", "permission denied for view client");
  ExpectRefused(app, "SELECT count(*) FROM hotel.customer", "permission denied for schema hotel");
  EXPECT_EQ(db1.QueryValue("SELECT count(*) FROM hotel.customer WHERE id = 6"), "1");
}

TEST_F(RolesTest, NothingOnTheOtherTenant) {
  PgSession db2 = my2pg::Target("rtest_0002");
  EXPECT_EQ(Privileges(db2, "rtenant1", "legacy"), "");
  EXPECT_EQ(Privileges(db2, "rtenant1", "hotel"), "");
  EXPECT_EQ(db2.QueryValue("SELECT has_schema_privilege('rtenant1', 'legacy', 'USAGE')"), "f");
  // A grant on a pattern (`rtest\_%`.*) reaches every tenant it matches.
  EXPECT_EQ(Privileges(db2, "rnoacl", "legacy"), "chambre:SELECT,client:SELECT,journal:SELECT,reservation:SELECT");
  // The other tenant's account: SELECT only, and NOLOGIN without a password.
  EXPECT_EQ(Privileges(db2, "rtenant2", "legacy"),
            "chambre:SELECT,client:SELECT,journal:SELECT,reservation:SELECT");
  EXPECT_EQ(db2.Query("SELECT rolname, rolcanlogin::text, rolsuper::text, rolcreaterole::text FROM pg_roles "
                      "WHERE rolname LIKE 'rtenant%' ORDER BY rolname"),
            (Rows{{"rtenant1", "true", "false", "false"}, {"rtenant2", "false", "false", "false"}}));
  PgSession app = AsTenant1("rtest_0002");
  ExpectRefused(app, "SELECT count(*) FROM legacy.client", "permission denied for schema legacy");
}

// plan shows the roles and grants, from the server or from a snapshot alike.
TEST_F(RolesTest, PlanShowsRolesAndGrants) {
  CommandResult plan = RunMy2pg("plan --database rtest_0001 --mapping samples/hotel_mapping.json --roles from-source");
  ASSERT_EQ(plan.exit_code, 0) << plan.output;
  for (const char* line : {"-- not migrated: 'rnoacl'@'127.0.0.1' on rtest_0001: LOCK TABLES, SHOW VIEW\n",
                           "-- not migrated: 'rtenant1'@'%' on rtest_0001: CREATE VIEW\n",
                           "-- role \"rnoacl\": from 'rnoacl'@'127.0.0.1'\n",
                           "-- role \"rtenant1\": from 'rtenant1'@'%', 'rtenant1'@'localhost'\n"}) {
    EXPECT_NE(plan.output.find(line), std::string::npos) << line << plan.output;
  }
  EXPECT_NE(plan.output.find("GRANT SELECT, INSERT, UPDATE ON \"legacy\".\"chambre\" TO \"rtenant1\";\n"),
            std::string::npos);
  EXPECT_EQ(plan.output.find("PASSWORD"), std::string::npos);
  EXPECT_EQ(plan.output.find("pg secret"), std::string::npos);

  CommandResult snapshot = RunMy2pg("catalog --database rtest_0001 -o build/rtest-catalog.json");
  ASSERT_EQ(snapshot.exit_code, 0) << snapshot.output;
  CommandResult offline =
      RunMy2pg("plan --catalog build/rtest-catalog.json --mapping samples/hotel_mapping.json --roles from-source");
  ASSERT_EQ(offline.exit_code, 0) << offline.output;
  EXPECT_EQ(offline.output, plan.output);
}

// An account that cannot read mysql.db and mysql.tables_priv would see only
// its own privileges: refused up front, never a run without roles.
TEST_F(RolesTest, UnreadablePrivilegesAreAnError) {
  const std::string source = SourceAs("rnoacl", "noacl");
  CommandResult run = RunMy2pg("migrate --source " + source + " --databases 'rtest_%' --target '" +
                               Env("MY2PG_TARGET") + "' --mapping samples/hotel_mapping.json --replace -q "
                               "--roles from-source --reject-dir build/rtest-rejects");
  EXPECT_EQ(run.exit_code, 2);
  EXPECT_EQ(run.output,
            "my2pg: --roles from-source: rtest_0001: cannot read the accounts' privileges from mysql.db and "
            "mysql.tables_priv (MySQL error: SELECT command denied to user 'rnoacl'@'localhost' for table `mysql`.`db`); "
            "the source account needs GRANT SELECT ON mysql.db and GRANT SELECT ON mysql.tables_priv\n");
  // A snapshot such an account takes says so, and plan refuses it for roles.
  CommandResult snapshot = RunMy2pg("catalog --source " + source + " --database rtest_0001 -o build/rtest-noacl.json");
  ASSERT_EQ(snapshot.exit_code, 0) << snapshot.output;
  EXPECT_EQ(snapshot.output,
            "my2pg: warning: no privileges in the snapshot: cannot read the accounts' privileges from mysql.db and "
            "mysql.tables_priv (MySQL error: SELECT command denied to user 'rnoacl'@'localhost' for table `mysql`.`db`); "
            "the source account needs GRANT SELECT ON mysql.db and GRANT SELECT ON mysql.tables_priv\n");
  CommandResult plan =
      RunMy2pg("plan --catalog build/rtest-noacl.json --mapping samples/hotel_mapping.json --roles from-source");
  EXPECT_EQ(plan.exit_code, 2);
  EXPECT_NE(plan.output.find("my2pg: rtest_0001: --roles from-source: the privileges on rtest_0001 were not read: "),
            std::string::npos)
      << plan.output;

  // With the two grants, the same account reads them.
  MySqlAdmin("GRANT SELECT ON mysql.db TO 'rnoacl'@'127.0.0.1'; "
             "GRANT SELECT ON mysql.tables_priv TO 'rnoacl'@'127.0.0.1';");
  CommandResult granted = RunMy2pg("plan --source " + source +
                                   " --database rtest_0001 --mapping samples/hotel_mapping.json --roles from-source");
  EXPECT_EQ(granted.exit_code, 0) << granted.output;
  EXPECT_NE(granted.output.find("GRANT SELECT, INSERT ON \"legacy\".\"client\" TO \"rtenant1\";\n"), std::string::npos);
}

TEST(RolesOptions, NeedALegacySchema) {
  CommandResult run = RunMy2pg("plan --catalog tests/golden/hotel.catalog.json --roles from-source");
  EXPECT_EQ(run.exit_code, 2);
  EXPECT_EQ(run.output,
            "my2pg: --roles from-source grants the accounts' privileges on the legacy views, and the mapping names "
            "no legacy schema (options.legacy_schema)\n");
  CommandResult passwords = RunMy2pg("plan --catalog tests/golden/hotel.catalog.json --role-passwords x");
  EXPECT_EQ(passwords.exit_code, 2);
}

TEST(RolesOptions, PasswordsFileOthersMayReadIsRefused) {
  const std::string path = "build/rtest-open-passwords";
  std::ofstream(path) << "rtenant1 secret\n";
  chmod(path.c_str(), 0604);
  CommandResult run = RunMy2pg("views --catalog tests/golden/hotel.catalog.json --mapping samples/hotel_mapping.json "
                               "--target '" + Env("MY2PG_TARGET") + "' --roles from-source --role-passwords " + path);
  EXPECT_EQ(run.exit_code, 2);
  EXPECT_EQ(run.output, "my2pg: --role-passwords: " + path +
                            " holds passwords and every user may access it (mode 0604): chmod o-rwx " + path + "\n");
}

}  // namespace
}  // namespace my2pg
