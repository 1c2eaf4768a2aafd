#!/usr/bin/env bash
# Streaming benchmark: generates a JSONL dataset of BENCH_GB gigabytes and evaluates all of it against the
# in-process simulator (latency 0) with evalsandbox-cli, under /usr/bin/time -v. Prints the dataset's size and
# samples, the run's wall time, samples/s and the CLI's maximum RSS, next to the target (RSS < 150 MB, whatever
# the dataset's size: readers stream). Targets are printed, not asserted.
#
# Environment:
#   BENCH_GB           dataset size in GB (default 1; e.g. 0.01 for a smoke run)
#   BENCH_RECORD_BYTES approximate size of one record (default 1000)
#   BENCH_CONCURRENCY  in-flight requests (default 64)
#   BENCH_CLI_TIMEOUT  upper bound in seconds for the run (default 7200)
#   BENCH_OUT_DIR      where the dataset, plan, store and reports go (default: a temporary folder, removed)
#   EVS_BUILD_DIR      build dir holding evalsandbox-cli (default <repo>/build); built there if missing
#
# Exit status: 0 when the run completed, 1 when a tool failed, 130 when interrupted.
set -euo pipefail

SCRIPT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO_DIR=$(cd "$SCRIPT_DIR/../.." && pwd)
BENCH_GB=${BENCH_GB:-1}
BENCH_RECORD_BYTES=${BENCH_RECORD_BYTES:-1000}
BENCH_CONCURRENCY=${BENCH_CONCURRENCY:-64}
BENCH_CLI_TIMEOUT=${BENCH_CLI_TIMEOUT:-7200}
EVS_BUILD_DIR=${EVS_BUILD_DIR:-$REPO_DIR/build}
TARGET_RSS_MB=150

CLI="$EVS_BUILD_DIR/evalsandbox-cli"
if [[ ! -x $CLI ]]; then
    echo "building evalsandbox-cli in $EVS_BUILD_DIR" >&2
    cmake -S "$REPO_DIR" -B "$EVS_BUILD_DIR" -G Ninja >/dev/null && cmake --build "$EVS_BUILD_DIR" --target evalsandbox-cli >/dev/null \
        || { echo "build failed" >&2; exit 1; }
fi
[[ -x /usr/bin/time ]] || { echo "needs /usr/bin/time (Debian package 'time')" >&2; exit 1; }

if [[ -n ${BENCH_OUT_DIR:-} ]]; then
    OUT=$BENCH_OUT_DIR
    mkdir -p "$OUT"
else
    OUT=$(mktemp -d)
    trap 'rm -rf "$OUT"' EXIT
fi
trap 'exit 130' INT TERM

DATA="$OUT/dataset.jsonl"
echo "generating $BENCH_GB GB of JSON Lines in $DATA" >&2
python3 - "$DATA" "$BENCH_GB" "$BENCH_RECORD_BYTES" <<'PY'
import json, sys
path, gb, record_bytes = sys.argv[1], float(sys.argv[2]), int(sys.argv[3])
target = int(gb * 1e9)
filler = ("lorem ipsum dolor sit amet " * (record_bytes // 27 + 1))
written, i = 0, 0
with open(path, "w", buffering=1 << 20) as f:
    while written < target:
        a, b = i % 997, i % 101
        rec = {"id": f"s{i}", "category": f"c{i % 7}", "question": f"What is {a} + {b}?", "answer": str(a + b),
               "context": ""}
        pad = record_bytes - len(json.dumps(rec)) - 1
        rec["context"] = filler[:max(0, pad)]
        line = json.dumps(rec) + "\n"
        f.write(line)
        written += len(line)
        i += 1
print(i, file=open(path + ".count", "w"))
PY
SAMPLES=$(cat "$DATA.count")
BYTES=$(stat -c %s "$DATA")

cat > "$OUT/plan.json" <<JSON
{ "name": "dataset-${BENCH_GB}gb", "seed": 1,
  "models": [ { "id": "sim", "provider": "simulator", "stream": false, "concurrency": $BENCH_CONCURRENCY,
                "simulate": { "accuracy": 0.8, "latency_ms": 0, "tail_ms": 0, "token_ms": 0 } } ],
  "benchmarks": [ { "id": "big", "dataset": "dataset.jsonl", "scorer": { "type": "exact_match" } } ] }
JSON

echo "evaluating $SAMPLES samples against the in-process simulator" >&2
START=$(date +%s.%N)
set +e
timeout "$BENCH_CLI_TIMEOUT" /usr/bin/time -v -o "$OUT/time.txt" "$CLI" run "$OUT/plan.json" --db "$OUT/results.db" \
    --json "$OUT/summary.json" >"$OUT/run.out" 2>"$OUT/run.err"
STATUS=$?
set -e
END=$(date +%s.%N)
if [[ $STATUS -ne 0 ]]; then
    echo "evalsandbox-cli exited with $STATUS; see $OUT/run.err" >&2
    tail -5 "$OUT/run.err" >&2
    exit 1
fi
RSS_KB=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$OUT/time.txt")
python3 - "$BYTES" "$SAMPLES" "$START" "$END" "$RSS_KB" "$TARGET_RSS_MB" "$OUT/summary.json" <<'PY'
import json, sys
size, samples, start, end, rss_kb, target, summary = sys.argv[1:8]
wall = float(end) - float(start)
rss_mb = int(rss_kb) / 1024
print(f"dataset        {int(size) / 1e9:.3f} GB, {int(samples)} samples")
print(f"wall time      {wall:.1f} s")
print(f"samples/s      {int(samples) / wall:.0f}")
print(f"max RSS        {rss_mb:.1f} MB (target < {target} MB: {'met' if rss_mb < float(target) else 'MISSED'})")
try:
    s = json.load(open(summary))
    print("summary       ", json.dumps(s)[:300])
except Exception as e:  # the figures above stand without it
    print(f"summary        unreadable ({e})")
PY
