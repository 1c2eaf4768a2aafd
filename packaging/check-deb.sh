#!/usr/bin/env bash
# Installs the built packages into a fresh Debian 12 root (packaging/fresh-root.sh) the way a user would, with
# `apt-get install ./….deb` pulling only Debian's own packages, and checks that they work there:
# `evalsandbox-cli --version`, `evalsandbox-cli demo`, the manual pages, the bash completion, the desktop entry and
# AppStream metainfo validators, and the workbench starting under Xvfb until its window is shown.
#
#   packaging/check-deb.sh [DIR_WITH_DEBS]      (default: dist/, as written by packaging/build-deb.sh)
set -euo pipefail
cd "$(dirname "$0")/.."
dist="$(realpath "${1:-dist}")"
ls "$dist"/evalsandbox-cli_*.deb "$dist"/evalsandbox_*.deb >/dev/null \
    || { echo "check-deb: no evalsandbox .deb files in $dist (run packaging/build-deb.sh first)" >&2; exit 1; }

EVS_FRESH_CCACHE=none exec packaging/fresh-root.sh --copy "$dist" bash -s <<'INSIDE'
set -euo pipefail
check() { printf '\n== %s\n' "$*"; }
export DEBIAN_FRONTEND=noninteractive XDG_RUNTIME_DIR=/tmp/xdg
mkdir -p -m 700 "$XDG_RUNTIME_DIR"
apt-get update -qq

check "apt-get install ./evalsandbox-cli_*.deb (headless machine: no Widgets, no Charts)"
apt-get install -y -qq --no-install-recommends /work/input/dist/evalsandbox-cli_*.deb >/tmp/apt-cli.log 2>&1 \
    || { cat /tmp/apt-cli.log; exit 1; }
for lib in libQt6Widgets.so.6 libQt6Charts.so.6; do
    if ldconfig -p | grep -q "$lib"; then echo "FAIL: the CLI package pulled in $lib"; exit 1; fi
done
echo "ok: installed; no Qt Widgets or Qt Charts library on the machine"

check "evalsandbox-cli --version"
evalsandbox-cli --version

check "evalsandbox-cli demo"
cd /tmp
evalsandbox-cli --log-level warn demo --db /tmp/demo.sqlite | tail -n 25

check "evalsandbox-cli report (PDF, painted on the offscreen platform)"
run_id=$(evalsandbox-cli runs --db /tmp/demo.sqlite --json | sed -n 's/.*"id": *"\{0,1\}\([0-9A-Za-z-]*\).*/\1/p' | head -n 1)
evalsandbox-cli report "$run_id" --db /tmp/demo.sqlite --format pdf -o /tmp/demo.pdf
head -c 5 /tmp/demo.pdf; echo " ($(stat -c %s /tmp/demo.pdf) bytes)"

check "apt-get install ./evalsandbox_*.deb (the workbench)"
apt-get install -y -qq --no-install-recommends /work/input/dist/evalsandbox_*.deb >/tmp/apt-gui.log 2>&1 \
    || { cat /tmp/apt-gui.log; exit 1; }
dpkg-query -W -f='${Package} ${Version}\n' evalsandbox evalsandbox-cli

check "manual pages"
apt-get install -y -qq --no-install-recommends man-db groff-base >/dev/null 2>&1
man -w evalsandbox-cli
man -w evalsandbox
MANWIDTH=100 man evalsandbox-cli 2>&1 | sed -n '1,12p'

check "bash completion"
apt-get install -y -qq --no-install-recommends bash-completion >/dev/null 2>&1
ls /usr/share/bash-completion/completions/evalsandbox-cli
bash -c 'source /usr/share/bash-completion/bash_completion; source /usr/share/bash-completion/completions/evalsandbox-cli
         COMP_WORDS=(evalsandbox-cli re); COMP_CWORD=1; COMP_LINE="evalsandbox-cli re"; COMP_POINT=${#COMP_LINE}
         _comp=$(complete -p evalsandbox-cli | sed "s/.*-F \([^ ]*\).*/\1/"); $_comp evalsandbox-cli re evalsandbox-cli
         echo "evalsandbox-cli re<TAB>: ${COMPREPLY[*]}"'

check "desktop entry, icons and AppStream metainfo"
apt-get install -y -qq --no-install-recommends desktop-file-utils appstream >/dev/null 2>&1
desktop=$(ls /usr/share/applications/*.desktop | grep -i evalsandbox)
metainfo=$(ls /usr/share/metainfo/*.xml | grep -i evalsandbox)
echo "$desktop"; echo "$metainfo"
desktop-file-validate "$desktop" && echo "desktop-file-validate: ok"
appstreamcli validate --no-net "$metainfo"
find /usr/share/icons/hicolor -name '*valsandbox*' | sort

check "the workbench under Xvfb"
apt-get install -y -qq --no-install-recommends xvfb x11-utils xauth xdotool >/dev/null 2>&1
export EVALSANDBOX_DB=/tmp/gui.sqlite EVALSANDBOX_WORKSPACE=/tmp/workspace.json
Xvfb :77 -screen 0 1280x800x24 -nolisten tcp >/tmp/xvfb.log 2>&1 &
xvfb=$!
for _ in $(seq 50); do [ -e /tmp/.X11-unix/X77 ] && break; sleep 0.1; done
DISPLAY=:77 evalsandbox >/tmp/gui.log 2>&1 &
gui=$!
# A viewable top-level window with the app's title and a real size (not the 1x1 leader window).
shown=""
for i in $(seq 100); do
    if ! kill -0 $gui 2>/dev/null; then echo "FAIL: evalsandbox exited"; cat /tmp/gui.log; exit 1; fi
    for w in $(DISPLAY=:77 xdotool search --onlyvisible --name '^AGI Evaluation Sandbox' 2>/dev/null); do
        geometry=$(DISPLAY=:77 xwininfo -id "$w" | awk '/Width:/ { w = $2 } /Height:/ { h = $2 } END { print w "x" h }')
        [ "${geometry%x*}" -ge 400 ] && shown="$(DISPLAY=:77 xdotool getwindowname "$w"), $geometry" && break
    done
    [ -n "$shown" ] && break
    sleep 0.2
done
[ -n "$shown" ] || { echo "FAIL: no window within 20 s"; cat /tmp/gui.log; exit 1; }
echo "window shown after ~$((i * 200)) ms: $shown"
kill $gui; wait $gui 2>/dev/null || true
kill $xvfb; wait $xvfb 2>/dev/null || true

check "all checks passed"
INSIDE
