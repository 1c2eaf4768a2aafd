#include "models/stats/thresholds.h"

#include "models/stats/statistics.h"
#include "models/store/resultsstore.h"
#include "models/store/runqueries.h"

#include <QJsonObject>
#include <QRegularExpression>

#include <algorithm>
#include <cmath>
#include <vector>

using namespace Qt::StringLiterals;

namespace evs {

namespace {

// latency_p95_ms -> ("latency", 0.95); ttft_p999_ms -> ("ttft", 0.999)
bool parsePercentileMetric(const QString& metric, QString* kind, double* q)
{
    static const QRegularExpression re(u"^(latency|ttft)_p(\\d+)_ms$"_s);
    const auto m = re.match(metric);
    if (!m.hasMatch())
        return false;
    *kind = m.captured(1);
    const QString digits = m.captured(2);
    *q = digits == u"999"_s ? 0.999 : digits.toDouble() / 100.0;
    return true;
}

std::optional<double> fromSummary(const Percentiles& p, double q)
{
    if (p.n == 0)
        return std::nan("");
    if (q == 0.5)
        return p.p50;
    if (q == 0.9)
        return p.p90;
    if (q == 0.95)
        return p.p95;
    if (q == 0.99)
        return p.p99;
    if (q == 0.999)
        return p.p999;
    return std::nullopt;
}

// The same definition as the summary: successful, measured (not cached) records; latency from t_send to the last
// token, or to the end for whole responses; TTFT to the first token.
double percentileFromStore(
    const ResultsStore* store, qint64 runId, int model, int benchmark, const QString& kind, double q)
{
    if (!store || !store->isOpen())
        return std::nan("");
    const bool ttft = kind == u"ttft"_s;
    std::vector<double> v;
    const bool read = forEachMeasuredTiming(
        *store, runId, model, benchmark,
        [&](const MeasuredTiming& t) {
            if (const auto ns = ttft ? t.ttftNs : t.latencyNs)
                v.push_back(double(*ns) / 1e6);
        },
        nullptr);
    if (!read)
        return std::nan("");
    std::sort(v.begin(), v.end());
    return stats::percentileSorted(v, q);
}

bool compare(double actual, const QString& op, double value)
{
    if (std::isnan(actual))
        return false;
    if (op == u"<"_s)
        return actual < value;
    if (op == u"<="_s)
        return actual <= value;
    if (op == u">"_s)
        return actual > value;
    if (op == u">="_s)
        return actual >= value;
    return false;
}

} // namespace

QString ThresholdResult::describe() const
{
    const QString value = std::isnan(actual) ? u"no data"_s : QString::number(actual, 'g', 6);
    return u"%1 %2 %3 for %4 / %5: %6 (%7)"_s.arg(threshold.metric, threshold.op, QString::number(threshold.value),
        modelId, benchmarkId, value, passed ? u"passed"_s : u"FAILED"_s);
}

bool ThresholdReport::allPassed() const
{
    return failedCount() == 0;
}

int ThresholdReport::failedCount() const
{
    return int(std::count_if(results.cbegin(), results.cend(), [](const ThresholdResult& r) { return !r.passed; }));
}

QJsonArray ThresholdReport::toJson() const
{
    QJsonArray out;
    for (const ThresholdResult& r : results) {
        out.append(QJsonObject { { u"metric"_s, r.threshold.metric }, { u"op"_s, r.threshold.op },
            { u"value"_s, r.threshold.value }, { u"model"_s, r.modelId }, { u"benchmark"_s, r.benchmarkId },
            { u"actual"_s, std::isnan(r.actual) ? QJsonValue() : QJsonValue(r.actual) }, { u"passed"_s, r.passed } });
    }
    return out;
}

QString ThresholdReport::toText() const
{
    if (results.isEmpty())
        return {};
    QString text = u"thresholds: %1 of %2 passed\n"_s.arg(results.size() - failedCount()).arg(results.size());
    for (const ThresholdResult& r : results)
        text += (r.passed ? u"  pass  "_s : u"  FAIL  "_s) + r.describe() + u'\n';
    return text;
}

ThresholdReport evaluateThresholds(
    const QVector<Threshold>& thresholds, const RunSummary& summary, const ResultsStore* store, qint64 runId)
{
    ThresholdReport report;
    for (const Threshold& t : thresholds) {
        for (const PairSummary& p : summary.pairs) {
            if ((!t.model.isEmpty() && t.model != p.modelId)
                || (!t.benchmark.isEmpty() && t.benchmark != p.benchmarkId))
                continue;
            ThresholdResult r;
            r.threshold = t;
            r.modelIndex = p.modelIndex;
            r.benchmarkIndex = p.benchmarkIndex;
            r.modelId = p.modelId;
            r.benchmarkId = p.benchmarkId;
            QString kind;
            double q = 0;
            if (t.metric == u"error_rate"_s) {
                r.actual = p.n > 0 ? double(p.failed) / double(p.n) : std::nan("");
            } else if (t.metric == u"score"_s) {
                r.actual = p.scored > 0 ? p.scoreMean : std::nan("");
            } else if (t.metric == u"output_tokens_per_s"_s) {
                r.actual = p.n > 0 ? p.outputTokensPerS : std::nan("");
            } else if (t.metric == u"requests_per_s"_s) {
                r.actual = p.n > 0 ? p.requestsPerS : std::nan("");
            } else if (parsePercentileMetric(t.metric, &kind, &q)) {
                const Percentiles& pct = kind == u"ttft"_s ? p.ttftMs : p.latencyMs;
                const auto known = fromSummary(pct, q);
                r.actual = known ? *known : percentileFromStore(store, runId, p.modelIndex, p.benchmarkIndex, kind, q);
            } else {
                r.actual = std::nan("");
            }
            r.passed = compare(r.actual, t.op, t.value);
            report.results.append(r);
        }
    }
    return report;
}

} // namespace evs
