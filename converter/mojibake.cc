#include "converter/mojibake.h"

#include <unicode/ucnv.h>
#include <unicode/utf8.h>

#include <array>

namespace my2pg {
namespace {

// Windows-1252 bytes 0x80-0x9F, as ICU decodes them; the five bytes it leaves
// undefined stand for the C1 controls of the same value, as in MySQL.
const std::array<UChar32, 32>& HighControls() {
  static const std::array<UChar32, 32> kTable = [] {
    std::array<UChar32, 32> table{};
    UErrorCode status = U_ZERO_ERROR;
    UConverter* converter = ucnv_open("windows-1252", &status);
    for (int i = 0; i < 32; ++i) {
      table[i] = 0x80 + i;
      if (U_FAILURE(status)) continue;
      char byte = static_cast<char>(0x80 + i);
      UChar output[2];
      UErrorCode decode_status = U_ZERO_ERROR;
      ucnv_reset(converter);
      int32_t length = ucnv_toUChars(converter, output, 2, &byte, 1, &decode_status);
      if (U_SUCCESS(decode_status) && length == 1 && output[0] != 0xFFFD && output[0] != 0x1A) {
        table[i] = output[0];
      }
    }
    if (converter != nullptr) ucnv_close(converter);
    return table;
  }();
  return kTable;
}

// The Windows-1252 byte for "c", or -1.
int Cp1252Byte(UChar32 c) {
  if (c < 0x80 || (c >= 0xA0 && c <= 0xFF)) return c;
  const auto& high = HighControls();
  for (int i = 0; i < 32; ++i) {
    if (high[i] == c) return 0x80 + i;
  }
  return -1;
}

bool IsValidUtf8(const std::string& bytes) {
  const uint8_t* data = reinterpret_cast<const uint8_t*>(bytes.data());
  int32_t length = static_cast<int32_t>(bytes.size());
  for (int32_t i = 0; i < length;) {
    UChar32 c;
    U8_NEXT(data, i, length, c);
    if (c < 0) return false;
  }
  return true;
}

}  // namespace

bool RepairMojibake(std::string& text, std::string& scratch) {
  bool repaired = false;
  for (int round = 0; round < 3; ++round) {
    scratch.clear();
    bool high = false;
    const uint8_t* data = reinterpret_cast<const uint8_t*>(text.data());
    int32_t length = static_cast<int32_t>(text.size());
    for (int32_t i = 0; i < length;) {
      UChar32 c;
      U8_NEXT(data, i, length, c);
      int byte = c < 0 ? -1 : Cp1252Byte(c);
      if (byte < 0) return repaired;  // not representable: this is not mojibake
      high = high || byte >= 0x80;
      scratch += static_cast<char>(byte);
    }
    if (!high || !IsValidUtf8(scratch)) return repaired;
    text.swap(scratch);
    repaired = true;
  }
  return repaired;
}

}  // namespace my2pg
