// The run report: per database and table, what was read, written, rejected
// and changed, with phase timings. As JSON (--report) and as a human summary.
#ifndef MY2PG_RUNTIME_RUN_REPORT_H_
#define MY2PG_RUNTIME_RUN_REPORT_H_

#include <string>
#include <vector>

#include "runtime/database_migration.h"

namespace my2pg {

std::string RunReportJson(const std::vector<DatabaseReport>& databases, double wall_seconds);

// A table per database, then totals; changed values by kind and column.
std::string RunSummary(const std::vector<DatabaseReport>& databases, double wall_seconds);

}  // namespace my2pg

#endif  // MY2PG_RUNTIME_RUN_REPORT_H_
