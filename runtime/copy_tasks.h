// Copy tasks: how the rows of one database are split into units of work for
// the threads of a worker. A large table with a single-column integer primary
// key is cut into key ranges, so several threads share it; a table whose
// orphans are checked waits (by level) for the parent it is checked against.
#ifndef MY2PG_RUNTIME_COPY_TASKS_H_
#define MY2PG_RUNTIME_COPY_TASKS_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "mapper/schema_plan.h"

namespace my2pg {

struct CopyTask {
  size_t table = 0;   // index into SchemaPlan::tables
  int chunk = 0;      // 0 .. chunks-1
  int chunks = 1;
  std::string where;  // MySQL condition for this task's rows; "" for all
};

// The source column to split "table" on: its single-column integer primary
// key, or nothing.
std::optional<std::string> ChunkColumn(const SchemaPlan& plan, const TargetTable& table);

// "chunks" conditions covering [min, max] by equal key ranges; the first and
// last are open-ended so no row is missed. Exposed for tests.
std::vector<std::string> ChunkConditions(const std::string& column, int64_t min, int64_t max, int chunks);

// Level of each table (parallel to plan.tables): 0 for tables that wait for
// nothing, else 1 + the level of the parents their orphan checks read.
std::vector<int> CopyLevels(const SchemaPlan& plan);

}  // namespace my2pg

#endif  // MY2PG_RUNTIME_COPY_TASKS_H_
