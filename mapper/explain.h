// Explain: why the plan is what it is. For each table and column, source name
// and type -> target name and type, the rules (file#pointer) that decided it,
// and the notes; then keys, indexes and foreign keys. For rule authors.
#ifndef MY2PG_MAPPER_EXPLAIN_H_
#define MY2PG_MAPPER_EXPLAIN_H_

#include <string>

#include "mapper/schema_plan.h"

namespace my2pg {

// "table" limits the output to one table (source or target name); "" for all.
// Throws Error(kUsage) if "table" names no table of the plan.
std::string ExplainText(const SchemaPlan& plan, const std::string& table);
std::string ExplainJson(const SchemaPlan& plan, const std::string& table);

}  // namespace my2pg

#endif  // MY2PG_MAPPER_EXPLAIN_H_
