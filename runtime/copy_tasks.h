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

// One key range of a table: lower <= key < upper, either end open when
// absent. Stored with the table's state in the target (target_state.h), so a
// resumed run, and verify, use the very ranges the first run copied.
struct ChunkBounds {
  size_t table = 0;  // index into SchemaPlan::tables
  int chunk = 0;     // 0 .. chunks-1
  int chunks = 1;    // 1: the whole table, no bound
  std::optional<int64_t> lower;  // inclusive
  std::optional<int64_t> upper;  // exclusive

  bool operator==(const ChunkBounds& other) const {
    return table == other.table && chunk == other.chunk && chunks == other.chunks && lower == other.lower &&
           upper == other.upper;
  }
};

struct CopyTask {
  ChunkBounds bounds;
  std::string where;  // MySQL condition for this task's rows; "" for all
};

// "chunks" ranges covering [min, max] by equal key ranges; the first and last
// are open-ended so no row is missed. One unbounded range when chunks <= 1 or
// max <= min.
std::vector<ChunkBounds> SplitKeyRange(size_t table, int64_t min, int64_t max, int chunks);

// The condition selecting "bounds" on "quoted_column" (quoted for its
// server): "" when unbounded.
std::string BoundsCondition(const std::string& quoted_column, const ChunkBounds& bounds);

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
