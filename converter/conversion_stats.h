// Counters of what the converter did: rows read, written and rejected, and
// per column how many values each kind of change touched. Nothing is changed
// silently: every change a policy makes has a counter here, and the run report
// prints them. Not thread-safe: one TableStats per table stream; Merge() them.
#ifndef MY2PG_CONVERTER_CONVERSION_STATS_H_
#define MY2PG_CONVERTER_CONVERSION_STATS_H_

#include <array>
#include <cstdint>
#include <string>
#include <vector>

namespace my2pg {

enum class ChangeKind : int {
  kZeroDateNulled,      // '0000-00-00' became NULL
  kZeroDateSentinel,    // '0000-00-00' became -infinity or a sentinel date
  kInvalidDateNulled,   // '1985-02-30' became NULL
  kInvalidDateSentinel,
  kInvalidTextReplaced, // bytes invalid in the column's charset became U+FFFD
  kInvalidTextEscaped,  // ... or \xNN text
  kNulStripped,         // 0x00 bytes removed from text
  kStrayBooleanTrue,    // 2 in a tinyint(1) flag became true
  kStrayBooleanNulled,
  kTimeNulled,          // TIME beyond 24:00:00 became NULL
  kZeroYearNulled,
  kOrphanNulled,        // a reference to a missing parent row became NULL
  kMojibakeRepaired,    // "CafÃ©" became "Café"
  kCleanedUp,           // a cleanup rule changed the value
  kCleanupNulled,       // a cleanup rule (null_if, empty_to_null) made it NULL
  kConvertedToUtc,      // a local DATETIME became UTC
  kDstGapShifted,       // a local time in a DST gap moved forward by the gap
  kDstGapNulled,
  kDstOverlapResolved,  // a local time that occurs twice took the earlier/later instant
  kDstOverlapNulled,
  kInvalidJsonNulled,
  kNumericRounded,      // more fraction digits than the target's scale: rounded half away from zero
  kFloatRounded,        // a number written as the nearest real/double precision value
  kFractionRounded,     // fractional seconds past the target's precision: PostgreSQL rounds them
  kTimeDropped,         // a date-time with a time of day written into a date column
  kCount,
};

const char* ToString(ChangeKind kind);

struct ColumnChanges {
  std::array<int64_t, static_cast<int>(ChangeKind::kCount)> counts{};
  int64_t& operator[](ChangeKind kind) { return counts[static_cast<int>(kind)]; }
  int64_t operator[](ChangeKind kind) const { return counts[static_cast<int>(kind)]; }
  int64_t total() const;
};

struct TableStats {
  int64_t rows_read = 0;
  int64_t rows_written = 0;
  int64_t rows_rejected = 0;
  int64_t bytes_written = 0;  // COPY text bytes
  std::vector<std::string> column_names;  // target names, parallel to columns
  std::vector<ColumnChanges> columns;

  void Merge(const TableStats& other);
  // Takes back the changes "other" counted (of rows removed after they were
  // counted), matching columns by name; the row counts are left alone.
  void TakeBackChanges(const TableStats& other);
  int64_t changed_values() const;
};

}  // namespace my2pg

#endif  // MY2PG_CONVERTER_CONVERSION_STATS_H_
