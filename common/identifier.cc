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

std::string DollarQuote(std::string_view body) {
  std::string tag = "$my2pg$";
  for (int n = 1;; ++n) {
    // The body must not hold the tag, nor end with text that makes the
    // closing tag start inside it ("x$my2pg" + "$my2pg$").
    std::string closed = std::string(body) + tag;
    if (closed.find(tag) == body.size()) return tag + closed;
    tag = "$my2pg_" + std::to_string(n) + "$";
  }
}

std::string CommentText(std::string_view text) {
  static const char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    unsigned char byte = static_cast<unsigned char>(c);
    if (c == '\n') {
      out += "\\n";
    } else if (c == '\r') {
      out += "\\r";
    } else if (c == '\t') {
      out += "\\t";
    } else if (c == '\\') {
      out += "\\\\";
    } else if (byte < 0x20 || byte == 0x7f) {
      out += "\\x";
      out += kHex[byte >> 4];
      out += kHex[byte & 15];
    } else {
      out += c;
    }
  }
  return out;
}

std::string UniqueNames::Take(std::string_view wanted) {
  std::string name = TruncateIdentifier(wanted);
  for (int suffix = 1; used_.count(name); ++suffix) {
    std::string tail = "_" + std::to_string(suffix);
    name = TruncateIdentifier(wanted, 63 - tail.size()) + tail;
  }
  used_.insert(name);
  return name;
}

}  // namespace my2pg
