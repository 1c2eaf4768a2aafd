#pragma once

// What each figure means (docs/metrics.md), for tooltips and column headers anywhere in the GUI. Header-only so
// that every page can use it without a link dependency.
//
//   label->setToolTip(evs::metricDefinition(u"p95"));
//   evs::metricName(u"ttft_p50") -> "TTFT p50"

#include <QString>
#include <QStringView>

#include <array>

namespace evs {

struct MetricDefinition {
    QStringView key; // stable name: matches the dashboard's tile suffixes (kpi_<key>) where there is one
    QStringView name; // short label
    QStringView definition; // one or two sentences, as docs/metrics.md defines it
};

inline constexpr std::array<MetricDefinition, 24> kMetricDefinitions { {
    { u"done", u"Done", u"Requests with a final record (succeeded or failed after their last retry)." },
    { u"failed", u"Failed",
        u"Requests whose last attempt failed. Every attempt and failure is recorded and classified." },
    { u"reqps", u"Requests/s",
        u"Throughput: finished requests per second over the steady window (warm-up and cool-down excluded)." },
    { u"tokps", u"Output tok/s",
        u"Throughput: output tokens per second over the steady window (warm-up and cool-down excluded)." },
    { u"latency", u"Latency",
        u"End-to-end latency = t_last_token − t_send (whole responses: t_end − t_send), on one monotonic clock." },
    { u"p50", u"Latency p50",
        u"Median end-to-end latency (t_last_token − t_send). Exact at the end, linear interpolation between closest "
        u"ranks; live values from a log-bucketed histogram (≤ 1 % error)." },
    { u"p90", u"Latency p90", u"90th percentile of end-to-end latency (t_last_token − t_send)." },
    { u"p95", u"Latency p95",
        u"95th percentile of end-to-end latency (t_last_token − t_send): 1 request in 20 is slower." },
    { u"p99", u"Latency p99",
        u"99th percentile of end-to-end latency (t_last_token − t_send): 1 request in 100 is slower." },
    { u"p999", u"Latency p99.9", u"99.9th percentile of end-to-end latency (t_last_token − t_send)." },
    { u"max", u"Latency max", u"The slowest successful request's end-to-end latency." },
    { u"ttft", u"TTFT",
        u"Time to first token = t_first_token − t_send. The first token is the first stream event with a non-empty "
        u"content, reasoning or tool-call delta; role-only, empty and keep-alive events do not count." },
    { u"ttft_p50", u"TTFT p50", u"Median time to first token (t_first_token − t_send)." },
    { u"ttft_p99", u"TTFT p99", u"99th percentile of time to first token (t_first_token − t_send)." },
    { u"ttfb", u"TTFB", u"Time to first byte = t_headers − t_send: a network diagnostic." },
    { u"itl", u"ITL", u"Inter-token latency (vLLM: TPOT) = (t_last_token − t_first_token) / (output_tokens − 1)." },
    { u"output_tokens", u"Output tokens",
        u"The server's usage.completion_tokens when reported, otherwise the count of token-bearing stream events." },
    { u"error_rate", u"Error %",
        u"Error rate = failed requests / finished requests. Classes: timeout, connect, tls, http_4xx, http_429, "
        u"http_5xx, parse, canceled." },
    { u"score", u"Score", u"Mean score with a 95 % confidence interval (Wilson for pass/fail, bootstrap otherwise)." },
    { u"cost", u"Cost", u"Input and output tokens times the model's price per 1M tokens." },
    { u"goodput", u"Goodput", u"Requests that met every threshold, per second." },
    { u"queue_delay", u"Queue delay",
        u"Open loop: t_send − t_sched. Latency is then measured from t_sched as well, so a saturated client cannot "
        u"hide queueing." },
    { u"n", u"n", u"Number of final records the figure is computed from." },
    { u"eta", u"ETA", u"Remaining requests divided by this session's request rate." },
} };

inline const MetricDefinition* findMetricDefinition(QStringView key)
{
    for (const auto& m : kMetricDefinitions) {
        if (m.key == key)
            return &m;
    }
    return nullptr;
}

// The definition as plain text (empty for an unknown key).
inline QString metricDefinition(QStringView key)
{
    const auto* m = findMetricDefinition(key);
    return m ? m->definition.toString() : QString();
}

inline QString metricName(QStringView key)
{
    const auto* m = findMetricDefinition(key);
    return m ? m->name.toString() : key.toString();
}

// "<b>Name</b><br>definition": rich text, so that Qt wraps a long tooltip.
inline QString metricToolTip(QStringView key)
{
    const auto* m = findMetricDefinition(key);
    if (!m)
        return QString();
    return QStringLiteral("<p><b>") + m->name.toString().toHtmlEscaped() + QStringLiteral("</b><br>")
        + m->definition.toString().toHtmlEscaped() + QStringLiteral("</p>");
}

} // namespace evs
