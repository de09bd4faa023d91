#include "adapters/catalog_reader.h"

#include <cppconn/resultset.h>
#include <cppconn/resultset_metadata.h>

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <map>
#include <set>
#include <tuple>

#include "common/error.h"
#include "common/suggest.h"
#include "common/identifier.h"
#include "common/strings.h"

namespace my2pg {
namespace {


// Reads result columns by name, tolerating columns an older server lacks.
class Row {
 public:
  explicit Row(sql::ResultSet& rows) : rows_(rows) {
    sql::ResultSetMetaData* meta = rows.getMetaData();
    for (unsigned int i = 1; i <= meta->getColumnCount(); ++i) {
      index_[AsciiLower(meta->getColumnLabel(i))] = i;
    }
  }
  bool Has(const std::string& name) const { return index_.count(name) != 0; }
  bool IsNull(const std::string& name) const { return !Has(name) || rows_.isNull(index_.at(name)); }
  std::string Text(const std::string& name) const {
    return IsNull(name) ? std::string() : std::string(rows_.getString(index_.at(name)));
  }
  template <typename T>
  std::optional<T> Number(const std::string& name) const {
    if (IsNull(name)) return std::nullopt;
    return static_cast<T>(std::stoll(std::string(rows_.getString(index_.at(name)))));
  }

 private:
  sql::ResultSet& rows_;
  std::map<std::string, unsigned int> index_;
};

bool LooksNumeric(const std::string& text) {
  if (text.empty()) return false;
  for (char c : text) {
    if (!std::isdigit(static_cast<unsigned char>(c)) && c != '-' && c != '+' && c != '.' &&
        c != 'e' && c != 'E') {
      return false;
    }
  }
  return true;
}

// MariaDB quotes literal defaults since 10.2.7 (MDEV-13132).
bool QuotesDefaults(const std::string& version) {
  if (version.find("MariaDB") == std::string::npos) return false;
  int major = 0, minor = 0, patch = 0;
  std::sscanf(version.c_str(), "%d.%d.%d", &major, &minor, &patch);
  return major > 10 || (major == 10 && (minor > 2 || (minor == 2 && patch >= 7)));
}

// A privilege as GRANT spells it, from a mysql.db column name ("Create_view"
// without "_priv") or a mysql.tables_priv Table_priv member ("Create View").
std::string PrivilegeName(std::string name) {
  for (char& c : name) c = c == '_' ? ' ' : static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  if (name == "GRANT") return "GRANT OPTION";
  if (name == "CREATE TMP TABLE") return "CREATE TEMPORARY TABLES";
  return name;
}

std::string In(const std::string& database) {
  return "TABLE_SCHEMA = " + QuoteMySqlLiteral(database);
}

}  // namespace

SourceDefault NormalizeDefault(const std::string* column_default, bool mariadb_quoting,
                               bool nullable, const std::string& extra) {
  SourceDefault result;
  if (column_default == nullptr) {
    // MySQL shows "no default" and "DEFAULT NULL" alike; a nullable column
    // without a default defaults to NULL in both.
    if (!mariadb_quoting && nullable) result.kind = SourceDefault::Kind::kNull;
    return result;
  }
  const std::string& text = *column_default;
  if (mariadb_quoting) {
    if (text == "NULL") {
      result.kind = SourceDefault::Kind::kNull;
    } else if (text.size() >= 2 && text.front() == '\'' && text.back() == '\'') {
      result.kind = SourceDefault::Kind::kLiteral;
      for (size_t i = 1; i + 1 < text.size(); ++i) {
        if (text[i] == '\'' && text[i + 1] == '\'') ++i;  // '' is an escaped quote
        result.text += text[i];
      }
    } else if (LooksNumeric(text) || (text.size() > 2 && text[0] == 'b' && text[1] == '\'')) {
      result.kind = SourceDefault::Kind::kLiteral;
      result.text = text;
    } else {
      result.kind = SourceDefault::Kind::kExpression;
      result.text = text;
    }
    return result;
  }
  std::string lower = AsciiLower(text);
  bool expression = AsciiLower(extra).find("default_generated") != std::string::npos ||
                    lower.rfind("current_timestamp", 0) == 0 || lower.rfind("now(", 0) == 0;
  result.kind = expression ? SourceDefault::Kind::kExpression : SourceDefault::Kind::kLiteral;
  result.text = text;
  return result;
}

std::vector<SourceGrant> ReadGrants(MySqlSession& session, const std::string& database) {
  std::map<std::tuple<std::string, std::string, std::string>, std::vector<std::string>> merged;
  try {
    // Db is a pattern: `hotel\_%`.* grants on every database it matches.
    // mysql.db's columns differ between versions: every *_priv column counts.
    auto rows = session.Query("SELECT * FROM mysql.db WHERE " + QuoteMySqlLiteral(database) + " LIKE Db");
    sql::ResultSetMetaData* meta = rows->getMetaData();
    while (rows->next()) {
      std::vector<std::string> privileges;
      std::string user, host;
      for (unsigned int i = 1; i <= meta->getColumnCount(); ++i) {
        const std::string label = meta->getColumnLabel(i);
        const std::string lower = AsciiLower(label);
        if (lower == "user") user = rows->getString(i);
        if (lower == "host") host = rows->getString(i);
        constexpr char kSuffix[] = "_priv";
        const size_t stem = lower.size() - (sizeof(kSuffix) - 1);
        if (lower.size() > sizeof(kSuffix) - 1 && lower.compare(stem, std::string::npos, kSuffix) == 0 &&
            rows->getString(i) == "Y") {
          privileges.push_back(PrivilegeName(label.substr(0, stem)));
        }
      }
      auto& held = merged[{user, host, ""}];
      held.insert(held.end(), privileges.begin(), privileges.end());
    }
    auto tables = session.Query("SELECT User, Host, Table_name, Table_priv FROM mysql.tables_priv WHERE Db = " +
                                QuoteMySqlLiteral(database));
    while (tables->next()) {
      auto& held = merged[{tables->getString(1), tables->getString(2), tables->getString(3)}];
      const std::string set = tables->getString(4);  // "Select,Insert,Create View"
      for (size_t start = 0; start < set.size();) {
        size_t end = std::min(set.find(',', start), set.size());
        held.push_back(PrivilegeName(set.substr(start, end - start)));
        start = end + 1;
      }
    }
  } catch (const Error& e) {
    if (e.retryable()) throw;
    throw Error(ErrorCategory::kSource,
                std::string("cannot read the accounts' privileges from mysql.db and mysql.tables_priv (") +
                    e.what() + "); the source account needs GRANT SELECT ON mysql.db and GRANT SELECT ON "
                               "mysql.tables_priv")
        .WithDatabase(database);
  }
  std::vector<SourceGrant> grants;
  for (auto& [key, privileges] : merged) {
    std::sort(privileges.begin(), privileges.end());
    privileges.erase(std::unique(privileges.begin(), privileges.end()), privileges.end());
    if (privileges.empty()) continue;  // a mysql.db row with every privilege revoked
    grants.push_back({std::get<0>(key), std::get<1>(key), std::get<2>(key), std::move(privileges)});
  }
  return grants;
}

namespace {

// ReadCatalog's steps: one INFORMATION_SCHEMA query each, filling one catalog.
class CatalogReader {
 public:
  CatalogReader(MySqlSession& session, const std::string& database)
      : session_(session), database_(database), mariadb_quoting_(QuotesDefaults(session.server_version())) {
    catalog_.database = database;
    catalog_.server_version = session.server_version();
  }

  SourceCatalog Read() {
    ReadSchema();
    ReadTables();
    ReadColumns();
    if (session_.is_mariadb()) MarkMariaDbJson();
    ReadIndexes();
    ReadForeignKeys();
    ReadViews();
    ReadTriggers();
    ReadRoutines();
    ReadEvents();
    ReadGrantsOf();
    return std::move(catalog_);
  }

 private:
  // The database's default charset and collation; a usage error if it does not exist.
  void ReadSchema() {
    auto rows = session_.Query(
        "SELECT DEFAULT_CHARACTER_SET_NAME, DEFAULT_COLLATION_NAME FROM INFORMATION_SCHEMA.SCHEMATA "
        "WHERE SCHEMA_NAME = " + QuoteMySqlLiteral(database_));
    if (!rows->next()) {
      // The command named it: a usage error, not an unreachable server.
      throw Error(ErrorCategory::kUsage,
                  "no source database '" + database_ + "'" + DidYouMean(database_, ListDatabases(session_)));
  }
  catalog_.default_charset = rows->getString(1);
  catalog_.default_collation = rows->getString(2);
  }

  // Base tables (views are other objects), with their estimates.
  void ReadTables() {
    auto rows = session_.Query(
        "SELECT * FROM INFORMATION_SCHEMA.TABLES WHERE " + In(database_) +
        " AND TABLE_TYPE = 'BASE TABLE' ORDER BY TABLE_NAME");
    Row row(*rows);
    while (rows->next()) {
      SourceTable table;
      table.name = row.Text("table_name");
      table.engine = row.Text("engine");
      table.collation = row.Text("table_collation");
      table.comment = row.Text("table_comment");
      table.row_estimate = row.Number<int64_t>("table_rows").value_or(0);
      table.data_bytes = row.Number<int64_t>("data_length").value_or(0);
      if (!row.IsNull("auto_increment")) table.auto_increment = row.Number<uint64_t>("auto_increment");
      table_index_[table.name] = catalog_.tables.size();
      catalog_.tables.push_back(std::move(table));
  }
  }

  // Every column of the tables, defaults normalized across servers.
  void ReadColumns() {
    auto rows = session_.Query("SELECT * FROM INFORMATION_SCHEMA.COLUMNS WHERE " + In(database_) +
                              " ORDER BY TABLE_NAME, ORDINAL_POSITION");
    Row row(*rows);
    while (rows->next()) {
      auto table = table_index_.find(row.Text("table_name"));
      if (table == table_index_.end()) continue;  // a view's column
      SourceColumn column;
      column.name = row.Text("column_name");
      column.ordinal = row.Number<int>("ordinal_position").value_or(0);
      column.data_type = AsciiLower(row.Text("data_type"));
      column.column_type = row.Text("column_type");
      column.nullable = row.Text("is_nullable") == "YES";
      std::string extra = row.Text("extra");
      std::string lower_type = AsciiLower(column.column_type);
      column.is_unsigned = lower_type.find(" unsigned") != std::string::npos;
      column.auto_increment = AsciiLower(extra).find("auto_increment") != std::string::npos;
      column.on_update_current_timestamp =
          AsciiLower(extra).find("on update current_timestamp") != std::string::npos;
      std::string default_text = row.Text("column_default");
      column.default_value = NormalizeDefault(row.IsNull("column_default") ? nullptr : &default_text,
                                              mariadb_quoting_, column.nullable, extra);
      column.charset = row.Text("character_set_name");
      column.collation = row.Text("collation_name");
      column.char_max_length = row.Number<int64_t>("character_maximum_length");
      column.numeric_precision = row.Number<int>("numeric_precision");
      column.numeric_scale = row.Number<int>("numeric_scale");
      column.datetime_precision = row.Number<int>("datetime_precision");
      if (column.data_type == "enum" || column.data_type == "set") {
        column.labels = ParseEnumLabels(column.column_type);
      }
      std::string lower_extra = AsciiLower(extra);
      if (lower_extra.find("generated") != std::string::npos &&
          lower_extra.find("default_generated") == std::string::npos) {
        column.generation_expression = row.Text("generation_expression");
        column.generated_stored = lower_extra.find("stored") != std::string::npos ||
                                  lower_extra.find("persistent") != std::string::npos;
      }
      column.comment = row.Text("column_comment");
      catalog_.tables[table->second].columns.push_back(std::move(column));
  }
  }

  // MariaDB stores JSON as LONGTEXT with a json_valid() check (MDEV-9144);
  // the check is the only trace of the declared type.
  void MarkMariaDbJson() {
    try {
      auto rows = session_.Query(
          "SELECT TABLE_NAME, CHECK_CLAUSE FROM INFORMATION_SCHEMA.CHECK_CONSTRAINTS WHERE CONSTRAINT_SCHEMA = " +
          QuoteMySqlLiteral(database_));
      while (rows->next()) {
        auto table = table_index_.find(rows->getString(1));
        if (table == table_index_.end()) continue;
        std::string clause = rows->getString(2);
        for (SourceColumn& column : catalog_.tables[table->second].columns) {
          if (column.data_type == "longtext" && clause == "json_valid(`" + column.name + "`)") {
            column.data_type = "json";
          }
        }
      }
    } catch (const Error&) {
      // Before MariaDB 10.2.22 there is no CHECK_CONSTRAINTS: JSON stays LONGTEXT.
  }
  }

  // Indexes, primary key first.
  void ReadIndexes() {
    auto rows = session_.Query(
        "SELECT TABLE_NAME, INDEX_NAME, NON_UNIQUE, COLUMN_NAME, SUB_PART, INDEX_TYPE, COLLATION "
        "FROM INFORMATION_SCHEMA.STATISTICS WHERE " + In(database_) +
        " ORDER BY TABLE_NAME, INDEX_NAME = 'PRIMARY' DESC, INDEX_NAME, SEQ_IN_INDEX");
    Row row(*rows);
    while (rows->next()) {
      auto table = table_index_.find(row.Text("table_name"));
      if (table == table_index_.end()) continue;
      auto& indexes = catalog_.tables[table->second].indexes;
      std::string name = row.Text("index_name");
      if (indexes.empty() || indexes.back().name != name) {
        SourceIndex index;
        index.name = name;
        index.unique = row.Text("non_unique") == "0";
        index.kind = row.Text("index_type");
        indexes.push_back(std::move(index));
      }
      SourceIndexPart part;
      part.column = row.Text("column_name");
      part.prefix_length = row.Number<int>("sub_part");
      part.descending = row.Text("collation") == "D";
      indexes.back().parts.push_back(std::move(part));
  }
  }

  // Foreign keys with their ON DELETE / ON UPDATE actions.
  void ReadForeignKeys() {
    // Two queries joined here: MariaDB answers a join of KEY_COLUMN_USAGE and
    // REFERENTIAL_CONSTRAINTS by scanning every schema (slow with a fleet).
    std::map<std::pair<std::string, std::string>, std::pair<std::string, std::string>> rules;  // actions
    auto actions = session_.Query(
        "SELECT TABLE_NAME, CONSTRAINT_NAME, DELETE_RULE, UPDATE_RULE FROM INFORMATION_SCHEMA.REFERENTIAL_CONSTRAINTS "
        "WHERE CONSTRAINT_SCHEMA = " + QuoteMySqlLiteral(database_));
    while (actions->next()) {
      rules[{actions->getString(1), actions->getString(2)}] = {actions->getString(3), actions->getString(4)};
  }
  auto rows = session_.Query(
      "SELECT TABLE_NAME, CONSTRAINT_NAME, COLUMN_NAME, REFERENCED_TABLE_NAME, REFERENCED_COLUMN_NAME "
      "FROM INFORMATION_SCHEMA.KEY_COLUMN_USAGE WHERE " + In(database_) +
      " AND REFERENCED_TABLE_NAME IS NOT NULL ORDER BY TABLE_NAME, CONSTRAINT_NAME, ORDINAL_POSITION");
  Row row(*rows);
  while (rows->next()) {
    auto table = table_index_.find(row.Text("table_name"));
    if (table == table_index_.end()) continue;
    auto& keys = catalog_.tables[table->second].foreign_keys;
    std::string name = row.Text("constraint_name");
    if (keys.empty() || keys.back().name != name) {
      SourceForeignKey key;
      key.name = name;
      key.referenced_table = row.Text("referenced_table_name");
      auto action = rules.find({row.Text("table_name"), name});
      key.on_delete = action == rules.end() ? "RESTRICT" : action->second.first;
      key.on_update = action == rules.end() ? "RESTRICT" : action->second.second;
      keys.push_back(std::move(key));
    }
    keys.back().columns.push_back(row.Text("column_name"));
    keys.back().referenced_columns.push_back(row.Text("referenced_column_name"));
  }
  }

  // Views, triggers, routines and events are not migrated: kept to warn about.
  void ReadViews() {
    auto rows = session_.Query("SELECT TABLE_NAME, VIEW_DEFINITION FROM INFORMATION_SCHEMA.VIEWS WHERE " +
                              In(database_) + " ORDER BY TABLE_NAME");
    while (rows->next()) {
      catalog_.other_objects.push_back({"view", rows->getString(1), "", rows->getString(2)});
  }
  }

  void ReadTriggers() {
    auto rows = session_.Query(
        "SELECT TRIGGER_NAME, EVENT_OBJECT_TABLE, ACTION_STATEMENT FROM INFORMATION_SCHEMA.TRIGGERS "
        "WHERE TRIGGER_SCHEMA = " + QuoteMySqlLiteral(database_) + " ORDER BY TRIGGER_NAME");
    while (rows->next()) {
      catalog_.other_objects.push_back(
          {"trigger", rows->getString(1), rows->getString(2), rows->getString(3)});
  }
  }

  void ReadRoutines() {
    auto rows = session_.Query(
        "SELECT ROUTINE_NAME, LOWER(ROUTINE_TYPE), ROUTINE_DEFINITION FROM INFORMATION_SCHEMA.ROUTINES "
        "WHERE ROUTINE_SCHEMA = " + QuoteMySqlLiteral(database_) + " ORDER BY ROUTINE_NAME");
    while (rows->next()) {
      catalog_.other_objects.push_back({rows->getString(2), rows->getString(1), "",
                                       rows->isNull(3) ? "" : std::string(rows->getString(3))});
  }
  }

  void ReadEvents() {
    auto rows = session_.Query(
        "SELECT EVENT_NAME, EVENT_DEFINITION FROM INFORMATION_SCHEMA.EVENTS WHERE EVENT_SCHEMA = " +
        QuoteMySqlLiteral(database_) + " ORDER BY EVENT_NAME");
    while (rows->next()) {
      catalog_.other_objects.push_back({"event", rows->getString(1), "", rows->getString(2)});
  }
  }

  // The grants on the database (for --roles from-source); a problem is noted, not thrown.
  void ReadGrantsOf() {
    try {
      catalog_.grants = ReadGrants(session_, database_);
    } catch (const Error& e) {
      if (e.retryable()) throw;
      catalog_.grants_problem = e.what();  // reported by whoever needs the grants
  }
  }

  MySqlSession& session_;
  const std::string database_;
  const bool mariadb_quoting_;
  SourceCatalog catalog_;
  std::map<std::string, size_t> table_index_;  // table name -> index in catalog_.tables
};

}  // namespace

SourceCatalog ReadCatalog(MySqlSession& session, const std::string& database) {
  return CatalogReader(session, database).Read();
}

std::vector<std::string> ListDatabases(MySqlSession& session) {
  const std::string sql =
      "SELECT SCHEMA_NAME FROM INFORMATION_SCHEMA.SCHEMATA WHERE SCHEMA_NAME NOT IN "
      "('mysql', 'information_schema', 'performance_schema', 'sys') ORDER BY SCHEMA_NAME";
  std::vector<std::string> names;
  auto rows = session.Query(sql);
  while (rows->next()) names.push_back(rows->getString(1));
  return names;
}

std::map<std::string, int64_t> EstimateDatabaseRows(MySqlSession& session, const std::vector<std::string>& databases) {
  std::map<std::string, int64_t> rows_of;
  if (databases.empty()) return rows_of;
  std::string names;
  for (const std::string& database : databases) {
    names += (names.empty() ? "" : ", ") + QuoteMySqlLiteral(database);
    rows_of[database] = 0;
  }
  auto rows = session.Query("SELECT TABLE_SCHEMA, CAST(COALESCE(SUM(TABLE_ROWS), 0) AS SIGNED) FROM "
                            "INFORMATION_SCHEMA.TABLES WHERE TABLE_TYPE = 'BASE TABLE' AND TABLE_SCHEMA IN (" +
                            names + ") GROUP BY TABLE_SCHEMA");
  while (rows->next()) rows_of[rows->getString(1)] = rows->getInt64(2);
  return rows_of;
}

}  // namespace my2pg
