#!/bin/sh
# The launcher's class-data archive, end to end (run by the distribution's integration-test phase):
# the first script run writes it as it exits, with both languages' classes whichever ran; the next
# start checks it and takes it in, and later runs map it (-Xshare:on fails a run that cannot); a
# damaged archive is deleted and written again, one of another state of the distribution is
# deleted, and REGIMEN_CDS=off writes nothing. Every run's output is checked too.
#
# Arguments: DIST_DIR WORK_DIR
set -eu
dist=$1 work=$2
regimen=$dist/bin/regimen

fail() {
  echo "class archive test: $*" >&2
  exit 1
}

# Prints "$2" and fails unless the file $1 contains the fixed string $3.
expect() {
  grep -F -q -- "$3" "$1" || { cat "$1" >&2; fail "$2: no '$3' in the output above"; }
}

# The number of files in the archive folder whose names match the pattern $1.
count() {
  find "$REGIMEN_CDS_DIR" -maxdepth 1 -name "$1" | wc -l | tr -d ' '
}

# Runs a script ($1, with --set n=$2) through the launcher; its output goes to $work/$3.txt.
run() {
  REGIMEN_HEAP=1g "$regimen" run "$work/$1" --set "n=$2" --out "$work/runs" >"$work/$3.txt" 2>&1 \
    || { cat "$work/$3.txt" >&2; fail "$3: the run of $1 failed"; }
  expect "$work/$3.txt" "$3" "first line $(($2 * 3))"
}

rm -rf "$work"
mkdir -p "$work/runs"
REGIMEN_CDS_DIR=$work/cds
export REGIMEN_CDS_DIR
unset REGIMEN_CDS REGIMEN_JAVA_OPTS || true
printf '%s\n' "console.log('first line ' + rg.param('n', 1) * 3);" >"$work/hello.js"
printf '%s\n' "import regimen as rg" "print('first line', rg.param('n', 1) * 3)" >"$work/hello.py"

# 1. No archive: a JavaScript run writes one as it exits, under a temporary name.
run hello.js 1 first
expect "$work/first.txt" "first run" "regimen: writing the class-data archive that makes later starts faster to $REGIMEN_CDS_DIR"
[ "$(count '*.jsa.tmp-*')" = 1 ] && [ "$(count '*.jsa')" = 0 ] \
  || { ls -l "$REGIMEN_CDS_DIR" >&2; fail "the first run left no archive (one *.jsa.tmp-PID expected)"; }
archive=$(find "$REGIMEN_CDS_DIR" -maxdepth 1 -name '*.jsa.tmp-*')
archive=${archive%.tmp-*}

# 2. The next start checks it and takes it in; runs of both languages map it (-Xshare:on would fail
#    them otherwise), Python's classes included though the archive was written by a JavaScript run.
"$regimen" --version >"$work/version.txt" 2>&1 || { cat "$work/version.txt" >&2; fail "regimen --version failed"; }
[ -f "$archive" ] && [ -f "$archive.ok" ] && [ "$(count '*.jsa.tmp-*')" = 0 ] \
  || { ls -l "$REGIMEN_CDS_DIR" >&2; fail "the next start did not take the archive in as $archive"; }
REGIMEN_JAVA_OPTS="-Xshare:on -Xlog:class+load=info:file=$work/classes-js.txt" run hello.js 2 js
grep -F 'dev.regimen.core.cli.Main source: shared objects file (top)' "$work/classes-js.txt" >/dev/null \
  || fail "the JavaScript run loaded Regimen's classes from lib/, not from the archive"
REGIMEN_JAVA_OPTS="-Xshare:on -Xlog:class+load=info:file=$work/classes-py.txt" run hello.py 3 py
grep -E -q '^\[.*com\.oracle\.graal\.python\.PythonLanguage source: shared objects file \(top\)' "$work/classes-py.txt" \
  || fail "the Python run loaded GraalPy's classes from lib/, not from the archive"
grep -F -q 'writing the class-data archive' "$work/js.txt" "$work/py.txt" && fail "a run with an archive wrote another"

# 3. A damaged archive (here cut short) is deleted and written again; one of another state of this
#    distribution (another lib/ or JDK build) is deleted when it is.
other=${archive%-*}-1.jsa
echo stale >"$other"
head -c 4096 "$archive" >"$work/cut.jsa"
chmod u+w "$archive"
cat "$work/cut.jsa" >"$archive"
run hello.py 4 damaged
expect "$work/damaged.txt" "run with a damaged archive" "regimen: writing the class-data archive"
[ ! -f "$archive" ] && [ ! -f "$other" ] && [ "$(count '*.jsa.tmp-*')" = 1 ] \
  || { ls -l "$REGIMEN_CDS_DIR" >&2; fail "the damaged archive was not deleted and written again"; }
REGIMEN_JAVA_OPTS=-Xshare:on run hello.js 5 rebuilt
[ -f "$archive.ok" ] && [ "$(wc -c <"$archive.ok" | tr -d ' ')" -gt 0 ] || fail "the rebuilt archive was not taken in"

# 4. REGIMEN_CDS=off: nothing is written.
REGIMEN_CDS_DIR=$work/cds-off REGIMEN_CDS=off run hello.js 6 off
[ ! -e "$work/cds-off" ] || fail "REGIMEN_CDS=off wrote $work/cds-off"
echo "class-data archive: written by the first run, checked and used by both languages, rebuilt when damaged"
