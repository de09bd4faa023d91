#include "mapper/explain.h"

#include <rapidjson/prettywriter.h>
#include <rapidjson/stringbuffer.h>

#include <algorithm>

#include "common/error.h"
#include "common/identifier.h"
#include "common/strings.h"
#include "common/suggest.h"

namespace my2pg {
namespace {

std::vector<const TargetTable*> Selected(const SchemaPlan& plan, const std::string& name) {
  std::vector<const TargetTable*> tables;
  std::vector<std::string> names;
  for (const TargetTable& table : plan.tables) {
    const std::string& source = plan.source_of(table).name;
    names.push_back(source);
    if (name.empty() || name == source || name == table.name) tables.push_back(&table);
  }
  if (!name.empty() && tables.empty()) {
    bool skipped = std::find(plan.skipped_tables.begin(), plan.skipped_tables.end(), name) != plan.skipped_tables.end();
    throw Error(ErrorCategory::kUsage, skipped ? "table '" + name + "' is skipped by a rule"
                                               : "no table '" + name + "'" + DidYouMean(name, names));
  }
  return tables;
}

std::string SourceType(const SourceColumn& column) {
  std::string type = column.column_type;
  if (!column.charset.empty()) type += " " + column.charset;
  if (!column.nullable) type += " not null";
  if (column.auto_increment) type += " auto_increment";
  return CommentText(type);
}

std::string TargetType(const TargetColumn& column) {
  std::string type = column.type;
  if (column.identity) type += " identity";
  if (!column.nullable) type += " not null";
  if (!column.default_sql.empty()) type += " default " + column.default_sql;
  return CommentText(type);
}

void Pad(std::string& out, const std::string& text, size_t width) {
  out += text;
  if (text.size() < width) out.append(width - text.size(), ' ');
  out += ' ';
}

}  // namespace

std::string ExplainText(const SchemaPlan& plan, const std::string& name) {
  std::string out;
  for (const TargetTable* table : Selected(plan, name)) {
    const SourceTable& source = plan.source_of(*table);
    out += "table " + CommentText(source.name) + " -> " + CommentText(table->schema) + "." + CommentText(table->name);
    if (!table->decided_by.empty()) out += "  [" + Join(table->decided_by, ", ") + "]";
    out += "\n";
    if (!table->source_filter.empty()) out += "  rows: WHERE " + CommentText(table->source_filter) + "\n";
    size_t source_width = 6, type_width = 4, target_width = 6, target_type_width = 4;
    for (const TargetColumn& column : table->columns) {
      if (column.from_source()) {
        const SourceColumn& sc = plan.source_of(*table, column);
        source_width = std::max(source_width, CommentText(sc.name).size());
        type_width = std::max(type_width, SourceType(sc).size());
      }
      target_width = std::max(target_width, CommentText(column.name).size());
      target_type_width = std::max(target_type_width, TargetType(column).size());
    }
    for (const TargetColumn& column : table->columns) {
      out += "  ";
      if (column.from_source()) {
        const SourceColumn& sc = plan.source_of(*table, column);
        Pad(out, CommentText(sc.name), source_width);
        Pad(out, SourceType(sc), type_width);
      } else {
        Pad(out, "(new)", source_width);
        Pad(out, "", type_width);
      }
      out += "-> ";
      Pad(out, CommentText(column.name), target_width);
      Pad(out, TargetType(column), target_type_width);
      out += "[" + Join(column.decided_by, ", ") + "]\n";
      for (const auto& note : column.notes) out += "      note: " + CommentText(note) + "\n";
    }
    for (const SourceColumn& sc : source.columns) {
      bool kept = false;
      for (const TargetColumn& column : table->columns) kept = kept || (column.from_source() && plan.source_of(*table, column).name == sc.name);
      if (!kept) out += "  " + CommentText(sc.name) + " " + SourceType(sc) + " -> skipped\n";
    }
    for (const TargetIndex& index : table->indexes) {
      out += std::string("  ") + (index.primary ? "primary key " : index.unique ? "unique index " : "index ") +
             CommentText(index.name) + " (" + CommentText(Join(index.expressions, ", ")) + ")" +
             (index.method.empty() ? "" : " using " + index.method) + "\n";
    }
    if (table->key_source_columns.empty()) out += "  no primary key: rejects are named by row number\n";
    for (const TargetForeignKey& key : table->foreign_keys) {
      out += "  foreign key " + CommentText(key.name) + " (" + CommentText(Join(key.columns, ", ")) + ") -> " +
             CommentText(key.referenced_table) + " (" + CommentText(Join(key.referenced_columns, ", ")) +
             ") on delete " + key.on_delete;
      if (!key.origin.empty()) {
        out += ", orphans: " + std::string(ToString(key.orphans)) +
               (key.orphans == Policy::kKeep ? ""
                : References(key, *table)    ? " (checked after the load, against its own rows)"
                : key.orphans_after_load     ? " (checked after the load)"
                                             : " (checked while copying)") +
               "  [" + key.origin + "]";
      }
      out += "\n";
    }
    out += "\n";
  }
  if (name.empty()) {
    for (const auto& skipped : plan.skipped_tables) out += "table " + CommentText(skipped) + " -> skipped by a rule\n";
    for (const auto& warning : plan.warnings) out += "warning: " + CommentText(warning) + "\n";
  }
  return out;
}

std::string ExplainJson(const SchemaPlan& plan, const std::string& name) {
  rapidjson::StringBuffer buffer;
  rapidjson::PrettyWriter<rapidjson::StringBuffer> w(buffer);
  w.SetIndent(' ', 2);
  auto string = [&w](const char* key, const std::string& value) {
    w.Key(key);
    w.String(value.c_str(), static_cast<rapidjson::SizeType>(value.size()));
  };
  auto strings = [&w](const char* key, const std::vector<std::string>& values) {
    w.Key(key);
    w.StartArray();
    for (const auto& value : values) w.String(value.c_str(), static_cast<rapidjson::SizeType>(value.size()));
    w.EndArray();
  };
  w.StartObject();
  string("database", plan.catalog.database);
  w.Key("tables");
  w.StartArray();
  for (const TargetTable* table : Selected(plan, name)) {
    w.StartObject();
    string("source", plan.source_of(*table).name);
    string("schema", table->schema);
    string("target", table->name);
    strings("decided_by", table->decided_by);
    if (!table->source_filter.empty()) string("filter", table->source_filter);
    w.Key("columns");
    w.StartArray();
    for (const TargetColumn& column : table->columns) {
      w.StartObject();
      if (column.from_source()) {
        const SourceColumn& sc = plan.source_of(*table, column);
        string("source", sc.name);
        string("source_type", sc.column_type);
      }
      string("target", column.name);
      string("target_type", column.type);
      w.Key("nullable"); w.Bool(column.nullable);
      if (column.identity) { w.Key("identity"); w.Bool(true); }
      if (!column.default_sql.empty()) string("default", column.default_sql);
      strings("decided_by", column.decided_by);
      strings("notes", column.notes);
      w.EndObject();
    }
    w.EndArray();
    w.Key("indexes");
    w.StartArray();
    for (const TargetIndex& index : table->indexes) {
      w.StartObject();
      string("name", index.name);
      string("kind", index.primary ? "primary key" : index.unique ? "unique" : "index");
      strings("expressions", index.expressions);
      w.EndObject();
    }
    w.EndArray();
    w.Key("foreign_keys");
    w.StartArray();
    for (const TargetForeignKey& key : table->foreign_keys) {
      w.StartObject();
      string("name", key.name);
      strings("columns", key.columns);
      string("references", key.referenced_schema + "." + key.referenced_table);
      strings("referenced_columns", key.referenced_columns);
      string("on_delete", key.on_delete);
      string("orphans", std::string(ToString(key.orphans)));
      if (OrphansChecked(key)) {
        string("orphans_checked", References(key, *table) ? "after the load, against its own rows"
                                  : key.orphans_after_load  ? "after the load"
                                                            : "while copying");
      }
      if (!key.origin.empty()) string("decided_by", key.origin);
      w.EndObject();
    }
    w.EndArray();
    w.EndObject();
  }
  w.EndArray();
  strings("skipped_tables", plan.skipped_tables);
  strings("warnings", plan.warnings);
  w.EndObject();
  return std::string(buffer.GetString(), buffer.GetSize()) + "\n";
}

}  // namespace my2pg
