#include "models/core/metricdefinitions.h"

#include "models/core/textescape.h"

#include <cmath>

using namespace Qt::StringLiterals;

namespace evs {

namespace {

using M = MetricDefinition;

// Concepts first (listed in full in the reports and the GUI), then the single figures that tiles, tooltips and the
// Prometheus export name. Keep in step with docs/metrics.md.
constexpr MetricDefinition kTable[] = {
    { u"clock", u"Timestamps", {},
        u"Per request, on one monotonic nanosecond clock per run (0 when the run's workers start; a resumed run "
        u"continues the same time line), tied to the calendar by the run's start time: t_sched (the slot took the "
        u"sample), t_send (the engine handed the final attempt's request to the HTTP stack), t_wire (the request was "
        u"written to a connection), t_headers, t_first_token, t_first_content, t_last_token, t_end (the reply "
        u"finished, whatever the outcome).",
        {}, M::BothLists },
    { u"first_token", u"First token", {},
        u"The first stream event carrying a non-empty content, reasoning or tool-call delta; role-only, empty, "
        u"keep-alive, usage-only and finish-only events do not count. First content is the same without reasoning "
        u"and tool calls. A whole (non-streamed) response is parsed once, when complete, so its first and last "
        u"token are that moment.",
        {}, M::BothLists },
    { u"latency", u"Latency (end to end)", u"ms",
        u"t_last_token − t_send, or t_end − t_send when the record has no last token, over successful requests that "
        u"were sent (failed records and answers served from the response cache are left out). t_send is the final "
        u"attempt's: backoff waits and earlier attempts are not included.",
        {}, M::BothLists },
    { u"ttft", u"TTFT", u"ms",
        u"Time to first token: t_first_token − t_send, over successful, sent requests that have a first token. "
        u"Whole (non-streamed) responses count too: their TTFT equals their latency.",
        {}, M::BothLists },
    { u"ttfb", u"TTFB", u"ms",
        u"Time to first byte: t_headers − t_send, a network diagnostic (the server may send its headers long "
        u"before its first token). Per request only: the CSV export and the sample detail show it; no summary has "
        u"TTFB percentiles.",
        {}, M::BothLists },
    { u"output_tokens", u"Output tokens", {},
        u"The server's own count when it reports one (usage.completion_tokens, Anthropic's output_tokens, Ollama's "
        u"eval_count); otherwise, for a streamed response, the number of token-bearing events. The source used is "
        u"recorded per request (token_source).",
        {}, M::BothLists },
    { u"itl", u"ITL", u"ms",
        u"Inter-token latency (vLLM: TPOT): (t_last_token − t_first_token) / (output_tokens − 1), over successful, "
        u"sent requests with more than one output token whose last token event came after the first. Whole "
        u"(non-streamed) responses, and streams that arrived in a single read, have no ITL: it is absent, not 0.",
        {}, M::BothLists },
    { u"percentiles", u"Percentiles", {},
        u"Exact, computed from the stored records when the run ends, with linear interpolation between the closest "
        u"ranks (numpy's default): p50, p90, p95, p99, p99.9, max and n. With n = 0 every percentile is absent, "
        u"never 0. Charts over time use per-second log-bucketed histograms (within 2 %).",
        {}, M::BothLists },
    { u"error_rate", u"Error rate", {},
        u"Failed requests / finished requests (final records, cached ones included). A request failed when its "
        u"final attempt failed, after retries. Classes: timeout, connect, tls, http_4xx, http_429, http_5xx, parse, "
        u"canceled.",
        u"Shown in %. Final: the run's failed over finished requests. Live: the same over the requests finished so "
        u"far.",
        M::BothLists },
    { u"throughput", u"Throughput", {},
        u"Requests/s and output tokens/s per model × benchmark: the requests that were sent (cached answers "
        u"excluded, failed ones included) and their output tokens, divided by the time from the pair's first send "
        u"to its last end. No warm-up or cool-down is excluded: ramp-up and tail are in the span.",
        {}, M::BothLists },
    { u"score", u"Score", {},
        u"Mean of the scored responses with a 95 % confidence interval: Wilson's score interval when every score is "
        u"0 or 1, otherwise a percentile bootstrap (2000 resamples, seeded by the run). Failed requests and "
        u"responses the scorer could not score are not scored; they are counted apart, never as 0.",
        u"The ± is half the interval's width. Several model × benchmark pairs are pooled: the mean weighted by "
        u"scored count; Wilson on the pooled counts when every pair is pass/fail, else a normal interval from the "
        u"pairs' standard errors. Live: Wilson for pass/fail scores, else mean ± 1.96·s/√n.",
        M::BothLists },
    { u"pass_at_k", u"pass@k, pass^k", {},
        u"With repeats: the unbiased estimate that at least one (pass@k) or all (pass^k) of k attempts at a sample "
        u"are correct (score ≥ 1), averaged over the samples with at least k scored attempts.",
        {}, M::BothLists },
    { u"cost", u"Cost", u"USD",
        u"Input tokens × input price + output tokens × output price, per million tokens from the model's "
        u"price_per_mtok, over the requests that were sent: cached answers cost nothing; failed requests that "
        u"reported tokens are included.",
        u"Final: summed over the run's model × benchmark pairs. Live: so far.", M::BothLists },
    { u"threshold", u"Threshold", {},
        u"A condition declared in the plan (for example latency_p95_ms < 500), evaluated on the exact figures of "
        u"each model × benchmark it names. A pair without data for the metric fails it. A failed threshold makes "
        u"`evalsandbox-cli run` exit with status 3.",
        {}, M::BothLists },
    { u"queue_delay", u"Queue delay", u"ms",
        u"t_send − t_sched, per sample only (sample detail, JSONL export). Every run is closed loop, so it holds "
        u"that sample's rate-limit, circuit-breaker and retry waits; no figure aggregates it.",
        {}, M::GuiList },
    { u"live", u"Live figures", {},
        u"While a run is going, the dashboard shows approximations: latency and TTFT percentiles from a "
        u"log-bucketed histogram (within 1 %, nearest rank), charts from per-second histograms (within 2 %). When "
        u"the run ends, the store's exact figures replace them.",
        {}, M::GuiList },
    { u"eta", u"ETA", u"s", u"Remaining requests divided by this session's request rate.", {}, M::GuiList },

    // Single figures.
    { u"done", u"Done", {},
        u"Finished requests: samples with a final record (succeeded, or failed after their last retry), cached "
        u"answers included.",
        {}, M::NoList },
    { u"failed", u"Failed", {}, u"Requests whose final attempt failed (after retries), of every error class.", {},
        M::NoList },
    { u"requests_per_s", u"Requests/s", u"req/s",
        u"Requests that were sent (cached answers excluded, failed ones included) per second, over the time from the "
        u"first send to the last end; ramp-up and tail included.",
        u"Final: with one model × benchmark, its figure; with several, each model's requests over the sum of its "
        u"benchmarks' durations (it runs them one after the other), summed over the models (which run side by "
        u"side). Live: the mean of the last 5 complete seconds; at the start, this session's finished requests over "
        u"its elapsed time.",
        M::NoList },
    { u"output_tokens_per_s", u"Output tok/s", u"tok/s",
        u"Output tokens of the requests that were sent per second, over the time from the first send to the last "
        u"end; ramp-up and tail included.",
        u"Final: pooled like Requests/s. Live: the mean of the last 5 complete seconds.", M::NoList },
    { u"latency_p50", u"Latency p50", u"ms",
        u"Median end-to-end latency (t_last_token − t_send, or t_end − t_send) of successful, sent requests; exact, "
        u"linear interpolation between the closest ranks.",
        u"With several model × benchmark pairs, the worst pair's (percentiles cannot be pooled). Live: from a "
        u"log-bucketed histogram, within 1 %.",
        M::NoList },
    { u"latency_p95", u"Latency p95", u"ms",
        u"95th percentile of the end-to-end latency of successful, sent requests: 1 request in 20 is slower.",
        u"With several model × benchmark pairs, the worst pair's. Live: within 1 %.", M::NoList },
    { u"latency_p99", u"Latency p99", u"ms",
        u"99th percentile of the end-to-end latency of successful, sent requests: 1 request in 100 is slower.",
        u"With several model × benchmark pairs, the worst pair's. Live: within 1 %.", M::NoList },
    { u"ttft_p50", u"TTFT p50", u"ms",
        u"Median time to first token (t_first_token − t_send) of successful, sent requests; whole responses "
        u"included (their TTFT is their latency).",
        u"With several model × benchmark pairs, the worst pair's. Live: within 1 %.", M::NoList },
    { u"ttft_p99", u"TTFT p99", u"ms",
        u"99th percentile of the time to first token (t_first_token − t_send) of successful, sent requests.",
        u"With several model × benchmark pairs, the worst pair's. Live: within 1 %.", M::NoList },
    { u"measured_requests", u"Measured requests", {},
        u"The n of a distribution: successful, sent requests (with a first token for TTFT, with an ITL for ITL).", {},
        M::NoList },
    { u"retried_attempts", u"Retried attempts", {},
        u"Failed attempts that were retried (each is stored in the attempts table).", {}, M::NoList },
    { u"scored", u"Scored", {}, u"Responses that were scored.", {}, M::NoList },
    { u"score_ci_low", u"Score CI low", {}, u"Lower end of the score's 95 % confidence interval.", {}, M::NoList },
    { u"score_ci_high", u"Score CI high", {}, u"Upper end of the score's 95 % confidence interval.", {}, M::NoList },
    { u"score_errors", u"Score errors", {}, u"Responses the scorer could not score (counted apart, never as 0).", {},
        M::NoList },
    { u"duration", u"Duration", u"s",
        u"From the first send to the last end of the requests that were sent (failed ones included).", {}, M::NoList },
    { u"input_tokens", u"Input tokens", {}, u"Input (prompt) tokens of all records, from the server's usage.", {},
        M::NoList },
    { u"cache_hits", u"Cache hits", {}, u"Records served from the response cache: not sent, not measured, not billed.",
        {}, M::NoList },
    { u"threshold_actual", u"Threshold actual", {}, u"The measured value a threshold was checked against.", {},
        M::NoList },
    { u"run_info", u"Run", {}, u"The run these figures describe (value always 1).", {}, M::NoList },
};

} // namespace

std::span<const MetricDefinition> metricDefinitions()
{
    return kTable;
}

const MetricDefinition* findMetricDefinition(QStringView key)
{
    for (const MetricDefinition& m : kTable) {
        if (m.key == key)
            return &m;
    }
    return nullptr;
}

QString metricLabel(QStringView key)
{
    const MetricDefinition* m = findMetricDefinition(key);
    return m ? m->label.toString() : key.toString();
}

QString metricDefinition(QStringView key)
{
    const MetricDefinition* m = findMetricDefinition(key);
    return m ? m->definition.toString() : QString();
}

QString metricDescription(const MetricDefinition& m)
{
    QString text = m.definition.toString();
    if (!m.unit.isEmpty())
        text += u" Unit: "_s + m.unit + u'.';
    return text;
}

QString metricDescription(QStringView key)
{
    const MetricDefinition* m = findMetricDefinition(key);
    return m ? metricDescription(*m) : QString();
}

QString metricDashboardText(QStringView key)
{
    const MetricDefinition* m = findMetricDefinition(key);
    if (!m)
        return {};
    QString text = metricDescription(*m);
    if (!m->dashboard.isEmpty())
        text += u'\n' + m->dashboard;
    return text;
}

QString metricToolTip(QStringView key)
{
    const MetricDefinition* m = findMetricDefinition(key);
    if (!m)
        return {};
    return u"<p><b>"_s + TextEscape::html(m->label.toString()) + u"</b><br>"_s + TextEscape::html(metricDescription(*m))
        + u"</p>"_s;
}

QString metricReportPreamble()
{
    return u"Every figure in this report is computed exactly from the records in the results store (never from live "
           "approximations), per model × benchmark. A figure without data is absent (—, or null in JSON), never 0. "
           "Definitions follow."_s;
}

QString formatFigure(double value, int decimals)
{
    if (!std::isfinite(value))
        return kAbsentFigure.toString();
    return QString::number(value, 'f', decimals);
}

} // namespace evs
