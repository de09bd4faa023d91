// Catalog snapshots: a SourceCatalog as JSON, so that plan, explain and
// check-rules run without a server. The format is documented in docs/rules.md
// ("Catalog snapshots"); WriteCatalogJson and ReadCatalogJson round-trip.
#ifndef MY2PG_MAPPER_CATALOG_JSON_H_
#define MY2PG_MAPPER_CATALOG_JSON_H_

#include <string>

#include "mapper/catalog.h"

namespace my2pg {

std::string WriteCatalogJson(const SourceCatalog& catalog);

// Parses a snapshot. "origin" names the file in error messages. Throws
// Error(kRules) with the JSON pointer of the first problem.
SourceCatalog ReadCatalogJson(const std::string& json, const std::string& origin);

}  // namespace my2pg

#endif  // MY2PG_MAPPER_CATALOG_JSON_H_
