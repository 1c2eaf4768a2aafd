#include "app/reports/reporttables.h"

#include "app/reports/reportdata.h"
#include "models/core/metricdefinitions.h"

#include <QLocale>

#include <cmath>

using namespace Qt::StringLiterals;

namespace evs {

QString ReportTables::ms(double v)
{
    return formatFigure(v, 3);
}

QString ReportTables::fraction(double v)
{
    return formatFigure(v, 4);
}

QString ReportTables::rate(double v)
{
    return formatFigure(v, 3);
}

QString ReportTables::usd(double v)
{
    return formatFigure(v, 6);
}

QString ReportTables::exact(double v)
{
    if (std::isnan(v))
        return u"NaN"_s;
    if (std::isinf(v))
        return v > 0 ? u"+Inf"_s : u"-Inf"_s;
    return QString::number(v, 'g', QLocale::FloatingPointShortest);
}

ReportTable ReportTables::runInfo(const ReportData& d)
{
    ReportTable t;
    t.key = u"run"_s;
    t.title = u"Run"_s;
    t.headers = { u"Field"_s, u"Value"_s };
    t.textColumns = { 0, 1 };
    const auto& r = d.run;
    const QString fmt = u"yyyy-MM-dd HH:mm:ss 'UTC'"_s;
    t.rows = {
        { u"Run id"_s, QString::number(r.id) },
        { u"Name"_s, r.name },
        { u"Status"_s, runStatusName(r.status) },
        { u"Started"_s, r.startedAt.toUTC().toString(fmt) },
        { u"Finished"_s, r.finishedAt.isValid() ? r.finishedAt.toUTC().toString(fmt) : kAbsentFigure.toString() },
        { u"Records"_s, u"%1 of %2 planned"_s.arg(r.storedRecords).arg(r.plannedSamples) },
        { u"Seed"_s, QString::number(r.seed) },
        { u"Plan hash (sha256)"_s, r.planHash },
        { u"App version"_s, r.appVersion },
        { u"Models"_s, d.modelIds.join(u", "_s) },
        { u"Benchmarks"_s, d.benchmarkIds.join(u", "_s) },
    };
    return t;
}

ReportTable ReportTables::thresholds(const ReportData& d)
{
    ReportTable t;
    t.key = u"thresholds"_s;
    t.title = u"Thresholds"_s;
    t.headers = { u"Metric"_s, u"Condition"_s, u"Model"_s, u"Benchmark"_s, u"Actual"_s, u"Result"_s };
    t.textColumns = { 0, 1, 2, 3, 5 };
    const auto& results = d.thresholdReport.results;
    if (d.thresholds.isEmpty())
        t.note = u"The plan declares no thresholds."_s;
    else
        t.note = u"%1 of %2 threshold checks passed."_s.arg(results.size() - d.thresholdReport.failedCount())
                     .arg(results.size());
    for (const auto& r : results) {
        if (!r.passed)
            t.statusRows.push_back(int(t.rows.size()));
        t.rows.push_back({ r.threshold.metric, r.threshold.op + u' ' + exact(r.threshold.value), r.modelId,
            r.benchmarkId, std::isnan(r.actual) ? kAbsentFigure.toString() : exact(r.actual),
            r.passed ? u"passed"_s : u"FAILED"_s });
    }
    return t;
}

QVector<ReportTable> ReportTables::summaryTables(const ReportData& d)
{
    QVector<ReportTable> tables;
    const auto& pairs = d.summary.pairs;

    ReportTable q;
    q.key = u"quality"_s;
    q.title = u"Quality"_s;
    q.note = u"Score: mean with a 95 % confidence interval (Wilson for pass/fail, bootstrap otherwise)."_s;
    q.headers = { u"Model"_s, u"Benchmark"_s, u"Requests"_s, u"OK"_s, u"Failed"_s, u"Error rate"_s, u"Scored"_s,
        u"Score"_s, u"CI low"_s, u"CI high"_s, u"CI method"_s, u"Score errors"_s };
    q.textColumns = { 0, 1 };
    for (const auto& p : pairs) {
        const bool scored = p.scored > 0;
        q.rows.push_back(
            { p.modelId, p.benchmarkId, QString::number(p.n), QString::number(p.ok), QString::number(p.failed),
                fraction(p.errorRate()), QString::number(p.scored), fraction(scored ? p.scoreMean : NAN),
                fraction(scored ? p.scoreCiLow : NAN), fraction(scored ? p.scoreCiHigh : NAN),
                scored ? p.ciMethod : kAbsentFigure.toString(), QString::number(p.scoreErrors) });
    }
    tables.push_back(q);

    ReportTable l;
    l.key = u"latency"_s;
    l.title = u"Latency (ms)"_s;
    l.note = u"Exact percentiles of successful, measured requests (linear interpolation between closest ranks)."_s;
    l.headers = { u"Model"_s, u"Benchmark"_s, u"n"_s, u"p50"_s, u"p90"_s, u"p95"_s, u"p99"_s, u"p99.9"_s, u"max"_s,
        u"TTFT p50"_s, u"TTFT p95"_s, u"TTFT p99"_s, u"ITL p50"_s, u"ITL p99"_s };
    l.textColumns = { 0, 1 };
    // An empty distribution has no percentiles: each cell reads as absent.
    auto pct = [](const Percentiles& d, double v) { return ms(d.isEmpty() ? NAN : v); };
    for (const auto& p : pairs) {
        const auto& a = p.latencyMs;
        const auto& t = p.ttftMs;
        const auto& i = p.itlMs;
        l.rows.push_back({ p.modelId, p.benchmarkId, QString::number(a.n), pct(a, a.p50), pct(a, a.p90), pct(a, a.p95),
            pct(a, a.p99), pct(a, a.p999), pct(a, a.max), pct(t, t.p50), pct(t, t.p95), pct(t, t.p99), pct(i, i.p50),
            pct(i, i.p99) });
    }
    tables.push_back(l);

    ReportTable t;
    t.key = u"throughput"_s;
    t.title = u"Throughput, tokens and cost"_s;
    t.headers = { u"Model"_s, u"Benchmark"_s, u"Duration s"_s, u"Requests/s"_s, u"Output tokens/s"_s, u"Input tokens"_s,
        u"Output tokens"_s, u"Cost USD"_s, u"Retried attempts"_s, u"Cache hits"_s, u"Cache misses"_s,
        u"Bad records"_s };
    t.textColumns = { 0, 1 };
    for (const auto& p : pairs) {
        t.rows.push_back({ p.modelId, p.benchmarkId, rate(p.durationS), rate(p.requestsPerS), rate(p.outputTokensPerS),
            QString::number(p.inputTokens), QString::number(p.outputTokens), usd(p.costUsd),
            QString::number(p.retriedAttempts), QString::number(p.cacheHits), QString::number(p.cacheMisses),
            QString::number(p.badRecords) });
    }
    tables.push_back(t);

    ReportTable e;
    e.key = u"errors"_s;
    e.title = u"Errors by class"_s;
    e.note = u"Final outcome of failed requests (after retries)."_s;
    e.headers = { u"Model"_s, u"Benchmark"_s, u"Class"_s, u"Count"_s, u"Share of requests"_s };
    e.textColumns = { 0, 1, 2 };
    for (const auto& p : pairs) {
        for (auto it = p.errorsByClass.cbegin(); it != p.errorsByClass.cend(); ++it) {
            e.rows.push_back({ p.modelId, p.benchmarkId, it.key(), QString::number(it.value()),
                fraction(p.n > 0 ? double(it.value()) / double(p.n) : NAN) });
        }
    }
    if (e.rows.isEmpty())
        e.note = u"No request failed."_s;
    tables.push_back(e);

    ReportTable c;
    c.key = u"categories"_s;
    c.title = u"Score by category"_s;
    c.headers = { u"Model"_s, u"Benchmark"_s, u"Category"_s, u"Scored"_s, u"Score"_s, u"CI low"_s, u"CI high"_s,
        u"CI method"_s };
    c.textColumns = { 0, 1, 2 };
    for (const auto& p : pairs) {
        for (const auto& cat : p.categories) {
            c.rows.push_back({ p.modelId, p.benchmarkId, cat.category, QString::number(cat.scored), fraction(cat.mean),
                fraction(cat.ciLow), fraction(cat.ciHigh), cat.ciMethod });
        }
    }
    if (!c.rows.isEmpty())
        tables.push_back(c);

    ReportTable k;
    k.key = u"pass_k"_s;
    k.title = u"pass@k and pass^k"_s;
    k.headers = { u"Model"_s, u"Benchmark"_s, u"k"_s, u"Samples"_s, u"pass@k"_s, u"pass^k"_s };
    k.textColumns = { 0, 1 };
    for (const auto& p : pairs) {
        for (const auto& a : p.passAtK) {
            k.rows.push_back({ p.modelId, p.benchmarkId, QString::number(a.k), QString::number(a.samples),
                fraction(a.passAtK), fraction(a.passHatK) });
        }
    }
    if (!k.rows.isEmpty())
        tables.push_back(k);

    tables.push_back(thresholds(d));
    return tables;
}

} // namespace evs
