#include "mapper/catalog_json.h"

#include <rapidjson/document.h>
#include <rapidjson/error/en.h>
#include <rapidjson/prettywriter.h>
#include <rapidjson/stringbuffer.h>

#include "common/error.h"

namespace my2pg {
namespace {

using Writer = rapidjson::PrettyWriter<rapidjson::StringBuffer>;

void Key(Writer& w, const char* key, const std::string& value) {
  w.Key(key);
  w.String(value.c_str(), static_cast<rapidjson::SizeType>(value.size()));
}
template <typename T>
void KeyOptional(Writer& w, const char* key, const std::optional<T>& value) {
  if (!value) return;
  w.Key(key);
  w.Int64(static_cast<int64_t>(*value));
}

const char* DefaultKindName(SourceDefault::Kind kind) {
  switch (kind) {
    case SourceDefault::Kind::kNone: return "none";
    case SourceDefault::Kind::kNull: return "null";
    case SourceDefault::Kind::kLiteral: return "literal";
    case SourceDefault::Kind::kExpression: return "expression";
  }
  return "none";
}

void WriteColumn(Writer& w, const SourceColumn& c) {
  w.StartObject();
  Key(w, "name", c.name);
  w.Key("ordinal"); w.Int(c.ordinal);
  Key(w, "data_type", c.data_type);
  Key(w, "column_type", c.column_type);
  w.Key("nullable"); w.Bool(c.nullable);
  if (c.is_unsigned) { w.Key("unsigned"); w.Bool(true); }
  if (c.auto_increment) { w.Key("auto_increment"); w.Bool(true); }
  if (c.on_update_current_timestamp) { w.Key("on_update_current_timestamp"); w.Bool(true); }
  if (c.default_value.kind != SourceDefault::Kind::kNone) {
    w.Key("default");
    w.StartObject();
    w.Key("kind"); w.String(DefaultKindName(c.default_value.kind));
    if (!c.default_value.text.empty()) Key(w, "text", c.default_value.text);
    w.EndObject();
  }
  if (!c.charset.empty()) Key(w, "charset", c.charset);
  if (!c.collation.empty()) Key(w, "collation", c.collation);
  KeyOptional(w, "char_max_length", c.char_max_length);
  KeyOptional(w, "numeric_precision", c.numeric_precision);
  KeyOptional(w, "numeric_scale", c.numeric_scale);
  KeyOptional(w, "datetime_precision", c.datetime_precision);
  if (!c.generation_expression.empty()) {
    Key(w, "generation_expression", c.generation_expression);
    w.Key("generated_stored"); w.Bool(c.generated_stored);
  }
  if (!c.comment.empty()) Key(w, "comment", c.comment);
  w.EndObject();
}

void WriteStrings(Writer& w, const char* key, const std::vector<std::string>& values) {
  w.Key(key);
  w.StartArray();
  for (const auto& v : values) w.String(v.c_str(), static_cast<rapidjson::SizeType>(v.size()));
  w.EndArray();
}

// Reads with a JSON pointer kept for error messages.
class Reader {
 public:
  Reader(const rapidjson::Value& value, std::string pointer, const std::string& origin)
      : value_(value), pointer_(std::move(pointer)), origin_(origin) {}

  [[noreturn]] void Fail(const std::string& what) const {
    throw Error(ErrorCategory::kRules, origin_ + ": " + (pointer_.empty() ? "/" : pointer_) + ": " + what);
  }
  bool Has(const char* key) const { return value_.IsObject() && value_.HasMember(key); }
  Reader Get(const char* key) const {
    if (!value_.IsObject()) Fail("expected an object");
    auto it = value_.FindMember(key);
    if (it == value_.MemberEnd()) Fail(std::string("missing '") + key + "'");
    return Reader(it->value, pointer_ + "/" + key, origin_);
  }
  std::string String() const {
    if (!value_.IsString()) Fail("expected a string");
    return std::string(value_.GetString(), value_.GetStringLength());
  }
  std::string String(const char* key, const std::string& fallback = "") const {
    return Has(key) ? Get(key).String() : fallback;
  }
  int64_t Int(const char* key, int64_t fallback = 0) const {
    if (!Has(key)) return fallback;
    Reader r = Get(key);
    if (!r.value_.IsInt64()) r.Fail("expected an integer");
    return r.value_.GetInt64();
  }
  template <typename T>
  std::optional<T> OptionalInt(const char* key) const {
    if (!Has(key)) return std::nullopt;
    return static_cast<T>(Int(key));
  }
  bool Bool(const char* key, bool fallback = false) const {
    if (!Has(key)) return fallback;
    Reader r = Get(key);
    if (!r.value_.IsBool()) r.Fail("expected true or false");
    return r.value_.GetBool();
  }
  std::vector<Reader> Array(const char* key) const {
    std::vector<Reader> items;
    if (!Has(key)) return items;
    Reader r = Get(key);
    if (!r.value_.IsArray()) r.Fail("expected an array");
    for (rapidjson::SizeType i = 0; i < r.value_.Size(); ++i) {
      items.emplace_back(r.value_[i], r.pointer_ + "/" + std::to_string(i), origin_);
    }
    return items;
  }
  std::vector<std::string> Strings(const char* key) const {
    std::vector<std::string> out;
    for (const auto& item : Array(key)) out.push_back(item.String());
    return out;
  }

 private:
  const rapidjson::Value& value_;
  std::string pointer_;
  const std::string& origin_;
};

}  // namespace

std::string WriteCatalogJson(const SourceCatalog& catalog) {
  rapidjson::StringBuffer buffer;
  Writer w(buffer);
  w.SetIndent(' ', 2);
  w.StartObject();
  w.Key("format"); w.String("my2pg-catalog/1");
  Key(w, "database", catalog.database);
  Key(w, "server_version", catalog.server_version);
  Key(w, "default_charset", catalog.default_charset);
  Key(w, "default_collation", catalog.default_collation);
  w.Key("tables");
  w.StartArray();
  for (const auto& t : catalog.tables) {
    w.StartObject();
    Key(w, "name", t.name);
    Key(w, "engine", t.engine);
    if (!t.collation.empty()) Key(w, "collation", t.collation);
    if (!t.comment.empty()) Key(w, "comment", t.comment);
    w.Key("row_estimate"); w.Int64(t.row_estimate);
    w.Key("data_bytes"); w.Int64(t.data_bytes);
    if (t.auto_increment) { w.Key("auto_increment"); w.Uint64(*t.auto_increment); }
    w.Key("columns");
    w.StartArray();
    for (const auto& c : t.columns) WriteColumn(w, c);
    w.EndArray();
    w.Key("indexes");
    w.StartArray();
    for (const auto& index : t.indexes) {
      w.StartObject();
      Key(w, "name", index.name);
      w.Key("unique"); w.Bool(index.unique);
      Key(w, "kind", index.kind);
      w.Key("parts");
      w.StartArray();
      for (const auto& part : index.parts) {
        w.StartObject();
        Key(w, "column", part.column);
        KeyOptional(w, "prefix_length", part.prefix_length);
        if (part.descending) { w.Key("descending"); w.Bool(true); }
        w.EndObject();
      }
      w.EndArray();
      w.EndObject();
    }
    w.EndArray();
    w.Key("foreign_keys");
    w.StartArray();
    for (const auto& key : t.foreign_keys) {
      w.StartObject();
      Key(w, "name", key.name);
      WriteStrings(w, "columns", key.columns);
      Key(w, "referenced_table", key.referenced_table);
      WriteStrings(w, "referenced_columns", key.referenced_columns);
      Key(w, "on_delete", key.on_delete);
      Key(w, "on_update", key.on_update);
      w.EndObject();
    }
    w.EndArray();
    w.EndObject();
  }
  w.EndArray();
  w.Key("other_objects");
  w.StartArray();
  for (const auto& object : catalog.other_objects) {
    w.StartObject();
    Key(w, "kind", object.kind);
    Key(w, "name", object.name);
    if (!object.table.empty()) Key(w, "table", object.table);
    Key(w, "definition", object.definition);
    w.EndObject();
  }
  w.EndArray();
  if (catalog.grants) {
    w.Key("grants");
    w.StartArray();
    for (const auto& grant : *catalog.grants) {
      w.StartObject();
      Key(w, "user", grant.user);
      Key(w, "host", grant.host);
      if (!grant.table.empty()) Key(w, "table", grant.table);
      WriteStrings(w, "privileges", grant.privileges);
      w.EndObject();
    }
    w.EndArray();
  }
  if (!catalog.grants_problem.empty()) Key(w, "grants_problem", catalog.grants_problem);
  w.EndObject();
  return std::string(buffer.GetString(), buffer.GetSize()) + "\n";
}

SourceCatalog ReadCatalogJson(const std::string& json, const std::string& origin) {
  rapidjson::Document document;
  document.Parse(json.c_str(), json.size());
  if (document.HasParseError()) {
    throw Error(ErrorCategory::kRules, origin + ": invalid JSON at offset " +
                                           std::to_string(document.GetErrorOffset()) + ": " +
                                           rapidjson::GetParseError_En(document.GetParseError()));
  }
  Reader root(document, "", origin);
  if (root.String("format") != "my2pg-catalog/1") {
    root.Fail("not a my2pg catalog snapshot (expected \"format\": \"my2pg-catalog/1\")");
  }
  SourceCatalog catalog;
  catalog.database = root.Get("database").String();
  catalog.server_version = root.String("server_version");
  catalog.default_charset = root.String("default_charset");
  catalog.default_collation = root.String("default_collation");
  for (const auto& t : root.Array("tables")) {
    SourceTable table;
    table.name = t.Get("name").String();
    table.engine = t.String("engine");
    table.collation = t.String("collation");
    table.comment = t.String("comment");
    table.row_estimate = t.Int("row_estimate");
    table.data_bytes = t.Int("data_bytes");
    if (t.Has("auto_increment")) table.auto_increment = t.Int("auto_increment");
    int ordinal = 0;
    for (const auto& c : t.Array("columns")) {
      SourceColumn column;
      column.name = c.Get("name").String();
      column.ordinal = static_cast<int>(c.Int("ordinal", ordinal + 1));
      ordinal = column.ordinal;
      column.data_type = c.Get("data_type").String();
      column.column_type = c.String("column_type", column.data_type);
      column.nullable = c.Bool("nullable", true);
      column.is_unsigned = c.Bool("unsigned");
      column.auto_increment = c.Bool("auto_increment");
      column.on_update_current_timestamp = c.Bool("on_update_current_timestamp");
      if (c.Has("default")) {
        Reader d = c.Get("default");
        std::string kind = d.Get("kind").String();
        if (kind == "null") column.default_value.kind = SourceDefault::Kind::kNull;
        else if (kind == "literal") column.default_value.kind = SourceDefault::Kind::kLiteral;
        else if (kind == "expression") column.default_value.kind = SourceDefault::Kind::kExpression;
        else if (kind != "none") d.Get("kind").Fail("expected none, null, literal or expression");
        column.default_value.text = d.String("text");
      }
      column.charset = c.String("charset");
      column.collation = c.String("collation");
      column.char_max_length = c.OptionalInt<int64_t>("char_max_length");
      column.numeric_precision = c.OptionalInt<int>("numeric_precision");
      column.numeric_scale = c.OptionalInt<int>("numeric_scale");
      column.datetime_precision = c.OptionalInt<int>("datetime_precision");
      if (column.data_type == "enum" || column.data_type == "set") {
        column.labels = ParseEnumLabels(column.column_type);
      }
      column.generation_expression = c.String("generation_expression");
      column.generated_stored = c.Bool("generated_stored");
      column.comment = c.String("comment");
      table.columns.push_back(std::move(column));
    }
    for (const auto& i : t.Array("indexes")) {
      SourceIndex index;
      index.name = i.Get("name").String();
      index.unique = i.Bool("unique");
      index.kind = i.String("kind", "BTREE");
      for (const auto& p : i.Array("parts")) {
        SourceIndexPart part;
        part.column = p.Get("column").String();
        part.prefix_length = p.OptionalInt<int>("prefix_length");
        part.descending = p.Bool("descending");
        index.parts.push_back(std::move(part));
      }
      table.indexes.push_back(std::move(index));
    }
    for (const auto& k : t.Array("foreign_keys")) {
      SourceForeignKey key;
      key.name = k.Get("name").String();
      key.columns = k.Strings("columns");
      key.referenced_table = k.Get("referenced_table").String();
      key.referenced_columns = k.Strings("referenced_columns");
      key.on_delete = k.String("on_delete", "RESTRICT");
      key.on_update = k.String("on_update", "RESTRICT");
      table.foreign_keys.push_back(std::move(key));
    }
    catalog.tables.push_back(std::move(table));
  }
  for (const auto& o : root.Array("other_objects")) {
    catalog.other_objects.push_back(
        {o.Get("kind").String(), o.Get("name").String(), o.String("table"), o.String("definition")});
  }
  // Absent: a snapshot taken by an account that could not read the grants,
  // or by an older my2pg.
  if (root.Has("grants")) {
    catalog.grants.emplace();
    for (const auto& g : root.Array("grants")) {
      catalog.grants->push_back(
          {g.Get("user").String(), g.Get("host").String(), g.String("table"), g.Strings("privileges")});
    }
  }
  catalog.grants_problem = root.String("grants_problem");
  return catalog;
}

}  // namespace my2pg
