// BuildDdl: the SQL that creates a SchemaPlan in PostgreSQL, split in the
// phases of a load built for speed: tables are created bare, rows are copied,
// and only then are keys, indexes and constraints added (one index build
// instead of millions of index updates).
#ifndef MY2PG_MAPPER_DDL_H_
#define MY2PG_MAPPER_DDL_H_

#include <string>
#include <vector>

#include "mapper/schema_plan.h"

namespace my2pg {

struct DdlStatement {
  // The target table the statement belongs to, qualified ("schema"."name",
  // as QualifiedName gives it: two schemas may hold tables of one name); ""
  // for schema-wide statements.
  std::string table;
  std::string sql;  // one statement, no trailing semicolon
  // Other tables the statement needs (a foreign key's parent), qualified: a
  // statement whose table or needed table failed to load is not run.
  std::vector<std::string> needs = {};
  // A foreign key's VALIDATE CONSTRAINT, which follows its ADD ... NOT
  // VALID: it may run beside other statements of its phase.
  bool validation = false;
};

struct Ddl {
  std::vector<DdlStatement> schema;     // CREATE SCHEMA, CREATE TYPE
  std::vector<DdlStatement> tables;     // CREATE TABLE, without keys or indexes
  std::vector<DdlStatement> keys;       // primary keys and unique/secondary indexes
  std::vector<DdlStatement> foreign_keys;
  std::vector<DdlStatement> sequences;  // identities restarted past the loaded ids
  std::vector<DdlStatement> triggers;   // ON UPDATE CURRENT_TIMESTAMP
  std::vector<DdlStatement> comments;
  std::vector<DdlStatement> views;      // compatibility views (compat_views/), filled by the caller
  std::vector<std::string> view_notes;  // comments above the views in the script (roles, what is not migrated)
};

Ddl BuildDdl(const SchemaPlan& plan);

// The whole script, in execution order, for `my2pg plan`: runnable with
// psql -v ON_ERROR_STOP=1 on an empty database. Warnings are SQL comments.
std::string RenderScript(const SchemaPlan& plan, const Ddl& ddl);

// "schema"."table"
std::string QualifiedName(const std::string& schema, const std::string& name);

// The SQL condition that a row of the child table, aliased "child", is an
// orphan of "key": every key column set (MATCH SIMPLE: a NULL in the key is
// never checked) and no parent row with those values.
std::string OrphanCondition(const TargetForeignKey& key, const std::string& child);

}  // namespace my2pg

#endif  // MY2PG_MAPPER_DDL_H_
