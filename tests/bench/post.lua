-- wrk script for tests/bench/bench_vs_wrk.sh: POSTs a chat completion request shaped like the one
-- evalsandbox-cli sends for one sample (compact JSON, model + one user message), and prints a machine-
-- readable summary line at the end ("WRKJSON {...}"), so the shell script does not parse wrk's text.

wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Accept-Encoding"] = "gzip, deflate"
wrk.headers["User-Agent"] = "Mozilla/5.0"
wrk.body = '{"messages":[{"content":"Question 4242: which option is correct?\\nA) 41\\nB) 42\\nC) 43\\nD) 44\\n'
    .. 'Reply with \\"The answer is X.\\"","role":"user"}],"model":"bench-model"}'

function done(summary, latency, requests)
    local e = summary.errors
    local seconds = summary.duration / 1e6
    io.write(string.format(
        'WRKJSON {"requests":%d,"duration_s":%.6f,"requests_per_s":%.3f,'
            .. '"latency_ms":{"p50":%.4f,"p90":%.4f,"p99":%.4f,"max":%.4f,"mean":%.4f},'
            .. '"errors":{"connect":%d,"read":%d,"write":%d,"status":%d,"timeout":%d}}\n',
        summary.requests, seconds, summary.requests / seconds,
        latency:percentile(50) / 1000, latency:percentile(90) / 1000, latency:percentile(99) / 1000,
        latency.max / 1000, latency.mean / 1000,
        e.connect, e.read, e.write, e.status, e.timeout))
end
