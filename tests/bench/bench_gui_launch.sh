#!/usr/bin/env bash
# Time from launch to a shown main window (target <= 500 ms). Prints figures, asserts nothing.
# The app's probe (EVALSANDBOX_LAUNCH_PROBE=exit) prints "launch-ms: N" - the time from main() to the main window's
# first Expose event - and quits; the script also prints the wall time from fork to exit (process start, dynamic
# linking and teardown included). Runs under Xvfb with throwaway settings, workspace and store.
#
#   tests/bench/bench_gui_launch.sh [BUILD_DIR] [RUNS]       (defaults: build, 10)
set -euo pipefail

here="$(cd "$(dirname "$0")/../.." && pwd)"
build="${1:-$here/build}"
runs="${2:-10}"
app="$build/evalsandbox"
[ -x "$app" ] || { echo "no $app: build the evalsandbox target first" >&2; exit 1; }
command -v Xvfb >/dev/null || { echo "Xvfb is needed (apt-get install xvfb)" >&2; exit 1; }

tmp="$(mktemp -d)"
display=99
while [ -e "/tmp/.X11-unix/X$display" ] || [ -e "/tmp/.X$display-lock" ]; do display=$((display + 1)); done
Xvfb ":$display" -screen 0 1400x900x24 -nolisten tcp >"$tmp/xvfb.log" 2>&1 &
xvfb_pid=$!
trap 'kill $xvfb_pid 2>/dev/null || true; wait 2>/dev/null || true; rm -rf "$tmp"' EXIT
for _ in $(seq 50); do [ -e "/tmp/.X11-unix/X$display" ] && break; sleep 0.1; done

export DISPLAY=":$display"
export XDG_CONFIG_HOME="$tmp/config" XDG_DATA_HOME="$tmp/data" XDG_CACHE_HOME="$tmp/cache"
export EVALSANDBOX_DB="$tmp/results.sqlite" EVALSANDBOX_WORKSPACE="$tmp/workspace.json"
export EVALSANDBOX_LAUNCH_PROBE=exit

probe=()
wall=()
for i in $(seq "$runs"); do
    start=$(date +%s%N)
    line="$(timeout 30 "$app" 2>/dev/null | grep -m1 '^launch-ms:' || true)"
    end=$(date +%s%N)
    ms="${line#launch-ms: }"
    [ -n "$line" ] || ms="n/a"
    probe+=("$ms")
    wall+=("$(( (end - start) / 1000000 ))")
    label="warm"
    [ "$i" -eq 1 ] && label="first launch (creates the demo workspace)"
    printf 'run %2d: main() to window exposed %8s ms   fork to exit %5s ms   %s\n' "$i" "$ms" "${wall[-1]}" "$label"
done

summary() { # name values...
    local name="$1"; shift
    printf '%s\n' "$@" | grep -v 'n/a' | sort -n | awk -v name="$name" '
        { v[NR] = $1 } END { if (NR == 0) { print name ": no data"; exit }
          printf "%s: n=%d  min %.1f  median %.1f  max %.1f ms\n", name, NR, v[1], v[int((NR + 1) / 2)], v[NR] }'
}
echo "--- evalsandbox launch on $(nproc) cores, Xvfb (target: window shown <= 500 ms)"
summary "main() to window exposed" "${probe[@]}"
summary "fork to exit (incl. teardown)" "${wall[@]}"
