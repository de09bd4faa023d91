#include "runtime/removed_rows.h"

#include <algorithm>
#include <iterator>
#include <unordered_map>

#include "adapters/mysql_row_source.h"
#include "common/error.h"
#include "common/identifier.h"
#include "common/strings.h"

namespace my2pg {

const char kLoadedValuesNote[] = " (values as loaded: the source row could not be read back)";

bool KeyReadsBack(const SchemaPlan& plan, const TargetTable& table) {
  if (table.key_source_columns.empty()) return false;
  const SourceTable& source = plan.source_of(table);
  // A unique source index on exactly the key finds each row at once; a key
  // a rule gave would scan the table for every batch, and may name several.
  auto on_the_key = [&](const SourceIndex& index) {
    auto same_column = [&](const SourceIndexPart& part, int key) {
      return !part.prefix_length && part.column == source.columns[key].name;
    };
    return index.unique && index.kind != "FULLTEXT" && index.kind != "SPATIAL" &&
           std::equal(index.parts.begin(), index.parts.end(), table.key_source_columns.begin(),
                      table.key_source_columns.end(), same_column);
  };
  if (std::none_of(source.indexes.begin(), source.indexes.end(), on_the_key)) return false;
  for (int key : table.key_source_columns) {
    const SourceColumn& column = source.columns[key];
    static const char* const kIntegers[] = {"tinyint", "smallint", "mediumint", "int", "bigint"};
    bool integer = std::find(std::begin(kIntegers), std::end(kIntegers), column.data_type) != std::end(kIntegers);
    if (!integer || column.column_type.find("zerofill") != std::string::npos) return false;
    auto loaded = std::find_if(table.columns.begin(), table.columns.end(),
                               [key](const TargetColumn& target) { return target.source_index == key; });
    if (loaded == table.columns.end() || !loaded->cleanup.empty()) return false;
    // numeric: a BIGINT UNSIGNED, whose digits read the same.
    if (!IsIntegerKind(loaded->kind) && loaded->kind != TargetKind::kNumeric) return false;
  }
  return true;
}

RemovedRowWriter::RemovedRowWriter(MySqlStream& source, const std::string& database, const std::string& table,
                                   const std::vector<std::string>& select_list,
                                   const std::vector<std::string>& key_columns, const std::vector<int>& key_positions,
                                   RowConverter* replay, RejectSink& rejects)
    : source_(source),
      database_(database),
      table_(table),
      select_list_(select_list),
      key_columns_(key_columns),
      key_positions_(key_positions),
      replay_(replay),
      rejects_(rejects) {}

std::string RemovedRowWriter::KeyOf(const std::vector<std::string_view>& values, const std::vector<bool>& is_null,
                                    bool* usable) const {
  std::string key;
  *usable = !key_positions_.empty();
  for (int position : key_positions_) {
    if (is_null[position]) *usable = false;
    // Length-prefixed: a key of several columns is never ambiguous.
    key += std::to_string(values[position].size()) + ':';
    key += values[position];
  }
  return key;
}

void RemovedRowWriter::Write(const std::vector<RemovedRow>& rows) {
  // The rows by their loaded key, and the source's IN list for them.
  std::unordered_map<std::string, size_t> by_key;
  std::string in_list;
  for (size_t r = 0; r < rows.size(); ++r) {
    std::vector<std::string_view> values(rows[r].values.begin(), rows[r].values.end());
    bool usable;
    std::string key = KeyOf(values, rows[r].is_null, &usable);
    if (!usable || !by_key.emplace(key, r).second) continue;
    std::string tuple;
    for (int position : key_positions_) {
      tuple += (tuple.empty() ? "" : ", ") + QuoteMySqlLiteral(rows[r].values[position]);
    }
    in_list += (in_list.empty() ? "" : ", ") + (key_positions_.size() == 1 ? tuple : "(" + tuple + ")");
  }

  // The source rows found, as read (owned: the stream reuses its buffers).
  std::vector<std::vector<std::string>> found(rows.size());
  std::vector<std::vector<bool>> found_null(rows.size());
  if (!in_list.empty() && !source_failed_) {
    try {
      ReadBack(in_list, by_key, found, found_null);
    } catch (const Error& e) {
      if (e.category() != ErrorCategory::kSource) throw;
      // The rows are still written, with their loaded values: nothing lost.
      source_failed_ = true;
      found.assign(rows.size(), {});
      found_null.assign(rows.size(), {});
    }
  }

  std::vector<SourceValue> values;
  for (size_t r = 0; r < rows.size(); ++r) {
    bool from_source = !found[r].empty();
    const std::vector<std::string>& data = from_source ? found[r] : rows[r].values;
    const std::vector<bool>& is_null = from_source ? found_null[r] : rows[r].is_null;
    values.assign(data.size(), SourceValue());
    for (size_t c = 0; c < data.size(); ++c) {
      values[c].is_null = is_null[c];
      values[c].data = data[c].data();
      values[c].size = data[c].size();
    }
    rejects_.Write(-1, values.data(), rows[r].column, from_source ? rows[r].reason : rows[r].reason + kLoadedValuesNote);
  }
}

void RemovedRowWriter::ReadBack(const std::string& in_list, const std::unordered_map<std::string, size_t>& by_key,
                                std::vector<std::vector<std::string>>& found,
                                std::vector<std::vector<bool>>& found_null) {
  std::vector<std::string> quoted;
  for (const std::string& column : key_columns_) quoted.push_back(QuoteMySqlIdentifier(column));
  std::string columns = quoted.size() == 1 ? quoted[0] : "(" + Join(quoted, ", ") + ")";
  MySqlRowSource source_rows(source_, database_, table_, select_list_, columns + " IN (" + in_list + ")");
  TableStats changes;
  std::vector<std::string_view> values(select_list_.size());
  std::vector<bool> is_null(select_list_.size());
  while (source_rows.Next()) {
    const SourceValue* row = source_rows.values();
    for (size_t c = 0; c < values.size(); ++c) {
      values[c] = row[c].is_null ? std::string_view() : row[c].view();
      is_null[c] = row[c].is_null;
    }
    bool usable;
    auto match = by_key.find(KeyOf(values, is_null, &usable));
    // Equal under the column's collation is not enough: the bytes must be.
    if (!usable || match == by_key.end() || !found[match->second].empty()) continue;
    found[match->second].assign(values.begin(), values.end());
    found_null[match->second] = is_null;
    if (replay_ == nullptr) continue;
    RowRejection unused;
    replay_->Convert(row, line_, changes, &unused);
    line_.clear();
  }
  taken_back_.Merge(changes);  // only once every row is read: a failure takes back none
}

}  // namespace my2pg
