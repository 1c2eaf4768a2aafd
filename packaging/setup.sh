#!/usr/bin/env bash
# Installs what a build needs on Debian 12 (idempotent), then configures and builds everything into build/.
# Usage: packaging/setup.sh [extra cmake -D options...]
#        packaging/setup.sh --install-only      only the packages, no configure or build
set -euo pipefail
cd "$(dirname "$0")/.."
install_only=0
if [ "${1:-}" = --install-only ]; then
    install_only=1
    shift
fi

packages=(
  build-essential cmake ninja-build ccache pkg-config
  qt6-base-dev qt6-base-dev-tools qt6-charts-dev qt6-svg-dev libqt6svg6-dev libqt6opengl6-dev libgl-dev
  libxkbcommon-dev qt6-qpa-plugins fonts-dejavu-core
  qtkeychain-qt6-dev libsqlite3-dev sqlite3 libspdlog-dev libfmt-dev zlib1g-dev
  poppler-utils desktop-file-utils appstream groff-base man-db
)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if ((${#missing[@]})); then
  echo "setup: installing ${missing[*]}" >&2
  SUDO=""
  [ "$(id -u)" = 0 ] || SUDO=sudo
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
fi

((install_only)) && exit 0

export CCACHE_DIR="${CCACHE_DIR:-$HOME/.cache/ccache}"
# Paths relative to the checkout, so that another clone of the project (CI's) reuses the same cache entries.
export CCACHE_BASEDIR="${CCACHE_BASEDIR:-$PWD}" CCACHE_NOHASHDIR="${CCACHE_NOHASHDIR:-1}"
if [ ! -f build/CMakeCache.txt ]; then
  cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo "$@" >&2
elif (($#)); then
  cmake -S . -B build "$@" >&2
fi
cmake --build build --parallel "$(nproc)" >&2
