// Thresholds evaluated on a run's exact summary: per pair, narrowed by model/benchmark, every metric kind, and a
// percentile the summary does not carry computed from the store.
#include "app/engine/runcontroller.h"
#include "app/simulator/simulatorserver.h"
#include "models/stats/thresholds.h"
#include "models/store/resultsstore.h"
#include "tests/testsupport.h"

#include <QSignalSpy>
#include <QTemporaryDir>
#include <QtTest>

using namespace evs;
using namespace Qt::StringLiterals;

namespace {

PairSummary pair(int m, int b, const QString& model, const QString& bench)
{
    PairSummary p;
    p.modelIndex = m;
    p.benchmarkIndex = b;
    p.modelId = model;
    p.benchmarkId = bench;
    p.n = 100;
    p.failed = 5;
    p.scored = 95;
    p.scoreMean = 0.8;
    p.latencyMs.n = 95;
    p.latencyMs.p95 = 400;
    p.ttftMs.n = 95;
    p.ttftMs.p99 = 250;
    p.outputTokensPerS = 1000;
    p.requestsPerS = 50;
    return p;
}

Threshold th(
    const QString& metric, const QString& op, double value, const QString& model = {}, const QString& bench = {})
{
    Threshold t;
    t.metric = metric;
    t.op = op;
    t.value = value;
    t.model = model;
    t.benchmark = bench;
    return t;
}

} // namespace

class TestThresholds : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void metrics_data()
    {
        QTest::addColumn<QString>("metric");
        QTest::addColumn<QString>("op");
        QTest::addColumn<double>("value");
        QTest::addColumn<bool>("passed");
        QTest::addColumn<double>("actual");
        QTest::addRow("p95 below") << u"latency_p95_ms"_s << u"<"_s << 500.0 << true << 400.0;
        QTest::addRow("p95 not below") << u"latency_p95_ms"_s << u"<"_s << 400.0 << false << 400.0;
        QTest::addRow("p95 at most") << u"latency_p95_ms"_s << u"<="_s << 400.0 << true << 400.0;
        QTest::addRow("ttft p99") << u"ttft_p99_ms"_s << u"<"_s << 200.0 << false << 250.0;
        QTest::addRow("error rate") << u"error_rate"_s << u"<"_s << 0.1 << true << 0.05;
        QTest::addRow("score") << u"score"_s << u">="_s << 0.7 << true << 0.8;
        QTest::addRow("score too low") << u"score"_s << u">"_s << 0.85 << false << 0.8;
        QTest::addRow("tokens/s") << u"output_tokens_per_s"_s << u">"_s << 999.0 << true << 1000.0;
        QTest::addRow("req/s") << u"requests_per_s"_s << u">="_s << 60.0 << false << 50.0;
    }
    void metrics()
    {
        QFETCH(QString, metric);
        QFETCH(QString, op);
        QFETCH(double, value);
        QFETCH(bool, passed);
        QFETCH(double, actual);
        RunSummary s;
        s.pairs = { pair(0, 0, u"m"_s, u"b"_s) };
        const ThresholdReport r = evaluateThresholds({ th(metric, op, value) }, s, nullptr, 0);
        QCOMPARE(r.results.size(), 1);
        QCOMPARE(r.results.first().passed, passed);
        QCOMPARE(r.results.first().actual, actual);
        QCOMPARE(r.allPassed(), passed);
        QVERIFY(r.toText().contains(passed ? u"pass"_s : u"FAIL"_s));
    }

    void narrowing()
    {
        RunSummary s;
        s.pairs = { pair(0, 0, u"a"_s, u"x"_s), pair(0, 1, u"a"_s, u"y"_s), pair(1, 0, u"b"_s, u"x"_s),
            pair(1, 1, u"b"_s, u"y"_s) };
        QCOMPARE(evaluateThresholds({ th(u"score"_s, u">="_s, 0.5) }, s, nullptr, 0).results.size(), 4);
        QCOMPARE(evaluateThresholds({ th(u"score"_s, u">="_s, 0.5, u"a"_s) }, s, nullptr, 0).results.size(), 2);
        QCOMPARE(evaluateThresholds({ th(u"score"_s, u">="_s, 0.5, {}, u"y"_s) }, s, nullptr, 0).results.size(), 2);
        const auto one = evaluateThresholds({ th(u"score"_s, u">="_s, 0.5, u"b"_s, u"y"_s) }, s, nullptr, 0);
        QCOMPARE(one.results.size(), 1);
        QCOMPARE(one.results.first().modelId, u"b"_s);
        QCOMPARE(one.results.first().benchmarkId, u"y"_s);
    }

    void noDataFails()
    {
        RunSummary s;
        PairSummary p = pair(0, 0, u"m"_s, u"b"_s);
        p.latencyMs = {};
        p.scored = 0;
        s.pairs = { p };
        const auto r
            = evaluateThresholds({ th(u"latency_p95_ms"_s, u"<"_s, 1e9), th(u"score"_s, u">="_s, 0) }, s, nullptr, 0);
        QCOMPARE(r.failedCount(), 2);
        QVERIFY(r.results.first().describe().contains(u"no data"_s));
    }

    void uncommonPercentileComesFromTheStore()
    {
        SimulatorSettings settings;
        settings.latencyMs = 5;
        settings.tailMs = 60;
        settings.tokenMs = 0;
        SimulatorHost sim(settings, 4);
        QString error;
        QVERIFY2(sim.start(0, &error), qPrintable(error));
        RunPlan plan;
        plan.name = u"thresholds"_s;
        ModelSpec m;
        m.id = u"sim"_s;
        m.provider = u"simulator"_s;
        m.baseUrl = sim.baseUrl();
        m.concurrency = 8;
        plan.models = { m };
        BenchmarkSpec b;
        b.id = u"mc"_s;
        b.dataset = u"builtin:multiple-choice"_s;
        b.scorer.type = u"multiple_choice"_s;
        b.scorer.options = QJsonObject { { u"type"_s, u"multiple_choice"_s } };
        plan.benchmarks = { b };
        plan.thresholds = { th(u"latency_p75_ms"_s, u"<"_s, 1e6), th(u"latency_p75_ms"_s, u"<"_s, 0.001) };
        QTemporaryDir dir;
        const QString db = dir.filePath(u"t.sqlite"_s);
        RunController c;
        QSignalSpy finished(&c, &RunController::runFinished);
        QVERIFY2(c.start(plan, { db, 0 }, &error), qPrintable(error));
        QVERIFY(finished.wait(60000));
        const ThresholdReport& r = c.thresholds();
        QCOMPARE(r.results.size(), 2);
        QVERIFY(r.results[0].passed);
        QVERIFY(!r.results[1].passed);
        std::vector<double> latency;
        test::SqlReader sql(db);
        for (const auto& row : sql.rows("SELECT t_last_token - t_send FROM results WHERE error_class IS NULL"))
            latency.push_back(row[0].toDouble() / 1e6);
        QVERIFY(std::abs(r.results[0].actual - test::numpyPercentile(latency, 0.75)) < 1e-9);
        // Saved with the run's summary.
        ResultsStore store;
        QVERIFY(store.open(db, &error));
        QCOMPARE(store.run(c.runId())->summary.value(u"thresholds"_s).toArray().size(), 2);
    }
};

QTEST_GUILESS_MAIN(TestThresholds)
#include "tst_thresholds.moc"
