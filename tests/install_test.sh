#!/usr/bin/env bash
# The installation as a user gets it: `cmake --install` into a fresh prefix,
# the installed binary run from elsewhere (help, its built-in default rules),
# the man page rendered and complete, and the .deb with Debian dependencies.
#
# usage: tests/install_test.sh BUILD_DIR   (CTest runs it: label "install")
set -euo pipefail
build=$(realpath "$1")
source_dir=$(cd "$(dirname "$0")/.." && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

prefix=$tmp/prefix
cmake --install "$build" --prefix "$prefix" >/dev/null
for file in bin/my2pg share/man/man1/my2pg.1.gz share/my2pg/defaults.json share/my2pg/rules.schema.json \
            share/doc/my2pg/README.md share/doc/my2pg/rules.md share/doc/my2pg/report.md; do
  [ -f "$prefix/$file" ] || fail "$file not installed"
done
cmp -s "$prefix/share/my2pg/defaults.json" "$source_dir/rules/defaults.json" || fail "defaults.json differs"
[ -x "$prefix/bin/my2pg" ] || fail "bin/my2pg is not executable"

# The installed binary, run from a directory with nothing of the project.
cd "$tmp"
help=$("$prefix/bin/my2pg" --help)
grep -q "^  report " <<<"$help" || fail "--help does not list report"
[ "$("$prefix/bin/my2pg" --version)" = "my2pg 0.1.0" ] || fail "--version"
# Its built-in rules: the plan of every MySQL type is the golden one, and the
# installed copy of the defaults is a valid rules file.
"$prefix/bin/my2pg" plan --catalog "$source_dir/tests/golden/all_types.catalog.json" > plan.sql
cmp -s plan.sql "$source_dir/tests/golden/all_types.default.sql" || fail "installed plan differs from the golden one"
check=$("$prefix/bin/my2pg" check-rules "$prefix/share/my2pg/defaults.json")
grep -q ": OK (" <<<"$check" || fail "check-rules defaults.json: $check"

# The man page renders without warnings and documents every option of every
# subcommand in that subcommand's section.
man_page=$prefix/share/man/man1/my2pg.1.gz
LC_ALL=C MANWIDTH=80 man --warnings -l "$man_page" > man.txt 2> man.err || fail "man -l failed: $(cat man.err)"
[ ! -s man.err ] || fail "man warnings: $(cat man.err)"
grep -q "^NAME" man.txt || fail "man page has no NAME"
zcat "$man_page" > my2pg.1
commands=$(sed -n '/^Subcommands:/,$p' <<<"$help" | awk 'NF > 1 {print $1}')
[ "$(echo "$commands" | wc -l)" -ge 7 ] || fail "too few subcommands in --help: $commands"
for command in $commands; do
  section=$(awk -v name=".SS ${command//-/\\\\-}" '$0 == name {on = 1; next} /^\.S[SH] / {on = 0} on' my2pg.1)
  [ -n "$section" ] || fail "man page has no section for $command"
  for option in $("$prefix/bin/my2pg" "$command" --help | sed -n '/^Options:/,$p' | grep -oE -- '--[a-z][a-z-]*' | sort -u); do
    [ "$option" = "--help" ] && continue
    grep -qF -- "${option//-/\\-}" <<<"$section" || fail "man page section $command lacks $option"
  done
done

# The Debian package: the same files under /usr, Depends on Debian packages.
cpack -G DEB --config "$build/CPackConfig.cmake" -B "$tmp/deb" > cpack.log 2>&1 || fail "cpack: $(cat cpack.log)"
deb=$(ls "$tmp"/deb/my2pg_*.deb)
contents=$(dpkg-deb -c "$deb")
for file in usr/bin/my2pg usr/share/my2pg/defaults.json usr/share/my2pg/rules.schema.json usr/share/man/man1/my2pg.1.gz; do
  grep -q " \./$file$" <<<"$contents" || fail ".deb lacks /$file"
done
depends=$(dpkg-deb -f "$deb" Depends)
names=$(tr ',' '\n' <<<"$depends" | sed 's/(.*)//; s/|.*//' | tr -d ' ')
for package in libpqxx-6.4 libpq5 libmariadb3 libmysqlcppconn7v5 libre2-9 libicu72 libdate-tz3 libstdc++6 libc6 tzdata; do
  grep -qxF "$package" <<<"$names" || fail "Depends lacks $package: $depends"
done
# Every dependency is a Debian package this system knows (none built here).
for package in $names; do
  dpkg-query -W "$package" >/dev/null 2>&1 || fail "Depends names $package, which is not a Debian package here"
done
echo "install test: $(wc -l < man.txt) man lines, $(du -k "$deb" | cut -f1) KB package, Depends: $depends"
