#include "runtime/database_verification.h"

#include <cppconn/resultset.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdlib>
#include <map>
#include <memory>
#include <mutex>
#include <new>
#include <optional>
#include <random>
#include <set>
#include <thread>

#include "adapters/catalog_reader.h"
#include "adapters/copy_writer.h"
#include "adapters/mysql_row_source.h"
#include "adapters/mysql_session.h"
#include "adapters/mysql_stream.h"
#include "adapters/parent_keys_reader.h"
#include "adapters/pg_row_reader.h"
#include "adapters/pg_session.h"
#include "common/error.h"
#include "common/identifier.h"
#include "converter/row_converter.h"
#include "mapper/ddl.h"
#include "mapper/mapper.h"
#include "runtime/copy_tasks.h"

namespace my2pg {
namespace {

using Clock = std::chrono::steady_clock;

std::string ExceptionMessage(const std::exception& e) {
  if (dynamic_cast<const Error*>(&e) != nullptr) return e.what();
  if (dynamic_cast<const std::bad_alloc*>(&e) != nullptr) return "out of memory";
  return std::string("internal error: ") + e.what();
}

// One table being verified, shared by the threads comparing its chunks.
struct TableCheck {
  const TargetTable* table = nullptr;
  std::string qualified;                  // "schema"."name"
  std::vector<std::string> select_list;   // MySQL: what the row stream selects (target order)
  std::vector<std::string> target_select; // PostgreSQL: the same columns, quoted
  std::vector<std::string> names;         // target column names, parallel
  std::vector<ColumnCanon> canons;
  std::vector<int> key_positions;         // of the key columns in the row; empty: no usable key
  std::vector<std::string> key_names;
  std::optional<std::string> range_source;  // the integer key, for ranges: MySQL column
  std::string range_target;                 // and its target column
  bool content = true;                      // false: schema broken, content not compared
  std::mutex mutex;                         // guards report
  TableVerification report;
};

// A unit of work: one key range of a table, or a whole table.
struct ChunkTask {
  size_t table = 0;
  bool ranged = false;
  KeyRange range;
};

class DatabaseVerifier {
 public:
  DatabaseVerifier(const std::string& database, const VerifyOptions& options)
      : options_(options), target_(options.target.ForDatabase(database)) {
    result_.database = database;
    result_.target_database = target_.database;
    threads_ = std::max(1, options.threads);
  }

  DatabaseVerification Run() {
    auto start = Clock::now();
    try {
      Prepare();
      CheckSchema();
      CompareContent();
      Conclude();
    } catch (const std::exception& e) {
      result_.status = "failed";
      result_.error = ExceptionMessage(e);
    }
    for (auto& check : checks_) result_.tables.push_back(std::move(check->report));
    if (result_.status != "failed") {
      for (const auto& table : result_.tables) {
        if (table.status == "failed") {
          result_.status = "failed";
          if (result_.error.empty()) result_.error = "table " + table.table + " could not be checked: " + table.error;
        } else if (table.status == "mismatch" && result_.status == "ok") {
          result_.status = "mismatch";
        }
      }
    }
    if (options_.progress != nullptr) {
      options_.progress->SetPhase(result_.status == "failed" ? Phase::kFailed : Phase::kDone);
    }
    result_.seconds = std::chrono::duration<double>(Clock::now() - start).count();
    return std::move(result_);
  }

 private:
  void Prepare() {
    if (options_.progress != nullptr) options_.progress->SetPhase(Phase::kSchema);
    MySqlSession catalog(options_.source);
    Rules rules = *options_.rules;
    if (!options_.timezone.empty()) rules.conversions.timezone = options_.timezone;
    plan_ = MapCatalog(ReadCatalog(catalog, result_.database), rules);
    {
      PgSession admin(target_.WithDatabase("postgres"));
      if (admin.QueryValue("SELECT 1 FROM pg_database WHERE datname = " + QuotePgLiteral(target_.database)).empty()) {
        throw Error(ErrorCategory::kTarget, "target database '" + target_.database + "' does not exist");
      }
    }
    control_ = std::make_unique<PgSession>(target_);
    int64_t total = 0;
    for (const TargetTable& table : plan_.tables) {
      auto check = std::make_unique<TableCheck>();
      const SourceTable& source = plan_.source_of(table);
      check->table = &table;
      check->qualified = QualifiedName(table.schema, table.name);
      check->report.table = source.name;
      check->report.target = check->qualified;
      std::optional<std::string> range_column = ChunkColumn(plan_, table);
      for (const TargetColumn& column : table.columns) {
        if (!column.from_source()) continue;
        const SourceColumn& source_column = plan_.source_of(table, column);
        int position = static_cast<int>(check->names.size());
        check->select_list.push_back(SelectExpression(source_column));
        check->target_select.push_back(QuotePgIdentifier(column.name));
        check->names.push_back(column.name);
        check->canons.push_back(CanonFor(column));
        if (range_column && source_column.name == *range_column) {
          check->range_source = *range_column;
          check->range_target = column.name;
        }
        (void)position;
      }
      // The key, if the target keeps all of its columns.
      for (int key : table.key_source_columns) {
        int found = -1;
        int position = 0;
        for (const TargetColumn& column : table.columns) {
          if (!column.from_source()) continue;
          if (column.source_index == key) found = position;
          ++position;
        }
        if (found < 0) {
          check->key_positions.clear();
          check->key_names.clear();
          break;
        }
        check->key_positions.push_back(found);
        check->key_names.push_back(check->names[found]);
      }
      std::vector<std::pair<int, std::string>> sorted;
      for (size_t k = 0; k < check->key_positions.size(); ++k) {
        sorted.emplace_back(check->key_positions[k], check->key_names[k]);
      }
      std::sort(sorted.begin(), sorted.end());  // RowHasher wants them in row order
      check->key_positions.clear();
      check->key_names.clear();
      for (const auto& [position, name] : sorted) {
        check->key_positions.push_back(position);
        check->key_names.push_back(name);
      }
      total += source.row_estimate;
      checks_.push_back(std::move(check));
    }
    if (options_.progress != nullptr) {
      options_.progress->rows_estimate = total;
      options_.progress->tables_total = static_cast<int32_t>(checks_.size());
    }
  }

  // Tables, columns, indexes, foreign keys and identities the plan promises.
  void CheckSchema() {
    for (auto& owned : checks_) {
      TableCheck& check = *owned;
      TableVerification& report = check.report;
      const TargetTable& table = *check.table;
      try {
        std::string oid = control_->QueryValue("SELECT to_regclass(" + QuotePgLiteral(check.qualified) + ")::oid");
        if (oid.empty()) {
          report.problems.push_back("table " + check.qualified + " is missing");
          check.content = false;
          continue;
        }
        std::set<std::string> columns;
        for (const auto& row : control_->Query("SELECT attname FROM pg_attribute WHERE attrelid = " + oid +
                                               " AND attnum > 0 AND NOT attisdropped")) {
          columns.insert(row[0]);
        }
        for (const TargetColumn& column : table.columns) {
          if (columns.count(column.name) == 0) {
            report.problems.push_back("column " + column.name + " is missing");
            if (column.from_source()) check.content = false;
          }
        }
        std::map<std::string, bool> indexes;  // name: primary
        for (const auto& row : control_->Query("SELECT c.relname, i.indisprimary FROM pg_index i JOIN pg_class c ON "
                                               "c.oid = i.indexrelid WHERE i.indrelid = " + oid)) {
          indexes[row[0]] = row[1] == "t";
        }
        for (const TargetIndex& index : table.indexes) {
          auto it = indexes.find(index.name);
          if (it == indexes.end()) {
            report.problems.push_back(std::string(index.primary ? "primary key " : "index ") + index.name +
                                      " is missing");
          } else if (index.primary && !it->second) {
            report.problems.push_back("index " + index.name + " is not the primary key");
          }
        }
        std::map<std::string, bool> foreign_keys;  // name: validated
        for (const auto& row : control_->Query("SELECT conname, convalidated FROM pg_constraint WHERE contype = 'f' "
                                               "AND conrelid = " + oid)) {
          foreign_keys[row[0]] = row[1] == "t";
        }
        for (const TargetForeignKey& key : table.foreign_keys) {
          auto it = foreign_keys.find(key.name);
          if (it == foreign_keys.end()) {
            report.problems.push_back("foreign key " + key.name + " is missing");
            continue;
          }
          if (it->second) continue;
          std::string orphans = CountOrphans(check, key);
          bool promised_not_valid = key.orphans == Policy::kKeep && !key.origin.empty();
          std::string what = "foreign key " + key.name + " is NOT VALID, " + orphans + " orphan row" +
                             (orphans == "1" ? "" : "s");
          if (promised_not_valid) {
            report.notes.push_back(what);
          } else {
            report.problems.push_back(what + " (the plan makes it valid)");
          }
        }
        for (const TargetColumn& column : table.columns) {
          if (column.identity && columns.count(column.name) > 0) CheckIdentity(check, column);
        }
      } catch (const std::exception& e) {
        report.status = "failed";
        report.error = ExceptionMessage(e);
        check.content = false;
      }
    }
  }

  std::string CountOrphans(const TableCheck& check, const TargetForeignKey& key) {
    return control_->QueryValue("SELECT count(*) FROM " + check.qualified + " c WHERE " + OrphanCondition(key, "c"));
  }

  // The identity's next value must be past the largest value of its column.
  void CheckIdentity(TableCheck& check, const TargetColumn& column) {
    std::string sequence = control_->QueryValue("SELECT pg_get_serial_sequence(" + QuotePgLiteral(check.qualified) +
                                                ", " + QuotePgLiteral(column.name) + ")");
    if (sequence.empty()) {
      check.report.problems.push_back("column " + column.name + " is not an identity");
      return;
    }
    auto rows = control_->Query("SELECT s.last_value, s.is_called, (SELECT max(" + QuotePgIdentifier(column.name) +
                                ") FROM " + check.qualified + ") FROM " + sequence + " s");
    if (rows.empty() || rows[0][2].empty()) return;
    int64_t last = std::stoll(rows[0][0]);
    int64_t next = rows[0][1] == "t" ? last + 1 : last;
    int64_t max = std::stoll(rows[0][2]);
    if (next <= max) {
      check.report.problems.push_back("identity " + column.name + " would give " + std::to_string(next) +
                                      ", but the largest " + column.name + " is " + std::to_string(max));
    }
  }

  // Counts, then the chunks (all, or a sample), on options_.threads threads.
  void CompareContent() {
    if (options_.progress != nullptr) options_.progress->SetPhase(Phase::kCopy);
    MySqlSession counts(options_.source);
    std::mt19937_64 random(options_.seed);
    std::vector<ChunkTask> tasks;
    for (size_t t = 0; t < checks_.size(); ++t) {
      TableCheck& check = *checks_[t];
      if (check.report.status == "failed") continue;
      const TargetTable& table = *check.table;
      const SourceTable& source = plan_.source_of(table);
      std::string from = " FROM " + QuoteMySqlIdentifier(plan_.catalog.database) + "." + QuoteMySqlIdentifier(source.name);
      try {
        check.report.source_rows = std::stoll(QueryMySql(counts, "SELECT COUNT(*)" + from));
        if (!table.source_filter.empty()) {
          check.report.filtered_rows =
              check.report.source_rows -
              std::stoll(QueryMySql(counts, "SELECT COUNT(*)" + from + " WHERE (" + table.source_filter + ")"));
        }
        if (!check.content) continue;
        check.report.target_rows = std::stoll(control_->QueryValue("SELECT count(*) FROM " + check.qualified));
        check.report.rejects_known = options_.sample_chunks == 0;
        if (!check.range_source) {
          check.report.method = check.key_positions.empty() ? "whole table (no key: count and digest only)"
                                                            : "whole table, by key";
          check.report.chunks = 1;
          tasks.push_back({t, false, {}});
          continue;
        }
        std::string min = QueryMySql(counts, "SELECT MIN(" + QuoteMySqlIdentifier(*check.range_source) + ")" + from);
        std::string max = QueryMySql(counts, "SELECT MAX(" + QuoteMySqlIdentifier(*check.range_source) + ")" + from);
        std::vector<KeyRange> ranges;
        try {
          int64_t chunks = std::max<int64_t>(1, (check.report.source_rows + options_.chunk_rows - 1) / options_.chunk_rows);
          ranges = min.empty() ? KeyRanges(0, 0, 1) : KeyRanges(std::stoll(min), std::stoll(max), chunks);
        } catch (const std::out_of_range&) {
          ranges = {};  // keys past 2^63 (bigint unsigned): the table whole
        }
        if (ranges.empty()) {
          check.range_source.reset();
          check.report.method = "whole table, by key";
          check.report.chunks = 1;
          tasks.push_back({t, false, {}});
          continue;
        }
        check.report.method = "key ranges of " + check.range_target;
        check.report.chunks = static_cast<int>(ranges.size());
        std::vector<size_t> chosen;
        if (options_.sample_chunks > 0 && ranges.size() > static_cast<size_t>(options_.sample_chunks) + 1) {
          std::vector<size_t> all(ranges.size() - 1);
          for (size_t i = 0; i < all.size(); ++i) all[i] = i;
          std::shuffle(all.begin(), all.end(), random);
          chosen.assign(all.begin(), all.begin() + options_.sample_chunks);
          chosen.push_back(ranges.size() - 1);  // the newest rows by key
          std::sort(chosen.begin(), chosen.end());
        } else {
          for (size_t i = 0; i < ranges.size(); ++i) chosen.push_back(i);
        }
        for (size_t i : chosen) tasks.push_back({t, true, ranges[i]});
      } catch (const std::exception& e) {
        check.report.status = "failed";
        check.report.error = ExceptionMessage(e);
      }
    }
    // Larger tables first, so a big table does not start last.
    std::stable_sort(tasks.begin(), tasks.end(), [this](const ChunkTask& a, const ChunkTask& b) {
      return checks_[a.table]->report.source_rows / std::max(1, checks_[a.table]->report.chunks) >
             checks_[b.table]->report.source_rows / std::max(1, checks_[b.table]->report.chunks);
    });
    std::atomic<size_t> next{0};
    auto work = [&](int thread) {
      std::unique_ptr<MySqlThreadScope> scope;
      if (thread > 0) scope = std::make_unique<MySqlThreadScope>();
      std::unique_ptr<MySqlStream> stream;
      std::unique_ptr<CopyConnection> connection;
      for (size_t i = next++; i < tasks.size(); i = next++) {
        TableCheck& check = *checks_[tasks[i].table];
        {
          std::lock_guard<std::mutex> lock(check.mutex);
          if (check.report.status == "failed") continue;
        }
        try {
          if (!stream) {
            stream = std::make_unique<MySqlStream>(options_.source);
            stream->Execute("START TRANSACTION WITH CONSISTENT SNAPSHOT");
          }
          if (!connection) connection = std::make_unique<CopyConnection>(target_);
          CompareChunk(check, tasks[i], *stream, *connection);
        } catch (const std::exception& e) {
          std::lock_guard<std::mutex> lock(check.mutex);
          check.report.status = "failed";
          if (check.report.error.empty()) check.report.error = ExceptionMessage(e);
          stream.reset();  // a failed stream may be mid-result
          connection.reset();
        }
      }
    };
    std::vector<std::thread> pool;
    int threads = static_cast<int>(std::min<size_t>(threads_, std::max<size_t>(1, tasks.size())));
    for (int t = 1; t < threads; ++t) pool.emplace_back(work, t);
    work(0);
    for (auto& thread : pool) thread.join();
  }

  std::string QueryMySql(MySqlSession& session, const std::string& sql) {
    auto rows = session.Query(sql);
    if (!rows->next() || rows->isNull(1)) return "";
    return std::string(rows->getString(1));
  }

  // The parent keys an orphan check reads, from the loaded target: what
  // migrate checked against.
  std::shared_ptr<const ParentKeys> ParentKeysOf(const TargetForeignKey& key, CopyConnection& connection) {
    std::string qualified = QualifiedName(key.referenced_schema, key.referenced_table);
    std::string id = qualified + "." + QuotePgIdentifier(key.referenced_columns[0]);
    std::lock_guard<std::mutex> lock(parent_keys_mutex_);  // read once, by whoever comes first
    auto cached = parent_keys_.find(id);
    if (cached != parent_keys_.end()) return cached->second;
    bool integers = false;
    for (const TargetTable& parent : plan_.tables) {
      if (parent.schema != key.referenced_schema || parent.name != key.referenced_table) continue;
      for (const TargetColumn& column : parent.columns) {
        if (column.name == key.referenced_columns[0]) {
          integers = column.kind == TargetKind::kSmallint || column.kind == TargetKind::kInteger ||
                     column.kind == TargetKind::kBigint;
        }
      }
    }
    auto keys = ReadParentKeys(connection, qualified, QuotePgIdentifier(key.referenced_columns[0]), integers);
    return parent_keys_.emplace(id, std::move(keys)).first->second;
  }

  // Reads the chunk's rows on both sides; calls "source_row" with each
  // converted source row and "target_row" with each target row.
  template <typename SourceRow, typename TargetRow>
  int64_t ReadChunk(TableCheck& check, const ChunkTask& task, MySqlStream& stream, CopyConnection& connection,
                    SourceRow source_row, TargetRow target_row) {
    const TargetTable& table = *check.table;
    RowConverter converter(plan_, table, /*allow_binary=*/false);
    for (const TargetForeignKey& key : table.foreign_keys) {
      if (key.origin.empty() || key.orphans == Policy::kKeep) continue;
      converter.CheckParentKeys(key.columns[0], ParentKeysOf(key, connection), key.orphans,
                                key.referenced_table + "." + key.referenced_columns[0]);
    }
    std::string where = table.source_filter.empty() ? "" : "(" + table.source_filter + ")";
    std::string target_where;
    if (task.ranged) {
      std::string bounds = " BETWEEN " + std::to_string(task.range.low) + " AND " + std::to_string(task.range.high);
      where += (where.empty() ? "" : " AND ") + QuoteMySqlIdentifier(*check.range_source) + bounds;
      target_where = " WHERE " + QuotePgIdentifier(check.range_target) + bounds;
    }
    int64_t rejected = 0;
    {
      MySqlRowSource rows(stream, plan_.catalog.database, plan_.source_of(table).name, check.select_list, where);
      TableStats stats;
      RowRejection rejection;
      std::string line;
      int64_t read = 0;
      while (rows.Next()) {
        line.clear();
        if (!converter.Convert(rows.values(), line, stats, &rejection)) {
          ++rejected;
          continue;
        }
        if (!line.empty() && line.back() == '\n') line.pop_back();
        source_row(std::string_view(line));
        if (options_.progress != nullptr && ++read % 4096 == 0) {
          options_.progress->rows_read.fetch_add(4096, std::memory_order_relaxed);
        }
      }
      if (options_.progress != nullptr) options_.progress->rows_read.fetch_add(read % 4096, std::memory_order_relaxed);
    }
    std::string select;
    for (const std::string& column : check.target_select) select += (select.empty() ? "" : ", ") + column;
    ReadCopyRows(connection, "SELECT " + select + " FROM " + check.qualified + target_where, target_row);
    return rejected;
  }

  void CompareChunk(TableCheck& check, const ChunkTask& task, MySqlStream& stream, CopyConnection& connection) {
    RowHasher hasher(check.canons, check.key_positions, check.key_names);
    ChunkDigest source, target;
    int64_t rejected = ReadChunk(
        check, task, stream, connection, [&](std::string_view line) { source.Add(hasher.Hash(line)); },
        [&](std::string_view line) { target.Add(hasher.Hash(line)); });
    std::vector<ShownDifference> shown;
    int64_t mismatched = 0;
    if (source != target && std::max(source.rows, target.rows) > 2 * options_.chunk_rows) {
      // Too large to hold in memory (a table without an integer key): the
      // digest says it differs, not where.
      mismatched = std::max<int64_t>(1, std::abs(source.rows - target.rows));
      shown.push_back({"unknown", "", "", ""});
      shown.back().source = std::to_string(source.rows) + " rows";
      shown.back().target = std::to_string(target.rows) + " rows, content differs (more than 2 x --chunk-rows: "
                            "not narrowed to keys)";
    } else if (source != target) {
      // Narrowed: the chunk read again, every row kept with its key.
      std::vector<KeyedRow> source_rows, target_rows;
      ReadChunk(
          check, task, stream, connection,
          [&](std::string_view line) {
            uint64_t hash = hasher.Hash(line);
            source_rows.push_back({hasher.key(), hash, std::string(line)});
          },
          [&](std::string_view line) {
            uint64_t hash = hasher.Hash(line);
            target_rows.push_back({hasher.key(), hash, std::string(line)});
          });
      std::vector<RowDifference> differences = CompareRows(std::move(source_rows), std::move(target_rows));
      mismatched = static_cast<int64_t>(differences.size());
      if (mismatched == 0) mismatched = 1;  // the rows changed between the two reads: still a difference
      for (size_t d = 0; d < differences.size() && d < static_cast<size_t>(options_.shown_rows); ++d) {
        ShownDifference row;
        DescribeDifference(check.names, check.canons, differences[d], row);
        const std::string& line = differences[d].source_line.empty() ? differences[d].target_line
                                                                     : differences[d].source_line;
        row.key = hasher.KeyText(line);
        shown.push_back(std::move(row));
      }
    }
    std::lock_guard<std::mutex> lock(check.mutex);
    TableVerification& report = check.report;
    report.chunks_compared++;
    report.rejected_rows += rejected;
    report.mismatched_rows += mismatched;
    for (auto& row : shown) {
      if (report.differences.size() < static_cast<size_t>(options_.shown_rows)) report.differences.push_back(std::move(row));
    }
    if (report.chunks_compared == report.chunks && options_.progress != nullptr) {
      options_.progress->tables_done.fetch_add(1, std::memory_order_relaxed);
    }
  }

  // Counts must add up; any problem or differing row is a mismatch.
  void Conclude() {
    for (auto& owned : checks_) {
      TableVerification& report = owned->report;
      if (report.status == "failed") continue;
      if (owned->content) {
        int64_t expected = report.source_rows - report.filtered_rows - report.rejected_rows;
        if (report.rejects_known && expected != report.target_rows) {
          report.problems.push_back("counts differ: source " + std::to_string(report.source_rows) + " - rejected " +
                                    std::to_string(report.rejected_rows) + " - filtered " +
                                    std::to_string(report.filtered_rows) + " = " + std::to_string(expected) +
                                    ", target " + std::to_string(report.target_rows));
        } else if (!report.rejects_known && report.target_rows > report.source_rows - report.filtered_rows) {
          report.problems.push_back("the target holds " + std::to_string(report.target_rows) + " rows, the source " +
                                    std::to_string(report.source_rows - report.filtered_rows));
        }
        if (!report.rejects_known) {
          report.rejected_rows = report.source_rows - report.filtered_rows - report.target_rows;
        }
      }
      report.status = report.problems.empty() && report.mismatched_rows == 0 ? "ok" : "mismatch";
    }
  }

  const VerifyOptions& options_;
  ConnectionUri target_;
  int threads_ = 1;
  DatabaseVerification result_;
  SchemaPlan plan_;
  std::unique_ptr<PgSession> control_;
  std::vector<std::unique_ptr<TableCheck>> checks_;  // parallel to plan_.tables
  std::mutex parent_keys_mutex_;
  std::map<std::string, std::shared_ptr<const ParentKeys>> parent_keys_;
};

}  // namespace

DatabaseVerification VerifyDatabase(const std::string& database, const VerifyOptions& options) {
  return DatabaseVerifier(database, options).Run();
}

}  // namespace my2pg
