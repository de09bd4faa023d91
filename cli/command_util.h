// What the subcommands share: options read from the environment, files read
// and written, URIs required and checked, the rules and the catalog loaded.
#ifndef MY2PG_CLI_COMMAND_UTIL_H_
#define MY2PG_CLI_COMMAND_UTIL_H_

#include <CLI/CLI.hpp>

#include <string>
#include <vector>

#include "common/uri.h"
#include "mapper/catalog.h"
#include "rules/rules.h"

namespace my2pg {

// The value of environment variable "name", or "".
std::string FromEnv(const char* name);

// The rules file "mapping", or the built-in defaults if it is "".
Rules LoadRules(const std::string& mapping);

// Who may read a file my2pg writes: reports hold row data and names from
// the source, so they are the owner's only (0600, when the file is new).
enum class Visibility { kUmask, kOwnerOnly };

// Writes "text" to "path" ("" or "-": stdout). Throws Error(kUsage).
void WriteOutput(const std::string& path, const std::string& text, Visibility visibility = Visibility::kUmask);
// Throws the error WriteOutput would, before a long run rather than after:
// an existing "path" must be a writable file, a new one needs a writable
// directory. Creates nothing.
void CheckWritable(const std::string& path);
// The whole file. Throws Error(kUsage).
std::string ReadInput(const std::string& path);

// Parses "text" as a URI of "scheme"; "option" and "env" name where it came
// from in the errors. Throws Error(kUsage).
ConnectionUri RequireUri(const std::string& text, const char* option, const char* env, const char* scheme);
// The --target of migrate and views: a PostgreSQL URI that names the target
// database, or a pattern of names with {db}.
ConnectionUri RequireTargetUri(const std::string& text);

// --databases, --exclude and --databases-file (which excludes --databases),
// for the commands that run over a fleet; "verb" says what they do to them.
void AddTenantOptions(CLI::App* command, const std::string& verb, std::vector<std::string>& databases,
                      std::vector<std::string>& excludes, std::string& databases_file);

// Where a command reads one database's catalog: a server or a snapshot.
struct SourceArgs {
  std::string source = FromEnv("MY2PG_SOURCE");
  std::string database;
  std::string catalog;
  std::string mapping;
};

// --source, --database, --catalog.
void AddSourceOptions(CLI::App* command, SourceArgs& args);
SourceCatalog LoadCatalog(const SourceArgs& args);

}  // namespace my2pg

#endif  // MY2PG_CLI_COMMAND_UTIL_H_
