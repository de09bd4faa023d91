// Compatibility views: one view per migrated source table in the legacy
// schema the mapping names, presenting the new tables under the old table and
// column names, in the old column order, with type changes shown in their
// legacy form (a boolean as 0/1, an enum as text, UTC times as the local
// times the old code stored). The old application runs unchanged with
// search_path = legacy.
//
// Writes: a view whose columns are all plain column references is
// automatically updatable by PostgreSQL; otherwise INSTEAD OF triggers map
// the legacy values back (SECURITY DEFINER, so the legacy role needs rights on
// the legacy schema only). Pure: builds SQL, touches no server.
#ifndef MY2PG_COMPAT_VIEWS_COMPAT_VIEWS_H_
#define MY2PG_COMPAT_VIEWS_COMPAT_VIEWS_H_

#include <string>
#include <vector>

#include "compat_views/roles.h"
#include "mapper/ddl.h"
#include "mapper/schema_plan.h"

namespace my2pg {

struct CompatViewOptions {
  std::string grant_role;  // if set, gets what the legacy application needs, and nothing more
  // --roles from-source: the source accounts become roles with their
  // privileges on the views (roles.h); the catalog must hold its grants.
  bool roles_from_source = false;
  RolePasswords role_passwords = {};  // --role-passwords: these roles get LOGIN and this password
};

// A view the legacy schema gets: one per table of the plan, in its order,
// named as the old table, with the old columns in their old order (names
// PostgreSQL would cut to the same 63 bytes made distinct).
struct LegacyViewName {
  std::string name;
  std::vector<std::string> columns;
};
// Empty when the plan names no legacy schema.
std::vector<LegacyViewName> PlanLegacyViewNames(const SchemaPlan& plan);

// The statements that (re)create the legacy schema's views; empty when the
// plan names no legacy schema. The schema is created if missing and never
// dropped: they first drop the views and trigger functions an earlier run
// made there (marked by their comment), and nothing else the schema holds.
// Throws Error(kUsage) for roles_from_source without the catalog's grants.
std::vector<DdlStatement> BuildCompatViews(const SchemaPlan& plan, const CompatViewOptions& options);

}  // namespace my2pg

#endif  // MY2PG_COMPAT_VIEWS_COMPAT_VIEWS_H_
