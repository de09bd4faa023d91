// MapCatalog: applies the rules to a source catalog and decides the target
// schema: names, types, nullability, defaults, identities, indexes and the
// conversion policies of every column. Pure: touches no server.
#ifndef MY2PG_MAPPER_MAPPER_H_
#define MY2PG_MAPPER_MAPPER_H_

#include "mapper/catalog.h"
#include "mapper/schema_plan.h"
#include "rules/rules.h"

namespace my2pg {

// Throws Error(kRules) when the rules cannot map the catalog (a type rule
// template names a value the column lacks, two columns get the same name).
SchemaPlan MapCatalog(const SourceCatalog& catalog, const Rules& rules);

// Expands a type template ("varchar({length})") for "column". Exposed for tests.
std::string ExpandTypeTemplate(const std::string& type_template, const SourceColumn& column,
                               const RuleOrigin& origin);

}  // namespace my2pg

#endif  // MY2PG_MAPPER_MAPPER_H_
