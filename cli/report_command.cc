#include "cli/report_command.h"

#include "cli/command_util.h"

#include <fstream>
#include <iostream>
#include <iterator>

#include "common/error.h"
#include "report/html_report.h"
#include "report/report_data.h"

namespace my2pg {
namespace {

std::string ReadReportFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw Error(ErrorCategory::kUsage, "cannot read " + path);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

}  // namespace

CLI::App* AddReportCommand(CLI::App& app, ReportArgs& args) {
  CLI::App* command = app.add_subcommand(
      "report", "Render a run report (and a verify report) as one self-contained HTML page.");
  command->add_option("run", args.run_file, "the JSON run report of `migrate --report`")->required();
  command->add_option("verify", args.verify_file, "a JSON verify report (format my2pg-verify/1, docs/report.md)");
  command->add_option("-o,--output", args.output, "write the page here instead of stdout");
  command->add_option("--reject-dir", args.reject_dir,
                      "read reject files from DIR/<database>/ (default: where the run report says they are)");
  command->add_flag("--no-rejects", args.no_rejects, "do not read the reject files (no samples, no reasons)");
  return command;
}

int RunReportCommand(const ReportArgs& args) {
  RunData run = ParseRunReport(ReadReportFile(args.run_file), args.run_file);
  VerifyData verify;
  if (!args.verify_file.empty()) verify = ParseVerifyReport(ReadReportFile(args.verify_file), args.verify_file);
  RejectSummary rejects;
  if (!args.no_rejects) rejects = ReadRejects(run, args.reject_dir);
  HtmlReportInput input;
  input.run = &run;
  input.verify = args.verify_file.empty() ? nullptr : &verify;
  input.rejects = args.no_rejects ? nullptr : &rejects;
  input.run_file = args.run_file;
  input.verify_file = args.verify_file;
  input.generator = "my2pg " MY2PG_VERSION;
  std::string page = RenderHtmlReport(input);
  WriteOutput(args.output, page, Visibility::kOwnerOnly);  // rejected rows' values are in it
  int failed = 0;
  for (const ReportDatabase& db : run.databases) failed += db.status != "done";
  for (const std::string& problem : rejects.problems) std::cerr << "my2pg: warning: " << problem << "\n";
  std::cerr << "my2pg: report of " << run.databases.size() << " databases (" << failed << " failed)"
            << (args.output.empty() || args.output == "-" ? std::string() : " written to " + args.output) << "\n";
  return kExitOk;
}

}  // namespace my2pg
