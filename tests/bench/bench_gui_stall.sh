#!/usr/bin/env bash
# GUI stall benchmark: the live dashboard is shown (under Xvfb) while a run goes at thousands of requests
# per second against a private nginx (echo module) on loopback; a 5 ms timer on the GUI thread measures its own
# lateness. Prints p50/p99/max lateness next to the targets (p99 <= 30 ms, max <= 100 ms) and the achieved req/s,
# for the run itself and for its finalisation (workers joined, writer flushed, exact summary computed from the
# store: from RunController::drained() to runFinished(); target max <= 100 ms), and the lateness after it until the
# view shows the exact figures. Targets are printed, never asserted.
#
# Environment:
#   BENCH_SAMPLES      samples in the generated dataset (default 200000; the finalisation of a large run:
#                      BENCH_SAMPLES=1000000)
#   BENCH_CONCURRENCY  in-flight requests (default 64)
#   BENCH_MODES        which runs, in order (default "shown hidden"):
#                        shown   the live dashboard alone
#                        hidden  no dashboard (the baseline: what the engine alone costs the GUI thread)
#                        window  the whole main window (every page; the Runs page reopens the ended run)
#   BENCH_OUT_DIR      if set, the plan, store, probe output and a screenshot of the dashboard are copied there
#   EVS_BUILD_DIR      build dir holding gui_stall_probe (default <repo>/build); built there if missing
#
# BENCH_OUT_DIR keeps stall-MODE.json, the stores, probe-MODE.log and MODE.png (the view at the end of the run).
#
# Exit status: 0 when every tool ran and both runs completed; 1 otherwise; 130 when interrupted.
set -euo pipefail

SCRIPT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO_DIR=$(cd "$SCRIPT_DIR/../.." && pwd)

BENCH_SAMPLES=${BENCH_SAMPLES:-200000}
BENCH_CONCURRENCY=${BENCH_CONCURRENCY:-64}
BENCH_MODES=${BENCH_MODES:-shown hidden}
BENCH_OUT_DIR=${BENCH_OUT_DIR:-}
EVS_BUILD_DIR=${EVS_BUILD_DIR:-$REPO_DIR/build}

TARGET_RPS=5000
TARGET_P99_MS=30
TARGET_MAX_MS=100

RESPONSE_BODY='{"id":"chatcmpl-bench0001","object":"chat.completion","created":1732700000,"model":"bench-model","system_fingerprint":"fp_bench","choices":[{"index":0,"message":{"role":"assistant","content":"The answer is B.","refusal":null},"logprobs":null,"finish_reason":"stop"}],"usage":{"prompt_tokens":42,"completion_tokens":5,"total_tokens":47}}'

log() { printf '[gui-stall] %s\n' "$*" >&2; }
die() {
    printf '[gui-stall] ERROR: %s\n' "$*" >&2
    exit 1
}
# shellcheck source=lib_nginx.sh
source "$SCRIPT_DIR/lib_nginx.sh"

[[ $BENCH_SAMPLES =~ ^[0-9]+$ && $BENCH_SAMPLES -gt 0 ]] || die "BENCH_SAMPLES must be a positive integer"
[[ $BENCH_CONCURRENCY =~ ^[0-9]+$ && $BENCH_CONCURRENCY -gt 0 ]] || die "BENCH_CONCURRENCY must be a positive integer"
read -r -a MODES <<<"$BENCH_MODES"
((${#MODES[@]} > 0)) || die "BENCH_MODES is empty"
for m in "${MODES[@]}"; do
    [[ $m == shown || $m == hidden || $m == window ]] || die "BENCH_MODES: unknown mode '$m' (shown, hidden, window)"
done

WORK=""
CHILD_PID=""
cleanup() {
    local rc=$?
    trap - EXIT INT TERM
    if [[ -n $CHILD_PID ]] && kill -0 "$CHILD_PID" 2>/dev/null; then
        kill -TERM "$CHILD_PID" 2>/dev/null || true
        wait "$CHILD_PID" 2>/dev/null || true
    fi
    nginx_stop
    if [[ -n $WORK && -d $WORK ]]; then
        if [[ -n $BENCH_OUT_DIR ]] && mkdir -p "$BENCH_OUT_DIR"; then
            cp "$WORK"/*.json "$WORK"/*.db "$WORK"/*.png "$WORK"/*.log "$BENCH_OUT_DIR"/ 2>/dev/null || true
        fi
        rm -rf "$WORK"
    fi
    exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

bench_install_packages nginx libnginx-mod-http-echo curl jq xvfb xauth

PROBE="$EVS_BUILD_DIR/gui_stall_probe"
if [[ ! -x $PROBE ]]; then
    log "no $PROBE: building it"
    if [[ ! -f $EVS_BUILD_DIR/CMakeCache.txt ]]; then
        cmake -S "$REPO_DIR" -B "$EVS_BUILD_DIR" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo >&2 || die "configure failed"
    fi
    cmake --build "$EVS_BUILD_DIR" --target gui_stall_probe >&2 || die "building gui_stall_probe failed"
fi

WORK=$(mktemp -d "${TMPDIR:-/tmp}/evs-gui-stall.XXXXXX")
nginx_start

awk -v n="$BENCH_SAMPLES" 'BEGIN {
    split("A B C D", letter, " ")
    for (i = 0; i < n; i++)
        printf("{\"id\":\"q%07d\",\"question\":\"Question %d: which option is correct?\",\"answer\":\"The answer is %s.\"}\n",
               i, i, letter[i % 4 + 1])
}' >"$WORK/dataset.jsonl"

cat >"$WORK/plan.json" <<JSON
{
  "name": "gui-stall-$BENCH_SAMPLES",
  "seed": 1,
  "models": [
    {
      "id": "nginx-fast",
      "provider": "openai",
      "base_url": "http://127.0.0.1:$PORT/fast/v1",
      "model": "bench-model",
      "stream": false,
      "concurrency": $BENCH_CONCURRENCY,
      "timeout_ms": 30000,
      "retries": { "max_attempts": 1 }
    }
  ],
  "benchmarks": [
    {
      "id": "synthetic-$BENCH_SAMPLES",
      "dataset": "dataset.jsonl",
      "format": "jsonl",
      "fields": { "input": "question", "target": "answer" },
      "scorer": { "type": "exact_match" }
    }
  ],
  "run": { "mode": "eval", "concurrency": $BENCH_CONCURRENCY, "cache": false }
}
JSON

# One run per mode: the dashboard shown (the figure that matters), none (the baseline: what the engine alone costs the
# GUI thread, so that the dashboard's own share is visible), or the whole main window.
run_probe() { # mode (shown|hidden|window) -> prints the STALLJSON line
    local mode=$1 args=() rc=0
    [[ $mode == hidden ]] && args+=(--hidden)
    [[ $mode == window ]] && args+=(--window)
    [[ $mode != hidden ]] && args+=(--screenshot "$WORK/$mode.png")
    rm -f "$WORK/run-$mode.db"
    log "[$mode] $PROBE under Xvfb (${BENCH_SAMPLES} samples, concurrency $BENCH_CONCURRENCY)"
    xvfb-run -a -s "-screen 0 1600x1200x24" env QT_QPA_PLATFORM=xcb "$PROBE" --plan "$WORK/plan.json" \
        --db "$WORK/run-$mode.db" "${args[@]}" >"$WORK/probe-$mode.log" 2>&1 &
    CHILD_PID=$!
    wait "$CHILD_PID" || rc=$?
    CHILD_PID=""
    local line
    line=$(sed -n 's/^STALLJSON //p' "$WORK/probe-$mode.log" | tail -n 1)
    if [[ -z $line ]]; then
        tail -n 30 "$WORK/probe-$mode.log" >&2
        die "[$mode] the probe printed no figures (status $rc)"
    fi
    ((rc == 0)) || log "[$mode] the probe exited with status $rc (run not completed)"
    printf '%s\n' "$line" >"$WORK/stall-$mode.json"
    printf '%s\n' "$line"
}

load0=$(cut -d' ' -f1-3 /proc/loadavg)
declare -A RESULT
for m in "${MODES[@]}"; do
    RESULT[$m]=$(run_probe "$m")
done
load1=$(cut -d' ' -f1-3 /proc/loadavg)

j() { jq -r "$2" <<<"${RESULT[$1]}"; }
fmt() { awk -v v="$2" "BEGIN { printf \"$1\", v }"; }
met() { awk "BEGIN { print (($1) ? \"met\" : \"MISSED\") }"; }
first=${MODES[0]}
title() {
    case $1 in
    shown) echo "dashboard shown" ;;
    hidden) echo "no dashboard" ;;
    window) echo "main window" ;;
    esac
}
row() { # label, then one value per mode, then the target
    local label=$1 target=${*: -1}
    shift
    printf '  %-40s' "$label"
    local n=$#
    for ((k = 1; k < n; k++)); do printf ' %18s' "${!k}"; done
    printf '  %s\n' "$target"
}
per_mode() { # jq filter [printf format] -> one value per mode
    local v
    for m in "${MODES[@]}"; do
        v=$(j "$m" "$1")
        if [[ -n ${2:-} ]]; then fmt "$2" "$v"; else printf '%s' "$v"; fi
        printf '\n'
    done
}
line() { # label, jq filter, format, target
    local vals
    mapfile -t vals < <(per_mode "$2" "$3")
    row "$1" "${vals[@]}" "$4"
}
echo
echo "GUI stall probe: live dashboard under Xvfb during a run against nginx on 127.0.0.1 ($(date -u '+%Y-%m-%d %H:%M UTC'))"
echo "  machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | sed 's/.*: //'), load avg $load0 at start, $load1 at end"
if awk -v l="${load0%% *}" -v c="$(nproc)" 'BEGIN { exit !(l > c) }'; then
    echo "  WARNING: the machine was busy at start (load > cores): other work competes for the GUI thread's core."
fi
echo "  lateness = interval between two ticks of a 5 ms PreciseTimer on the GUI thread, minus 5 ms"
echo "  targets apply to the first mode ($(title "$first"))"
titles=()
dashes=()
for m in "${MODES[@]}"; do
    titles+=("$(title "$m")")
    dashes+=("------------------")
done
row "" "${titles[@]}" "TARGET (not asserted)"
row "----------------------------------------" "${dashes[@]}" "----------------------------"
line "run" '"\(.status) \(.requests)"' "" ""
line "achieved req/s (requests / wall)" .requests_per_s %.0f \
    ">= $TARGET_RPS: $(met "$(j "$first" .requests_per_s) >= $TARGET_RPS")"
line "engine req/s (first send..last end)" .engine_requests_per_s %.0f ""
line "probe ticks (run)" .probe_ticks "" ""
for q in p50 p90 p99 max; do
    target=""
    [[ $q == p99 ]] && target="<= $TARGET_P99_MS ms: $(met "$(j "$first" .lateness_ms.p99) <= $TARGET_P99_MS")"
    [[ $q == max ]] && target="<= $TARGET_MAX_MS ms: $(met "$(j "$first" .lateness_ms.max) <= $TARGET_MAX_MS")"
    line "lateness $q (ms)" ".lateness_ms.$q" %.2f "$target"
done
line "finalisation: drained..runFinished (ms)" .finalize_ms %.0f ""
line "finalisation: probe ticks" .finalize_ticks "" ""
line "finalisation: lateness p99 (ms)" .finalize_lateness_ms.p99 %.2f ""
line "finalisation: lateness max (ms)" .finalize_lateness_ms.max %.2f \
    "<= $TARGET_MAX_MS ms: $(met "$(j "$first" .finalize_lateness_ms.max) <= $TARGET_MAX_MS")"
line "after it, until the view is exact (ms)" .after_ms %.0f ""
line "after it: lateness max (ms)" .after_lateness_ms.max %.2f ""
line "dashboard redraws" .dashboard_redraws "" ""
line "redraw mean (ms)" .dashboard_redraw_mean_ms %.2f ""
line "redraw max (ms)" .dashboard_redraw_max_ms %.1f ""
echo "Targets are shown for reference only and are not asserted."
for m in "${MODES[@]}"; do
    [[ $(j "$m" .status) == completed ]] || exit 1
done
