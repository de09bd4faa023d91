// SourceCatalog: what my2pg knows of one source database, read from
// INFORMATION_SCHEMA (catalog_reader.h) or from a JSON snapshot
// (catalog_json.h). Plain data, normalized so that MySQL and MariaDB look the
// same: defaults are unquoted with their kind stated, unsigned is a flag, enum
// and set labels are parsed.
#ifndef MY2PG_MAPPER_CATALOG_H_
#define MY2PG_MAPPER_CATALOG_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace my2pg {

struct SourceDefault {
  enum class Kind { kNone, kNull, kLiteral, kExpression };
  Kind kind = Kind::kNone;
  // kLiteral: the value, unquoted and unescaped ("0000-00-00", "FR", "b'1'").
  // kExpression: the expression as MySQL shows it ("current_timestamp(3)").
  std::string text;
};

struct SourceColumn {
  std::string name;
  int ordinal = 0;          // 1-based ORDINAL_POSITION
  std::string data_type;    // lower case: "int", "varchar", "enum", ...
  std::string column_type;  // full, as the server shows it: "int(10) unsigned", "enum('a')"
  bool nullable = true;
  bool is_unsigned = false;
  bool auto_increment = false;
  bool on_update_current_timestamp = false;
  SourceDefault default_value;
  std::string charset;    // "latin1", "utf8mb4", ... empty for non-text columns
  std::string collation;
  std::optional<int64_t> char_max_length;  // characters
  std::optional<int> numeric_precision;
  std::optional<int> numeric_scale;
  std::optional<int> datetime_precision;
  std::vector<std::string> labels;  // enum and set members, in order
  std::string generation_expression;  // non-empty for generated columns
  bool generated_stored = false;
  std::string comment;
};

struct SourceIndexPart {
  std::string column;
  std::optional<int> prefix_length;  // SUB_PART: an index on a column prefix
  bool descending = false;
};

struct SourceIndex {
  std::string name;  // "PRIMARY" for the primary key
  bool unique = false;
  std::string kind;  // BTREE, HASH, FULLTEXT, SPATIAL
  std::vector<SourceIndexPart> parts;
  bool is_primary() const { return name == "PRIMARY"; }
};

struct SourceForeignKey {
  std::string name;
  std::vector<std::string> columns;
  std::string referenced_table;
  std::vector<std::string> referenced_columns;
  std::string on_delete;  // "RESTRICT", "CASCADE", "SET NULL", "NO ACTION"
  std::string on_update;
};

struct SourceTable {
  std::string name;
  std::string engine;
  std::string collation;
  std::string comment;
  int64_t row_estimate = 0;
  int64_t data_bytes = 0;
  std::optional<uint64_t> auto_increment;
  std::vector<SourceColumn> columns;  // in ordinal order
  std::vector<SourceIndex> indexes;   // primary key first, when there is one
  std::vector<SourceForeignKey> foreign_keys;

  const SourceIndex* primary_key() const;
  const SourceColumn* FindColumn(const std::string& column_name) const;
};

// Source objects my2pg does not migrate; listed so they are never dropped silently.
struct SourceObject {
  std::string kind;  // "view", "trigger", "procedure", "function", "event"
  std::string name;
  std::string table;       // triggers: the table they belong to
  std::string definition;  // the SQL, as the server shows it
};

// Privileges one MySQL account holds on the database (a grant ON db.*, or on
// a pattern such as `hotel\_%`.* that matches it) or on one of its tables
// (ON db.table), as mysql.db and mysql.tables_priv store them. Global (*.*),
// column and routine privileges are not read.
struct SourceGrant {
  std::string user;   // MariaDB roles appear with their name and an empty host
  std::string host;
  std::string table;  // empty: the whole database
  std::vector<std::string> privileges;  // upper case, as GRANT spells them: "SELECT", "CREATE VIEW"
};

struct SourceCatalog {
  std::string database;
  std::string default_charset;
  std::string default_collation;
  std::string server_version;  // e.g. "10.11.6-MariaDB-0+deb12u1"
  std::vector<SourceTable> tables;  // by name
  std::vector<SourceObject> other_objects;
  // The accounts' privileges on this database, by user, host and table;
  // nullopt when they could not be read (grants_problem says why).
  std::optional<std::vector<SourceGrant>> grants;
  std::string grants_problem;

  const SourceTable* FindTable(const std::string& table_name) const;
};

// Parses the labels of "enum('a','b''c')" or "set(...)" as MySQL quotes them.
std::vector<std::string> ParseEnumLabels(const std::string& column_type);

}  // namespace my2pg

#endif  // MY2PG_MAPPER_CATALOG_H_
