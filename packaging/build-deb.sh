#!/usr/bin/env bash
# Builds the Debian packages evalsandbox-cli and evalsandbox from a clean build folder (build-deb/, made anew each
# time; the development build in build/ is not touched) and prints their paths and metadata.
#
#   packaging/build-deb.sh [OUT_DIR]        (default: dist/)
#
# Installs what it needs with apt-get when missing (the build packages of setup.sh, plus dpkg-dev and file for
# CPack's dpkg-shlibdeps step). The tests are not built; run them with the README's test command.
set -euo pipefail
cd "$(dirname "$0")/.."
out="${1:-dist}"

# The same packages as setup.sh, without configuring or building build/.
packaging/setup.sh --install-only
need=()
for p in dpkg-dev file; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || need+=("$p")
done
if ((${#need[@]})); then
    echo "build-deb: installing ${need[*]}" >&2
    SUDO=""; [ "$(id -u)" = 0 ] || SUDO=sudo
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${need[@]}" >&2
fi

export CCACHE_DIR="${CCACHE_DIR:-$HOME/.cache/ccache}"
export CCACHE_BASEDIR="${CCACHE_BASEDIR:-$PWD}" CCACHE_NOHASHDIR="${CCACHE_NOHASHDIR:-1}"
rm -rf build-deb
cmake -S . -B build-deb -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DEVS_BUILD_TESTS=OFF >&2
cmake --build build-deb --parallel "$(nproc)" >&2
(cd build-deb && cpack -G DEB) >&2

mkdir -p "$out"
rm -f "$out"/evalsandbox*.deb
cp build-deb/dist/*.deb "$out"/
for deb in "$out"/*.deb; do
    echo "== $deb"
    dpkg-deb --field "$deb" Package Version Architecture Section Depends Recommends Installed-Size
done
