#include "converter/parent_keys.h"

namespace my2pg {

bool ParseInt64Text(std::string_view text, int64_t* value) {
  if (text.empty() || text.size() > 20) return false;
  bool negative = text[0] == '-';
  size_t i = negative ? 1 : 0;
  if (i == text.size()) return false;
  uint64_t result = 0;
  for (; i < text.size(); ++i) {
    if (text[i] < '0' || text[i] > '9') return false;
    uint64_t next = result * 10 + static_cast<uint64_t>(text[i] - '0');
    if (next / 10 != result) return false;
    result = next;
  }
  if (result > (negative ? uint64_t{1} << 63 : (uint64_t{1} << 63) - 1)) return false;
  *value = negative ? static_cast<int64_t>(0 - result) : static_cast<int64_t>(result);
  return true;
}

bool ParentKeys::Add(std::string_view field) {
  if (!integers_) {
    texts_.emplace(field);
    return true;
  }
  int64_t key;
  if (!ParseInt64Text(field, &key)) return false;
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
  return ParseInt64Text(field, &key) && bitmap_.contains(Ordered(key));
}

uint64_t ParentKeys::size() const { return integers_ ? bitmap_.cardinality() : texts_.size(); }

size_t ParentKeys::memory_bytes() const {
  if (integers_) return bitmap_.getSizeInBytes();
  size_t bytes = texts_.bucket_count() * sizeof(void*);
  for (const auto& key : texts_) bytes += sizeof(key) + 16 + key.capacity();
  return bytes;
}

}  // namespace my2pg
