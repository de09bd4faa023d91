// Quoting of identifiers and literals for the SQL my2pg generates. Every
// identifier is quoted, so reserved words, mixed case and unicode names are
// safe; names are never interpolated unquoted.
#ifndef MY2PG_COMMON_IDENTIFIER_H_
#define MY2PG_COMMON_IDENTIFIER_H_

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

}  // namespace my2pg

#endif  // MY2PG_COMMON_IDENTIFIER_H_
