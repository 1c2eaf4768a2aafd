#!/usr/bin/env bash
# GUI stall benchmark: the live dashboard is shown (under Xvfb) while a run goes at thousands of requests
# per second against a private nginx (echo module) on loopback; a 5 ms timer on the GUI thread measures its own
# lateness. Prints p50/p99/max lateness next to the targets (p99 <= 30 ms, max <= 100 ms) and the achieved req/s.
# Targets are printed, never asserted.
#
# Environment:
#   BENCH_SAMPLES      samples in the generated dataset (default 200000)
#   BENCH_CONCURRENCY  in-flight requests (default 64)
#   BENCH_OUT_DIR      if set, the plan, store, probe output and a screenshot of the dashboard are copied there
#   EVS_BUILD_DIR      build dir holding gui_stall_probe (default <repo>/build); built there if missing
#
# Two runs: with the dashboard shown, then without it (the baseline). BENCH_OUT_DIR keeps stall-*.json, the stores
# and dashboard.png (the dashboard at the end of the run).
#
# Exit status: 0 when every tool ran and both runs completed; 1 otherwise; 130 when interrupted.
set -euo pipefail

SCRIPT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO_DIR=$(cd "$SCRIPT_DIR/../.." && pwd)

BENCH_SAMPLES=${BENCH_SAMPLES:-200000}
BENCH_CONCURRENCY=${BENCH_CONCURRENCY:-64}
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

# One run with the dashboard shown (the figure that matters) and one without it (the baseline: what the engine alone
# costs the GUI thread), so that the dashboard's own share is visible.
run_probe() { # mode (shown|hidden) -> prints the STALLJSON line
    local mode=$1 args=() rc=0
    [[ $mode == hidden ]] && args+=(--hidden)
    [[ $mode == shown ]] && args+=(--screenshot "$WORK/dashboard.png")
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
SHOWN=$(run_probe shown)
HIDDEN=$(run_probe hidden)

js() { jq -r "$1" <<<"$SHOWN"; }
jh() { jq -r "$1" <<<"$HIDDEN"; }
fmt() { awk -v v="$2" "BEGIN { printf \"$1\", v }"; }
met() { awk "BEGIN { print (($1) ? \"met\" : \"MISSED\") }"; }
row() { printf '  %-38s %18s %18s  %s\n' "$1" "$2" "$3" "$4"; }
echo
echo "GUI stall probe: live dashboard under Xvfb during a run against nginx on 127.0.0.1 ($(date -u '+%Y-%m-%d %H:%M UTC'))"
echo "  machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | sed 's/.*: //'), load avg $load0 at start"
if awk -v l="${load0%% *}" -v c="$(nproc)" 'BEGIN { exit !(l > c) }'; then
    echo "  WARNING: the machine was busy at start (load > cores): other work competes for the GUI thread's core."
fi
echo "  lateness = interval between two ticks of a 5 ms PreciseTimer on the GUI thread, minus 5 ms"
row "" "dashboard shown" "no dashboard" "TARGET (shown; not asserted)"
row "--------------------------------------" "------------------" "------------------" "----------------------------"
row "run" "$(js .status) $(js .requests)" "$(jh .status) $(jh .requests)" ""
row "achieved req/s (requests / wall)" "$(fmt %.0f "$(js .requests_per_s)")" "$(fmt %.0f "$(jh .requests_per_s)")" \
    ">= $TARGET_RPS: $(met "$(js .requests_per_s) >= $TARGET_RPS")"
row "engine req/s (first send..last end)" "$(fmt %.0f "$(js .engine_requests_per_s)")" \
    "$(fmt %.0f "$(jh .engine_requests_per_s)")" ""
row "probe ticks" "$(js .probe_ticks)" "$(jh .probe_ticks)" ""
for q in p50 p90 p99 max; do
    target=""
    [[ $q == p99 ]] && target="<= $TARGET_P99_MS ms: $(met "$(js .lateness_ms.p99) <= $TARGET_P99_MS")"
    [[ $q == max ]] && target="<= $TARGET_MAX_MS ms: $(met "$(js .lateness_ms.max) <= $TARGET_MAX_MS")"
    row "lateness $q (ms)" "$(fmt %.2f "$(js ".lateness_ms.$q")")" "$(fmt %.2f "$(jh ".lateness_ms.$q")")" "$target"
done
row "dashboard redraws" "$(js .dashboard_redraws)" "-" ""
row "redraw mean / max (ms)" "$(fmt %.2f "$(js .dashboard_redraw_mean_ms)") / $(fmt %.1f "$(js .dashboard_redraw_max_ms)")" "-" ""
echo "Targets are shown for reference only and are not asserted."
[[ $(js .status) == completed && $(jh .status) == completed ]] || exit 1
