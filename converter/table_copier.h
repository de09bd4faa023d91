// CopyTableRows: the per-table loop: read a row, convert it, batch the COPY
// text, hand full batches to the sink; rejected rows go to the reject sink.
// The sink is completed only when every row was read, so a table that fails
// midway is never reported done.
#ifndef MY2PG_CONVERTER_TABLE_COPIER_H_
#define MY2PG_CONVERTER_TABLE_COPIER_H_

#include <cstdint>
#include <functional>

#include "converter/conversion_stats.h"
#include "converter/reject_sink.h"
#include "converter/row_converter.h"
#include "converter/row_sink.h"
#include "converter/row_source.h"

namespace my2pg {

// Bytes of COPY text gathered before a write to the sink.
constexpr size_t kCopyBatchBytes = 1 << 20;

// Told the rows read and the bytes written since its last call, after every
// batch.
using CopyProgress = std::function<void(int64_t rows_read, int64_t bytes_written)>;

// Throws Error when the source, the sink or the reject sink fails.
TableStats CopyTableRows(RowSource& source, RowConverter& converter, RowSink& sink, RejectSink& rejects,
                         const CopyProgress& progress = nullptr);

}  // namespace my2pg

#endif  // MY2PG_CONVERTER_TABLE_COPIER_H_
