#include "runtime/copy_tasks.h"

#include <functional>

#include "common/identifier.h"

namespace my2pg {

std::optional<std::string> ChunkColumn(const SchemaPlan& plan, const TargetTable& table) {
  const SourceTable& source = plan.source_of(table);
  const SourceIndex* key = source.primary_key();
  if (key == nullptr || key->parts.size() != 1) return std::nullopt;
  const SourceColumn* column = source.FindColumn(key->parts[0].column);
  static const char* const kIntegers[] = {"tinyint", "smallint", "mediumint", "int", "integer", "bigint"};
  for (const char* type : kIntegers) {
    if (column->data_type == type) return column->name;
  }
  return std::nullopt;
}

std::vector<std::string> ChunkConditions(const std::string& column, int64_t min, int64_t max, int chunks) {
  std::vector<std::string> conditions;
  const std::string name = QuoteMySqlIdentifier(column);
  if (chunks <= 1 || max <= min) return {""};
  // 128-bit arithmetic: max - min may not fit in 64 bits.
  __int128 span = static_cast<__int128>(max) - min + 1;
  std::vector<int64_t> bounds;  // chunk starts after the first
  for (int i = 1; i < chunks; ++i) {
    bounds.push_back(static_cast<int64_t>(min + span * i / chunks));
  }
  for (int i = 0; i < chunks; ++i) {
    std::string condition;
    if (i > 0) condition = name + " >= " + std::to_string(bounds[i - 1]);
    if (i + 1 < chunks) {
      condition += (condition.empty() ? "" : " AND ") + name + " < " + std::to_string(bounds[i]);
    }
    conditions.push_back(condition);
  }
  return conditions;
}

std::vector<int> CopyLevels(const SchemaPlan& plan) {
  std::vector<int> levels(plan.tables.size(), -1);
  std::vector<bool> visiting(plan.tables.size(), false);
  std::function<int(size_t)> level = [&](size_t t) -> int {
    if (levels[t] >= 0) return levels[t];
    if (visiting[t]) return 0;  // a cycle: reported when the orphan check finds no loaded parent
    visiting[t] = true;
    int result = 0;
    for (const TargetForeignKey& key : plan.tables[t].foreign_keys) {
      if (key.origin.empty() || key.orphans == Policy::kKeep) continue;
      for (size_t p = 0; p < plan.tables.size(); ++p) {
        if (p != t && plan.tables[p].schema == key.referenced_schema && plan.tables[p].name == key.referenced_table) {
          result = std::max(result, level(p) + 1);
        }
      }
    }
    visiting[t] = false;
    return levels[t] = result;
  };
  for (size_t t = 0; t < plan.tables.size(); ++t) level(t);
  return levels;
}

}  // namespace my2pg
