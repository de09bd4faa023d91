// The options of `--roles` (migrate, plan, views): tenant accounts as
// PostgreSQL roles (compat_views/roles.h). Kept apart from main.cc, which
// only registers them.
#ifndef MY2PG_CLI_ROLE_OPTIONS_H_
#define MY2PG_CLI_ROLE_OPTIONS_H_

#include <CLI/CLI.hpp>

#include <string>

#include "adapters/mysql_session.h"
#include "compat_views/compat_views.h"

namespace my2pg {

struct RoleArgs {
  std::string roles = "none";  // "none" or "from-source"
  std::string passwords_file;  // --role-passwords; "" for none
  bool from_source() const { return roles == "from-source"; }
};

// Adds --roles, and --role-passwords when "with_passwords" (plan shows no
// password, so it has none). "args" must outlive the parse.
void AddRoleOptions(CLI::App* command, RoleArgs& args, bool with_passwords);

// Sets the roles part of "options" from "args" (reading the passwords file).
// "legacy_schema" is the mapping's; the roles are granted on its views, so
// --roles from-source without one is refused. Throws Error(kUsage).
void ApplyRoleArgs(const RoleArgs& args, const std::string& legacy_schema, CompatViewOptions& options);

// For migrate, before any database is touched: throws Error(kUsage) naming
// the missing grants if "session"'s account cannot read the privileges on
// "database" (a run would otherwise fail every database at its end).
void CheckGrantsReadable(MySqlSession& session, const std::string& database);

}  // namespace my2pg

#endif  // MY2PG_CLI_ROLE_OPTIONS_H_
