#include "cli/connection_limits.h"

#include <cppconn/resultset.h>

#include <algorithm>
#include <iostream>

#include "common/error.h"

namespace my2pg {

ConnectionCapacity ReadTargetCapacity(PgSession& session) {
  auto rows = session.Query(
      "SELECT current_setting('max_connections'), "
      "current_setting('superuser_reserved_connections')::int + "
      "COALESCE(current_setting('reserved_connections', true)::int, 0), r.rolsuper, "
      "r.rolconnlimit, r.rolname "
      "FROM pg_roles r WHERE r.rolname = current_user");
  ConnectionCapacity capacity;
  capacity.server = "target";
  const std::vector<std::string>& row = rows.at(0);
  capacity.connections = std::stoi(row[0]);
  capacity.why = "max_connections " + row[0];
  if (row[2] != "t") {
    capacity.connections -= std::stoi(row[1]);
    capacity.why += " - " + row[1] + " reserved for superusers";
  }
  int role_limit = std::stoi(row[3]);  // -1: none
  if (role_limit >= 0 && role_limit < capacity.connections) {
    capacity.connections = role_limit;
    capacity.why = "the connection limit of role " + row[4];
  }
  return capacity;
}

ConnectionCapacity ReadSourceCapacity(MySqlSession& session) {
  // The session's max_user_connections is the account's own limit when it
  // has one, else the server's (0: none).
  auto rows = session.Query("SELECT @@max_connections, @@session.max_user_connections");
  ConnectionCapacity capacity;
  capacity.server = "source";
  if (!rows->next()) throw Error(ErrorCategory::kSource, "could not read max_connections");
  capacity.connections = rows->getInt(1);
  capacity.why = "max_connections " + std::to_string(capacity.connections);
  int user_limit = rows->getInt(2);
  if (user_limit > 0 && user_limit < capacity.connections) {
    capacity.connections = user_limit;
    capacity.why = "max_user_connections " + std::to_string(user_limit);
  }
  return capacity;
}

int FitJobs(int jobs, bool jobs_given, int threads, size_t databases, const ConnectionNeed& need,
            const ConnectionCapacity& capacity) {
  int running = static_cast<int>(std::min<size_t>(jobs, databases));
  if (running * need.per_database <= capacity.connections) return jobs;
  int fitting = capacity.connections / need.per_database;
  std::string allows = "the " + capacity.server + " allows my2pg " +
                       std::to_string(capacity.connections) + " (" + capacity.why + ")";
  if (jobs_given || fitting == 0) {
    std::string lower =
        fitting > 0 ? "lower --jobs to " + std::to_string(fitting) + " or --threads"
                    : "lower --threads to " + std::to_string(std::max(1, need.threads_fitting));
    throw Error(ErrorCategory::kUsage,
                "--jobs " + std::to_string(running) + " with --threads " + std::to_string(threads) +
                    " may open " + std::to_string(running * need.per_database) + " " +
                    need.server_name + " connections (" + std::to_string(running) + " x (" +
                    need.formula + ")), and " + allows + ": " + lower);
  }
  std::cerr << "my2pg: note: running " << fitting << " database" << (fitting > 1 ? "s" : "")
            << " at a time, not " << running << ": with --threads " << threads << " each may open "
            << need.per_database << " " << need.server_name << " connections, and " << allows
            << "\n";
  return fitting;
}

}  // namespace my2pg
