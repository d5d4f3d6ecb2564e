#!/usr/bin/env bash
# Installs the Debian packages the build, the tests and the demo need, when they are missing.
# Usage: packaging/install-deps.sh [build|test|bench|demo|fuzz]   (default: test)
set -euo pipefail
what=${1:-test}

pkgs=(clang zlib1g-dev)                        # Native AOT linking
case "$what" in
  test|bench)
    pkgs+=(duplicity gnupg icinga2-bin nagios-nrpe-server nagios-nrpe-plugin
           monitoring-plugins-basic monitoring-plugins-standard procps util-linux time python3 sudo
           openssh-client openssh-server          # a real ssh ControlPersist master (LiveRunSshControlPersistTests)
           dpkg-dev binutils lintian strace libnss-systemd)
                                       # dpkg-dev, binutils, lintian: packaging/deb/build.sh and its test;
                                       # strace: StaticExecutableTests; libnss-systemd: the NSS-only users of
                                       # the user-lookup tests (userdb records in /run/userdb, TestSupport)
    [ "$what" = bench ] && pkgs+=(hyperfine) ;;
  demo) pkgs+=(duplicity gnupg) ;;
  fuzz) pkgs+=(afl++) ;;                       # tests/Fuzz/run.sh (afl-fuzz, afl-tmin)
  build) ;;
  *) echo "install-deps: unknown set '$what'"; exit 2 ;;
esac

missing=()
for p in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" -ne 0 ]; then
  echo "install-deps: missing Debian packages: ${missing[*]}"
  echo "install-deps: run as root, or: sudo apt-get install ${missing[*]}"
  exit 1
fi
echo "install-deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
# The NRPE server package starts its daemon on install; the tests run their own on another port.
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
