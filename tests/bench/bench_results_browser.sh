#!/usr/bin/env bash
# Results browser benchmark: a 1,000,000-sample run is written straight into a fresh store with
# ResultsWriter (results_scroll_probe generate), then the real ResultsBrowser is opened on it (offscreen, or under
# Xvfb when BENCH_XVFB=1) and scrolled from top to bottom one viewport page at a time. Each page's cost is the time
# from moving the scroll bar until every visible row is read from the store and painted. Also: 50 random jumps (the
# thumb dragged anywhere), the time to index the run (count + page anchors, on the worker thread), and the process's
# RSS with the run open. Targets are printed next to the figures, never asserted: no page > 50 ms, RSS <= 300 MB.
#
# Environment:
#   BENCH_SAMPLES  records in the generated run (default 1000000)
#   BENCH_OUT_DIR  if set, the store, the probe's JSON and a screenshot are kept there
#   EVS_BUILD_DIR  build dir holding results_scroll_probe (default <repo>/build); built there if missing
#   BENCH_SORTS    extra sort orders scrolled after the default one, e.g. "score:desc latency" (default "score:desc");
#                  on a store without the proposed browse indexes these are full scans per page (see the README)
#   BENCH_PROPOSED_INDEXES=1  create the indexes proposed for models/store in the generated store
#   BENCH_XVFB=1   run the probe under xvfb-run instead of the offscreen platform
#
# Exit status: 0 when every step ran; 1 otherwise.
set -euo pipefail

SCRIPT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO_DIR=$(cd "$SCRIPT_DIR/../.." && pwd)
BENCH_SAMPLES=${BENCH_SAMPLES:-1000000}
BENCH_OUT_DIR=${BENCH_OUT_DIR:-}
EVS_BUILD_DIR=${EVS_BUILD_DIR:-$REPO_DIR/build}
BENCH_SORTS=${BENCH_SORTS:-score:desc}
BENCH_PROPOSED_INDEXES=${BENCH_PROPOSED_INDEXES:-0}
BENCH_XVFB=${BENCH_XVFB:-0}

log() { printf '[results-browser] %s\n' "$*" >&2; }
die() {
    printf '[results-browser] ERROR: %s\n' "$*" >&2
    exit 1
}

PROBE="$EVS_BUILD_DIR/results_scroll_probe"
if [[ ! -x "$PROBE" ]]; then
    log "building results_scroll_probe in $EVS_BUILD_DIR"
    [[ -f "$EVS_BUILD_DIR/build.ninja" || -f "$EVS_BUILD_DIR/Makefile" ]] ||
        cmake -S "$REPO_DIR" -B "$EVS_BUILD_DIR" -G Ninja >/dev/null || die "cannot configure $EVS_BUILD_DIR"
    cmake --build "$EVS_BUILD_DIR" --target results_scroll_probe >/dev/null || die "cannot build results_scroll_probe"
fi
command -v python3 >/dev/null || die "python3 is needed to print the figures"

WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
DB="$WORK/results.sqlite"

GEN_ARGS=()
[[ "$BENCH_PROPOSED_INDEXES" == 1 ]] && GEN_ARGS+=(--proposed-indexes)
log "writing a run of $BENCH_SAMPLES samples with ResultsWriter"
START=$(date +%s.%N)
RUN_ID=$("$PROBE" generate "$DB" "$BENCH_SAMPLES" "${GEN_ARGS[@]}") || die "generator failed"
END=$(date +%s.%N)
DB_MB=$(du -m "$DB" | cut -f1)
log "run $RUN_ID written in $(python3 -c "print(f'{$END-$START:.1f}')") s; store $DB_MB MB"

run_probe() {
    if [[ "$BENCH_XVFB" == 1 ]]; then
        command -v xvfb-run >/dev/null || die "xvfb-run missing (apt-get install xvfb)"
        QT_QPA_PLATFORM=xcb xvfb-run -a -s "-screen 0 1600x1000x24" "$PROBE" "$@"
    else
        QT_QPA_PLATFORM=offscreen "$PROBE" "$@"
    fi
}

report() { # $1 = json file, $2 = label
    python3 - "$1" "$2" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
label = sys.argv[2]
pc, jc, rss = r["page_cost"], r["jump_cost"], r["rss_mb"]
print(f"== {label}: {r['rows']:,} rows, sort {r['sort']}")
print(f"   index (count + page anchors, worker thread): {r['index_ms']:.0f} ms; first page shown {r['first_page_ms']:.1f} ms")
print(f"   scrolled {int(r['page_steps']):,} viewport pages of {r['visible_rows']} rows, reached end: {r['reached_end']} (last row {r['last_visible_row']:,})")
print(f"   page cost ms: p50 {pc['p50_ms']:.1f}  p90 {pc['p90_ms']:.1f}  p99 {pc['p99_ms']:.1f}  p99.9 {pc['p999_ms']:.1f}  max {pc['max_ms']:.1f}   pages > 50 ms: {int(pc['over_50ms'])}   (target: none > 50 ms)")
gc = r["page_gui_cpu"]
print(f"   GUI-thread CPU per page ms: p50 {gc['p50_ms']:.1f}  p99 {gc['p99_ms']:.1f}  max {gc['max_ms']:.1f}   (what the page costs without the machine's other load)")
print(f"   steps that waited for a store page: {int(r['steps_that_waited_for_the_store'])}; store pages read: {int(r['pages_read'])}; cached now: {r['cached_pages']}")
print(f"   random jumps ms: p50 {jc['p50_ms']:.1f}  p90 {jc['p90_ms']:.1f}  max {jc['max_ms']:.1f}")
print(f"   RSS MB: before open {rss['before_open']:.0f}, run open {rss['open']:.0f}, after scrolling {rss['after_scroll']:.0f}, peak {rss['peak']:.0f}   (target <= 300 MB)")
PY
}

log "load average before scrolling: $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) cores (wall-clock figures include waiting for a core)"
log "scrolling the table, default order (sample)"
SHOT="$WORK/results-browser.png"
run_probe scroll "$DB" "$RUN_ID" --shot "$SHOT" >"$WORK/scroll-sample.json" 2>"$WORK/scroll-sample.log" ||
    die "probe failed: $(tail -5 "$WORK/scroll-sample.log")"
report "$WORK/scroll-sample.json" "default order"

for spec in $BENCH_SORTS; do
    key=${spec%%:*}
    args=(--sort "$key")
    [[ "$spec" == *:desc ]] && args+=(--desc)
    # Without an index on the sort key each page is a scan of the run: a bounded number of steps says enough.
    [[ "$BENCH_PROPOSED_INDEXES" == 1 ]] || args+=(--max-steps 300)
    log "scrolling the table sorted by $spec"
    run_probe scroll "$DB" "$RUN_ID" "${args[@]}" >"$WORK/scroll-$key.json" 2>"$WORK/scroll-$key.log" ||
        die "probe failed: $(tail -5 "$WORK/scroll-$key.log")"
    report "$WORK/scroll-$key.json" "sorted by $spec$([[ "$BENCH_PROPOSED_INDEXES" == 1 ]] && echo ', proposed indexes' || echo ', no index on the key (300 steps)')"
done

if [[ -n "$BENCH_OUT_DIR" ]]; then
    mkdir -p "$BENCH_OUT_DIR"
    cp "$WORK"/scroll-*.json "$BENCH_OUT_DIR"/
    [[ -f "$SHOT" ]] && cp "$SHOT" "$BENCH_OUT_DIR"/
    cp "$DB" "$BENCH_OUT_DIR/results-browser.sqlite"
    log "kept the figures, the screenshot and the store in $BENCH_OUT_DIR"
fi
