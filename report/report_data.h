// The inputs of `my2pg report`, read from their JSON files into plain structs:
// the run report `migrate --report` writes (format "my2pg-report/1"), the
// optional verify report (format "my2pg-verify/1", docs/report.md), and
// bounded samples of the rejected rows from the .rejects.jsonl files.
//
// The files are input from elsewhere: every reader checks types and says
// where a file is wrong ("run.json: /databases/3/rows_read: expected an
// integer") with Error(kUsage); nothing here trusts a value to be safe HTML.
// Plain functions, no shared state: safe to call from any thread.
#ifndef MY2PG_REPORT_REPORT_DATA_H_
#define MY2PG_REPORT_REPORT_DATA_H_

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace my2pg {

struct ReportColumnChange {
  std::string column;
  std::string kind;  // a ChangeKind's name: "zero_date_nulled", ...
  int64_t values = 0;
};

struct ReportTable {
  std::string source;  // the source table's name
  std::string target_schema;
  std::string target;  // schema-qualified target name
  std::string status;  // done | failed
  std::string error;
  int64_t rows_read = 0;
  int64_t rows_written = 0;
  int64_t rows_rejected = 0;
  int64_t copy_bytes = 0;
  double copy_seconds = 0;
  int chunks = 1;
  std::string reject_file;  // as migrate wrote it; "" when nothing was rejected
  std::vector<ReportColumnChange> changes;

  int64_t changed_values() const;
};

// The phases of one database, in the order they run.
enum class ReportPhase : int { kSchema, kCopy, kKeys, kConstraints, kCount };
const char* ToString(ReportPhase phase);

struct ReportDatabase {
  std::string database;
  std::string target_database;
  std::string status;  // done | failed
  std::string error;
  int64_t rows_read = 0;
  int64_t rows_written = 0;
  int64_t rows_rejected = 0;
  // Seconds since the fleet began; -1 in reports written before migrate
  // recorded it (the timeline then lays the databases side by side).
  double start_seconds = -1;
  double phase_seconds[static_cast<int>(ReportPhase::kCount)] = {};
  std::vector<std::string> warnings;
  std::vector<ReportTable> tables;
  // Where the source snapshot stood in the binary log: "binlog.000003:1234
  // (gtid 0-1-77)", "unknown: why", or "" in reports written before it.
  std::string binlog_position;

  double seconds() const;  // the phases' sum
  int64_t changed_values() const;
  int failed_tables() const;
};

struct RunData {
  double wall_seconds = 0;
  std::vector<ReportDatabase> databases;
};

// The verify report: per database and table, whether the target holds what
// the source holds. Statuses: "ok", "mismatch" (the data differ), "failed"
// (verify could not check). Counts are -1 when the file leaves them out.
struct VerifyTable {
  std::string table;  // the source table's name, as in the run report
  std::string status;
  int64_t source_rows = -1;
  int64_t target_rows = -1;
  int64_t mismatched_rows = -1;
  std::string detail;
};

struct VerifyDatabase {
  std::string database;
  std::string status;
  std::string error;
  std::vector<VerifyTable> tables;
};

struct VerifyData {
  std::vector<VerifyDatabase> databases;
};

// Throw Error(kUsage) naming "file_name" and the JSON pointer of what is
// wrong. Unknown keys are ignored, so later formats can add to them.
RunData ParseRunReport(const std::string& json, const std::string& file_name);
VerifyData ParseVerifyReport(const std::string& json, const std::string& file_name);

// A reason with the values it quotes replaced by '…', so that rejects of the
// same kind group together: "invalid date '1985-02-30'" -> "invalid date '…'".
std::string ReasonPattern(const std::string& reason);

struct RejectSample {
  std::string database;
  std::string key;     // the row's key as JSON: {"id":"3"}
  std::string value;   // the offending value as the reject file writes it (\xNN escapes)
  std::string reason;  // the full reason
};

// Rejected rows of one table column with one reason pattern, over the fleet.
struct RejectGroup {
  std::string table;  // source table
  std::string column;
  std::string reason;  // ReasonPattern
  int64_t rows = 0;
  int databases = 0;
  std::vector<RejectSample> samples;  // the first few
};

struct RejectSummary {
  std::vector<RejectGroup> groups;  // most rows first
  // Rejected rows the files did not account for: a file missing, unreadable,
  // or read only in part (kMaxRejectLinesPerFile).
  int64_t rows_not_read = 0;
  std::vector<std::string> problems;  // "rejects/db/t.rejects.jsonl: not found", ...
};

constexpr int kRejectSamplesPerGroup = 3;
constexpr int64_t kMaxRejectLinesPerFile = 100000;

// Reads the reject file of every table that rejected rows: the path the run
// report names, or, with a "reject_dir", <reject_dir>/<database>/<file name>
// (for files moved since). Never throws for a missing or bad file: it is
// listed in "problems" and its rows in "rows_not_read".
RejectSummary ReadRejects(const RunData& run, const std::string& reject_dir);

}  // namespace my2pg

#endif  // MY2PG_REPORT_REPORT_DATA_H_
