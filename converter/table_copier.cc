#include "converter/table_copier.h"

namespace my2pg {

TableStats CopyTableRows(RowSource& source, RowConverter& converter, RowSink& sink, RejectSink& rejects,
                         const CopyProgress& progress) {
  TableStats stats;
  int64_t rows_reported = 0;
  std::string batch;
  batch.reserve(kCopyBatchBytes + (64 << 10));
  RowRejection rejection;
  while (source.Next()) {
    ++stats.rows_read;
    if (converter.Convert(source.values(), batch, stats, &rejection)) {
      ++stats.rows_written;
    } else {
      ++stats.rows_rejected;
      rejects.Write(stats.rows_read, source.values(), rejection.column, rejection.reason);
    }
    if (batch.size() >= kCopyBatchBytes) {
      stats.bytes_written += batch.size();
      sink.Write(batch);
      if (progress) {
        progress(stats.rows_read - rows_reported, static_cast<int64_t>(batch.size()));
        rows_reported = stats.rows_read;
      }
      batch.clear();
    }
  }
  stats.bytes_written += batch.size();
  sink.Write(batch);
  sink.Complete();
  if (progress) progress(stats.rows_read - rows_reported, static_cast<int64_t>(batch.size()));
  return stats;
}

}  // namespace my2pg
