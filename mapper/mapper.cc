#include "mapper/mapper.h"

#include <rapidjson/document.h>

#include <algorithm>
#include <cctype>
#include <functional>
#include <map>
#include <set>

#include "common/error.h"
#include "common/identifier.h"
#include "common/strings.h"
#include "common/suggest.h"

namespace my2pg {
namespace {


bool IsDateLike(const std::string& data_type) {
  return data_type == "date" || data_type == "datetime" || data_type == "timestamp";
}

bool IsZeroDate(const std::string& text) {
  return text.rfind("0000-00-00", 0) == 0;
}

bool TypeRuleMatches(const TypeRule& rule, const SourceTable& table, const SourceColumn& column,
                     const Rules& rules) {
  if (!rule.data_types.empty() &&
      std::find(rule.data_types.begin(), rule.data_types.end(), column.data_type) ==
          rule.data_types.end()) {
    return false;
  }
  if (rule.column_type && !rule.column_type->Matches(AsciiLower(column.column_type))) return false;
  if (rule.is_unsigned && *rule.is_unsigned != column.is_unsigned) return false;
  if (rule.auto_increment && *rule.auto_increment != column.auto_increment) return false;
  if (rule.precision && column.numeric_precision != rule.precision) return false;
  if (rule.scale && column.numeric_scale != rule.scale) return false;
  if (rule.nullable && *rule.nullable != column.nullable) return false;
  if (rule.default_value) {
    const SourceDefault& d = column.default_value;
    std::string text = d.kind == SourceDefault::Kind::kNone ? "none"
                       : d.kind == SourceDefault::Kind::kNull ? "null" : d.text;
    if (!rule.default_value->Matches(text)) return false;
  }
  if (rule.table && !rule.table->Matches(table.name)) return false;
  if (rule.column && !rule.column->Matches(column.name)) return false;
  for (const auto& [option, value] : rule.options) {
    if (rules.Option(option) != value) return false;
  }
  return true;
}

const TableRule* FindTableRule(const Rules& rules, const std::string& table_name) {
  for (const auto& rule : rules.tables) {
    if (rule.match.Matches(table_name)) return &rule;
  }
  return nullptr;
}

const ColumnRule* FindColumnRule(const TableRule* table_rule, const std::string& column_name) {
  if (table_rule == nullptr) return nullptr;
  for (const auto& rule : table_rule->columns) {
    if (rule.match.Matches(column_name)) return &rule;
  }
  return nullptr;
}

bool IsDigits(const std::string& text, size_t from, size_t to) {
  if (from >= to) return false;
  for (size_t i = from; i < to; ++i) {
    if (!std::isdigit(static_cast<unsigned char>(text[i]))) return false;
  }
  return true;
}

// An integer literal within the range of "kind": [+-]digits.
bool IsIntegerLiteral(const std::string& text, TargetKind kind) {
  size_t start = !text.empty() && (text[0] == '-' || text[0] == '+') ? 1 : 0;
  if (!IsDigits(text, start, text.size())) return false;
  std::string digits = text.substr(std::min(text.find_first_not_of('0', start), text.size() - 1));
  bool negative = text[0] == '-';
  std::string limit = kind == TargetKind::kSmallint ? (negative ? "32768" : "32767")
                      : kind == TargetKind::kInteger ? (negative ? "2147483648" : "2147483647")
                                                     : (negative ? "9223372036854775808" : "9223372036854775807");
  return digits.size() < limit.size() || (digits.size() == limit.size() && digits <= limit);
}

// A number as SQL writes it: [+-](digits[.digits] | .digits)[e[+-]digits].
bool IsNumberLiteral(const std::string& text) {
  size_t at = !text.empty() && (text[0] == '-' || text[0] == '+') ? 1 : 0;
  size_t digits_end = at;
  while (digits_end < text.size() && std::isdigit(static_cast<unsigned char>(text[digits_end]))) ++digits_end;
  bool whole = digits_end > at;
  at = digits_end;
  if (at < text.size() && text[at] == '.') {
    size_t fraction_end = at + 1;
    while (fraction_end < text.size() && std::isdigit(static_cast<unsigned char>(text[fraction_end]))) ++fraction_end;
    if (!whole && fraction_end == at + 1) return false;
    at = fraction_end;
  } else if (!whole) {
    return false;
  }
  if (at < text.size() && (text[at] == 'e' || text[at] == 'E')) {
    ++at;
    if (at < text.size() && (text[at] == '-' || text[at] == '+')) ++at;
    return IsDigits(text, at, text.size());
  }
  return at == text.size();
}

// "field" of "text" at "at": "digits" digits between "low" and "high".
bool Field(const std::string& text, size_t at, size_t digits, int low, int high, int* value = nullptr) {
  if (at + digits > text.size() || !IsDigits(text, at, at + digits)) return false;
  int number = std::stoi(text.substr(at, digits));
  if (value != nullptr) *value = number;
  return number >= low && number <= high;
}

// YYYY-MM-DD, a day of the calendar.
bool IsDateLiteral(const std::string& text) {
  int year = 0, month = 0, day = 0;
  if (text.size() < 10 || text[4] != '-' || text[7] != '-' || !Field(text, 0, 4, 1, 9999, &year) ||
      !Field(text, 5, 2, 1, 12, &month) || !Field(text, 8, 2, 1, 31, &day)) {
    return false;
  }
  static const int kDays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
  return day <= kDays[month - 1] && (month != 2 || day <= 28 || leap);
}

// HH:MM:SS[.ffffff] from "at" to the end, within a day (24:00:00 included).
bool IsTimeOfDay(const std::string& text, size_t at) {
  int hour = 0;
  if (text.size() < at + 8 || text[at + 2] != ':' || text[at + 5] != ':' || !Field(text, at, 2, 0, 24, &hour) ||
      !Field(text, at + 3, 2, 0, 59) || !Field(text, at + 6, 2, 0, 59)) {
    return false;
  }
  if (hour == 24 && text.compare(at, 8, "24:00:00") != 0) return false;
  if (text.size() == at + 8) return true;
  return text[at + 8] == '.' && text.size() <= at + 15 && IsDigits(text, at + 9, text.size());
}

bool IsTimestampLiteral(const std::string& text) {
  return IsDateLiteral(text.substr(0, 10)) &&
         (text.size() == 10 || ((text[10] == ' ' || text[10] == 'T') && IsTimeOfDay(text, 11)));
}

// The n of varchar(n), char(n), bit(n): 0 when the type has none.
int64_t TypeLength(const std::string& type) {
  size_t open = type.find('('), close = type.find(')');
  if (open == std::string::npos || close == std::string::npos || !IsDigits(type, open + 1, close)) return 0;
  return std::stoll(type.substr(open + 1, close - open - 1));
}

int64_t Utf8Length(const std::string& text) {
  int64_t characters = 0;
  for (char c : text) characters += (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  return characters;
}

// "true"/"false" for the flags MySQL and the text-to-boolean conversion know,
// "" for anything else.
std::string BooleanLiteral(const std::string& text) {
  static const std::set<std::string> kTrue = {"b'1'", "y", "yes", "t", "true", "o", "oui", "on"};
  static const std::set<std::string> kFalse = {"0", "b'0'", "n", "no", "f", "false", "non", "off"};
  std::string lower = AsciiLower(text);
  if (kFalse.count(lower) || (IsIntegerLiteral(text, TargetKind::kBigint) && text.find_first_not_of("+-0") == std::string::npos)) {
    return "false";
  }
  if (kTrue.count(lower) || IsIntegerLiteral(text, TargetKind::kBigint)) return "true";
  return "";
}

// A source literal default as SQL of the target type: a validated number, a
// quoted literal, or "" when it is not a value of that type.
std::string LiteralDefault(const SourceColumn& source, const TargetColumn& target) {
  const std::string& text = source.default_value.text;
  switch (target.kind) {
    case TargetKind::kBoolean:
      return BooleanLiteral(text);
    case TargetKind::kSmallint: case TargetKind::kInteger: case TargetKind::kBigint:
      return IsIntegerLiteral(text, target.kind) ? text : "";
    case TargetKind::kNumeric: case TargetKind::kReal: case TargetKind::kDouble:
      return IsNumberLiteral(text) ? text : "";
    case TargetKind::kDate:
      return IsDateLiteral(text) && text.size() == 10 ? QuotePgLiteral(text) : "";
    case TargetKind::kTimestamp: case TargetKind::kTimestampTz:
      return IsTimestampLiteral(text) ? QuotePgLiteral(text) : "";
    case TargetKind::kTime:
      return IsTimeOfDay(text, 0) ? QuotePgLiteral(text) : "";
    case TargetKind::kText: {
      int64_t length = TypeLength(target.type);
      if (text.find('\0') != std::string::npos || (length > 0 && Utf8Length(text) > length)) return "";
      return QuotePgLiteral(text);
    }
    case TargetKind::kEnum:
      return std::find(source.labels.begin(), source.labels.end(), text) != source.labels.end() ? QuotePgLiteral(text)
                                                                                                : "";
    case TargetKind::kTextArray: {
      // A SET's members: an array literal, each element quoted.
      std::string array;
      size_t start = 0;
      while (!text.empty() && start <= text.size()) {
        size_t comma = text.find(',', start);
        if (comma == std::string::npos) comma = text.size();
        std::string element = text.substr(start, comma - start);
        if (!source.labels.empty() && std::find(source.labels.begin(), source.labels.end(), element) == source.labels.end()) {
          return "";
        }
        std::string quoted = "\"";
        for (char c : element) quoted += (c == '"' || c == '\\') ? std::string("\\") + c : std::string(1, c);
        array += (array.empty() ? "" : ",") + quoted + "\"";
        start = comma + 1;
      }
      return QuotePgLiteral("{" + array + "}");
    }
    case TargetKind::kBitString: {
      // b'101'; bit(n) takes exactly n bits: padded on the left as MySQL does.
      if (text.size() < 3 || text.compare(0, 2, "b'") != 0 || text.back() != '\'') return "";
      std::string bits = text.substr(2, text.size() - 3);
      if (bits.empty() || bits.find_first_not_of("01") != std::string::npos) return "";
      int64_t length = TypeLength(target.type);
      bool varying = AsciiLower(target.type).find("var") != std::string::npos;
      if (length > 0 && static_cast<int64_t>(bits.size()) > length) return "";
      if (length > 0 && !varying) bits.insert(0, static_cast<size_t>(length) - bits.size(), '0');
      return "B'" + bits + "'";
    }
    case TargetKind::kJson: {
      rapidjson::Document document;
      document.Parse(text.c_str(), text.size());
      return document.HasParseError() ? "" : QuotePgLiteral(text);
    }
    default:
      return "";
  }
}

// The default as PostgreSQL SQL, or "" when there is none to keep. Every
// default is a validated literal of the target type, quoted, or a known
// expression: source text is never spliced into the DDL. A default dropped
// says so in the column's notes (plan and explain show them).
std::string DefaultSql(const SourceColumn& source, TargetColumn& target) {
  const SourceDefault& d = source.default_value;
  if (d.kind == SourceDefault::Kind::kNone || d.kind == SourceDefault::Kind::kNull) return "";
  if (d.kind == SourceDefault::Kind::kExpression) {
    std::string lower = AsciiLower(d.text);
    if (lower.rfind("current_timestamp", 0) != 0 && lower.rfind("now(", 0) != 0) {
      target.notes.push_back("default expression '" + d.text + "' not translated; no default");
      return "";
    }
    if (target.kind == TargetKind::kDate) return "CURRENT_DATE";
    if (target.kind == TargetKind::kTimestamp || target.kind == TargetKind::kTimestampTz) return "CURRENT_TIMESTAMP";
    target.notes.push_back("default expression '" + d.text + "' does not fit " + target.type + "; no default");
    return "";
  }
  const std::string& text = d.text;
  if (IsDateLike(source.data_type) && IsZeroDate(text) &&
      (target.kind == TargetKind::kDate || target.kind == TargetKind::kTimestamp ||
       target.kind == TargetKind::kTimestampTz)) {
    Policy policy = target.policies.zero_date;
    if (policy == Policy::kNull || policy == Policy::kReject) {
      target.notes.push_back("zero-date default '" + text + "' dropped");
      return "";
    }
    return QuotePgLiteral(DatePolicyText(policy, target.policies.zero_date_sentinel));  // the sentinel zero dates become (checked when the rules load)
  }
  // BLOB columns cannot have defaults in MySQL; binary ones are rare.
  if (target.kind == TargetKind::kBytea || target.kind == TargetKind::kGeometry) return "";
  if (target.kind == TargetKind::kOther || target.kind == TargetKind::kInterval) {
    target.notes.push_back("default '" + text + "' is not checked for type " + target.type +
                           "; dropped (a column rule's \"default\" can give one)");
    return "";
  }
  std::string sql = LiteralDefault(source, target);
  if (sql.empty()) target.notes.push_back("default '" + text + "' is not a valid " + target.type + "; dropped");
  return sql;
}

// One name to give in a namespace (a schema's tables, a table's columns).
struct NameRequest {
  std::string source;  // the source name
  std::string wanted;  // the name before it is cut to 63 bytes
  bool from_rule = false;
};

// PostgreSQL's system columns: no table column may take these names.
const std::set<std::string>& SystemColumns() {
  static const std::set<std::string> kNames = {"tableoid", "xmin", "cmin", "xmax", "cmax", "ctid"};
  return kNames;
}

// Distinct names for "requests", in their order. A name a rule gave must be
// free: "conflict" is called with the two requests (or the request and npos
// for a reserved name) and must throw. Automatic names made equal by cutting
// to 63 bytes or by case folding, or equal to a reserved name, get "_1",
// "_2", ...: the request whose source name is the name itself keeps it, then
// the first by source name, so the result does not depend on the catalog's
// order. "why" gets the reason of each request renamed so.
std::vector<std::string> DistinctNames(const std::vector<NameRequest>& requests, const std::set<std::string>& reserved,
                                       const std::function<void(size_t, size_t)>& conflict,
                                       std::map<size_t, std::string>& why) {
  std::vector<std::string> names;
  std::map<std::string, std::vector<size_t>> by_name;
  for (size_t i = 0; i < requests.size(); ++i) {
    names.push_back(TruncateIdentifier(requests[i].wanted));
    by_name[names[i]].push_back(i);
  }
  UniqueNames taken;
  for (const std::string& name : reserved) taken.Reserve(name);
  std::vector<size_t> renamed;
  for (auto& entry : by_name) {  // not a structured binding: C++17 lambdas cannot capture one (clang)
    const std::string& name = entry.first;
    std::vector<size_t>& group = entry.second;
    for (size_t i : group) {
      if (!requests[i].from_rule) continue;
      if (reserved.count(name)) conflict(i, std::string::npos);
      for (size_t j : group) {
        if (j != i) conflict(std::min(i, j), std::max(i, j));
      }
    }
    std::stable_sort(group.begin(), group.end(), [&](size_t a, size_t b) {
      bool a_own = requests[a].source == name, b_own = requests[b].source == name;
      return a_own != b_own ? a_own : requests[a].source < requests[b].source;
    });
    size_t keepers = reserved.count(name) ? 0 : 1;
    if (keepers == 1) taken.Reserve(name);
    renamed.insert(renamed.end(), group.begin() + keepers, group.end());
  }
  std::sort(renamed.begin(), renamed.end(), [&](size_t a, size_t b) { return requests[a].source < requests[b].source; });
  for (size_t i : renamed) {
    std::string name = taken.Take(requests[i].wanted);
    std::string reason = reserved.count(names[i]) ? names[i] + " is a PostgreSQL system column"
                         : requests[i].wanted.size() > 63 ? names[i] + " is taken (names are cut to 63 bytes)"
                                                          : names[i] + " is taken (names are lower-cased)";
    why[i] = "named " + name + ": " + reason;
    names[i] = name;
  }
  return names;
}

// Index names are unique per schema in PostgreSQL, per table in MySQL.
std::string IndexName(const std::string& table, const SourceIndex& index) {
  if (index.is_primary()) return table + "_pkey";
  return table + "_" + index.name;
}

TargetTable* FindTargetBySource(SchemaPlan& plan, const std::string& source_name) {
  for (TargetTable& table : plan.tables) {
    if (plan.catalog.tables[table.source_index].name == source_name) return &table;
  }
  return nullptr;
}

// The target column made from source column "name" of "table", or nullptr.
TargetColumn* FindTargetColumn(const SchemaPlan& plan, TargetTable& table, const std::string& name) {
  const SourceTable& source = plan.catalog.tables[table.source_index];
  for (TargetColumn& column : table.columns) {
    if (column.from_source() && source.columns[column.source_index].name == name) return &column;
  }
  return nullptr;
}

// A foreign key a rule asks for: "child_columns" (source names) of "table"
// reference "reference". "origin" is the rule's "references" (or its
// foreign_keys entry), for messages and explain. A child column takes its
// parent's integer type, so widening a key widens every column that
// references it.
void AddRuleForeignKey(SchemaPlan& plan, TargetTable& table, const std::vector<std::string>& child_columns,
                       const ReferenceRule& reference, const RuleOrigin& origin, UniqueNames& names) {
  const SourceCatalog& catalog = plan.catalog;
  const SourceTable& source = catalog.tables[table.source_index];
  const std::string child_name =
      source.name + "." + (child_columns.size() == 1 ? child_columns[0] : "(" + Join(child_columns, ", ") + ")");
  auto fail = [&](const std::string& what) {
    throw Error(ErrorCategory::kRules, origin.Where() + ": " + child_name + ": " + what);
  };
  std::vector<TargetColumn*> children;
  for (const std::string& name : child_columns) {
    TargetColumn* column = FindTargetColumn(plan, table, name);
    if (column == nullptr) {
      std::vector<std::string> candidates;
      for (const auto& c : source.columns) candidates.push_back(c.name);
      fail("column '" + name + "' is not migrated" + DidYouMean(name, candidates));
    }
    children.push_back(column);
  }
  TargetTable* parent = FindTargetBySource(plan, reference.table);
  if (parent == nullptr) {
    std::vector<std::string> candidates;
    for (const auto& t : plan.tables) candidates.push_back(catalog.tables[t.source_index].name);
    fail("references table '" + reference.table + "', which is not migrated" + DidYouMean(reference.table, candidates));
  }
  const SourceTable& parent_source = catalog.tables[parent->source_index];
  std::vector<std::string> parent_names = reference.columns;
  if (parent_names.empty()) {
    const SourceIndex* key = parent_source.primary_key();
    if (key == nullptr || key->parts.size() != children.size()) {
      if (children.size() == 1) fail("table '" + reference.table + "' has no single-column primary key; name the column");
      std::string primary;
      if (key != nullptr) {
        for (const auto& part : key->parts) primary += (primary.empty() ? "" : ", ") + part.column;
      }
      fail(std::to_string(children.size()) + " columns cannot reference the primary key of table '" +
           reference.table + "' (" + (key == nullptr ? "it has none" : primary) + "); name the parent columns");
    }
    for (const auto& part : key->parts) parent_names.push_back(part.column);
  }
  if (parent_names.size() != children.size()) {  // a column rule's single column against several
    fail(std::to_string(children.size()) + " column cannot reference " + std::to_string(parent_names.size()));
  }
  std::vector<TargetColumn*> parents;
  std::set<std::string> parent_quoted;
  for (const std::string& name : parent_names) {
    TargetColumn* column = FindTargetColumn(plan, *parent, name);
    if (column == nullptr) {
      std::vector<std::string> candidates;
      for (const auto& c : parent_source.columns) candidates.push_back(c.name);
      fail("references column '" + reference.table + "." + name + "', which is not migrated" +
           DidYouMean(name, candidates));
    }
    parents.push_back(column);
    parent_quoted.insert(QuotePgIdentifier(column->name));
  }
  // PostgreSQL needs a unique constraint on exactly the referenced columns, in any order.
  bool unique = false;
  for (const TargetIndex& index : parent->indexes) {
    unique = unique || (index.unique && std::set<std::string>(index.expressions.begin(), index.expressions.end()) ==
                                           parent_quoted && index.expressions.size() == parent_quoted.size());
  }
  if (!unique) {
    fail("'" + reference.table + "." +
         (parent_names.size() == 1 ? parent_names[0] : "(" + Join(parent_names, ", ") + ")") +
         "' is not a primary key or unique");
  }
  for (size_t i = 0; i < children.size(); ++i) {
    TargetColumn& column = *children[i];
    const TargetColumn& parent_column = *parents[i];
    if (IsIntegerKind(column.kind) && IsIntegerKind(parent_column.kind)) {
      if (column.type != parent_column.type) {
        column.notes.push_back("type " + column.type + " -> " + parent_column.type + " to match " + parent->name +
                               "." + parent_column.name);
        column.type = parent_column.type;
        column.kind = parent_column.kind;
      }
    } else if (column.kind != parent_column.kind ||
               (column.kind == TargetKind::kOther && column.type != parent_column.type)) {
      std::string what = children.size() == 1 ? "type " : "column " + child_columns[i] + ": type ";
      fail(what + column.type + " does not match " + parent->name + "." + parent_column.name + " (" +
           parent_column.type + ")");
    }
  }
  TargetForeignKey key;
  for (const TargetColumn* column : children) key.columns.push_back(column->name);
  for (const TargetColumn* column : parents) key.referenced_columns.push_back(column->name);
  key.name = names.Take(table.name + "_" + Join(key.columns, "_") + "_fkey");
  key.origin = origin.ToString();
  key.orphans = reference.orphans;
  // A bitmap holds one integer column. And a child checked while copying
  // waits for its whole parent to load: behind a parent bigger than itself
  // (by the catalog's estimates) it would wait longer than an anti-join
  // after the load takes (measured: 1M payments against 2M bookings). A
  // self-reference's parent rows are the rows being loaded: checked after.
  key.orphans_after_load = key.orphans != Policy::kKeep &&
                           (parent == &table || parents.size() > 1 || !IsIntegerKind(parents[0]->kind) ||
                            parent_source.row_estimate > source.row_estimate);
  key.referenced_schema = parent->schema;
  key.referenced_table = parent->name;
  key.on_delete = reference.on_delete;
  key.on_update = "NO ACTION";
  table.foreign_keys.push_back(std::move(key));
}

// Foreign keys the rules add (a column's "references", a table's
// "foreign_keys"), once every table is mapped.
void AddRuleForeignKeys(const Rules& rules, SchemaPlan& plan, UniqueNames& names) {
  for (TargetTable& table : plan.tables) {
    const SourceTable& source = plan.catalog.tables[table.source_index];
    const TableRule* table_rule = FindTableRule(rules, source.name);
    for (size_t c = 0; c < table.columns.size(); ++c) {
      const TargetColumn& column = table.columns[c];
      if (!column.from_source()) continue;
      const std::string source_column = source.columns[column.source_index].name;
      const ColumnRule* column_rule = FindColumnRule(table_rule, source_column);
      if (column_rule == nullptr || !column_rule->references) continue;
      RuleOrigin origin = column_rule->origin;
      origin.pointer += "/references";
      AddRuleForeignKey(plan, table, {source_column}, *column_rule->references, origin, names);
    }
    if (table_rule == nullptr) continue;
    for (const ForeignKeyRule& rule : table_rule->foreign_keys) {
      AddRuleForeignKey(plan, table, rule.columns, rule.references, rule.origin, names);
    }
  }
}

}  // namespace

const char* ToString(TargetKind kind) {
  switch (kind) {
    case TargetKind::kBoolean: return "boolean";
    case TargetKind::kSmallint: return "smallint";
    case TargetKind::kInteger: return "integer";
    case TargetKind::kBigint: return "bigint";
    case TargetKind::kNumeric: return "numeric";
    case TargetKind::kReal: return "real";
    case TargetKind::kDouble: return "double";
    case TargetKind::kText: return "text";
    case TargetKind::kBytea: return "bytea";
    case TargetKind::kDate: return "date";
    case TargetKind::kTimestamp: return "timestamp";
    case TargetKind::kTimestampTz: return "timestamptz";
    case TargetKind::kTime: return "time";
    case TargetKind::kInterval: return "interval";
    case TargetKind::kJson: return "json";
    case TargetKind::kEnum: return "enum";
    case TargetKind::kTextArray: return "text[]";
    case TargetKind::kBitString: return "bit string";
    case TargetKind::kGeometry: return "geometry";
    case TargetKind::kOther: return "other";
  }
  return "other";
}

TargetKind TargetKindOf(const std::string& pg_type) {
  std::string type = AsciiLower(pg_type);
  if (type.size() > 2 && type.compare(type.size() - 2, 2, "[]") == 0) {
    return TargetKind::kTextArray;
  }
  std::string base = type.substr(0, type.find('('));
  while (!base.empty() && base.back() == ' ') base.pop_back();
  static const std::map<std::string, TargetKind> kKinds = {
      {"boolean", TargetKind::kBoolean}, {"bool", TargetKind::kBoolean},
      {"smallint", TargetKind::kSmallint}, {"int2", TargetKind::kSmallint},
      {"integer", TargetKind::kInteger}, {"int", TargetKind::kInteger}, {"int4", TargetKind::kInteger},
      {"bigint", TargetKind::kBigint}, {"int8", TargetKind::kBigint},
      {"numeric", TargetKind::kNumeric}, {"decimal", TargetKind::kNumeric},
      {"real", TargetKind::kReal}, {"float4", TargetKind::kReal},
      {"double precision", TargetKind::kDouble}, {"float8", TargetKind::kDouble},
      {"text", TargetKind::kText}, {"varchar", TargetKind::kText}, {"char", TargetKind::kText},
      {"character varying", TargetKind::kText}, {"character", TargetKind::kText},
      {"citext", TargetKind::kText},
      {"bytea", TargetKind::kBytea},
      {"date", TargetKind::kDate},
      {"timestamp", TargetKind::kTimestamp}, {"timestamp without time zone", TargetKind::kTimestamp},
      {"timestamptz", TargetKind::kTimestampTz}, {"timestamp with time zone", TargetKind::kTimestampTz},
      {"time", TargetKind::kTime}, {"time without time zone", TargetKind::kTime},
      {"interval", TargetKind::kInterval},
      {"json", TargetKind::kJson}, {"jsonb", TargetKind::kJson},
      {"enum", TargetKind::kEnum},
      {"bit varying", TargetKind::kBitString}, {"varbit", TargetKind::kBitString},
      {"bit", TargetKind::kBitString},
      {"geometry", TargetKind::kGeometry}, {"geography", TargetKind::kGeometry},
  };
  auto it = kKinds.find(base);
  return it == kKinds.end() ? TargetKind::kOther : it->second;
}

std::string ExpandTypeTemplate(const std::string& type_template, const SourceColumn& column,
                               const RuleOrigin& origin) {
  std::string out;
  for (size_t i = 0; i < type_template.size(); ++i) {
    if (type_template[i] != '{') {
      out += type_template[i];
      continue;
    }
    size_t close = type_template.find('}', i);
    if (close == std::string::npos) {
      throw Error(ErrorCategory::kRules, origin.Where() + ": unclosed '{' in type '" + type_template + "'");
    }
    std::string name = type_template.substr(i + 1, close - i - 1);
    std::optional<int64_t> value;
    if (name == "length") value = column.char_max_length;
    else if (name == "precision") value = column.numeric_precision;
    else if (name == "scale") value = column.numeric_scale;
    else if (name == "fsp") value = column.datetime_precision.value_or(0);
    else {
      throw Error(ErrorCategory::kRules, origin.Where() + ": unknown placeholder {" + name +
                                             "} (expected {length}, {precision}, {scale} or {fsp})");
    }
    if (!value) {
      throw Error(ErrorCategory::kRules, origin.Where() + ": column " + column.name + " (" +
                                             column.column_type + ") has no {" + name + "}");
    }
    out += std::to_string(*value);
    i = close;
  }
  return out;
}

namespace {

// MapCatalog's steps, sharing the plan being built and the names taken.
class CatalogMapper {
 public:
  CatalogMapper(const SourceCatalog& catalog, const Rules& rules) : catalog_(catalog), rules_(rules) {
    plan_.catalog = catalog;
    plan_.target_schema = rules.Option("target_schema").empty() ? "public" : rules.Option("target_schema");
    plan_.legacy_schema = rules.Option("legacy_schema");
    lower_names_ = rules.Option("name_case") == "lower";
  }

  SchemaPlan Map() {
    NameTables();
    for (TargetTable& table : plan_.tables) {
      const SourceTable& source = catalog_.tables[table.source_index];
      const TableRule* table_rule = FindTableRule(rules_, source.name);
      TableNames names;
      MapColumns(table, source, table_rule, names);
      if (table_rule && table_rule->surrogate_key) AddSurrogateKey(table, source, *table_rule, names);
      bool rule_primary_key = table_rule && !table_rule->primary_key.empty();
      if (rule_primary_key) AddRulePrimaryKey(table, source, *table_rule, names);
      bool replaced_primary_key = rule_primary_key || (table_rule && table_rule->surrogate_key);
      MapIndexes(table, source, replaced_primary_key, names);
      MapForeignKeys(table, source, names);
    }
    AddRuleForeignKeys(rules_, plan_, relation_names_);
    NameIdentitySequences();
    WarnOtherObjects();
    return std::move(plan_);
  }

 private:
  // The column names of one table, as they are decided.
  struct TableNames {
    std::map<std::string, std::string> renamed;  // source column -> target column
    struct Owner {
      std::string source;
      const ColumnRule* rule;
    };
    std::map<std::string, Owner> owners;  // target name -> who took it
  };

  std::string TargetName(const std::string& name) const { return lower_names_ ? AsciiLower(name) : name; }

  // Every table not skipped, with a distinct target name in its schema.
  void NameTables() {
    const SourceCatalog& catalog = catalog_;
    const Rules& rules = rules_;
    SchemaPlan& plan = plan_;
    UniqueNames& relation_names = relation_names_;
    auto target_name = [this](const std::string& name) { return TargetName(name); };
    std::map<std::string, std::vector<NameRequest>> table_requests;  // by schema
    std::map<std::string, std::vector<size_t>> table_positions;       // into plan.tables, by schema
    for (size_t t = 0; t < catalog.tables.size(); ++t) {
      const SourceTable& source = catalog.tables[t];
      const TableRule* table_rule = FindTableRule(rules, source.name);
      if (table_rule && table_rule->skip) {
        plan.skipped_tables.push_back(source.name);
        continue;
      }
      TargetTable table;
      table.source_index = t;
      table.schema = table_rule && table_rule->schema ? *table_rule->schema : plan.target_schema;
      bool from_rule = table_rule && table_rule->rename;
      table_requests[table.schema].push_back({source.name, target_name(from_rule ? *table_rule->rename : source.name),
                                              from_rule});
      table_positions[table.schema].push_back(plan.tables.size());
      if (table_rule) {
        table.decided_by.push_back(table_rule->origin.ToString());
        if (table_rule->filter) table.source_filter = *table_rule->filter;
      }
      table.comment = source.comment;
      plan.tables.push_back(std::move(table));
    }
    for (const auto& entry : table_requests) {  // not a structured binding: captured below
      const std::string& schema = entry.first;
      const auto& requests = entry.second;
      const std::vector<size_t>& positions = table_positions[schema];
      auto conflict = [&](size_t first, size_t second) {
        const std::string& first_name = catalog.tables[plan.tables[positions[first]].source_index].name;
        const std::string& second_name = catalog.tables[plan.tables[positions[second]].source_index].name;
        const TableRule* blamed = FindTableRule(rules, second_name);
        if (blamed == nullptr || !blamed->rename) blamed = FindTableRule(rules, first_name);
        throw Error(ErrorCategory::kRules, (blamed ? blamed->origin.Where() + ": " : std::string()) + "tables " +
                                               first_name + " and " + second_name + " map to the same target table " +
                                               schema + "." + TruncateIdentifier(requests[first].wanted));
      };
      std::map<size_t, std::string> why;
      std::vector<std::string> names = DistinctNames(requests, {}, conflict, why);
      for (size_t i = 0; i < names.size(); ++i) {
        plan.tables[positions[i]].name = names[i];
        relation_names.Reserve(names[i]);
      }
      for (const auto& [i, reason] : why) {
        plan.warnings.push_back("table " + requests[i].source + ": " + reason);
        plan.renamed_to_stay_distinct.push_back(plan.warnings.back());
      }
    }
  }

  // The columns of "table": names, types, policies, defaults, identity.
  void MapColumns(TargetTable& table, const SourceTable& source, const TableRule* table_rule, TableNames& names) {
    auto target_name = [this](const std::string& name) { return TargetName(name); };
    std::vector<NameRequest> column_requests;
    std::vector<size_t> requested_columns;  // source index of each request
    for (size_t c = 0; c < source.columns.size(); ++c) {
      const ColumnRule* column_rule = FindColumnRule(table_rule, source.columns[c].name);
      if (column_rule && column_rule->skip) continue;
      bool from_rule = column_rule && column_rule->rename;
      column_requests.push_back({source.columns[c].name,
                                 target_name(from_rule ? *column_rule->rename : source.columns[c].name), from_rule});
      requested_columns.push_back(c);
    }
    auto column_conflict = [&](size_t first, size_t second) {
      bool reserved = second == std::string::npos;
      const ColumnRule* rule = FindColumnRule(table_rule, column_requests[reserved ? first : second].source);
      if (rule == nullptr || !rule->rename) rule = FindColumnRule(table_rule, column_requests[first].source);
      std::string where = rule ? rule->origin.Where() + ": " : std::string();
      std::string name = TruncateIdentifier(column_requests[first].wanted);
      if (reserved) {
        throw Error(ErrorCategory::kRules,
                    where + "table " + source.name + ": '" + name + "' is a PostgreSQL system column name");
      }
      throw Error(ErrorCategory::kRules, where + "table " + source.name + ": columns " + column_requests[first].source +
                                             " and " + column_requests[second].source +
                                             " both map to the target name '" + name + "'");
    };
    std::map<size_t, std::string> column_why;
    std::vector<std::string> column_target_names =
        DistinctNames(column_requests, SystemColumns(), column_conflict, column_why);
    for (size_t request = 0; request < column_requests.size(); ++request) {
      const size_t c = requested_columns[request];
      const SourceColumn& sc = source.columns[c];
      const ColumnRule* column_rule = FindColumnRule(table_rule, sc.name);
      TargetColumn column;
      column.source_index = static_cast<int>(c);
      column.name = column_target_names[request];
      if (column_why.count(request)) {
        column.notes.push_back(column_why[request]);
        plan_.renamed_to_stay_distinct.push_back("column " + source.name + "." + sc.name + ": " + column_why[request]);
      }
      names.owners[column.name] = {sc.name, column_rule};
      MapColumn(table, source, sc, table_rule, column_rule, column);
      names.renamed[sc.name] = column.name;
      table.columns.push_back(std::move(column));
    }
  }

  // One column's type, policies, nullability, default and identity.
  void MapColumn(const TargetTable& table, const SourceTable& source, const SourceColumn& sc,
                 const TableRule* table_rule, const ColumnRule* column_rule, TargetColumn& column) {
    column.policies = rules_.conversions;
    if (table_rule) ApplyConversions(table_rule->conversion_keys, column.policies);
    if (column_rule) ApplyConversions(column_rule->conversion_keys, column.policies);
    ChooseType(source, sc, column_rule, column);
    if (column_rule) column.cleanup = column_rule->cleanup;
    if (column.kind == TargetKind::kEnum) column.type = EnumType(table.name + "_" + column.name, sc.labels);
    if (sc.data_type == "enum" && column.kind == TargetKind::kText) {
      // enum_mode "check": text limited to the labels.
      std::string labels;
      for (const auto& label : sc.labels) labels += (labels.empty() ? "" : ", ") + QuotePgLiteral(label);
      column.check_sql = QuotePgIdentifier(column.name) + " IN (" + labels + ")";
    }
    column.nullable = sc.nullable;
    if (!sc.nullable && IsDateLike(sc.data_type) && column.policies.zero_date == Policy::kNull &&
        (column.kind == TargetKind::kDate || column.kind == TargetKind::kTimestamp ||
         column.kind == TargetKind::kTimestampTz)) {
      column.nullable = true;
      column.notes.push_back("made nullable: zero dates become NULL (conversions.zero_date)");
    }
    column.default_sql = DefaultSql(sc, column);
    if (column_rule && column_rule->nullable) column.nullable = *column_rule->nullable;
    if (column_rule && column_rule->has_default) column.default_sql = column_rule->default_sql.value_or("");
    if (sc.auto_increment) {
      if (column.kind == TargetKind::kSmallint || column.kind == TargetKind::kInteger ||
          column.kind == TargetKind::kBigint) {
        column.identity = true;
        column.default_sql.clear();
      } else {
        column.notes.push_back("auto_increment on " + column.type + " has no identity (needs an integer type)");
      }
    }
    if (sc.on_update_current_timestamp) {
      column.on_update_current_timestamp = true;
      column.notes.push_back("ON UPDATE CURRENT_TIMESTAMP becomes a BEFORE UPDATE trigger");
    }
    if (!sc.generation_expression.empty()) {
      column.notes.push_back("generated column loaded as a plain column (expression: " + sc.generation_expression +
                             ")");
    }
    column.comment = sc.comment;
  }

  // The column rule's type, else the first type rule that matches, else text;
  // a DATETIME with a time zone becomes timestamptz.
  void ChooseType(const SourceTable& source, const SourceColumn& sc, const ColumnRule* column_rule,
                  TargetColumn& column) {
    if (column_rule && column_rule->type) {
      column.type = ExpandTypeTemplate(*column_rule->type, sc, column_rule->origin);
      column.decided_by.push_back(column_rule->origin.ToString());
    } else {
      if (column_rule) column.decided_by.push_back(column_rule->origin.ToString());
      for (const TypeRule& rule : rules_.types) {
        if (TypeRuleMatches(rule, source, sc, rules_)) {
          column.type = ExpandTypeTemplate(rule.type, sc, rule.origin);
          column.decided_by.push_back(rule.origin.ToString());
          break;
        }
      }
      if (column.type.empty()) {
        column.type = "text";
        column.notes.push_back("no type rule matches '" + sc.column_type + "'; text");
      }
    }
    column.kind = TargetKindOf(column.type);
    if (!column.policies.timezone.empty() && sc.data_type == "datetime" && column.kind == TargetKind::kTimestamp &&
        column.decided_by.back().rfind("defaults.json", 0) == 0) {
      // Local times with a known zone become instants: timestamptz, in UTC.
      column.type = "timestamptz(" + std::to_string(sc.datetime_precision.value_or(0)) + ")";
      column.kind = TargetKind::kTimestampTz;
      column.notes.push_back("local time in " + column.policies.timezone + ", stored as UTC timestamptz");
    } else if (!column.policies.timezone.empty() && sc.data_type == "datetime" &&
               column.kind == TargetKind::kTimestamp) {
      column.notes.push_back("local time in " + column.policies.timezone + ", stored as UTC timestamp");
    }
  }

  // The qualified name of the enum type with these labels, created by the
  // first column that has them ("wanted" names it).
  std::string EnumType(const std::string& wanted, const std::vector<std::string>& labels) {
    auto existing = enum_by_labels_.find(labels);
    if (existing == enum_by_labels_.end()) {
      std::string name = relation_names_.Take(wanted);
      plan_.enum_types.push_back({plan_.target_schema, name, labels});
      existing = enum_by_labels_.emplace(labels, name).first;
    }
    return QuotePgIdentifier(plan_.target_schema) + "." + QuotePgIdentifier(existing->second);
  }

  // A generated key for a table that has none: PostgreSQL numbers the rows.
  void AddSurrogateKey(TargetTable& table, const SourceTable& source, const TableRule& table_rule,
                       TableNames& names) {
    TargetColumn key;
    key.name = TruncateIdentifier(*table_rule.surrogate_key);
    if (!names.owners.emplace(key.name, TableNames::Owner{"", nullptr}).second) {
      throw Error(ErrorCategory::kRules, table_rule.origin.Where("/surrogate_key") + ": surrogate key '" + key.name +
                                             "' is already a column of " + source.name);
    }
    key.type = "bigint";
    key.kind = TargetKind::kBigint;
    key.nullable = false;
    key.identity = true;
    key.decided_by.push_back(table_rule.origin.ToString() + "/surrogate_key");
    table.columns.insert(table.columns.begin(), key);
    table.indexes.push_back({relation_names_.Take(table.name + "_pkey"), true, true, "", {QuotePgIdentifier(key.name)}});
  }

  // The primary key a table rule gives.
  void AddRulePrimaryKey(TargetTable& table, const SourceTable& source, const TableRule& table_rule,
                         TableNames& names) {
    TargetIndex key{relation_names_.Take(table.name + "_pkey"), true, true, "", {}};
    for (const std::string& name : table_rule.primary_key) {
      const SourceColumn* sc = source.FindColumn(name);
      if (sc == nullptr || !names.renamed.count(name)) {
        throw Error(ErrorCategory::kRules, table_rule.origin.Where("/primary_key") + ": table " + source.name +
                                               " has no column '" + name + "' to key on");
      }
      key.expressions.push_back(QuotePgIdentifier(names.renamed[name]));
      table.key_source_columns.push_back(sc->ordinal - 1);
      for (TargetColumn& column : table.columns) {
        if (column.name == names.renamed[name]) column.nullable = false;
      }
    }
    table.indexes.push_back(std::move(key));
  }

  // The source's indexes on the columns kept ("replaced_primary_key": a rule
  // gave the table another primary key).
  void MapIndexes(TargetTable& table, const SourceTable& source, bool replaced_primary_key, TableNames& names) {
    for (const SourceIndex& index : source.indexes) {
      if (index.is_primary() && replaced_primary_key) continue;
      TargetIndex target;
      target.primary = index.is_primary();
      target.unique = index.unique;
      bool usable = true;
      for (const SourceIndexPart& part : index.parts) {
        auto column = names.renamed.find(part.column);
        if (column == names.renamed.end()) {
          usable = false;  // a skipped column
          break;
        }
        std::string expression = QuotePgIdentifier(column->second);
        if (index.kind == "FULLTEXT") {
          expression = "to_tsvector('simple', " + expression + ")";
        } else if (part.prefix_length) {
          // PostgreSQL has no prefix index: index the same prefix as an expression.
          expression = "left(" + expression + ", " + std::to_string(*part.prefix_length) + ")";
          target.primary = false;
        } else if (part.descending) {
          expression += " DESC";
        }
        target.expressions.push_back(expression);
      }
      if (index.kind == "SPATIAL") {
        plan_.warnings.push_back(source.name + ": spatial index " + index.name +
                                " not migrated (geometry columns load as bytea WKB)");
        continue;
      }
      if (!usable) {
        plan_.warnings.push_back(source.name + ": index " + index.name + " dropped (a column is skipped)");
        continue;
      }
      if (index.kind == "FULLTEXT") {
        target.method = "gin";
        target.expressions = {"(" + [&] {
          std::string all;
          for (const auto& e : target.expressions) all += (all.empty() ? "" : " || ") + e;
          return all;
        }() + ")"};
        target.unique = false;
      }
      target.name = relation_names_.Take(IndexName(table.name, index));
      if (target.primary) {
        for (const SourceIndexPart& part : index.parts) {
          const SourceColumn* sc = source.FindColumn(part.column);
          table.key_source_columns.push_back(sc->ordinal - 1);
        }
      }
      table.indexes.push_back(std::move(target));
    }
  }

  // The source's own foreign keys, when their columns and parent are kept.
  void MapForeignKeys(TargetTable& table, const SourceTable& source, TableNames& names) {
    for (const SourceForeignKey& key : source.foreign_keys) {
      TargetForeignKey target;
      target.name = relation_names_.Take(table.name + "_" + key.name);
      bool usable = true;
      for (const auto& column : key.columns) {
        auto it = names.renamed.find(column);
        if (it == names.renamed.end()) usable = false; else target.columns.push_back(it->second);
      }
      const TargetTable* parent = nullptr;
      for (const auto& candidate : plan_.tables) {
        if (catalog_.tables[candidate.source_index].name == key.referenced_table) parent = &candidate;
      }
      if (!usable || parent == nullptr) {
        plan_.warnings.push_back(source.name + ": foreign key " + key.name + " dropped (a column or the parent table is skipped)");
        continue;
      }
      target.referenced_schema = parent->schema;
      target.referenced_table = parent->name;
      const SourceTable& parent_source = catalog_.tables[parent->source_index];
      for (const auto& column : key.referenced_columns) {
        std::string name = column;
        for (const auto& pc : parent->columns) {
          if (parent_source.columns[pc.source_index].name == column) name = pc.name;
        }
        target.referenced_columns.push_back(name);
      }
      target.on_delete = key.on_delete;
      target.on_update = key.on_update;
      table.foreign_keys.push_back(std::move(target));
    }
  }

  // PostgreSQL names an identity's sequence itself ("table_column_seq", both
  // parts cut to fit 63 bytes), and two tables created at once in separate
  // transactions whose names cut to the same one collide (a unique violation
  // on pg_class, one table failed). A name already taken gets one of ours.
  void NameIdentitySequences() {
    for (TargetTable& table : plan_.tables) {
      for (TargetColumn& column : table.columns) {
        if (!column.identity) continue;
        std::string implicit = ImplicitSequenceName(table.name, column.name);
        if (relation_names_.Taken(implicit)) {
          column.identity_sequence = relation_names_.Take(implicit);
        } else {
          relation_names_.Reserve(implicit);
        }
      }
    }
  }

  // PostgreSQL's makeObjectName(table, column, "seq"): the longer part loses a
  // byte until both fit, never cutting a UTF-8 character.
  static std::string ImplicitSequenceName(const std::string& table, const std::string& column) {
    const size_t available = 63 - 5;  // "_" between the parts, "_seq"
    size_t a = table.size(), b = column.size();
    while (a + b > available) {
      if (a > b) --a; else --b;
    }
    auto clip = [](const std::string& text, size_t bytes) {
      while (bytes > 0 && bytes < text.size() && (static_cast<unsigned char>(text[bytes]) & 0xC0) == 0x80) --bytes;
      return text.substr(0, bytes);
    };
    return clip(table, a) + "_" + clip(column, b) + "_seq";
  }

  void WarnOtherObjects() {
    for (const SourceObject& object : catalog_.other_objects) {
      plan_.warnings.push_back(object.kind + " " + object.name +
                              (object.table.empty() ? "" : " on " + object.table) +
                              ": not migrated (my2pg does not translate MySQL " + object.kind + "s)");
    }
  }

  const SourceCatalog& catalog_;
  const Rules& rules_;
  SchemaPlan plan_;
  bool lower_names_ = false;
  UniqueNames relation_names_;  // tables, indexes, constraints and types share a namespace
  std::map<std::vector<std::string>, std::string> enum_by_labels_;
};

}  // namespace

SchemaPlan MapCatalog(const SourceCatalog& catalog, const Rules& rules) { return CatalogMapper(catalog, rules).Map(); }

}  // namespace my2pg
