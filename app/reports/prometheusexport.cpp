#include "app/reports/prometheusexport.h"

#include "app/reports/reportdata.h"
#include "app/reports/reporttables.h"
#include "models/core/metricdefinitions.h"
#include "models/core/textescape.h"

#include <cmath>
#include <functional>

using namespace Qt::StringLiterals;

namespace evs {

namespace {

QString help(const QString& text)
{
    QString out = text;
    out.replace(u'\\', u"\\\\"_s);
    out.replace(u'\n', u"\\n"_s);
    return out;
}

QString labels(const PairSummary& p, const QString& extra = {})
{
    QString out = u"{model=\"%1\",benchmark=\"%2\""_s.arg(
        TextEscape::prometheusLabel(p.modelId), TextEscape::prometheusLabel(p.benchmarkId));
    if (!extra.isEmpty())
        out += u',' + extra;
    return out + u'}';
}

} // namespace

QByteArray PrometheusExport::render(const ReportData& d)
{
    QString out;
    auto family = [&](const QString& name, const QString& helpText) {
        out += u"# HELP %1 %2\n# TYPE %1 gauge\n"_s.arg(name, help(helpText));
    };
    // A figure without data has no sample (docs/metrics.md, Absent figures): a scraper sees the series as absent,
    // not as a value of NaN or 0.
    auto sample = [&](const QString& name, const QString& labelSet, double v) {
        if (std::isfinite(v))
            out += name + labelSet + u' ' + ReportTables::exact(v) + u'\n';
    };
    const auto& pairs = d.summary.pairs;
    auto perPair
        = [&](const QString& name, const QString& helpText, const std::function<double(const PairSummary&)>& f) {
              family(name, helpText);
              for (const auto& p : pairs)
                  sample(name, labels(p), f(p));
          };

    family(u"evalsandbox_run_info"_s, metricDefinition(u"run_info"));
    out += u"evalsandbox_run_info{run_id=\"%1\",run_name=\"%2\",status=\"%3\",plan_hash=\"%4\"} 1\n"_s.arg(
        QString::number(d.run.id), TextEscape::prometheusLabel(d.run.name), runStatusName(d.run.status),
        d.run.planHash);

    perPair(u"evalsandbox_requests"_s, metricDefinition(u"done"), [](const PairSummary& p) { return double(p.n); });
    perPair(u"evalsandbox_requests_failed"_s, metricDefinition(u"failed"),
        [](const PairSummary& p) { return double(p.failed); });
    perPair(u"evalsandbox_error_ratio"_s, metricDefinition(u"error_rate"),
        [](const PairSummary& p) { return p.errorRate(); });
    family(u"evalsandbox_errors"_s, metricDefinition(u"failed") + u" By error class."_s);
    for (const auto& p : pairs) {
        for (auto it = p.errorsByClass.cbegin(); it != p.errorsByClass.cend(); ++it)
            sample(u"evalsandbox_errors"_s, labels(p, u"class=\"%1\""_s.arg(TextEscape::prometheusLabel(it.key()))),
                double(it.value()));
    }
    perPair(u"evalsandbox_retried_attempts"_s, metricDefinition(u"retried_attempts"),
        [](const PairSummary& p) { return double(p.retriedAttempts); });
    perPair(u"evalsandbox_scored_samples"_s, metricDefinition(u"scored"),
        [](const PairSummary& p) { return double(p.scored); });
    perPair(u"evalsandbox_score"_s, metricDefinition(u"score"),
        [](const PairSummary& p) { return p.scored ? p.scoreMean : NAN; });
    perPair(u"evalsandbox_score_ci_low"_s, metricDefinition(u"score_ci_low"),
        [](const PairSummary& p) { return p.scored ? p.scoreCiLow : NAN; });
    perPair(u"evalsandbox_score_ci_high"_s, metricDefinition(u"score_ci_high"),
        [](const PairSummary& p) { return p.scored ? p.scoreCiHigh : NAN; });
    perPair(u"evalsandbox_score_errors"_s, metricDefinition(u"score_errors"),
        [](const PairSummary& p) { return double(p.scoreErrors); });

    const std::pair<const char*, double Percentiles::*> quantiles[]
        = { { "0.5", &Percentiles::p50 }, { "0.9", &Percentiles::p90 }, { "0.95", &Percentiles::p95 },
              { "0.99", &Percentiles::p99 }, { "0.999", &Percentiles::p999 }, { "1", &Percentiles::max } };
    const std::tuple<QString, QString, Percentiles PairSummary::*> distributions[] = {
        { u"evalsandbox_latency_seconds"_s, metricDefinition(u"latency"), &PairSummary::latencyMs },
        { u"evalsandbox_ttft_seconds"_s, metricDefinition(u"ttft"), &PairSummary::ttftMs },
        { u"evalsandbox_itl_seconds"_s, metricDefinition(u"itl"), &PairSummary::itlMs },
    };
    for (const auto& [name, text, member] : distributions) {
        family(name, text + u" Exact quantiles (quantile=\"1\" is the maximum), in seconds."_s);
        for (const auto& p : pairs) {
            const Percentiles& pc = p.*member;
            for (const auto& [q, field] : quantiles)
                sample(
                    name, labels(p, u"quantile=\"%1\""_s.arg(QLatin1StringView(q))), pc.n ? pc.*field / 1000.0 : NAN);
        }
        const QString measured = QString(name).replace(u"_seconds"_s, u"_measured_requests"_s);
        family(measured, metricDefinition(u"measured_requests") + u" Of "_s + name + u'.');
        for (const auto& p : pairs)
            sample(measured, labels(p), double((p.*member).n));
    }
    perPair(u"evalsandbox_requests_per_second"_s, metricDefinition(u"requests_per_s"),
        [](const PairSummary& p) { return p.requestsPerS; });
    perPair(u"evalsandbox_output_tokens_per_second"_s, metricDefinition(u"output_tokens_per_s"),
        [](const PairSummary& p) { return p.outputTokensPerS; });
    perPair(u"evalsandbox_duration_seconds"_s, metricDefinition(u"duration"),
        [](const PairSummary& p) { return p.durationS; });
    perPair(u"evalsandbox_input_tokens"_s, metricDefinition(u"input_tokens"),
        [](const PairSummary& p) { return double(p.inputTokens); });
    perPair(u"evalsandbox_output_tokens"_s, metricDefinition(u"output_tokens"),
        [](const PairSummary& p) { return double(p.outputTokens); });
    perPair(u"evalsandbox_cost_usd"_s, metricDefinition(u"cost") + u" In USD."_s,
        [](const PairSummary& p) { return p.costUsd; });
    perPair(u"evalsandbox_cache_hits"_s, metricDefinition(u"cache_hits"),
        [](const PairSummary& p) { return double(p.cacheHits); });

    const auto& results = d.thresholdReport.results;
    if (!results.isEmpty()) {
        family(u"evalsandbox_threshold_passed"_s, metricDefinition(u"threshold") + u" 1 = passed."_s);
        for (const auto& r : results) {
            out += u"evalsandbox_threshold_passed{model=\"%1\",benchmark=\"%2\",metric=\"%3\",op=\"%4\",value=\"%5\"} %6\n"_s
                       .arg(TextEscape::prometheusLabel(r.modelId), TextEscape::prometheusLabel(r.benchmarkId),
                           TextEscape::prometheusLabel(r.threshold.metric), TextEscape::prometheusLabel(r.threshold.op),
                           ReportTables::exact(r.threshold.value), r.passed ? u"1"_s : u"0"_s);
        }
        family(u"evalsandbox_threshold_actual"_s, metricDefinition(u"threshold_actual"));
        for (const auto& r : results) {
            if (!std::isfinite(r.actual))
                continue; // the pair had no data for the metric: no sample
            out += u"evalsandbox_threshold_actual{model=\"%1\",benchmark=\"%2\",metric=\"%3\",op=\"%4\",value=\"%5\"} %6\n"_s
                       .arg(TextEscape::prometheusLabel(r.modelId), TextEscape::prometheusLabel(r.benchmarkId),
                           TextEscape::prometheusLabel(r.threshold.metric), TextEscape::prometheusLabel(r.threshold.op),
                           ReportTables::exact(r.threshold.value), ReportTables::exact(r.actual));
        }
    }
    return out.toUtf8();
}

} // namespace evs
