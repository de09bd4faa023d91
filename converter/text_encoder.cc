#include "converter/text_encoder.h"

#include <unicode/ucnv.h>
#include <unicode/utf8.h>

#include <cstring>
#include <map>

#include "common/error.h"

namespace my2pg {
namespace {

// MySQL charset names to ICU converter names. Note that MySQL's "latin1" is
// Windows-1252, not ISO-8859-1: bytes 0x80-0x9F are €, ‚, ƒ, „, …, ‘, ’, “,
// ”, —, ... (MySQL docs, "West European Character Sets").
const std::map<std::string, std::string>& CharsetNames() {
  static const std::map<std::string, std::string> kNames = {
      {"latin1", "windows-1252"}, {"latin2", "ISO-8859-2"}, {"latin5", "ISO-8859-9"},
      {"latin7", "ISO-8859-13"}, {"cp1250", "windows-1250"}, {"cp1251", "windows-1251"},
      {"cp1256", "windows-1256"}, {"cp1257", "windows-1257"}, {"greek", "ISO-8859-7"},
      {"hebrew", "ISO-8859-8"}, {"koi8r", "KOI8-R"}, {"koi8u", "KOI8-U"}, {"cp850", "IBM850"},
      {"cp852", "IBM852"}, {"cp866", "IBM866"}, {"macroman", "macintosh"}, {"macce", "x-mac-centraleurroman"},
      {"tis620", "TIS-620"}, {"ascii", "US-ASCII"}, {"armscii8", "ARMSCII-8"}, {"keybcs2", "IBM895"},
      {"big5", "Big5"}, {"gbk", "GBK"}, {"gb2312", "GB2312"}, {"gb18030", "GB18030"},
      {"sjis", "Shift_JIS"}, {"cp932", "ibm-943_P15A-2003"}, {"ujis", "EUC-JP"}, {"eucjpms", "EUC-JP"},
      {"euckr", "EUC-KR"}, {"ucs2", "UTF-16BE"}, {"utf16", "UTF-16BE"}, {"utf16le", "UTF-16LE"},
      {"utf32", "UTF-32BE"},
  };
  return kNames;
}

bool IsUtf8Charset(const std::string& charset) {
  return charset.empty() || charset == "utf8" || charset == "utf8mb3" || charset == "utf8mb4" ||
         charset == "binary";
}

void AppendCodePointUtf8(UChar32 c, std::string& out) {
  char buffer[4];
  int32_t length = 0;
  U8_APPEND_UNSAFE(buffer, length, c);
  out.append(buffer, length);
}

// The COPY text form of one code point, appended to "out".
void AppendEscapedCodePoint(UChar32 c, std::string& out) {
  switch (c) {
    case '\\': out += "\\\\"; return;
    case '\t': out += "\\t"; return;
    case '\n': out += "\\n"; return;
    case '\r': out += "\\r"; return;
    default: AppendCodePointUtf8(c, out);
  }
}

inline bool NeedsEscape(unsigned char c) { return c == '\\' || c == '\t' || c == '\n' || c == '\r'; }

constexpr char kReplacement[] = "\xEF\xBF\xBD";  // U+FFFD

}  // namespace

std::string IcuNameForMySqlCharset(const std::string& charset) {
  auto it = CharsetNames().find(charset);
  return it == CharsetNames().end() ? "" : it->second;
}

void TextEncoder::AppendCopyEscaped(const char* data, size_t size, std::string& out) {
  size_t run = 0;
  for (size_t i = 0; i < size; ++i) {
    unsigned char c = data[i];
    if (!NeedsEscape(c)) continue;
    out.append(data + run, i - run);
    out += '\\';
    out += c == '\\' ? '\\' : c == '\t' ? 't' : c == '\n' ? 'n' : 'r';
    run = i + 1;
  }
  out.append(data + run, size - run);
}

void TextEncoder::AppendCodePoint(int32_t code_point, std::string& out) const {
  if (copy_escape_) {
    AppendEscapedCodePoint(code_point, out);
  } else {
    AppendCodePointUtf8(code_point, out);
  }
}

TextEncoder::TextEncoder(const std::string& charset, const ConversionPolicies& policies, bool copy_escape)
    : copy_escape_(copy_escape), charset_(charset), policies_(policies) {
  if (IsUtf8Charset(charset)) {
    mode_ = Mode::kUtf8;
    return;
  }
  std::string icu_name = IcuNameForMySqlCharset(charset);
  if (icu_name.empty()) {
    throw Error(ErrorCategory::kRules, "unknown MySQL charset '" + charset + "'");
  }
  UErrorCode status = U_ZERO_ERROR;
  UConverter* converter = ucnv_open(icu_name.c_str(), &status);
  if (U_FAILURE(status)) {
    throw Error(ErrorCategory::kRules, "ICU cannot decode charset '" + charset + "' (" + icu_name +
                                           "): " + u_errorName(status));
  }
  // Undecodable bytes must be seen as errors, never silently substituted.
  ucnv_setToUCallBack(converter, UCNV_TO_U_CALLBACK_STOP, nullptr, nullptr, nullptr, &status);
  if (ucnv_getMaxCharSize(converter) > 1) {
    mode_ = Mode::kIcu;
    icu_ = converter;
    return;
  }
  // A single-byte charset: ask ICU once per byte value, keep the answers.
  mode_ = Mode::kSingleByte;
  table_ = std::make_unique<std::array<TableEntry, 256>>();
  for (int byte = 0; byte < 256; ++byte) {
    TableEntry& entry = (*table_)[byte];
    entry.size = 0;
    char input = static_cast<char>(byte);
    UChar output[4];
    status = U_ZERO_ERROR;
    ucnv_reset(converter);
    int32_t length = ucnv_toUChars(converter, output, 4, &input, 1, &status);
    UChar32 code_point = -1;
    if (U_SUCCESS(status) && length == 1) code_point = output[0];
    // MySQL's latin1 maps the five bytes Windows-1252 leaves undefined
    // (0x81, 0x8D, 0x8F, 0x90, 0x9D) to the C1 controls of the same value.
    if (code_point < 0 && charset == "latin1" && byte >= 0x80 && byte <= 0x9F) code_point = byte;
    // MySQL's single-byte charsets are ASCII below 0x80. ICU's IBM PC tables
    // (IBM850, IBM852, IBM866) rotate 0x1A, 0x1C and 0x7F as DOS displayed
    // them; MySQL's cp850, cp852 and cp866 do not.
    if (byte < 0x80) code_point = byte;
    if (code_point < 0) continue;
    std::string encoded;
    AppendCodePoint(code_point, encoded);
    std::memcpy(entry.bytes, encoded.data(), encoded.size());
    entry.size = static_cast<uint8_t>(encoded.size());
  }
  ucnv_close(converter);
}

TextEncoder::~TextEncoder() {
  if (icu_ != nullptr) ucnv_close(icu_);
}

TextEncoder::TextEncoder(TextEncoder&& other) noexcept { *this = std::move(other); }

TextEncoder& TextEncoder::operator=(TextEncoder&& other) noexcept {
  if (this != &other) {
    if (icu_ != nullptr) ucnv_close(icu_);
    mode_ = other.mode_;
    copy_escape_ = other.copy_escape_;
    charset_ = std::move(other.charset_);
    policies_ = std::move(other.policies_);
    table_ = std::move(other.table_);
    icu_ = other.icu_;
    other.icu_ = nullptr;
  }
  return *this;
}

bool TextEncoder::Append(const char* data, size_t size, std::string& out, ColumnChanges& changes,
                         std::string* reason) const {
  switch (mode_) {
    case Mode::kUtf8: return AppendUtf8(data, size, out, changes, reason);
    case Mode::kSingleByte: return AppendSingleByte(data, size, out, changes, reason);
    case Mode::kIcu: return AppendIcu(data, size, out, changes, reason);
  }
  return false;
}

bool TextEncoder::HandleInvalidByte(unsigned char byte, std::string& out, ColumnChanges& changes,
                                    std::string* reason) const {
  if (policies_.invalid_text == Policy::kReject) {
    static const char kHex[] = "0123456789ABCDEF";
    *reason = std::string("byte 0x") + kHex[byte >> 4] + kHex[byte & 15] + " is not valid " + charset_;
    return false;
  }
  if (policies_.invalid_text == Policy::kEscape) {
    static const char kHex[] = "0123456789ABCDEF";
    out += copy_escape_ ? "\\\\x" : "\\x";  // COPY text for the two characters \x
    out += kHex[byte >> 4];
    out += kHex[byte & 15];
    ++changes[ChangeKind::kInvalidTextEscaped];
  } else {
    out += kReplacement;
    ++changes[ChangeKind::kInvalidTextReplaced];
  }
  return true;
}

bool TextEncoder::AppendUtf8(const char* data, size_t size, std::string& out, ColumnChanges& changes,
                             std::string* reason) const {
  const uint8_t* bytes = reinterpret_cast<const uint8_t*>(data);
  size_t run = 0;  // start of the bytes not yet appended
  int32_t i = 0;
  const int32_t length = static_cast<int32_t>(size);
  bool counted_nul = false;
  while (i < length) {
    uint8_t c = bytes[i];
    if (c >= 0x20 && c < 0x80 && c != '\\') {  // printable ASCII: most bytes
      ++i;
      continue;
    }
    if (c < 0x80) {
      out.append(data + run, i - run);
      if (c == 0) {
        if (policies_.nul_bytes == Policy::kReject) {
          *reason = "text contains a NUL byte (0x00)";
          return false;
        }
        if (!counted_nul) ++changes[ChangeKind::kNulStripped];
        counted_nul = true;
      } else if (Escapes(c)) {
        AppendEscapedCodePoint(c, out);
      } else {
        out += static_cast<char>(c);
      }
      run = ++i;
      continue;
    }
    int32_t start = i;
    UChar32 code_point;
    U8_NEXT(bytes, i, length, code_point);
    if (code_point < 0) {
      out.append(data + run, start - run);
      // U8_NEXT skips a truncated sequence whole; treat each of its bytes as invalid.
      for (int32_t b = start; b < i; ++b) {
        if (!HandleInvalidByte(bytes[b], out, changes, reason)) return false;
      }
      run = i;
    }
  }
  out.append(data + run, size - run);
  return true;
}

bool TextEncoder::AppendSingleByte(const char* data, size_t size, std::string& out,
                                   ColumnChanges& changes, std::string* reason) const {
  const auto& table = *table_;
  size_t run = 0;
  bool counted_nul = false;
  for (size_t i = 0; i < size; ++i) {
    unsigned char c = data[i];
    if (c >= 0x20 && c < 0x80 && c != '\\') continue;  // ASCII maps to itself in these charsets
    out.append(data + run, i - run);
    run = i + 1;
    if (c == 0) {
      if (policies_.nul_bytes == Policy::kReject) {
        *reason = "text contains a NUL byte (0x00)";
        return false;
      }
      if (!counted_nul) ++changes[ChangeKind::kNulStripped];
      counted_nul = true;
      continue;
    }
    const TableEntry& entry = table[c];
    if (entry.size == 0) {
      if (!HandleInvalidByte(c, out, changes, reason)) return false;
      continue;
    }
    out.append(entry.bytes, entry.size);
  }
  out.append(data + run, size - run);
  return true;
}

bool TextEncoder::AppendIcu(const char* data, size_t size, std::string& out, ColumnChanges& changes,
                            std::string* reason) const {
  // Decode to UTF-16 with ICU, stopping at each undecodable sequence.
  std::u16string utf16(size * 2 + 4, u'\0');
  const char* source = data;
  const char* source_end = data + size;
  ucnv_reset(icu_);
  std::string utf8;
  bool counted_nul = false;
  while (true) {
    UChar* target = reinterpret_cast<UChar*>(utf16.data());
    UChar* target_end = target + utf16.size();
    UErrorCode status = U_ZERO_ERROR;
    ucnv_toUnicode(icu_, &target, target_end, &source, source_end, nullptr, true, &status);
    for (UChar* p = reinterpret_cast<UChar*>(utf16.data()); p < target;) {
      UChar32 c;
      int32_t index = 0;
      U16_NEXT(p, index, target - p, c);
      p += index;
      if (c == 0) {
        if (policies_.nul_bytes == Policy::kReject) {
          *reason = "text contains a NUL character";
          return false;
        }
        if (!counted_nul) ++changes[ChangeKind::kNulStripped];  // once per value, as on the other paths
        counted_nul = true;
        continue;
      }
      AppendCodePoint(c, out);
    }
    if (U_SUCCESS(status)) break;
    if (status != U_ILLEGAL_CHAR_FOUND && status != U_INVALID_CHAR_FOUND &&
        status != U_TRUNCATED_CHAR_FOUND) {
      *reason = std::string("ICU decoding failed: ") + u_errorName(status);
      return false;
    }
    char bad[8];
    int8_t bad_length = sizeof(bad);
    UErrorCode ignored = U_ZERO_ERROR;
    ucnv_getInvalidChars(icu_, bad, &bad_length, &ignored);
    for (int8_t b = 0; b < bad_length; ++b) {
      if (!HandleInvalidByte(static_cast<unsigned char>(bad[b]), out, changes, reason)) return false;
    }
    ucnv_reset(icu_);
    if (source >= source_end) break;
  }
  return true;
}

}  // namespace my2pg
