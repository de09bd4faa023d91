#include "converter/conversion_stats.h"

#include <algorithm>

namespace my2pg {

const char* ToString(ChangeKind kind) {
  switch (kind) {
    case ChangeKind::kZeroDateNulled: return "zero_date_nulled";
    case ChangeKind::kZeroDateSentinel: return "zero_date_sentinel";
    case ChangeKind::kInvalidDateNulled: return "invalid_date_nulled";
    case ChangeKind::kInvalidDateSentinel: return "invalid_date_sentinel";
    case ChangeKind::kInvalidTextReplaced: return "invalid_text_replaced";
    case ChangeKind::kInvalidTextEscaped: return "invalid_text_escaped";
    case ChangeKind::kNulStripped: return "nul_stripped";
    case ChangeKind::kStrayBooleanTrue: return "stray_boolean_true";
    case ChangeKind::kStrayBooleanNulled: return "stray_boolean_nulled";
    case ChangeKind::kTimeNulled: return "time_nulled";
    case ChangeKind::kZeroYearNulled: return "zero_year_nulled";
    case ChangeKind::kOrphanNulled: return "orphan_nulled";
    case ChangeKind::kMojibakeRepaired: return "mojibake_repaired";
    case ChangeKind::kCleanedUp: return "cleaned_up";
    case ChangeKind::kCleanupNulled: return "cleanup_nulled";
    case ChangeKind::kConvertedToUtc: return "converted_to_utc";
    case ChangeKind::kDstGapShifted: return "dst_gap_shifted";
    case ChangeKind::kDstGapNulled: return "dst_gap_nulled";
    case ChangeKind::kDstOverlapResolved: return "dst_overlap_resolved";
    case ChangeKind::kDstOverlapNulled: return "dst_overlap_nulled";
    case ChangeKind::kInvalidJsonNulled: return "invalid_json_nulled";
    case ChangeKind::kNumericRounded: return "numeric_rounded";
    case ChangeKind::kFloatRounded: return "float_rounded";
    case ChangeKind::kFractionRounded: return "fraction_rounded";
    case ChangeKind::kTimeDropped: return "time_dropped";
    case ChangeKind::kCount: break;
  }
  return "unknown";
}


int64_t ColumnChanges::total() const {
  int64_t sum = 0;
  for (int64_t count : counts) sum += count;
  return sum;
}

void TableStats::Merge(const TableStats& other) {
  rows_read += other.rows_read;
  rows_written += other.rows_written;
  rows_rejected += other.rows_rejected;
  bytes_written += other.bytes_written;
  if (columns.size() < other.columns.size()) {
    columns.resize(other.columns.size());
    column_names = other.column_names;
  }
  for (size_t c = 0; c < other.columns.size(); ++c) {
    for (size_t k = 0; k < other.columns[c].counts.size(); ++k) {
      columns[c].counts[k] += other.columns[c].counts[k];
    }
  }
}

void TableStats::TakeBackChanges(const TableStats& other) {
  for (size_t c = 0; c < other.columns.size(); ++c) {
    if (other.columns[c].total() == 0) continue;  // nothing to take back
    auto named = std::find(column_names.begin(), column_names.end(), other.column_names[c]);
    if (named == column_names.end()) {
      column_names.push_back(other.column_names[c]);
      columns.resize(column_names.size());
      named = column_names.end() - 1;
    }
    ColumnChanges& changes = columns[named - column_names.begin()];
    for (size_t k = 0; k < changes.counts.size(); ++k) changes.counts[k] -= other.columns[c].counts[k];
  }
}

int64_t TableStats::changed_values() const {
  int64_t sum = 0;
  for (const auto& column : columns) sum += column.total();
  return sum;
}

}  // namespace my2pg
