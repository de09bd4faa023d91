#include "mapper/catalog.h"

namespace my2pg {

const SourceIndex* SourceTable::primary_key() const {
  for (const auto& index : indexes) {
    if (index.is_primary()) return &index;
  }
  return nullptr;
}

const SourceColumn* SourceTable::FindColumn(const std::string& column_name) const {
  for (const auto& column : columns) {
    if (column.name == column_name) return &column;
  }
  return nullptr;
}

const SourceTable* SourceCatalog::FindTable(const std::string& table_name) const {
  for (const auto& table : tables) {
    if (table.name == table_name) return &table;
  }
  return nullptr;
}

std::vector<std::string> ParseEnumLabels(const std::string& column_type) {
  std::vector<std::string> labels;
  size_t open = column_type.find('(');
  if (open == std::string::npos) return labels;
  size_t i = open + 1;
  while (i < column_type.size() && column_type[i] == '\'') {
    std::string label;
    ++i;
    while (i < column_type.size()) {
      char c = column_type[i];
      if (c == '\'' && i + 1 < column_type.size() && column_type[i + 1] == '\'') {
        label += '\'';
        i += 2;
      } else if (c == '\\' && i + 1 < column_type.size()) {
        label += column_type[i + 1];
        i += 2;
      } else if (c == '\'') {
        ++i;
        break;
      } else {
        label += c;
        ++i;
      }
    }
    labels.push_back(std::move(label));
    if (i < column_type.size() && column_type[i] == ',') ++i;
  }
  return labels;
}

}  // namespace my2pg
