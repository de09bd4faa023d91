// Key lists for `my2pg verify`: a table whose key is not one integer column
// is compared in batches of source rows, and the target rows of a batch are
// read by their keys (`key = ANY(array)`, or for a composite key
// `(a, b) IN (SELECT * FROM unnest(array_a, array_b))`, or by the index),
// so the collation orders of MySQL and PostgreSQL never matter.
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
  // nothing ("false"). PostgreSQL plans it as one scan of the table (a hash
  // join, or a hashed = ANY): for a table without an index on its key.
  std::string Condition() const;

  // "SELECT select_list FROM table" for the rows with these keys, one index
  // lookup per key: the keys unnested, each row read by a LATERAL subquery
  // that OFFSET 0 keeps from being flattened into a join, which PostgreSQL
  // would plan as a scan of the whole table per batch (measured: 2.5 s for
  // 100,000 keys of a 2M-row table against 0.8 s by the index, and growing
  // with the table). For a table whose key is indexed.
  std::string IndexedSelect(const std::string& select_list, const std::string& table) const;

 private:
  std::vector<std::string> columns_;
  std::vector<std::string> types_;
  std::vector<int> positions_;
  std::string Array(size_t k) const;  // the k-th column's keys as an array literal
  std::vector<std::string> elements_;  // per key column: the array's elements, comma-separated
  size_t size_ = 0;
};

// One PostgreSQL array element for a COPY text field: "\N" is NULL, other
// values double-quoted with backslashes and quotes escaped.
void AppendArrayElement(std::string_view copy_field, std::string& out);

}  // namespace my2pg

#endif  // MY2PG_VERIFY_KEY_LIST_H_
