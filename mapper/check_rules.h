// CheckRules: checks a loaded rules file against a catalog: every table and
// column a rule names exactly exists (with "did you mean"), regex rules match
// something, and the mapping as a whole succeeds (no duplicate target names,
// references to existing keys of agreeing types, type templates that fit).
#ifndef MY2PG_MAPPER_CHECK_RULES_H_
#define MY2PG_MAPPER_CHECK_RULES_H_

#include <string>
#include <vector>

#include "mapper/catalog.h"
#include "rules/rules.h"

namespace my2pg {

struct RuleProblems {
  std::vector<std::string> errors;    // "file:line:col: /pointer: what"
  std::vector<std::string> warnings;  // e.g. a regex rule that matches nothing
};

// Only the rules of "file" (not of the files it extends) are checked by name.
RuleProblems CheckRules(const Rules& rules, const std::string& file, const SourceCatalog& catalog);

}  // namespace my2pg

#endif  // MY2PG_MAPPER_CHECK_RULES_H_
