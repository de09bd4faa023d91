#include "cli/precheck_command.h"

#include <cppconn/resultset.h>

#include <algorithm>
#include <iomanip>
#include <iostream>
#include <map>
#include <sstream>

#include "adapters/catalog_reader.h"
#include "adapters/mysql_session.h"
#include "adapters/pg_session.h"
#include "cli/tenant_selection.h"
#include "common/error.h"
#include "common/identifier.h"
#include "common/strings.h"
#include "common/suggest.h"
#include "mapper/catalog.h"
#include "runtime/database_migration.h"

namespace my2pg {
namespace {

enum class Verdict { kOk, kNote, kProblem };

struct Finding {
  Verdict verdict;
  std::string side;   // "source", "target"
  std::string check;  // "connect", "privileges", ...
  std::string detail;
};

std::string FirstValue(MySqlSession& session, const std::string& sql) {
  auto rows = session.Query(sql);
  return rows->next() ? rows->getString(1).asStdString() : "";
}

// The privileges the current account holds on database "db", globally or on
// the database (the rows information_schema shows an account about itself).
std::vector<std::string> SourcePrivileges(MySqlSession& session, const std::string& db) {
  std::vector<std::string> held;
  auto rows = session.Query(
      "SELECT PRIVILEGE_TYPE FROM information_schema.USER_PRIVILEGES UNION "
      "SELECT PRIVILEGE_TYPE FROM information_schema.SCHEMA_PRIVILEGES WHERE " +
      QuoteMySqlLiteral(db) + " LIKE TABLE_SCHEMA");
  while (rows->next()) held.push_back(rows->getString(1).asStdString());
  return held;
}

// What a tenant's catalog differs in from the first one's: "" when the
// same tables have the same columns of the same types, in the same order.
std::string CatalogDifference(const SourceCatalog& first, const SourceCatalog& other) {
  std::map<std::string, const SourceTable*> first_tables, other_tables;
  for (const SourceTable& table : first.tables) first_tables[table.name] = &table;
  for (const SourceTable& table : other.tables) other_tables[table.name] = &table;
  std::vector<std::string> differences;
  for (const auto& [name, table] : first_tables) {
    auto found = other_tables.find(name);
    if (found == other_tables.end()) {
      differences.push_back("no table " + name);
      continue;
    }
    std::vector<std::string> columns, other_columns;
    for (const SourceColumn& column : table->columns) columns.push_back(column.name + " " + column.column_type);
    for (const SourceColumn& column : found->second->columns) {
      other_columns.push_back(column.name + " " + column.column_type);
    }
    for (const std::string& column : columns) {
      if (std::find(other_columns.begin(), other_columns.end(), column) == other_columns.end()) {
        differences.push_back(name + ": no column " + column);
      }
    }
    for (const std::string& column : other_columns) {
      if (std::find(columns.begin(), columns.end(), column) == columns.end()) {
        differences.push_back(name + ": extra column " + column);
      }
    }
  }
  for (const auto& [name, table] : other_tables) {
    if (first_tables.count(name) == 0) differences.push_back("extra table " + name);
  }
  return Join(differences, "; ");
}

void CheckSource(const PrecheckArgs& args, const ConnectionUri& uri, std::vector<std::string>& tenants,
                 std::vector<Finding>& findings) {
  MySqlSession session(uri);
  std::string cipher;
  {
    auto rows = session.Query("SHOW SESSION STATUS LIKE 'Ssl_cipher'");
    if (rows->next()) cipher = rows->getString(2).asStdString();
  }
  findings.push_back({Verdict::kOk, "source", "connect", uri.Redacted() + ", " + session.server_version()});
  findings.push_back({cipher.empty() ? Verdict::kNote : Verdict::kOk, "source", "tls",
                      cipher.empty() ? "not encrypted (add ?ssl-mode=VERIFY_IDENTITY&ssl-ca=...)" : cipher});

  std::vector<std::string> available = ListDatabases(session);
  if (!args.databases_file.empty()) {
    for (const TenantSpec& tenant : ParseDatabasesFile(ReadInput(args.databases_file), args.databases_file)) {
      tenants.push_back(tenant.database);
    }
  } else {
    if (args.databases.empty()) throw Error(ErrorCategory::kUsage, "give --databases or --databases-file");
    tenants = SelectDatabases(available, args.databases, args.excludes);
  }
  if (tenants.empty()) throw Error(ErrorCategory::kUsage, "no source database matches --databases");
  for (const std::string& db : tenants) {
    if (std::find(available.begin(), available.end(), db) == available.end()) {
      findings.push_back({Verdict::kProblem, "source", "database",
                          "no source database '" + db + "'" + DidYouMean(db, available)});
    }
  }

  std::string account = FirstValue(session, "SELECT CURRENT_USER()");  // user@host
  size_t at = account.rfind('@');
  std::string grantee = QuoteMySqlLiteral(account.substr(0, at)) + "@" + QuoteMySqlLiteral(account.substr(at + 1));
  std::vector<std::string> needed = {"SELECT", "SHOW VIEW"};
  if (!args.no_lock) needed.push_back("LOCK TABLES");
  int missing_count = 0;
  for (const std::string& db : tenants) {
    std::vector<std::string> held = SourcePrivileges(session, db);
    std::vector<std::string> missing;
    for (const std::string& privilege : needed) {
      if (std::find(held.begin(), held.end(), privilege) == held.end()) missing.push_back(privilege);
    }
    if (!missing.empty()) {
      ++missing_count;
      findings.push_back({Verdict::kProblem, "source", "privileges",
                          "GRANT " + Join(missing, ", ") + " ON " + QuoteMySqlIdentifier(db) + ".* TO " + grantee + ";" +
                              (args.no_lock || std::find(missing.begin(), missing.end(), "LOCK TABLES") ==
                                                   missing.end()
                                   ? ""
                                   : " (or --no-lock for a source nobody writes to)")});
    }
  }
  if (missing_count == 0) {
    findings.push_back({Verdict::kOk, "source", "privileges", Join(needed, ", ") + " on every database"});
  }

  // Each tenant's catalog against the first one's: a mapping written for
  // the first may not fit a tenant whose schema drifted.
  if (tenants.size() > 1) {
    SourceCatalog first = ReadCatalog(session, tenants.front());
    int drifted = 0;
    for (size_t i = 1; i < tenants.size(); ++i) {
      std::string difference = CatalogDifference(first, ReadCatalog(session, tenants[i]));
      if (difference.empty()) continue;
      ++drifted;
      findings.push_back({Verdict::kProblem, "source", "drift",
                          tenants[i] + " differs from " + tenants.front() + ": " + difference});
    }
    if (drifted == 0) {
      findings.push_back({Verdict::kOk, "source", "drift",
                          std::to_string(tenants.size()) + " databases with the tables and columns of " +
                              tenants.front()});
    }
  }

  // Tables without a primary key, and the size of the copy, over the
  // selected databases.
  std::string in_list;
  for (const std::string& db : tenants) in_list += (in_list.empty() ? "" : ", ") + QuoteMySqlLiteral(db);
  auto no_key = session.Query(
      "SELECT CONCAT(t.TABLE_SCHEMA, '.', t.TABLE_NAME) FROM information_schema.TABLES t "
      "WHERE t.TABLE_TYPE = 'BASE TABLE' AND t.TABLE_SCHEMA IN (" + in_list + ") AND NOT EXISTS ("
      // COLUMNS, not TABLE_CONSTRAINTS: MariaDB shows an account with only
      // SELECT its columns' keys, but no constraint rows.
      "SELECT 1 FROM information_schema.COLUMNS c WHERE c.TABLE_SCHEMA = t.TABLE_SCHEMA "
      "AND c.TABLE_NAME = t.TABLE_NAME AND c.COLUMN_KEY = 'PRI') ORDER BY 1");
  std::vector<std::string> keyless;
  while (no_key->next()) keyless.push_back(no_key->getString(1).asStdString());
  if (!keyless.empty()) {
    findings.push_back({Verdict::kNote, "source", "primary keys",
                        std::to_string(keyless.size()) + " tables without one (copied in one piece, duplicates "
                        "kept): " + Join(keyless, ", ")});
  }
  auto size = session.Query(
      "SELECT COUNT(*), COALESCE(SUM(TABLE_ROWS), 0), COALESCE(SUM(DATA_LENGTH + INDEX_LENGTH), 0) "
      "FROM information_schema.TABLES WHERE TABLE_TYPE = 'BASE TABLE' AND TABLE_SCHEMA IN (" + in_list + ")");
  if (size->next()) {
    findings.push_back({Verdict::kOk, "source", "size",
                        std::to_string(tenants.size()) + " databases, " + size->getString(1).asStdString() +
                            " tables, about " + size->getString(2).asStdString() + " rows, " +
                            size->getString(3).asStdString() + " bytes (estimates)"});
  }
}

void CheckTarget(const PrecheckArgs& args, const ConnectionUri& uri, const std::vector<std::string>& tenants,
                 std::vector<Finding>& findings) {
  PgSession admin(uri.WithDatabase("postgres"));
  auto row = admin.Query(
      "SELECT current_setting('server_version'), COALESCE((SELECT ssl::text || ' ' || version FROM pg_stat_ssl "
      "WHERE pid = pg_backend_pid()), 'f'), r.rolcreatedb, r.rolsuper, current_user, "
      "current_setting('max_connections')::int - CASE WHEN r.rolsuper THEN 0 ELSE "
      "current_setting('superuser_reserved_connections')::int END, r.rolconnlimit "
      "FROM pg_roles r WHERE r.rolname = current_user").at(0);
  findings.push_back({Verdict::kOk, "target", "connect", uri.Redacted() + ", PostgreSQL " + row[0]});
  bool tls = row[1].rfind("true", 0) == 0 || row[1].rfind("t ", 0) == 0;
  findings.push_back({tls ? Verdict::kOk : Verdict::kNote, "target", "tls",
                      tls ? row[1].substr(row[1].find(' ') + 1)
                          : "not encrypted (add ?sslmode=verify-full&sslrootcert=...)"});
  bool can_create = row[2] == "t" || row[3] == "t";
  const std::string& role = row[4];
  for (const std::string& db : tenants) {
    std::string name = uri.ForDatabase(db).database;
    auto existing = admin.Query("SELECT pg_get_userbyid(datdba) = current_user OR " + std::string(row[3] == "t" ? "true" : "false") +
                                " FROM pg_database WHERE datname = " + QuotePgLiteral(name));
    if (existing.empty()) {
      if (!can_create) {
        findings.push_back({Verdict::kProblem, "target", "privileges",
                            "ALTER ROLE " + QuotePgIdentifier(role) + " CREATEDB; (to create database " + name + ")"});
        break;
      }
    } else if (existing[0][0] != "t") {
      findings.push_back({Verdict::kProblem, "target", "privileges",
                          "ALTER DATABASE " + QuotePgIdentifier(name) + " OWNER TO " + QuotePgIdentifier(role) +
                              "; (it exists and belongs to another role)"});
    }
  }
  int connections = std::stoi(row[5]);
  int limit = std::stoi(row[6]);
  if (limit >= 0) connections = std::min(connections, limit);
  int running = static_cast<int>(std::min<size_t>(args.jobs, tenants.size()));
  int needed = running * TargetConnectionsPerDatabase(args.threads);
  findings.push_back({needed <= connections ? Verdict::kOk : Verdict::kProblem, "target", "connections",
                      std::to_string(running) + " jobs x " + std::to_string(args.threads) + " threads need " +
                          std::to_string(needed) + " connections; the role may open " +
                          std::to_string(connections)});
}

const char* VerdictName(Verdict verdict) {
  return verdict == Verdict::kOk ? "ok" : verdict == Verdict::kNote ? "note" : "PROBLEM";
}

}  // namespace

CLI::App* AddPrecheckCommand(CLI::App& app, PrecheckArgs& args) {
  CLI::App* command =
      app.add_subcommand("precheck", "check, before anything is written, that migrate with these arguments can run");
  command->add_option("--source", args.source, "mysql://... (default: $MY2PG_SOURCE)");
  command->add_option("--target", args.target, "postgresql://.../NAME, as for migrate (default: $MY2PG_TARGET)");
  AddTenantOptions(command, "check", args.databases, args.excludes, args.databases_file);
  command->add_option("-j,--jobs", args.jobs, "databases migrate would run at once")->check(CLI::Range(1, 1024));
  command->add_option("-t,--threads", args.threads, "threads per database migrate would use")
      ->capture_default_str()
      ->check(CLI::Range(1, 64));
  command->add_flag("--no-lock", args.no_lock, "migrate will run with --no-lock: LOCK TABLES is not needed");
  return command;
}

int RunPrecheckCommand(const PrecheckArgs& args) {
  ConnectionUri source = RequireUri(args.source, "--source", "MY2PG_SOURCE", "mysql");
  ConnectionUri target = RequireTargetUri(args.target);
  std::vector<Finding> findings;
  std::vector<std::string> tenants;
  // A server that cannot be reached is a finding, not the end of the check.
  try {
    CheckSource(args, source, tenants, findings);
  } catch (const Error& e) {
    if (e.category() == ErrorCategory::kUsage) throw;
    findings.push_back({Verdict::kProblem, "source", "connect", e.what()});
  }
  try {
    CheckTarget(args, target, tenants, findings);
  } catch (const Error& e) {
    if (e.category() == ErrorCategory::kUsage) throw;
    findings.push_back({Verdict::kProblem, "target", "connect", e.what()});
  }
  int problems = 0;
  std::cout << std::left << std::setw(8) << "STATUS" << std::setw(8) << "SIDE" << std::setw(14) << "CHECK"
            << "DETAIL\n";
  for (const Finding& finding : findings) {
    problems += finding.verdict == Verdict::kProblem;
    std::cout << std::setw(8) << VerdictName(finding.verdict) << std::setw(8) << finding.side << std::setw(14)
              << finding.check << finding.detail << "\n";
  }
  std::cerr << "my2pg: precheck: " << (problems == 0 ? "ready" : std::to_string(problems) + " problems") << "\n";
  return problems == 0 ? kExitOk : kExitFailed;
}

}  // namespace my2pg
