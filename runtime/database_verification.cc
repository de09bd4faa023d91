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
#include "common/strings.h"
#include "converter/row_converter.h"
#include "mapper/ddl.h"
#include "mapper/mapper.h"
#include "runtime/copy_tasks.h"
#include "verify/key_list.h"

namespace my2pg {
namespace {

using Clock = std::chrono::steady_clock;

// The most source keys a key-list comparison remembers (8 bytes each) to
// name the rows only the target has: 64 MB.
constexpr int64_t kRememberedKeys = 8'000'000;

std::string ExceptionMessage(const std::exception& e) {
  if (dynamic_cast<const Error*>(&e) != nullptr) return e.what();
  if (dynamic_cast<const std::bad_alloc*>(&e) != nullptr) return "out of memory";
  return std::string("internal error: ") + e.what();
}

// One table being verified, shared by the threads comparing its chunks.
// A foreign key of several columns, checked against the loaded parent's key
// tuples as migrate's after-load check did (runtime/orphan_check): a row
// whose key (no column NULL) is not among them is rejected, or has its
// nullable key columns nulled.
struct TupleCheck {
  std::vector<size_t> positions;  // of the key columns in the converted row
  std::vector<bool> nullable;     // parallel
  Policy orphans = Policy::kReject;
  std::shared_ptr<const ParentKeys> parents;  // tuples as COPY text, fields joined by "\\t"
};

// What migrate wrote for a table's source rows: its converter, plus the
// checks of keys of several columns it ran after the load.
struct ExpectedRows {
  std::unique_ptr<RowConverter> converter;
  std::vector<TupleCheck> tuple_checks;
};

struct TableCheck {
  const TargetTable* table = nullptr;
  std::string qualified;                  // "schema"."name"
  std::vector<std::string> select_list;   // MySQL: what the row stream selects (target order)
  std::vector<std::string> target_select; // PostgreSQL: the same columns, quoted
  std::vector<std::string> names;         // target column names, parallel
  std::vector<ColumnCanon> canons;
  std::vector<int> key_positions;         // of the key columns in the row; empty: no usable key
  std::vector<std::string> key_names;     // target names, parallel
  std::vector<std::string> key_types;     // target SQL types, parallel
  std::string source_key_order;           // MySQL: the key's columns quoted, in key order, for ORDER BY
  std::string update_time_source;         // MySQL: a column ON UPDATE CURRENT_TIMESTAMP, quoted; "" if none
  std::string update_time_target;         // its target name
  std::optional<std::string> range_source;  // the integer key, for ranges: MySQL column
  std::string range_target;                 // and its target column
  bool content = true;                      // false: schema broken, content not compared
  std::mutex mutex;                         // guards report and tasks_left
  TableVerification report;
  int tasks_left = 0;                       // content tasks not yet ended
  std::set<std::string> differing_keys;     // --sample: the canonical keys counted as differing
  // --full without a source filter: the source rows are counted as the
  // chunks read them (in the snapshot), not by a COUNT(*) scan first;
  // chunks are planned by the catalog's estimate.
  bool count_while_reading = false;
  bool key_indexed = false;  // the target has the primary key's index: key lists look rows up by it
  int64_t planned_rows = 0;  // what the chunks are planned by
};

// A unit of work: one key range of a table, a whole table, or a table's
// rows in batches compared by key lists.
struct ChunkTask {
  enum class Kind { kRange, kWhole, kKeyLists };
  ChunkTask(size_t table_index, Kind task_kind) : table(table_index), kind(task_kind) {}
  size_t table = 0;
  Kind kind = Kind::kWhole;
  KeyRange range;  // kRange
  // kKeyLists: the source order ("" for --full: any), and which batches of
  // --chunk-rows source rows are compared (empty: all, and target rows no
  // source row has are looked for).
  std::string order_by;
  std::set<int64_t> batches;
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
        check->select_list.push_back(SelectExpression(source_column));
        check->target_select.push_back(QuotePgIdentifier(column.name));
        check->names.push_back(column.name);
        check->canons.push_back(CanonFor(column));
        if (range_column && source_column.name == *range_column) {
          check->range_source = *range_column;
          check->range_target = column.name;
        }
      }
      // The key, if the target keeps all of its columns.
      struct KeyColumn {
        int position;
        std::string name, type;
      };
      std::vector<KeyColumn> key;
      for (int key_index : table.key_source_columns) {
        int position = 0;
        const TargetColumn* kept = nullptr;
        for (const TargetColumn& column : table.columns) {
          if (!column.from_source()) continue;
          if (column.source_index == key_index) {
            kept = &column;
            break;
          }
          ++position;
        }
        if (kept == nullptr) {
          key.clear();
          check->source_key_order.clear();
          break;
        }
        key.push_back({position, kept->name, kept->type});
        check->source_key_order += (check->source_key_order.empty() ? "" : ", ") +
                                   QuoteMySqlIdentifier(source.columns[key_index].name) + " DESC";
      }
      std::sort(key.begin(), key.end(), [](const KeyColumn& a, const KeyColumn& b) { return a.position < b.position; });
      for (const KeyColumn& column : key) {  // RowHasher wants them in row order
        check->key_positions.push_back(column.position);
        check->key_names.push_back(column.name);
        check->key_types.push_back(column.type);
      }
      for (const TargetColumn& column : table.columns) {
        if (column.from_source() && column.on_update_current_timestamp && check->update_time_source.empty()) {
          check->update_time_source = QuoteMySqlIdentifier(plan_.source_of(table, column).name);
          check->update_time_target = column.name;
        }
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
    std::vector<PromisedView> views;
    if (options_.promised_views) views = options_.promised_views(plan_);
    for (size_t t = 0; t < checks_.size(); ++t) {
      TableCheck& check = *checks_[t];
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
          } else if (index.primary) {
            check.key_indexed = true;
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
        if (t < views.size()) CheckView(check, views[t]);
      } catch (const std::exception& e) {
        report.status = "failed";
        report.error = ExceptionMessage(e);
        check.content = false;
        ReopenIfLost(e);
      }
    }
  }

  std::string CountOrphans(const TableCheck& check, const TargetForeignKey& key) {
    return control_->QueryValue("SELECT count(*) FROM " + check.qualified + " c WHERE " + OrphanCondition(key, "c"));
  }

  // The legacy schema's view of the table, with the old columns in order.
  void CheckView(TableCheck& check, const PromisedView& view) {
    std::string qualified = QualifiedName(plan_.legacy_schema, view.name);
    std::string oid = control_->QueryValue(
        "SELECT c.oid FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.relkind = 'v' AND "
        "n.nspname = " + QuotePgLiteral(plan_.legacy_schema) + " AND c.relname = " + QuotePgLiteral(view.name));
    if (oid.empty()) {
      check.report.problems.push_back("view " + qualified + " is missing");
      return;
    }
    std::vector<std::string> columns;
    for (const auto& row : control_->Query("SELECT attname FROM pg_attribute WHERE attrelid = " + oid +
                                           " AND attnum > 0 AND NOT attisdropped ORDER BY attnum")) {
      columns.push_back(row[0]);
    }
    if (columns != view.columns) {
      check.report.problems.push_back("view " + qualified + " has the columns " + Join(columns, ", ") +
                                      ", the plan promises " + Join(view.columns, ", "));
    }
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
        check.count_while_reading = options_.sample_chunks == 0 && check.content && table.source_filter.empty();
        if (check.count_while_reading) {
          check.planned_rows = source.row_estimate;
        } else {
          check.report.source_rows = std::stoll(QueryMySql(counts, "SELECT COUNT(*)" + from));
          check.planned_rows = check.report.source_rows;
        }
        if (!table.source_filter.empty()) {
          check.report.filtered_rows =
              check.report.source_rows -
              std::stoll(QueryMySql(counts, "SELECT COUNT(*)" + from + " WHERE (" + table.source_filter + ")"));
        }
        if (!check.content) continue;
        check.report.target_rows = std::stoll(control_->QueryValue("SELECT count(*) FROM " + check.qualified));
        check.report.rejects_known = options_.sample_chunks == 0;
        size_t first_task = tasks.size();
        AddContentTasks(t, from, counts, random, tasks);
        if (options_.sample_chunks > 0 && !check.update_time_source.empty() && !check.key_positions.empty()) {
          // New data is where mistakes hide: the rows updated last.
          ChunkTask newest(t, ChunkTask::Kind::kKeyLists);
          newest.order_by = check.update_time_source + " DESC LIMIT " + std::to_string(options_.chunk_rows);
          newest.batches = {0};
          tasks.push_back(newest);
          check.report.chunks += 1;
          check.report.method += "; the newest by " + check.update_time_target + ", by key list";
        }
        check.tasks_left = static_cast<int>(tasks.size() - first_task);
      } catch (const std::exception& e) {
        check.report.status = "failed";
        check.report.error = ExceptionMessage(e);
        ReopenIfLost(e);
      }
    }
    // Larger tables first, so a big table does not start last.
    auto rows_of = [this](const ChunkTask& task) {
      const TableVerification& report = checks_[task.table]->report;
      bool whole = task.kind == ChunkTask::Kind::kKeyLists && task.batches.empty();
      int64_t rows = checks_[task.table]->planned_rows;
      return whole ? rows : rows / std::max(1, report.chunks);
    };
    std::stable_sort(tasks.begin(), tasks.end(),
                     [&rows_of](const ChunkTask& a, const ChunkTask& b) { return rows_of(a) > rows_of(b); });
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

  // Indexes of the chunks compared out of "count": all with --full; with
  // --sample N, N drawn at random plus "newest".
  std::vector<int64_t> ChooseChunks(int64_t count, int64_t newest, std::mt19937_64& random) {
    std::vector<int64_t> chosen;
    if (options_.sample_chunks > 0 && count > options_.sample_chunks + 1) {
      std::vector<int64_t> others;
      for (int64_t i = 0; i < count; ++i) {
        if (i != newest) others.push_back(i);
      }
      std::shuffle(others.begin(), others.end(), random);
      chosen.assign(others.begin(), others.begin() + options_.sample_chunks);
      chosen.push_back(newest);
      std::sort(chosen.begin(), chosen.end());
    } else {
      for (int64_t i = 0; i < count; ++i) chosen.push_back(i);
    }
    return chosen;
  }

  // A table's content tasks: integer key ranges; key lists for another key
  // (a text or composite key, or integers past 2^63); the whole table
  // without a key.
  void AddContentTasks(size_t t, const std::string& from, MySqlSession& counts, std::mt19937_64& random,
                       std::vector<ChunkTask>& tasks) {
    TableCheck& check = *checks_[t];
    std::vector<KeyRange> ranges;
    if (check.range_source) {
      std::string min = QueryMySql(counts, "SELECT MIN(" + QuoteMySqlIdentifier(*check.range_source) + ")" + from);
      std::string max = QueryMySql(counts, "SELECT MAX(" + QuoteMySqlIdentifier(*check.range_source) + ")" + from);
      try {
        int64_t chunks =
            std::max<int64_t>(1, (check.planned_rows + options_.chunk_rows - 1) / options_.chunk_rows);
        ranges = min.empty() ? KeyRanges(0, 0, 1) : KeyRanges(std::stoll(min), std::stoll(max), chunks);
      } catch (const std::out_of_range&) {
        check.range_source.reset();  // keys past 2^63 (bigint unsigned): by key lists
      }
    }
    if (!ranges.empty()) {
      check.report.method = "key ranges of " + check.range_target;
      check.report.chunks = static_cast<int>(ranges.size());
      int64_t count = static_cast<int64_t>(ranges.size());
      for (int64_t i : ChooseChunks(count, count - 1, random)) {  // the last: the newest rows by key
        ChunkTask task(t, ChunkTask::Kind::kRange);
        task.range = ranges[i];
        tasks.push_back(task);
      }
      return;
    }
    if (check.key_positions.empty()) {
      check.report.method = "whole table (no key: count and digest only)";
      check.report.chunks = 1;
      tasks.emplace_back(t, ChunkTask::Kind::kWhole);
      return;
    }
    check.report.method = "key lists of " + Join(check.key_names, ", ");
    int64_t rows = check.planned_rows - check.report.filtered_rows;
    check.report.chunks = static_cast<int>(std::max<int64_t>(1, (rows + options_.chunk_rows - 1) / options_.chunk_rows));
    ChunkTask task(t, ChunkTask::Kind::kKeyLists);
    if (options_.sample_chunks > 0) {
      task.order_by = check.source_key_order;  // the newest rows by key first
      for (int64_t i : ChooseChunks(check.report.chunks, 0, random)) task.batches.insert(i);
    }
    tasks.push_back(task);
  }

  std::string QueryMySql(MySqlSession& session, const std::string& sql) {
    auto rows = session.Query(sql);
    if (!rows->next() || rows->isNull(1)) return "";
    return std::string(rows->getString(1));
  }

  // The parent keys an orphan check reads, from the loaded target: what
  // migrate checked against. "expression" is one quoted column, or for a key
  // of several columns their text joined by a tab (NULL if any is NULL).
  std::shared_ptr<const ParentKeys> ParentKeysOf(const TargetForeignKey& key, const std::string& expression,
                                                 bool integers, CopyConnection& connection) {
    std::string qualified = QualifiedName(key.referenced_schema, key.referenced_table);
    std::string id = qualified + "." + expression;
    std::lock_guard<std::mutex> lock(parent_keys_mutex_);  // read once, by whoever comes first
    auto cached = parent_keys_.find(id);
    if (cached != parent_keys_.end()) return cached->second;
    auto keys = ReadParentKeys(connection, qualified, expression, integers);
    return parent_keys_.emplace(id, std::move(keys)).first->second;
  }

  bool IsIntegerColumn(const TargetForeignKey& key) const {
    for (const TargetTable& parent : plan_.tables) {
      if (!References(key, parent)) continue;
      for (const TargetColumn& column : parent.columns) {
        if (column.name == key.referenced_columns[0]) {
          return column.kind == TargetKind::kSmallint || column.kind == TargetKind::kInteger ||
                 column.kind == TargetKind::kBigint;
        }
      }
    }
    return false;
  }

  // The converter migrate ran for "table", with its orphan checks.
  ExpectedRows MakeConverter(const TargetTable& table, CopyConnection& connection) {
    ExpectedRows expected;
    expected.converter = std::make_unique<RowConverter>(plan_, table, /*allow_binary=*/false);
    for (const TargetForeignKey& key : table.foreign_keys) {
      if (!OrphansChecked(key)) continue;
      if (key.columns.size() == 1) {
        auto keys = ParentKeysOf(key, QuotePgIdentifier(key.referenced_columns[0]), IsIntegerColumn(key), connection);
        expected.converter->CheckParentKeys(key.columns[0], keys, key.orphans,
                                            key.referenced_table + "." + key.referenced_columns[0]);
        continue;
      }
      TupleCheck check;
      check.orphans = key.orphans;
      std::vector<std::string> parts;
      for (const std::string& column : key.referenced_columns) parts.push_back(QuotePgIdentifier(column) + "::text");
      check.parents = ParentKeysOf(key, "(" + Join(parts, " || E'\\t' || ") + ")", false, connection);
      for (const std::string& name : key.columns) {
        for (size_t c = 0; c < table.columns.size(); ++c) {
          if (table.columns[c].name != name) continue;
          check.positions.push_back(c);
          check.nullable.push_back(table.columns[c].nullable);
        }
      }
      expected.tuple_checks.push_back(std::move(check));
    }
    return expected;
  }

  // Streams the source rows of "table" matching "where", ordered by
  // "order_by" if given: "row" gets each row's values and returns false to
  // stop. Counts the rows read into the progress.
  template <typename Row>
  void ReadSource(const TableCheck& check, const std::string& where, const std::string& order_by,
                  MySqlStream& stream, Row row) {
    const TargetTable& table = *check.table;
    std::string filter = table.source_filter.empty() ? "" : "(" + table.source_filter + ")";
    if (!where.empty()) filter += (filter.empty() ? "" : " AND ") + where;
    MySqlRowSource rows(stream, plan_.catalog.database, plan_.source_of(table).name, check.select_list, filter,
                        order_by);
    int64_t read = 0;
    while (rows.Next()) {
      if (options_.progress != nullptr && ++read % 4096 == 0) {
        options_.progress->rows_read.fetch_add(4096, std::memory_order_relaxed);
      }
      if (!row(rows.values())) break;
    }
    if (options_.progress != nullptr) options_.progress->rows_read.fetch_add(read % 4096, std::memory_order_relaxed);
  }

  // Converts one source row as migrate did into "line" (COPY text, no
  // newline); false if the pipeline rejects it.
  static bool ConvertRow(ExpectedRows& expected, const SourceValue* values, std::string& line) {
    static thread_local TableStats stats;  // counters nobody reads
    static thread_local RowRejection rejection;
    line.clear();
    if (!expected.converter->Convert(values, line, stats, &rejection)) return false;
    if (!line.empty() && line.back() == '\n') line.pop_back();
    return expected.tuple_checks.empty() || ApplyTupleChecks(expected.tuple_checks, line);
  }

  // The after-load checks of keys of several columns, on a converted row:
  // false if one rejects it; nulls the nullable key columns of an orphan
  // for "null" (rejects it if none is nullable).
  static bool ApplyTupleChecks(const std::vector<TupleCheck>& checks, std::string& line) {
    std::vector<std::string_view> fields = SplitCopyLine(line);
    bool changed = false;
    for (const TupleCheck& check : checks) {
      std::string tuple;
      bool has_null = false;
      for (size_t i = 0; i < check.positions.size(); ++i) {
        std::string_view field = fields.at(check.positions[i]);
        has_null = has_null || field == "\\N";
        if (i > 0) tuple += "\\t";
        tuple += field;
      }
      if (has_null || check.parents->Contains(tuple)) continue;
      bool any_nullable = std::find(check.nullable.begin(), check.nullable.end(), true) != check.nullable.end();
      if (check.orphans == Policy::kReject || !any_nullable) return false;
      for (size_t i = 0; i < check.positions.size(); ++i) {
        if (check.nullable[i]) fields[check.positions[i]] = "\\N";
      }
      changed = true;
    }
    if (changed) {
      std::string nulled;
      for (size_t f = 0; f < fields.size(); ++f) {
        if (f > 0) nulled += '\t';
        nulled += fields[f];
      }
      line = std::move(nulled);  // after the views into "line" are used
    }
    return true;
  }

  std::string TargetSelect(const TableCheck& check, const std::string& condition) const {
    return "SELECT " + Join(check.target_select, ", ") + " FROM " + check.qualified +
           (condition.empty() ? "" : " WHERE " + condition);
  }

  // Reads the chunk's rows on both sides at once (the target's on a thread
  // of its own, so MariaDB and PostgreSQL work in parallel, as they do in
  // migrate); calls "source_row" with each converted source row and
  // "target_row" with each target row, from different threads.
  template <typename SourceRow, typename TargetRow>
  int64_t ReadChunk(TableCheck& check, const ChunkTask& task, MySqlStream& stream, CopyConnection& connection,
                    SourceRow source_row, TargetRow target_row, int64_t* read = nullptr) {
    ExpectedRows converter = MakeConverter(*check.table, connection);
    std::string where, target_where;
    if (task.kind == ChunkTask::Kind::kRange) {
      std::string bounds = " BETWEEN " + std::to_string(task.range.low) + " AND " + std::to_string(task.range.high);
      where = QuoteMySqlIdentifier(*check.range_source) + bounds;
      target_where = QuotePgIdentifier(check.range_target) + bounds;
    }
    std::exception_ptr target_failed;
    std::thread target_reader([&] {
      try {
        ReadCopyRows(connection, TargetSelect(check, target_where), target_row);
      } catch (...) {
        target_failed = std::current_exception();
      }
    });
    int64_t rejected = 0;
    std::exception_ptr source_failed;
    try {
      std::string line;
      ReadSource(check, where, "", stream, [&](const SourceValue* values) {
        if (read != nullptr) ++*read;
        if (ConvertRow(converter, values, line)) {
          source_row(std::string_view(line));
        } else {
          ++rejected;
        }
        return true;
      });
    } catch (...) {
      source_failed = std::current_exception();
    }
    target_reader.join();
    if (source_failed) std::rethrow_exception(source_failed);
    if (target_failed) std::rethrow_exception(target_failed);
    return rejected;
  }

  // Adds the differing rows of one compared chunk to its table's report
  // ("unexplained": mismatches without a row to show; "chunks": how many
  // chunks this was). With --sample a row
  // can be in two tasks (a random chunk and the newest by update time): it
  // counts once. "differences" must be the rows of one chunk, so memory is
  // bounded by --chunk-rows.
  void Record(TableCheck& check, const RowHasher& hasher, int64_t rejected,
              const std::vector<RowDifference>& differences, int64_t unexplained, int chunks = 1) {
    std::lock_guard<std::mutex> lock(check.mutex);
    TableVerification& report = check.report;
    report.chunks_compared += chunks;
    report.rejected_rows += rejected;
    report.mismatched_rows += unexplained;
    bool once = options_.sample_chunks > 0 && !check.key_positions.empty();
    for (const RowDifference& difference : differences) {
      if (once && !check.differing_keys.insert(difference.key).second) continue;
      ++report.mismatched_rows;
      if (report.differences.size() >= static_cast<size_t>(options_.shown_rows)) continue;
      ShownDifference row;
      DescribeDifference(check.names, check.canons, difference, row);
      row.key = hasher.KeyText(difference.source_line.empty() ? difference.target_line : difference.source_line);
      report.differences.push_back(std::move(row));
    }
  }

  // Rows a --full task read from the source, when they are how it is counted.
  void AddSourceRows(TableCheck& check, int64_t rows) {
    if (!check.count_while_reading) return;
    std::lock_guard<std::mutex> lock(check.mutex);
    check.report.source_rows += rows;
  }

  // A task of "check" has ended.
  void EndTask(TableCheck& check) {
    std::lock_guard<std::mutex> lock(check.mutex);
    if (--check.tasks_left == 0 && options_.progress != nullptr) {
      options_.progress->tables_done.fetch_add(1, std::memory_order_relaxed);
    }
  }

  // Both sides hashed; a differing chunk read again and narrowed to its
  // rows, unless too large to hold.
  void CompareChunk(TableCheck& check, const ChunkTask& task, MySqlStream& stream, CopyConnection& connection) {
    if (task.kind == ChunkTask::Kind::kKeyLists) {
      CompareByKeyLists(check, task, stream, connection);
    } else {
      CompareRangeOrWhole(check, task, stream, connection);
    }
    EndTask(check);
  }

  void CompareRangeOrWhole(TableCheck& check, const ChunkTask& task, MySqlStream& stream, CopyConnection& connection) {
    RowHasher hasher(check.canons, check.key_positions, check.key_names);
    RowHasher target_hasher = hasher;  // the sides are read on two threads
    ChunkDigest source, target;
    int64_t read = 0;
    int64_t rejected = ReadChunk(
        check, task, stream, connection, [&](std::string_view line) { source.Add(hasher.Hash(line)); },
        [&](std::string_view line) { target.Add(target_hasher.Hash(line)); }, &read);
    AddSourceRows(check, read);
    if (source == target) return Record(check, hasher, rejected, {}, 0);
    if (std::max(source.rows, target.rows) > 2 * options_.chunk_rows) {
      // Too large to hold in memory (a table without a key): the digest
      // says it differs, not where.
      Record(check, hasher, rejected, {}, std::max<int64_t>(1, std::abs(source.rows - target.rows)));
      std::lock_guard<std::mutex> lock(check.mutex);
      ShownDifference unknown{"unknown", "", std::to_string(source.rows) + " rows",
                              std::to_string(target.rows) + " rows, content differs (more than 2 x --chunk-rows: "
                              "not narrowed to keys)"};
      if (check.report.differences.size() < static_cast<size_t>(options_.shown_rows)) {
        check.report.differences.push_back(std::move(unknown));
      }
      return;
    }
    // Narrowed: the chunk read again, every row kept with its key.
    std::vector<KeyedRow> source_rows, target_rows;
    ReadChunk(
        check, task, stream, connection,
        [&](std::string_view line) {
          uint64_t hash = hasher.Hash(line);
          source_rows.push_back({hasher.key(), hash, std::string(line)});
        },
        [&](std::string_view line) {
          uint64_t hash = target_hasher.Hash(line);
          target_rows.push_back({target_hasher.key(), hash, std::string(line)});
        });
    std::vector<RowDifference> differences = CompareRows(std::move(source_rows), std::move(target_rows));
    Record(check, hasher, rejected, differences, differences.empty() ? 1 : 0);  // none: changed between the reads
  }

  // A table keyed otherwise than by one integer: the source rows in batches
  // of --chunk-rows, each batch's converted keys sent to the target as a
  // list (verify/key_list.h), so no collation order matters. A batch holds
  // its rows in memory, to narrow a differing one at once. With --full, the
  // hashes of the source keys are kept (8 bytes a row, up to
  // kRememberedKeys rows) to name the target rows no source row has, if the
  // counts say there are some; past that, those rows are counted, not named.
  void CompareByKeyLists(TableCheck& check, const ChunkTask& task, MySqlStream& stream, CopyConnection& connection) {
    ExpectedRows converter = MakeConverter(*check.table, connection);
    RowHasher hasher(check.canons, check.key_positions, check.key_names);
    KeyList keys(check.key_names, check.key_types, check.key_positions);
    const bool all = task.batches.empty();
    const int64_t last = all ? INT64_MAX : *task.batches.rbegin();
    std::vector<KeyedRow> batch;
    std::vector<uint64_t> source_keys;
    int64_t rejected = 0, matched = 0, index = 0, current = 0;
    int compared = 0;
    std::string line;
    auto compare_batch = [&]() {
      ++compared;
      std::string select = check.key_indexed ? keys.IndexedSelect(Join(check.target_select, ", "), check.qualified)
                                             : TargetSelect(check, keys.Condition());
      ChunkDigest source, target;
      for (const KeyedRow& row : batch) source.Add(row.hash);
      if (!batch.empty()) ReadCopyRows(connection, select, [&](std::string_view row) { target.Add(hasher.Hash(row)); });
      matched += target.rows;
      if (source == target) {
        Record(check, hasher, rejected, {}, 0);
      } else {
        std::vector<KeyedRow> target_rows;
        ReadCopyRows(connection, select, [&](std::string_view row) {
          uint64_t hash = hasher.Hash(row);
          target_rows.push_back({hasher.key(), hash, std::string(row)});
        });
        std::vector<RowDifference> differences = CompareRows(std::move(batch), std::move(target_rows));
        Record(check, hasher, rejected, differences, differences.empty() ? 1 : 0);
      }
      rejected = 0;
      batch.clear();
      keys.Clear();
    };
    ReadSource(check, "", task.order_by, stream, [&](const SourceValue* values) {
      int64_t number = index++ / options_.chunk_rows;
      if (number != current) {
        if (all || task.batches.count(current) > 0) compare_batch();
        current = number;
        if (number > last) return false;
      }
      if (!all && task.batches.count(number) == 0) return true;
      if (!ConvertRow(converter, values, line)) {
        ++rejected;
        return true;
      }
      uint64_t hash = hasher.Hash(line);
      batch.push_back({hasher.key(), hash, line});
      keys.Add(line);
      if (all && index <= kRememberedKeys) source_keys.push_back(hasher.KeyHash());
      return true;
    });
    if (index == 0 || all || (current <= last && task.batches.count(current) > 0)) compare_batch();
    if (!all) return;
    AddSourceRows(check, index);
    {
      std::lock_guard<std::mutex> lock(check.mutex);
      check.report.chunks = compared;  // the batches there were
    }
    if (check.report.target_rows <= matched) return;
    if (index > kRememberedKeys) {
      std::vector<RowDifference> none;
      Record(check, hasher, 0, none, check.report.target_rows - matched, /*chunks=*/0);
      std::lock_guard<std::mutex> lock(check.mutex);
      if (check.report.differences.size() < static_cast<size_t>(options_.shown_rows)) {
        check.report.differences.push_back(
            {"added", "", "", std::to_string(check.report.target_rows - matched) +
                                  " rows no source key has (not named: the source has more than " +
                                  std::to_string(kRememberedKeys) + " rows)"});
      }
      return;
    }
    // Rows only the target has: its keys looked up among the source's.
    std::sort(source_keys.begin(), source_keys.end());
    std::vector<RowDifference> added;
    int64_t more = 0;  // past the rows shown
    ReadCopyRows(connection, TargetSelect(check, ""), [&](std::string_view row) {
      hasher.Hash(row);
      if (std::binary_search(source_keys.begin(), source_keys.end(), hasher.KeyHash())) return;
      if (added.size() >= static_cast<size_t>(options_.shown_rows)) {
        ++more;
        return;
      }
      added.emplace_back();
      added.back().kind = RowDifference::Kind::kAdded;
      added.back().key = hasher.key();
      added.back().target_line = std::string(row);
    });
    Record(check, hasher, 0, added, more, /*chunks=*/0);
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

  // A lost target connection fails the table it cut, not the tables after
  // it: the control session is opened again for them.
  void ReopenIfLost(const std::exception& e) {
    auto error = dynamic_cast<const Error*>(&e);
    if (error == nullptr || !error->retryable()) return;
    try {
      control_ = std::make_unique<PgSession>(target_);
    } catch (const Error&) {
      // Still down: the next table fails and tries again.
    }
  }
  std::vector<std::unique_ptr<TableCheck>> checks_;  // parallel to plan_.tables
  std::mutex parent_keys_mutex_;
  std::map<std::string, std::shared_ptr<const ParentKeys>> parent_keys_;
};

}  // namespace

DatabaseVerification VerifyDatabase(const std::string& database, const VerifyOptions& options) {
  return DatabaseVerifier(database, options).Run();
}

}  // namespace my2pg
