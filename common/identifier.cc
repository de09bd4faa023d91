#include "common/identifier.h"

namespace my2pg {
namespace {

std::string QuoteDoubling(std::string_view text, char quote) {
  std::string out;
  out.reserve(text.size() + 2);
  out += quote;
  for (char c : text) {
    if (c == quote) out += quote;
    out += c;
  }
  out += quote;
  return out;
}

}  // namespace

std::string QuotePgIdentifier(std::string_view name) { return QuoteDoubling(name, '"'); }
std::string QuotePgLiteral(std::string_view text) { return QuoteDoubling(text, '\''); }
std::string QuoteMySqlIdentifier(std::string_view name) { return QuoteDoubling(name, '`'); }

std::string QuoteMySqlLiteral(std::string_view text) {
  std::string out = "'";
  for (char c : text) {
    if (c == '\'' || c == '\\') out += '\\';
    out += c;
  }
  return out + "'";
}

std::string TruncateIdentifier(std::string_view name, size_t max_bytes) {
  if (name.size() <= max_bytes) return std::string(name);
  size_t cut = max_bytes;
  // Step back over UTF-8 continuation bytes so no sequence is split.
  while (cut > 0 && (static_cast<unsigned char>(name[cut]) & 0xC0) == 0x80) --cut;
  return std::string(name.substr(0, cut));
}

}  // namespace my2pg
