#include "app/reports/metricdefinitions.h"

using namespace Qt::StringLiterals;

namespace evs {

const QVector<MetricDefinition>& MetricDefinitions::all()
{
    static const QVector<MetricDefinition> defs = {
        { u"clock"_s, u"Timestamps"_s,
            u"Per request, on one monotonic nanosecond clock anchored to wall time at run start: t_sched (open loop), "
            "t_send (the engine hands the request to the HTTP stack), t_wire (the request was written), t_headers, "
            "t_first_token, t_first_content, t_last_token, t_end."_s },
        { u"first_token"_s, u"First token"_s,
            u"The first stream event carrying a non-empty content, reasoning or tool-call delta. Role-only, empty and "
            "keep-alive events do not count. First content excludes reasoning."_s },
        { u"latency"_s, u"Latency (end to end)"_s,
            u"t_last_token \u2212 t_send (whole responses: t_end \u2212 t_send), in milliseconds, over successful "
            "requests that were sent (responses served from the cache are not measured)."_s },
        { u"ttft"_s, u"TTFT"_s, u"Time to first token: t_first_token \u2212 t_send, in milliseconds."_s },
        { u"ttfb"_s, u"TTFB"_s,
            u"Time to first byte: t_headers \u2212 t_send, in milliseconds (a network diagnostic)."_s },
        { u"output_tokens"_s, u"Output tokens"_s,
            u"The server's usage.completion_tokens when reported; otherwise the count of token-bearing stream "
            "events. The source used is recorded per request."_s },
        { u"itl"_s, u"ITL"_s,
            u"Inter-token latency (vLLM calls it TPOT): (t_last_token \u2212 t_first_token) / (output_tokens \u2212 "
            u"1), "
            "in milliseconds, for responses of two tokens or more."_s },
        { u"percentiles"_s, u"Percentiles"_s,
            u"Exact, computed from the stored records at the end, with linear interpolation between closest ranks "
            "(numpy's default method): p50, p90, p95, p99, p99.9, max and n. Charts over time use per-second "
            "log-bucketed histograms (within 2 %)."_s },
        { u"error_rate"_s, u"Error rate"_s,
            u"Failed requests / finished requests. A request failed when its final attempt failed, after retries. "
            "Classes: timeout, connect, tls, http_4xx, http_429, http_5xx, parse, canceled."_s },
        { u"throughput"_s, u"Throughput"_s,
            u"Requests/s and output tokens/s over the span from the first send to the last end of the measured "
            "(not cached) requests."_s },
        { u"score"_s, u"Score"_s,
            u"Mean of the scored responses with a 95 % confidence interval: Wilson's for pass/fail scores, a "
            "bootstrap interval otherwise. Failed requests and responses the scorer could not score are not "
            "scored."_s },
        { u"pass_at_k"_s, u"pass@k, pass^k"_s,
            u"With repeats: the unbiased probability that at least one (pass@k) or all (pass^k) of k attempts at a "
            "sample score 1, averaged over samples with at least k scored attempts."_s },
        { u"cost"_s, u"Cost"_s,
            u"Input and output tokens of sent requests times the model's price per million tokens, in USD."_s },
        { u"goodput"_s, u"Goodput"_s, u"Requests that met every threshold, per second."_s },
        { u"threshold"_s, u"Threshold"_s,
            u"A condition declared in the plan (for example latency_p95_ms < 500), evaluated on the final figures "
            "of each model \u00d7 benchmark it applies to. A failed threshold makes `evalsandbox-cli run` exit with "
            "status 3."_s },
    };
    return defs;
}

QString MetricDefinitions::definition(QStringView key)
{
    for (const auto& d : all()) {
        if (d.key == key)
            return d.definition;
    }
    return QString();
}

QString MetricDefinitions::preamble()
{
    return u"Every figure in this report is computed exactly from the records in the results store "
           "(never from live approximations), per model \u00d7 benchmark. Definitions follow."_s;
}

} // namespace evs
