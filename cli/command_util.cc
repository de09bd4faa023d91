#include "cli/command_util.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>

#include "adapters/catalog_reader.h"
#include "adapters/mysql_session.h"
#include "common/error.h"
#include "mapper/catalog_json.h"

namespace my2pg {
namespace {

[[noreturn]] void CannotWrite(const std::string& path, int error) {
  throw Error(ErrorCategory::kUsage, "cannot write " + path + ": " + std::strerror(error));
}

}  // namespace

std::string FromEnv(const char* name) {
  const char* value = std::getenv(name);
  return value ? value : "";
}

Rules LoadRules(const std::string& mapping) {
  return mapping.empty() ? DefaultRules() : LoadRulesFile(mapping);
}

void WriteOutput(const std::string& path, const std::string& text, Visibility visibility) {
  if (path.empty() || path == "-") {
    std::cout << text;
    return;
  }
  // A new private file is created 0600; an existing one keeps its mode.
  int fd = open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC,
                visibility == Visibility::kOwnerOnly ? 0600 : 0666);
  if (fd < 0) CannotWrite(path, errno);
  size_t written = 0;
  while (written < text.size()) {
    ssize_t n = write(fd, text.data() + written, text.size() - written);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      int error = n < 0 ? errno : EIO;
      close(fd);
      CannotWrite(path, error);
    }
    written += static_cast<size_t>(n);
  }
  if (close(fd) != 0) CannotWrite(path, errno);
}

void CheckWritable(const std::string& path) {
  if (path.empty() || path == "-") return;
  std::error_code ignored;
  if (std::filesystem::is_directory(path, ignored)) CannotWrite(path, EISDIR);
  if (access(path.c_str(), F_OK) == 0) {
    if (access(path.c_str(), W_OK) != 0) CannotWrite(path, errno);
    return;
  }
  if (errno != ENOENT) CannotWrite(path, errno);
  std::string directory = std::filesystem::path(path).parent_path().string();
  if (access(directory.empty() ? "." : directory.c_str(), W_OK | X_OK) != 0) CannotWrite(path, errno);
}

std::string ReadInput(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw Error(ErrorCategory::kUsage, "cannot read " + path);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

ConnectionUri RequireUri(const std::string& text, const char* option, const char* env, const char* scheme) {
  if (text.empty()) {
    throw Error(ErrorCategory::kUsage, std::string(option) + " is required (or set " + env + ")");
  }
  ConnectionUri uri = ConnectionUri::Parse(text);
  if (uri.scheme != scheme) {
    throw Error(ErrorCategory::kUsage, std::string(option) + " must be a " + scheme + ":// URI");
  }
  return uri;
}

ConnectionUri RequireTargetUri(const std::string& text) {
  ConnectionUri uri = RequireUri(text, "--target", "MY2PG_TARGET", "postgresql");
  if (uri.database.empty()) {
    throw Error(ErrorCategory::kUsage,
                "--target must name the target database: postgresql://USER@HOST[:PORT]/NAME, or /{db} for the "
                "source database's name");
  }
  return uri;
}

void AddTenantOptions(CLI::App* command, const std::string& verb, std::vector<std::string>& databases,
                      std::vector<std::string>& excludes, std::string& databases_file) {
  CLI::Option* databases_option = command->add_option(
      "--databases", databases, "source databases to " + verb + ": SQL LIKE patterns or /regex/ (repeatable)");
  command->add_option("--exclude", excludes, "databases to leave out: LIKE patterns or /regex/ (repeatable)");
  command
      ->add_option("--databases-file", databases_file,
                   "file listing the databases, one per line, optionally with timezone=ZONE")
      ->excludes(databases_option);
}

void AddSourceOptions(CLI::App* command, SourceArgs& args) {
  command->add_option("--source", args.source, "mysql://... to read the catalog from (default: $MY2PG_SOURCE)");
  command->add_option("--database", args.database, "the source database (with --source)");
  command->add_option("--catalog", args.catalog, "a catalog snapshot from `my2pg catalog` (no server needed)");
}

SourceCatalog LoadCatalog(const SourceArgs& args) {
  if (!args.catalog.empty()) return ReadCatalogJson(ReadInput(args.catalog), args.catalog);
  if (args.database.empty()) throw Error(ErrorCategory::kUsage, "give --catalog FILE, or --source and --database");
  MySqlSession session(RequireUri(args.source, "--source", "MY2PG_SOURCE", "mysql"));
  return ReadCatalog(session, args.database);
}

}  // namespace my2pg
