#include "runtime/orphan_check.h"

#include "adapters/pg_row_reader.h"
#include "common/error.h"
#include "common/identifier.h"
#include "common/strings.h"
#include "converter/numeric_text.h"
#include "converter/row_converter.h"
#include "mapper/ddl.h"
#include "runtime/orphan_values.h"
#include "verify/row_digest.h"

namespace my2pg {
namespace {

const TargetColumn* ColumnNamed(const TargetTable& table, const std::string& name) {
  for (const TargetColumn& column : table.columns) {
    if (column.name == name) return &column;
  }
  return nullptr;
}

// The key's columns an orphan's NULL goes into; none: its orphans are rejected.
std::vector<std::string> NullableColumns(const TargetTable& table, const TargetForeignKey& key) {
  std::vector<std::string> nullable;
  for (const std::string& name : key.columns) {
    const TargetColumn* column = ColumnNamed(table, name);
    if (column != nullptr && column->nullable) nullable.push_back(name);
  }
  return nullable;
}

// The source column "target" was loaded from, or "".
std::string SourceNameOf(const SchemaPlan& plan, const TargetTable& table, const std::string& target) {
  const TargetColumn* column = ColumnNamed(table, target);
  return column != nullptr && column->from_source() ? plan.source_of(table, *column).name : "";
}

// Deletes the orphans of "key", giving each to "removed"; returns how many.
// "condition" selects them (alias c).
int64_t RejectOrphans(CopyConnection& connection, const SchemaPlan& plan, const TargetTable& table,
                      const TargetForeignKey& key, const std::string& condition,
                      const std::vector<std::string>& source_columns, const RemovedRowsSink& removed) {
  // RETURNING the reject row's values, then the key's (for the reason).
  std::string returning;
  for (const std::string& source : source_columns) {
    std::string loaded;
    for (const TargetColumn& column : table.columns) {
      if (column.from_source() && plan.source_of(table, column).name == source) loaded = column.name;
    }
    returning += (returning.empty() ? "" : ", ") + (loaded.empty() ? "NULL" : "c." + QuotePgIdentifier(loaded));
  }
  for (const std::string& column : key.columns) returning += ", c." + QuotePgIdentifier(column);
  const std::string first_source = SourceNameOf(plan, table, key.columns[0]);
  int at_fault = -1;
  for (size_t i = 0; i < source_columns.size(); ++i) {
    if (source_columns[i] == first_source) at_fault = static_cast<int>(i);
  }
  const std::string parent = key.referenced_table + "." +
                             (key.referenced_columns.size() == 1 ? key.referenced_columns[0]
                                                                 : "(" + Join(key.referenced_columns, ", ") + ")");
  int64_t rejected = 0;
  std::vector<RemovedRow> batch;
  size_t batch_bytes = 0;
  ReadCopyRows(connection,
               "DELETE FROM " + QualifiedName(table.schema, table.name) + " c WHERE " + condition +
                   " RETURNING " + returning,
               [&](std::string_view line) {
                 std::vector<std::string_view> fields = SplitCopyLine(line);
                 RemovedRow& row = batch.emplace_back();
                 for (size_t i = 0; i < source_columns.size(); ++i) {
                   row.is_null.push_back(fields[i] == "\\N");
                   row.values.push_back(row.is_null.back() ? "" : UnescapeCopyField(fields[i]));
                 }
                 std::vector<std::string_view> key_values(fields.begin() + source_columns.size(), fields.end());
                 row.column = at_fault;
                 row.reason = OrphanReason(parent, key_values);
                 ++rejected;
                 batch_bytes += line.size();
                 if (batch.size() == kRemovedRowsBatch || batch_bytes >= kRemovedRowsBatchBytes) {
                   removed(batch);
                   batch.clear();
                   batch_bytes = 0;
                 }
               });
  if (!batch.empty()) removed(batch);
  return rejected;
}

bool IsInteger(const TargetColumn* column) {
  return column != nullptr && IsIntegerKind(column->kind);
}

// The target's server_version_num (150004 for 15.4).
int ServerVersion(CopyConnection& connection) {
  int64_t version = 0;
  ReadCopyRows(connection, "SELECT current_setting('server_version_num')",
               [&](std::string_view field) { ParseInt64(field, &version); });
  return static_cast<int>(version);
}

// True if the orphans of "key" are found by two streams rather than by an
// anti-join: a key of one integer column, referencing another table.
bool FoundByStreams(const SchemaPlan& plan, const TargetTable& table, const TargetForeignKey& key) {
  if (key.columns.size() != 1 || References(key, table) || !IsInteger(ColumnNamed(table, key.columns[0]))) return false;
  for (const TargetTable& parent : plan.tables) {
    if (References(key, parent)) return IsInteger(ColumnNamed(parent, key.referenced_columns[0]));
  }
  return false;
}

// Beyond this many orphan key values, the anti-join rather than a list.
constexpr uint64_t kMostListedOrphanValues = 100000;
// Beyond this size of the child's bitmap (sparse keys: hashed or snowflake
// ids cost about 10 bytes each), the anti-join, bounded by work_mem.
constexpr size_t kMostBitmapBytes = 64 << 20;
// PostgreSQL hashes "= ANY(constant array)" from version 14; before, each
// row would scan the list.
constexpr int kHashedAnyVersion = 140000;

// The condition (alias c) that selects the orphans of "key" in "table", or
// "" if it has none. For a key FoundByStreams, the child's key values are
// read into a bitmap, the parent's streamed through it and removed: what is
// left are the orphans' values (usually none, and the statement is not
// run). PostgreSQL's anti-join would hash the parent, the bigger side (15
// has no right anti-join), and a DELETE or UPDATE never runs in parallel:
// 2.2 s against about 0.7 s for the benchmark's 1M-row payment and 2M-row
// booking. Memory: the child's distinct values in a compressed bitmap.
std::string OrphansCondition(CopyConnection& connection, const SchemaPlan& plan, const TargetTable& table,
                             const TargetForeignKey& key) {
  if (!FoundByStreams(plan, table, key) || ServerVersion(connection) < kHashedAnyVersion) {
    return OrphanCondition(key, "c");
  }
  OrphanValues orphans(kMostBitmapBytes);
  const std::string column = QuotePgIdentifier(key.columns[0]);
  ReadCopyRows(connection, "SELECT " + column + " FROM " + QualifiedName(table.schema, table.name) + " WHERE " + column +
                               " IS NOT NULL",
               [&](std::string_view field) {
                 if (orphans.too_big()) return;  // read to the end: the COPY cannot stop halfway
                 int64_t value;
                 if (!ParseInt64(field, &value)) throw Error(ErrorCategory::kInternal, "not an integer key: " + std::string(field));
                 orphans.AddChild(value);
               });
  if (orphans.too_big()) return OrphanCondition(key, "c");
  if (orphans.count() == 0) return "";
  const std::string parent_column = QuotePgIdentifier(key.referenced_columns[0]);
  ReadCopyRows(connection, "SELECT " + parent_column + " FROM " + QualifiedName(key.referenced_schema, key.referenced_table) +
                               " WHERE " + parent_column + " IS NOT NULL",
               [&](std::string_view field) {
                 int64_t value;
                 if (ParseInt64(field, &value)) orphans.RemoveParent(value);
               });
  if (orphans.count() == 0) return "";
  if (orphans.count() > kMostListedOrphanValues) return OrphanCondition(key, "c");
  return orphans.AnyCondition("c." + column);
}

}  // namespace

bool HasOrphanChecksAfterLoad(const TargetTable& table) {
  for (const TargetForeignKey& key : table.foreign_keys) {
    if (CheckedAfterLoad(key)) return true;
  }
  return false;
}

OrphanCheckResult CheckOrphansAfterLoad(CopyConnection& connection, const SchemaPlan& plan, const TargetTable& table,
                                        const std::vector<std::string>& source_columns, const RemovedRowsSink& removed,
                                        const std::function<std::string(int64_t rows_rejected)>& commit_sql) {
  OrphanCheckResult result;
  RunStatement(connection, "BEGIN");
  try {
    RunStatement(connection, "SET LOCAL work_mem = '64MB'");  // the anti-joins hash in memory, not in batches
    // Rejects first: a row rejected counts no change, as in the converter.
    // Those of self-references last, each repeated until it deletes
    // nothing: a row deleted orphans the rows that referenced it (a chain
    // of managers), and a DELETE sees the table as it was when it began.
    auto rejecting = [&table](const TargetForeignKey& key) {
      return CheckedAfterLoad(key) && (key.orphans == Policy::kReject || NullableColumns(table, key).empty());
    };
    for (const TargetForeignKey& key : table.foreign_keys) {
      if (!rejecting(key) || References(key, table)) continue;
      std::string condition = OrphansCondition(connection, plan, table, key);
      if (!condition.empty()) {
        result.rows_rejected += RejectOrphans(connection, plan, table, key, condition, source_columns, removed);
      }
    }
    for (bool deleted = true; deleted;) {
      deleted = false;
      for (const TargetForeignKey& key : table.foreign_keys) {
        if (!rejecting(key) || !References(key, table)) continue;
        int64_t rows = RejectOrphans(connection, plan, table, key, OrphanCondition(key, "c"), source_columns, removed);
        result.rows_rejected += rows;
        deleted = deleted || rows > 0;
      }
    }
    for (const TargetForeignKey& key : table.foreign_keys) {
      std::vector<std::string> nullable = NullableColumns(table, key);
      if (!CheckedAfterLoad(key) || key.orphans != Policy::kNull || nullable.empty()) continue;
      std::string condition = OrphansCondition(connection, plan, table, key);
      if (condition.empty()) continue;
      std::string set;
      for (const std::string& column : nullable) set += (set.empty() ? "" : ", ") + QuotePgIdentifier(column) + " = NULL";
      int64_t nulled = RunStatement(connection, "UPDATE " + QualifiedName(table.schema, table.name) + " c SET " + set +
                                                    " WHERE " + condition);
      for (const std::string& column : nullable) result.nulled[column] += nulled;
    }
    std::string last = commit_sql(result.rows_rejected);
    if (!last.empty()) RunStatement(connection, last);
    RunStatement(connection, "COMMIT");
  } catch (...) {
    try {
      RunStatement(connection, "ROLLBACK");
    } catch (const Error&) {
      // The connection broke: its transaction is gone with it.
    }
    throw;
  }
  return result;
}

}  // namespace my2pg
