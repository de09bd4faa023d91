#!/usr/bin/env bash
# Generates legacy hotel tenants at scale (the schema of hotel_tenant.sql, with
# the same kinds of dirt), for benchmarks when ../shared/fleet is not there.
# Deterministic. Needs MariaDB (its sequence engine: seq_1_to_N).
#
# usage: samples/generate-fleet.sh [-n TENANTS] [-s SCALE] [-p PREFIX] [-- mariadb client args]
#   -s SCALE: the biggest table has SCALE * 1000 rows (default 10)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
N=3; SCALE=10; PREFIX=gen_
while getopts "n:s:p:" o; do case $o in n) N=$OPTARG;; s) SCALE=$OPTARG;; p) PREFIX=$OPTARG;; *) exit 2;; esac; done
shift $((OPTIND-1)); [ "${1:-}" = "--" ] && shift
if [ $# -gt 0 ]; then client() { mariadb --no-defaults "$@"; }; args=("$@")
else client() { "$here/../scripts/sandbox" mysql "$@"; }; args=(); fi
ROWS=$((SCALE * 1000))
CLIENTS=$(( ROWS / 10 > 10 ? ROWS / 10 : 10 ))
for i in $(seq 1 "$N"); do
  db="${PREFIX}$(printf '%04d' "$i")"
  {
    echo "DROP DATABASE IF EXISTS \`$db\`; CREATE DATABASE \`$db\` DEFAULT CHARACTER SET latin1; USE \`$db\`;"
    # The schema of the sample tenant, without its rows.
    sed -n '/^CREATE TABLE/,/;$/p' "$here/hotel_tenant.sql"
    cat <<SQL
SET SESSION sql_mode = 'ALLOW_INVALID_DATES';
SET NAMES utf8mb4;
INSERT INTO client SELECT seq,
  ELT(1 + seq % 6, 'Dupont', 'Lefèvre', 'Müller', CONCAT('Caf', x'C3A9'), 'Prix 10€', 'O''Brien'),
  IF(seq % 13 = 0, NULL, ELT(1 + seq % 4, 'Amélie', 'Jérôme', 'Zoë', '  Anne  ')),
  IF(seq % 11 = 0, NULL, CONCAT('user', seq, '@example.com')), IF(seq % 50 = 0, 2, seq % 2),
  ELT(1 + seq % 3, 'FR', 'DE', 'fr'),
  IF(seq % 9 = 0, '0000-00-00', IF(seq % 101 = 0, '1985-02-30', DATE('1950-01-01') + INTERVAL (seq * 37) % 20000 DAY)),
  TIMESTAMP('2010-01-01') + INTERVAL (seq * 7919) % 300000000 SECOND,
  ((seq * 7) % 100000) / 100 - 200, IF(seq % 1000 = 0, 4294967295, seq % 5000)
FROM seq_1_to_$CLIENTS;
INSERT INTO chambre SELECT seq, 100 + seq, ELT(1 + seq % 3, 'simple', 'double', 'suite'),
  IF(seq % 3 = 0, NULL, ELT(1 + seq % 3, 'wifi', 'wifi,tv', '')), 40 + seq % 30, seq % 7 = 0,
  IF(seq % 41 = 0, 0, 1990 + seq % 30), seq % 2
FROM seq_1_to_200;
INSERT INTO reservation SELECT seq, IF(seq % 29 = 0, $CLIENTS + seq, 1 + (seq * 7) % $CLIENTS), 1 + seq % 200,
  IF(seq % 19 = 0, '0000-00-00', DATE('2014-01-01') + INTERVAL (seq * 3) % 3000 DAY),
  IF(seq % 5 = 0, NULL, SEC_TO_TIME((seq * 61) % 86400)), (seq % 100000) / 10, IF(seq % 2 = 0, 0.1, 0.2), seq % 4 = 2,
  CASE seq % 5 WHEN 0 THEN NULL WHEN 1 THEN 'Arrivée tardive, prévoir clé'
    WHEN 2 THEN CONCAT('Arriv', x'C3A9', 'e ', x'E28094', ' caf', x'C3A9') WHEN 3 THEN CONCAT('Ligne 1', CHAR(10), 'tab', CHAR(9))
    ELSE REPEAT('x', 1 + seq % 200) END,
  TIMESTAMP('2014-03-30 00:30:00') + INTERVAL (seq * 3613) % 250000000 SECOND,
  IF(seq % 3 = 0, NULL, TIMESTAMP('2014-10-26 01:30:00') + INTERVAL (seq * 1801) % 250000000 SECOND),
  IF(seq % 4 = 0, NULL, UNHEX(SHA2(CONCAT('recu', seq), 256)))
FROM seq_1_to_$ROWS;
INSERT INTO journal SELECT TIMESTAMP('2016-01-01') + INTERVAL seq MINUTE, ELT(1 + seq % 3, 'INFO', 'WARN', 'ERROR'),
  CONCAT('évènement ', seq, ' ', REPEAT('lorem ipsum ', 1 + seq % 20))
FROM seq_1_to_$((ROWS / 2));
SQL
  } | client "${args[@]}" --default-character-set=utf8mb4
  echo "created $db"
done
