// Orphan checks PostgreSQL runs once a child table is loaded, for the
// foreign keys whose parent keys a bitmap cannot hold (several columns, text,
// decimals, uuid...: TargetForeignKey::orphans_after_load). One anti-join per
// key, all in one transaction, so memory holds one rejected row at a time,
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
#include "converter/reject_sink.h"
#include "mapper/schema_plan.h"

namespace my2pg {

struct OrphanCheckResult {
  int64_t rows_rejected = 0;
  std::map<std::string, int64_t> nulled;  // target column -> values set to NULL
};

// True if "table" has keys whose orphans are checked after the load.
bool HasOrphanChecksAfterLoad(const TargetTable& table);

// Runs the after-load checks of "table", loaded, in one transaction on
// "connection" (no transaction open): first the keys whose orphans are
// rejected (DELETE ... RETURNING, each row written to "rejects" with its
// loaded values and the reason), then those whose orphans become NULL
// (UPDATE of the key's nullable columns; a key none of whose columns is
// nullable rejects its orphans instead). A reject-file row names its values
// by "source_columns" (source names, RejectWriter's order); each value is
// that of the target column loaded from it, or NULL if none is; its row
// number is -1. "commit_sql" (given the rows rejected; "" for none) runs
// last, before COMMIT. Throws Error(kTarget) with the transaction rolled
// back; rows already written to "rejects" stay there.
OrphanCheckResult CheckOrphansAfterLoad(CopyConnection& connection, const SchemaPlan& plan, const TargetTable& table,
                                        const std::vector<std::string>& source_columns, RejectSink& rejects,
                                        const std::function<std::string(int64_t rows_rejected)>& commit_sql);

}  // namespace my2pg

#endif  // MY2PG_RUNTIME_ORPHAN_CHECK_H_
