#include "runtime/orphan_values.h"

namespace my2pg {
namespace {

constexpr uint64_t kSignBit = uint64_t{1} << 63;

uint64_t Ordered(int64_t value) { return static_cast<uint64_t>(value) ^ kSignBit; }

}  // namespace

void OrphanValues::AddChild(int64_t value) {
  if (too_big_) return;
  values_.add(Ordered(value));
  // Its size is a walk over the map: not at every value.
  if (++added_ % (uint64_t{1} << 20) == 0 && values_.getSizeInBytes() > most_bytes_) {
    too_big_ = true;
    values_.clear();
  }
}

void OrphanValues::RemoveParent(int64_t value) {
  if (!too_big_) values_.remove(Ordered(value));
}

std::string OrphanValues::AnyCondition(const std::string& quoted_column) const {
  std::string list;
  for (uint64_t value : values_) {
    list += (list.empty() ? "" : ",") + std::to_string(static_cast<int64_t>(value ^ kSignBit));
  }
  return quoted_column + "::bigint = ANY('{" + list + "}'::bigint[])";
}

}  // namespace my2pg
