// Helpers shared by the libFuzzer targets of tests/fuzz/: an invariant check
// that reports the broken invariant and aborts (libFuzzer then saves the
// input as a crash), and the few predicates several targets assert.
#ifndef MY2PG_TESTS_FUZZ_FUZZ_UTIL_H_
#define MY2PG_TESTS_FUZZ_FUZZ_UTIL_H_

#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include "common/strings.h"

// Aborts with "what" if "condition" is false.
#define FUZZ_CHECK(condition, what)                                                        \
  do {                                                                                     \
    if (!(condition)) {                                                                    \
      std::fprintf(stderr, "%s:%d: invariant broken: %s\n  %s\n", __FILE__, __LINE__,     \
                   #condition, std::string(what).c_str());                                 \
      std::abort();                                                                        \
    }                                                                                      \
  } while (0)

namespace my2pg {

// True if "text" is well-formed UTF-8 (no overlong forms, surrogates or code
// points past U+10FFFF), as PostgreSQL's UTF8 encoding checks it.
inline bool IsValidUtf8(std::string_view text) {
  size_t i = 0;
  while (i < text.size()) {
    unsigned char c = text[i];
    if (c < 0x80) {
      ++i;
      continue;
    }
    int length = c >= 0xC2 && c <= 0xDF ? 2 : c >= 0xE0 && c <= 0xEF ? 3 : c >= 0xF0 && c <= 0xF4 ? 4 : 0;
    if (length == 0 || i + length > text.size()) return false;
    unsigned char second = text[i + 1];
    unsigned char low = 0x80, high = 0xBF;
    if (c == 0xE0) low = 0xA0;
    if (c == 0xED) high = 0x9F;
    if (c == 0xF0) low = 0x90;
    if (c == 0xF4) high = 0x8F;
    if (second < low || second > high) return false;
    for (int k = 2; k < length; ++k) {
      if ((static_cast<unsigned char>(text[i + k]) & 0xC0) != 0x80) return false;
    }
    i += length;
  }
  return true;
}

// "bytes" readable in a message: \xNN for what is not printable ASCII, as
// reject files write values.
inline std::string Printable(std::string_view bytes) { return EscapeBytes(bytes.data(), bytes.size()); }

// COPY text field "field" unescaped, appended to "plain"; false if it is
// not one field (a raw tab, newline or carriage return) or has an escape
// other than \\, \t, \n and \r, the only ones my2pg writes.
inline bool UnescapeCopyField(std::string_view field, std::string* plain) {
  for (size_t i = 0; i < field.size(); ++i) {
    char c = field[i];
    if (c == '\t' || c == '\n' || c == '\r') return false;
    if (c != '\\') {
      *plain += c;
      continue;
    }
    if (++i == field.size()) return false;
    switch (field[i]) {
      case '\\': *plain += '\\'; break;
      case 't': *plain += '\t'; break;
      case 'n': *plain += '\n'; break;
      case 'r': *plain += '\r'; break;
      default: return false;
    }
  }
  return true;
}

}  // namespace my2pg

#endif  // MY2PG_TESTS_FUZZ_FUZZ_UTIL_H_
