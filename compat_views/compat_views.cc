#include "compat_views/compat_views.h"

#include <functional>

#include "common/identifier.h"
#include "common/strings.h"

namespace my2pg {
namespace {

// Marks the views and trigger functions my2pg makes, so that recreating them
// drops those and nothing else.
constexpr char kMarker[] = "my2pg compatibility view";

// SQL that turns a value (an expression) into another. Composed around the
// value, never made by replacing a placeholder in text that holds names.
using Transform = std::function<std::string(const std::string& value)>;

// One column of a legacy view.
struct ViewColumn {
  std::string name;          // the old column name, cut to 63 bytes and unique in the view
  Transform to_legacy;       // the new column's value as the old code expects it
  bool plain = true;         // a bare column reference: updatable as is
  const TargetColumn* target = nullptr;  // null: the column was dropped
  Transform to_target;       // the legacy value as the new column's value
  std::string next_id;       // identities: the next value, for a missing or NULL id
  std::string default_sql;   // legacy form of the new column's default, for trigger views
};

// A type for a dropped column's NULL, by the source type.
std::string NullType(const SourceColumn& column) {
  const std::string& t = column.data_type;
  if (t == "tinyint" || t == "smallint" || t == "mediumint" || t == "int" || t == "integer" || t == "bigint" ||
      t == "year") {
    return "bigint";
  }
  if (t == "decimal" || t == "numeric") return "numeric";
  if (t == "float" || t == "double" || t == "real") return "double precision";
  if (t == "date") return "date";
  if (t == "datetime" || t == "timestamp") return "timestamp";
  if (t == "time") return "time";
  if (t.find("blob") != std::string::npos || t == "binary" || t == "varbinary") return "bytea";
  return "text";
}

bool IsTextSource(const std::string& type) {
  return type == "char" || type == "varchar" || type == "enum" || type.find("text") != std::string::npos;
}

Transform Unchanged() {
  return [](const std::string& value) { return value; };
}

ViewColumn MakeColumn(const TargetTable& table, const SourceColumn& source, const std::string& name,
                      const TargetColumn* target) {
  ViewColumn column;
  column.name = name;
  column.target = target;
  if (target == nullptr) {
    const std::string null = "NULL::" + NullType(source);
    column.to_legacy = [null](const std::string&) { return null; };
    column.plain = false;
    return column;
  }
  const std::string zone = QuotePgLiteral(target->policies.timezone);
  const std::string type = target->type;
  column.to_legacy = Unchanged();
  column.to_target = Unchanged();
  if (target->kind == TargetKind::kBoolean && IsTextSource(source.data_type)) {
    column.to_legacy = [](const std::string& v) { return "CASE WHEN " + v + " THEN 'Y' WHEN NOT " + v + " THEN 'N' END"; };
    column.to_target = [](const std::string& v) {
      return "(upper(" + v + ") IN ('Y', 'YES', '1', 'T', 'TRUE', 'O', 'OUI', 'ON'))";
    };
  } else if (target->kind == TargetKind::kBoolean) {
    // tinyint(1) and bit(1): the old code reads and writes 0 and 1.
    column.to_legacy = [](const std::string& v) { return v + "::integer::smallint"; };
    column.to_target = [](const std::string& v) { return "(" + v + " <> 0)"; };
  } else if (target->kind == TargetKind::kEnum) {
    column.to_legacy = [](const std::string& v) { return v + "::text"; };
    column.to_target = [type](const std::string& v) { return v + "::" + type; };
  } else if (target->kind == TargetKind::kTextArray && source.data_type == "set") {
    column.to_legacy = [](const std::string& v) { return "array_to_string(" + v + ", ',')"; };
    column.to_target = [](const std::string& v) {
      return "CASE WHEN " + v + " = '' THEN '{}'::text[] ELSE string_to_array(" + v + ", ',') END";
    };
  } else if (source.data_type == "datetime" && !target->policies.timezone.empty() &&
             target->kind == TargetKind::kTimestampTz) {
    // Stored as instants; the old code wrote and reads local times.
    column.to_legacy = [zone](const std::string& v) { return "(" + v + " AT TIME ZONE " + zone + ")"; };
    column.to_target = [zone](const std::string& v) { return "(" + v + " AT TIME ZONE " + zone + ")"; };
  } else if (source.data_type == "datetime" && !target->policies.timezone.empty() &&
             target->kind == TargetKind::kTimestamp) {
    column.to_legacy = [zone](const std::string& v) { return "((" + v + " AT TIME ZONE 'UTC') AT TIME ZONE " + zone + ")"; };
    column.to_target = [zone](const std::string& v) { return "((" + v + " AT TIME ZONE " + zone + ") AT TIME ZONE 'UTC')"; };
  }
  const std::string ref = QuotePgIdentifier(target->name);
  column.plain = column.to_legacy(ref) == ref;
  if (target->identity) {
    // MySQL gives the next id for a missing or NULL id; so does the trigger
    // (as the view's owner: the legacy role needs no right on the sequence).
    column.next_id = "nextval(pg_get_serial_sequence(" + QuotePgLiteral(QualifiedName(table.schema, table.name)) +
                     ", " + QuotePgLiteral(target->name) + "))";
  } else if (!target->default_sql.empty()) {
    // The new default, in the legacy form: the view expression over it.
    column.default_sql = column.to_legacy("(" + target->default_sql + ")::" + target->type);
  }
  return column;
}

// The legacy value "value" as the new column's value, with the next id for a
// NULL identity.
std::string ValueToStore(const ViewColumn& column, const std::string& value) {
  std::string stored = column.to_target(value);
  return column.next_id.empty() ? stored : "COALESCE(" + stored + ", " + column.next_id + ")";
}

// The statements of the INSTEAD OF trigger of one view. The table is aliased
// and every column reference qualified, so that no name can be taken for
// PL/pgSQL's NEW, OLD or FOUND.
void AddWriteTrigger(const TargetTable& table, const std::string& view, const std::string& function_name,
                     const std::string& legacy_schema, const std::vector<ViewColumn>& columns,
                     std::vector<DdlStatement>& out) {
  const std::string target = QualifiedName(table.schema, table.name) + " AS my2pg_row";
  auto row = [](const ViewColumn& column) { return "my2pg_row." + QuotePgIdentifier(column.target->name); };
  auto field = [](const char* record, const ViewColumn& column) {
    return std::string(record) + "." + QuotePgIdentifier(column.name);
  };
  std::vector<std::string> insert_columns, insert_values, sets, returning, into;
  for (const ViewColumn& column : columns) {
    if (column.target == nullptr) continue;
    std::string value = ValueToStore(column, field("NEW", column));
    insert_columns.push_back(QuotePgIdentifier(column.target->name));
    insert_values.push_back(value);
    sets.push_back(QuotePgIdentifier(column.target->name) + " = " + value);
    returning.push_back(column.to_legacy(row(column)));
    into.push_back(field("NEW", column));
  }
  // Rows are found by the new primary key when the view shows it, else by
  // every column (a table without a key: identical rows change together).
  std::vector<std::string> match;
  for (const TargetIndex& index : table.indexes) {
    if (!index.primary) continue;
    for (const std::string& key : index.expressions) {
      for (const ViewColumn& column : columns) {
        if (column.target != nullptr && QuotePgIdentifier(column.target->name) == key) {
          match.push_back(row(column) + " = " + column.to_target(field("OLD", column)));
        }
      }
    }
    if (match.size() != index.expressions.size()) match.clear();  // the key is not all in the view
  }
  if (match.empty()) {
    for (const ViewColumn& column : columns) {
      if (column.target == nullptr) continue;
      match.push_back(row(column) + " IS NOT DISTINCT FROM " + column.to_target(field("OLD", column)));
    }
  }
  const std::string function = QualifiedName(legacy_schema, function_name);
  const std::string body =
      "\nBEGIN\n"
      "  IF TG_OP = 'INSERT' THEN\n"
      "    INSERT INTO " + target + " (" + Join(insert_columns, ", ") + ")\n"
      "      VALUES (" + Join(insert_values, ", ") + ")\n"
      "      RETURNING " + Join(returning, ", ") + "\n"
      "      INTO " + Join(into, ", ") + ";\n"
      "    RETURN NEW;\n"
      "  ELSIF TG_OP = 'UPDATE' THEN\n"
      "    UPDATE " + target + " SET " + Join(sets, ", ") + "\n"
      "      WHERE " + Join(match, " AND ") + ";\n"
      "    RETURN NEW;\n"
      "  END IF;\n"
      "  DELETE FROM " + target + " WHERE " + Join(match, " AND ") + ";\n"
      "  RETURN OLD;\n"
      "END\n";
  // SECURITY DEFINER: the legacy role writes through the view only.
  out.push_back({QualifiedName(table.schema, table.name), "CREATE FUNCTION " + function +
                                 "() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER "
                                 "SET search_path = pg_catalog, pg_temp AS " + DollarQuote(body)});
  out.push_back({QualifiedName(table.schema, table.name), "COMMENT ON FUNCTION " + function + "() IS " + QuotePgLiteral(kMarker)});
  out.push_back({QualifiedName(table.schema, table.name), "CREATE TRIGGER " + QuotePgIdentifier(function_name) +
                                 " INSTEAD OF INSERT OR UPDATE OR DELETE ON " + QualifiedName(legacy_schema, view) +
                                 " FOR EACH ROW EXECUTE FUNCTION " + function + "()"});
}

// Drops the views and trigger functions an earlier run made in "schema"
// (marked by their comment), and nothing else: the schema may hold what
// others put there.
std::string DropOwnObjects(const std::string& schema) {
  const std::string name = QuotePgLiteral(schema);
  const std::string marker = QuotePgLiteral(kMarker);
  return "DO " + DollarQuote(
      "\n"
      "DECLARE\n"
      "  object text;\n"
      "BEGIN\n"
      "  FOR object IN SELECT c.oid::regclass::text FROM pg_catalog.pg_class c\n"
      "      JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace\n"
      "      WHERE n.nspname = " + name + " AND c.relkind = 'v'\n"
      "        AND pg_catalog.obj_description(c.oid, 'pg_class') = " + marker + " LOOP\n"
      "    EXECUTE 'DROP VIEW ' || object;\n"
      "  END LOOP;\n"
      "  FOR object IN SELECT p.oid::regprocedure::text FROM pg_catalog.pg_proc p\n"
      "      JOIN pg_catalog.pg_namespace n ON n.oid = p.pronamespace\n"
      "      WHERE n.nspname = " + name + "\n"
      "        AND pg_catalog.obj_description(p.oid, 'pg_proc') = " + marker + " LOOP\n"
      "    EXECUTE 'DROP FUNCTION ' || object;\n"
      "  END LOOP;\n"
      "END\n");
}

}  // namespace

std::vector<LegacyViewName> PlanLegacyViewNames(const SchemaPlan& plan) {
  std::vector<LegacyViewName> views;
  if (plan.legacy_schema.empty()) return views;
  UniqueNames view_names;
  for (const TargetTable& table : plan.tables) {
    const SourceTable& source = plan.source_of(table);
    views.push_back({view_names.Take(source.name), {}});
    UniqueNames column_names;
    for (const SourceColumn& column : source.columns) views.back().columns.push_back(column_names.Take(column.name));
  }
  return views;
}

std::vector<DdlStatement> BuildCompatViews(const SchemaPlan& plan, const CompatViewOptions& options) {
  std::vector<DdlStatement> out;
  if (plan.legacy_schema.empty()) return out;
  const std::string schema = QuotePgIdentifier(plan.legacy_schema);
  out.push_back({"", "CREATE SCHEMA IF NOT EXISTS " + schema});
  out.push_back({"", DropOwnObjects(plan.legacy_schema)});
  // Views are named as the old tables, functions after their views; names
  // PostgreSQL would cut to the same 63 bytes get distinct ones.
  UniqueNames function_names;
  std::vector<LegacyView> views;  // for the grants
  const std::vector<LegacyViewName> names = PlanLegacyViewNames(plan);
  for (size_t t = 0; t < plan.tables.size(); ++t) {
    const TargetTable& table = plan.tables[t];
    const SourceTable& source = plan.source_of(table);
    const std::string& view = names[t].name;
    const std::string qualified_view = QualifiedName(plan.legacy_schema, view);
    views.push_back({source.name, qualified_view, {}});
    std::vector<ViewColumn> columns;
    bool plain = true;
    for (size_t c = 0; c < source.columns.size(); ++c) {
      const TargetColumn* target = nullptr;
      for (const TargetColumn& candidate : table.columns) {
        if (candidate.source_index == static_cast<int>(c)) target = &candidate;
      }
      columns.push_back(MakeColumn(table, source.columns[c], names[t].columns[c], target));
      plain = plain && columns.back().plain;
    }
    std::vector<std::string> select;
    for (const ViewColumn& column : columns) {
      std::string ref = column.target ? QuotePgIdentifier(column.target->name) : "";
      select.push_back(column.to_legacy(ref) + " AS " + QuotePgIdentifier(column.name));
    }
    out.push_back({QualifiedName(table.schema, table.name), "CREATE VIEW " + qualified_view + " AS SELECT " + Join(select, ", ") + " FROM " +
                                   QualifiedName(table.schema, table.name)});
    out.push_back({QualifiedName(table.schema, table.name), "COMMENT ON VIEW " + qualified_view + " IS " + QuotePgLiteral(kMarker)});
    for (const TargetColumn& column : table.columns) {
      if (column.identity && column.from_source()) {
        // Identities: lastval() needs SELECT on them.
        views.back().sequences.push_back("pg_get_serial_sequence(" +
                                         QuotePgLiteral(QualifiedName(table.schema, table.name)) + ", " +
                                         QuotePgLiteral(column.name) + ")");
      }
    }
    if (plain) continue;  // PostgreSQL updates it by itself
    for (const ViewColumn& column : columns) {
      if (column.default_sql.empty()) continue;
      out.push_back({QualifiedName(table.schema, table.name), "ALTER VIEW " + qualified_view + " ALTER COLUMN " +
                                     QuotePgIdentifier(column.name) + " SET DEFAULT " + column.default_sql});
    }
    AddWriteTrigger(table, view, function_names.Take(view + "_write"), plan.legacy_schema, columns, out);
  }
  if (!options.grant_role.empty()) {
    std::vector<std::pair<const LegacyView*, std::vector<std::string>>> all;
    for (const LegacyView& view : views) all.push_back({&view, {"SELECT", "INSERT", "UPDATE", "DELETE"}});
    AppendViewGrants(options.grant_role, plan.legacy_schema, all, out);
  }
  if (options.roles_from_source) {
    std::vector<DdlStatement> roles =
        BuildRoleStatements(PlanRoles(plan), plan.legacy_schema, views, options.role_passwords);
    out.insert(out.end(), roles.begin(), roles.end());
  }
  return out;
}

}  // namespace my2pg
