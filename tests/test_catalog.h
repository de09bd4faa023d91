// Source catalogs built by hand, for unit tests of the mapper and after it.
#ifndef MY2PG_TESTS_TEST_CATALOG_H_
#define MY2PG_TESTS_TEST_CATALOG_H_

#include <string>

#include "mapper/catalog.h"

namespace my2pg {

// A source column as INFORMATION_SCHEMA gives it: "int", "int(11)".
inline SourceColumn TestColumn(const std::string& name, const std::string& data_type,
                               const std::string& column_type) {
  SourceColumn column;
  column.name = name;
  column.data_type = data_type;
  column.column_type = column_type;
  return column;
}

}  // namespace my2pg

#endif  // MY2PG_TESTS_TEST_CATALOG_H_
