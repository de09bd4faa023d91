// Rules: a parsed, validated mapping file (docs/rules.md): options, value
// conversion policies, ordered type rules and table rules. A rules file
// extends the built-in defaults (defaults.json, compiled in) or another file;
// the extending file's type and table rules are tried before the base's, and
// its options and conversions override the base's key by key.
//
// Every regex is compiled (RE2) when the file loads, never per row. Immutable
// once loaded; safe to share between threads.
#ifndef MY2PG_RULES_RULES_H_
#define MY2PG_RULES_RULES_H_

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace re2 {
class RE2;
}

namespace my2pg {

// Where a rule came from, for explain and error messages: "rules/x.json#/types/3".
class JsonSource;

struct RuleOrigin {
  std::string file;
  std::string pointer;
  std::shared_ptr<const JsonSource> source;  // to find line and column; may be null
  std::string ToString() const { return file + "#" + pointer; }
  // For error messages: "file:line:column: /pointer/suffix", the position
  // being that of the value at pointer + suffix.
  std::string Where(const std::string& suffix = "") const;
};

// A name pattern: exact, or a regex when written "/.../". RE2 full match.
class NamePattern {
 public:
  NamePattern() = default;
  // Throws Error(kRules) naming "origin" if the regex does not compile.
  NamePattern(const std::string& text, const RuleOrigin& origin);
  bool Matches(const std::string& name) const;
  bool is_regex() const { return regex_ != nullptr; }
  const std::string& text() const { return text_; }

 private:
  std::string text_;
  std::shared_ptr<const re2::RE2> regex_;
};

// What a policy does with a value the target cannot take as it is. Parsed
// once when the rules load (the names are those of the rules files: "null",
// "-infinity", ...), so the converter compares enums, not strings.
enum class Policy : uint8_t {
  kNull, kReject,
  kNegativeInfinity, kSentinel,  // zero_date, invalid_date: -infinity, or the date in *_sentinel
  kReplace, kEscape,             // invalid_text: U+FFFD, or \xNN
  kStrip,                        // nul_bytes
  kTrue,                         // stray_boolean
  kKeep, kRepair,                // mojibake
  kShift, kEarlier, kLater,      // dst_gap, dst_overlap
};

// The rules file's name of "policy" ("null", "-infinity", ...).
const char* ToString(Policy policy);

// Policies for values the target cannot take as they are. Every value a
// policy changes is counted in the run report.
struct ConversionPolicies {
  Policy zero_date = Policy::kNull;            // null | reject | -infinity | a date literal (kSentinel)
  std::string zero_date_sentinel;              // "YYYY-MM-DD[ HH:MM:SS]" when zero_date is kSentinel
  Policy invalid_date = Policy::kReject;       // null | reject | a date literal (kSentinel)
  std::string invalid_date_sentinel;
  Policy invalid_text = Policy::kReplace;      // replace (U+FFFD) | escape | reject
  Policy nul_bytes = Policy::kStrip;           // strip | reject
  Policy stray_boolean = Policy::kTrue;        // true | null | reject
  Policy time_out_of_range = Policy::kReject;  // null | reject
  Policy zero_year = Policy::kNull;            // null | reject
  Policy mojibake = Policy::kKeep;             // keep | repair (UTF-8 stored as latin1, double encoding)
  Policy invalid_json = Policy::kReject;       // reject | null
  // DATETIME values are local times in this IANA zone ("Europe/Paris");
  // empty: they are kept as they are. Converted to UTC.
  std::string timezone;
  Policy dst_gap = Policy::kShift;             // shift (forward by the gap) | null | reject
  Policy dst_overlap = Policy::kEarlier;       // earlier | later | null | reject
};

// How a zero_date or invalid_date policy reads in a rules file: its name,
// or its sentinel date.
std::string DatePolicyText(Policy policy, const std::string& sentinel);

// One step of a column's text cleanup, applied in order after decoding.
struct CleanupStep {
  enum class Kind { kTrim, kReplace, kUpper, kLower, kMap, kNullIf, kNullIfMatch, kEmptyToNull };
  Kind kind;
  std::shared_ptr<const re2::RE2> pattern;  // kReplace, kNullIfMatch
  std::string replacement;                  // kReplace (RE2 rewrite: \1 for groups)
  std::map<std::string, std::string> map;   // kMap: whole value -> new value
  std::vector<std::string> values;          // kNullIf
};

struct TypeRule {
  RuleOrigin origin;
  std::vector<std::string> data_types;  // any of; empty: any
  std::optional<NamePattern> column_type;  // regex on COLUMN_TYPE (partial match)
  std::optional<bool> is_unsigned;
  std::optional<bool> auto_increment;
  std::optional<int> precision;
  std::optional<int> scale;
  std::optional<bool> nullable;
  std::optional<NamePattern> default_value;  // regex on the default's text; "none" matches no default
  std::optional<NamePattern> table;
  std::optional<NamePattern> column;
  std::map<std::string, std::string> options;  // applies only when these options are set so
  std::string type;  // template: "varchar({length})", "numeric({precision},{scale})"
};

// A foreign key the source never had: the parent side.
struct ReferenceRule {
  std::string table;                 // source name of the parent table
  std::vector<std::string> columns;  // source names of the parent columns; empty: its primary key
  std::string on_delete = "NO ACTION";  // NO ACTION | RESTRICT | CASCADE | SET NULL | SET DEFAULT
  // What happens to child rows whose parent does not exist: "reject" them,
  // set the column to "null", or "keep" them and create the key NOT VALID.
  Policy orphans = Policy::kReject;  // kReject | kNull | kKeep
};

struct ColumnRule {
  RuleOrigin origin;
  NamePattern match;
  std::optional<std::string> rename;
  bool skip = false;
  std::optional<std::string> type;
  std::optional<bool> nullable;
  bool has_default = false;         // "default" given: a PostgreSQL expression,
  std::optional<std::string> default_sql;  // or null to have none
  std::optional<ReferenceRule> references;
  std::map<std::string, std::string> conversion_keys;  // the keys it sets, for merging
  std::vector<CleanupStep> cleanup;
};

// A foreign key of several columns (or one) the source never had, given on
// its table: "foreign_keys": [{"columns": [..], "references": {..}}].
struct ForeignKeyRule {
  RuleOrigin origin;
  std::vector<std::string> columns;  // source names of the child columns, in the parent columns' order
  ReferenceRule references;
};

struct TableRule {
  RuleOrigin origin;
  NamePattern match;
  std::optional<std::string> rename;
  bool skip = false;
  std::optional<std::string> schema;
  std::vector<std::string> primary_key;  // source columns, for a table that has none
  std::optional<std::string> surrogate_key;  // name of a generated identity key column
  std::optional<std::string> filter;  // a MySQL WHERE condition: only these rows are copied
  std::map<std::string, std::string> conversion_keys;  // conversion overrides for the table
  std::vector<ColumnRule> columns;
  std::vector<ForeignKeyRule> foreign_keys;
};

struct Rules {
  std::vector<std::string> files;  // the files loaded, base first
  std::map<std::string, std::string> options;
  std::map<std::string, RuleOrigin> option_origins;
  ConversionPolicies conversions;
  std::vector<TypeRule> types;    // first match wins
  std::vector<TableRule> tables;  // first match wins

  std::string Option(const std::string& name) const;
};

// Applies conversion overrides ("zero_date" -> "null", ...) already validated
// by the loader to "policies".
void ApplyConversions(const std::map<std::string, std::string>& keys, ConversionPolicies& policies);

// The built-in defaults alone.
const Rules& DefaultRules();
// Loads "path" and what it extends. Throws Error(kRules) with
// file:line:column and the JSON pointer of the first problem.
Rules LoadRulesFile(const std::string& path);
// Loads rules from text; "origin" names it in messages.
Rules LoadRulesText(const std::string& json, const std::string& origin);

}  // namespace my2pg

#endif  // MY2PG_RULES_RULES_H_
