// Reads a loaded parent table's keys from PostgreSQL into ParentKeys, streamed
// with COPY ... TO STDOUT so that memory holds the key set only, never the
// result.
#ifndef MY2PG_ADAPTERS_PARENT_KEYS_READER_H_
#define MY2PG_ADAPTERS_PARENT_KEYS_READER_H_

#include <memory>
#include <string>

#include "adapters/copy_writer.h"
#include "converter/parent_keys.h"

namespace my2pg {

// The non-NULL values of "column" (quoted) in "qualified_table", read on
// "connection" outside any transaction of its own. "integers": the column is
// smallint, integer or bigint. Throws Error(kTarget).
std::shared_ptr<const ParentKeys> ReadParentKeys(CopyConnection& connection, const std::string& qualified_table,
                                                 const std::string& column, bool integers);

}  // namespace my2pg

#endif  // MY2PG_ADAPTERS_PARENT_KEYS_READER_H_
