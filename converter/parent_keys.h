// ParentKeys: the keys of a loaded parent table, which a child's new foreign
// key is checked against while the child streams (orphan policies "reject"
// and "null"). Integer keys, the common case, live in a compressed bitmap
// (CRoaring): a dense 100M-key parent takes a few MB, so memory stays bounded
// whatever the parent's size. Other keys are kept as their COPY text in a hash
// set.
//
// Built by one thread (Add*), then only read: Contains() is safe to call from
// many threads at once once building is done.
#ifndef MY2PG_CONVERTER_PARENT_KEYS_H_
#define MY2PG_CONVERTER_PARENT_KEYS_H_

#include <roaring/roaring64map.hh>

#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_set>

namespace my2pg {

class ParentKeys {
 public:
  // "integers": the keys are smallint, integer or bigint values.
  explicit ParentKeys(bool integers) : integers_(integers) {}

  bool integers() const { return integers_; }
  // Adds one key, as COPY text (escaped, not NULL). False if an integer set
  // is given something that is not an integer.
  bool Add(std::string_view field);
  // Ends building (compacts the bitmap).
  void Seal();

  // True if "field", a child's value as COPY text (not NULL), is a key.
  bool Contains(std::string_view field) const;
  uint64_t size() const;
  size_t memory_bytes() const;

 private:
  static uint64_t Ordered(int64_t key) { return static_cast<uint64_t>(key) ^ (uint64_t{1} << 63); }

  bool integers_;
  Roaring64Map bitmap_;
  std::unordered_set<std::string> texts_;
};

}  // namespace my2pg

#endif  // MY2PG_CONVERTER_PARENT_KEYS_H_
