// Fuzzes converter/text_encoder.h on any bytes, for many MySQL charsets and
// every invalid_text and nul_bytes policy. The input is a charset choice, a
// policy choice, then the value's bytes. Asserts:
// - Append either succeeds or gives a non-empty reason, and keeps what "out"
//   held before;
// - the COPY-escaped output is valid UTF-8 without NUL, with no raw tab,
//   newline or carriage return, and every backslash starts \\, \t, \n or \r;
// - the escaped and the plain encoders agree: the same outcome and reason,
//   and the escaped output unescapes to the plain one;
// - ASCII text in an ASCII-based charset, and valid UTF-8 in a UTF-8
//   charset, come out unchanged (escaped) with no change counted.
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <utility>

#include "common/error.h"
#include "converter/text_encoder.h"
#include "tests/fuzz/fuzz_util.h"

namespace my2pg {
namespace {

struct Charset {
  const char* name;
  bool ascii_based;  // ASCII bytes mean ASCII characters
};

const Charset kCharsets[] = {
    {"latin1", true},  {"utf8mb4", true}, {"utf8mb3", true},  {"binary", true},  {"ascii", true},
    {"latin2", true},  {"cp1250", true},  {"cp1251", true},   {"cp1256", true},  {"greek", true},
    {"hebrew", true},  {"koi8r", true},   {"cp850", true},    {"cp866", true},   {"macroman", true},
    {"tis620", true},  {"armscii8", false}, {"keybcs2", false}, {"big5", true},  {"gbk", true},
    {"gb2312", true},  {"gb18030", true}, {"sjis", false},    {"cp932", false},  {"ujis", true},
    {"eucjpms", true}, {"euckr", true},   {"ucs2", false},    {"utf16", false},  {"utf16le", false},
    {"utf32", false},  {"no_such_charset", false},
};
constexpr size_t kCharsetCount = sizeof(kCharsets) / sizeof(kCharsets[0]);
const Policy kInvalidText[] = {Policy::kReplace, Policy::kEscape, Policy::kReject};
const Policy kNulBytes[] = {Policy::kStrip, Policy::kReject};

// The encoders of one charset and policy choice, built once (ICU converters
// are slow to open): COPY-escaped and plain. Null if the charset is unknown.
std::pair<TextEncoder*, TextEncoder*> Encoders(size_t charset, int invalid_text, int nul_bytes) {
  static std::map<int, std::pair<std::unique_ptr<TextEncoder>, std::unique_ptr<TextEncoder>>> cache;
  int key = (static_cast<int>(charset) * 3 + invalid_text) * 2 + nul_bytes;
  auto it = cache.find(key);
  if (it == cache.end()) {
    ConversionPolicies policies;
    policies.invalid_text = kInvalidText[invalid_text];
    policies.nul_bytes = kNulBytes[nul_bytes];
    std::pair<std::unique_ptr<TextEncoder>, std::unique_ptr<TextEncoder>> encoders;
    try {
      encoders.first = std::make_unique<TextEncoder>(kCharsets[charset].name, policies, true);
      encoders.second = std::make_unique<TextEncoder>(kCharsets[charset].name, policies, false);
    } catch (const Error& e) {
      // Unknown, or unknown to this ICU (armscii8): a table with such a
      // column fails when it starts, never on a value.
      FUZZ_CHECK(e.category() == ErrorCategory::kRules, e.what());
    }
    it = cache.emplace(key, std::move(encoders)).first;
  }
  return {it->second.first.get(), it->second.second.get()};
}

}  // namespace
}  // namespace my2pg

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace my2pg;
  if (size < 2) return 0;
  size_t charset = data[0] % kCharsetCount;
  int invalid_text = (data[1] & 3) % 3;
  int nul_bytes = (data[1] >> 2) & 1;
  auto [escaping, plain] = Encoders(charset, invalid_text, nul_bytes);
  if (escaping == nullptr) return 0;
  const char* value = reinterpret_cast<const char*>(data) + 2;
  size_t value_size = size - 2;
  std::string what = std::string(kCharsets[charset].name) + " " + ToString(kInvalidText[invalid_text]) + " " +
                     ToString(kNulBytes[nul_bytes]) + ": " + Printable(std::string_view(value, value_size));

  const std::string kBefore = "a\tb";
  std::string escaped_out = kBefore, plain_out = kBefore;
  ColumnChanges escaped_changes, plain_changes;
  std::string escaped_reason, plain_reason;
  bool escaped_ok = escaping->Append(value, value_size, escaped_out, escaped_changes, &escaped_reason);
  bool plain_ok = plain->Append(value, value_size, plain_out, plain_changes, &plain_reason);
  FUZZ_CHECK(escaped_out.rfind(kBefore, 0) == 0 && plain_out.rfind(kBefore, 0) == 0, what);
  FUZZ_CHECK(escaped_ok == plain_ok && escaped_reason == plain_reason, what + ": " + escaped_reason);
  FUZZ_CHECK(escaped_changes.counts == plain_changes.counts, what);
  if (!escaped_ok) {
    FUZZ_CHECK(!escaped_reason.empty(), what);
    return 0;
  }
  std::string_view escaped = std::string_view(escaped_out).substr(kBefore.size());
  std::string_view unescaped_plain = std::string_view(plain_out).substr(kBefore.size());
  FUZZ_CHECK(IsValidUtf8(escaped), what + " -> " + Printable(escaped));
  FUZZ_CHECK(escaped.find('\0') == std::string_view::npos, what + " -> " + Printable(escaped));
  std::string unescaped;
  FUZZ_CHECK(UnescapeCopyField(escaped, &unescaped), what + " -> " + Printable(escaped));
  FUZZ_CHECK(unescaped == unescaped_plain, what + " -> " + Printable(escaped) + " and " + Printable(unescaped_plain));

  std::string_view input(value, value_size);
  bool ascii = true;
  for (unsigned char c : input) ascii = ascii && c >= 1 && c < 0x80;
  bool utf8_charset = charset >= 1 && charset <= 3;  // utf8mb4, utf8mb3, binary
  bool unchanged_expected = (ascii && kCharsets[charset].ascii_based) ||
                            (utf8_charset && IsValidUtf8(input) &&
                             input.find('\0') == std::string_view::npos);
  if (unchanged_expected) {
    std::string expected;
    TextEncoder::AppendCopyEscaped(value, value_size, expected);
    FUZZ_CHECK(escaped == expected, what + " -> " + Printable(escaped));
    FUZZ_CHECK(escaped_changes.total() == 0, what);
  }
  return 0;
}
