// What `my2pg verify` found, per database and table, as plain structs; the
// JSON report (format "my2pg-verify/1", docs/report.md) and the summary for
// people. Pure; the functions are thread-safe.
#ifndef MY2PG_VERIFY_VERIFY_REPORT_H_
#define MY2PG_VERIFY_VERIFY_REPORT_H_

#include <cstdint>
#include <string>
#include <vector>

#include "verify/row_digest.h"

namespace my2pg {

// One differing row, as shown: its key and, per differing column, the
// source's and the target's value.
struct ShownDifference {
  std::string kind;    // "changed" | "missing" (in the target) | "added" (in the target only)
  std::string key;     // "id 17"
  std::string source;  // "price=12.50, name='Ann'" (the differing columns; all for missing)
  std::string target;
};

struct TableVerification {
  std::string table;   // the source table name
  std::string target;  // "schema"."name"
  std::string status = "ok";  // ok | mismatch | failed
  std::string error;          // failed: why
  std::string method;         // how the content was compared, for people
  int64_t source_rows = 0;    // every row of the source table
  int64_t target_rows = 0;
  int64_t rejected_rows = 0;  // rows the pipeline rejects, expected missing
  int64_t filtered_rows = 0;  // rows a rule's source filter leaves out
  bool rejects_known = true;  // false with --sample: not every row was converted
  int64_t mismatched_rows = 0;
  int chunks = 0;           // content chunks of the table
  int chunks_compared = 0;  // all with --full; the sampled ones with --sample
  std::vector<std::string> problems;  // schema promises broken, counts that do not add up
  std::vector<std::string> notes;     // worth telling, not a mismatch (NOT VALID keys and their orphans)
  std::vector<ShownDifference> differences;  // the first few
  std::string Detail() const;  // one line
};

struct DatabaseVerification {
  std::string database;
  std::string target_database;
  std::string status = "ok";  // ok | mismatch | failed
  std::string error;
  double seconds = 0;
  std::vector<TableVerification> tables;
};

// The differing columns of two COPY text lines of one table, side by side.
// "names" and "canons" are parallel to the lines' fields.
void DescribeDifference(const std::vector<std::string>& names, const std::vector<ColumnCanon>& canons,
                        const RowDifference& difference, ShownDifference& shown);

// The whole report: {"format": "my2pg-verify/1", "mode": ..., "seed": ...,
// "databases": [...]}. "seed" is written with --sample only (mode "sample").
std::string VerifyReportJson(const std::vector<DatabaseVerification>& databases, const std::string& mode,
                             uint64_t seed, double wall_seconds);

// One database as JSON and back, for worker processes.
std::string DatabaseVerificationJson(const DatabaseVerification& database);
// Throws Error(kInternal) on text that is not such JSON.
DatabaseVerification DatabaseVerificationFromJson(const std::string& json);

// Per database and table: OK or the differences, with up to the first
// differing rows shown.
std::string VerifySummary(const std::vector<DatabaseVerification>& databases);

}  // namespace my2pg

#endif  // MY2PG_VERIFY_VERIFY_REPORT_H_
