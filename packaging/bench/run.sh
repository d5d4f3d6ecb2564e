#!/usr/bin/env bash
# The benchmark suite (issue 6): whole-process comparisons against the C/Perl/shell monitoring plugins, scale
# series on generated inputs, and (with "all" or "micro") the BenchmarkDotNet microbenchmarks.
#
# Usage: packaging/bench/run.sh [whole|compare|micro|all] [--no-publish] [--rounds N] [--out DIR] [--static DIR]
#   whole (default)  whole-process comparisons and scale series; results in DIR/results.md (and JSON per group)
#   compare          only the whole-process comparisons with check_dummy, check_procs, check_file_age, check_log
#                    and duplicity collection-status (both builds), no scale series
#   micro            only the in-process microbenchmarks (tests/Benchmarks, BenchmarkDotNet)
#   all              both
#   --no-publish     use the executables already in dist/ and dist/static/ (default: packaging/publish.sh first,
#                    the default build into dist/ and the opt-in static build into dist/static/)
#   --static DIR     the opt-in static build's executables (default: dist/static when it holds them); its
#                    running, freshness and log checks join the comparison groups as "... (static)"
#   --rounds N       interleaved rounds per group (default 5; each round runs every command of the group
#                    5 times in one hyperfine call, so 25 runs per command)
#   --out DIR        where results go (default artifacts/bench/<UTC time>)
#   --before DIR     also compare, interleaved, with the executables in DIR (an older build: before/after)
#   BENCH_MICRO_ARGS more BenchmarkDotNet arguments for micro (e.g. "--job short")
# Needs hyperfine, /usr/bin/time, python3, duplicity, monitoring-plugins: packaging/install-deps.sh bench.
# Inputs are generated in a temp dir (about 1.1 GiB) from the recorded fixtures and a real duplicity backup.
# What it measures and the latest figures: packaging/docs/benchmarks.md.
set -euo pipefail
cd "$(dirname "$0")/../.."
repo=$PWD
what=whole publish=1 rounds=5 out="" before="" static=""
while [ $# -gt 0 ]; do
  case "$1" in
    whole|compare|micro|all) what=$1 ;;
    --no-publish) publish=0 ;;
    --rounds) rounds=$2; shift ;;
    --out) out=$2; shift ;;
    --before) before=$(cd "$2" && pwd); shift ;;
    --static) static=$(cd "$2" && pwd); shift ;;
    *) echo "bench: unknown argument $1"; exit 2 ;;
  esac
  shift
done
out=${out:-artifacts/bench/$(date -u +%Y%m%dT%H%M%SZ)}
mkdir -p "$out"
out=$(cd "$out" && pwd)

if [ "$what" = micro ] || [ "$what" = all ]; then
  echo "bench: microbenchmarks (BenchmarkDotNet), results in $out/micro"
  # BENCH_MICRO_ARGS: more BenchmarkDotNet arguments, e.g. "--job short" on a busy machine.
  # shellcheck disable=SC2086
  dotnet run -c Release --project tests/Benchmarks/Benchmarks.csproj -- --filter '*' --artifacts "$out/micro" \
    --exporters github --join ${BENCH_MICRO_ARGS:-} >"$out/micro.log" 2>&1 || { tail -40 "$out/micro.log"; exit 1; }
  cat "$out"/micro/results/*-report-github.md >"$out/micro.md" 2>/dev/null || grep '^|' "$out/micro.log" >"$out/micro.md"
  cat "$out/micro.md"
  [ "$what" = micro ] && exit 0
fi

packaging/install-deps.sh bench
fixtures=$(cd "$repo/../shared/fixtures" && pwd)
plugins=/usr/lib/nagios/plugins
if [ "$publish" = 1 ]; then
  packaging/publish.sh dist
  packaging/publish.sh --static dist/static
fi
dist=$repo/dist
for c in freshness running log; do [ -x "$dist/check_duplicity_$c" ] || { echo "bench: $dist/check_duplicity_$c missing"; exit 1; }; done
[ -z "$static" ] && [ -x "$dist/static/check_duplicity_running" ] && static=$dist/static
if [ -n "$static" ]; then
  for c in freshness running log; do [ -x "$static/check_duplicity_$c" ] || { echo "bench: $static/check_duplicity_$c missing"; exit 1; }; done
fi

work=$(mktemp -d /tmp/duplicity-checks-bench.XXXXXX)
fake_pid=""
cleanup() {
  [ -n "$fake_pid" ] && kill "$fake_pid" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

# --- a real duplicity backup (full + 2 incrementals) to a local file:// target -------------------------
echo "bench: making a real duplicity backup in $work"
src=$work/src target=$work/target cache=$work/cache
mkdir -p "$src" "$cache"
cp -r "$fixtures/duplicity-0.8.22" "$src/recorded"
head -c 4000000 /dev/urandom >"$src/blob"
url=file://$target
dup=(env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME="$work" TZ=UTC LC_ALL=C /usr/bin/duplicity --no-encryption --archive-dir "$cache")
"${dup[@]}" full "$src" "$url" </dev/null >/dev/null
for i in 1 2; do
  date >"$src/changed-$i.txt"
  "${dup[@]}" incremental "$src" "$url" </dev/null >/dev/null
done
backup=$(echo -n "$url" | md5sum | cut -d' ' -f1)
newest_manifest=$(ls -t "$cache/$backup"/*.manifest | head -1)

# --- generated inputs --------------------------------------------------------------------------------------
echo "bench: generating inputs"
eval "$(python3 packaging/bench/generate.py "$fixtures" "$work/gen" "$cache/$backup")"
cat "$LOG_1G" "$LOG_10M" >/dev/null   # page cache: the targets are "from the page cache"

# A duplicity-shaped process on the table (python3 running a script named duplicity, as Debian's is),
# so both process checks find one.
mkdir -p "$work/bin"
printf '#!/usr/bin/python3\nimport time\ntime.sleep(3600)\n' >"$work/bin/duplicity"
chmod +x "$work/bin/duplicity"
"$work/bin/duplicity" --archive-dir "$cache" incremental "$src" "$url" </dev/null >/dev/null 2>&1 &
fake_pid=$!
sleep 0.3

# --- measuring ---------------------------------------------------------------------------------------------
machine_facts() {
  { echo "nproc=$(nproc)"
    echo "cpu=$(lscpu | sed -n 's/^Model name: *//p')"
    echo "kernel=$(uname -r)"
    echo "mem=$(free -m | awk '/^Mem:/{print $2}') MiB"
    echo "hyperfine=$(hyperfine --version)"
    echo "duplicity=$(duplicity --version 2>/dev/null)"
    echo "commit=$(git -C "$repo" rev-parse --short HEAD)$(git -C "$repo" diff --quiet HEAD -- src checks || echo '+dirty')"
    echo "default build: $(readelf -h "$dist/check_duplicity_running" | sed -n 's/^ *Type: *//p'), $(readelf -d "$dist/check_duplicity_running" | grep -c NEEDED) NEEDED"
    [ -n "$static" ] && echo "static build ($static): $(readelf -h "$static/check_duplicity_running" | sed -n 's/^ *Type: *//p'), $(readelf -d "$static/check_duplicity_running" | grep -c NEEDED) NEEDED"
    echo "uptime=$(uptime)"
    echo "date=$(date -u +%FT%TZ)"
  } >"$out/machine.txt"
}
load() { cut -d' ' -f1-3 /proc/loadavg; }

# group NAME RUNS_PER_ROUND -- label=command ... : interleaved rounds of one hyperfine call over every command,
# then 5 runs of each under /usr/bin/time -v for the peak memory. Commands are argument lists (-N, no shell);
# a label ending in "@prepare=SCRIPT" runs SCRIPT before each timing.
group() {
  local name=$1 per=$2; shift 3
  local labels=() cmds=() prepares=()
  for spec in "$@"; do
    local label=${spec%%=*} rest=${spec#*=} prep=""
    if [[ $label == *@* ]]; then prep=${label#*@}; label=${label%%@*}; fi
    labels+=("$label"); cmds+=("$rest"); prepares+=("$prep")
  done
  echo "bench: $name (load $(load))"
  echo "$name load_before $(load)" >>"$out/load.txt"
  local r
  for r in $(seq 1 "$rounds"); do
    local args=(-N -i --style none --warmup 1 --runs "$per" --export-json "$out/$name.round$r.json")
    local i
    local any_prep=0
    for i in "${!cmds[@]}"; do [ -n "${prepares[$i]}" ] && any_prep=1; done
    for i in "${!cmds[@]}"; do
      if [ "$any_prep" = 1 ]; then args+=(--prepare "${prepares[$i]:-true}"); fi
      args+=(-n "${labels[$i]}" "${cmds[$i]}")
    done
    hyperfine "${args[@]}" >/dev/null 2>>"$out/hyperfine-warnings.txt"
  done
  local i k
  for i in "${!cmds[@]}"; do
    for k in 1 2 3 4 5; do
      if [ -n "${prepares[$i]}" ]; then ${prepares[$i]} >/dev/null 2>&1; fi
      # shellcheck disable=SC2086
      /usr/bin/time -v ${cmds[$i]} 2>&1 >/dev/null | sed -n "s/^\tMaximum resident set size (kbytes): /$name\t${labels[$i]}\t/p" >>"$out/memory.tsv" || true
    done
  done
  echo "$name load_after $(load)" >>"$out/load.txt"
}

machine_facts
: >"$out/memory.tsv"; : >"$out/load.txt"
now=$NOW
ours=$dist
dummy="$plugins/check_dummy 0 ok"
# The freshness check's listing cache (its default is /var/lib/duplicity-checks): here, so the runs start empty.
# A folder is cached only once its times are 10 s old; the inputs above were made moments ago.
lc=$work/listing-cache
mkdir -p "$lc"
sleep 11

# Whole-process comparisons (typical input): the default build, the opt-in static build beside it (same rounds,
# same load), and the plugins they are compared with.
also() {  # also CHECK ARGS...: the static build's command for a group, when there is one
  [ -n "$static" ] && echo "$1 (static)=$static/$1 ${*:2}"
  return 0
}
mapfile -t static_running < <(also check_duplicity_running -u root)
mapfile -t static_freshness < <(also check_duplicity_freshness -A "$cache" -d "$url" --listing-cache "$lc")
mapfile -t static_log < <(also check_duplicity_log -l "$LOG_10M" --now "$now")
group running 5 -- \
  "check_dummy=$dummy" \
  "check_duplicity_running=$ours/check_duplicity_running -u root" \
  "${static_running[@]}" \
  "check_procs=$plugins/check_procs -C duplicity"
group freshness 5 -- \
  "check_dummy=$dummy" \
  "check_duplicity_freshness=$ours/check_duplicity_freshness -A $cache -d $url --listing-cache $lc" \
  "${static_freshness[@]}" \
  "check_file_age=$plugins/check_file_age -w 93600 -c 180000 -f $newest_manifest"
group collection_status 5 -- \
  "check_duplicity_freshness=$ours/check_duplicity_freshness -A $cache -d $url --listing-cache $lc" \
  "duplicity_collection_status=/usr/bin/env -i HOME=$work TZ=UTC LC_ALL=C /usr/bin/duplicity collection-status --no-encryption --archive-dir $cache $url"
cp "$LOG_10M" "$work/check_log.old"
group log 5 -- \
  "check_dummy=$dummy" \
  "check_duplicity_log=$ours/check_duplicity_log -l $LOG_10M --now $now" \
  "${static_log[@]}" \
  "check_log=$plugins/check_log -F $LOG_10M -O $work/check_log.old -q Traceback"

log10m_size=$(stat -c %s "$LOG_10M") log1g_size=$(stat -c %s "$LOG_1G")
if [ "$what" != compare ]; then

# Scale series.
group archive_dir 5 -- \
  "check_dummy=$dummy" \
  "readdir floor: find, 100000 files=/usr/bin/find $ARCHIVE_100000 -maxdepth 1 -name none" \
  "100 files=$ours/check_duplicity_freshness -A $ARCHIVE_100 --now $now --listing-cache $lc" \
  "10000 files=$ours/check_duplicity_freshness -A $ARCHIVE_10000 --now $now --listing-cache $lc" \
  "100000 files=$ours/check_duplicity_freshness -A $ARCHIVE_100000 --now $now --listing-cache $lc" \
  "100 files listed=$ours/check_duplicity_freshness -A $ARCHIVE_100 --now $now --listing-cache off" \
  "10000 files listed=$ours/check_duplicity_freshness -A $ARCHIVE_10000 --now $now --listing-cache off" \
  "100000 files listed=$ours/check_duplicity_freshness -A $ARCHIVE_100000 --now $now --listing-cache off"
group status_text 5 -- \
  "check_dummy=$dummy" \
  "10 sets=$ours/check_duplicity_freshness -s $STATUS_TEXT_10 --timezone UTC --now $now" \
  "1000 sets=$ours/check_duplicity_freshness -s $STATUS_TEXT_1000 --timezone UTC --now $now" \
  "10000 sets=$ours/check_duplicity_freshness -s $STATUS_TEXT_10000 --timezone UTC --now $now"
group status_machine 5 -- \
  "check_dummy=$dummy" \
  "10 sets=$ours/check_duplicity_freshness -s $STATUS_MACHINE_10 --now $now" \
  "1000 sets=$ours/check_duplicity_freshness -s $STATUS_MACHINE_1000 --now $now" \
  "10000 sets=$ours/check_duplicity_freshness -s $STATUS_MACHINE_10000 --now $now"
group log_last_run 5 -- \
  "check_dummy=$dummy" \
  "10 MB=$ours/check_duplicity_log -l $LOG_10M --now $now" \
  "1 GiB=$ours/check_duplicity_log -l $LOG_1G --now $now"

# --scope new. First scan: no state file (reads the whole log). Appended: the log is cut back to its
# scanned length, N bytes are appended and the state of the scanned length is restored before each run.
scope_new() {  # scope_new LOG TAG
  local log=$1 tag=$2 state=$work/state-$2
  local base; base=$(stat -c %s "$log")
  printf '#!/bin/sh\nrm -f %s\n' "$state" >"$work/first-$tag.sh"
  "$ours/check_duplicity_log" -l "$log" --scope new --state-file "$state" --now "$now" >/dev/null || true
  cp "$state" "$state.scanned"
  local n
  for n in 0 100000 1000000 10000000; do
    { printf '#!/bin/sh\ntruncate -s %s %s\n' "$base" "$log"
      [ "$n" != 0 ] && printf 'cat %s >>%s\n' "$work/gen/append-$n.txt" "$log"
      printf 'cp %s %s\n' "$state.scanned" "$state"; } >"$work/append-$tag-$n.sh"
    chmod +x "$work/append-$tag-$n.sh"
  done
  chmod +x "$work/first-$tag.sh"
}
scope_new "$LOG_10M" 10M
scope_new "$LOG_1G" 1G
new="$ours/check_duplicity_log --scope new --now $now"
group log_scope_new_first 2 -- \
  "10 MB@$work/first-10M.sh=$new -l $LOG_10M --state-file $work/state-10M" \
  "1 GiB@$work/first-1G.sh=$new -l $LOG_1G --state-file $work/state-1G"
group log_scope_new_appended 5 -- \
  "10 MB + 0@$work/append-10M-0.sh=$new -l $LOG_10M --state-file $work/state-10M" \
  "10 MB + 1 MB@$work/append-10M-1000000.sh=$new -l $LOG_10M --state-file $work/state-10M" \
  "1 GiB + 0@$work/append-1G-0.sh=$new -l $LOG_1G --state-file $work/state-1G" \
  "1 GiB + 100 kB@$work/append-1G-100000.sh=$new -l $LOG_1G --state-file $work/state-1G" \
  "1 GiB + 1 MB@$work/append-1G-1000000.sh=$new -l $LOG_1G --state-file $work/state-1G" \
  "1 GiB + 10 MB@$work/append-1G-10000000.sh=$new -l $LOG_1G --state-file $work/state-1G"
# The appended runs end with a failure: cut the logs back to what the other groups measure.
truncate -s "$log10m_size" "$LOG_10M"
truncate -s "$log1g_size" "$LOG_1G"

# Before/after: the same inputs, an older build interleaved with this one.
if [ -n "$before" ]; then
  group before_after 5 -- \
    "running, before=$before/check_duplicity_running -u root" \
    "running, after=$ours/check_duplicity_running -u root" \
    "freshness -A, before=$before/check_duplicity_freshness -A $cache -d $url" \
    "freshness -A, after=$ours/check_duplicity_freshness -A $cache -d $url --listing-cache $lc" \
    "log 10 MB last-run, before=$before/check_duplicity_log -l $LOG_10M --now $now" \
    "log 10 MB last-run, after=$ours/check_duplicity_log -l $LOG_10M --now $now" \
    "archive 100000 files, before=$before/check_duplicity_freshness -A $ARCHIVE_100000 --now $now" \
    "archive 100000 files, after=$ours/check_duplicity_freshness -A $ARCHIVE_100000 --now $now --listing-cache $lc" \
    "archive 100000 files listed, after=$ours/check_duplicity_freshness -A $ARCHIVE_100000 --now $now --listing-cache off" \
    "status text 10000 sets, before=$before/check_duplicity_freshness -s $STATUS_TEXT_10000 --timezone UTC --now $now" \
    "status text 10000 sets, after=$ours/check_duplicity_freshness -s $STATUS_TEXT_10000 --timezone UTC --now $now" \
    "status machine 10000 sets, before=$before/check_duplicity_freshness -s $STATUS_MACHINE_10000 --now $now" \
    "status machine 10000 sets, after=$ours/check_duplicity_freshness -s $STATUS_MACHINE_10000 --now $now"
  group before_after_log_first 2 -- \
    "1 GiB scope new first scan, before@$work/first-1G.sh=$before/check_duplicity_log --scope new --now $now -l $LOG_1G --state-file $work/state-1G" \
    "1 GiB scope new first scan, after@$work/first-1G.sh=$new -l $LOG_1G --state-file $work/state-1G"
fi

fi  # scale series, --scope new and before/after: not in "compare"

# What each check printed on the typical inputs (so a reader sees they did real work, not an error).
{ for c in "$ours/check_duplicity_running -u root" "$ours/check_duplicity_freshness -A $cache -d $url" \
           "$ours/check_duplicity_freshness -A $ARCHIVE_100000 --now $now" \
           "$ours/check_duplicity_freshness -s $STATUS_TEXT_10000 --timezone UTC --now $now" \
           "$ours/check_duplicity_freshness -s $STATUS_MACHINE_10000 --now $now" \
           "$ours/check_duplicity_log -l $LOG_10M --now $now" "$ours/check_duplicity_log -l $LOG_1G --now $now"; do
    # shellcheck disable=SC2086
    echo "\$ ${c/$work/\$WORK}"; $c | head -1 | cut -c1-200 || true
  done
  if [ -n "$static" ]; then
    for c in "$static/check_duplicity_running -u root" "$static/check_duplicity_freshness -A $cache -d $url" \
             "$static/check_duplicity_log -l $LOG_10M --now $now"; do
      # shellcheck disable=SC2086
      echo "\$ ${c/$work/\$WORK}"; $c | head -1 | cut -c1-200 || true
    done
  fi
} >"$out/outputs.txt"
sed -i "s|$work|\$WORK|g" "$out/outputs.txt"

python3 packaging/bench/summarize.py "$out" "$log10m_size" "$log1g_size" | tee "$out/results.md"
echo "bench: results in $out/results.md"
