// "Did you mean": the closest of some names to a misspelled one.
#ifndef MY2PG_COMMON_SUGGEST_H_
#define MY2PG_COMMON_SUGGEST_H_

#include <string>
#include <vector>

namespace my2pg {

// The candidate closest to "name" by edit distance, if it is close enough to
// be a likely typo (at most a third of the name's length); otherwise "".
std::string ClosestName(const std::string& name, const std::vector<std::string>& candidates);

// " (did you mean 'x'?)" or "".
std::string DidYouMean(const std::string& name, const std::vector<std::string>& candidates);

}  // namespace my2pg

#endif  // MY2PG_COMMON_SUGGEST_H_
