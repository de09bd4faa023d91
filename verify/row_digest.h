// Row digests for `my2pg verify`: the canonical typed encoding of a COPY text
// row, its 64-bit hash (xxHash XXH3), a chunk's digest (row count plus the sum
// of its row hashes, so row order does not matter), and the comparison that
// narrows a differing chunk down to the differing keys.
//
// Both sides are COPY text: the source row as RowConverter writes it (COPY
// text mode), the target row as PostgreSQL's COPY ... TO STDOUT prints it in
// a pinned session (UTC, ISO dates, extra_float_digits 3). The two agree for
// most types byte for byte; where PostgreSQL normalizes on output the
// canonical form parses both sides the same way (ColumnCanon below).
//
// Pure: no server, no allocation per value beyond the caller's buffers.
// RowHasher is not thread-safe (one per thread); the functions are.
#ifndef MY2PG_VERIFY_ROW_DIGEST_H_
#define MY2PG_VERIFY_ROW_DIGEST_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "mapper/schema_plan.h"

#include "common/strings.h"  // SplitCopyLine

namespace my2pg {

// How a column's values are made canonical.
enum class ColumnCanon {
  kText,       // the unescaped bytes (text, varchar, enum, date, bit strings, json, ...)
  kBoolean,    // t/f, true/false, 1/0
  kInteger,    // decimal digits, no sign for zero, no leading zeros
  kNumeric,    // exact decimal: trailing fraction zeros and exponents removed
  kReal,       // the float's bits (float4)
  kDouble,     // the double's bits
  kTimestamp,  // microseconds (timestamptz: UTC, any offset applied), BC allowed
  kTime,       // trailing fraction zeros removed
  kJsonb,      // parsed; keys sorted, duplicates last-wins, numbers exact decimals
  kHex,        // bytea and geometry: hex digits, case folded
  kTextArray,  // the elements, PostgreSQL's array quoting undone
  kBpchar,     // char(n): trailing spaces removed (PostgreSQL pads on output and ignores them)
};

// The canonical form for a target column (json stays text: PostgreSQL keeps
// json as written; jsonb is normalized).
ColumnCanon CanonFor(const TargetColumn& column);

// Appends the canonical encoding of one COPY text field ("\\N" is NULL) to
// "out": a tag byte, the canonical bytes, a terminator that cannot occur in
// them (the length). A field that does not parse as its type keeps its
// unescaped bytes under a distinct tag, so it can only equal the same bytes.
void AppendCanonical(ColumnCanon canon, std::string_view copy_field, std::string& out);


// A chunk's digest: how many rows and the sum of their hashes (mod 2^64).
struct ChunkDigest {
  int64_t rows = 0;
  uint64_t sum = 0;
  void Add(uint64_t row_hash) {
    ++rows;
    sum += row_hash;
  }
  bool operator==(const ChunkDigest& other) const { return rows == other.rows && sum == other.sum; }
  bool operator!=(const ChunkDigest& other) const { return !(*this == other); }
};

// Hashes COPY text rows of one table. "key_columns": positions (in the
// row) of the columns that identify a row; empty for a keyless table.
class RowHasher {
 public:
  // "key_names": what KeyText calls the key columns ("id"), parallel to
  // "key_columns".
  RowHasher(std::vector<ColumnCanon> columns, std::vector<int> key_columns, std::vector<std::string> key_names);

  // The hash of "line" (one COPY text row, without its newline). Throws
  // Error(kInternal) if the line has not one field per column.
  uint64_t Hash(std::string_view line);
  // The canonical key of the line last hashed ("" for a keyless table).
  const std::string& key() const { return key_; }
  // A 64-bit hash of key(), to keep many keys in little memory.
  uint64_t KeyHash() const;
  // The key of "line" as people read it: "id 17", "code 'A1', n 2"; "" for a
  // keyless table.
  std::string KeyText(std::string_view line) const;

 private:
  std::vector<ColumnCanon> columns_;
  std::vector<int> key_columns_;
  std::vector<std::string> key_names_;
  std::string buffer_;
  std::string key_;
};

// One row of a chunk being narrowed: its canonical key, hash and COPY text.
struct KeyedRow {
  std::string key;
  uint64_t hash = 0;
  std::string line;
};

// A row that differs: in the source only (missing from the target), in the
// target only (added), or in both with different values.
struct RowDifference {
  enum class Kind { kMissing, kAdded, kChanged };
  Kind kind = Kind::kChanged;
  std::string key;          // canonical
  std::string source_line;  // "" when kAdded
  std::string target_line;  // "" when kMissing
};

// The rows whose keys are on one side only, or whose hashes differ, ordered
// by canonical key. Rows with a key seen twice on one side (a keyless table,
// or a lost unique key) are compared as a multiset of hashes per key.
std::vector<RowDifference> CompareRows(std::vector<KeyedRow> source, std::vector<KeyedRow> target);

// Integer key ranges covering [min, max] in "chunks" equal parts; the first
// starts at the lowest int64 and the last ends at the highest, so rows
// outside [min, max] (added on the target) fall in a range too.
struct KeyRange {
  int64_t low = 0;   // inclusive
  int64_t high = 0;  // inclusive
};
std::vector<KeyRange> KeyRanges(int64_t min, int64_t max, int64_t chunks);

}  // namespace my2pg

#endif  // MY2PG_VERIFY_ROW_DIGEST_H_
