// RemovedRowWriter: writes the rows an orphan check after the load removed
// (runtime/orphan_check) to the reject file as the copy writes its rejects:
// with the row as the source holds it, and takes back the changes the copy
// counted for it, since the row is not in the target after all.
//
// The source row is read back by the source table's key, on the reading
// thread's snapshot (under the migration's lock, the snapshot the copy read;
// on a resume, the source as it is now), when the key is one the copy
// cannot change (KeyReadsBack: integers loaded as integers, no cleanup): a
// time zone, a text repair or a map could make a loaded key name another
// source row. A row not read back (no such key, not found, the source could
// not be read) is written with its loaded values, and its reason says so;
// the changes counted for it stay counted.
//
// Not thread-safe: one per orphan check.
#ifndef MY2PG_RUNTIME_REMOVED_ROWS_H_
#define MY2PG_RUNTIME_REMOVED_ROWS_H_

#include <string>
#include <unordered_map>
#include <vector>

#include "adapters/mysql_stream.h"
#include "converter/conversion_stats.h"
#include "converter/reject_sink.h"
#include "converter/row_converter.h"
#include "mapper/schema_plan.h"
#include "runtime/orphan_check.h"

namespace my2pg {

// What follows the reason of a row written with its loaded values.
extern const char kLoadedValuesNote[];

// True if the loaded key of a row of "table" names the source row it came
// from, found at once: a source key with a unique index on exactly its
// columns, integers (not ZEROFILL) loaded into integer columns without
// cleanup steps.
bool KeyReadsBack(const SchemaPlan& plan, const TargetTable& table);

class RemovedRowWriter {
 public:
  // "select_list" reads the row as the copy did (its values in RejectWriter's
  // order); "key_columns" are the source key's column names and
  // "key_positions" their places in it (empty: no key reads back).
  // "replay" converts a row as the copy did, orphan checks made while
  // copying included (nullptr: no change is taken back); it, "source" and
  // "rejects" must outlive this.
  RemovedRowWriter(MySqlStream& source, const std::string& database, const std::string& table,
                   const std::vector<std::string>& select_list, const std::vector<std::string>& key_columns,
                   const std::vector<int>& key_positions, RowConverter* replay, RejectSink& rejects);

  // Writes "rows" to the reject sink. A source that cannot be read leaves
  // those rows and the next ones with their loaded values. Throws
  // Error(kData) if the reject file cannot be written.
  void Write(const std::vector<RemovedRow>& rows);

  // The changes the copy counted for the rows found in the source.
  const TableStats& taken_back() const { return taken_back_; }

 private:
  // The key of a row's values at key_positions_, or "" with "*usable" false
  // if a key value is NULL.
  std::string KeyOf(const std::vector<std::string_view>& values, const std::vector<bool>& is_null, bool* usable) const;

  // Reads the source rows whose keys are "in_list" into found/found_null at
  // the place by_key gives their key, and replays them. Throws
  // Error(kSource); then nothing is taken back.
  void ReadBack(const std::string& in_list, const std::unordered_map<std::string, size_t>& by_key,
                std::vector<std::vector<std::string>>& found, std::vector<std::vector<bool>>& found_null);

  MySqlStream& source_;
  const std::string database_;
  const std::string table_;
  const std::vector<std::string> select_list_;
  const std::vector<std::string> key_columns_;
  const std::vector<int> key_positions_;
  RowConverter* replay_;
  RejectSink& rejects_;
  bool source_failed_ = false;  // a read-back failed: the session is not trusted again
  TableStats taken_back_;
  std::string line_;  // the replay's output, unused
};

}  // namespace my2pg

#endif  // MY2PG_RUNTIME_REMOVED_ROWS_H_
