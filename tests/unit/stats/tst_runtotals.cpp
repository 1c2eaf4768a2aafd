// A run's totals from hand-made pair summaries: counts and cost summed, throughput added over each model's
// benchmarks and then over the models, the score pooled (Wilson on pooled counts, or a normal interval), the worst
// pair's percentiles, and absent figures staying absent (NaN), never 0.
#include "models/stats/runtotals.h"
#include "models/stats/statistics.h"

#include <QTest>

#include <cmath>

using namespace Qt::StringLiterals;
using namespace evs;

Q_DECLARE_METATYPE(evs::RunSummary)
Q_DECLARE_METATYPE(evs::RunTotals)

namespace {

constexpr double kZ95 = 1.959963984540054;

struct Figures {
    int model = 0;
    int benchmark = 0;
    qint64 n = 0;
    qint64 failed = 0;
    double durationS = NAN;
    double requestsPerS = NAN;
    double outputTokensPerS = NAN;
    double costUsd = 0;
    qint64 scored = 0;
    double mean = NAN;
    double stdErr = NAN;
    QString ciMethod;
    double ciLow = NAN;
    double ciHigh = NAN;
    double latencyP50 = NAN;
    double latencyP95 = NAN;
    double latencyP99 = NAN;
};

PairSummary pair(const Figures& f)
{
    PairSummary p;
    p.modelIndex = f.model;
    p.benchmarkIndex = f.benchmark;
    p.modelId = u"m%1"_s.arg(f.model);
    p.benchmarkId = u"b%1"_s.arg(f.benchmark);
    p.n = f.n;
    p.failed = f.failed;
    p.ok = f.n - f.failed;
    p.durationS = f.durationS;
    p.requestsPerS = f.requestsPerS;
    p.outputTokensPerS = f.outputTokensPerS;
    p.costUsd = f.costUsd;
    p.scored = f.scored;
    p.scoreMean = f.mean;
    p.scoreStdErr = f.stdErr;
    p.ciMethod = f.ciMethod;
    p.scoreCiLow = f.ciLow;
    p.scoreCiHigh = f.ciHigh;
    if (!std::isnan(f.latencyP50)) {
        p.latencyMs.n = p.ok;
        p.latencyMs.p50 = f.latencyP50;
        p.latencyMs.p95 = f.latencyP95;
        p.latencyMs.p99 = f.latencyP99;
        p.ttftMs.n = p.ok;
        p.ttftMs.p50 = f.latencyP50 / 4;
        p.ttftMs.p99 = f.latencyP99 / 4;
    }
    return p;
}

RunSummary summaryOf(std::initializer_list<Figures> pairs)
{
    RunSummary s;
    s.runId = 1;
    for (const Figures& f : pairs)
        s.pairs.push_back(pair(f));
    return s;
}

// Exact equality, NaN equal to NaN (absent is absent); `tolerance` for figures computed with square roots.
bool same(double got, double want, double tolerance = 0)
{
    if (std::isnan(want))
        return std::isnan(got);
    return std::abs(got - want) <= tolerance;
}

} // namespace

class TestRunTotals : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void totals_data();
    void totals();
};

void TestRunTotals::totals_data()
{
    QTest::addColumn<RunSummary>("summary");
    QTest::addColumn<RunTotals>("expected");

    {
        RunTotals t;
        t.pairs = 1;
        t.n = 100;
        t.failed = 4;
        t.errorRate = 0.04;
        t.requestsPerS = 9.6; // the pair's own figure, not requests × duration divided back
        t.outputTokensPerS = 200;
        t.costUsd = 0.5;
        t.scored = 96;
        t.scoreMean = 0.75;
        t.scoreCiLow = 0.65; // the pair's own interval
        t.scoreCiHigh = 0.83;
        t.ciMethod = u"wilson"_s;
        t.worstLatencyMs.n = 96;
        t.worstLatencyMs.p50 = 100;
        t.worstLatencyMs.p95 = 200;
        t.worstLatencyMs.p99 = 300;
        QTest::addRow("one pair") << summaryOf(
            { { 0, 0, 100, 4, 10, 9.6, 200, 0.5, 96, 0.75, 0.04, u"wilson"_s, 0.65, 0.83, 100, 200, 300 } })
                                  << t;
    }
    {
        // One model runs its two benchmarks one after the other: 100 + 60 requests in 10 + 30 s.
        RunTotals t;
        t.pairs = 2;
        t.n = 164;
        t.failed = 4;
        t.errorRate = 4.0 / 164.0;
        t.requestsPerS = 160.0 / 40.0;
        t.outputTokensPerS = (1000.0 + 1500.0) / 40.0;
        t.costUsd = 0.75;
        t.scored = 160;
        t.scoreMean = (50.0 + 45.0) / 160.0;
        std::tie(t.scoreCiLow, t.scoreCiHigh) = stats::wilsonInterval(95, 160); // pooled pass/fail counts
        t.ciMethod = u"wilson"_s;
        t.worstLatencyMs.n = 160;
        t.worstLatencyMs.p50 = 120; // each quantile is the worst pair's, even from different pairs
        t.worstLatencyMs.p95 = 200;
        t.worstLatencyMs.p99 = 300;
        QTest::addRow("two pairs, same model, Wilson")
            << summaryOf({ { 0, 0, 100, 0, 10, 10, 100, 0.25, 100, 0.5, 0.05, u"wilson"_s, 0.4, 0.6, 100, 200, 300 },
                   { 0, 1, 64, 4, 30, 2, 50, 0.5, 60, 0.75, 0.05, u"wilson"_s, 0.6, 0.85, 120, 150, 250 } })
            << t;
    }
    {
        // Two models run side by side: their rates add up.
        RunTotals t;
        t.pairs = 2;
        t.n = 150;
        t.failed = 0;
        t.errorRate = 0;
        t.requestsPerS = 10.0 + 5.0;
        t.outputTokensPerS = 100.0 + 40.0;
        t.costUsd = 1.5;
        t.scored = 150;
        t.scoreMean = (60.0 + 45.0) / 150.0;
        const double se = std::sqrt(3.0 * 3.0 + 2.0 * 2.0) / 150.0; // (0.03 × 100)² + (0.04 × 50)²
        t.scoreCiLow = t.scoreMean - kZ95 * se;
        t.scoreCiHigh = t.scoreMean + kZ95 * se;
        t.ciMethod = u"normal"_s;
        t.worstLatencyMs.n = 150;
        t.worstLatencyMs.p50 = 300;
        t.worstLatencyMs.p95 = 600;
        t.worstLatencyMs.p99 = 900;
        QTest::addRow("two models, bootstrap")
            << summaryOf({ { 0, 0, 100, 0, 10, 10, 100, 1, 100, 0.6, 0.03, u"bootstrap"_s, 0.5, 0.7, 100, 200, 300 },
                   { 1, 0, 50, 0, 20, 5, 40, 0.5, 50, 0.9, 0.04, u"bootstrap"_s, 0.8, 0.95, 300, 600, 900 } })
            << t;
    }
    {
        // One pass/fail pair and one graded pair: no pooled Wilson, a normal interval.
        RunTotals t;
        t.pairs = 2;
        t.n = 150;
        t.failed = 0;
        t.errorRate = 0;
        t.requestsPerS = 15;
        t.outputTokensPerS = 140;
        t.costUsd = 1.5;
        t.scored = 150;
        t.scoreMean = (60.0 + 45.0) / 150.0;
        const double se = std::sqrt(3.0 * 3.0 + 2.0 * 2.0) / 150.0;
        t.scoreCiLow = t.scoreMean - kZ95 * se;
        t.scoreCiHigh = t.scoreMean + kZ95 * se;
        t.ciMethod = u"normal"_s;
        t.worstLatencyMs.n = 150;
        t.worstLatencyMs.p50 = 300;
        t.worstLatencyMs.p95 = 600;
        t.worstLatencyMs.p99 = 900;
        QTest::addRow("two models, Wilson and bootstrap")
            << summaryOf({ { 0, 0, 100, 0, 10, 10, 100, 1, 100, 0.6, 0.03, u"wilson"_s, 0.5, 0.7, 100, 200, 300 },
                   { 1, 0, 50, 0, 20, 5, 40, 0.5, 50, 0.9, 0.04, u"bootstrap"_s, 0.8, 0.95, 300, 600, 900 } })
            << t;
    }
    {
        // Every request failed: counts and rates are real, latency and score have no data.
        RunTotals t;
        t.pairs = 1;
        t.n = 5;
        t.failed = 5;
        t.errorRate = 1;
        t.requestsPerS = 2.5;
        t.outputTokensPerS = 0;
        QTest::addRow("every request failed")
            << summaryOf({ { 0, 0, 5, 5, 2, 2.5, 0, 0, 0, NAN, NAN, {}, NAN, NAN, NAN, NAN, NAN } }) << t;
    }
    {
        // Nothing was sent (every answer came from the cache): no time span, so no rates.
        RunTotals t;
        t.pairs = 2;
        t.n = 20;
        t.scored = 20;
        t.errorRate = 0;
        t.scoreMean = 1;
        std::tie(t.scoreCiLow, t.scoreCiHigh) = stats::wilsonInterval(20, 20);
        t.ciMethod = u"wilson"_s;
        QTest::addRow("nothing sent") << summaryOf(
            { { 0, 0, 10, 0, NAN, NAN, NAN, 0, 10, 1, 0, u"wilson"_s, 0.7, 1, NAN, NAN, NAN },
                { 1, 0, 10, 0, NAN, NAN, NAN, 0, 10, 1, 0, u"wilson"_s, 0.7, 1, NAN, NAN, NAN } })
                                      << t;
    }
    QTest::addRow("no pairs") << RunSummary() << RunTotals();
}

void TestRunTotals::totals()
{
    QFETCH(RunSummary, summary);
    QFETCH(RunTotals, expected);
    const RunTotals t = RunTotals::of(summary);
    QCOMPARE(t.pairs, expected.pairs);
    QCOMPARE(t.n, expected.n);
    QCOMPARE(t.failed, expected.failed);
    QCOMPARE(t.scored, expected.scored);
    QVERIFY2(same(t.errorRate, expected.errorRate), qPrintable(QString::number(t.errorRate)));
    QVERIFY2(same(t.requestsPerS, expected.requestsPerS), qPrintable(QString::number(t.requestsPerS)));
    QVERIFY2(same(t.outputTokensPerS, expected.outputTokensPerS), qPrintable(QString::number(t.outputTokensPerS)));
    QVERIFY2(same(t.costUsd, expected.costUsd, 1e-12), qPrintable(QString::number(t.costUsd)));
    QVERIFY2(same(t.scoreMean, expected.scoreMean, 1e-12), qPrintable(QString::number(t.scoreMean)));
    QVERIFY2(same(t.scoreCiLow, expected.scoreCiLow, 1e-12), qPrintable(QString::number(t.scoreCiLow)));
    QVERIFY2(same(t.scoreCiHigh, expected.scoreCiHigh, 1e-12), qPrintable(QString::number(t.scoreCiHigh)));
    QCOMPARE(t.ciMethod, expected.ciMethod);
    QCOMPARE(t.worstLatencyMs.n, expected.worstLatencyMs.n);
    QCOMPARE(t.worstLatencyMs.isEmpty(), expected.worstLatencyMs.isEmpty());
    QVERIFY(same(t.worstLatencyMs.p50, expected.worstLatencyMs.p50));
    QVERIFY(same(t.worstLatencyMs.p95, expected.worstLatencyMs.p95));
    QVERIFY(same(t.worstLatencyMs.p99, expected.worstLatencyMs.p99));
    // TTFT is pooled the same way (the fixture's TTFT is a quarter of its latency).
    QCOMPARE(t.worstTtftMs.n, expected.worstLatencyMs.n);
    QVERIFY(same(t.worstTtftMs.p50, expected.worstLatencyMs.p50 / 4));
    QVERIFY(same(t.worstTtftMs.p99, expected.worstLatencyMs.p99 / 4));
}

QTEST_APPLESS_MAIN(TestRunTotals)
#include "tst_runtotals.moc"
