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

std::vector<ChunkBounds> SplitKeyRange(size_t table, int64_t min, int64_t max, int chunks) {
  if (chunks <= 1 || max <= min) return {ChunkBounds{table, 0, 1, std::nullopt, std::nullopt}};
  // 128-bit arithmetic: max - min may not fit in 64 bits.
  __int128 span = static_cast<__int128>(max) - min + 1;
  std::vector<ChunkBounds> ranges;
  for (int i = 0; i < chunks; ++i) {
    ChunkBounds bounds{table, i, chunks, std::nullopt, std::nullopt};
    if (i > 0) bounds.lower = static_cast<int64_t>(min + span * i / chunks);
    if (i + 1 < chunks) bounds.upper = static_cast<int64_t>(min + span * (i + 1) / chunks);
    ranges.push_back(bounds);
  }
  return ranges;
}

std::string BoundsCondition(const std::string& quoted_column, const ChunkBounds& bounds) {
  std::string condition;
  if (bounds.lower) condition = quoted_column + " >= " + std::to_string(*bounds.lower);
  if (bounds.upper) condition += (condition.empty() ? "" : " AND ") + quoted_column + " < " + std::to_string(*bounds.upper);
  return condition;
}

std::vector<std::string> ChunkConditions(const std::string& column, int64_t min, int64_t max, int chunks) {
  std::vector<std::string> conditions;
  for (const ChunkBounds& bounds : SplitKeyRange(0, min, max, chunks)) {
    conditions.push_back(BoundsCondition(QuoteMySqlIdentifier(column), bounds));
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
      if (!OrphansChecked(key)) continue;
      for (size_t p = 0; p < plan.tables.size(); ++p) {
        if (p != t && References(key, plan.tables[p])) {
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
