#!/usr/bin/env bash
# Screenshots for the README, made by running the real app under Xvfb (no --screenshot option in the app):
# the demo run is started with EVALSANDBOX_AUTORUN=demo, then the dashboard and the results browser (the run's
# samples) are captured with ImageMagick's `import -window root`. Settings, workspace and store live in a
# throwaway folder, so the user's own data is never touched.
#
#   packaging/screenshots.sh [BUILD_DIR] [OUT_DIR]      (defaults: build, docs/screenshots)
#   PAGES=1 packaging/screenshots.sh                    also captures every page (models, benchmarks, ...)
set -euo pipefail

here="$(cd "$(dirname "$0")/.." && pwd)"
build="${1:-$here/build}"
out="${2:-$here/docs/screenshots}"
app="$build/evalsandbox"
width=1400
height=900

[ -x "$app" ] || { echo "no $app: build the evalsandbox target first" >&2; exit 1; }

need=()
command -v Xvfb >/dev/null || need+=(xvfb)
command -v import >/dev/null || need+=(imagemagick)
command -v xdotool >/dev/null || need+=(xdotool)
if [ ${#need[@]} -gt 0 ]; then
    sudo=""; [ "$(id -u)" -ne 0 ] && sudo="sudo"
    $sudo apt-get install -y "${need[@]}"
fi

mkdir -p "$out"
tmp="$(mktemp -d)"
# A display number nobody uses.
display=99
while [ -e "/tmp/.X11-unix/X$display" ] || [ -e "/tmp/.X$display-lock" ]; do display=$((display + 1)); done

Xvfb ":$display" -screen 0 "${width}x${height}x24" -nolisten tcp >"$tmp/xvfb.log" 2>&1 &
xvfb_pid=$!
app_pid=""
cleanup() {
    [ -n "$app_pid" ] && kill "$app_pid" 2>/dev/null || true
    kill "$xvfb_pid" 2>/dev/null || true
    wait 2>/dev/null || true
    rm -rf "$tmp"
}
trap cleanup EXIT
for _ in $(seq 50); do [ -e "/tmp/.X11-unix/X$display" ] && break; sleep 0.1; done
export DISPLAY=":$display"

export XDG_CONFIG_HOME="$tmp/config" XDG_DATA_HOME="$tmp/data" XDG_CACHE_HOME="$tmp/cache"
export EVALSANDBOX_DB="$tmp/results.sqlite" EVALSANDBOX_WORKSPACE="$tmp/workspace.json"
export EVALSANDBOX_AUTORUN=demo
# Window size and position without a window manager: the whole screen.
mkdir -p "$XDG_CONFIG_HOME/evalsandbox"
"$app" -geometry "${width}x${height}+0+0" >"$tmp/app.log" 2>&1 &
app_pid=$!

wait_for_log() { # pattern, seconds
    for _ in $(seq $(($2 * 10))); do
        # The app logs to evalsandbox.log in its data folder (<XDG_DATA_HOME>/evalsandbox/evalsandbox).
        log="$(find "$XDG_DATA_HOME" -name evalsandbox.log 2>/dev/null | head -1 || true)"
        [ -n "$log" ] && grep -q "$1" "$log" && return 0
        kill -0 "$app_pid" 2>/dev/null || { echo "the app exited:" >&2; cat "$tmp/app.log" >&2; exit 1; }
        sleep 0.1
    done
    echo "timed out waiting for '$1' in the log" >&2
    return 1
}
shot() { # name
    sleep "${SETTLE:-1.5}" # let the coalescing timers repaint
    import -window root "$out/$1.png"
    echo "$out/$1.png"
}
keys() {
    xdotool search --sync --name "AGI Evaluation Sandbox" windowfocus --sync >/dev/null 2>&1 || true
    xdotool key --clearmodifiers "$@"
}

wait_for_log "run .* started" 30
SETTLE=0.5 shot dashboard-live
wait_for_log "run .* ended" 300
shot dashboard
keys ctrl+shift+s
# Select a sample so that the detail pane shows it (the window fills the screen, so its layout is known: the third
# row of the samples table).
sleep 1
xdotool mousemove 200 350 click 1
shot results-browser
if [ -n "${PAGES:-}" ]; then
    for i in 1 2 3 4 5; do
        keys "ctrl+$i"
        shot "page-$i"
    done
fi
