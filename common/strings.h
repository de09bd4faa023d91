// Small string helpers the modules share.
#ifndef MY2PG_COMMON_STRINGS_H_
#define MY2PG_COMMON_STRINGS_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace my2pg {

// "text" with ASCII letters lowered (SQL keywords, MySQL type names).
std::string AsciiLower(std::string text);

// "a, b, c".
std::string Join(const std::vector<std::string>& items, std::string_view separator);

// printf into a string; the result is cut at 511 bytes (for table cells and
// numbers, not for arbitrary text).
std::string Format(const char* format, ...) __attribute__((format(printf, 1, 2)));

// "name" (a MySQL database or table name) as one path component: '/', '\\',
// '%', control bytes and a leading '.' are written %XX, so that no name can
// climb out of a directory ("../x") or split into two; other bytes, UTF-8
// included, stay.
std::string FileNameOf(std::string_view name);

// "text" without the line breaks and spaces drivers end their messages with.
std::string TrimTrailingSpace(std::string text);

// Printable ASCII kept, backslash doubled, every other byte as \xNN (how
// reject files show the bytes of a row).
std::string EscapeBytes(const char* data, size_t size);

// Splits one COPY text line (no trailing newline) into its fields, still
// escaped (a tab never occurs inside a field: COPY escapes it).
std::vector<std::string_view> SplitCopyLine(std::string_view line);

// The unescaped value of a COPY text field (backslash escapes undone: \b \f
// \n \r \t \v, octal and \x hex, any other character as itself).
std::string UnescapeCopyField(std::string_view field);
// The same into "out" (replaced), reusing its memory.
void UnescapeCopyField(std::string_view field, std::string& out);

// "bytes" for a person: "512 bytes", "224 KiB", "4.3 GiB" (binary units,
// one decimal below 10).
std::string HumanBytes(uint64_t bytes);

}  // namespace my2pg

#endif  // MY2PG_COMMON_STRINGS_H_
