#include "verify/key_list.h"

#include "common/error.h"
#include "common/identifier.h"
#include "common/strings.h"
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

std::string KeyList::Array(size_t k) const {
  return QuotePgLiteral("{" + elements_[k] + "}") + "::" + types_[k] + "[]";
}

std::string KeyList::Condition() const {
  if (size_ == 0) return "false";
  if (columns_.size() == 1) return QuotePgIdentifier(columns_[0]) + " = ANY(" + Array(0) + ")";
  std::string tuple, arrays;
  for (size_t k = 0; k < columns_.size(); ++k) {
    tuple += (k ? ", " : "") + QuotePgIdentifier(columns_[k]);
    arrays += (k ? ", " : "") + Array(k);
  }
  return "(" + tuple + ") IN (SELECT * FROM unnest(" + arrays + "))";
}

std::string KeyList::IndexedSelect(const std::string& select_list, const std::string& table) const {
  if (size_ == 0) return "SELECT " + select_list + " FROM " + table + " WHERE false";
  std::string arrays, names, match;
  for (size_t k = 0; k < columns_.size(); ++k) {
    std::string name = "k" + std::to_string(k);
    arrays += (k ? ", " : "") + Array(k);
    names += (k ? ", " : "") + name;
    match += (k ? " AND " : "") + QuotePgIdentifier(columns_[k]) + " = my2pg_keys." + name;
  }
  return "SELECT my2pg_rows.* FROM unnest(" + arrays + ") AS my2pg_keys(" + names +
         ") CROSS JOIN LATERAL (SELECT " + select_list + " FROM " + table + " WHERE " + match +
         " OFFSET 0) AS my2pg_rows";
}

}  // namespace my2pg
