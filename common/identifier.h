// Quoting of identifiers and literals for the SQL my2pg generates. Every
// identifier is quoted, so reserved words, mixed case and unicode names are
// safe; names are never interpolated unquoted.
#ifndef MY2PG_COMMON_IDENTIFIER_H_
#define MY2PG_COMMON_IDENTIFIER_H_

#include <set>
#include <string>
#include <string_view>

namespace my2pg {

// PostgreSQL: "name" with embedded " doubled.
std::string QuotePgIdentifier(std::string_view name);
// PostgreSQL: 'text' with embedded ' doubled (standard_conforming_strings on).
std::string QuotePgLiteral(std::string_view text);
// MySQL: `name` with embedded ` doubled.
std::string QuoteMySqlIdentifier(std::string_view name);
// MySQL: 'text' with ' and \ escaped, valid whatever the sql_mode.
std::string QuoteMySqlLiteral(std::string_view text);

// PostgreSQL truncates identifiers to 63 bytes (NAMEDATALEN - 1). Cuts "name"
// to at most "max_bytes" bytes without splitting a UTF-8 sequence.
std::string TruncateIdentifier(std::string_view name, size_t max_bytes = 63);

// PostgreSQL: "body" as a dollar-quoted string, $my2pg$...$my2pg$, with a tag
// that the body cannot end early ($my2pg_1$, ... when it holds the first).
std::string DollarQuote(std::string_view body);

// Text for a "--" comment of a SQL script: line breaks, other control
// characters and backslashes escaped (\n, \r, \t, \xNN, \\), so a name
// can never end the comment and become SQL.
std::string CommentText(std::string_view text);

// Distinct names of at most 63 bytes in one namespace: a name already taken
// gets "_1", "_2", ... (cut on a character boundary to make room). The same
// calls in the same order give the same names. Not thread-safe.
class UniqueNames {
 public:
  // "wanted" cut to 63 bytes, or suffixed until it is free; then taken.
  std::string Take(std::string_view wanted);
  // Takes "name" as it is (already at most 63 bytes).
  void Reserve(const std::string& name) { used_.insert(name); }
  bool Taken(const std::string& name) const { return used_.count(name) > 0; }

 private:
  std::set<std::string> used_;
};

}  // namespace my2pg

#endif  // MY2PG_COMMON_IDENTIFIER_H_
