// Tenant accounts as PostgreSQL roles (`--roles from-source`): each MySQL
// account holding privileges on the source database becomes a role with the
// equivalent privileges on that database's legacy views, so that the legacy
// application can keep connecting as its tenant's user.
//
// Names: a MySQL account is 'user'@'host'; its role is the user part, cut to
// 63 bytes like every identifier and always quoted. The hosts of one user
// merge: 'app'@'%' and 'app'@'10.%' become one role "app" holding the
// privileges of both (PostgreSQL authenticates by pg_hba.conf, not by the
// client's host). Users that would share a name only once cut, the anonymous
// user and names PostgreSQL reserves ("public", "none", pg_...) get no role,
// with a note.
//
// Privileges: SELECT, INSERT, UPDATE and DELETE only; a grant on the database
// (or on a pattern matching it) applies to every view, a grant on a table to
// that table's view. Everything else is listed in the notes as not migrated.
// Roles get USAGE on the legacy schema, SELECT on the sequences of the views
// they may INSERT into (for lastval(), as LAST_INSERT_ID() worked), and
// nothing more.
//
// Pure functions, except LoadRolePasswords, which reads a file.
#ifndef MY2PG_COMPAT_VIEWS_ROLES_H_
#define MY2PG_COMPAT_VIEWS_ROLES_H_

#include <map>
#include <string>
#include <vector>

#include "mapper/ddl.h"
#include "mapper/schema_plan.h"

namespace my2pg {

struct LegacyRole {
  std::string name;                   // the PostgreSQL role, unquoted, at most 63 bytes
  std::vector<std::string> accounts;  // "'user'@'host'" it comes from
  // Source table -> privileges on its view ("SELECT", ... in that order).
  std::map<std::string, std::vector<std::string>> privileges;
};

struct RolePlan {
  std::vector<LegacyRole> roles;   // by name; only roles with something to grant
  std::vector<std::string> notes;  // where each role comes from, what is not migrated and why
};

// The roles of "plan"'s source database. Throws Error(kUsage) when its
// catalog holds no grants (they could not be read: grants_problem says why).
RolePlan PlanRoles(const SchemaPlan& plan);

// Role name -> SCRAM-SHA-256 secret of its password. my2pg hashes the
// passwords itself, so that no statement it sends or a server logs holds one.
using RolePasswords = std::map<std::string, std::string>;

// Reads "path": one "ROLE PASSWORD" a line (the password is the rest of the
// line after the blanks that follow the role; blank lines and lines starting
// with # are skipped). ROLE is the role name (or the MySQL user, cut to 63
// bytes like the role). Throws Error(kUsage) if the file cannot be read, if
// others than its owner and group may access it, or if a line is invalid; the
// message names the file and line, never a password.
RolePasswords LoadRolePasswords(const std::string& path);

// The secret PostgreSQL stores for "password" ("SCRAM-SHA-256$4096:salt$
// StoredKey:ServerKey", RFC 5802/7677), for ASCII passwords (PostgreSQL's
// SASLprep leaves them unchanged). Exposed for tests.
std::string ScramSha256Secret(const std::string& password, const std::string& salt, int iterations = 4096);

// One view of the legacy schema, as compat_views made it.
struct LegacyView {
  std::string source_table;  // the MySQL table it stands for
  std::string qualified;     // "legacy"."name", quoted
  std::vector<std::string> sequences;  // SQL expressions giving its identities' sequences (regclass text)
};

// Statements granting "privileges" on "views" to "role" (unquoted): USAGE on
// the schema, then one GRANT a view, then SELECT on the sequences of the
// views it may INSERT into. "privileges" in canonical order.
void AppendViewGrants(const std::string& role, const std::string& legacy_schema,
                      const std::vector<std::pair<const LegacyView*, std::vector<std::string>>>& privileges,
                      std::vector<DdlStatement>& out);

// The statements that create the roles that are missing (NOLOGIN, or LOGIN
// with the password "passwords" holds for them; a role that exists is left
// as it is, except that a password given is set with LOGIN) and grant them
// their privileges on "views". Roles are never dropped.
std::vector<DdlStatement> BuildRoleStatements(const RolePlan& roles, const std::string& legacy_schema,
                                              const std::vector<LegacyView>& views, const RolePasswords& passwords);

}  // namespace my2pg

#endif  // MY2PG_COMPAT_VIEWS_ROLES_H_
