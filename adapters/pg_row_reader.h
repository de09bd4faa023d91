// Reads rows from PostgreSQL as COPY text, streamed with COPY (SELECT ...) TO
// STDOUT (as parent_keys_reader.h does), so memory holds one row at a time.
// The connection's session is pinned (ConnectionUri::ToPinnedConninfo: UTC,
// ISO dates, extra_float_digits 3), so the text means one thing: what
// `verify` compares with the converter's COPY text. Not thread-safe: one
// reader per connection at a time.
#ifndef MY2PG_ADAPTERS_PG_ROW_READER_H_
#define MY2PG_ADAPTERS_PG_ROW_READER_H_

#include <functional>
#include <string>
#include <string_view>

#include "adapters/copy_writer.h"

namespace my2pg {

// Runs COPY ("select") TO STDOUT on "connection" (outside any transaction of
// its own) and calls "row" with each line, without its newline; the view is
// valid during the call only. Throws Error(kTarget).
void ReadCopyRows(CopyConnection& connection, const std::string& select,
                  const std::function<void(std::string_view line)>& row);

}  // namespace my2pg

#endif  // MY2PG_ADAPTERS_PG_ROW_READER_H_
