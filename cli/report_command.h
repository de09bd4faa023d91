// `my2pg report RUN.json [VERIFY.json] -o report.html`: the run report (and
// the verify report) as one self-contained HTML page (report/html_report.h).
// Kept apart from main.cc, which only registers it.
#ifndef MY2PG_CLI_REPORT_COMMAND_H_
#define MY2PG_CLI_REPORT_COMMAND_H_

#include <CLI/CLI.hpp>

#include <string>

namespace my2pg {

struct ReportArgs {
  std::string run_file;
  std::string verify_file;  // optional
  std::string output;       // "" or "-": stdout
  std::string reject_dir;   // "": the reject files where the run report says
  bool no_rejects = false;  // do not read reject files
};

// Adds the subcommand to "app"; "args" must outlive the parse.
CLI::App* AddReportCommand(CLI::App& app, ReportArgs& args);

// Writes the page; returns the exit code. Throws Error(kUsage) for a file
// that cannot be read or is not the report it should be.
int RunReportCommand(const ReportArgs& args);

}  // namespace my2pg

#endif  // MY2PG_CLI_REPORT_COMMAND_H_
