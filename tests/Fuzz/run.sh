#!/usr/bin/env bash
# Coverage-guided fuzzing of every parser: SharpFuzz-instrumented harness under afl++ (issue 7).
# Usage: tests/Fuzz/run.sh [--minutes N] [--jobs J] [--timeout MS] [target...]
#   --minutes N   fuzzing time per target (default 10; afl-fuzz -V, calibration not counted)
#   --jobs J      targets fuzzed at once (default 2: one afl-fuzz per core)
#   --timeout MS  afl-fuzz -t: an input running longer is a hang (default 2000)
#   target...     default: all (tests/Fuzz/FuzzTargets.cs; the harness lists them with --list)
# Output: artifacts/fuzz/<UTC time>/ (harness, seeds, afl output, logs, summary.txt). Crashing inputs are
# minimised with afl-tmin and copied to tests/Duplicity.Tests/Fuzz/Crashes/<target>/, where the fast tests
# replay them; hangs are copied to the output folder only (check them: JIT warm-up or real?).
# Not run by CI or tests/run-tests.sh (too long).
set -euo pipefail

minutes=10 jobs=2 timeout_ms=2000 targets=()
while [ $# -gt 0 ]; do
  case "$1" in
    --minutes) minutes=$2; shift 2 ;;
    --jobs) jobs=$2; shift 2 ;;
    --timeout) timeout_ms=$2; shift 2 ;;
    -h|--help) sed -n '2,11p' "$0"; exit 0 ;;
    -*) echo "run.sh: unknown option $1" >&2; exit 2 ;;
    *) targets+=("$1"); shift ;;
  esac
done

repo=$(cd "$(dirname "$0")/../.." && pwd)
fixtures=${DUPLICITY_CHECKS_FIXTURES:-$(cd "$repo/.." && pwd)/shared/fixtures}
regression=$repo/tests/Duplicity.Tests/Fuzz
out=$repo/artifacts/fuzz/$(date -u +%Y%m%dT%H%M%SZ)
mkdir -p "$out"
echo "fuzz: output in $out"

# --- tools: afl++ (Debian) and the sharpfuzz instrumenter (dotnet tool, pinned as Directory.Packages.props) ---
command -v afl-fuzz >/dev/null || "$repo/packaging/install-deps.sh" fuzz
sharpfuzz_version=2.3.0
tools=$repo/artifacts/tools/sharpfuzz
if [ ! -x "$tools/sharpfuzz" ]; then
  dotnet tool install --tool-path "$tools" SharpFuzz.CommandLine --version "$sharpfuzz_version" >/dev/null
fi

# --- the harness: published (JIT, not AOT), then the parsers' assemblies instrumented ---
harness_dir=$out/harness
dotnet publish "$repo/tests/Fuzz/Fuzz.csproj" -c Release -o "$harness_dir" -nologo -v q >"$out/publish.log" 2>&1 \
  || { cat "$out/publish.log"; exit 1; }
for dll in DuplicityChecks.Duplicity.dll DuplicityChecks.Plugin.dll Microsoft.Extensions.Configuration.Ini.dll; do
  "$tools/sharpfuzz" "$harness_dir/$dll" >>"$out/instrument.log" 2>&1 || { cat "$out/instrument.log"; exit 1; }
done
harness=$harness_dir/DuplicityChecks.Fuzz
all_targets=$("$harness" --list)
[ ${#targets[@]} -eq 0 ] && mapfile -t targets <<<"$all_targets"
for t in "${targets[@]}"; do
  grep -qx -- "$t" <<<"$all_targets" || { echo "run.sh: unknown target '$t' (targets: $(echo $all_targets))" >&2; exit 2; }
done

# --- seed corpora: the committed seeds (also replayed by the tests) plus recorded fixture files ---
# afl wants small seeds: files over 16 KB are left out, at most 60 distinct files per target.
add_seed() { # target file
  local dir=$out/seeds/$1 size
  size=$(stat -c %s "$2")
  [ "$size" -gt 0 ] && [ "$size" -le 16384 ] || return 0
  [ "$(find "$dir" -type f | wc -l)" -lt 60 ] || return 0
  cp "$2" "$dir/$(sha256sum "$2" | cut -c1-16)"
}
collection_status_steps() { grep -l -- 'collection-status' $(find "$fixtures" -name command.txt | sort) | xargs -r -n1 dirname; }
seed_from_fixtures() { # target
  local t=$1 f
  case "$t" in
    collection-status)
      for d in $(collection_status_steps); do for f in stdout.txt log-fd3.txt output-merged.txt; do if [ -f "$d/$f" ]; then add_seed "$t" "$d/$f"; fi; done; done ;;
    machine-log)
      for f in $(find "$fixtures" -name log-fd3.txt | sort); do add_seed "$t" "$f"; done ;;
    archive-name)
      # one file name a seed: the names in every recorded ls -la of a cache or destination
      local names=$out/seeds/archive-name.names i=0
      find "$fixtures" -name 'ls-var_*.txt' -print0 | sort -z | xargs -0 awk '/^-/ { print $NF }' | sort -u >"$names"
      while read -r name; do
        i=$((i + 1)); [ $((i % 5)) -eq 1 ] || continue   # a sample: the names are much alike
        printf '%s' "$name" >"$out/seeds/tmp-name" && add_seed "$t" "$out/seeds/tmp-name"
      done <"$names"
      rm -f "$out/seeds/tmp-name" "$names" ;;
    ps)
      for f in $(find "$fixtures" -name 'ps-eo-pid-ppid-user-lstart-etimes-args.txt' | sort); do add_seed "$t" "$f"; done ;;
    proc)
      for f in $(find "$fixtures" -path '*/proc/*' \( -name stat -o -name locks \) | sort); do add_seed "$t" "$f"; done ;;
    cmdline)
      for f in $(find "$fixtures" -path '*/proc/*' -name cmdline | sort); do add_seed "$t" "$f"; done ;;
    log)
      for f in $(find "$fixtures" \( -name output-merged.txt -o -name stdout.txt -o -name stderr.txt -o -name log-fd3.txt \) | sort); do add_seed "$t" "$f"; done ;;
    *) ;; # ini, range, now: hand seeds only
  esac
}
for t in "${targets[@]}"; do
  mkdir -p "$out/seeds/$t"
  for f in "$regression/Seeds/$t"/*; do if [ -f "$f" ]; then add_seed "$t" "$f"; fi; done
  seed_from_fixtures "$t"
  [ -n "$(ls -A "$out/seeds/$t")" ] || { echo "run.sh: no seeds for $t" >&2; exit 1; }
done

# --- fuzzing: at most $jobs afl-fuzz at once, each for $minutes ---
mkdir -p "$out/tmp"; export TMPDIR=$out/tmp   # the ini target's temp files; afl kills the harness before it can clean up
export AFL_SKIP_BIN_CHECK=1 AFL_SKIP_CPUFREQ=1 AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES=1 AFL_NO_AFFINITY=1 AFL_NO_UI=1
fuzz_one() { # target
  local t=$1
  echo "fuzz: $t started $(date -u +%H:%M:%S) ($(ls "$out/seeds/$t" | wc -l) seeds)"
  afl-fuzz -i "$out/seeds/$t" -o "$out/afl/$t" -t "$timeout_ms" -m none -V "$(awk -v m="$minutes" 'BEGIN { printf "%d", m * 60 }')" -- "$harness" "$t" \
    >"$out/logs/$t.log" 2>&1 || echo "fuzz: afl-fuzz for $t ended with $? (see $out/logs/$t.log)"
  echo "fuzz: $t finished $(date -u +%H:%M:%S)"
}
mkdir -p "$out/afl" "$out/logs"
for t in "${targets[@]}"; do
  while [ "$(jobs -rp | wc -l)" -ge "$jobs" ]; do wait -n || true; done
  fuzz_one "$t" &
done
wait

# --- crashes (minimised into the regression folder) and hangs (kept in the output folder) ---
found=0
stat_of() { awk -F' *: *' -v k="$2" '$1 == k { print $2 }' "$out/afl/$1/default/fuzzer_stats" 2>/dev/null; }
for t in "${targets[@]}"; do
  for c in "$out/afl/$t/default/crashes"/id:*; do
    [ -f "$c" ] || continue
    mkdir -p "$out/crashes/$t" "$regression/Crashes/$t"
    min=$out/crashes/$t/$(basename "$c" | cut -d, -f1 | tr ':' '-')
    afl-tmin -i "$c" -o "$min" -t "$timeout_ms" -m none -- "$harness" "$t" >>"$out/logs/$t.tmin.log" 2>&1 || cp "$c" "$min"
    cp "$min" "$regression/Crashes/$t/$(sha256sum "$min" | cut -c1-16)"
    found=$((found + 1))
  done
  for h in "$out/afl/$t/default/hangs"/id:*; do
    [ -f "$h" ] || continue
    mkdir -p "$out/hangs/$t" && cp "$h" "$out/hangs/$t/"
  done
done

{
  echo "afl++ $(afl-fuzz -h 2>&1 | grep -o 'afl-fuzz++[0-9.a-z]*' | head -1 | sed 's/afl-fuzz++//'), SharpFuzz $sharpfuzz_version, -t $timeout_ms ms, $minutes min per target, $jobs at once"
  printf '%-18s %8s %12s %9s %7s %8s %6s %8s\n' target minutes execs execs/s paths crashes hangs coverage
  for t in "${targets[@]}"; do
    run_time=$(stat_of "$t" run_time); execs=$(stat_of "$t" execs_done)
    printf '%-18s %8s %12s %9s %7s %8s %6s %8s\n' "$t" "$(awk -v s="${run_time:-0}" 'BEGIN { printf "%.1f", s / 60 }')" \
      "${execs:-?}" "$(awk -v e="${execs:-0}" -v s="${run_time:-0}" 'BEGIN { printf "%.0f", (s > 0 ? e / s : 0) }')" \
      "$(stat_of "$t" corpus_count)" "$(stat_of "$t" saved_crashes)" "$(stat_of "$t" saved_hangs)" "$(stat_of "$t" bitmap_cvg)"
  done
} | tee "$out/summary.txt"
if [ "$found" -gt 0 ]; then
  echo "fuzz: $found crashing inputs, minimised, are in $regression/Crashes/ (the fast tests replay them: fix, then commit them)"
fi
