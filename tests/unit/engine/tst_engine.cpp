// The engine driven for real against the built-in simulator on loopback: concurrency reached (counted at the
// server), retries with backoff and Retry-After, timeouts, cancel/resume, pause, the exact summary, and a controller
// destroyed while its run finalises.
#include "app/engine/runcontroller.h"
#include "app/simulator/simulatorserver.h"
#include "tests/testsupport.h"

#include <QSignalSpy>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QtTest>

#include <memory>

using namespace evs;
using namespace Qt::StringLiterals;

Q_DECLARE_METATYPE(evs::RunStatus)

namespace {

RunPlan makePlan(const QString& baseUrl, int concurrency, qint64 limit, int repeats)
{
    RunPlan p;
    p.name = u"engine-test"_s;
    p.seed = 7;
    ModelSpec m;
    m.id = u"sim"_s;
    m.provider = u"simulator"_s;
    m.baseUrl = baseUrl;
    m.model = u"sim-1"_s;
    m.concurrency = concurrency;
    m.retries = { 1, 10, 100 };
    m.circuitBreaker.failureThreshold = 0;
    p.models = { m };
    BenchmarkSpec b;
    b.id = u"mc"_s;
    b.dataset = u"builtin:multiple-choice"_s;
    b.scorer.type = u"multiple_choice"_s;
    b.scorer.options = QJsonObject { { u"type"_s, u"multiple_choice"_s } };
    b.limit = limit;
    b.repeats = repeats;
    p.benchmarks = { b };
    return p;
}

SimulatorSettings quickSim(double latencyMs = 0)
{
    SimulatorSettings s;
    s.accuracy = 0.75;
    s.latencyMs = latencyMs;
    s.tailMs = latencyMs;
    s.tokenMs = 0;
    return s;
}

} // namespace

class TestEngine : public QObject {
    Q_OBJECT

    QTemporaryDir m_dir;
    int m_dbCounter = 0;
    qint64 m_lastRunId = 0;
    std::optional<RunSummary> m_lastSummary;
    QString newDb() { return m_dir.filePath(u"store-%1.sqlite"_s.arg(++m_dbCounter)); }

    // Runs to the end; returns the final status.
    RunStatus runToEnd(RunController& c, int timeoutMs = 120000)
    {
        QSignalSpy finished(&c, &RunController::runFinished);
        if (!c.isRunning() && finished.isEmpty())
            return RunStatus::Failed;
        if (!finished.wait(timeoutMs))
            return RunStatus::Running;
        return finished.first().first().value<RunStatus>();
    }

private Q_SLOTS:
    void initTestCase()
    {
        qRegisterMetaType<evs::RunStatus>();
        QVERIFY(m_dir.isValid());
    }

    void concurrencyIsReached_data()
    {
        QTest::addColumn<int>("concurrency");
        QTest::addRow("1") << 1;
        QTest::addRow("6 (one QNAM)") << 6;
        QTest::addRow("7 (two QNAMs)") << 7;
        QTest::addRow("32") << 32;
        QTest::addRow("64") << 64;
    }
    void concurrencyIsReached()
    {
        QFETCH(int, concurrency);
        SimulatorHost sim(quickSim(150), 1);
        QString error;
        QVERIFY2(sim.start(0, &error), qPrintable(error));
        const int repeats = std::max(1, (3 * concurrency + 59) / 60);
        RunPlan plan = makePlan(sim.baseUrl(), concurrency, 0, repeats);
        const QString db = newDb();
        RunController c;
        QVERIFY2(c.start(plan, { db, 0 }, &error), qPrintable(error));
        QCOMPARE(runToEnd(c), RunStatus::Completed);
        const SimulatorCounters counters = sim.counters();
        QCOMPARE(counters.maxInFlight, concurrency); // counted at the server: reached, never exceeded
        const qint64 planned = 60 * repeats;
        QCOMPARE(c.progress().done, planned);
        test::SqlReader sql(db);
        QCOMPARE(sql.scalar("SELECT COUNT(*) FROM results"), planned);
        QCOMPARE(sql.scalar("SELECT COUNT(*) FROM (SELECT DISTINCT sample_idx, repeat FROM results)"), planned);
        QCOMPARE(sql.scalar("SELECT COUNT(*) FROM results WHERE error_class IS NOT NULL AND error_class != ''"), 0);
        QCOMPARE(sql.rows("SELECT status FROM runs").first().first().toString(), u"completed"_s);
    }

    void summaryEqualsIndependentComputation()
    {
        SimulatorSettings s = quickSim(20);
        s.tailMs = 120; // a real spread of latencies
        s.tokenMs = 1;
        SimulatorHost sim(s, 5);
        QString error;
        QVERIFY2(sim.start(0, &error), qPrintable(error));
        RunPlan plan = makePlan(sim.baseUrl(), 16, 0, 3);
        const QString db = newDb();
        RunController c;
        QVERIFY2(c.start(plan, { db, 0 }, &error), qPrintable(error));
        QCOMPARE(runToEnd(c), RunStatus::Completed);
        QVERIFY(c.summary().has_value());
        const PairSummary& pair = c.summary()->pairs.first();
        test::SqlReader sql(db);
        std::vector<double> latency, ttft;
        for (const auto& row : sql.rows("SELECT t_last_token - t_send, t_first_token - t_send FROM results "
                                        "WHERE error_class IS NULL OR error_class = ''")) {
            latency.push_back(row[0].toDouble() / 1e6);
            ttft.push_back(row[1].toDouble() / 1e6);
        }
        QCOMPARE(qint64(latency.size()), pair.latencyMs.n);
        QCOMPARE(pair.n, 180);
        for (auto [q, v] : { std::pair { 0.5, pair.latencyMs.p50 }, { 0.9, pair.latencyMs.p90 },
                 { 0.95, pair.latencyMs.p95 }, { 0.99, pair.latencyMs.p99 }, { 1.0, pair.latencyMs.max } })
            QVERIFY2(qAbs(test::numpyPercentile(latency, q) - v) < 1e-6, qPrintable(QString::number(q)));
        QVERIFY(qAbs(test::numpyPercentile(ttft, 0.5) - pair.ttftMs.p50) < 1e-6);
        QVERIFY(qAbs(test::numpyPercentile(ttft, 0.99) - pair.ttftMs.p99) < 1e-6);
        // The score is the stored scores' mean, and the simulator's accuracy shows through.
        const double mean = sql.rows("SELECT AVG(score) FROM results").first().first().toDouble();
        QVERIFY(qAbs(pair.scoreMean - mean) < 1e-9);
        QVERIFY2(pair.scoreMean > 0.6 && pair.scoreMean < 0.9, qPrintable(QString::number(pair.scoreMean)));
        QVERIFY(pair.scoreCiLow < pair.scoreMean && pair.scoreMean < pair.scoreCiHigh);
    }

    void retriesHonourRetryAfter()
    {
        SimulatorSettings s = quickSim(0);
        s.faults.insert(u"http_429"_s, 0.4);
        s.retryAfterS = 1;
        SimulatorHost sim(s, 9);
        QString error;
        QVERIFY2(sim.start(0, &error), qPrintable(error));
        RunPlan plan = makePlan(sim.baseUrl(), 10, 20, 1);
        plan.models[0].retries = { 8, 10, 50 };
        const QString db = newDb();
        RunController c;
        QVERIFY2(c.start(plan, { db, 0 }, &error), qPrintable(error));
        QCOMPARE(runToEnd(c), RunStatus::Completed);
        test::SqlReader sql(db);
        QCOMPARE(sql.scalar("SELECT COUNT(*) FROM results"), 20);
        const qint64 failedAttempts = sql.scalar("SELECT COUNT(*) FROM attempts");
        QVERIFY2(failedAttempts > 0, "the simulator's 429s should have caused retries");
        QCOMPARE(sql.scalar("SELECT SUM(attempts - 1) FROM results"), failedAttempts);
        QCOMPARE(sql.scalar("SELECT COUNT(*) FROM attempts WHERE error_class != 'http_429'"), 0);
        QCOMPARE(qint64(sim.counters().faults429),
            failedAttempts + sql.scalar("SELECT COUNT(*) FROM results WHERE error_class = 'http_429'"));
        // Each retry waited at least the server's Retry-After (1 s) after the failed attempt ended.
        const auto rows
            = sql.rows("SELECT a.t_end, COALESCE((SELECT b.t_send FROM attempts b WHERE b.result_id = "
                       "a.result_id AND b.attempt = a.attempt + 1), r.t_send) FROM attempts a JOIN results r "
                       "ON r.id = a.result_id");
        QCOMPARE(qint64(rows.size()), failedAttempts);
        for (const auto& row : rows) {
            const double gapMs = (row[1].toDouble() - row[0].toDouble()) / 1e6;
            QVERIFY2(gapMs >= 999.0, qPrintable(QString::number(gapMs)));
        }
    }

    void backoffBetweenAttempts()
    {
        SimulatorSettings s = quickSim(0);
        s.faults.insert(u"http_5xx"_s, 1.0);
        SimulatorHost sim(s, 2);
        QString error;
        QVERIFY2(sim.start(0, &error), qPrintable(error));
        RunPlan plan = makePlan(sim.baseUrl(), 4, 8, 1);
        plan.models[0].retries = { 4, 40, 100 };
        const QString db = newDb();
        RunController c;
        QVERIFY2(c.start(plan, { db, 0 }, &error), qPrintable(error));
        QCOMPARE(runToEnd(c), RunStatus::Completed); // model errors are results, not a failed run
        test::SqlReader sql(db);
        QCOMPARE(sql.scalar("SELECT COUNT(*) FROM results WHERE error_class = 'http_5xx' AND attempts = 4"), 8);
        QCOMPARE(sql.scalar("SELECT COUNT(*) FROM attempts"), 24);
        QCOMPARE(qint64(sim.counters().completions), 32);
        // Exponential with equal jitter: after failure k the engine waits at least e/2, e = min(100, 40 * 2^(k-1)).
        // That the drawn delay is at most e is retryDelayMs's (tst_engine_policies): how much later than its delay
        // a retry goes out depends on the machine's load, so it is not asserted here.
        const auto rows
            = sql.rows("SELECT a.attempt, a.t_end, COALESCE((SELECT b.t_send FROM attempts b WHERE "
                       "b.result_id = a.result_id AND b.attempt = a.attempt + 1), r.t_send) FROM attempts a "
                       "JOIN results r ON r.id = a.result_id");
        for (const auto& row : rows) {
            const int k = row[0].toInt();
            const double e = std::min(100.0, 40.0 * std::pow(2.0, k - 1));
            const double gapMs = (row[2].toDouble() - row[1].toDouble()) / 1e6;
            QVERIFY2(gapMs >= e / 2 - 1, qPrintable(u"attempt %1 gap %2"_s.arg(k).arg(gapMs)));
        }
        QCOMPARE(c.summary()->pairs.first().errorsByClass.value(u"http_5xx"_s), 8);
    }

    void timeoutsAreClassified_data()
    {
        QTest::addColumn<int>("timeoutMs");
        QTest::addColumn<int>("idleMs");
        QTest::addColumn<QString>("messagePart");
        QTest::addRow("total") << 300 << 0 << u"total timeout"_s;
        QTest::addRow("idle") << 5000 << 250 << u"idle timeout"_s;
    }
    void timeoutsAreClassified()
    {
        QFETCH(int, timeoutMs);
        QFETCH(int, idleMs);
        QFETCH(QString, messagePart);
        SimulatorSettings s = quickSim(0);
        s.faults.insert(u"stall"_s, 1.0);
        s.stallMs = 10000;
        SimulatorHost sim(s, 4);
        QString error;
        QVERIFY2(sim.start(0, &error), qPrintable(error));
        RunPlan plan = makePlan(sim.baseUrl(), 4, 4, 1);
        plan.models[0].timeoutMs = timeoutMs;
        plan.models[0].idleTimeoutMs = idleMs;
        plan.models[0].retries = { 2, 10, 10 };
        const QString db = newDb();
        RunController c;
        QVERIFY2(c.start(plan, { db, 0 }, &error), qPrintable(error));
        QCOMPARE(runToEnd(c), RunStatus::Completed);
        // Every attempt stalled at the server and was ended by the engine's timeout, not by the stall's end (the
        // server would then close the connection: a connect error). The retry was sent after the first attempt's
        // timeout, so each of the 4 samples reached the server twice.
        QCOMPARE(sim.counters().faultsStall, qint64(8));
        QCOMPARE(sim.counters().completions, qint64(8));
        test::SqlReader sql(db);
        QCOMPARE(sql.scalar("SELECT COUNT(*) FROM results WHERE error_class = 'timeout' AND attempts = 2"), 4);
        QCOMPARE(sql.scalar("SELECT COUNT(*) FROM attempts WHERE error_class = 'timeout'"), 4);
        const auto rows = sql.rows("SELECT error_message, (t_end - t_send) / 1000000 FROM results");
        const int limit = idleMs > 0 ? idleMs : timeoutMs;
        for (const auto& row : rows) {
            QVERIFY2(row[0].toString().contains(messagePart), qPrintable(row[0].toString()));
            // Never before its limit (on the run's own clock; how soon after it depends on the machine's load).
            QVERIFY2(row[1].toLongLong() >= limit, qPrintable(QString::number(row[1].toLongLong())));
        }
    }

    void connectionRefusedIsClassified()
    {
        // A port that was free a moment ago: nothing listens there.
        quint16 port = 0;
        {
            QTcpServer probe;
            QVERIFY(probe.listen(QHostAddress::LocalHost, 0));
            port = probe.serverPort();
        }
        RunPlan plan = makePlan(u"http://127.0.0.1:%1/v1"_s.arg(port), 2, 3, 1);
        plan.models[0].retries = { 2, 5, 5 };
        const QString db = newDb();
        RunController c;
        QString error;
        QVERIFY2(c.start(plan, { db, 0 }, &error), qPrintable(error));
        QCOMPARE(runToEnd(c), RunStatus::Completed);
        test::SqlReader sql(db);
        QCOMPARE(sql.scalar("SELECT COUNT(*) FROM results WHERE error_class = 'connect' AND attempts = 2"), 3);
    }

    void faultsAreClassified_data()
    {
        QTest::addColumn<QString>("fault");
        QTest::addColumn<QString>("expectedClass");
        QTest::addRow("malformed") << u"malformed"_s << u"parse"_s;
        QTest::addRow("truncated") << u"truncated"_s << u"parse"_s;
        QTest::addRow("reset") << u"reset"_s << u"connect"_s;
        QTest::addRow("429") << u"http_429"_s << u"http_429"_s;
    }
    void faultsAreClassified()
    {
        QFETCH(QString, fault);
        QFETCH(QString, expectedClass);
        SimulatorSettings s = quickSim(0);
        s.faults.insert(fault, 1.0);
        s.retryAfterS = 0;
        SimulatorHost sim(s, 3);
        QString error;
        QVERIFY2(sim.start(0, &error), qPrintable(error));
        RunPlan plan = makePlan(sim.baseUrl(), 2, 4, 1);
        const QString db = newDb();
        RunController c;
        QVERIFY2(c.start(plan, { db, 0 }, &error), qPrintable(error));
        QCOMPARE(runToEnd(c), RunStatus::Completed);
        test::SqlReader sql(db);
        const auto rows = sql.rows("SELECT error_class, error_message, http_status, t_headers, attempts FROM results");
        QCOMPARE(rows.size(), 4);
        for (const auto& row : rows) {
            QCOMPARE(row[0].toString(), expectedClass);
            QVERIFY(!row[1].toString().isEmpty());
        }
    }

    void cancelThenResumeStoresEachSampleOnce()
    {
        SimulatorHost sim(quickSim(40), 8);
        QString error;
        QVERIFY2(sim.start(0, &error), qPrintable(error));
        RunPlan plan = makePlan(sim.baseUrl(), 4, 0, 2); // 120 samples
        const QString db = newDb();
        qint64 runId = 0;
        {
            RunController c;
            QVERIFY2(c.start(plan, { db, 0 }, &error), qPrintable(error));
            runId = c.runId();
            QTRY_VERIFY_WITH_TIMEOUT(c.progress().done >= 20, 20000);
            QSignalSpy finished(&c, &RunController::runFinished);
            c.cancel();
            QVERIFY(finished.wait(10000));
            QCOMPARE(finished.first().first().value<RunStatus>(), RunStatus::Interrupted);
        }
        test::SqlReader sql(db);
        const qint64 storedAtCancel = sql.scalar("SELECT COUNT(*) FROM results");
        QVERIFY(storedAtCancel >= 20 && storedAtCancel < 120);
        QCOMPARE(sql.rows("SELECT status FROM runs").first().first().toString(), u"interrupted"_s);
        QCOMPARE(sql.scalar("SELECT COUNT(*) FROM results WHERE error_class = 'canceled'"), 0);

        const qint64 completionsBefore = sim.counters().completions;
        RunController resumed;
        QVERIFY2(resumed.resumeRun(runId, { db, 0 }, &error), qPrintable(error));
        QCOMPARE(runToEnd(resumed), RunStatus::Completed);
        QCOMPARE(sql.scalar("SELECT COUNT(*) FROM results"), 120);
        QCOMPARE(sql.scalar("SELECT COUNT(*) FROM (SELECT DISTINCT sample_idx, repeat FROM results)"), 120);
        // Only the missing samples were sent again (plus the few that were in flight at the cancel).
        const qint64 sentAgain = sim.counters().completions - completionsBefore;
        QVERIFY2(sentAgain >= 120 - storedAtCancel && sentAgain <= 120 - storedAtCancel + 4,
            qPrintable(u"%1 sent again, %2 stored before"_s.arg(sentAgain).arg(storedAtCancel)));
        // The resumed part continues the run's time line instead of overlapping it.
        const auto times = sql.rows("SELECT t_send, t_end FROM results ORDER BY id");
        qint64 lastEndBefore = 0, firstSendAfter = std::numeric_limits<qint64>::max();
        for (qsizetype i = 0; i < times.size(); ++i) {
            if (i < storedAtCancel)
                lastEndBefore = std::max(lastEndBefore, times[i][1].toLongLong());
            else
                firstSendAfter = std::min(firstSendAfter, times[i][0].toLongLong());
        }
        QVERIFY(firstSendAfter > lastEndBefore);
        QCOMPARE(resumed.summary()->pairs.first().n, 120);
        QCOMPARE(sql.rows("SELECT status FROM runs").first().first().toString(), u"completed"_s);
    }

    void destroyedWhileFinalizingLeavesAConsistentStore()
    {
        // The application quits while the run finalises: the controller goes while its finaliser thread works.
        SimulatorHost sim(quickSim(0), 9);
        QString error;
        QVERIFY2(sim.start(0, &error), qPrintable(error));
        const RunPlan plan = makePlan(sim.baseUrl(), 8, 0, 4); // 240 samples
        const QString db = newDb();
        qint64 runId = 0;
        {
            auto c = std::make_unique<RunController>();
            QSignalSpy drained(c.get(), &RunController::drained);
            QSignalSpy finished(c.get(), &RunController::runFinished);
            QVERIFY2(c->start(plan, { db, 0 }, &error), qPrintable(error));
            runId = c->runId();
            QVERIFY(drained.wait(60000));
            QVERIFY(c->isRunning()); // until runFinished()
            QCOMPARE(finished.count(), 0);
            c.reset(); // joins the finaliser; no runFinished() any more
            QCOMPARE(finished.count(), 0);
        }
        test::SqlReader sql(db);
        // Every record is stored whatever the finaliser had reached; the status and the summary agree.
        QCOMPARE(sql.scalar("SELECT COUNT(*) FROM results"), 240);
        const auto row = sql.rows("SELECT status, length(coalesce(summary_json, '')) FROM runs").first();
        const QString status = row.at(0).toString();
        const bool hasSummary = row.at(1).toLongLong() > 2;
        QVERIFY2(status == u"completed"_s || status == u"interrupted"_s, qPrintable(status));
        QCOMPARE(hasSummary, status == u"completed"_s);
        if (status == u"interrupted"_s) {
            // A resume sends nothing and computes the summary.
            const qint64 completionsBefore = sim.counters().completions;
            RunController resumed;
            QVERIFY2(resumed.resumeRun(runId, { db, 0 }, &error), qPrintable(error));
            QCOMPARE(runToEnd(resumed), RunStatus::Completed);
            QCOMPARE(sim.counters().completions, completionsBefore);
            QCOMPARE(resumed.summary()->pairs.first().n, 240);
            QCOMPARE(sql.rows("SELECT status FROM runs").first().first().toString(), u"completed"_s);
        }
    }

    void pauseStopsDispatching()
    {
        SimulatorHost sim(quickSim(30), 8);
        QString error;
        QVERIFY2(sim.start(0, &error), qPrintable(error));
        RunPlan plan = makePlan(sim.baseUrl(), 3, 0, 1);
        RunController c;
        QVERIFY2(c.start(plan, { newDb(), 0 }, &error), qPrintable(error));
        QTRY_VERIFY_WITH_TIMEOUT(c.progress().done >= 6, 20000);
        c.pause();
        QVERIFY(c.isPaused());
        QTRY_COMPARE_WITH_TIMEOUT(c.progress().inFlight, qint64(0), 5000);
        const qint64 atPause = c.progress().done;
        const qint64 sentAtPause = sim.counters().completions;
        // Three progress reports (the controller's 100 ms timer) later, nothing more was sent or finished.
        QSignalSpy progressed(&c, &RunController::progressed);
        QTRY_VERIFY_WITH_TIMEOUT(progressed.count() >= 3, 10000);
        QCOMPARE(c.progress().done, atPause);
        QCOMPARE(sim.counters().completions, sentAtPause);
        c.resume();
        QCOMPARE(runToEnd(c), RunStatus::Completed);
        QCOMPARE(c.progress().done, 60);
    }

    void cacheServesASecondIdenticalRun()
    {
        SimulatorHost sim(quickSim(0), 6);
        QString error;
        QVERIFY2(sim.start(0, &error), qPrintable(error));
        RunPlan plan = makePlan(sim.baseUrl(), 4, 20, 1);
        plan.run.cache = true;
        const QString db = newDb();
        auto runOnce = [&](const RunPlan& p) {
            RunController c;
            QString e;
            if (!c.start(p, { db, 0 }, &e))
                return RunStatus::Failed;
            const RunStatus status = runToEnd(c);
            m_lastRunId = c.runId();
            m_lastSummary = c.summary();
            return status;
        };
        QCOMPARE(runOnce(plan), RunStatus::Completed);
        QCOMPARE(sim.counters().completions, qint64(20));
        QCOMPARE(m_lastSummary->pairs.first().cacheMisses, qint64(20));
        // The same plan again: every answer comes from the cache, nothing reaches the server.
        QCOMPARE(runOnce(plan), RunStatus::Completed);
        QCOMPARE(sim.counters().completions, qint64(20));
        const PairSummary& cached = m_lastSummary->pairs.first();
        QCOMPARE(cached.cacheHits, qint64(20));
        QCOMPARE(cached.n, qint64(20));
        test::SqlReader sql(db);
        QCOMPARE(
            sql.scalar(qPrintable(u"SELECT COUNT(*) FROM results WHERE run_id = %1 AND cached = 1"_s.arg(m_lastRunId))),
            20);
        // The same scores as the first run: scoring runs again on the cached answers.
        QCOMPARE(sql.scalar("SELECT COUNT(*) FROM (SELECT sample_idx FROM results GROUP BY sample_idx "
                            "HAVING COUNT(DISTINCT score) > 1)"),
            0);
        // Any parameter change misses.
        plan.models[0].params.insert(u"temperature"_s, 0.5);
        QCOMPARE(runOnce(plan), RunStatus::Completed);
        QCOMPARE(sim.counters().completions, qint64(40));
        QCOMPARE(m_lastSummary->pairs.first().cacheHits, qint64(0));
    }

    void cacheNeverServesErrors()
    {
        SimulatorSettings s = quickSim(0);
        s.faults.insert(u"http_5xx"_s, 0.5);
        SimulatorHost sim(s, 12);
        QString error;
        QVERIFY2(sim.start(0, &error), qPrintable(error));
        RunPlan plan = makePlan(sim.baseUrl(), 4, 30, 1);
        plan.run.cache = true;
        const QString db = newDb();
        qint64 firstRun = 0;
        {
            RunController c;
            QVERIFY2(c.start(plan, { db, 0 }, &error), qPrintable(error));
            QCOMPARE(runToEnd(c), RunStatus::Completed);
            firstRun = c.runId();
        }
        test::SqlReader sql(db);
        const qint64 failedFirst = sql.scalar(
            qPrintable(u"SELECT COUNT(*) FROM results WHERE run_id = %1 AND error_class IS NOT NULL"_s.arg(firstRun)));
        QVERIFY(failedFirst > 0 && failedFirst < 30);
        const qint64 sentBefore = sim.counters().completions;
        RunController c;
        QVERIFY2(c.start(plan, { db, 0 }, &error), qPrintable(error));
        QCOMPARE(runToEnd(c), RunStatus::Completed);
        // Exactly the samples that failed before were sent again; the successes came from the cache.
        QCOMPARE(sim.counters().completions - sentBefore, failedFirst);
        QCOMPARE(
            sql.scalar(qPrintable(u"SELECT COUNT(*) FROM results WHERE run_id = %1 AND cached = 1"_s.arg(c.runId()))),
            30 - failedFirst);
        QCOMPARE(sql.scalar(qPrintable(
                     u"SELECT COUNT(*) FROM results WHERE run_id = %1 AND cached = 1 AND error_class IS NOT NULL"_s.arg(
                         c.runId()))),
            0);
    }

    void judgeScoresThroughASecondRequest()
    {
        SimulatorHost sim(quickSim(0), 21);
        SimulatorSettings judgeSettings = quickSim(0);
        judgeSettings.accuracy = 1.0; // an always-consistent judge: it gives the ideal verdict it is hinted
        SimulatorHost judgeSim(judgeSettings, 22);
        QString error;
        QVERIFY2(sim.start(0, &error), qPrintable(error));
        QVERIFY2(judgeSim.start(0, &error), qPrintable(error));
        RunPlan plan = makePlan(sim.baseUrl(), 3, 6, 1);
        ModelSpec judge = plan.models[0];
        judge.id = u"judge"_s;
        judge.baseUrl = judgeSim.baseUrl();
        plan.models.append(judge);
        plan.benchmarks[0].scorer.type = u"judge"_s;
        plan.benchmarks[0].scorer.options = QJsonObject { { u"type"_s, u"judge"_s }, { u"model"_s, u"judge"_s },
            { u"format"_s, u"verdict"_s }, { u"rubric"_s, u"Is the response right? {{response}}"_s } };
        const QString db = newDb();
        RunController c;
        QVERIFY2(c.start(plan, { db, 0 }, &error), qPrintable(error));
        QCOMPARE(runToEnd(c), RunStatus::Completed);
        test::SqlReader sql(db);
        QCOMPARE(sql.scalar("SELECT COUNT(*) FROM results"), 12); // both models answered the 6 samples
        // Every answer was judged by a second request to the judge model, and both sides are stored.
        QCOMPARE(judgeSim.counters().completions, qint64(12 + 6)); // its own 6 answers + 12 verdicts
        QCOMPARE(sql.scalar("SELECT COUNT(*) FROM results WHERE judge_prompt LIKE '%VERDICT%' AND judge_response "
                            "LIKE '%VERDICT: PASS%'"),
            12);
        QCOMPARE(sql.scalar("SELECT COUNT(*) FROM results WHERE score = 1 AND score_error = 0"), 12);
    }

    void unparseableJudgeVerdictIsAScoringError()
    {
        SimulatorHost sim(quickSim(0), 31);
        SimulatorSettings judgeSettings = quickSim(0);
        judgeSettings.accuracy = 0.0; // always a wrong (and here malformed) verdict
        SimulatorHost judgeSim(judgeSettings, 32);
        QString error;
        QVERIFY2(sim.start(0, &error), qPrintable(error));
        QVERIFY2(judgeSim.start(0, &error), qPrintable(error));
        RunPlan plan = makePlan(sim.baseUrl(), 2, 4, 1);
        ModelSpec judge = plan.models[0];
        judge.id = u"judge"_s;
        judge.baseUrl = judgeSim.baseUrl();
        plan.models.append(judge);
        plan.benchmarks[0].scorer.type = u"judge"_s;
        plan.benchmarks[0].scorer.options
            = QJsonObject { { u"type"_s, u"judge"_s }, { u"model"_s, u"judge"_s }, { u"format"_s, u"score"_s } };
        const QString db = newDb();
        RunController c;
        QVERIFY2(c.start(plan, { db, 0 }, &error), qPrintable(error));
        QCOMPARE(runToEnd(c), RunStatus::Completed);
        test::SqlReader sql(db);
        // Never a silent 0: either a parsed score of a wrong verdict or a visible scoring error with no score.
        QCOMPARE(sql.scalar("SELECT COUNT(*) FROM results WHERE score_error = 1 AND score IS NOT NULL"), 0);
        QCOMPARE(sql.scalar("SELECT COUNT(*) FROM results WHERE judge_response IS NULL"), 0);
        const auto errors = sql.rows("SELECT score_error, score_explanation FROM results WHERE score_error = 1");
        QVERIFY2(!errors.isEmpty(), "the simulated judge's wrong verdicts should include unparseable ones");
        for (const auto& row : errors)
            QVERIFY2(row[1].toString().contains(u"judge"_s), qPrintable(row[1].toString()));
    }

    void missingApiKeyIsAUsageError()
    {
        RunPlan plan = makePlan(u"http://127.0.0.1:9/v1"_s, 1, 1, 1);
        plan.models[0].provider = u"openai"_s;
        plan.models[0].apiKeyRef = u"env:EVS_TEST_SURELY_UNSET_KEY"_s;
        RunController c;
        QString error;
        bool usage = false;
        QVERIFY(!c.start(plan, { newDb(), 0 }, &error, &usage));
        QVERIFY(usage);
        QVERIFY2(error.contains(u"models[0].api_key"_s) && error.contains(u"EVS_TEST_SURELY_UNSET_KEY"_s),
            qPrintable(error));
    }
};

QTEST_GUILESS_MAIN(TestEngine)
#include "tst_engine.moc"
