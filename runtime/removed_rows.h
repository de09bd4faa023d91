// RemovedRowWriter: writes the rows an orphan check after the load removed
// (runtime/orphan_check) to the reject file as the copy writes its rejects:
// with the row as the source holds it, and takes back the changes the copy
// counted for it, since the row is not in the target after all.
//
// The source row is read back by the source table's key, on the migration's
// snapshot (so it is the row the copy read), and accepted only if its key
// bytes equal the loaded key's text: a key the converter changed (a time
// zone, a cleanup rule), or a table with no key, finds nothing. Such a row
// is written with its loaded values, and its reason says so; the changes
// counted for it stay counted.
//
// Not thread-safe: one per orphan check.
#ifndef MY2PG_RUNTIME_REMOVED_ROWS_H_
#define MY2PG_RUNTIME_REMOVED_ROWS_H_

#include <string>
#include <vector>

#include "adapters/mysql_stream.h"
#include "converter/conversion_stats.h"
#include "converter/reject_sink.h"
#include "converter/row_converter.h"
#include "runtime/orphan_check.h"

namespace my2pg {

// What follows the reason of a row written with its loaded values.
extern const char kLoadedValuesNote[];

class RemovedRowWriter {
 public:
  // "select_list" reads the row as the copy did (its values in RejectWriter's
  // order); "key_columns" are the source key's column names and
  // "key_positions" their places in it (empty: the table has no key).
  // "replay" converts a row as the copy did, orphan checks made while
  // copying included; it, "source" and "rejects" must outlive this.
  RemovedRowWriter(MySqlStream& source, const std::string& database, const std::string& table,
                   const std::vector<std::string>& select_list, const std::vector<std::string>& key_columns,
                   const std::vector<int>& key_positions, RowConverter& replay, RejectSink& rejects);

  // Writes "rows" to the reject sink. Throws Error(kSource) if the source
  // cannot be read, Error(kData) if the reject file cannot be written.
  void Write(const std::vector<RemovedRow>& rows);

  // The changes the copy counted for the rows found in the source.
  const TableStats& taken_back() const { return taken_back_; }

 private:
  // The key of a row's values at key_positions_, or "" with "*usable" false
  // if a key value is NULL.
  std::string KeyOf(const std::vector<std::string_view>& values, const std::vector<bool>& is_null, bool* usable) const;

  MySqlStream& source_;
  const std::string database_;
  const std::string table_;
  const std::vector<std::string> select_list_;
  const std::vector<std::string> key_columns_;
  const std::vector<int> key_positions_;
  RowConverter& replay_;
  RejectSink& rejects_;
  TableStats taken_back_;
  std::string line_;  // the replay's output, unused
};

}  // namespace my2pg

#endif  // MY2PG_RUNTIME_REMOVED_ROWS_H_
