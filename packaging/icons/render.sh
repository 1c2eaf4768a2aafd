#!/usr/bin/env bash
# Renders the application icon's PNG sizes from its SVG (the SVG is the source; the PNGs are committed).
# Usage: packaging/icons/render.sh        needs rsvg-convert (Debian: librsvg2-bin), installed if missing.
set -euo pipefail
cd "$(dirname "$0")"

name=io.github.evalsandbox.Evalsandbox
sizes=(48 128 256)

if ! command -v rsvg-convert >/dev/null; then
  SUDO=""
  [ "$(id -u)" = 0 ] || SUDO=sudo
  echo "render.sh: installing librsvg2-bin for rsvg-convert" >&2
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends librsvg2-bin >&2
fi

for n in "${sizes[@]}"; do
  mkdir -p "${n}x${n}"
  rsvg-convert --width "$n" --height "$n" --keep-aspect-ratio --format png \
    --output "${n}x${n}/$name.png" "$name.svg"
  echo "${n}x${n}/$name.png"
done
