// Comparison of sides read from a store: figures equal RunSummary's, shared and discordant counts and
// disagreement pages equal independent SQL, McNemar on pass/fail scores, paired bootstrap otherwise.
#include "models/stats/comparison.h"
#include "models/store/resultsstore.h"
#include "models/store/resultswriter.h"
#include "tests/testsupport.h"
#include "tests/unit/browse/browsefixture.h"

#include <QTemporaryDir>
#include <QtTest>

using namespace Qt::StringLiterals;

namespace {

evs::CompareSide side(qint64 run, int model)
{
    evs::CompareSide s;
    s.runId = run;
    s.modelIndex = model;
    return s;
}

// Two models on one pass/fail benchmark: model 0 right when s % 4 != 0, model 1 when s is even.
bool writeBinaryFixture(const QString& path, int samples, qint64* runId, QString* error)
{
    evs::ResultsStore store;
    if (!store.open(path, error))
        return false;
    const QByteArray plan = R"({"name":"binary","models":[{"id":"m0"},{"id":"m1"}],"benchmarks":[{"id":"pf"}]})";
    const auto run = store.createRun(u"binary"_s, plan, 3, 2 * samples, error);
    if (!run)
        return false;
    evs::ResultsWriter writer(path);
    if (!writer.start(error))
        return false;
    for (qint64 s = 0; s < samples; ++s) {
        for (int m = 0; m < 2; ++m) {
            auto r = evs::test::browseRecord(*run, m, 0, s);
            if (std::isfinite(r.score) || r.scoreError) {
                r.scoreError = false;
                r.score = (m == 0 ? s % 4 != 0 : s % 2 == 0) ? 1.0 : 0.0;
            }
            writer.enqueue(std::move(r));
        }
    }
    if (!writer.flush()) {
        *error = writer.error();
        return false;
    }
    writer.stop();
    *runId = *run;
    return store.setRunStatus(*run, evs::RunStatus::Completed, error);
}

} // namespace

class TestComparison : public QObject {
    Q_OBJECT
    QTemporaryDir m_dir;
    evs::test::BrowseFixture m_fixture;
    qint64 m_binaryRun = 0;
    QString m_binaryPath;

private Q_SLOTS:
    void initTestCase()
    {
        QString error;
        QVERIFY2(evs::test::writeBrowseFixture(m_dir.filePath(u"browse.sqlite"_s), 300, &m_fixture, &error),
            qPrintable(error));
        m_binaryPath = m_dir.filePath(u"binary.sqlite"_s);
        QVERIFY2(writeBinaryFixture(m_binaryPath, 200, &m_binaryRun, &error), qPrintable(error));
    }

    void figuresEqualRunSummary()
    {
        evs::ResultsStore store;
        QString error;
        QVERIFY(store.open(m_fixture.path, &error));
        evs::CompareRequest req;
        req.sides = { side(m_fixture.runId, 0), side(m_fixture.runId, 1) };
        const auto c = evs::computeComparison(store, req, &error);
        QVERIFY2(c, qPrintable(error));
        const auto summary = evs::computeRunSummary(store, m_fixture.runId, &error);
        QVERIFY(summary);
        evs::test::SqlReader sql(m_fixture.path);
        QCOMPARE(c->sides[1].modelId, u"beta"_s);
        QCOMPARE(c->benchmarks.size(), 2);
        for (const auto& b : c->benchmarks) {
            for (int i = 0; i < 2; ++i) {
                const auto& f = b.sides[i];
                QVERIFY(f.present);
                const auto it = std::find_if(summary->pairs.cbegin(), summary->pairs.cend(),
                    [&](const evs::PairSummary& p) { return p.modelIndex == i && p.benchmarkId == b.benchmarkId; });
                QVERIFY(it != summary->pairs.cend());
                QCOMPARE(f.summary.n, it->n);
                QCOMPARE(f.summary.scoreMean, it->scoreMean);
                QCOMPARE(f.summary.latencyMs.p95, it->latencyMs.p95);
                QCOMPARE(f.errorRate, double(it->failed) / double(it->n));
                QCOMPARE(f.latencyQuantilesMs.size(), evs::Comparison::kCdfPoints);
                QVERIFY(it->latencyMs.n > 0);
                QCOMPARE(f.latencyQuantilesMs[50], it->latencyMs.p50);
                QCOMPARE(f.latencyQuantilesMs.last(), it->latencyMs.max);
                // The CDF starts at the smallest measured latency, read with plain SQL.
                const QByteArray minLatency = "SELECT MIN(COALESCE(t_last_token, t_end) - t_send) FROM results "
                                              "WHERE error_class IS NULL AND cached = 0 AND t_send IS NOT NULL "
                                              "AND run_id = "
                    + QByteArray::number(m_fixture.runId) + " AND model_idx = " + QByteArray::number(i)
                    + " AND benchmark_idx = " + QByteArray::number(f.benchmarkIndex);
                QCOMPARE(f.latencyQuantilesMs.first(), double(sql.scalar(minLatency.constData())) / 1e6);
            }
            const auto& pc = b.vsBaseline[1];
            QCOMPARE(pc.test, u"paired_bootstrap"_s); // scores 0, 0.5 and 1
            QCOMPARE(pc.latencyMs.size(), 3);
            QCOMPARE(pc.latencyMs[0].diff, b.sides[1].summary.latencyMs.p50 - b.sides[0].summary.latencyMs.p50);
            QCOMPARE(pc.latencyMs[1].diff, b.sides[1].summary.latencyMs.p95 - b.sides[0].summary.latencyMs.p95);
            QVERIFY(pc.scoreDiff.ciLow <= pc.scoreDiff.meanDiff && pc.scoreDiff.meanDiff <= pc.scoreDiff.ciHigh);
            QVERIFY(std::abs(pc.scoreDiff.meanDiff - (b.sides[1].summary.scoreMean - b.sides[0].summary.scoreMean))
                < 0.05); // shared samples only; both sides score almost the same samples
        }
    }

    void countsEqualIndependentSql()
    {
        evs::ResultsStore store;
        QString error;
        QVERIFY(store.open(m_fixture.path, &error));
        evs::CompareRequest req;
        req.sides = { side(m_fixture.runId, 1), side(m_fixture.runId, 0) };
        req.baseline = 0; // beta is the baseline this time
        req.benchmarkId = u"mc"_s;
        const auto c = evs::computeComparison(store, req, &error);
        QVERIFY2(c, qPrintable(error));
        QCOMPARE(c->benchmarks.size(), 1);
        const auto& pc = c->benchmarks[0].vsBaseline[1];

        evs::test::SqlReader sql(m_fixture.path);
        const QByteArray join = "FROM results a JOIN results b ON a.sample_idx = b.sample_idx AND a.repeat = b.repeat "
                                "AND b.run_id = a.run_id AND b.benchmark_idx = a.benchmark_idx AND b.model_idx = 0 "
                                "WHERE a.run_id = "
            + QByteArray::number(m_fixture.runId) + " AND a.model_idx = 1 AND a.benchmark_idx = 1 ";
        const qint64 shared = sql.scalar(
            QByteArray("SELECT COUNT(*) " + join + "AND a.score IS NOT NULL AND b.score IS NOT NULL").constData());
        const qint64 baseOnly
            = sql.scalar(QByteArray("SELECT COUNT(*) " + join + "AND a.score = 1 AND b.score < 1").constData());
        const qint64 sideOnly
            = sql.scalar(QByteArray("SELECT COUNT(*) " + join + "AND b.score = 1 AND a.score < 1").constData());
        QVERIFY(shared > 0 && baseOnly > 0 && sideOnly > 0);
        QCOMPARE(pc.shared, shared);
        QCOMPARE(pc.baselineOnlyRight, baseOnly);
        QCOMPARE(pc.sideOnlyRight, sideOnly);
        // Scored on one side only: no scored record of the other side has the same sample and repeat.
        const auto scoredOnlyOn = [&](int model, int other) {
            const QByteArray q = "SELECT COUNT(*) FROM results x WHERE x.run_id = "
                + QByteArray::number(m_fixture.runId) + " AND x.model_idx = " + QByteArray::number(model)
                + " AND x.benchmark_idx = 1 AND x.score IS NOT NULL AND NOT EXISTS (SELECT 1 FROM results y WHERE "
                  "y.run_id = x.run_id AND y.benchmark_idx = 1 AND y.sample_idx = x.sample_idx AND y.repeat = "
                  "x.repeat AND y.score IS NOT NULL AND y.model_idx = "
                + QByteArray::number(other) + ")";
            return sql.scalar(q.constData());
        };
        QCOMPARE(pc.onlyBaseline, scoredOnlyOn(1, 0));
        QCOMPARE(pc.onlySide, scoredOnlyOn(0, 1));
        // Every scored record of a side is shared or its side's only: the three counts partition them.
        const auto scored = [&](int model) {
            return sql.scalar(QByteArray("SELECT COUNT(*) FROM results WHERE score IS NOT NULL AND benchmark_idx = 1 "
                                         "AND run_id = "
                + QByteArray::number(m_fixture.runId) + " AND model_idx = " + QByteArray::number(model))
                                  .constData());
        };
        QCOMPARE(pc.shared + pc.onlyBaseline, scored(1));
        QCOMPARE(pc.shared + pc.onlySide, scored(0));

        evs::DisagreementPair pair { m_fixture.runId, 1, 1, m_fixture.runId, 0, 1 };
        QCOMPARE(*evs::countDisagreements(store, pair, &error), baseOnly + sideOnly);
        // Pages of 7 walk every disagreement once, in key order.
        qint64 seen = 0, lastSample = -1;
        int lastRepeat = -1;
        for (int guard = 0; guard < 1000; ++guard) {
            const auto page = evs::disagreementPage(store, pair, lastSample, lastRepeat, 7, &error);
            QVERIFY2(page, qPrintable(error));
            if (page->isEmpty())
                break;
            for (const auto& d : *page) {
                QVERIFY(d.sampleIndex > lastSample || (d.sampleIndex == lastSample && d.repeat > lastRepeat));
                QVERIFY((d.baseScore >= 1) != (d.otherScore >= 1));
                QVERIFY(!d.baseResponse.isEmpty() && !d.otherResponse.isEmpty());
                lastSample = d.sampleIndex;
                lastRepeat = d.repeat;
                ++seen;
            }
        }
        QCOMPARE(seen, baseOnly + sideOnly);
    }

    void unsharedSamplesAreCounted()
    {
        // The other run has 10 samples of model 0 on arith: the rest of the baseline's samples are not shared.
        evs::ResultsStore store;
        QString error;
        QVERIFY(store.open(m_fixture.path, &error));
        evs::CompareRequest req;
        req.sides = { side(m_fixture.runId, 0), side(m_fixture.otherRunId, 0) };
        req.benchmarkId = u"arith"_s;
        const auto c = evs::computeComparison(store, req, &error);
        QVERIFY2(c, qPrintable(error));
        const auto& pc = c->benchmarks[0].vsBaseline[1];
        evs::test::SqlReader sql(m_fixture.path);
        const qint64 baseScored = sql.scalar(QByteArray("SELECT COUNT(*) FROM results WHERE run_id = "
            + QByteArray::number(m_fixture.runId) + " AND model_idx = 0 AND benchmark_idx = 0 AND score IS NOT NULL")
                                                 .constData());
        const qint64 otherScored = sql.scalar(QByteArray("SELECT COUNT(*) FROM results WHERE run_id = "
            + QByteArray::number(m_fixture.otherRunId) + " AND score IS NOT NULL")
                                                  .constData());
        QCOMPARE(pc.shared, otherScored); // the same records: every scored one is shared
        QCOMPARE(pc.onlyBaseline, baseScored - otherScored);
        QCOMPARE(pc.onlySide, qint64(0));
        QCOMPARE(pc.disagreements(), qint64(0));
        QCOMPARE(pc.scoreDiff.meanDiff, 0.0);
    }

    void passFailUsesMcNemar()
    {
        evs::ResultsStore store;
        QString error;
        QVERIFY(store.open(m_binaryPath, &error));
        const auto sides = evs::sidesOfRun(store, m_binaryRun, {}, &error);
        QVERIFY2(sides && sides->size() == 2, qPrintable(error));
        evs::CompareRequest req;
        req.sides = *sides;
        const auto c = evs::computeComparison(store, req, &error);
        QVERIFY2(c, qPrintable(error));
        const auto& pc = c->benchmarks[0].vsBaseline[1];
        QCOMPARE(pc.test, u"mcnemar_exact"_s);
        // Counted independently over the scored samples: model 0 right and 1 wrong = odd s; the reverse = s % 4 == 0.
        evs::test::SqlReader sql(m_binaryPath);
        const qint64 b = sql.scalar("SELECT COUNT(*) FROM results WHERE model_idx = 0 AND score IS NOT NULL "
                                    "AND sample_idx % 2 = 1");
        const qint64 cc = sql.scalar("SELECT COUNT(*) FROM results WHERE model_idx = 0 AND score IS NOT NULL "
                                     "AND sample_idx % 4 = 0");
        QCOMPARE(pc.baselineOnlyRight, b);
        QCOMPARE(pc.sideOnlyRight, cc);
        QCOMPARE(pc.pValue, evs::stats::mcnemarExactP(b, cc));
        QVERIFY(pc.pValue < 0.05); // b is about twice c on ~180 samples
    }

    void unknownModelIsNamed()
    {
        evs::ResultsStore store;
        QString error;
        QVERIFY(store.open(m_binaryPath, &error));
        QVERIFY(!evs::sidesOfRun(store, m_binaryRun, { u"nope"_s }, &error));
        QVERIFY2(error.contains(u"nope"_s) && error.contains(u"m0"_s), qPrintable(error));
        evs::CompareRequest req;
        req.sides = { side(m_binaryRun, 0) };
        QVERIFY(!evs::computeComparison(store, req, &error));
    }
};

QTEST_GUILESS_MAIN(TestComparison)
#include "tst_comparison.moc"
