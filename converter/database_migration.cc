#include "converter/database_migration.h"

#include <algorithm>
#include <chrono>
#include <functional>
#include <memory>
#include <set>
#include <unordered_set>

#include "common/error.h"
#include "common/identifier.h"
#include "common/mysql_session.h"
#include "common/pg_session.h"
#include "converter/copy_writer.h"
#include "converter/reject_writer.h"
#include "converter/row_converter.h"
#include "converter/row_source.h"
#include "converter/table_copier.h"
#include "mapper/catalog_reader.h"
#include "mapper/ddl.h"
#include "mapper/mapper.h"

namespace my2pg {
namespace {

double SecondsSince(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

void CreateTargetDatabase(const MigrationOptions& options, const std::string& name) {
  PgSession admin(options.target.ForDatabase("postgres"));
  bool exists = !admin.QueryValue("SELECT 1 FROM pg_database WHERE datname = " + QuotePgLiteral(name)).empty();
  if (exists && !options.replace) {
    throw Error(ErrorCategory::kTarget, "target database '" + name +
                                            "' already exists (use --replace to drop and recreate it)");
  }
  if (exists) admin.Execute("DROP DATABASE " + QuotePgIdentifier(name) + " WITH (FORCE)");
  admin.Execute("CREATE DATABASE " + QuotePgIdentifier(name) + " ENCODING 'UTF8' TEMPLATE template0");
}

// Runs the statements of a phase, skipping those of tables that failed.
void RunPhase(PgSession& session, const std::vector<DdlStatement>& statements,
              DatabaseReport& report) {
  for (const DdlStatement& statement : statements) {
    bool table_failed = false;
    for (const TableReport& table : report.tables) {
      if (table.target_name == statement.table && table.status == "failed") table_failed = true;
    }
    if (!table_failed) session.Execute(statement.sql);
  }
}

// Tables in copy order: a table whose orphans are checked comes after the
// parent it checks against (the keys are read from the loaded parent).
std::vector<const TargetTable*> CopyOrder(const SchemaPlan& plan) {
  std::vector<const TargetTable*> order;
  std::set<const TargetTable*> placed, visiting;
  std::function<void(const TargetTable&)> place = [&](const TargetTable& table) {
    if (placed.count(&table) || visiting.count(&table)) return;  // a cycle is reported at copy time
    visiting.insert(&table);
    for (const TargetForeignKey& key : table.foreign_keys) {
      if (key.origin.empty() || key.orphans == "keep") continue;
      for (const TargetTable& parent : plan.tables) {
        if (parent.schema == key.referenced_schema && parent.name == key.referenced_table) place(parent);
      }
    }
    visiting.erase(&table);
    placed.insert(&table);
    order.push_back(&table);
  };
  for (const TargetTable& table : plan.tables) place(table);
  return order;
}

using KeySet = std::unordered_set<std::string>;

// The parent's key values as COPY text, read from the loaded target table.
std::shared_ptr<const KeySet> LoadParentKeys(PgSession& session, const TargetForeignKey& key) {
  auto keys = std::make_shared<KeySet>();
  for (const auto& row : session.Query("SELECT DISTINCT " + QuotePgIdentifier(key.referenced_columns[0]) +
                                       "::text FROM " + QualifiedName(key.referenced_schema, key.referenced_table) +
                                       " WHERE " + QuotePgIdentifier(key.referenced_columns[0]) + " IS NOT NULL")) {
    std::string text;
    TextEncoder::AppendCopyEscaped(row[0].data(), row[0].size(), text);
    keys->insert(std::move(text));
  }
  return keys;
}

void CopyTable(const SchemaPlan& plan, const TargetTable& table, const MigrationOptions& options,
               MySqlSession& source_session, const ConnectionUri& target, RowConverter& converter,
               TableReport& report) {
  auto start = std::chrono::steady_clock::now();
  const SourceTable& source = plan.source_of(table);
  std::vector<std::string> columns, target_columns;
  for (const TargetColumn& column : table.columns) {
    if (!column.from_source()) continue;
    columns.push_back(source.columns[column.source_index].name);
    target_columns.push_back(column.name);
  }
  // Key columns the target drops are still read, to name rejected rows.
  std::vector<int> key_positions;
  for (int key : table.key_source_columns) {
    auto it = std::find(columns.begin(), columns.end(), source.columns[key].name);
    key_positions.push_back(static_cast<int>(it - columns.begin()));
    if (it == columns.end()) columns.push_back(source.columns[key].name);
  }
  RejectWriter rejects(options.reject_dir + "/" + plan.catalog.database + "/" + source.name + ".rejects.jsonl",
                       columns, key_positions);
  MySqlRowSource rows(source_session, plan.catalog.database, source.name, columns, table.source_filter);
  CopyWriter writer(target, QualifiedName(table.schema, table.name), target_columns);
  report.stats = CopyTableRows(rows, converter, writer, rejects);
  report.copy_seconds = SecondsSince(start);
  if (rejects.count() > 0) report.reject_file = rejects.path();
  report.status = "done";
}

// Sets up the orphan checks of "table"; throws Error(kData) if a parent it
// checks against was not loaded.
void PrepareOrphanChecks(const SchemaPlan& plan, const TargetTable& table, PgSession& session,
                         const DatabaseReport& report, RowConverter& converter) {
  for (const TargetForeignKey& key : table.foreign_keys) {
    if (key.origin.empty() || key.orphans == "keep") continue;
    const TableReport* parent = nullptr;
    for (const TableReport& done : report.tables) {
      if (done.target_schema == key.referenced_schema && done.target_name == key.referenced_table) parent = &done;
    }
    if (parent == nullptr || parent->status != "done") {
      throw Error(ErrorCategory::kData, "cannot check orphans of " + key.columns[0] + ": parent table " +
                                            key.referenced_table +
                                            (parent ? " failed" : " is not loaded first (a cycle? use orphans: keep)"));
    }
    converter.CheckParentKeys(key.columns[0], LoadParentKeys(session, key), key.orphans,
                              key.referenced_table + "." + key.referenced_columns[0]);
  }
}

}  // namespace

int64_t DatabaseReport::rows_read() const {
  int64_t sum = 0;
  for (const auto& table : tables) sum += table.stats.rows_read;
  return sum;
}
int64_t DatabaseReport::rows_written() const {
  int64_t sum = 0;
  for (const auto& table : tables) sum += table.stats.rows_written;
  return sum;
}
int64_t DatabaseReport::rows_rejected() const {
  int64_t sum = 0;
  for (const auto& table : tables) sum += table.stats.rows_rejected;
  return sum;
}

DatabaseReport MigrateDatabase(const std::string& database, const MigrationOptions& options) {
  DatabaseReport report;
  report.database = database;
  ConnectionUri target = options.target.ForDatabase(database);
  report.target_database = target.database;
  try {
    auto start = std::chrono::steady_clock::now();
    MySqlSession catalog_session(options.source, /*raw_results=*/false);
    SchemaPlan plan = MapCatalog(ReadCatalog(catalog_session, database), *options.rules);
    report.warnings = plan.warnings;
    Ddl ddl = BuildDdl(plan);
    CreateTargetDatabase(options, target.database);
    PgSession session(target);
    RunPhase(session, ddl.schema, report);
    RunPhase(session, ddl.tables, report);
    report.schema_seconds = SecondsSince(start);

    start = std::chrono::steady_clock::now();
    MySqlSession source_session(options.source, /*raw_results=*/true);
    for (const TargetTable* table_pointer : CopyOrder(plan)) {
      const TargetTable& table = *table_pointer;
      TableReport table_report;
      table_report.source_name = plan.source_of(table).name;
      table_report.target_schema = table.schema;
      table_report.target_name = table.name;
      try {
        RowConverter converter(plan, table);
        PrepareOrphanChecks(plan, table, session, report, converter);
        CopyTable(plan, table, options, source_session, target, converter, table_report);
      } catch (const Error& e) {
        table_report.status = "failed";
        table_report.error = e.what();
        // A lost source connection ends the database; other errors end the table.
        if (e.category() == ErrorCategory::kSource) {
          report.tables.push_back(std::move(table_report));
          throw;
        }
      }
      report.tables.push_back(std::move(table_report));
    }
    report.copy_seconds = SecondsSince(start);

    start = std::chrono::steady_clock::now();
    RunPhase(session, ddl.keys, report);
    report.keys_seconds = SecondsSince(start);
    start = std::chrono::steady_clock::now();
    RunPhase(session, ddl.foreign_keys, report);
    RunPhase(session, ddl.sequences, report);
    RunPhase(session, ddl.triggers, report);
    RunPhase(session, ddl.comments, report);
    session.Execute("ANALYZE");
    report.constraints_seconds = SecondsSince(start);

    report.status = "done";
    for (const TableReport& table : report.tables) {
      if (table.status != "done") {
        report.status = "failed";
        report.error = "table " + table.source_name + " failed: " + table.error;
        break;
      }
    }
  } catch (const Error& e) {
    report.status = "failed";
    report.error = e.what();
  }
  return report;
}

}  // namespace my2pg
