// Key lists for `my2pg verify`: a table whose key is not one integer column
// is compared in batches of source rows, and the target rows of a batch are
// read by their keys (`key = ANY(array)`, or for a composite key
// `(a, b) IN (SELECT * FROM unnest(array_a, array_b))`), so the collation
// orders of MySQL and PostgreSQL never matter.
//
// The keys are taken from the converted rows (COPY text, as RowConverter
// writes them), so the list holds the target's key values: renamed
// columns, cleaned text, times shifted to UTC. Pure; not thread-safe (one
// list per batch).
#ifndef MY2PG_VERIFY_KEY_LIST_H_
#define MY2PG_VERIFY_KEY_LIST_H_

#include <string>
#include <string_view>
#include <vector>

namespace my2pg {

class KeyList {
 public:
  // "columns": the key's target column names (unquoted), "types" their SQL
  // types ("varchar(20)", "\"s\".\"an_enum\""), parallel; "positions": where
  // those columns are in a COPY row.
  KeyList(std::vector<std::string> columns, std::vector<std::string> types,
          std::vector<int> positions);

  // Adds the key of one COPY text row (one field per column, no newline).
  void Add(std::string_view copy_line);
  size_t size() const { return size_; }
  void Clear();

  // The WHERE condition that selects the target rows with these keys, array
  // literals inline (COPY takes no parameters). An empty list selects
  // nothing ("false").
  std::string Condition() const;

 private:
  std::vector<std::string> columns_;
  std::vector<std::string> types_;
  std::vector<int> positions_;
  std::vector<std::string> elements_;  // per key column: the array's elements, comma-separated
  size_t size_ = 0;
};

// One PostgreSQL array element for a COPY text field: "\N" is NULL, other
// values double-quoted with backslashes and quotes escaped.
void AppendArrayElement(std::string_view copy_field, std::string& out);

}  // namespace my2pg

#endif  // MY2PG_VERIFY_KEY_LIST_H_
