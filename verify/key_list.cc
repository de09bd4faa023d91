#include "verify/key_list.h"

#include "common/error.h"
#include "common/identifier.h"
#include "verify/row_digest.h"

namespace my2pg {

KeyList::KeyList(std::vector<std::string> columns, std::vector<std::string> types,
                 std::vector<int> positions)
    : columns_(std::move(columns)),
      types_(std::move(types)),
      positions_(std::move(positions)),
      elements_(columns_.size()) {}

void AppendArrayElement(std::string_view copy_field, std::string& out) {
  if (copy_field == "\\N") {
    out += "NULL";
    return;
  }
  out += '"';
  for (char c : UnescapeCopyField(copy_field)) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  out += '"';
}

void KeyList::Add(std::string_view copy_line) {
  // The fields of a row, in order; positions_ may be in any order.
  std::vector<std::string_view> fields = SplitCopyLine(copy_line);
  for (size_t k = 0; k < positions_.size(); ++k) {
    if (static_cast<size_t>(positions_[k]) >= fields.size()) {
      throw Error(ErrorCategory::kInternal,
                  "a key column past the row's fields: " + std::string(copy_line.substr(0, 200)));
    }
    if (size_ > 0) elements_[k] += ',';
    AppendArrayElement(fields[positions_[k]], elements_[k]);
  }
  ++size_;
}

void KeyList::Clear() {
  for (std::string& elements : elements_) elements.clear();
  size_ = 0;
}

std::string KeyList::Condition() const {
  if (size_ == 0) return "false";
  auto array = [this](size_t k) {
    return QuotePgLiteral("{" + elements_[k] + "}") + "::" + types_[k] + "[]";
  };
  if (columns_.size() == 1) return QuotePgIdentifier(columns_[0]) + " = ANY(" + array(0) + ")";
  std::string tuple, arrays;
  for (size_t k = 0; k < columns_.size(); ++k) {
    tuple += (k ? ", " : "") + QuotePgIdentifier(columns_[k]);
    arrays += (k ? ", " : "") + array(k);
  }
  return "(" + tuple + ") IN (SELECT * FROM unnest(" + arrays + "))";
}

}  // namespace my2pg
