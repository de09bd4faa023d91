// TextCleanup: a column's cleanup steps from the rules (trim, regex replace,
// case change, value map, null-if), applied in order to decoded UTF-8 text
// before it is COPY-escaped. Regexes were compiled when the rules loaded.
// Immutable; thread-safe.
#ifndef MY2PG_CONVERTER_TEXT_CLEANUP_H_
#define MY2PG_CONVERTER_TEXT_CLEANUP_H_

#include <string>
#include <vector>

#include "rules/rules.h"

namespace my2pg {

class TextCleanup {
 public:
  explicit TextCleanup(std::vector<CleanupStep> steps) : steps_(std::move(steps)) {}

  enum class Outcome { kUnchanged, kChanged, kNull };
  // Applies the steps to "text" (plain UTF-8). kNull: the value is to be NULL.
  Outcome Apply(std::string& text) const;

  bool empty() const { return steps_.empty(); }

 private:
  std::vector<CleanupStep> steps_;
};

}  // namespace my2pg

#endif  // MY2PG_CONVERTER_TEXT_CLEANUP_H_
