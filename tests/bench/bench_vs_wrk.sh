#!/usr/bin/env bash
# Side-by-side benchmark: evalsandbox-cli against wrk, both against the same private nginx on loopback.
#
# For each server path (an immediate answer, and one that waits 50 ms first) it runs
#   (a) wrk -t2 -c64 -d<N>s --latency -s post.lua URL   (the raw HTTP ceiling on this machine), then
#   (b) evalsandbox-cli run plan.json                    (a whole evaluation: one openai model, concurrency 64,
#       one benchmark of BENCH_SAMPLES generated samples, exact_match), under /usr/bin/time -v,
# and prints one table per path. Targets are printed next to the figures; they are NOT asserted.
#
# Environment:
#   BENCH_SAMPLES       samples in the generated dataset (default 100000)
#   BENCH_WRK_SECONDS   wrk duration per path (default 10)
#   BENCH_CONCURRENCY   connections (wrk) and in-flight requests (evalsandbox-cli) (default 64)
#   BENCH_PATHS         which paths to run, among "fast slow" (default both)
#   BENCH_CLI_TIMEOUT   upper bound in seconds for one evalsandbox-cli run (default 900)
#   BENCH_CLI_LOG_LEVEL passed as --log-level to evalsandbox-cli (default: the CLI's default, warn)
#   BENCH_OUT_DIR       if set, plans, result stores (.db), summaries, logs and time reports are copied there
#   EVS_BUILD_DIR       build dir holding evalsandbox-cli (default <repo>/build); built there if missing
#
# Exit status: 0 when every tool ran; 1 when one failed (install, build, nginx, wrk, evalsandbox-cli);
# 130 when interrupted. Missed targets do not change it.
set -euo pipefail

SCRIPT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO_DIR=$(cd "$SCRIPT_DIR/../.." && pwd)

BENCH_SAMPLES=${BENCH_SAMPLES:-100000}
BENCH_WRK_SECONDS=${BENCH_WRK_SECONDS:-10}
BENCH_CONCURRENCY=${BENCH_CONCURRENCY:-64}
BENCH_PATHS=${BENCH_PATHS:-fast slow}
BENCH_CLI_TIMEOUT=${BENCH_CLI_TIMEOUT:-900}
BENCH_CLI_LOG_LEVEL=${BENCH_CLI_LOG_LEVEL:-}
BENCH_OUT_DIR=${BENCH_OUT_DIR:-}
EVS_BUILD_DIR=${EVS_BUILD_DIR:-$REPO_DIR/build}

SLOW_DELAY_S=0.05            # must match echo_sleep in nginx.conf.in
TARGET_FAST_SPS=8000         # samples/s, immediate path
TARGET_SLOW_IDEAL_PCT=97     # % of concurrency / delay, 50 ms path
TARGET_SLOW_P50_DELTA_MS=0.5 # p50 over wrk's, 50 ms path
TARGET_RSS_MB=100            # max RSS of evalsandbox-cli

# The fixed, non-streamed OpenAI chat completion nginx answers with (no ' or $: it sits in the nginx config).
RESPONSE_BODY='{"id":"chatcmpl-bench0001","object":"chat.completion","created":1732700000,"model":"bench-model","system_fingerprint":"fp_bench","choices":[{"index":0,"message":{"role":"assistant","content":"The answer is B.","refusal":null},"logprobs":null,"finish_reason":"stop"}],"usage":{"prompt_tokens":42,"completion_tokens":5,"total_tokens":47}}'

log() { printf '[bench] %s\n' "$*" >&2; }
die() {
    printf '[bench] ERROR: %s\n' "$*" >&2
    exit 1
}

is_uint() { [[ $1 =~ ^[0-9]+$ ]] && (($1 > 0)); }
is_uint "$BENCH_SAMPLES" || die "BENCH_SAMPLES must be a positive integer (got '$BENCH_SAMPLES')"
is_uint "$BENCH_WRK_SECONDS" || die "BENCH_WRK_SECONDS must be a positive integer (got '$BENCH_WRK_SECONDS')"
is_uint "$BENCH_CONCURRENCY" || die "BENCH_CONCURRENCY must be a positive integer (got '$BENCH_CONCURRENCY')"
is_uint "$BENCH_CLI_TIMEOUT" || die "BENCH_CLI_TIMEOUT must be a positive integer (got '$BENCH_CLI_TIMEOUT')"
for p in $BENCH_PATHS; do
    [[ $p == fast || $p == slow ]] || die "BENCH_PATHS may only name 'fast' and 'slow' (got '$p')"
done

# ---------------------------------------------------------------------------------------------------------------
# 1. Tools (Debian packages), installed only when missing.
# ---------------------------------------------------------------------------------------------------------------
# shellcheck source=tests/bench/lib_nginx.sh
source "$SCRIPT_DIR/lib_nginx.sh"
install_tools() { bench_install_packages nginx libnginx-mod-http-echo wrk time jq curl; }

# ---------------------------------------------------------------------------------------------------------------
# 2. evalsandbox-cli, built in EVS_BUILD_DIR if it is not there.
# ---------------------------------------------------------------------------------------------------------------
CLI=""
find_cli() {
    CLI="$EVS_BUILD_DIR/evalsandbox-cli"
    if [[ ! -x $CLI ]]; then
        log "no $CLI: building it"
        if [[ ! -f $EVS_BUILD_DIR/CMakeCache.txt ]]; then
            local gen=()
            command -v ninja >/dev/null && gen=(-G Ninja)
            cmake -S "$REPO_DIR" -B "$EVS_BUILD_DIR" "${gen[@]}" -DCMAKE_BUILD_TYPE=RelWithDebInfo >&2 \
                || die "cmake configure of $EVS_BUILD_DIR failed"
        fi
        cmake --build "$EVS_BUILD_DIR" --target evalsandbox-cli >&2 || die "building evalsandbox-cli failed"
        [[ -x $CLI ]] || die "the build did not produce $CLI"
    fi
    # A stale binary is the classic benchmark mistake: say so (the script does not rebuild an existing one).
    local newer
    newer=$(find "$REPO_DIR/app" "$REPO_DIR/models" -type f \( -name '*.cpp' -o -name '*.h' \) -newer "$CLI" \
        2>/dev/null | head -n 3 || true)
    if [[ -n $newer ]]; then
        log "WARNING: sources are newer than $CLI (e.g. ${newer//$'\n'/, }); run: cmake --build $EVS_BUILD_DIR --target evalsandbox-cli"
    fi
}

# ---------------------------------------------------------------------------------------------------------------
# Temp dir, background children, cleanup.
# ---------------------------------------------------------------------------------------------------------------
WORK=""
CHILD_PID=""
cleanup() {
    local rc=$?
    trap - EXIT INT TERM
    if [[ -n $CHILD_PID ]] && kill -0 "$CHILD_PID" 2>/dev/null; then
        kill -TERM "$CHILD_PID" 2>/dev/null || true # timeout(1) passes it on to its command's process group
        wait "$CHILD_PID" 2>/dev/null || true
    fi
    nginx_stop
    if [[ -n $WORK && -d $WORK ]]; then
        if [[ -n $BENCH_OUT_DIR ]]; then
            if mkdir -p "$BENCH_OUT_DIR"; then
                cp -r "$WORK"/. "$BENCH_OUT_DIR"/ 2>/dev/null || true
            fi
            rm -f "$BENCH_OUT_DIR"/dataset.jsonl "$BENCH_OUT_DIR"/check.out 2>/dev/null || true # regenerable
            rm -rf "$BENCH_OUT_DIR/nginx" 2>/dev/null || true
        fi
        rm -rf "$WORK"
    fi
    exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# Runs a command in the background (so that a signal to this script is handled at once) and waits for it.
# Returns the command's status.
run_child() {
    local rc=0
    "$@" &
    CHILD_PID=$!
    wait "$CHILD_PID" || rc=$?
    CHILD_PID=""
    return "$rc"
}

# ---------------------------------------------------------------------------------------------------------------
# 3. Private nginx.
# ---------------------------------------------------------------------------------------------------------------
start_nginx() {
    nginx_start
    log "nginx version: $(nginx -v 2>&1 | sed 's|.*/||')"
}

# Checks that a path answers a POST with 200, JSON, the expected content, after at least min_ms.
check_endpoint() {
    local url=$1 min_ms=$2 out code ctype secs content
    out="$WORK/check.out"
    read -r code ctype secs < <(curl -sS --max-time 5 -o "$out" -X POST -H 'Content-Type: application/json' \
        --data '{"model":"bench-model","messages":[{"role":"user","content":"ping"}]}' \
        -w '%{http_code} %{content_type} %{time_total}\n' "$url") || die "curl $url failed"
    [[ $code == 200 ]] || die "POST $url answered HTTP $code"
    [[ $ctype == application/json* ]] || die "POST $url answered Content-Type '$ctype'"
    content=$(jq -r '.choices[0].message.content' "$out") || die "POST $url: the body is not JSON"
    [[ $content == "The answer is B." ]] || die "POST $url: unexpected content '$content'"
    awk -v s="$secs" -v m="$min_ms" 'BEGIN { exit !(s * 1000 >= m) }' \
        || die "POST $url answered in ${secs}s, expected at least ${min_ms} ms"
    log "checked POST $url: 200 application/json in $(awk -v s="$secs" 'BEGIN { printf "%.1f", s * 1000 }') ms"
}

nginx_worker_cpu_s() {
    # user+sys seconds of nginx's worker(s) so far (fields 14 and 15 of /proc/PID/stat, in clock ticks)
    local hz total=0 pid t
    hz=$(getconf CLK_TCK)
    for pid in $(pgrep -P "$NGINX_PID" || true); do
        t=$(awk '{ print $14 + $15 }' "/proc/$pid/stat" 2>/dev/null || echo 0)
        total=$((total + t))
    done
    awk -v t="$total" -v hz="$hz" 'BEGIN { printf "%.2f", t / hz }'
}

# Connections nginx has accepted so far (its status query included).
nginx_accepts() {
    curl -s --max-time 2 "http://127.0.0.1:$PORT/nginx_status" | awk 'NR == 3 { print $1 }'
}

# Busy CPU seconds of the whole machine so far (all cores; /proc/stat: user nice system irq softirq steal).
machine_busy_s() {
    awk -v hz="$(getconf CLK_TCK)" '/^cpu / { printf "%.2f", ($2 + $3 + $4 + $7 + $8 + $9) / hz; exit }' /proc/stat
}

# Snapshot before a run: sets S_SRV S_ACC S_BUSY. After it: prints "server_cpu connections other_cpu".
snap_before() {
    S_SRV=$(nginx_worker_cpu_s)
    S_ACC=$(nginx_accepts)
    S_BUSY=$(machine_busy_s)
}
snap_after() { # client_cpu_s
    local srv acc busy
    srv=$(nginx_worker_cpu_s)
    acc=$(nginx_accepts)
    busy=$(machine_busy_s)
    awk -v s0="$S_SRV" -v s1="$srv" -v a0="$S_ACC" -v a1="$acc" -v b0="$S_BUSY" -v b1="$busy" -v c="$1" \
        'BEGIN { o = (b1 - b0) - (s1 - s0) - c; if (o < 0) o = 0
                 printf "%.2f %d %.2f\n", s1 - s0, a1 - a0 - 1, o }'
}

# ---------------------------------------------------------------------------------------------------------------
# 4. Dataset and plans.
# ---------------------------------------------------------------------------------------------------------------
make_dataset() {
    # Multiple-choice-like questions; the right letter cycles A, B, C, D, and nginx always says B, so the score
    # must come out at 0.25 (exactly, when BENCH_SAMPLES is a multiple of 4): a check that the whole path ran.
    awk -v n="$BENCH_SAMPLES" 'BEGIN {
        split("A B C D", letter, " ")
        for (i = 0; i < n; i++)
            printf("{\"id\":\"q%06d\",\"question\":\"Question %d: which option is correct?\\nA) %d\\nB) %d\\nC) %d\\nD) %d\\nReply with \\\"The answer is X.\\\"\",\"answer\":\"The answer is %s.\"}\n",
                   i, i, i, i + 1, i + 2, i + 3, letter[i % 4 + 1])
    }' >"$WORK/dataset.jsonl"
}

make_plan() { # path -> plan file
    local path=$1 plan="$WORK/plan-$1.json"
    cat >"$plan" <<EOF
{
  "name": "bench-vs-wrk-$path",
  "seed": 1,
  "models": [
    {
      "id": "nginx-$path",
      "provider": "openai",
      "base_url": "http://127.0.0.1:$PORT/$path/v1",
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
EOF
    printf '%s\n' "$plan"
}

# ---------------------------------------------------------------------------------------------------------------
# 5. Runs.
# ---------------------------------------------------------------------------------------------------------------
FAILED=0

# Prints "CPU_S USER_S SYS_S RSS_MB" (seconds, seconds, seconds, MB) from one `time -v` report.
time_fields() {
    awk -F': ' '
        /User time \(seconds\)/ { u = $2 }
        /System time \(seconds\)/ { s = $2 }
        /Maximum resident set size/ { r = $2 }
        END { printf "%.2f %.2f %.2f %.1f\n", u + s, u, s, r / 1024 }' "$1"
}

run_wrk() { # path -> sets W_* variables
    local path=$1
    local url="http://127.0.0.1:$PORT/$path/v1/chat/completions" out="$WORK/wrk-$path.out" rc=0
    local line threads=2
    ((BENCH_CONCURRENCY < threads)) && threads=$BENCH_CONCURRENCY
    log "[$path] wrk -t$threads -c$BENCH_CONCURRENCY -d${BENCH_WRK_SECONDS}s --latency -s post.lua $url"
    snap_before
    run_child timeout -k 5 $((BENCH_WRK_SECONDS + 60)) /usr/bin/time -v -o "$WORK/wrk-$path.time" \
        wrk -t"$threads" -c"$BENCH_CONCURRENCY" -d"${BENCH_WRK_SECONDS}s" --latency -s "$SCRIPT_DIR/post.lua" "$url" \
        >"$out" 2>&1 || rc=$?
    line=$(sed -n 's/^WRKJSON //p' "$out" | tail -n 1)
    if ((rc != 0)) || [[ -z $line ]]; then
        log "[$path] wrk failed (status $rc):"
        tail -n 20 "$out" >&2 || true
        FAILED=1
        W_OK=0
        return 0
    fi
    W_OK=1
    printf '%s\n' "$line" >"$WORK/wrk-$path.json"
    W_RPS=$(jq -r '.requests_per_s' <<<"$line")
    W_REQ=$(jq -r '.requests' <<<"$line")
    W_P50=$(jq -r '.latency_ms.p50' <<<"$line")
    W_P99=$(jq -r '.latency_ms.p99' <<<"$line")
    W_ERR=$(jq -r '.errors | [to_entries[] | select(.value > 0) | "\(.key) \(.value)"] | join(", ")' <<<"$line")
    [[ -n $W_ERR ]] || W_ERR=none
    read -r W_CPU_S _ _ W_RSS_MB < <(time_fields "$WORK/wrk-$path.time")
    read -r W_SRV_CPU W_CONN W_OTHER < <(snap_after "$W_CPU_S")
}

run_cli() { # path -> sets C_* variables
    local path=$1 plan db="$WORK/run-$1.db" summary="$WORK/summary-$1.json" rc=0 t0 t1
    plan=$(make_plan "$path")
    local args=()
    [[ -n $BENCH_CLI_LOG_LEVEL ]] && args+=(--log-level "$BENCH_CLI_LOG_LEVEL")
    args+=(run "$plan" --db "$db" --json "$summary")
    log "[$path] /usr/bin/time -v $CLI ${args[*]}"
    snap_before
    t0=$(date +%s%N)
    run_child timeout -s INT -k 30 "$BENCH_CLI_TIMEOUT" /usr/bin/time -v -o "$WORK/cli-$path.time" \
        "$CLI" "${args[@]}" >"$WORK/cli-$path.stdout" 2>"$WORK/cli-$path.stderr" || rc=$?
    t1=$(date +%s%N)
    C_RC=$rc
    C_WALL=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f", (b - a) / 1e9 }')
    if ((rc == 124)); then
        log "[$path] evalsandbox-cli did not finish within BENCH_CLI_TIMEOUT=${BENCH_CLI_TIMEOUT}s"
    fi
    if ((rc != 0)) || [[ ! -s $summary ]]; then
        log "[$path] evalsandbox-cli failed (status $rc) after ${C_WALL}s; last lines of its output:"
        tail -n 15 "$WORK/cli-$path.stdout" >&2 || true
        tail -n 25 "$WORK/cli-$path.stderr" >&2 || true
        FAILED=1
        C_OK=0
        return 0
    fi
    C_OK=1
    C_SPS=$(awk -v n="$BENCH_SAMPLES" -v w="$C_WALL" 'BEGIN { printf "%.1f", n / w }')
    local q='.pairs[0]'
    C_N=$(jq -r "$q.n" "$summary")
    C_DONE=$(jq -r "$q.ok" "$summary")
    C_FAILED=$(jq -r "$q.failed" "$summary")
    C_ERR=$(jq -r "$q.errors_by_class | [to_entries[] | \"\(.key) \(.value)\"] | join(\", \")" "$summary")
    [[ -n $C_ERR ]] || C_ERR=none
    C_SCORE=$(jq -r "$q.score.mean" "$summary")
    C_P50=$(jq -r "$q.latency_ms.p50" "$summary")
    C_P99=$(jq -r "$q.latency_ms.p99" "$summary")
    C_ENGINE_RPS=$(jq -r "$q.requests_per_s" "$summary")
    C_ENGINE_S=$(jq -r "$q.duration_s" "$summary")
    read -r C_CPU_S C_USER_S C_SYS_S C_RSS_MB < <(time_fields "$WORK/cli-$path.time")
    read -r C_SRV_CPU C_CONN C_OTHER < <(snap_after "$C_CPU_S")
    if [[ $C_N != "$BENCH_SAMPLES" || $C_FAILED != 0 ]]; then
        log "[$path] WARNING: evalsandbox-cli stored $C_N records for $BENCH_SAMPLES samples, $C_FAILED failed ($C_ERR)"
    fi
}

# ---------------------------------------------------------------------------------------------------------------
# 6. Report.
# ---------------------------------------------------------------------------------------------------------------
f() { awk -v v="$2" "BEGIN { printf \"$1\", v }"; }       # f FORMAT VALUE
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "x%.3f (%.1f %%)", a / b, 100 * a / b; else print "-" }'; }
delta() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%+.3f ms", a - b }'; }
met() { awk "BEGIN { print (($1) ? \"met\" : \"MISSED\") }"; }
row() { printf '  %-34s %16s %22s %24s  %s\n' "$1" "$2" "$3" "$4" "$5"; }

report() { # path
    local path=$1 ideal="" title
    if [[ $path == fast ]]; then
        title="immediate answer (/fast)"
    else
        title="answer after 50 ms (/slow)"
        ideal=$(awk -v c="$BENCH_CONCURRENCY" -v d="$SLOW_DELAY_S" 'BEGIN { printf "%.1f", c / d }')
    fi
    echo
    echo "== $title: concurrency $BENCH_CONCURRENCY, $BENCH_SAMPLES samples, wrk ${BENCH_WRK_SECONDS}s =="
    row "" "wrk" "evalsandbox-cli" "cli vs wrk" "TARGET (not asserted)"
    row "----------------------------------" "----------------" "----------------------" "------------------------" "---------------------"
    [[ $W_OK == 1 ]] || { W_RPS=0 W_P50=0 W_P99=0 W_REQ=- W_ERR=- W_CPU_S=- W_RSS_MB=- W_SRV_CPU=- W_CONN=- W_OTHER=-; }
    if [[ $C_OK != 1 ]]; then
        row "throughput (req/s | samples/s)" "$(f %.1f "$W_RPS")" "FAILED (status $C_RC)" "-" ""
        row "latency p50 / p99 (ms)" "$(f %.3f "$W_P50") / $(f %.3f "$W_P99")" "-" "-" ""
        return 0
    fi
    local target="" verdict=""
    if [[ $path == fast ]]; then
        target=">= $TARGET_FAST_SPS samples/s"
        verdict=$(met "$C_SPS >= $TARGET_FAST_SPS")
    fi
    row "throughput (req/s | samples/s)" "$(f %.1f "$W_RPS")" "$(f %.1f "$C_SPS")" "$(ratio "$C_SPS" "$W_RPS")" \
        "${target:+$target: $verdict}"
    row "  engine's own req/s (send..end)" "" "$(f %.1f "$C_ENGINE_RPS") in $(f %.2f "$C_ENGINE_S") s" \
        "$(ratio "$C_ENGINE_RPS" "$W_RPS")" "(info: excludes start-up and summary)"
    if [[ -n $ideal ]]; then
        local w_pct c_pct
        w_pct=$(awk -v a="$W_RPS" -v i="$ideal" 'BEGIN { printf "%.1f", 100 * a / i }')
        c_pct=$(awk -v a="$C_SPS" -v i="$ideal" 'BEGIN { printf "%.1f", 100 * a / i }')
        row "% of ideal $BENCH_CONCURRENCY/$SLOW_DELAY_S = $(f %.0f "$ideal")/s" "$w_pct %" "$c_pct %" \
            "$(awk -v a="$c_pct" -v b="$w_pct" 'BEGIN { printf "%+.1f points", a - b }')" \
            ">= $TARGET_SLOW_IDEAL_PCT % of ideal: $(met "$c_pct >= $TARGET_SLOW_IDEAL_PCT")"
    fi
    target="" verdict=""
    if [[ $path == slow ]]; then
        target="within $TARGET_SLOW_P50_DELTA_MS ms of wrk"
        verdict=$(met "$C_P50 - $W_P50 <= $TARGET_SLOW_P50_DELTA_MS")
    fi
    row "latency p50 (ms)" "$(f %.3f "$W_P50")" "$(f %.3f "$C_P50")" "$(delta "$C_P50" "$W_P50")" \
        "${target:+$target: $verdict}"
    row "latency p99 (ms)" "$(f %.3f "$W_P99")" "$(f %.3f "$C_P99")" "$(delta "$C_P99" "$W_P99")" ""
    row "requests ok / failed" "$W_REQ / -" "$C_DONE / $C_FAILED" "" "(all $BENCH_SAMPLES ok expected)"
    row "errors" "$W_ERR" "$C_ERR" "" ""
    row "score mean (0.25 expected)" "-" "$(f %.4f "$C_SCORE")" "" ""
    row "wall clock (s)" "$BENCH_WRK_SECONDS" "$C_WALL" "" "(cli: whole command, end to end)"
    row "client CPU user+sys (s)" "$W_CPU_S" "$C_CPU_S ($C_USER_S + $C_SYS_S)" "" ""
    row "client CPU per request (us)" \
        "$( [[ $W_OK == 1 ]] && awk -v c="$W_CPU_S" -v n="$W_REQ" 'BEGIN { printf "%.1f", 1e6 * c / n }' || echo -)" \
        "$(awk -v c="$C_CPU_S" -v n="$BENCH_SAMPLES" 'BEGIN { printf "%.1f", 1e6 * c / n }')" "" ""
    row "client max RSS (MB)" "$W_RSS_MB" "$C_RSS_MB" "" \
        "<= $TARGET_RSS_MB MB: $(met "$C_RSS_MB <= $TARGET_RSS_MB")"
    row "nginx worker CPU during run (s)" "$W_SRV_CPU" "$C_SRV_CPU" "" ""
    row "connections opened to nginx" "$W_CONN" "$C_CONN" "" "(info: $BENCH_CONCURRENCY = all kept alive)"
    row "other processes' CPU in run (s)" "$W_OTHER" "$C_OTHER" "" "(info: ~0 on a quiet machine)"
}

# ---------------------------------------------------------------------------------------------------------------
main() {
    install_tools
    find_cli
    WORK=$(mktemp -d "${TMPDIR:-/tmp}/evs-bench.XXXXXX")
    log "work dir $WORK"
    start_nginx
    check_endpoint "http://127.0.0.1:$PORT/fast/v1/chat/completions" 0
    check_endpoint "http://127.0.0.1:$PORT/slow/v1/chat/completions" 50
    make_dataset
    log "dataset: $BENCH_SAMPLES samples ($(du -h "$WORK/dataset.jsonl" | cut -f1))"

    local reports=() path load0
    load0=$(cut -d' ' -f1-3 /proc/loadavg)
    for path in $BENCH_PATHS; do
        W_OK=0 C_OK=0 C_RC=-
        run_wrk "$path"
        run_cli "$path"
        reports+=("$(report "$path")")
    done

    echo
    echo "evalsandbox-cli vs wrk against nginx on 127.0.0.1 ($(date -u '+%Y-%m-%d %H:%M UTC'))"
    echo "  machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | sed 's/.*: //'), load avg $load0 at start"
    if awk -v l="${load0%% *}" 'BEGIN { exit !(l > 1) }'; then
        echo "  WARNING: the machine was busy at start (load > 1): other work competes, see \"other processes' CPU\"."
    fi
    echo "  client and server share these cores; nginx runs 1 worker. CLI: $CLI ($("$CLI" --version 2>/dev/null | head -n 1 || echo '?'))"
    echo "  samples/s = $BENCH_SAMPLES / wall clock of the whole evalsandbox-cli command; req/s for wrk."
    echo "  latency: wrk's per-request latency; evalsandbox-cli's summary latency_ms (t_end - t_send)."
    local r
    for r in "${reports[@]}"; do
        printf '%s\n' "$r"
    done
    echo
    echo "Targets are shown for reference only and are not asserted."
    ((FAILED == 0)) || { log "a tool failed (see above)"; return 1; }
    return 0
}

main "$@"
