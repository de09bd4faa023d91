#include "converter/database_migration.h"

#include <chrono>

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

void CopyTable(const SchemaPlan& plan, const TargetTable& table, const MigrationOptions& options,
               MySqlSession& source_session, const ConnectionUri& target, TableReport& report) {
  auto start = std::chrono::steady_clock::now();
  const SourceTable& source = plan.source_of(table);
  std::vector<std::string> columns, target_columns;
  for (const TargetColumn& column : table.columns) {
    columns.push_back(source.columns[column.source_index].name);
    target_columns.push_back(column.name);
  }
  // Key columns the target drops are still read, to name rejected rows.
  std::vector<int> key_positions;
  for (int key : table.key_source_columns) {
    int position = -1;
    for (size_t i = 0; i < table.columns.size(); ++i) {
      if (table.columns[i].source_index == key) position = static_cast<int>(i);
    }
    if (position < 0) {
      position = static_cast<int>(columns.size());
      columns.push_back(source.columns[key].name);
    }
    key_positions.push_back(position);
  }
  RowConverter converter(plan, table);
  RejectWriter rejects(options.reject_dir + "/" + plan.catalog.database + "/" + source.name + ".rejects.jsonl",
                       columns, key_positions);
  MySqlRowSource rows(source_session, plan.catalog.database, source.name, columns);
  CopyWriter writer(target, QualifiedName(table.schema, table.name), target_columns);
  report.stats = CopyTableRows(rows, converter, writer, rejects);
  report.copy_seconds = SecondsSince(start);
  if (rejects.count() > 0) report.reject_file = rejects.path();
  report.status = "done";
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
    for (const TargetTable& table : plan.tables) {
      TableReport table_report;
      table_report.source_name = plan.source_of(table).name;
      table_report.target_name = table.name;
      try {
        CopyTable(plan, table, options, source_session, target, table_report);
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
