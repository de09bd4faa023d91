// Orphan checks run once a child table is loaded, for the foreign keys not
// checked while copying (TargetForeignKey::orphans_after_load: several
// columns, text, decimals, uuid..., a parent bigger than the child, a
// self-reference). All in one transaction. A key of one integer column to
// another table finds its orphans' values by two streams (the child's
// values into a compressed bitmap, the parent's removed from it) and
// changes only the rows holding them; any other key (and a bitmap past
// 64 MB, or a target before PostgreSQL 14) is one anti-join in PostgreSQL.
// Memory holds that bitmap and one batch of rejected rows (at most
// kRemovedRowsBatch rows, and about kRemovedRowsBatchBytes of them),
// whatever the parent's size. The runtime runs a table's checks once its
// parents are settled (their own orphans already removed), so a parent row
// rejected on the way makes its children orphans, as in the checks made
// while copying.
//
// Not thread-safe: one call per connection at a time.
#ifndef MY2PG_RUNTIME_ORPHAN_CHECK_H_
#define MY2PG_RUNTIME_ORPHAN_CHECK_H_

#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "adapters/copy_writer.h"
#include "mapper/schema_plan.h"

namespace my2pg {

// A row an after-load check removed, with its loaded values by source column
// (RejectWriter's order; NULL where no target column was loaded from it).
struct RemovedRow {
  std::vector<std::string> values;
  std::vector<bool> is_null;  // parallel
  int column = -1;            // the source column at fault, in that order; -1: none loaded
  std::string reason;
};

// Receives the removed rows, up to kRemovedRowsBatch at a time (fewer once
// their text reaches kRemovedRowsBatchBytes: rows of large BLOBs), before
// the check commits (runtime/removed_rows writes them to the reject file).
using RemovedRowsSink = std::function<void(const std::vector<RemovedRow>& rows)>;
constexpr size_t kRemovedRowsBatch = 1000;
constexpr size_t kRemovedRowsBatchBytes = 16 << 20;

struct OrphanCheckResult {
  int64_t rows_rejected = 0;
  std::map<std::string, int64_t> nulled;  // target column -> values set to NULL
};

// True if "table" has keys whose orphans are checked after the load.
bool HasOrphanChecksAfterLoad(const TargetTable& table);

// Runs the after-load checks of "table", loaded, in one transaction on
// "connection" (no transaction open): first the keys whose orphans are
// rejected (DELETE ... RETURNING, each row given to "removed" with its
// loaded values, named by "source_columns", and the reason), then those
// whose orphans become NULL (UPDATE of the key's nullable columns; a key
// none of whose columns is nullable rejects its orphans instead).
// "commit_sql" (given the rows rejected; "" for none) runs last, before
// COMMIT. Throws Error(kTarget) with the transaction rolled back, or what
// "removed" threw; rows already given to "removed" stay given.
OrphanCheckResult CheckOrphansAfterLoad(CopyConnection& connection, const SchemaPlan& plan, const TargetTable& table,
                                        const std::vector<std::string>& source_columns, const RemovedRowsSink& removed,
                                        const std::function<std::string(int64_t rows_rejected)>& commit_sql);

}  // namespace my2pg

#endif  // MY2PG_RUNTIME_ORPHAN_CHECK_H_
