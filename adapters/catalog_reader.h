// ReadCatalog: one database's schema from INFORMATION_SCHEMA, as a
// SourceCatalog. Works with MySQL 5.5 to 8.x and MariaDB: columns missing in
// older servers (DATETIME_PRECISION, GENERATION_EXPRESSION) are read when
// present, and MariaDB's quoted COLUMN_DEFAULT is normalized. Reads only.
#ifndef MY2PG_ADAPTERS_CATALOG_READER_H_
#define MY2PG_ADAPTERS_CATALOG_READER_H_

#include <map>
#include <string>
#include <vector>

#include "adapters/mysql_session.h"
#include "mapper/catalog.h"

namespace my2pg {

// Throws Error(kSource) if the database does not exist or a query fails.
// The accounts' privileges (ReadGrants) are read when the account may: if
// not, the catalog's grants are nullopt and grants_problem says why.
SourceCatalog ReadCatalog(MySqlSession& session, const std::string& database);

// The privileges accounts hold on "database", from mysql.db (grants on the
// database or on a pattern matching it) and mysql.tables_priv (grants on its
// tables), merged by account and table, sorted. Not from
// INFORMATION_SCHEMA.SCHEMA_PRIVILEGES / TABLE_PRIVILEGES: MariaDB and MySQL
// show there only the current account's rows unless it may read the whole
// mysql schema, while these two tables need only SELECT on each. Throws
// Error(kSource) naming the missing grants when they cannot be read.
std::vector<SourceGrant> ReadGrants(MySqlSession& session, const std::string& database);

// The source's databases, sorted, without the system schemas. (Which of
// them a run migrates is cli/tenant_selection.h's job.)
std::vector<std::string> ListDatabases(MySqlSession& session);

// The estimated rows (INFORMATION_SCHEMA.TABLES.TABLE_ROWS) of each base
// table summed per database, for "databases"; 0 for a database without
// tables. One query.
std::map<std::string, int64_t> EstimateDatabaseRows(MySqlSession& session, const std::vector<std::string>& databases);

// Normalizes INFORMATION_SCHEMA.COLUMNS.COLUMN_DEFAULT (exposed for tests).
// "column_default" is null when the server returned SQL NULL.
SourceDefault NormalizeDefault(const std::string* column_default, bool mariadb_quoting,
                               bool nullable, const std::string& extra);

}  // namespace my2pg

#endif  // MY2PG_ADAPTERS_CATALOG_READER_H_
