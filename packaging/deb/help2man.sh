#!/usr/bin/env bash
# Writes a man page (roff, section 1) for one check, generated from its --help, so the page and the
# program cannot disagree. The help's layout (version line, description, Usage:, Options:, Examples:,
# Exit codes:) is the plugin layer's HelpText.
# Usage: packaging/deb/help2man.sh EXECUTABLE DATE(YYYY-MM-DD) >check_x.1
set -euo pipefail
exe=$1
date=$2
name=$(basename "$exe")
help=$("$exe" --help || true)   # --help exits 3 (UNKNOWN), as the monitoring-plugins guidelines say
[ -n "$help" ] || { echo "help2man: $exe printed no help" >&2; exit 1; }

printf '%s\n' "$help" | awk -v name="$name" -v date="$date" '
function esc(s) {
  gsub(/\\/, "\\e", s)
  gsub(/-/, "\\-", s)
  if (s ~ /^[.\047]/) s = "\\&" s
  return s
}
function flush_para() { if (para != "") { print esc(para); para = "" } }
NR == 1 {
  version = $NF
  upper = toupper(name)
  printf ".TH %s 1 \"%s\" \"duplicity-checks %s\" \"Monitoring plugins\"\n", upper, date, version
  section = "description"; next
}
/^Usage: / {
  section = "usage"
  # NAME: the first sentence of the description (the whatis entry)
  first = desc; sub(/\. .*/, "", first); sub(/\? .*/, "?", first); sub(/\.$/, "", first)
  print ".SH NAME"; print name " \\- " esc(first)
  print ".SH SYNOPSIS"; print ".nf"; sub(/^Usage: /, ""); print esc($0); next
}
/^Options:$/ { print ".fi"; print ".SH DESCRIPTION"; print esc(desc); section = "options"; print ".SH OPTIONS"; next }
/^Examples:$/ { flush_para(); section = "examples"; print ".SH EXAMPLES"; print ".nf"; next }
/^Exit codes:/ { flush_para(); if (section == "examples") print ".fi"; section = "exit"; print ".SH EXIT STATUS"; print esc($0); next }
section == "description" { if ($0 != "") desc = (desc == "" ? $0 : desc " " $0); next }
section == "usage" { if ($0 != "") { sub(/^ +/, "        "); print esc($0) }; next }
section == "options" {
  if ($0 ~ /^ -[A-Za-z], --/ || $0 ~ /^     --/) {
    flush_para()
    line = $0; sub(/^ +/, "", line)
    print ".TP"; print ".B " esc(line); next
  }
  if ($0 ~ /^ +/) { line = $0; sub(/^ +/, "", line); para = (para == "" ? line : para " " line) }
  next
}
section == "examples" { if ($0 != "") { line = $0; sub(/^ +/, "", line); print esc(line) }; next }
END {
  flush_para()
  print ".SH SEE ALSO"
  print "The other checks of the package: check_duplicity_freshness(1), check_duplicity_running(1), check_duplicity_log(1)."
  print "Icinga 2 CheckCommands: /usr/share/icinga2/include/plugins\\-contrib.d/duplicity.conf; NRPE commands: /etc/nagios/nrpe.d/duplicity\\-checks.cfg;"
  print "job file: /etc/duplicity\\-checks.ini; examples and the README: /usr/share/doc/duplicity\\-checks/."
}'
