#!/usr/bin/env bash
# The demo: builds the checks, makes a real duplicity backup in a temporary directory, and runs each
# check in several states, printing what it printed and its exit code.
#   packaging/demo.sh            (as root on a fresh Debian machine: installs duplicity and clang if missing)
set -uo pipefail
cd "$(dirname "$0")/.."
repo=$(pwd)
packaging/install-deps.sh demo || exit 1
packaging/publish.sh dist >/dev/null || { echo "demo: build failed"; exit 1; }

lab=$(mktemp -d /tmp/duplicity-demo.XXXXXX)
trap 'kill $(jobs -p) 2>/dev/null; rm -rf "$lab"' EXIT
src=$lab/src; target="file://$lab/target"; cache=$lab/cache
mkdir -p "$src" "$lab/target" "$cache"
echo "demo data" >"$src/a.txt"
export TZ=UTC
dup() { env -u PASSPHRASE /usr/bin/duplicity "$@" </dev/null; }

show() {
  echo
  echo "\$ ${*/#$repo\//}"
  "$@"
  echo "(exit code $?)"
}

echo "== making a real duplicity backup: full + incremental into $target"
dup full --no-encryption --archive-dir "$cache" "$src" "$target" >"$lab/full.log" 2>&1
sleep 1; echo "changed" >>"$src/a.txt"
dup incremental --no-encryption --archive-dir "$cache" "$src" "$target" >"$lab/inc.log" 2>&1
dup collection-status --archive-dir "$cache" --log-file "$lab/status.machine" "$target" >"$lab/status.txt" 2>&1

echo; echo "== check_duplicity_freshness"
show dist/check_duplicity_freshness --archive-dir "$cache" --destination "$target"
show dist/check_duplicity_freshness --archive-dir "$cache" --destination "$target" --now "$(date -u -d '+30 hours' +%s)"
show dist/check_duplicity_freshness --archive-dir "$cache" --destination "$target" --now "$(date -u -d '+3 days' +%s)" -v
show dist/check_duplicity_freshness --status-file "$lab/status.machine"
show dist/check_duplicity_freshness --destination "$target" --timeout 20

echo; echo "== a backup running (200 MB, in the background)"
head -c 200M /dev/urandom >"$src/big.bin"
dup incremental --no-encryption --archive-dir "$cache" --volsize 5 "$src" "$target" >"$lab/running.log" 2>&1 &
for _ in $(seq 100); do ls "$cache"/*/*.part >/dev/null 2>&1 && break; sleep 0.1; done
show dist/check_duplicity_running --archive-dir "$cache" --destination "$target"
show dist/check_duplicity_freshness --archive-dir "$cache" --destination "$target"
kill %1 2>/dev/null; wait 2>/dev/null

echo; echo "== the log of a failed run (encrypted target, no passphrase: duplicity asks and gets EOF)"
dup full --archive-dir "$cache" "$src" "file://$lab/encrypted" >"$lab/failed.log" 2>&1 || true
show dist/check_duplicity_log --logfile "$lab/inc.log"
show dist/check_duplicity_log --logfile "$lab/failed.log"
echo; echo "demo finished; everything it made is removed."
