#!/bin/bash
# The row pipeline (converter/), verify's pure part (verify/) and the modules
# below them include and link no database driver: their tests run without
# MySQL or PostgreSQL libraries.
# Usage: no_driver_test.sh SOURCE_DIR CONVERTER_TEST_BINARY
set -u
src=$1 binary=$2
status=0
drivers='libpq|libpqxx|mariadb|mysqlclient|mysqlcppconn'
if linked=$(ldd "$binary" | grep -E "$drivers"); then
  echo "FAIL: $binary links a database driver:"; echo "$linked"; status=1
fi
headers='#include *<(libpq-fe\.h|pqxx/|mysql\.h|mariadb/|mysql/|cppconn/|mysql_connection\.h|mysql_driver\.h)'
for dir in common rules mapper converter verify; do
  if found=$(grep -nE "$headers" "$src/$dir"/*.h "$src/$dir"/*.cc); then
    echo "FAIL: $dir/ includes a database driver:"; echo "$found"; status=1
  fi
done
[ $status = 0 ] && echo "OK: common, rules, mapper, converter and verify include and link no database driver"
exit $status
