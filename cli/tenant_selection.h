// Which source databases a run migrates: SQL LIKE patterns or /regex/ (RE2),
// exclusions, or a file that lists them one per line with per-tenant
// settings.
#ifndef MY2PG_CLI_TENANT_SELECTION_H_
#define MY2PG_CLI_TENANT_SELECTION_H_

#include <string>
#include <vector>

#include "runtime/fleet_runner.h"

namespace my2pg {

// True if "name" matches "pattern": "/regex/" (searched; anchor it), or SQL
// LIKE with % and _ (\ escapes them).
bool DatabaseNameMatches(const std::string& pattern, const std::string& name);

// The names of "available" matching one of "patterns" (all if none) and none
// of "excludes", in order. Throws Error(kUsage) for a bad regex.
std::vector<std::string> SelectDatabases(const std::vector<std::string>& available,
                                         const std::vector<std::string>& patterns,
                                         const std::vector<std::string>& excludes);

// Parses a --databases-file: one database per line, optionally followed by
// settings ("client_0042 timezone=America/Montreal"); '#' starts a comment.
// Throws Error(kUsage) naming file:line for anything else.
std::vector<TenantSpec> ParseDatabasesFile(const std::string& text, const std::string& origin);

// The command line's choice of databases: --databases-file (its text in
// "file_text", every name checked against "available"), else --databases
// and --exclude. Throws Error(kUsage) for a missing --databases, a name not
// in "available" (with did-you-mean) or a selection that matches nothing.
std::vector<TenantSpec> ChooseTenants(const std::vector<std::string>& available,
                                      const std::vector<std::string>& databases,
                                      const std::vector<std::string>& excludes, const std::string& databases_file,
                                      const std::string& file_text);

}  // namespace my2pg

#endif  // MY2PG_CLI_TENANT_SELECTION_H_
