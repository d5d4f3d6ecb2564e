#!/usr/bin/env bash
# Builds the Debian package dist/duplicity-checks_<version>_<arch>.deb from the published executables in
# dist/ (runs packaging/publish.sh first when they are missing), with dpkg-deb --root-owner-group: no
# debhelper, no fakeroot. Version: the executables' --version plus the Debian revision of
# packaging/deb/changelog, which must agree. Prints the path of the .deb on its last line.
#   packaging/deb/build.sh [DIST_DIR]
set -euo pipefail
cd "$(dirname "$0")/../.."
dist=${1:-dist}
checks=(check_duplicity_freshness check_duplicity_running check_duplicity_log)

for c in "${checks[@]}"; do
  [ -x "$dist/$c" ] || { packaging/publish.sh "$dist"; break; }
done

upstream=$("$dist/check_duplicity_freshness" --version | awk '{print $NF}' || true)
changelog_version=$(sed -n '1s/^duplicity-checks (\([^)]*\)).*/\1/p' packaging/deb/changelog)
version=$changelog_version
[ "${changelog_version%-*}" = "$upstream" ] || {
  echo "deb: the executables say version $upstream but packaging/deb/changelog starts with $changelog_version"; exit 1; }
arch=$(dpkg --print-architecture)
# The changelog's date, so that the man pages and the package are the same on every rebuild.
changelog_date=$(sed -n 's/^ -- .*>  //p' packaging/deb/changelog | head -1)
export SOURCE_DATE_EPOCH=${SOURCE_DATE_EPOCH:-$(date -u -d "$changelog_date" +%s)}
man_date=$(date -u -d "@$SOURCE_DATE_EPOCH" +%Y-%m-%d)

root=artifacts/deb/root
rm -rf artifacts/deb
mkdir -p "$root/DEBIAN"
umask 022

plugins=$root/usr/lib/nagios/plugins
doc=$root/usr/share/doc/duplicity-checks
man=$root/usr/share/man/man1
install -d -m 0755 "$plugins" "$doc/examples/icinga2" "$man" \
  "$root/usr/share/icinga2/include/plugins-contrib.d" "$root/etc/nagios/nrpe.d"

for c in "${checks[@]}"; do
  install -m 0755 "$dist/$c" "$plugins/$c"
  strip --remove-section=.comment "$plugins/$c"   # as dh_strip does: the linker's version strings
  packaging/deb/help2man.sh "$dist/$c" "$man_date" >"$man/$c.1"
  gzip -9n "$man/$c.1"
done

install -m 0644 icinga-commands.conf "$root/usr/share/icinga2/include/plugins-contrib.d/duplicity.conf"
install -m 0644 packaging/nrpe/duplicity-checks.cfg "$root/etc/nagios/nrpe.d/duplicity-checks.cfg"
install -m 0644 packaging/duplicity-checks.ini "$root/etc/duplicity-checks.ini"
install -m 0644 packaging/icinga2/*.conf "$doc/examples/icinga2/"
install -m 0644 README.md "$doc/README.md"
install -d -m 0755 "$root/usr/share/lintian/overrides"
overrides=$root/usr/share/lintian/overrides/duplicity-checks
grep -v '^#' packaging/deb/lintian-overrides >"$overrides"
{ cat packaging/deb/copyright.in
  sed -n '/^Permission is hereby granted/,$p' LICENSE | sed 's/^$/./; s/^/ /'
} >"$doc/copyright"
chmod 0644 "$doc/copyright"
gzip -9nc packaging/deb/changelog >"$doc/changelog.Debian.gz"
chmod 0644 "$doc/changelog.Debian.gz"

# Relations. The default build (dynamic PIE, checks/Directory.Build.props) depends on libc6, from its ELF symbol
# versions (no .NET runtime, no libz or ICU). The opt-in static build (packaging/publish.sh --static) needs no
# library at run time; it contains glibc (LGPL-2.1+), which Built-Using names so that the archive keeps that
# glibc's source and a glibc fix can be traced to this package, and lintian's statically-linked-binary is
# overridden for it with that reason (the default package has no override of a hardening tag).
relations=
static=0
for c in "${checks[@]}"; do
  readelf -d "$plugins/$c" 2>/dev/null | grep -q '(NEEDED)' || static=$((static + 1))
done
if [ "$static" -eq "${#checks[@]}" ]; then
  glibc=$(dpkg-query -W -f='${source:Version}' libc6-dev 2>/dev/null || true)
  [ -n "$glibc" ] || { echo "deb: static executables, but the glibc they contain is unknown (libc6-dev not installed)"; exit 1; }
  relations="Built-Using: glibc (= $glibc)"
  { echo "# The opt-in static build (packaging/publish.sh --static): glibc inside, named in Built-Using."
    echo "duplicity-checks: statically-linked-binary [usr/lib/nagios/plugins/check_duplicity_*]"; } >>"$overrides"
elif [ "$static" -ne 0 ]; then
  echo "deb: some executables in $dist are static and some dynamic; publish them together"; exit 1
else
  depends=
  if command -v dpkg-shlibdeps >/dev/null; then
    shlibs=$(cd artifacts/deb && mkdir -p debian && printf 'Source: duplicity-checks\n\nPackage: duplicity-checks\n' >debian/control \
      && dpkg-shlibdeps -O "${checks[@]/#/root/usr/lib/nagios/plugins/}" 2>/dev/null && rm -rf debian) || true
    depends=$(printf '%s\n' "$shlibs" | sed -n 's/^shlibs:Depends=//p')
  fi
  if [ -z "$depends" ]; then
    glibc=$(for c in "${checks[@]}"; do objdump -T "$plugins/$c"; done | grep -o 'GLIBC_[0-9.]*' | sed 's/GLIBC_//' | sort -uV | tail -1)
    depends="libc6 (>= $glibc)"
  fi
  relations="Depends: $depends"
fi

printf '%s\n' /etc/duplicity-checks.ini /etc/nagios/nrpe.d/duplicity-checks.cfg >"$root/DEBIAN/conffiles"
install -m 0755 packaging/deb/postinst packaging/deb/postrm "$root/DEBIAN/"
size=$(du -sk --exclude=DEBIAN "$root" | cut -f1)
sed -e "s/@VERSION@/$version/" -e "s/@ARCH@/$arch/" -e "s/@SIZE@/$size/" -e "s/@RELATIONS@/$relations/" \
  packaging/deb/control.in >"$root/DEBIAN/control"
(cd "$root" && find . -path ./DEBIAN -prune -o -type f -printf '%P\n' | LC_ALL=C sort | xargs md5sum) >"$root/DEBIAN/md5sums"
chmod 0644 "$root/DEBIAN/"*
chmod 0755 "$root/DEBIAN/postinst" "$root/DEBIAN/postrm"
find "$root" -type d -exec chmod 0755 {} +
find "$root" -exec touch -h -d "@$SOURCE_DATE_EPOCH" {} +

deb="$dist/duplicity-checks_${version}_${arch}.deb"
dpkg-deb --root-owner-group -Zxz --build "$root" "$deb" >/dev/null
echo "$deb"
