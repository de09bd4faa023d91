#include "cli/precheck_command.h"

#include <sys/statvfs.h>

#include <cppconn/resultset.h>

#include <algorithm>
#include <iomanip>
#include <iostream>
#include <map>
#include <set>
#include <sstream>

#include "adapters/catalog_reader.h"
#include "adapters/mysql_session.h"
#include "adapters/pg_session.h"
#include "cli/connection_limits.h"
#include "cli/tenant_selection.h"
#include "common/error.h"
#include "common/identifier.h"
#include "common/strings.h"
#include "common/suggest.h"
#include "mapper/catalog.h"
#include "mapper/mapper.h"
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

// What the checks share: the arguments, the databases chosen and the
// findings so far.
struct Precheck {
  explicit Precheck(const PrecheckArgs& arguments) : args(arguments) {}

  const PrecheckArgs& args;
  std::vector<std::string> tenants;
  std::vector<Finding> findings;
  uint64_t source_bytes = 0;  // data and indexes, INFORMATION_SCHEMA's estimate

  void Add(Verdict verdict, const char* side, const char* check, const std::string& detail) {
    findings.push_back({verdict, side, check, detail});
  }
  // Databases migrate would run at once.
  int running() const { return static_cast<int>(std::min<size_t>(args.jobs, std::max<size_t>(tenants.size(), 1))); }
};

// "names" as a list a line can hold: the first 10, then how many more.
std::string ShortList(const std::vector<std::string>& names) {
  const size_t kShown = 10;
  if (names.size() <= kShown) return Join(names, ", ");
  std::vector<std::string> shown(names.begin(), names.begin() + kShown);
  return Join(shown, ", ") + " and " + std::to_string(names.size() - kShown) + " more";
}

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

void CheckSourceConnection(Precheck& check, MySqlSession& session, const ConnectionUri& uri) {
  std::string cipher;
  auto rows = session.Query("SHOW SESSION STATUS LIKE 'Ssl_cipher'");
  if (rows->next()) cipher = rows->getString(2).asStdString();
  check.Add(Verdict::kOk, "source", "connect", uri.Redacted() + ", " + session.server_version());
  check.Add(cipher.empty() ? Verdict::kNote : Verdict::kOk, "source", "tls",
            cipher.empty() ? "not encrypted (add ?ssl-mode=VERIFY_IDENTITY&ssl-ca=...)" : cipher);
}

void ChooseSourceDatabases(Precheck& check, MySqlSession& session) {
  const PrecheckArgs& args = check.args;
  std::vector<std::string> available = ListDatabases(session);
  if (!args.databases_file.empty()) {
    for (const TenantSpec& tenant : ParseDatabasesFile(ReadInput(args.databases_file), args.databases_file)) {
      check.tenants.push_back(tenant.database);
    }
  } else {
    if (args.databases.empty()) throw Error(ErrorCategory::kUsage, "give --databases or --databases-file");
    check.tenants = SelectDatabases(available, args.databases, args.excludes);
  }
  if (check.tenants.empty()) throw Error(ErrorCategory::kUsage, "no source database matches --databases");
  for (const std::string& db : check.tenants) {
    if (std::find(available.begin(), available.end(), db) == available.end()) {
      check.Add(Verdict::kProblem, "source", "database", "no source database '" + db + "'" + DidYouMean(db, available));
    }
  }
}

void CheckSourcePrivileges(Precheck& check, MySqlSession& session) {
  std::string account = FirstValue(session, "SELECT CURRENT_USER()");  // user@host
  size_t at = account.rfind('@');
  std::string grantee = QuoteMySqlLiteral(account.substr(0, at)) + "@" + QuoteMySqlLiteral(account.substr(at + 1));
  std::vector<std::string> needed = {"SELECT", "SHOW VIEW"};
  if (!check.args.no_lock) needed.push_back("LOCK TABLES");
  int missing_count = 0;
  for (const std::string& db : check.tenants) {
    std::vector<std::string> held = SourcePrivileges(session, db);
    std::vector<std::string> missing;
    for (const std::string& privilege : needed) {
      if (std::find(held.begin(), held.end(), privilege) == held.end()) missing.push_back(privilege);
    }
    if (missing.empty()) continue;
    ++missing_count;
    bool lock_missing = std::find(missing.begin(), missing.end(), "LOCK TABLES") != missing.end();
    check.Add(Verdict::kProblem, "source", "privileges",
              "GRANT " + Join(missing, ", ") + " ON " + QuoteMySqlIdentifier(db) + ".* TO " + grantee + ";" +
                  (lock_missing ? " (or --no-lock for a source nobody writes to)" : ""));
  }
  if (missing_count == 0) {
    check.Add(Verdict::kOk, "source", "privileges", Join(needed, ", ") + " on every database");
  }
}

// The server's settings that bear on the run: its connection limit against
// --jobs and --threads, the sql_mode the data was written under, and the
// write transactions that LOCK TABLES would wait for.
void CheckSourceSettings(Precheck& check, MySqlSession& session) {
  auto row = session.Query(
      "SELECT @@GLOBAL.max_connections, @@GLOBAL.max_user_connections, @@GLOBAL.sql_mode, "
      "(SELECT VARIABLE_VALUE FROM information_schema.GLOBAL_STATUS WHERE VARIABLE_NAME = 'THREADS_CONNECTED')");
  row->next();
  int limit = row->getInt(1);
  int per_user = row->getInt(2);
  std::string sql_mode = row->getString(3).asStdString();
  int in_use = row->isNull(4) ? 0 : std::stoi(row->getString(4).asStdString());
  int free_connections = limit - in_use;
  if (per_user > 0) free_connections = std::min(free_connections, per_user);
  int needed = check.running() * SourceConnectionsPerDatabase(check.args.threads);
  check.Add(needed <= free_connections ? Verdict::kOk : Verdict::kProblem, "source", "connections",
            std::to_string(check.running()) + " jobs x " + std::to_string(check.args.threads) + " threads need " +
                std::to_string(needed) + " connections; the server has " + std::to_string(free_connections) +
                " free (max_connections " + std::to_string(limit) + ", " + std::to_string(in_use) + " in use" +
                (per_user > 0 ? ", max_user_connections " + std::to_string(per_user) : std::string()) + ")");

  // Strict modes refuse zero and invalid dates; without them the tables
  // may hold some, which the mapping's date policies then decide.
  auto has = [&](const char* mode) { return ("," + sql_mode + ",").find(std::string(",") + mode + ",") != std::string::npos; };
  bool strict = has("STRICT_TRANS_TABLES") || has("STRICT_ALL_TABLES");
  bool guarded = strict && has("NO_ZERO_DATE") && has("NO_ZERO_IN_DATE") && !has("ALLOW_INVALID_DATES");
  check.Add(guarded ? Verdict::kOk : Verdict::kNote, "source", "sql_mode",
            "'" + sql_mode + "'" +
                (guarded ? " (rows written under an older mode may still hold zero dates)"
                         : ": zero or invalid dates may be stored; the mapping's zero_date and invalid_date policies "
                           "decide them (my2pg explain shows which)"));

  if (check.args.no_lock) return;
  // LOCK TABLES ... READ waits for every open write transaction on the
  // tables (INNODB_TRX needs the PROCESS privilege to show other sessions).
  try {
    auto open = session.Query(
        "SELECT t.trx_mysql_thread_id, p.USER, TIMESTAMPDIFF(SECOND, t.trx_started, NOW()) "
        "FROM information_schema.INNODB_TRX t JOIN information_schema.PROCESSLIST p ON p.ID = t.trx_mysql_thread_id "
        "WHERE t.trx_mysql_thread_id <> CONNECTION_ID() AND t.trx_is_read_only = 0 AND t.trx_rows_modified > 0 "
        "ORDER BY t.trx_started");
    std::vector<std::string> writers;
    while (open->next()) {
      writers.push_back("session " + open->getString(1).asStdString() + " (user " + open->getString(2).asStdString() +
                        ", open " + open->getString(3).asStdString() + " s)");
    }
    if (writers.empty()) {
      check.Add(Verdict::kOk, "source", "transactions", "no open write transaction: LOCK TABLES will not wait");
    } else {
      check.Add(Verdict::kNote, "source", "transactions",
                "open write transactions, which migrate's LOCK TABLES waits for (up to --lock-timeout): " +
                    Join(writers, ", "));
    }
  } catch (const Error&) {
    check.Add(Verdict::kNote, "source", "transactions",
              "other sessions' transactions are not visible (the PROCESS privilege shows them); migrate's LOCK "
              "TABLES waits up to --lock-timeout for open write transactions");
  }
}

// Each tenant's catalog against the first one's (a mapping written for the
// first may not fit a tenant whose schema drifted), and against the
// mapping: rules that fail on a tenant, names made distinct, tables left
// without a key.
void CheckSchemas(Precheck& check, MySqlSession& session, const Rules& rules) {
  const std::vector<std::string>& tenants = check.tenants;
  SourceCatalog first = ReadCatalog(session, tenants.front());
  // A plan per distinct catalog: tenants with the first one's share its plan.
  std::map<std::string, std::shared_ptr<const SchemaPlan>> plans;
  int drifted = 0, unmappable = 0;
  auto map = [&](const std::string& db, const SourceCatalog& catalog) -> std::shared_ptr<const SchemaPlan> {
    try {
      return std::make_shared<const SchemaPlan>(MapCatalog(catalog, rules));
    } catch (const Error& e) {
      if (e.category() != ErrorCategory::kRules) throw;
      ++unmappable;
      check.Add(Verdict::kProblem, "source", "mapping", db + ": " + e.what());
      return nullptr;
    }
  };
  plans[tenants.front()] = map(tenants.front(), first);
  for (size_t i = 1; i < tenants.size(); ++i) {
    SourceCatalog catalog = ReadCatalog(session, tenants[i]);
    std::string difference = CatalogDifference(first, catalog);
    if (difference.empty()) {
      plans[tenants[i]] = plans[tenants.front()];
      continue;
    }
    ++drifted;
    check.Add(Verdict::kProblem, "source", "drift", tenants[i] + " differs from " + tenants.front() + ": " + difference);
    plans[tenants[i]] = map(tenants[i], catalog);
  }
  if (tenants.size() > 1 && drifted == 0) {
    check.Add(Verdict::kOk, "source", "drift",
              std::to_string(tenants.size()) + " databases with the tables and columns of " + tenants.front());
  }
  if (unmappable == 0) {
    const SchemaPlan& plan = *plans[tenants.front()];
    check.Add(Verdict::kOk, "source", "mapping",
              (check.args.mapping.empty() ? std::string("the built-in defaults") : check.args.mapping) + " map " +
                  std::to_string(plan.tables.size()) + " tables of " + tenants.front() +
                  (plan.skipped_tables.empty() ? "" : " (" + std::to_string(plan.skipped_tables.size()) + " skipped)"));
  }

  // Names PostgreSQL would cut or fold onto another's, once per distinct
  // message (every tenant with the same catalog says the same).
  std::set<std::string> said;
  for (const auto& [db, plan] : plans) {
    if (plan == nullptr) continue;
    for (const std::string& renamed : plan->renamed_to_stay_distinct) {
      if (said.insert(renamed).second) check.Add(Verdict::kNote, "source", "names", renamed);
    }
  }

  // Tables without a primary key: the mapping may give them one
  // (primary_key, surrogate_key); the others are copied in one piece.
  std::string in_list;
  for (const std::string& db : tenants) in_list += (in_list.empty() ? "" : ", ") + QuoteMySqlLiteral(db);
  auto no_key = session.Query(
      "SELECT t.TABLE_SCHEMA, t.TABLE_NAME FROM information_schema.TABLES t "
      "WHERE t.TABLE_TYPE = 'BASE TABLE' AND t.TABLE_SCHEMA IN (" + in_list + ") AND NOT EXISTS ("
      // COLUMNS, not TABLE_CONSTRAINTS: MariaDB shows an account with only
      // SELECT its columns' keys, but no constraint rows.
      "SELECT 1 FROM information_schema.COLUMNS c WHERE c.TABLE_SCHEMA = t.TABLE_SCHEMA "
      "AND c.TABLE_NAME = t.TABLE_NAME AND c.COLUMN_KEY = 'PRI') ORDER BY 1, 2");
  std::vector<std::string> keyed, keyless;
  while (no_key->next()) {
    std::string db = no_key->getString(1).asStdString(), name = no_key->getString(2).asStdString();
    const SchemaPlan* plan = plans.count(db) ? plans[db].get() : nullptr;
    if (plan == nullptr) continue;  // the rules cannot map this tenant: said above
    const TargetTable* target = nullptr;
    for (const TargetTable& table : plan->tables) {
      if (plan->source_of(table).name == name) target = &table;
    }
    if (target == nullptr) continue;  // skipped by the mapping
    bool given_key = !target->indexes.empty() && target->indexes.front().primary;
    (given_key ? keyed : keyless).push_back(db + "." + name);
  }
  if (!keyed.empty()) {
    check.Add(Verdict::kOk, "source", "primary keys",
              std::to_string(keyed.size()) + " tables without one get one from the mapping: " + ShortList(keyed));
  }
  if (!keyless.empty()) {
    check.Add(Verdict::kNote, "source", "primary keys",
              std::to_string(keyless.size()) + " tables without one (copied in one piece, duplicates kept): " +
                  ShortList(keyless));
  }
}

void MeasureSource(Precheck& check, MySqlSession& session) {
  std::string in_list;
  for (const std::string& db : check.tenants) in_list += (in_list.empty() ? "" : ", ") + QuoteMySqlLiteral(db);
  auto size = session.Query(
      "SELECT COUNT(*), COALESCE(SUM(TABLE_ROWS), 0), COALESCE(SUM(DATA_LENGTH + INDEX_LENGTH), 0) "
      "FROM information_schema.TABLES WHERE TABLE_TYPE = 'BASE TABLE' AND TABLE_SCHEMA IN (" + in_list + ")");
  if (!size->next()) return;
  check.source_bytes = std::stoull(size->getString(3).asStdString());
  check.Add(Verdict::kOk, "source", "size",
            std::to_string(check.tenants.size()) + " databases, " + size->getString(1).asStdString() +
                " tables, about " + size->getString(2).asStdString() + " rows, " + HumanBytes(check.source_bytes) +
                " (estimates)");
}

void CheckSource(Precheck& check, const ConnectionUri& uri, const Rules& rules) {
  MySqlSession session(uri);
  CheckSourceConnection(check, session, uri);
  ChooseSourceDatabases(check, session);
  CheckSourcePrivileges(check, session);
  CheckSourceSettings(check, session);
  CheckSchemas(check, session, rules);
  MeasureSource(check, session);
}

bool IsLocalHost(const std::string& host) {
  return host.empty() || host[0] == '/' || host == "localhost" || host == "127.0.0.1" || host == "::1";
}

// The free space of the target's data directory, which only a session on
// this host that may read data_directory (superuser, pg_read_all_settings)
// can see; the copy needs about the source's data and index bytes.
void CheckTargetSpace(Precheck& check, PgSession& admin, const ConnectionUri& uri) {
  if (check.source_bytes == 0) return;
  std::string need = "the copy needs about " + HumanBytes(check.source_bytes) + " (the source's data and indexes)";
  std::string directory;
  try {
    directory = admin.QueryValue("SELECT current_setting('data_directory')");
  } catch (const Error&) {
    // Not allowed to read it: said below.
  }
  struct statvfs space;
  if (directory.empty() || !IsLocalHost(uri.host) || statvfs(directory.c_str(), &space) != 0) {
    check.Add(Verdict::kNote, "target", "space",
              "free space not visible from here (a server on this host, and a role that may read data_directory, "
              "show it); " + need);
    return;
  }
  uint64_t free_bytes = static_cast<uint64_t>(space.f_bavail) * space.f_frsize;
  check.Add(free_bytes >= check.source_bytes ? Verdict::kOk : Verdict::kProblem, "target", "space",
            HumanBytes(free_bytes) + " free in " + directory + "; " + need);
}

// Target databases that exist already: migrate refuses them unless told to
// drop them (--replace) or to carry on their run (--resume).
void CheckExistingTargets(Precheck& check, const std::vector<std::string>& names) {
  if (names.empty()) return;
  std::string count = std::to_string(names.size()) + " target databases exist (" + ShortList(names) + ")";
  if (check.args.replace) {
    check.Add(Verdict::kNote, "target", "existing", count + ": --replace drops and recreates them");
  } else if (check.args.resume) {
    check.Add(Verdict::kOk, "target", "existing", count + ": --resume carries on their run");
  } else {
    check.Add(Verdict::kProblem, "target", "existing",
              count + ": migrate refuses them without --replace (drop and recreate) or --resume (carry on a "
                      "stopped run)");
  }
}

void CheckTarget(Precheck& check, const ConnectionUri& uri) {
  PgSession admin(uri.WithDatabase("postgres"));
  auto row = admin.Query(
      "SELECT current_setting('server_version'), COALESCE((SELECT ssl::text || ' ' || version FROM pg_stat_ssl "
      "WHERE pid = pg_backend_pid()), 'f'), r.rolcreatedb, r.rolsuper, current_user "
      "FROM pg_roles r WHERE r.rolname = current_user").at(0);
  check.Add(Verdict::kOk, "target", "connect", uri.Redacted() + ", PostgreSQL " + row[0]);
  bool tls = row[1].rfind("true", 0) == 0 || row[1].rfind("t ", 0) == 0;
  check.Add(tls ? Verdict::kOk : Verdict::kNote, "target", "tls",
            tls ? row[1].substr(row[1].find(' ') + 1) : "not encrypted (add ?sslmode=verify-full&sslrootcert=...)");
  bool can_create = row[2] == "t" || row[3] == "t";
  const std::string& role = row[4];
  std::vector<std::string> existing_names;
  bool create_said = false;
  for (const std::string& db : check.tenants) {
    std::string name = uri.ForDatabase(db).database;
    auto existing = admin.Query("SELECT pg_get_userbyid(datdba) = current_user OR " +
                                std::string(row[3] == "t" ? "true" : "false") +
                                " FROM pg_database WHERE datname = " + QuotePgLiteral(name));
    if (existing.empty()) {
      if (!can_create && !create_said) {
        check.Add(Verdict::kProblem, "target", "privileges",
                  "ALTER ROLE " + QuotePgIdentifier(role) + " CREATEDB; (to create database " + name + ")");
        create_said = true;
      }
      continue;
    }
    existing_names.push_back(name);
    if (existing[0][0] != "t") {
      check.Add(Verdict::kProblem, "target", "privileges",
                "ALTER DATABASE " + QuotePgIdentifier(name) + " OWNER TO " + QuotePgIdentifier(role) +
                    "; (it exists and belongs to another role)");
    }
  }
  CheckExistingTargets(check, existing_names);
  int connections = ReadTargetCapacity(admin).connections;
  int needed = check.running() * TargetConnectionsPerDatabase(check.args.threads);
  check.Add(needed <= connections ? Verdict::kOk : Verdict::kProblem, "target", "connections",
            std::to_string(check.running()) + " jobs x " + std::to_string(check.args.threads) + " threads need " +
                std::to_string(needed) + " connections; the role may open " + std::to_string(connections));
  CheckTargetSpace(check, admin, uri);
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
  command->add_option("--mapping", args.mapping, "rules file migrate would use (default: the built-in defaults)");
  command->add_option("-j,--jobs", args.jobs, "databases migrate would run at once")->check(CLI::Range(1, 1024));
  command->add_option("-t,--threads", args.threads, "threads per database migrate would use")
      ->capture_default_str()
      ->check(CLI::Range(1, 64));
  command->add_flag("--no-lock", args.no_lock, "migrate will run with --no-lock: LOCK TABLES is not needed");
  command->add_flag("--replace", args.replace, "migrate will run with --replace: existing target databases are dropped");
  command->add_flag("--resume", args.resume, "migrate will run with --resume: existing target databases carry on");
  return command;
}

int RunPrecheckCommand(const PrecheckArgs& args) {
  ConnectionUri source = RequireUri(args.source, "--source", "MY2PG_SOURCE", "mysql");
  ConnectionUri target = RequireTargetUri(args.target);
  Rules rules = LoadRules(args.mapping);  // a bad rules file stops here: exit 2
  Precheck check(args);
  // A server that cannot be reached is a finding, not the end of the check.
  try {
    CheckSource(check, source, rules);
  } catch (const Error& e) {
    if (e.category() == ErrorCategory::kUsage) throw;
    check.Add(Verdict::kProblem, "source", "connect", e.what());
  }
  try {
    CheckTarget(check, target);
  } catch (const Error& e) {
    if (e.category() == ErrorCategory::kUsage) throw;
    check.Add(Verdict::kProblem, "target", "connect", e.what());
  }
  int problems = 0;
  std::cout << std::left << std::setw(8) << "STATUS" << std::setw(8) << "SIDE" << std::setw(14) << "CHECK"
            << "DETAIL\n";
  for (const Finding& finding : check.findings) {
    problems += finding.verdict == Verdict::kProblem;
    std::cout << std::setw(8) << VerdictName(finding.verdict) << std::setw(8) << finding.side << std::setw(14)
              << finding.check << finding.detail << "\n";
  }
  std::cerr << "my2pg: precheck: " << (problems == 0 ? "ready" : std::to_string(problems) + " problems") << "\n";
  return problems == 0 ? kExitOk : kExitFailed;
}

}  // namespace my2pg
