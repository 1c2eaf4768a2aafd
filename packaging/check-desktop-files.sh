#!/usr/bin/env bash
# Validates the desktop integration files in packaging/ as they are in the source tree:
#   - the .desktop entry (desktop-file-validate: no errors, no warnings; hints are shown),
#   - the AppStream metainfo template, with the version from CMakeLists.txt filled in
#     (appstreamcli validate --no-net --strict: no errors, warnings or infos; pedantic notes are shown),
#   - the three together with the icons as an installed tree (appstreamcli validate-tree),
#   - the icons: every PNG has the size its folder names, and matches the desktop entry's Icon=,
#   - both manual pages (groff -man -ww: no warnings; man -l when man-db is there),
#   - the bash completion (bash -n).
# Installs desktop-file-utils, appstream and groff-base with apt-get when a tool is missing.
# Exit status: 0 when everything passed, 1 when something did not, 2 when a tool could not be installed.
set -uo pipefail
cd "$(dirname "$0")/.." || exit 2

id=io.github.evalsandbox.Evalsandbox
desktop=packaging/desktop/$id.desktop
metainfo_in=packaging/desktop/$id.metainfo.xml.in
svg=packaging/icons/$id.svg
man_pages=(packaging/man/evalsandbox.1 packaging/man/evalsandbox-cli.1)
completion=packaging/completion/evalsandbox-cli
icon_sizes=(48 128 256)

# Tools (command → Debian package).
declare -A tools=([desktop-file-validate]=desktop-file-utils [appstreamcli]=appstream [groff]=groff-base)
missing=()
for t in "${!tools[@]}"; do
  command -v "$t" >/dev/null || missing+=("${tools[$t]}")
done
if ((${#missing[@]})); then
  echo "check-desktop-files: installing ${missing[*]}" >&2
  SUDO=""
  [ "$(id -u)" = 0 ] || SUDO=sudo
  if ! { $SUDO apt-get update -qq &&
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"; } >&2; then
    echo "check-desktop-files: could not install ${missing[*]}" >&2
    exit 2
  fi
fi

failures=0
pass() { echo "PASS  $*"; }
fail() {
  echo "FAIL  $*"
  failures=$((failures + 1))
}
# result STATUS MESSAGE: PASS when STATUS is 0, else FAIL.
result() {
  if [ "$1" -eq 0 ]; then pass "$2"; else fail "$2"; fi
}
# Prints a tool's output indented, when there is any.
show() { [ -z "$1" ] || printf '%s\n' "$1" | sed 's/^/      /'; }

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

for f in "$desktop" "$metainfo_in" "$svg" "${man_pages[@]}" "$completion"; do
  [ -f "$f" ] || fail "$f is missing"
done

# The desktop entry. desktop-file-validate exits 0 on warnings, so its output is read as well.
if [ -f "$desktop" ]; then
  out=$(desktop-file-validate "$desktop" 2>&1)
  rc=$?
  if [ $rc -ne 0 ] || grep -qE ': (error|warning): ' <<<"$out"; then
    fail "desktop-file-validate $desktop"
  else
    pass "desktop-file-validate $desktop"
  fi
  show "$out"
  icon=$(sed -n 's/^Icon=//p' "$desktop")
  [ "$icon" = "$id" ]
  result $? "Icon=$icon names the icon files ($id.*)"
fi

# The metainfo, with the version CMake would put in.
version=$(sed -nE 's/^project\(evalsandbox VERSION ([0-9][0-9.]*).*/\1/p' CMakeLists.txt | head -n 1)
metainfo=$work/$id.metainfo.xml
if [ -z "$version" ]; then
  fail "no project(evalsandbox VERSION x.y.z) in CMakeLists.txt"
elif [ -f "$metainfo_in" ]; then
  sed "s/@PROJECT_VERSION@/$version/g" "$metainfo_in" >"$metainfo"
  if grep -q '@[A-Za-z_]*@' "$metainfo"; then
    fail "$metainfo_in has placeholders other than @PROJECT_VERSION@"
  fi
  grep -q "<release version=\"$version\"" "$metainfo"
  result $? "metainfo release version is $version (from CMakeLists.txt)"
  out=$(appstreamcli validate --no-net --strict --pedantic "$metainfo" 2>&1)
  result $? "appstreamcli validate --no-net --strict $metainfo_in"
  show "$out"
  grep -q "<launchable type=\"desktop-id\">$id.desktop</launchable>" "$metainfo"
  result $? "metainfo launchable is $id.desktop"
fi

# The icons: sizes from the PNG header (width and height are the big-endian words at bytes 16 and 20).
for n in "${icon_sizes[@]}"; do
  png=packaging/icons/${n}x${n}/$id.png
  if [ ! -f "$png" ]; then
    fail "$png is missing (packaging/icons/render.sh makes it)"
    continue
  fi
  read -r w h < <(od -An -tu1 -j16 -N8 "$png" | awk '{print $1*16777216+$2*65536+$3*256+$4, $5*16777216+$6*65536+$7*256+$8}')
  [ "$w" = "$n" ] && [ "$h" = "$n" ]
  result $? "$png is ${w}x$h (want ${n}x$n)"
done

# Desktop entry, metainfo and icons together, laid out as they are installed.
if [ -f "$desktop" ] && [ -f "$metainfo" ]; then
  tree=$work/tree/usr
  mkdir -p "$tree/share/applications" "$tree/share/metainfo" "$tree/share/icons/hicolor/scalable/apps"
  cp "$desktop" "$tree/share/applications/"
  cp "$metainfo" "$tree/share/metainfo/"
  [ -f "$svg" ] && cp "$svg" "$tree/share/icons/hicolor/scalable/apps/"
  for n in "${icon_sizes[@]}"; do
    mkdir -p "$tree/share/icons/hicolor/${n}x${n}/apps"
    cp "packaging/icons/${n}x${n}/$id.png" "$tree/share/icons/hicolor/${n}x${n}/apps/" 2>/dev/null
  done
  out=$(appstreamcli validate-tree --no-net --strict --pedantic "$work/tree" 2>&1)
  result $? "appstreamcli validate-tree --no-net --strict (desktop entry, metainfo and icons as installed)"
  show "$out"
fi

# Manual pages: groff must say nothing at all with every warning turned on.
for page in "${man_pages[@]}"; do
  [ -f "$page" ] || continue
  out=$(groff -man -Tutf8 -ww -z "$page" 2>&1)
  rc=$?
  [ -z "$out" ] || rc=1
  result $rc "groff -man -Tutf8 -ww -z $page: no warnings"
  show "$out"
  if command -v man >/dev/null; then
    out=$(LC_ALL=C.UTF-8 MANWIDTH=80 man --warnings -l "$page" 2>&1 >/dev/null)
    rc=$?
    [ -z "$out" ] || rc=1
    result $rc "man --warnings -l $page: no warnings"
    show "$out"
  fi
done

# Bash completion: it must at least parse.
if [ -f "$completion" ]; then
  out=$(bash -n "$completion" 2>&1)
  result $? "bash -n $completion"
  show "$out"
fi

if ((failures)); then
  echo "check-desktop-files: $failures check(s) failed"
  exit 1
fi
echo "check-desktop-files: all checks passed"
