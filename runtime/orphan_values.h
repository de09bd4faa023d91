// OrphanValues: the values of a child's integer key that its parent lacks,
// found by two streams: every child value added, every parent value removed.
// Held in a compressed bitmap (CRoaring's 64-bit map), signed values kept in
// order; past a size cap (sparse keys: hashed or snowflake ids cost about 10
// bytes each) it gives up, and the caller uses an anti-join instead.
//
// Not thread-safe.
#ifndef MY2PG_RUNTIME_ORPHAN_VALUES_H_
#define MY2PG_RUNTIME_ORPHAN_VALUES_H_

#include <roaring/roaring64map.hh>

#include <cstddef>
#include <cstdint>
#include <string>

namespace my2pg {

class OrphanValues {
 public:
  explicit OrphanValues(size_t most_bytes) : most_bytes_(most_bytes) {}

  // A child's value; ignored once too_big().
  void AddChild(int64_t value);
  // A parent's value: no longer an orphan's.
  void RemoveParent(int64_t value);

  // True once the bitmap passed the cap (checked every 2^20 values added).
  bool too_big() const { return too_big_; }
  uint64_t count() const { return values_.cardinality(); }

  // "<column>::bigint = ANY('{v1,v2,...}'::bigint[])", the values in
  // ascending order; PostgreSQL 14 and later hash the list (int8eq).
  std::string AnyCondition(const std::string& quoted_column) const;

 private:
  Roaring64Map values_;  // each value with its sign bit flipped: in order
  size_t most_bytes_;
  uint64_t added_ = 0;
  bool too_big_ = false;
};

}  // namespace my2pg

#endif  // MY2PG_RUNTIME_ORPHAN_VALUES_H_
