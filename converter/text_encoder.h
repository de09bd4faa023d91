// TextEncoder: turns text stored in a MySQL charset into valid UTF-8,
// escaped for PostgreSQL's COPY text format, in one pass. Built once per
// column; Append() is called per value and allocates nothing beyond growing
// the caller's buffer.
//
// Single-byte charsets use a 256-entry table that ICU fills once at start
// (each entry already COPY-escaped); UTF-8 is validated in place; multi-byte
// charsets (gbk, sjis, ...) go through an ICU converter. Thread-safe for
// concurrent Append() calls only for single-byte and UTF-8 charsets; give each
// thread its own encoder (they are cheap to build).
#ifndef MY2PG_CONVERTER_TEXT_ENCODER_H_
#define MY2PG_CONVERTER_TEXT_ENCODER_H_

#include <array>
#include <memory>
#include <string>

#include "converter/conversion_stats.h"
#include "rules/rules.h"

struct UConverter;

namespace my2pg {

class TextEncoder {
 public:
  // "charset" is a MySQL charset name (latin1, utf8mb4, cp1251, gbk, binary,
  // ...). Throws Error(kRules) for a charset ICU cannot decode. With
  // "copy_escape" false, Append() writes plain UTF-8 (for values that are
  // cleaned up before they are escaped).
  TextEncoder(const std::string& charset, const ConversionPolicies& policies, bool copy_escape = true);
  TextEncoder() = default;  // UTF-8, default policies
  ~TextEncoder();
  TextEncoder(TextEncoder&&) noexcept;
  TextEncoder& operator=(TextEncoder&&) noexcept;

  // Appends the COPY-escaped UTF-8 form of data[0, size) to "out". Returns
  // false, with "*reason" set, when a policy rejects the value; changes a
  // policy makes are counted in "changes".
  bool Append(const char* data, size_t size, std::string& out, ColumnChanges& changes,
              std::string* reason) const;

  // Appends UTF-8 text to "out" with COPY escaping (\\, \t, \n, \r).
  static void AppendCopyEscaped(const char* data, size_t size, std::string& out);

 private:
  enum class Mode { kUtf8, kSingleByte, kIcu };
  struct TableEntry {
    char bytes[7];
    uint8_t size;  // 0 for a byte with no mapping in the charset
  };

  bool AppendUtf8(const char* data, size_t size, std::string& out, ColumnChanges& changes,
                  std::string* reason) const;
  bool AppendSingleByte(const char* data, size_t size, std::string& out, ColumnChanges& changes,
                        std::string* reason) const;
  bool AppendIcu(const char* data, size_t size, std::string& out, ColumnChanges& changes,
                 std::string* reason) const;
  // Applies the invalid_text policy to one undecodable byte.
  bool HandleInvalidByte(unsigned char byte, std::string& out, ColumnChanges& changes,
                         std::string* reason) const;

  bool Escapes(unsigned char c) const {
    return copy_escape_ && (c == '\\' || c == '\t' || c == '\n' || c == '\r');
  }
  void AppendCodePoint(int32_t code_point, std::string& out) const;

  Mode mode_ = Mode::kUtf8;
  bool copy_escape_ = true;
  std::string charset_;
  ConversionPolicies policies_;
  std::unique_ptr<std::array<TableEntry, 256>> table_;
  UConverter* icu_ = nullptr;
};

// The ICU converter name for a MySQL charset, or "" if my2pg knows none.
// Exposed for tests.
std::string IcuNameForMySqlCharset(const std::string& charset);

}  // namespace my2pg

#endif  // MY2PG_CONVERTER_TEXT_ENCODER_H_
