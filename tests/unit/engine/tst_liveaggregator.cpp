// The live aggregator: per-second buckets, approximate percentiles within 1 %, errors by class, the score's
// convergence, and the same picture rebuilt from the store.
#include "app/engine/liveaggregator.h"
#include "app/engine/runcontroller.h"
#include "app/simulator/simulatorserver.h"
#include "models/core/loghistogram.h"
#include "models/store/resultsstore.h"
#include "tests/testsupport.h"

#include <QSignalSpy>
#include <QTemporaryDir>
#include <QtTest>

#include <random>

using namespace evs;
using namespace Qt::StringLiterals;

namespace {

RunPlan twoModels()
{
    RunPlan p;
    ModelSpec a;
    a.id = u"a"_s;
    a.priceInputPerMTok = 1;
    a.priceOutputPerMTok = 2;
    ModelSpec b;
    b.id = u"b"_s;
    p.models = { a, b };
    return p;
}

RequestRecord rec(int model, double endS, double latencyMs, ErrorClass cls = ErrorClass::None, double score = 1)
{
    RequestRecord r;
    r.modelIndex = model;
    r.t.endNs = qint64(endS * 1e9);
    r.t.sendNs = r.t.endNs - qint64(latencyMs * 1e6);
    r.t.firstTokenNs = r.t.sendNs + qint64(latencyMs * 1e6 / 2);
    r.t.lastTokenNs = r.t.endNs;
    r.errorClass = cls;
    r.score = cls == ErrorClass::None ? score : NAN;
    r.inputTokens = 100;
    r.outputTokens = 10;
    return r;
}

} // namespace

class TestLiveAggregator : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void histogramPercentilesWithinOnePercent()
    {
        std::mt19937_64 rng(3);
        std::lognormal_distribution<double> dist(std::log(120.0), 0.8);
        std::vector<double> values;
        LogHistogram h;
        for (int i = 0; i < 20000; ++i) {
            values.push_back(dist(rng));
            h.add(values.back());
        }
        for (double q : { 0.5, 0.9, 0.95, 0.99, 0.999 }) {
            // nearest-rank definition, which the histogram approximates
            std::vector<double> v = values;
            std::sort(v.begin(), v.end());
            const double exact = v[size_t(std::ceil(q * double(v.size()))) - 1];
            const double approx = h.percentile(q);
            QVERIFY2(std::abs(approx - exact) / exact <= 0.0101,
                qPrintable(u"q=%1 %2 vs %3"_s.arg(q).arg(approx).arg(exact)));
        }
        QCOMPARE(h.percentile(1.0), *std::max_element(values.begin(), values.end()));
        QCOMPARE(h.count(), qint64(20000));
    }

    void bucketsPerSecond()
    {
        LiveAggregator agg(twoModels());
        // second 0: 3 ok of model a; second 1: 1 ok + 1 timeout of a, 2 ok of b; second 4: 1 ok of a (gap 2..3)
        agg.record(rec(0, 0.1, 100));
        agg.record(rec(0, 0.5, 200));
        agg.record(rec(0, 0.9, 300, ErrorClass::None, 0));
        agg.record(rec(0, 1.2, 150));
        agg.record(rec(0, 1.3, 5000, ErrorClass::Timeout));
        agg.record(rec(1, 1.4, 80));
        agg.record(rec(1, 1.1, 90)); // out of order within the open seconds
        agg.record(rec(0, 4.5, 120));
        RunProgress progress;
        const auto snap = agg.snapshot(1, progress, qint64(5.2e9), false);
        QCOMPARE(snap->models.size(), size_t(2));
        const LiveSeries& a = snap->models[0];
        QCOMPARE(a.done, qint64(6));
        QCOMPARE(a.failed, qint64(1));
        QCOMPARE(a.errors[size_t(ErrorClass::Timeout)], qint64(1));
        QCOMPARE(a.points.size(), size_t(5)); // seconds 0, 1, 2 (empty), 3 (empty), 4
        QCOMPARE(a.points[0].done, qint64(3));
        QCOMPARE(a.points[0].requestsPerS, 3.0);
        QCOMPARE(a.points[1].done, qint64(2));
        QCOMPARE(a.points[1].errors[size_t(ErrorClass::Timeout)], qint64(1));
        QCOMPARE(a.points[2].done, qint64(0));
        QVERIFY(std::isnan(a.points[2].latencyP50Ms));
        QCOMPARE(a.points[4].tS, 5.0);
        QVERIFY(std::abs(a.points[0].latencyP50Ms - 200) / 200 < 0.02);
        // convergence: after second 0, 2 of 3 scored right
        QCOMPARE(a.points[0].scoredSoFar, qint64(3));
        QVERIFY(std::abs(a.points[0].scoreMean - 2.0 / 3) < 1e-9);
        QVERIFY(a.points[0].scoreCiLow < a.points[0].scoreMean && a.points[0].scoreCiHigh > a.points[0].scoreMean);
        QCOMPARE(snap->models[1].done, qint64(2));
        QCOMPARE(snap->total.done, qint64(8));
        QVERIFY(std::abs(a.costUsd - 6 * (100 * 1.0 + 10 * 2.0) / 1e6) < 1e-12);
        // The current second (5) is not shown until it has passed, unless the run is final.
        agg.record(rec(0, 5.1, 100));
        QCOMPARE(agg.snapshot(1, progress, qint64(5.5e9), false)->models[0].points.size(), size_t(5));
        QCOMPARE(agg.snapshot(1, progress, qint64(5.5e9), true)->models[0].points.size(), size_t(6));
    }

    void storeRebuildMatchesTheRun()
    {
        QTemporaryDir dir;
        SimulatorSettings s;
        s.accuracy = 0.6;
        s.latencyMs = 10;
        s.tailMs = 40;
        s.tokenMs = 1;
        s.faults.insert(u"http_5xx"_s, 0.1);
        SimulatorHost sim(s, 2);
        QString error;
        QVERIFY2(sim.start(0, &error), qPrintable(error));
        RunPlan plan;
        plan.name = u"agg"_s;
        plan.seed = 1;
        ModelSpec m;
        m.id = u"sim"_s;
        m.provider = u"simulator"_s;
        m.baseUrl = sim.baseUrl();
        m.concurrency = 8;
        m.retries = { 1, 1, 1 };
        plan.models = { m };
        BenchmarkSpec b;
        b.id = u"mc"_s;
        b.dataset = u"builtin:multiple-choice"_s;
        b.scorer.type = u"multiple_choice"_s;
        b.scorer.options = QJsonObject { { u"type"_s, u"multiple_choice"_s } };
        b.repeats = 2;
        plan.benchmarks = { b };
        const QString db = dir.filePath(u"agg.sqlite"_s);
        RunController c;
        QSignalSpy snapshots(&c, &RunController::snapshotAvailable);
        QSignalSpy finished(&c, &RunController::runFinished);
        QVERIFY2(c.start(plan, { db, 0 }, &error), qPrintable(error));
        QVERIFY(finished.wait(60000));
        QVERIFY(!snapshots.isEmpty());
        const auto live = snapshots.last().first().value<LiveSnapshotPtr>();
        QVERIFY(live->final);
        QCOMPARE(live->total.done, qint64(120));
        ResultsStore store;
        QVERIFY(store.open(db, &error));
        const auto rebuilt = LiveAggregator::fromStore(store, c.runId(), &error);
        QVERIFY2(rebuilt, qPrintable(error));
        QCOMPARE(rebuilt->total.done, live->total.done);
        QCOMPARE(rebuilt->total.failed, live->total.failed);
        QCOMPARE(rebuilt->total.scored, live->total.scored);
        QCOMPARE(rebuilt->total.latency.count(), live->total.latency.count());
        // Live percentiles are within 1 % of the store's exact ones (nearest-rank vs interpolated: compare p50
        // against the exact neighbours).
        const PairSummary& exact = c.summary()->pairs.first();
        QVERIFY(std::abs(live->total.latency.percentile(0.5) - exact.latencyMs.p50) / exact.latencyMs.p50 < 0.05);
        QCOMPARE(live->total.failed, exact.failed);
        qint64 perSecond = 0;
        for (const LivePoint& p : rebuilt->total.points)
            perSecond += p.done;
        QCOMPARE(perSecond, qint64(120));
    }
};

QTEST_GUILESS_MAIN(TestLiveAggregator)
#include "tst_liveaggregator.moc"
