// VerifyDatabase: checks that one PostgreSQL database holds what its MySQL
// source holds, through the mapping: the schema the plan promises (tables,
// columns, indexes, foreign keys, identities past the largest key), the row
// counts (source = target + rejected + filtered), and the content: source rows
// run through the same RowConverter as migrate (COPY text), target rows read
// with COPY ... TO STDOUT, both hashed per row in a canonical form
// (verify/row_digest.h) and compared per chunk; a chunk whose digests differ
// is read again and narrowed to the differing keys.
//
// Never writes to the source. Reads the target only.
#ifndef MY2PG_RUNTIME_DATABASE_VERIFICATION_H_
#define MY2PG_RUNTIME_DATABASE_VERIFICATION_H_

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "common/uri.h"
#include "rules/rules.h"
#include "runtime/progress.h"
#include "verify/verify_report.h"

namespace my2pg {

// A view the plan promises for a table: the legacy schema's compatibility
// view, named by compat_views/ (the caller passes its names, as migrate's
// caller passes final_ddl, so the runtime does not depend on it).
struct PromisedView {
  std::string name;                  // in the plan's legacy_schema
  std::vector<std::string> columns;  // in order
};

struct VerifyOptions {
  ConnectionUri source;  // no database: the server
  ConnectionUri target;  // its database may hold {db}
  const Rules* rules = nullptr;
  // The views each table of the plan gets, parallel to plan.tables (empty
  // when the plan has no legacy schema); unset: views are not checked.
  std::function<std::vector<PromisedView>(const SchemaPlan&)> promised_views;
  std::string timezone;  // this tenant's DATETIME zone; overrides the rules file's
  int threads = 1;       // chunks compared at once
  // A table with an integer key is compared in chunks of about this many
  // rows (a differing chunk is narrowed in memory: this bounds it).
  int64_t chunk_rows = 100000;
  // 0: every chunk (--full). Else this many random chunks per table, drawn
  // with "seed", plus the last chunk (the newest rows by key).
  int sample_chunks = 0;
  uint64_t seed = 0;
  int shown_rows = 10;  // differing rows shown per table
  ProgressSlot* progress = nullptr;  // advanced as chunks are compared, if not null
};

// Never throws: a database or table that could not be checked is "failed"
// with why.
DatabaseVerification VerifyDatabase(const std::string& database, const VerifyOptions& options);

// The most PostgreSQL connections VerifyDatabase opens at once: a control
// session and one per thread.
constexpr int TargetConnectionsPerVerify(int threads) { return threads + 1; }
// The most MySQL connections it opens at once: a session for the catalog and
// counts, and one stream per thread.
constexpr int SourceConnectionsPerVerify(int threads) { return threads + 1; }

}  // namespace my2pg

#endif  // MY2PG_RUNTIME_DATABASE_VERIFICATION_H_
