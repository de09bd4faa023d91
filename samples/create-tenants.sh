#!/usr/bin/env bash
# Creates sample tenant databases from hotel_tenant.sql in the sandbox MariaDB
# (or any server: pass client arguments after --). Replaces them if present.
#
# usage: samples/create-tenants.sh [-n TENANTS] [-p PREFIX] [-- mariadb client args]
#   default: 3 tenants named hotel_0001..hotel_0003, via scripts/sandbox mysql
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
N=3; PREFIX=hotel_
while getopts "n:p:" o; do case $o in n) N=$OPTARG;; p) PREFIX=$OPTARG;; *) exit 2;; esac; done
shift $((OPTIND-1)); [ "${1:-}" = "--" ] && shift
if [ $# -gt 0 ]; then
  client() { mariadb --no-defaults "$@"; }
  args=("$@")
else
  client() { "$here/../scripts/sandbox" mysql "$@"; }
  args=()
fi
for i in $(seq 1 "$N"); do
  db="${PREFIX}$(printf '%04d' "$i")"
  {
    echo "DROP DATABASE IF EXISTS \`$db\`; CREATE DATABASE \`$db\` DEFAULT CHARACTER SET latin1; USE \`$db\`;"
    cat "$here/hotel_tenant.sql"
  } | client "${args[@]}" --default-character-set=utf8mb4
  echo "created $db"
done
