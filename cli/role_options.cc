#include "cli/role_options.h"

#include "common/error.h"
#include "adapters/catalog_reader.h"

namespace my2pg {

void AddRoleOptions(CLI::App* command, RoleArgs& args, bool with_passwords) {
  command
      ->add_option("--roles", args.roles,
                   "none, or from-source: each MySQL account with privileges on the database becomes a PostgreSQL "
                   "role (its user name) with SELECT/INSERT/UPDATE/DELETE as it had, on the legacy views")
      ->capture_default_str()
      ->check(CLI::IsMember({"none", "from-source"}));
  if (!with_passwords) return;
  command->add_option("--role-passwords", args.passwords_file,
                      "file of 'ROLE PASSWORD' lines (not readable by others): these roles get LOGIN and the "
                      "password; the others are NOLOGIN (MySQL's password hashes cannot be converted)");
}

void ApplyRoleArgs(const RoleArgs& args, const std::string& legacy_schema, CompatViewOptions& options) {
  if (!args.from_source()) {
    if (!args.passwords_file.empty()) throw Error(ErrorCategory::kUsage, "--role-passwords needs --roles from-source");
    return;
  }
  if (legacy_schema.empty()) {
    throw Error(ErrorCategory::kUsage,
                "--roles from-source grants the accounts' privileges on the legacy views, and the mapping names no "
                "legacy schema (options.legacy_schema)");
  }
  options.roles_from_source = true;
  if (!args.passwords_file.empty()) options.role_passwords = LoadRolePasswords(args.passwords_file);
}

void CheckGrantsReadable(MySqlSession& session, const std::string& database) {
  try {
    ReadGrants(session, database);
  } catch (const Error& e) {
    if (e.retryable()) throw;
    throw Error(ErrorCategory::kUsage, "--roles from-source: " + e.Describe());
  }
}

}  // namespace my2pg
