#include "cli/status_command.h"

#include <iostream>

#include "common/error.h"
#include "runtime/ledger.h"

namespace my2pg {

CLI::App* AddStatusCommand(CLI::App& app, StatusArgs& args) {
  CLI::App* command = app.add_subcommand(
      "status", "Where a run shared through a ledger stands: databases done, running, failed and pending, rows per "
                "second, ETA, each failure with its error.");
  command->add_option("--ledger", args.ledger,
                      "the ledger migrate --ledger wrote (default: the database my2pg on the --target server)");
  command->add_option("--target", args.target,
                      "the migration's target, whose server holds the default ledger (default: $MY2PG_TARGET)");
  command->add_option("--run", args.run, "the run to show (default: the run created last)");
  command->add_flag("--json", args.json, "print the status as JSON (format my2pg-status/1), for tools");
  return command;
}

int RunStatusCommand(const StatusArgs& args) {
  ConnectionUri uri = !args.ledger.empty()
                          ? RequireUri(args.ledger, "--ledger", "", "postgresql")
                          : DefaultLedgerUri(RequireUri(args.target, "--ledger or --target", "MY2PG_TARGET",
                                                        "postgresql"));
  RunStatus status = Ledger::OpenExisting(uri)->Status(args.run);
  std::cout << (args.json ? StatusJson(status) : StatusText(status));
  return kExitOk;
}

}  // namespace my2pg
