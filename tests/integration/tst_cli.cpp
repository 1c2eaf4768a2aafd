// evalsandbox-cli driven as a user would, as a subprocess: demo, run, runs, bad plans, SIGKILL mid-run then
// resume (each sample stored exactly once), SIGINT (exit 130, resumable), and the standalone simulator.
#include "tests/clitestsupport.h"
#include "tests/testsupport.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>

#include <csignal>

using namespace Qt::StringLiterals;

namespace {

using Result = evs::test::CliResult;
using evs::test::runCli;

QString writePlan(const QTemporaryDir& dir, const QString& name, const QByteArray& json)
{
    return evs::test::writeTestFile(dir, name, json);
}

// A plan with one in-process simulated model: 60 questions x `repeats`.
QByteArray simPlan(int repeats, int latencyMs, int concurrency)
{
    return QStringLiteral(R"({
  "name": "cli-test", "seed": 11,
  "models": [ { "id": "sim", "provider": "simulator", "model": "sim-1", "concurrency": %3,
                "simulate": { "accuracy": 0.7, "latency_ms": %2, "tail_ms": %2, "token_ms": 0 } } ],
  "benchmarks": [ { "id": "mc", "dataset": "builtin:multiple-choice", "scorer": { "type": "multiple_choice" },
                    "repeats": %1 } ]
})")
        .arg(repeats)
        .arg(latencyMs)
        .arg(concurrency)
        .toUtf8();
}

} // namespace

class TestCli : public QObject {
    Q_OBJECT
    QTemporaryDir m_dir;

private Q_SLOTS:
    void initTestCase() { QVERIFY(QFile::exists(QStringLiteral(EVS_CLI_PATH))); }

    void demoRunsAndSummarises()
    {
        const QString db = m_dir.filePath(u"demo.sqlite"_s);
        const QString json = m_dir.filePath(u"demo-summary.json"_s);
        const Result r = runCli({ u"demo"_s, u"--db"_s, db, u"--json"_s, json });
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        QVERIFY2(r.out.contains(u"p99"_s) && r.out.contains(u"sim-fast"_s), qPrintable(r.out));
        QFile f(json);
        QVERIFY(f.open(QIODevice::ReadOnly));
        const QJsonObject summary = QJsonDocument::fromJson(f.readAll()).object();
        QVERIFY(!summary.value(u"pairs"_s).toArray().isEmpty());
        // Every pair's n equals the stored records for it.
        evs::test::SqlReader sql(db);
        qint64 total = 0;
        for (const auto& pair : summary.value(u"pairs"_s).toArray())
            total += pair.toObject().value(u"n"_s).toInteger();
        QCOMPARE(total, sql.scalar("SELECT COUNT(*) FROM results"));

        const Result runs = runCli({ u"runs"_s, u"--db"_s, db, u"--json"_s });
        QCOMPARE(runs.exitCode, 0);
        const QJsonArray list = QJsonDocument::fromJson(runs.out.toUtf8()).array();
        QCOMPARE(list.size(), 1);
        QCOMPARE(list.first().toObject().value(u"status"_s).toString(), u"completed"_s);
        QCOMPARE(list.first().toObject().value(u"records"_s).toInteger(), total);
    }

    void badPlansExitWithTwo_data()
    {
        QTest::addColumn<QByteArray>("plan");
        QTest::addColumn<QString>("mustMention");
        QTest::addRow("syntax") << QByteArray("{\n  \"name\": \"x\",\n  \"models\": [ }\n") << u":3:"_s;
        QTest::addRow("literal key") << QByteArray(R"({"name":"x","models":[{"id":"a","provider":"openai",
"base_url":"http:\/\/127.0.0.1:1/v1","model":"m","api_key":"sk-123"}],"benchmarks":[{"id":"b","dataset":"builtin:multiple-choice"}]})")
                                     << u"models[0].api_key"_s;
        QTest::addRow("unknown provider")
            << QByteArray(R"({"name":"x","models":[{"id":"a","provider":"nope","model":"m"}],
"benchmarks":[{"id":"b","dataset":"builtin:multiple-choice"}]})")
            << u"models[0].provider"_s;
    }
    void badPlansExitWithTwo()
    {
        QFETCH(QByteArray, plan);
        QFETCH(QString, mustMention);
        const QString path = writePlan(m_dir, u"bad.json"_s, plan);
        const Result r = runCli({ u"run"_s, path, u"--db"_s, m_dir.filePath(u"bad.sqlite"_s) });
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains(mustMention), qPrintable(r.err));
        QVERIFY2(!r.err.contains(u"sk-123"_s), "a key must never be echoed");
    }

    void failedThresholdExitsWithThree_data()
    {
        QTest::addColumn<QString>("thresholds");
        QTest::addColumn<int>("exitCode");
        QTest::addRow("all pass") << u"[{\"metric\":\"error_rate\",\"op\":\"<\",\"value\":0.5},"
                                     "{\"metric\":\"latency_p95_ms\",\"op\":\"<\",\"value\":60000}]"_s
                                  << 0;
        QTest::addRow("score gate fails") << u"[{\"metric\":\"score\",\"op\":\">=\",\"value\":0.99,"
                                             "\"model\":\"sim\",\"benchmark\":\"mc\"}]"_s
                                          << 3;
    }
    void failedThresholdExitsWithThree()
    {
        QFETCH(QString, thresholds);
        QFETCH(int, exitCode);
        QByteArray plan = simPlan(1, 1, 8);
        plan.chop(plan.size() - plan.lastIndexOf('}'));
        plan += ", \"thresholds\": " + thresholds.toUtf8() + " }";
        const QString json = m_dir.filePath(u"thresholds-summary.json"_s);
        const Result r = runCli({ u"run"_s, writePlan(m_dir, u"thresholds.json"_s, plan), u"--db"_s,
            m_dir.filePath(u"thresholds.sqlite"_s), u"--json"_s, json });
        QVERIFY2(r.exitCode == exitCode, qPrintable(r.err + r.out));
        QVERIFY(r.out.contains(u"thresholds:"_s));
        if (exitCode == 3)
            QVERIFY2(r.err.contains(u"threshold"_s) && r.out.contains(u"FAIL"_s), qPrintable(r.out));
        QFile f(json);
        QVERIFY(f.open(QIODevice::ReadOnly));
        const QJsonArray results = QJsonDocument::fromJson(f.readAll()).object().value(u"thresholds"_s).toArray();
        QVERIFY(!results.isEmpty());
        for (const auto& t : results)
            QCOMPARE(t.toObject().value(u"passed"_s).toBool(), exitCode == 0);
    }

    // A figure without data is "—" in the end-of-run table and null in the JSON summary, never 0: a model whose
    // every request fails (503, not retried) has no latency, TTFT, ITL or score; a non-streamed one has no ITL.
    void absentFiguresInTextAndJson()
    {
        const QByteArray plan = R"({
  "name": "absent", "seed": 4,
  "models": [
    { "id": "down", "provider": "simulator", "model": "sim-1", "concurrency": 4, "retries": { "max_attempts": 1 },
      "simulate": { "latency_ms": 1, "tail_ms": 2, "token_ms": 0, "faults": { "http_5xx": 1 } } },
    { "id": "whole", "provider": "simulator", "model": "sim-1", "concurrency": 4, "stream": false,
      "simulate": { "latency_ms": 1, "tail_ms": 2, "token_ms": 0.2, "output_tokens": 8 } }
  ],
  "benchmarks": [ { "id": "mc", "dataset": "builtin:multiple-choice", "scorer": { "type": "multiple_choice" },
                    "limit": 8 } ]
})";
        const QString json = m_dir.filePath(u"absent-summary.json"_s);
        const Result r = runCli({ u"run"_s, writePlan(m_dir, u"absent.json"_s, plan), u"--db"_s,
            m_dir.filePath(u"absent.sqlite"_s), u"--json"_s, json });
        QVERIFY2(r.exitCode == 0, qPrintable(r.err + r.out));
        const QString dash = u"\u2014"_s;
        auto block
            = [&](const QString& model) { return r.out.section(model + u" / mc\n"_s, 1).section(u" / mc\n"_s, 0, 0); };
        auto line = [](const QString& text, const QString& label) {
            return text.section(u"  "_s + label, 1).section(u'\n', 0, 0);
        };
        const QString down = block(u"down"_s);
        QVERIFY2(!down.isEmpty(), qPrintable(r.out));
        const QString downLatency = line(down, u"latency ms"_s);
        QVERIFY2(downLatency.contains(u"p50 "_s + dash) && downLatency.contains(u"max "_s + dash), qPrintable(down));
        QVERIFY2(downLatency.contains(u"n 0"_s) && !downLatency.contains(u"0.00"_s), qPrintable(down));
        const QString downTtft = line(down, u"TTFT ms"_s);
        QVERIFY2(downTtft.contains(u"p50 "_s + dash) && !downTtft.contains(u"0.00"_s), qPrintable(down));
        QVERIFY2(line(down, u"score"_s).contains(u"not scored"_s), qPrintable(down));
        const QString whole = block(u"whole"_s);
        QVERIFY2(!line(whole, u"latency ms"_s).contains(dash), qPrintable(whole));
        QVERIFY2(line(whole, u"TTFT ms"_s).section(u"ITL ms"_s, 1).trimmed() == u"p50 "_s + dash, qPrintable(whole));

        QFile f(json);
        QVERIFY(f.open(QIODevice::ReadOnly));
        const QJsonArray pairs = QJsonDocument::fromJson(f.readAll()).object().value(u"pairs"_s).toArray();
        QCOMPARE(pairs.size(), 2);
        const QJsonObject d = pairs[0].toObject();
        QCOMPARE(d.value(u"model"_s).toString(), u"down"_s);
        QCOMPARE(d.value(u"latency_ms"_s).toObject().value(u"n"_s).toInteger(), 0);
        for (const char* q : { "p50", "p90", "p95", "p99", "p99_9", "max" }) {
            QVERIFY2(d.value(u"latency_ms"_s).toObject().value(QLatin1StringView(q)).isNull(), q);
            QVERIFY2(d.value(u"ttft_ms"_s).toObject().value(QLatin1StringView(q)).isNull(), q);
        }
        QVERIFY(d.value(u"score"_s).toObject().value(u"mean"_s).isNull());
        QVERIFY(d.value(u"requests_per_s"_s).isDouble()); // failed requests were sent: a real rate
        const QJsonObject w = pairs[1].toObject();
        QVERIFY(w.value(u"itl_ms"_s).toObject().value(u"p50"_s).isNull());
        QVERIFY(w.value(u"ttft_ms"_s).toObject().value(u"p50"_s).toDouble() > 0);
    }

    void unknownCommandAndMissingPlan()
    {
        QCOMPARE(runCli({ u"frobnicate"_s }).exitCode, 2);
        const Result r = runCli({ u"run"_s, m_dir.filePath(u"does-not-exist.json"_s) });
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains(u"does-not-exist.json"_s), qPrintable(r.err));
    }

    void killNineThenResumeStoresEachSampleOnce()
    {
        const QString plan = writePlan(m_dir, u"kill.json"_s, simPlan(10, 15, 8)); // 600 samples, ~1.2 s of work
        const QString db = m_dir.filePath(u"kill.sqlite"_s);
        QProcess p;
        p.start(QStringLiteral(EVS_CLI_PATH), { u"run"_s, plan, u"--db"_s, db });
        QVERIFY(p.waitForStarted());
        // Wait until some records are committed, then kill -9 in the middle of the run.
        qint64 stored = 0;
        QTRY_VERIFY_WITH_TIMEOUT(
            (stored = evs::test::SqlReader(db).scalar("SELECT COUNT(*) FROM results")) >= 100, 30000);
        p.kill(); // SIGKILL
        QVERIFY(p.waitForFinished());
        QCOMPARE(p.exitStatus(), QProcess::CrashExit);
        const qint64 atKill = evs::test::SqlReader(db).scalar("SELECT COUNT(*) FROM results");
        QVERIFY2(atKill < 600, "the kill came too late to test anything");

        const Result runs = runCli({ u"runs"_s, u"--db"_s, db, u"--json"_s });
        const QJsonObject run = QJsonDocument::fromJson(runs.out.toUtf8()).array().first().toObject();
        QCOMPARE(run.value(u"status"_s).toString(), u"running"_s); // killed: nobody could mark it
        const QString runId = QString::number(run.value(u"id"_s).toInteger());

        const Result resumed = runCli({ u"resume"_s, runId, u"--db"_s, db });
        QVERIFY2(resumed.exitCode == 0, qPrintable(resumed.err));
        evs::test::SqlReader sql(db);
        QCOMPARE(sql.scalar("SELECT COUNT(*) FROM results"), 600);
        QCOMPARE(sql.scalar("SELECT COUNT(*) FROM (SELECT DISTINCT model_idx, benchmark_idx, sample_idx, repeat "
                            "FROM results)"),
            600);
        QCOMPARE(sql.scalar("SELECT MIN(sample_idx) FROM results"), 0);
        QCOMPARE(sql.scalar("SELECT MAX(sample_idx) FROM results"), 59);
        QCOMPARE(sql.scalar("SELECT COUNT(DISTINCT repeat) FROM results"), 10);
        QCOMPARE(sql.rows("SELECT status FROM runs").first().first().toString(), u"completed"_s);
        // Resuming a completed run is refused with a clear message.
        const Result again = runCli({ u"resume"_s, runId, u"--db"_s, db });
        QCOMPARE(again.exitCode, 2);
        QVERIFY(again.err.contains(u"already completed"_s));
    }

    void sigintExitsWith130AndIsResumable()
    {
        const QString plan = writePlan(m_dir, u"int.json"_s, simPlan(10, 30, 4));
        const QString db = m_dir.filePath(u"int.sqlite"_s);
        QProcess p;
        p.start(QStringLiteral(EVS_CLI_PATH), { u"run"_s, plan, u"--db"_s, db });
        QVERIFY(p.waitForStarted());
        QTRY_VERIFY_WITH_TIMEOUT(evs::test::SqlReader(db).scalar("SELECT COUNT(*) FROM results") >= 20, 30000);
        ::kill(pid_t(p.processId()), SIGINT);
        QVERIFY(p.waitForFinished(15000));
        QCOMPARE(p.exitStatus(), QProcess::NormalExit);
        QCOMPARE(p.exitCode(), 130);
        QVERIFY(QString::fromUtf8(p.readAllStandardError()).contains(u"resume"_s));
        evs::test::SqlReader sql(db);
        QCOMPARE(sql.rows("SELECT status FROM runs").first().first().toString(), u"interrupted"_s);
        const Result resumed = runCli({ u"resume"_s, u"1"_s, u"--db"_s, db });
        QVERIFY2(resumed.exitCode == 0, qPrintable(resumed.err));
        QCOMPARE(sql.scalar("SELECT COUNT(*) FROM results"), 600);
    }

    void apiKeyNeverLeaks()
    {
        // An OpenAI-style model (the simulator speaks that API) with a key from the environment, at trace level:
        // the key must reach the server's Authorization header only, never the logs, the output or the store.
        const QByteArray secret = "sk-evs-test-SECRET-4f9a2c";
        QProcess sim;
        sim.start(QStringLiteral(EVS_CLI_PATH), { u"simulate"_s, u"--port"_s, u"0"_s, u"--latency-ms"_s, u"1"_s });
        QVERIFY(sim.waitForStarted());
        QString banner;
        QTRY_VERIFY_WITH_TIMEOUT((banner += QString::fromUtf8(sim.readAllStandardError())).contains(u"/v1"_s), 10000);
        const QString port = QRegularExpression(u"127\\.0\\.0\\.1:(\\d+)"_s).match(banner).captured(1);
        const QByteArray plan = QStringLiteral(R"({"name":"keys","seed":1,
  "models":[{"id":"oa","provider":"openai","base_url":"%1","model":"sim-1",
             "api_key":"env:EVS_TEST_KEY","concurrency":2}],
  "benchmarks":[{"id":"mc","dataset":"builtin:multiple-choice","scorer":{"type":"multiple_choice"},"limit":5}]})")
                                    .arg(u"http:"_s + u"//127.0.0.1:"_s + port + u"/v1"_s)
                                    .toUtf8();
        const QString db = m_dir.filePath(u"keys.sqlite"_s);
        QProcess p;
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(u"EVS_TEST_KEY"_s, QString::fromUtf8(secret));
        p.setProcessEnvironment(env);
        p.start(QStringLiteral(EVS_CLI_PATH),
            { u"--log-level"_s, u"trace"_s, u"run"_s, writePlan(m_dir, u"keys.json"_s, plan), u"--db"_s, db });
        QVERIFY(p.waitForFinished(60000));
        ::kill(pid_t(sim.processId()), SIGTERM);
        QVERIFY(sim.waitForFinished(10000));
        const QByteArray out = p.readAllStandardOutput() + p.readAllStandardError();
        QVERIFY2(p.exitCode() == 0, out.constData());
        QVERIFY(!out.contains(secret));
        QVERIFY(!sim.readAll().contains(secret));
        QCOMPARE(evs::test::SqlReader(db).scalar(
                     "SELECT COUNT(*) FROM results WHERE error_class IS NULL OR error_class = ''"),
            5);
        for (const QString& file : QDir(m_dir.path()).entryList({ u"keys.sqlite*"_s }, QDir::Files)) {
            QFile f(m_dir.filePath(file));
            QVERIFY(f.open(QIODevice::ReadOnly));
            QVERIFY2(!f.readAll().contains(secret), qPrintable(file));
        }
    }

    void standaloneSimulatorServesARun()
    {
        // `simulate` in one process, `run` against it through its base URL in another.
        QProcess sim;
        sim.start(QStringLiteral(EVS_CLI_PATH),
            { u"simulate"_s, u"--port"_s, u"0"_s, u"--latency-ms"_s, u"5"_s, u"--tail-ms"_s, u"5"_s, u"--accuracy"_s,
                u"1"_s });
        QVERIFY(sim.waitForStarted());
        QString banner;
        QTRY_VERIFY_WITH_TIMEOUT((banner += QString::fromUtf8(sim.readAllStandardError())).contains(u"/v1"_s), 10000);
        const QRegularExpressionMatch m = QRegularExpression(u"http://127\\.0\\.0\\.1:(\\d+)/v1"_s).match(banner);
        QVERIFY2(m.hasMatch(), qPrintable(banner));
        const QByteArray plan = QStringLiteral(R"({"name":"ext","seed":1,
  "models":[{"id":"ext","provider":"simulator","base_url":"%1","model":"sim-1","concurrency":4}],
  "benchmarks":[{"id":"mc","dataset":"builtin:multiple-choice","scorer":{"type":"multiple_choice"},"limit":20}]})")
                                    .arg(u"http:"_s + u"//127.0.0.1:"_s + m.captured(1) + u"/v1"_s)
                                    .toUtf8();
        const QString db = m_dir.filePath(u"ext.sqlite"_s);
        const Result r = runCli({ u"run"_s, writePlan(m_dir, u"ext.json"_s, plan), u"--db"_s, db });
        ::kill(pid_t(sim.processId()), SIGTERM);
        QVERIFY(sim.waitForFinished(10000));
        QCOMPARE(sim.exitCode(), 0);
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        evs::test::SqlReader sql(db);
        QCOMPARE(sql.scalar("SELECT COUNT(*) FROM results"), 20);
        QCOMPARE(sql.rows("SELECT AVG(score) FROM results").first().first().toDouble(), 1.0); // accuracy 1
    }
};

QTEST_GUILESS_MAIN(TestCli)
#include "tst_cli.moc"
