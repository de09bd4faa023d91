// How many connections a server lets my2pg's account open, and --jobs
// fitted to it: every worker process (one database) may open a fixed number
// of connections at once, so --jobs x that must fit before the run starts,
// not fail halfway with "too many clients". Used by migrate and verify.
#ifndef MY2PG_CLI_CONNECTION_LIMITS_H_
#define MY2PG_CLI_CONNECTION_LIMITS_H_

#include <cstddef>
#include <string>

#include "adapters/mysql_session.h"
#include "adapters/pg_session.h"

namespace my2pg {

// What a server allows my2pg's account, and why.
struct ConnectionCapacity {
  std::string server;  // "target" | "source"
  int connections = 0;
  std::string why;  // "max_connections 200 - 3 reserved for superusers"
};

// PostgreSQL: max_connections, less the reserved slots for a non-superuser,
// or the role's connection limit if lower. Throws Error(kTarget).
ConnectionCapacity ReadTargetCapacity(PgSession& session);
// MySQL: max_connections, or max_user_connections (the account's limit, or
// the server's) if lower. Throws Error(kSource).
ConnectionCapacity ReadSourceCapacity(MySqlSession& session);

// What one database's worker opens on a server at once.
struct ConnectionNeed {
  const char* server_name;  // "PostgreSQL" | "MySQL"
  int per_database = 0;
  std::string formula;      // how per_database is counted, for the message: "2 x 4 + 2"
  int threads_fitting = 1;  // the most --threads one database may use within the capacity
};

// Fits --jobs to "capacity": a --jobs the user gave that cannot fit, or a
// single database that cannot, is a usage error (Error(kUsage) saying what to
// lower); a default --jobs is lowered, with a note on stderr. Returns the
// jobs to run.
int FitJobs(int jobs, bool jobs_given, int threads, size_t databases, const ConnectionNeed& need,
            const ConnectionCapacity& capacity);

}  // namespace my2pg

#endif  // MY2PG_CLI_CONNECTION_LIMITS_H_
