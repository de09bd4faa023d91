// CopyTableRows: the per-table loop: read a row, convert it, batch the COPY
// text, hand full batches to the sink; rejected rows go to the reject writer.
// The sink is completed only when every row was read, so a table that fails
// midway is never reported done.
#ifndef MY2PG_CONVERTER_TABLE_COPIER_H_
#define MY2PG_CONVERTER_TABLE_COPIER_H_

#include "converter/conversion_stats.h"
#include "converter/progress.h"
#include "converter/reject_writer.h"
#include "converter/row_converter.h"
#include "converter/row_sink.h"
#include "converter/row_source.h"

namespace my2pg {

// Bytes of COPY text gathered before a write to the sink.
constexpr size_t kCopyBatchBytes = 1 << 20;

// Throws Error when the source, the sink or the reject file fails.
// "progress", if not null, is advanced after every batch.
TableStats CopyTableRows(RowSource& source, RowConverter& converter, RowSink& sink, RejectWriter& rejects,
                         ProgressSlot* progress = nullptr);

}  // namespace my2pg

#endif  // MY2PG_CONVERTER_TABLE_COPIER_H_
