#include "converter/parent_keys.h"

#include "converter/numeric_text.h"

namespace my2pg {

bool ParentKeys::Add(std::string_view field) {
  if (!integers_) {
    texts_.emplace(field);
    return true;
  }
  int64_t key;
  if (!ParseInt64(field, &key)) return false;
  bitmap_.add(Ordered(key));
  return true;
}

void ParentKeys::Seal() {
  if (integers_) {
    bitmap_.runOptimize();
    bitmap_.shrinkToFit();
  }
}

bool ParentKeys::Contains(std::string_view field) const {
  if (!integers_) return texts_.count(std::string(field)) != 0;
  int64_t key;
  return ParseInt64(field, &key) && bitmap_.contains(Ordered(key));
}

uint64_t ParentKeys::size() const { return integers_ ? bitmap_.cardinality() : texts_.size(); }

size_t ParentKeys::memory_bytes() const {
  if (integers_) return bitmap_.getSizeInBytes();
  size_t bytes = texts_.bucket_count() * sizeof(void*);
  for (const auto& key : texts_) bytes += sizeof(key) + 16 + key.capacity();
  return bytes;
}

}  // namespace my2pg
