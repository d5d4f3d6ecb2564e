#!/usr/bin/env bash
# The test command: installs what the tests need (as root, when missing), publishes the Native AOT checks
# into dist/, runs every test project, and prints the totals as "N passed, N failed, N skipped".
#   tests/run-tests.sh          everything: unit, fixture, end-to-end and real-component tests
#   tests/run-tests.sh --fast   unit and fixture tests only (about a minute; no publish, no real components)
set -uo pipefail
cd "$(dirname "$0")/.."
mode=all
[ "${1:-}" = "--fast" ] && mode=fast

if [ "$mode" = all ]; then
  packaging/install-deps.sh test || exit 1
  packaging/publish.sh dist || exit 1
  packaging/publish.sh --static dist/static || exit 1   # the opt-in static build: tests/EndToEnd.Tests/Package
  filter=""
else
  packaging/install-deps.sh build || exit 1
  filter="TestCategory!=EndToEnd&TestCategory!=RealComponent"
fi

results=artifacts/test-results
rm -rf "$results"
mkdir -p "$results"
dotnet build Checks.sln -nologo -v quiet -warnaserror >"$results/build.log" 2>&1 || { cat "$results/build.log"; echo "0 passed, 1 failed"; exit 1; }
status=0
for project in tests/*.Tests/*.Tests.csproj; do
  name=$(basename "$project" .csproj)
  args=(test "$project" --no-build -nologo --logger "trx;LogFileName=$name.trx" --results-directory "$results")
  [ -n "$filter" ] && args+=(--filter "$filter")
  dotnet "${args[@]}" || status=1
done

# Totals from the TRX files, so a run that executed nothing shows as 0 passed.
passed=0; failed=0; skipped=0
for trx in "$results"/*.trx; do
  [ -f "$trx" ] || continue
  line=$(grep -o '<Counters [^>]*>' "$trx" | head -1)
  get() { local v; v=$(echo "$line" | sed -n "s/.* $1=\"\([0-9]*\)\".*/\1/p"); echo "${v:-0}"; }
  passed=$((passed + $(get passed)))
  f=$(( $(get failed) + $(get error) + $(get timeout) + $(get aborted) ))
  failed=$((failed + f))
  # TRX counts ignored tests only as total minus executed.
  skipped=$((skipped + $(get total) - $(get executed)))
done
[ "$passed" -eq 0 ] && status=1
echo "$passed passed, $failed failed, $skipped skipped"
exit $status
