// `my2pg verify`: proves that target databases hold what their sources hold,
// through the mapping (runtime/database_verification.h), a worker process
// per database as migrate runs them. Exit 0: identical; 1: differences;
// 2: could not run or check (bad options, a database or table that could
// not be read). Kept apart from main.cc, which only registers it.
#ifndef MY2PG_CLI_VERIFY_COMMAND_H_
#define MY2PG_CLI_VERIFY_COMMAND_H_

#include <CLI/CLI.hpp>

#include <cstdint>
#include <string>
#include <vector>

#include "cli/command_util.h"

namespace my2pg {

struct VerifyArgs {
  std::string source = FromEnv("MY2PG_SOURCE");
  std::string target = FromEnv("MY2PG_TARGET");
  std::vector<std::string> databases;
  std::vector<std::string> excludes;
  std::string databases_file;
  std::string mapping;
  bool full = false;
  int sample = 0;         // chunks per table; 0: not sampling
  std::string seed;       // "": drawn, then printed
  std::string report;
  int jobs = 1;
  int threads = 2;
  int64_t chunk_rows = 100000;
  int show = 10;          // differing rows shown per table
  bool quiet = false;
};

// Adds the subcommand to "app"; "args" must outlive the parse.
CLI::App* AddVerifyCommand(CLI::App& app, VerifyArgs& args);

// Returns the exit code (0, 1 or 2); every error is printed and exits 2.
int RunVerifyCommand(const VerifyArgs& args);

}  // namespace my2pg

#endif  // MY2PG_CLI_VERIFY_COMMAND_H_
