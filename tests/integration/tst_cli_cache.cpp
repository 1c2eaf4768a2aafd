// evalsandbox-cli's `cache` and `rescore` commands driven as a subprocess: re-scoring a run made by the CLI (both
// scorings readable, the original unchanged, judge and bad specs refused), and the cache's stats, explanations
// and clearing on a store whose records and entries are written through the real writer.
#include "models/store/responsecache.h"
#include "models/store/resultsstore.h"
#include "models/store/resultswriter.h"
#include "tests/clitestsupport.h"
#include "tests/testsupport.h"

#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>

using namespace Qt::StringLiterals;

namespace {

using Result = evs::test::CliResult;

Result runCli(const QStringList& args)
{
    return evs::test::runCli(args, 120000);
}

// 12 multiple-choice questions x 3 repeats against the in-process simulator, plus a short-answer benchmark.
constexpr const char* kPlan = R"({
  "name": "rescore-test", "seed": 5,
  "models": [ { "id": "sim", "provider": "simulator", "model": "sim-1", "concurrency": 8,
                "simulate": { "accuracy": 0.6, "latency_ms": 2, "tail_ms": 4, "token_ms": 0 } } ],
  "benchmarks": [ { "id": "mc", "dataset": "builtin:multiple-choice", "scorer": { "type": "multiple_choice" },
                    "limit": 12, "repeats": 3 },
                  { "id": "short", "dataset": "builtin:short-answer", "limit": 5 } ]
})";

QString scoresOf(const evs::test::SqlReader& sql, const char* query)
{
    QStringList out;
    for (const auto& row : sql.rows(query)) {
        QStringList cols;
        for (const auto& v : row)
            cols << (v.isValid() ? v.toString() : u"NULL"_s);
        out << cols.join(u'|');
    }
    return out.join(u';');
}

QJsonObject request(const QString& question, double temperature, int repeat = 0)
{
    return evs::ResponseCache::canonicalRequest(u"openai"_s, u"http://127.0.0.1:9/v1"_s, u"m-1"_s,
        QJsonArray { QJsonObject { { u"role"_s, u"user"_s }, { u"content"_s, question } } },
        QJsonObject { { u"temperature"_s, temperature } }, repeat);
}

} // namespace

class TestCliCache : public QObject {
    Q_OBJECT
    QTemporaryDir m_dir;
    QString m_db;

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(QFile::exists(QStringLiteral(EVS_CLI_PATH)));
        m_db = m_dir.filePath(u"rescore.sqlite"_s);
        const QString plan = m_dir.filePath(u"plan.json"_s);
        QFile f(plan);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(kPlan);
        f.close();
        const Result r = runCli({ u"run"_s, plan, u"--db"_s, m_db });
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        // Repeats give pass@k in the summary: k = 1, 2 and 3.
        QVERIFY2(
            r.out.contains(u"pass@k"_s) && r.out.contains(u"@3"_s) && r.out.contains(u"pass^k"_s), qPrintable(r.out));
    }

    void rescoreWithTheSameScorerReproducesTheRun()
    {
        evs::test::SqlReader sql(m_db);
        const QString before = scoresOf(sql, "SELECT id, score, score_explanation FROM results ORDER BY id");
        const Result r = runCli({ u"rescore"_s, u"1"_s, u"--db"_s, m_db, u"--scorer"_s,
            uR"({"type":"multiple_choice"})"_s, u"--benchmark"_s, u"mc"_s, u"--label"_s, u"same"_s });
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        QVERIFY2(r.out.contains(u"ORIGINAL"_s) && r.out.contains(u"RESCORED"_s) && r.out.contains(u"+0.0000"_s),
            qPrintable(r.out));
        QCOMPARE(sql.scalar("SELECT COUNT(*) FROM scoring_results WHERE scoring_id = 1"), 36); // mc only
        // Every response scores as it did when the run scored it.
        QCOMPARE(sql.scalar("SELECT COUNT(*) FROM scoring_results sr JOIN results r ON r.id = sr.result_id "
                            "WHERE sr.scoring_id = 1 AND sr.score IS NOT r.score"),
            0);
        QCOMPARE(scoresOf(sql, "SELECT id, score, score_explanation FROM results ORDER BY id"), before);
    }

    void rescoreWithAnotherScorerKeepsBothReadable()
    {
        evs::test::SqlReader sql(m_db);
        const QString before = scoresOf(sql, "SELECT id, score, score_explanation FROM results ORDER BY id");
        const QString specFile = m_dir.filePath(u"scorer.json"_s);
        QFile f(specFile);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(R"({ "type": "exact_match" })");
        f.close();
        const QString json = m_dir.filePath(u"rescored.json"_s);
        const Result r = runCli({ u"rescore"_s, u"1"_s, u"--db"_s, m_db, u"--scorer"_s, u"@"_s + specFile, u"--label"_s,
            u"strict"_s, u"--json"_s, json });
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        QVERIFY2(r.out.contains(u"sim / mc"_s) && r.out.contains(u"sim / short"_s), qPrintable(r.out));
        QCOMPARE(sql.scalar("SELECT COUNT(*) FROM scoring_results WHERE scoring_id = 2"),
            sql.scalar("SELECT COUNT(*) FROM results"));
        // Answers like "The answer is B." never equal "B" exactly: the new scoring differs from the original.
        QVERIFY(sql.scalar("SELECT TOTAL(score) FROM scoring_results WHERE scoring_id = 2")
            < sql.scalar("SELECT TOTAL(score) FROM results WHERE benchmark_idx = 0"));
        QCOMPARE(scoresOf(sql, "SELECT id, score, score_explanation FROM results ORDER BY id"), before);
        QFile written(json);
        QVERIFY(written.open(QIODevice::ReadOnly));
        QCOMPARE(QJsonDocument::fromJson(written.readAll()).object().value(u"scoring_id"_s).toInteger(), 2);

        const Result list = runCli({ u"rescore"_s, u"--list"_s, u"1"_s, u"--db"_s, m_db, u"--json"_s });
        QVERIFY2(list.exitCode == 0, qPrintable(list.err));
        const QJsonArray scorings = QJsonDocument::fromJson(list.out.toUtf8()).array();
        QCOMPARE(scorings.size(), 3);
        QCOMPARE(scorings[0].toObject().value(u"label"_s).toString(), u"original"_s);
        QCOMPARE(scorings[1].toObject().value(u"label"_s).toString(), u"same"_s);
        QCOMPARE(scorings[2].toObject().value(u"label"_s).toString(), u"strict"_s);
        const auto meanOf = [](const QJsonObject& scoring, int pair) {
            return scoring.value(u"summary"_s)
                .toObject()
                .value(u"pairs"_s)[pair]
                .toObject()
                .value(u"score"_s)
                .toObject()
                .value(u"mean"_s)
                .toDouble();
        };
        QCOMPARE(meanOf(scorings[1].toObject(), 0), meanOf(scorings[0].toObject(), 0));
        QVERIFY(meanOf(scorings[2].toObject(), 0) < meanOf(scorings[0].toObject(), 0));
        QCOMPARE(scorings[2].toObject().value(u"scorer"_s).toObject().value(u"type"_s).toString(), u"exact_match"_s);

        const Result text = runCli({ u"rescore"_s, u"--list"_s, u"1"_s, u"--db"_s, m_db });
        QCOMPARE(text.exitCode, 0);
        QVERIFY2(
            text.out.contains(u"original"_s) && text.out.contains(u"strict"_s) && text.out.contains(u"benchmark mc"_s),
            qPrintable(text.out));
    }

    void rescoreRefusals_data()
    {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<QString>("mustSay");
        QTest::addRow("judge") << QStringList { u"1"_s, u"--scorer"_s,
            uR"({"type":"judge","model":"sim","rubric":"Score 1-5. Reply 'SCORE: n'."})"_s }
                               << u"never calls a model"_s;
        QTest::addRow("judge in a composite") << QStringList {
            u"1"_s, u"--scorer"_s,
            uR"({"type":"composite","mode":"all","scorers":[{"type":"exact_match"},{"type":"judge","model":"sim","rubric":"r"}]})"_s
        } << u"never calls a model"_s;
        QTest::addRow("unknown type") << QStringList { u"1"_s, u"--scorer"_s, uR"({"type":"nope"})"_s } << u"nope"_s;
        QTest::addRow("not json") << QStringList { u"1"_s, u"--scorer"_s, u"{type:"_s } << u"--scorer"_s;
        QTest::addRow("no scorer") << QStringList { u"1"_s } << u"--scorer"_s;
        QTest::addRow("unknown benchmark") << QStringList { u"1"_s, u"--scorer"_s, uR"({"type":"exact_match"})"_s,
            u"--benchmark"_s, u"gsm"_s } << u"mc, short"_s;
        QTest::addRow("unknown run") << QStringList { u"99"_s, u"--scorer"_s, uR"({"type":"exact_match"})"_s }
                                     << u"no run 99"_s;
    }
    void rescoreRefusals()
    {
        QFETCH(QStringList, args);
        QFETCH(QString, mustSay);
        evs::test::SqlReader sql(m_db);
        const qint64 scoringsBefore = sql.scalar("SELECT COUNT(*) FROM scorings");
        const Result r = runCli(QStringList { u"rescore"_s } + args + QStringList { u"--db"_s, m_db });
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains(mustSay), qPrintable(r.err));
        QCOMPARE(sql.scalar("SELECT COUNT(*) FROM scorings"), scoringsBefore);
    }

    void cacheStatsExplainClear()
    {
        using namespace evs;
        const QString db = m_dir.filePath(u"cache.sqlite"_s);
        const qint64 now = QDateTime::currentSecsSinceEpoch();
        QString error;
        ResultsStore store;
        QVERIFY2(store.open(db, &error), qPrintable(error));
        const QByteArray plan = R"({"models":[{"id":"m"}],"benchmarks":[{"id":"qa"}],"run":{"cache_ttl_s":3600}})";
        const qint64 first = *store.createRun(u"first"_s, plan, 1, -1, &error);
        const qint64 second = *store.createRun(u"second"_s, plan, 1, -1, &error);
        // The first run (two days ago) stored q0 and q1 at temperature 0; the second run, with the same plan,
        // hit nothing: q0 had expired (TTL 1 h), q1 was asked at temperature 0.5, q2 was new, q3 failed.
        {
            ResultsWriter writer(db);
            QVERIFY2(writer.start(&error), qPrintable(error));
            for (int i = 0; i < 2; ++i) {
                RequestRecord r;
                r.runId = first;
                r.sampleIndex = i;
                r.sampleId = u"q%1"_s.arg(i);
                r.response = u"answer"_s;
                const QJsonObject req = request(r.sampleId, 0);
                r.cacheKey = ResponseCache::requestKey(req);
                QVERIFY(writer.enqueueCacheEntry(r, req, now - 2 * 86400));
                QVERIFY(writer.enqueue(std::move(r)));
            }
            const double temperatures[] = { 0, 0.5, 0, 0 };
            for (int i = 0; i < 4; ++i) {
                RequestRecord r;
                r.runId = second;
                r.sampleIndex = i;
                r.sampleId = u"q%1"_s.arg(i);
                r.response = u"answer"_s;
                const QJsonObject req = request(r.sampleId, temperatures[i]);
                r.cacheKey = ResponseCache::requestKey(req);
                if (i == 3) {
                    r.errorClass = ErrorClass::Http5xx;
                    r.httpStatus = 503;
                    QVERIFY(!writer.enqueueCacheEntry(r, req, now)); // errors are never cached
                } else {
                    QVERIFY(writer.enqueueCacheEntry(r, req, now));
                }
                QVERIFY(writer.enqueue(std::move(r)));
            }
            // A third run served q2 from the cache.
            const qint64 third = *store.createRun(u"third"_s, plan, 1, -1, &error);
            RequestRecord hit;
            hit.runId = third;
            hit.sampleIndex = 2;
            hit.sampleId = u"q2"_s;
            hit.cached = true;
            hit.cacheKey = ResponseCache::requestKey(request(u"q2"_s, 0));
            QVERIFY(writer.enqueue(std::move(hit)));
        }
        QVERIFY(exec(db, "UPDATE runs SET started_at = started_at - 172800000 WHERE id = 1"));

        const Result stats = runCli({ u"cache"_s, u"stats"_s, u"--db"_s, db, u"--ttl-s"_s, u"3600"_s });
        QVERIFY2(stats.exitCode == 0, qPrintable(stats.err));
        QVERIFY2(stats.out.contains(u"entries   4"_s), qPrintable(stats.out)); // q0 replaced, q1 x2 params, q2
        QVERIFY2(stats.out.contains(u"expired   1"_s), qPrintable(stats.out)); // q1 at temperature 0
        QVERIFY2(stats.out.contains(u"second"_s) && stats.out.contains(u"third"_s), qPrintable(stats.out));
        const Result statsJson = runCli({ u"cache"_s, u"stats"_s, u"--db"_s, db, u"--json"_s });
        const QJsonObject sj = QJsonDocument::fromJson(statsJson.out.toUtf8()).object();
        QCOMPARE(sj.value(u"entries"_s).toInteger(), 4);
        const QJsonArray recent = sj.value(u"recent_runs"_s).toArray();
        QCOMPARE(recent.size(), 3);
        QCOMPARE(recent[0].toObject().value(u"hits"_s).toInteger(), 1); // third
        QCOMPARE(recent[1].toObject().value(u"misses"_s).toInteger(), 4); // second

        const auto explain = [&](const QString& run, const QString& sample) {
            const Result r = runCli({ u"cache"_s, u"explain"_s, run, sample, u"--db"_s, db });
            return r.exitCode == 0 ? r.out : u"exit %1: %2"_s.arg(r.exitCode).arg(r.err);
        };
        QString e = explain(u"2"_s, u"q0"_s);
        QVERIFY2(e.contains(u"expired"_s) && e.contains(u"TTL 3600 s"_s), qPrintable(e));
        e = explain(u"2"_s, u"1"_s); // by index
        QVERIFY2(e.contains(u"differs in: params.temperature"_s), qPrintable(e));
        e = explain(u"2"_s, u"q2"_s);
        QVERIFY2(e.contains(u"no entry for this key"_s), qPrintable(e));
        e = explain(u"2"_s, u"q3"_s);
        QVERIFY2(e.contains(u"errors are never cached"_s), qPrintable(e));
        e = explain(u"3"_s, u"q2"_s);
        QVERIFY2(e.contains(u"hit"_s) && e.contains(u"run 2"_s), qPrintable(e));
        QVERIFY2(e.contains(u"m / qa"_s), qPrintable(e));
        QVERIFY(explain(u"2"_s, u"q9"_s).startsWith(u"exit 2"_s));
        QVERIFY(explain(u"7"_s, u"q0"_s).startsWith(u"exit 2"_s));

        Result clear = runCli({ u"cache"_s, u"clear"_s, u"--expired"_s, u"--ttl-s"_s, u"3600"_s, u"--db"_s, db });
        QVERIFY2(clear.exitCode == 0, qPrintable(clear.err));
        QVERIFY2(clear.out.contains(u"Deleted 1 expired"_s), qPrintable(clear.out));
        clear = runCli({ u"cache"_s, u"clear"_s, u"--db"_s, db });
        QVERIFY2(clear.out.contains(u"Deleted 3 "_s), qPrintable(clear.out));
        evs::test::SqlReader sql(db);
        QCOMPARE(sql.scalar("SELECT COUNT(*) FROM response_cache"), 0);
        QCOMPARE(sql.scalar("SELECT COUNT(*) FROM results"), 7); // records stay
        QCOMPARE(runCli({ u"cache"_s, u"frob"_s, u"--db"_s, db }).exitCode, 2);
        QCOMPARE(runCli({ u"cache"_s, u"clear"_s, u"--ttl-s"_s, u"5"_s, u"--db"_s, db }).exitCode, 2);
    }

private:
    static bool exec(const QString& path, const char* sql)
    {
        sqlite3* db = nullptr;
        sqlite3_open_v2(path.toUtf8().constData(), &db, SQLITE_OPEN_READWRITE, nullptr);
        const bool ok = sqlite3_exec(db, sql, nullptr, nullptr, nullptr) == SQLITE_OK;
        sqlite3_close_v2(db);
        return ok;
    }
};

QTEST_GUILESS_MAIN(TestCliCache)
#include "tst_cli_cache.moc"
