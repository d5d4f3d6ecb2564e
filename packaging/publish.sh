#!/usr/bin/env bash
# Publishes every check as a Native AOT executable into dist/.
# Usage: packaging/publish.sh [OUTPUT_DIR]
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:-dist}
case "$(uname -m)" in
  x86_64) rid=linux-x64 ;;
  aarch64) rid=linux-arm64 ;;
  *) echo "publish: unsupported machine $(uname -m)"; exit 1 ;;
esac
mkdir -p "$out"
for project in checks/*/; do
  name=$(basename "$project")
  dotnet publish "$project$name.csproj" -c Release -r "$rid" -o "artifacts/publish/$name" -nologo -v quiet -p:TreatWarningsAsErrors=true >/dev/null \
    || { echo "publish: $name failed"; dotnet publish "$project$name.csproj" -c Release -r "$rid" -o "artifacts/publish/$name" -nologo -v quiet; exit 1; }
  install -m 0755 "artifacts/publish/$name/$name" "$out/$name"
  echo "published $out/$name ($(du -k "$out/$name" | cut -f1) KiB)"
done
