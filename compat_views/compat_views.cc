#include "compat_views/compat_views.h"

#include "common/identifier.h"
#include "common/strings.h"

namespace my2pg {
namespace {

// One column of a legacy view.
struct ViewColumn {
  std::string name;          // the old column name
  std::string expression;    // over the new table, as the old code expects it
  bool plain = true;         // a bare column reference: updatable as is
  const TargetColumn* target = nullptr;  // null: the column was dropped
  std::string to_target;     // turns the legacy value "$" into the new column's value
  std::string default_sql;   // legacy form of the new column's default, for trigger views
};

std::string Replace(std::string text, const std::string& from, const std::string& to) {
  for (size_t at = text.find(from); at != std::string::npos; at = text.find(from, at + to.size())) {
    text.replace(at, from.size(), to);
  }
  return text;
}

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

ViewColumn MakeColumn(const SchemaPlan& plan, const TargetTable& table, const SourceColumn& source,
                      const TargetColumn* target) {
  ViewColumn column;
  column.name = source.name;
  column.target = target;
  if (target == nullptr) {
    column.expression = "NULL::" + NullType(source);
    column.plain = false;
    return column;
  }
  const std::string ref = QuotePgIdentifier(target->name);
  const std::string zone = QuotePgLiteral(target->policies.timezone);
  column.expression = ref;
  column.to_target = "$";
  if (target->kind == TargetKind::kBoolean && IsTextSource(source.data_type)) {
    column.expression = "CASE WHEN " + ref + " THEN 'Y' WHEN NOT " + ref + " THEN 'N' END";
    column.to_target = "(upper($) IN ('Y', 'YES', '1', 'T', 'TRUE', 'O', 'OUI', 'ON'))";
  } else if (target->kind == TargetKind::kBoolean) {
    // tinyint(1) and bit(1): the old code reads and writes 0 and 1.
    column.expression = ref + "::integer::smallint";
    column.to_target = "($ <> 0)";
  } else if (target->kind == TargetKind::kEnum) {
    column.expression = ref + "::text";
    column.to_target = "$::" + target->type;
  } else if (target->kind == TargetKind::kTextArray && source.data_type == "set") {
    column.expression = "array_to_string(" + ref + ", ',')";
    column.to_target = "CASE WHEN $ = '' THEN '{}'::text[] ELSE string_to_array($, ',') END";
  } else if (source.data_type == "datetime" && !target->policies.timezone.empty() &&
             target->kind == TargetKind::kTimestampTz) {
    // Stored as instants; the old code wrote and reads local times.
    column.expression = "(" + ref + " AT TIME ZONE " + zone + ")";
    column.to_target = "($ AT TIME ZONE " + zone + ")";
  } else if (source.data_type == "datetime" && !target->policies.timezone.empty() &&
             target->kind == TargetKind::kTimestamp) {
    column.expression = "((" + ref + " AT TIME ZONE 'UTC') AT TIME ZONE " + zone + ")";
    column.to_target = "(($ AT TIME ZONE " + zone + ") AT TIME ZONE 'UTC')";
  }
  column.plain = column.expression == ref;
  if (target->identity) {
    // MySQL gives the next id for a missing or NULL id; so does the trigger
    // (as the view's owner: the legacy role needs no right on the sequence).
    column.to_target = "COALESCE(" + column.to_target + ", nextval(pg_get_serial_sequence(" +
                       QuotePgLiteral(QualifiedName(table.schema, table.name)) + ", " +
                       QuotePgLiteral(target->name) + ")))";
  } else if (!target->default_sql.empty()) {
    // The new default, in the legacy form: the view expression over it.
    column.default_sql = Replace(column.expression, ref, "(" + target->default_sql + ")::" + target->type);
  }
  return column;
}

// The statements of the INSTEAD OF trigger of one view.
void AddWriteTrigger(const TargetTable& table, const std::string& view, const std::string& legacy_schema,
                     const std::vector<ViewColumn>& columns, std::vector<DdlStatement>& out) {
  const std::string qualified = QualifiedName(table.schema, table.name);
  std::vector<std::string> insert_columns, insert_values, sets, returning, into;
  for (const ViewColumn& column : columns) {
    if (column.target == nullptr) continue;
    std::string value = Replace(column.to_target, "$", "NEW." + QuotePgIdentifier(column.name));
    insert_columns.push_back(QuotePgIdentifier(column.target->name));
    insert_values.push_back(value);
    sets.push_back(QuotePgIdentifier(column.target->name) + " = " + value);
    returning.push_back(column.expression);
    into.push_back("NEW." + QuotePgIdentifier(column.name));
  }
  // Rows are found by the new primary key when the view shows it, else by
  // every column (a table without a key: identical rows change together).
  std::vector<std::string> match;
  for (const TargetIndex& index : table.indexes) {
    if (!index.primary) continue;
    for (const std::string& key : index.expressions) {
      for (const ViewColumn& column : columns) {
        if (column.target != nullptr && QuotePgIdentifier(column.target->name) == key) {
          match.push_back(key + " = " + Replace(column.to_target, "$", "OLD." + QuotePgIdentifier(column.name)));
        }
      }
    }
    if (match.size() != index.expressions.size()) match.clear();  // the key is not all in the view
  }
  if (match.empty()) {
    for (const ViewColumn& column : columns) {
      if (column.target == nullptr) continue;
      match.push_back(QuotePgIdentifier(column.target->name) + " IS NOT DISTINCT FROM " +
                      Replace(column.to_target, "$", "OLD." + QuotePgIdentifier(column.name)));
    }
  }
  std::string function = QualifiedName(legacy_schema, TruncateIdentifier(view + "_write"));
  std::string body =
      "BEGIN\n"
      "  IF TG_OP = 'INSERT' THEN\n"
      "    INSERT INTO " + qualified + " (" + Join(insert_columns, ", ") + ")\n"
      "      VALUES (" + Join(insert_values, ", ") + ")\n"
      "      RETURNING " + Join(returning, ", ") + "\n"
      "      INTO " + Join(into, ", ") + ";\n"
      "    RETURN NEW;\n"
      "  ELSIF TG_OP = 'UPDATE' THEN\n"
      "    UPDATE " + qualified + " SET " + Join(sets, ", ") + "\n"
      "      WHERE " + Join(match, " AND ") + ";\n"
      "    RETURN NEW;\n"
      "  END IF;\n"
      "  DELETE FROM " + qualified + " WHERE " + Join(match, " AND ") + ";\n"
      "  RETURN OLD;\n"
      "END\n";
  // SECURITY DEFINER: the legacy role writes through the view only.
  out.push_back({qualified, "CREATE FUNCTION " + function +
                                 "() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER "
                                 "SET search_path = pg_catalog, pg_temp AS $my2pg$\n" + body + "$my2pg$"});
  out.push_back({qualified, "CREATE TRIGGER " + QuotePgIdentifier(TruncateIdentifier(view + "_write")) +
                                 " INSTEAD OF INSERT OR UPDATE OR DELETE ON " + QualifiedName(legacy_schema, view) +
                                 " FOR EACH ROW EXECUTE FUNCTION " + function + "()"});
}

}  // namespace

std::vector<DdlStatement> BuildCompatViews(const SchemaPlan& plan, const CompatViewOptions& options) {
  std::vector<DdlStatement> out;
  if (plan.legacy_schema.empty()) return out;
  const std::string schema = QuotePgIdentifier(plan.legacy_schema);
  out.push_back({"", "DROP SCHEMA IF EXISTS " + schema + " CASCADE"});
  out.push_back({"", "CREATE SCHEMA " + schema});
  std::vector<std::string> sequences;  // identities: lastval() needs SELECT on them
  for (const TargetTable& table : plan.tables) {
    const SourceTable& source = plan.source_of(table);
    const std::string view = TruncateIdentifier(source.name);
    std::vector<ViewColumn> columns;
    bool plain = true;
    for (size_t c = 0; c < source.columns.size(); ++c) {
      const TargetColumn* target = nullptr;
      for (const TargetColumn& candidate : table.columns) {
        if (candidate.source_index == static_cast<int>(c)) target = &candidate;
      }
      columns.push_back(MakeColumn(plan, table, source.columns[c], target));
      plain = plain && columns.back().plain;
    }
    std::vector<std::string> select;
    for (const ViewColumn& column : columns) select.push_back(column.expression + " AS " + QuotePgIdentifier(column.name));
    out.push_back({QualifiedName(table.schema, table.name), "CREATE VIEW " + QualifiedName(plan.legacy_schema, view) + " AS SELECT " +
                                   Join(select, ", ") + " FROM " + QualifiedName(table.schema, table.name)});
    for (const TargetColumn& column : table.columns) {
      if (column.identity && column.from_source()) {
        sequences.push_back("pg_get_serial_sequence(" + QuotePgLiteral(QualifiedName(table.schema, table.name)) +
                            ", " + QuotePgLiteral(column.name) + ")");
      }
    }
    if (plain) continue;  // PostgreSQL updates it by itself
    for (const ViewColumn& column : columns) {
      if (column.default_sql.empty()) continue;
      out.push_back({QualifiedName(table.schema, table.name), "ALTER VIEW " + QualifiedName(plan.legacy_schema, view) + " ALTER COLUMN " +
                                     QuotePgIdentifier(column.name) + " SET DEFAULT " + column.default_sql});
    }
    AddWriteTrigger(table, view, plan.legacy_schema, columns, out);
  }
  if (!options.grant_role.empty()) {
    const std::string role = QuotePgIdentifier(options.grant_role);
    out.push_back({"", "GRANT USAGE ON SCHEMA " + schema + " TO " + role});
    out.push_back({"", "GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA " + schema + " TO " + role});
    // SELECT on a sequence allows lastval()/currval() after an INSERT through
    // a view, as LAST_INSERT_ID() did; not nextval or setval.
    for (const std::string& sequence : sequences) {
      out.push_back({"", "DO $my2pg$ BEGIN EXECUTE format('GRANT SELECT ON SEQUENCE %s TO %I', " + sequence + ", " +
                             QuotePgLiteral(options.grant_role) + "); END $my2pg$"});
    }
  }
  return out;
}

}  // namespace my2pg
