#include "rules/rules.h"

#include <date/date.h>
#include <date/tz.h>
#include <re2/re2.h>

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include "common/error.h"
#include "common/strings.h"
#include "rules/json_source.h"

namespace my2pg {

extern const char kDefaultRulesJson[];  // defaults.json, embedded by CMake

namespace {

using Value = rapidjson::Value;

const std::map<std::string, std::set<std::string>>& OptionValues() {
  // An empty set: any string.
  static const std::map<std::string, std::set<std::string>> kOptions = {
      {"target_schema", {}},
      {"legacy_schema", {}},
      {"name_case", {"keep", "lower"}},
      {"enum_mode", {"type", "check"}},
      {"bigint_unsigned", {"numeric", "bigint"}},
      {"geometry", {"bytea", "postgis"}},
  };
  return kOptions;
}

struct PolicySpec {
  Policy ConversionPolicies::*field;
  std::set<Policy> values;
  std::string ConversionPolicies::*sentinel;  // null: no date literal allowed
};

const std::map<std::string, PolicySpec>& PolicySpecs() {
  using P = Policy;
  using C = ConversionPolicies;
  static const std::map<std::string, PolicySpec> kSpecs = {
      {"zero_date", {&C::zero_date, {P::kNull, P::kReject, P::kNegativeInfinity}, &C::zero_date_sentinel}},
      {"invalid_date", {&C::invalid_date, {P::kNull, P::kReject}, &C::invalid_date_sentinel}},
      {"invalid_text", {&C::invalid_text, {P::kReplace, P::kEscape, P::kReject}, nullptr}},
      {"nul_bytes", {&C::nul_bytes, {P::kStrip, P::kReject}, nullptr}},
      {"stray_boolean", {&C::stray_boolean, {P::kTrue, P::kNull, P::kReject}, nullptr}},
      {"time_out_of_range", {&C::time_out_of_range, {P::kNull, P::kReject}, nullptr}},
      {"zero_year", {&C::zero_year, {P::kNull, P::kReject}, nullptr}},
      {"mojibake", {&C::mojibake, {P::kKeep, P::kRepair}, nullptr}},
      {"invalid_json", {&C::invalid_json, {P::kReject, P::kNull}, nullptr}},
      {"timezone", {nullptr, {}, nullptr}},
      {"dst_gap", {&C::dst_gap, {P::kShift, P::kNull, P::kReject}, nullptr}},
      {"dst_overlap", {&C::dst_overlap, {P::kEarlier, P::kLater, P::kNull, P::kReject}, nullptr}},
  };
  return kSpecs;
}

// The policy "text" names among "spec"'s values, or nullopt.
std::optional<Policy> ParsePolicy(const PolicySpec& spec, const std::string& text) {
  for (Policy policy : spec.values) {
    if (text == ToString(policy)) return policy;
  }
  return std::nullopt;
}

// A sentinel: an existing day from year 1, optionally with a time of day.
bool IsDateLiteral(const std::string& text) {
  static const RE2 kDate(R"((\d{4})-(\d{2})-(\d{2})(?: ([01]\d|2[0-3]):[0-5]\d:[0-5]\d)?)");
  int year, month, day;
  if (!RE2::FullMatch(text, kDate, &year, &month, &day)) return false;
  date::year_month_day ymd{date::year{year}, date::month{static_cast<unsigned>(month)},
                           date::day{static_cast<unsigned>(day)}};
  return year >= 1 && ymd.ok();
}

std::string Join(const std::set<std::string>& values) {
  return my2pg::Join(std::vector<std::string>(values.begin(), values.end()), ", ");
}

std::string Join(const std::set<Policy>& values) {
  std::set<std::string> names;
  for (Policy policy : values) names.insert(ToString(policy));
  return Join(names);
}

// Sets the policy of "key" from "text", already validated.
void SetPolicy(const PolicySpec& spec, const std::string& text, ConversionPolicies& policies) {
  if (std::optional<Policy> policy = ParsePolicy(spec, text)) {
    policies.*(spec.field) = *policy;
    if (spec.sentinel != nullptr) (policies.*(spec.sentinel)).clear();
    return;
  }
  policies.*(spec.field) = Policy::kSentinel;
  policies.*(spec.sentinel) = text;
}

// Walks one file's DOM; every access knows its JSON pointer.
class FileParser {
 public:
  FileParser(std::shared_ptr<const JsonSource> source, Rules& rules) : source_(std::move(source)), rules_(rules) {}

  void Parse() {
    const Value& root = source_->document();
    if (!root.IsObject()) Fail("", "a rules file is a JSON object");
    CheckKeys(root, "", {"$schema", "$comment", "extends", "options", "conversions", "types", "tables"});
    if (root.HasMember("options")) ParseOptions(root["options"], "/options");
    if (root.HasMember("conversions")) {
      ParseConversions(root["conversions"], "/conversions", rules_.conversions);
    }
    if (root.HasMember("types")) {
      const Value& types = Array(root["types"], "/types");
      for (rapidjson::SizeType i = 0; i < types.Size(); ++i) {
        new_types_.push_back(ParseTypeRule(types[i], "/types/" + std::to_string(i)));
      }
    }
    if (root.HasMember("tables")) {
      const Value& tables = Array(root["tables"], "/tables");
      for (rapidjson::SizeType i = 0; i < tables.Size(); ++i) {
        new_tables_.push_back(ParseTableRule(tables[i], "/tables/" + std::to_string(i)));
      }
    }
    // This file's rules come before those of the file it extends.
    rules_.types.insert(rules_.types.begin(), new_types_.begin(), new_types_.end());
    rules_.tables.insert(rules_.tables.begin(), new_tables_.begin(), new_tables_.end());
  }

 private:
  [[noreturn]] void Fail(const std::string& pointer, const std::string& message) const {
    source_->Fail(pointer, message);
  }
  RuleOrigin Origin(const std::string& pointer) const { return {source_->origin(), pointer, source_}; }

  void CheckKeys(const Value& object, const std::string& pointer,
                 const std::set<std::string>& allowed) const {
    for (auto it = object.MemberBegin(); it != object.MemberEnd(); ++it) {
      std::string key(it->name.GetString(), it->name.GetStringLength());
      if (!allowed.count(key)) {
        Fail(pointer + "/" + key, "unknown key '" + key + "' (expected one of: " + Join(allowed) + ")");
      }
    }
  }
  const Value& Object(const Value& value, const std::string& pointer) const {
    if (!value.IsObject()) Fail(pointer, "expected an object");
    return value;
  }
  const Value& Array(const Value& value, const std::string& pointer) const {
    if (!value.IsArray()) Fail(pointer, "expected an array");
    return value;
  }
  std::string String(const Value& value, const std::string& pointer) const {
    if (!value.IsString()) Fail(pointer, "expected a string");
    std::string text(value.GetString(), value.GetStringLength());
    if (text.empty()) Fail(pointer, "must not be empty");
    return text;
  }
  bool Bool(const Value& value, const std::string& pointer) const {
    if (!value.IsBool()) Fail(pointer, "expected true or false");
    return value.GetBool();
  }
  NamePattern Pattern(const Value& value, const std::string& pointer, bool force_regex = false) const {
    std::string text = String(value, pointer);
    if (force_regex) text = "/" + text + "/";
    try {
      return NamePattern(text, Origin(pointer));
    } catch (const Error& e) {
      std::string message = e.what();
      Fail(pointer, message.substr(message.find("bad regex")));
    }
  }

  void ParseOptions(const Value& value, const std::string& pointer) {
    Object(value, pointer);
    for (auto it = value.MemberBegin(); it != value.MemberEnd(); ++it) {
      std::string key(it->name.GetString(), it->name.GetStringLength());
      std::string key_pointer = pointer + "/" + key;
      auto spec = OptionValues().find(key);
      if (spec == OptionValues().end()) {
        std::set<std::string> names;
        for (const auto& [name, _] : OptionValues()) names.insert(name);
        Fail(key_pointer, "unknown option '" + key + "' (expected one of: " + Join(names) + ")");
      }
      std::string text = String(it->value, key_pointer);
      if (!spec->second.empty() && !spec->second.count(text)) {
        Fail(key_pointer, "'" + text + "' is not one of: " + Join(spec->second));
      }
      rules_.options[key] = text;
      rules_.option_origins[key] = Origin(key_pointer);
    }
  }

  std::map<std::string, std::string> ParseConversions(const Value& value, const std::string& pointer,
                                                      ConversionPolicies& out) {
    std::map<std::string, std::string> keys;
    Object(value, pointer);
    for (auto it = value.MemberBegin(); it != value.MemberEnd(); ++it) {
      std::string key(it->name.GetString(), it->name.GetStringLength());
      std::string key_pointer = pointer + "/" + key;
      auto spec = PolicySpecs().find(key);
      if (spec == PolicySpecs().end()) {
        std::set<std::string> names;
        for (const auto& [name, _] : PolicySpecs()) names.insert(name);
        Fail(key_pointer, "unknown conversion '" + key + "' (expected one of: " + Join(names) + ")");
      }
      std::string text = String(it->value, key_pointer);
      if (key == "timezone") {
        try {
          date::locate_zone(text);
        } catch (const std::exception&) {
          Fail(key_pointer, "unknown time zone '" + text + "' (an IANA name such as Europe/Paris)");
        }
        out.timezone = text;
        keys[key] = text;
        continue;
      }
      bool date_literal = spec->second.sentinel != nullptr;
      bool ok = ParsePolicy(spec->second, text) || (date_literal && IsDateLiteral(text));
      if (!ok) {
        Fail(key_pointer, "'" + text + "' is not one of: " + Join(spec->second.values) +
                              (date_literal ? ", or a date 'YYYY-MM-DD' or 'YYYY-MM-DD HH:MM:SS'" : ""));
      }
      SetPolicy(spec->second, text, out);
      keys[key] = text;
    }
    return keys;
  }

  TypeRule ParseTypeRule(const Value& value, const std::string& pointer) {
    Object(value, pointer);
    CheckKeys(value, pointer, {"$comment", "match", "type"});
    if (!value.HasMember("match")) Fail(pointer, "missing 'match'");
    if (!value.HasMember("type")) Fail(pointer, "missing 'type'");
    TypeRule rule;
    rule.origin = Origin(pointer);
    rule.type = String(value["type"], pointer + "/type");
    std::string match_pointer = pointer + "/match";
    const Value& match = Object(value["match"], match_pointer);
    CheckKeys(match, match_pointer, {"data_type", "column_type", "unsigned", "auto_increment", "precision", "scale", "nullable",
                                        "default", "table", "column", "option"});
    if (match.HasMember("data_type")) {
      const Value& data_type = match["data_type"];
      std::string p = match_pointer + "/data_type";
      if (data_type.IsArray()) {
        for (rapidjson::SizeType i = 0; i < data_type.Size(); ++i) {
          rule.data_types.push_back(String(data_type[i], p + "/" + std::to_string(i)));
        }
      } else {
        rule.data_types.push_back(String(data_type, p));
      }
    }
    if (match.HasMember("column_type")) {
      // A regex always, searched anywhere in COLUMN_TYPE.
      rule.column_type = Pattern(match["column_type"], match_pointer + "/column_type", true);
    }
    if (match.HasMember("unsigned")) rule.is_unsigned = Bool(match["unsigned"], match_pointer + "/unsigned");
    for (const char* key : {"precision", "scale"}) {
      if (!match.HasMember(key)) continue;
      std::string p = match_pointer + "/" + key;
      if (!match[key].IsInt() || match[key].GetInt() < 0) Fail(p, "expected a whole number");
      (std::string(key) == "precision" ? rule.precision : rule.scale) = match[key].GetInt();
    }
    if (match.HasMember("nullable")) rule.nullable = Bool(match["nullable"], match_pointer + "/nullable");
    if (match.HasMember("default")) rule.default_value = Pattern(match["default"], match_pointer + "/default", true);
    if (match.HasMember("auto_increment")) {
      rule.auto_increment = Bool(match["auto_increment"], match_pointer + "/auto_increment");
    }
    if (match.HasMember("table")) rule.table = Pattern(match["table"], match_pointer + "/table");
    if (match.HasMember("column")) rule.column = Pattern(match["column"], match_pointer + "/column");
    if (match.HasMember("option")) {
      std::string p = match_pointer + "/option";
      const Value& options = Object(match["option"], p);
      for (auto it = options.MemberBegin(); it != options.MemberEnd(); ++it) {
        std::string key(it->name.GetString(), it->name.GetStringLength());
        if (!OptionValues().count(key)) Fail(p + "/" + key, "unknown option '" + key + "'");
        rule.options[key] = String(it->value, p + "/" + key);
      }
    }
    return rule;
  }

  TableRule ParseTableRule(const Value& value, const std::string& pointer) {
    Object(value, pointer);
    CheckKeys(value, pointer, {"$comment", "match", "rename", "skip", "schema", "primary_key", "surrogate_key",
                               "filter", "conversions", "columns", "foreign_keys"});
    if (!value.HasMember("match")) Fail(pointer, "missing 'match' (a table name or /regex/)");
    TableRule rule;
    rule.origin = Origin(pointer);
    rule.match = Pattern(value["match"], pointer + "/match");
    if (value.HasMember("rename")) rule.rename = String(value["rename"], pointer + "/rename");
    if (value.HasMember("skip")) rule.skip = Bool(value["skip"], pointer + "/skip");
    if (value.HasMember("schema")) rule.schema = String(value["schema"], pointer + "/schema");
    if (value.HasMember("filter")) rule.filter = String(value["filter"], pointer + "/filter");
    if (value.HasMember("primary_key")) {
      rule.primary_key = Names(value["primary_key"], pointer + "/primary_key");
    }
    if (value.HasMember("surrogate_key")) {
      rule.surrogate_key = String(value["surrogate_key"], pointer + "/surrogate_key");
      if (!rule.primary_key.empty()) Fail(pointer + "/surrogate_key", "give primary_key or surrogate_key, not both");
    }
    if (value.HasMember("conversions")) {
      ConversionPolicies ignored;
      rule.conversion_keys = ParseConversions(value["conversions"], pointer + "/conversions", ignored);
    }
    if (value.HasMember("columns")) {
      std::string p = pointer + "/columns";
      const Value& columns = Array(value["columns"], p);
      for (rapidjson::SizeType i = 0; i < columns.Size(); ++i) {
        rule.columns.push_back(ParseColumnRule(columns[i], p + "/" + std::to_string(i)));
      }
    }
    if (value.HasMember("foreign_keys")) {
      std::string p = pointer + "/foreign_keys";
      const Value& keys = Array(value["foreign_keys"], p);
      for (rapidjson::SizeType i = 0; i < keys.Size(); ++i) {
        rule.foreign_keys.push_back(ParseForeignKeyRule(keys[i], p + "/" + std::to_string(i)));
      }
    }
    return rule;
  }

  // A non-empty array of non-empty strings, each at most once.
  std::vector<std::string> Names(const Value& value, const std::string& pointer) const {
    const Value& names = Array(value, pointer);
    if (names.Empty()) Fail(pointer, "must name at least one column");
    std::vector<std::string> result;
    for (rapidjson::SizeType i = 0; i < names.Size(); ++i) {
      std::string name = String(names[i], pointer + "/" + std::to_string(i));
      if (std::find(result.begin(), result.end(), name) != result.end()) {
        Fail(pointer + "/" + std::to_string(i), "column '" + name + "' is named twice");
      }
      result.push_back(name);
    }
    return result;
  }

  // {"columns": ["tenant_id", "order_id"], "references": {"table": "orders", "columns": ["tenant_id", "id"]}}
  ForeignKeyRule ParseForeignKeyRule(const Value& value, const std::string& pointer) {
    Object(value, pointer);
    CheckKeys(value, pointer, {"$comment", "columns", "references"});
    if (!value.HasMember("columns")) Fail(pointer, "missing 'columns' (the child columns, source names)");
    if (!value.HasMember("references")) Fail(pointer, "missing 'references' (the parent table and columns)");
    ForeignKeyRule rule;
    rule.origin = Origin(pointer);
    rule.columns = Names(value["columns"], pointer + "/columns");
    rule.references = ParseReference(value["references"], pointer + "/references");
    if (!rule.references.columns.empty() && rule.references.columns.size() != rule.columns.size()) {
      Fail(pointer + "/references/columns",
           std::to_string(rule.columns.size()) + " column" + (rule.columns.size() == 1 ? "" : "s") +
               " cannot reference " + std::to_string(rule.references.columns.size()) +
               " (give one parent column per child column, in order)");
    }
    return rule;
  }

  // {"trim": true} {"upper": true} {"lower": true} {"empty_to_null": true}
  // {"replace": {"pattern": "...", "with": "..."}} {"map": {"fr": "FR"}}
  // {"null_if": ["", "N/A"]} {"null_if_match": "^\\s*$"}
  CleanupStep ParseCleanupStep(const Value& value, const std::string& pointer) {
    Object(value, pointer);
    CheckKeys(value, pointer, {"trim", "upper", "lower", "empty_to_null", "replace", "map", "null_if", "null_if_match"});
    if (value.MemberCount() != 1) Fail(pointer, "a cleanup step has exactly one key");
    std::string key = value.MemberBegin()->name.GetString();
    const Value& argument = value.MemberBegin()->value;
    std::string p = pointer + "/" + key;
    CleanupStep step;
    if (key == "trim" || key == "upper" || key == "lower" || key == "empty_to_null") {
      if (!Bool(argument, p)) Fail(p, "write true, or leave the step out");
      step.kind = key == "trim" ? CleanupStep::Kind::kTrim : key == "upper" ? CleanupStep::Kind::kUpper
                : key == "lower" ? CleanupStep::Kind::kLower : CleanupStep::Kind::kEmptyToNull;
    } else if (key == "replace") {
      Object(argument, p);
      CheckKeys(argument, p, {"pattern", "with"});
      if (!argument.HasMember("pattern")) Fail(p, "missing 'pattern'");
      step.kind = CleanupStep::Kind::kReplace;
      step.pattern = CompileRegex(String(argument["pattern"], p + "/pattern"), p + "/pattern");
      if (argument.HasMember("with")) {
        if (!argument["with"].IsString()) Fail(p + "/with", "expected a string");
        step.replacement = argument["with"].GetString();
      }
      std::string error;
      if (!step.pattern->CheckRewriteString(step.replacement, &error)) Fail(p + "/with", error);
    } else if (key == "map") {
      Object(argument, p);
      step.kind = CleanupStep::Kind::kMap;
      for (auto it = argument.MemberBegin(); it != argument.MemberEnd(); ++it) {
        std::string from(it->name.GetString(), it->name.GetStringLength());
        if (!it->value.IsString()) Fail(p + "/" + from, "expected a string");
        step.map[from] = std::string(it->value.GetString(), it->value.GetStringLength());
      }
    } else if (key == "null_if") {
      const Value& values = Array(argument, p);
      step.kind = CleanupStep::Kind::kNullIf;
      for (rapidjson::SizeType i = 0; i < values.Size(); ++i) {
        if (!values[i].IsString()) Fail(p + "/" + std::to_string(i), "expected a string");
        step.values.push_back(std::string(values[i].GetString(), values[i].GetStringLength()));
      }
    } else {
      step.kind = CleanupStep::Kind::kNullIfMatch;
      step.pattern = CompileRegex(String(argument, p), p);
    }
    return step;
  }

  std::shared_ptr<const re2::RE2> CompileRegex(const std::string& pattern, const std::string& pointer) const {
    auto regex = std::make_shared<re2::RE2>(pattern, RE2::Quiet);
    if (!regex->ok()) Fail(pointer, "bad regex /" + pattern + "/: " + regex->error());
    return regex;
  }

  ColumnRule ParseColumnRule(const Value& column, const std::string& cp) {
    Object(column, cp);
    CheckKeys(column, cp, {"$comment", "match", "rename", "skip", "type", "nullable", "default", "references",
                           "conversions", "cleanup"});
    if (!column.HasMember("match")) Fail(cp, "missing 'match' (a column name or /regex/)");
    ColumnRule rule;
    rule.origin = Origin(cp);
    rule.match = Pattern(column["match"], cp + "/match");
    if (column.HasMember("rename")) rule.rename = String(column["rename"], cp + "/rename");
    if (column.HasMember("skip")) rule.skip = Bool(column["skip"], cp + "/skip");
    if (column.HasMember("type")) rule.type = String(column["type"], cp + "/type");
    if (column.HasMember("nullable")) rule.nullable = Bool(column["nullable"], cp + "/nullable");
    if (column.HasMember("default")) {
      rule.has_default = true;
      if (!column["default"].IsNull()) rule.default_sql = String(column["default"], cp + "/default");
    }
    if (column.HasMember("conversions")) {
      ConversionPolicies ignored;
      rule.conversion_keys = ParseConversions(column["conversions"], cp + "/conversions", ignored);
    }
    if (column.HasMember("cleanup")) {
      std::string p = cp + "/cleanup";
      const Value& steps = Array(column["cleanup"], p);
      for (rapidjson::SizeType i = 0; i < steps.Size(); ++i) {
        rule.cleanup.push_back(ParseCleanupStep(steps[i], p + "/" + std::to_string(i)));
      }
    }
    if (column.HasMember("references")) {
      rule.references = ParseReference(column["references"], cp + "/references");
      if (rule.references->columns.size() > 1) {
        Fail(cp + "/references/columns", "one column cannot reference " +
                                              std::to_string(rule.references->columns.size()) +
                                              " (a key of several columns goes in the table's foreign_keys)");
      }
    }
    return rule;
  }

  // {"table": "client", "column": "id" | "columns": [..], "on_delete": .., "orphans": ..}
  ReferenceRule ParseReference(const Value& value, const std::string& rp) const {
    const Value& ref = Object(value, rp);
    CheckKeys(ref, rp, {"$comment", "table", "column", "columns", "on_delete", "orphans"});
    if (!ref.HasMember("table")) Fail(rp, "missing 'table' (the parent table's source name)");
    ReferenceRule reference;
    reference.table = String(ref["table"], rp + "/table");
    if (ref.HasMember("column") && ref.HasMember("columns")) Fail(rp + "/columns", "give column or columns, not both");
    if (ref.HasMember("column")) reference.columns = {String(ref["column"], rp + "/column")};
    if (ref.HasMember("columns")) reference.columns = Names(ref["columns"], rp + "/columns");
    if (ref.HasMember("on_delete")) {
      static const std::set<std::string> kActions = {"NO ACTION", "RESTRICT", "CASCADE", "SET NULL", "SET DEFAULT"};
      std::string action = String(ref["on_delete"], rp + "/on_delete");
      for (char& c : action) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
      if (!kActions.count(action)) Fail(rp + "/on_delete", "'" + action + "' is not one of: " + Join(kActions));
      reference.on_delete = action;
    }
    if (ref.HasMember("orphans")) {
      static const PolicySpec kOrphans = {nullptr, {Policy::kReject, Policy::kNull, Policy::kKeep}, nullptr};
      std::string text = String(ref["orphans"], rp + "/orphans");
      std::optional<Policy> orphans = ParsePolicy(kOrphans, text);
      if (!orphans) Fail(rp + "/orphans", "'" + text + "' is not one of: " + Join(kOrphans.values));
      reference.orphans = *orphans;
    }
    return reference;
  }

  std::shared_ptr<const JsonSource> source_;
  Rules& rules_;
  std::vector<TypeRule> new_types_;
  std::vector<TableRule> new_tables_;
};

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw Error(ErrorCategory::kRules, path + ": cannot read the file");
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

void LoadInto(const std::string& json, const std::string& origin, const std::string& directory,
              Rules& rules, int depth) {
  if (depth > 8) throw Error(ErrorCategory::kRules, origin + ": 'extends' nests too deep (a cycle?)");
  auto shared_source = std::make_shared<const JsonSource>(json, origin);
  const JsonSource& source = *shared_source;
  const Value& root = source.document();
  std::string base = "defaults";
  if (root.IsObject() && root.HasMember("extends")) {
    if (!root["extends"].IsString()) source.Fail("/extends", "expected a string: \"defaults\", \"none\" or a file path");
    base = root["extends"].GetString();
  }
  if (base == "defaults") {
    if (origin != "defaults.json") LoadInto(kDefaultRulesJson, "defaults.json", "", rules, depth + 1);
  } else if (base != "none") {
    std::filesystem::path base_path = std::filesystem::path(directory) / base;
    if (!std::filesystem::exists(base_path)) source.Fail("/extends", "no such file: " + base_path.string());
    LoadInto(ReadFile(base_path.string()), base_path.string(), base_path.parent_path().string(), rules,
             depth + 1);
  }
  rules.files.push_back(origin);
  FileParser(shared_source, rules).Parse();
}

// Checks that need every file loaded: the legacy schema holds my2pg's views
// only, so it can be neither the target schema nor a table's schema.
void CheckSchemas(const Rules& rules) {
  const std::string legacy = rules.Option("legacy_schema");
  if (legacy.empty()) return;
  const RuleOrigin& origin = rules.option_origins.at("legacy_schema");
  auto fail = [](const std::string& where, const std::string& message) {
    throw Error(ErrorCategory::kRules, where + ": " + message);
  };
  const std::string target = rules.Option("target_schema").empty() ? "public" : rules.Option("target_schema");
  if (legacy == target) {
    fail(origin.Where(), "'" + legacy + "' is the target schema; the legacy schema must be another one "
                         "(its views would sit among the migrated tables)");
  }
  if (legacy.rfind("pg_", 0) == 0) {
    fail(origin.Where(), "'" + legacy + "': names starting with pg_ are reserved by PostgreSQL");
  }
  for (const TableRule& table : rules.tables) {
    if (table.schema && *table.schema == legacy) {
      fail(table.origin.Where("/schema"),
           "'" + legacy + "' is the legacy schema (options.legacy_schema); a table cannot go there");
    }
  }
}

}  // namespace

NamePattern::NamePattern(const std::string& text, const RuleOrigin& origin) : text_(text) {
  if (text.size() >= 2 && text.front() == '/' && text.back() == '/') {
    auto regex = std::make_shared<re2::RE2>(text.substr(1, text.size() - 2), RE2::Quiet);
    if (!regex->ok()) {
      throw Error(ErrorCategory::kRules, origin.file + ": " + origin.pointer + ": bad regex " + text +
                                             ": " + regex->error());
    }
    regex_ = std::move(regex);
  }
}

bool NamePattern::Matches(const std::string& name) const {
  if (!regex_) return name == text_;
  return RE2::PartialMatch(name, *regex_);
}

std::string RuleOrigin::Where(const std::string& suffix) const {
  std::string location = source ? source->Locate(pointer + suffix) : file;
  return location + ": " + pointer + suffix;
}

void ApplyConversions(const std::map<std::string, std::string>& keys, ConversionPolicies& policies) {
  for (const auto& [key, value] : keys) {
    if (key == "timezone") {
      policies.timezone = value;
    } else {
      SetPolicy(PolicySpecs().at(key), value, policies);
    }
  }
}

const char* ToString(Policy policy) {
  switch (policy) {
    case Policy::kNull: return "null";
    case Policy::kReject: return "reject";
    case Policy::kNegativeInfinity: return "-infinity";
    case Policy::kSentinel: return "sentinel";
    case Policy::kReplace: return "replace";
    case Policy::kEscape: return "escape";
    case Policy::kStrip: return "strip";
    case Policy::kTrue: return "true";
    case Policy::kKeep: return "keep";
    case Policy::kRepair: return "repair";
    case Policy::kShift: return "shift";
    case Policy::kEarlier: return "earlier";
    case Policy::kLater: return "later";
  }
  return "?";
}

std::string DatePolicyText(Policy policy, const std::string& sentinel) {
  return policy == Policy::kSentinel ? sentinel : ToString(policy);
}

std::string Rules::Option(const std::string& name) const {
  auto it = options.find(name);
  return it == options.end() ? std::string() : it->second;
}

const Rules& DefaultRules() {
  static const Rules kRules = [] {
    Rules rules;
    LoadInto(kDefaultRulesJson, "defaults.json", "", rules, 0);
    return rules;
  }();
  return kRules;
}

Rules LoadRulesFile(const std::string& path) {
  Rules rules;
  LoadInto(ReadFile(path), path, std::filesystem::path(path).parent_path().string(), rules, 0);
  CheckSchemas(rules);
  return rules;
}

Rules LoadRulesText(const std::string& json, const std::string& origin) {
  Rules rules;
  LoadInto(json, origin, ".", rules, 0);
  CheckSchemas(rules);
  return rules;
}

}  // namespace my2pg
