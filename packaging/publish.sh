#!/usr/bin/env bash
# Publishes every check as a Native AOT executable into dist/.
# Usage: packaging/publish.sh [--static] [OUTPUT_DIR]
#   default    dynamic PIE executables against the system's glibc (checks/Directory.Build.props)
#   --static   the opt-in static build (-p:StaticExecutable=true: glibc inside, not PIE, users from /etc/passwd only)
set -euo pipefail
cd "$(dirname "$0")/.."
static=false kind="" label="dynamic PIE"
if [ "${1:-}" = "--static" ]; then static=true kind=-static label=static; shift; fi
out=${1:-dist}
case "$(uname -m)" in
  x86_64) rid=linux-x64 ;;
  aarch64) rid=linux-arm64 ;;
  *) echo "publish: unsupported machine $(uname -m)"; exit 1 ;;
esac
mkdir -p "$out"
for project in checks/*/; do
  name=$(basename "$project")
  # A folder per build kind: the static and the dynamic executable must never be taken for one another.
  publish_dir=artifacts/publish/$name$kind
  args=("$project$name.csproj" -c Release -r "$rid" -o "$publish_dir" -nologo -v quiet -p:StaticExecutable=$static)
  dotnet publish "${args[@]}" -p:TreatWarningsAsErrors=true >/dev/null \
    || { echo "publish: $name failed"; dotnet publish "${args[@]}"; exit 1; }
  # What was asked for is what was linked (an incremental build must not hand back the other kind).
  headers=$(readelf -lhW "$publish_dir/$name")
  if [ "$static" = true ]; then
    ! grep -q INTERP <<<"$headers" || { echo "publish: $name is not static"; exit 1; }
  else
    grep -q INTERP <<<"$headers" && grep -q 'DYN (Position-Independent Executable file)' <<<"$headers" \
      || { echo "publish: $name is not a dynamic PIE"; exit 1; }
  fi
  install -m 0755 "$publish_dir/$name" "$out/$name"
  echo "published $out/$name ($(du -k "$out/$name" | cut -f1) KiB, $label)"
done
