// `evalsandbox-cli compare` as a subprocess on runs made against the in-process simulator: its numbers equal the
// store's, disagreement counts equal an independent SQL count, McNemar's p-value equals a binomial sum computed
// here, model output is inert in Markdown and HTML, and bad usage exits with 2.
#include "tests/clitestsupport.h"
#include "tests/testsupport.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>

#include <sqlite3.h>

using namespace Qt::StringLiterals;

namespace {

using Result = evs::test::CliResult;
using evs::test::runCli;

QString model(const QString& id, double accuracy, int latencyMs)
{
    return uR"({ "id": "%1", "provider": "simulator", "model": "%1", "concurrency": 8,
      "simulate": { "accuracy": %2, "latency_ms": %3, "tail_ms": %3, "token_ms": 0 } })"_s.arg(id)
        .arg(accuracy)
        .arg(latencyMs);
}

QByteArray plan(const QString& name, const QStringList& models)
{
    return uR"({ "name": "%1", "seed": 5, "models": [ %2 ],
  "benchmarks": [ { "id": "mc", "dataset": "builtin:multiple-choice", "scorer": { "type": "multiple_choice" } } ] })"_s
        .arg(name, models.join(u", "_s))
        .toUtf8();
}

// 2 * P(X <= min(b, c)) for X ~ Binomial(b + c, 1/2), by the recurrence C(n, i + 1) = C(n, i) (n - i) / (i + 1).
double mcnemarReference(qint64 b, qint64 c)
{
    const qint64 n = b + c;
    if (n == 0)
        return 1;
    long double term = std::pow(0.5L, (long double)n), sum = 0;
    for (qint64 i = 0; i <= std::min(b, c); ++i) {
        sum += term;
        term = term * (long double)(n - i) / (long double)(i + 1);
    }
    return double(std::min(1.0L, 2 * sum));
}

} // namespace

class TestCliCompare : public QObject {
    Q_OBJECT
    QTemporaryDir m_dir;
    QString m_db;
    qint64 m_runA = 0, m_runB = 0, m_runBoth = 0;

    qint64 makeRun(const QString& file, const QByteArray& json)
    {
        const QString path = m_dir.filePath(file);
        QFile f(path);
        if (!f.open(QIODevice::WriteOnly) || f.write(json) != json.size())
            return 0;
        f.close();
        const Result r = runCli({ u"run"_s, path, u"--db"_s, m_db });
        if (r.exitCode != 0) {
            qWarning() << r.err;
            return 0;
        }
        evs::test::SqlReader sql(m_db);
        return sql.scalar("SELECT MAX(id) FROM runs");
    }

    QJsonObject compareJson(const QStringList& extra)
    {
        const Result r
            = runCli(QStringList { u"compare"_s } + extra + QStringList { u"--db"_s, m_db, u"--format"_s, u"json"_s });
        if (r.exitCode != 0)
            qWarning() << r.err;
        return QJsonDocument::fromJson(r.out.toUtf8()).object();
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(QFile::exists(QStringLiteral(EVS_CLI_PATH)));
        m_db = m_dir.filePath(u"compare.sqlite"_s);
        m_runA = makeRun(u"a.json"_s, plan(u"good"_s, { model(u"good"_s, 0.9, 2) }));
        m_runB = makeRun(u"b.json"_s, plan(u"weak"_s, { model(u"weak"_s, 0.4, 6) }));
        m_runBoth = makeRun(u"both.json"_s, plan(u"both"_s, { model(u"good"_s, 0.9, 2), model(u"weak"_s, 0.4, 6) }));
        QVERIFY(m_runA > 0 && m_runB > m_runA && m_runBoth > m_runB);
    }

    void numbersEqualTheStore()
    {
        const QJsonObject c = compareJson({ QString::number(m_runA), QString::number(m_runB) });
        QCOMPARE(c.value(u"sides"_s).toArray().size(), 2);
        const QJsonArray benchmarks = c.value(u"benchmarks"_s).toArray();
        QCOMPARE(benchmarks.size(), 1);
        const QJsonArray sides = benchmarks[0].toObject().value(u"sides"_s).toArray();
        evs::test::SqlReader sql(m_db);
        const qint64 runs[2] = { m_runA, m_runB };
        for (int i = 0; i < 2; ++i) {
            const QJsonObject s = sides[i].toObject();
            const QByteArray where = " FROM results WHERE run_id = " + QByteArray::number(runs[i]);
            QCOMPARE(s.value(u"n"_s).toInteger(), sql.scalar(QByteArray("SELECT COUNT(*)" + where).constData()));
            const auto avg = sql.rows(QByteArray("SELECT AVG(score)" + where).constData());
            QVERIFY(std::abs(s.value(u"score"_s).toDouble() - avg[0][0].toDouble()) < 1e-12);
            // Latency p50 from the store's timings, numpy's linear interpolation, computed here.
            const auto lat = sql.rows(QByteArray("SELECT COALESCE(t_last_token, t_end) - t_send" + where
                + " AND error_class IS NULL AND cached = 0 ORDER BY 1")
                                          .constData());
            std::vector<double> v;
            for (const auto& row : lat)
                v.push_back(row[0].toDouble() / 1e6);
            QVERIFY(!v.empty());
            const double rank = 0.5 * double(v.size() - 1);
            const auto lo = size_t(rank);
            const double p50 = v[lo] + (rank - double(lo)) * (v[std::min(lo + 1, v.size() - 1)] - v[lo]);
            QVERIFY(std::abs(s.value(u"latency_ms"_s).toObject().value(u"p50"_s).toDouble() - p50) < 1e-9);
        }
        // Discordant pairs counted with plain SQL, and McNemar's p-value from them.
        const QByteArray join = "SELECT COUNT(*) FROM results a JOIN results b ON a.sample_idx = b.sample_idx AND "
                                "a.repeat = b.repeat AND a.benchmark_idx = b.benchmark_idx WHERE a.run_id = "
            + QByteArray::number(m_runA) + " AND b.run_id = " + QByteArray::number(m_runB);
        const qint64 baseRight = sql.scalar(QByteArray(join + " AND a.score = 1 AND b.score = 0").constData());
        const qint64 sideRight = sql.scalar(QByteArray(join + " AND a.score = 0 AND b.score = 1").constData());
        const qint64 shared
            = sql.scalar(QByteArray(join + " AND a.score IS NOT NULL AND b.score IS NOT NULL").constData());
        const QJsonObject vs = sides[1].toObject().value(u"vs_baseline"_s).toObject();
        QCOMPARE(vs.value(u"test"_s).toString(), u"mcnemar_exact"_s);
        QCOMPARE(vs.value(u"shared"_s).toInteger(), shared);
        QCOMPARE(vs.value(u"baseline_only_right"_s).toInteger(), baseRight);
        QCOMPARE(vs.value(u"side_only_right"_s).toInteger(), sideRight);
        QVERIFY(baseRight > sideRight);
        const double p = vs.value(u"p_value"_s).toDouble();
        QVERIFY2(std::abs(p - mcnemarReference(baseRight, sideRight)) <= 1e-9 * std::max(1e-300, p) + 1e-15,
            qPrintable(QString::number(p)));
        QVERIFY(p < 0.01); // 90 % against 40 % on 60 questions
        const QJsonArray dis = c.value(u"disagreements"_s).toArray();
        QCOMPARE(dis.size(), 1);
        QCOMPARE(dis[0].toObject().value(u"total"_s).toInteger(), baseRight + sideRight);
        QCOMPARE(dis[0].toObject().value(u"samples"_s).toArray().size(), std::min<qint64>(10, baseRight + sideRight));
    }

    void modelsWithinOneRun()
    {
        const QJsonObject c
            = compareJson({ QString::number(m_runBoth), u"--models"_s, u"weak,good"_s, u"--baseline"_s, u"2"_s });
        const QJsonArray sides = c.value(u"sides"_s).toArray();
        QCOMPARE(sides.size(), 2);
        QCOMPARE(sides[0].toObject().value(u"model_id"_s).toString(), u"weak"_s);
        QCOMPARE(c.value(u"baseline"_s).toInt(), 1);
        const QJsonObject weak
            = c.value(u"benchmarks"_s).toArray()[0].toObject().value(u"sides"_s).toArray()[0].toObject();
        const QJsonObject vs = weak.value(u"vs_baseline"_s).toObject();
        evs::test::SqlReader sql(m_db);
        const QByteArray join = "SELECT COUNT(*) FROM results a JOIN results b ON a.sample_idx = b.sample_idx AND "
                                "a.repeat = b.repeat AND a.run_id = b.run_id WHERE a.run_id = "
            + QByteArray::number(m_runBoth) + " AND a.model_idx = 0 AND b.model_idx = 1";
        QCOMPARE(vs.value(u"disagreements"_s).toInteger(),
            sql.scalar(QByteArray(join + " AND (a.score >= 1) <> (b.score >= 1)").constData()));
        QVERIFY(vs.value(u"score_diff"_s).toDouble() < 0);
    }

    void textNamesTheTests()
    {
        const Result r = runCli({ u"compare"_s, QString::number(m_runA), QString::number(m_runB), u"--db"_s, m_db });
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        QVERIFY2(r.out.contains(u"McNemar exact"_s) && r.out.contains(u"(baseline)"_s)
                && r.out.contains(u"latency p95 ms"_s) && r.out.contains(u"disagreements"_s),
            qPrintable(r.out));
    }

    void modelOutputIsInert_data()
    {
        QTest::addColumn<QString>("format");
        QTest::addColumn<QString>("script"); // how the two planted responses read once escaped (TextEscape)
        QTest::addColumn<QString>("img");
        QTest::addRow("html") << u"html"_s << u"&lt;script&gt;alert(1)&lt;/script&gt;"_s
                              << u"&quot;&gt;&lt;img src=x onerror=alert(1)&gt;"_s;
        QTest::addRow("md") << u"md"_s << u"&lt;script&gt;alert\\(1\\)&lt;/script&gt;"_s
                            << u"\"&gt;&lt;img src=x onerror=alert\\(1\\)&gt;"_s;
    }
    void modelOutputIsInert()
    {
        QFETCH(QString, format);
        QFETCH(QString, script);
        QFETCH(QString, img);
        // Plant hostile responses on a disagreeing sample, as a model could answer.
        {
            sqlite3* db = nullptr;
            QCOMPARE(sqlite3_open(m_db.toUtf8().constData(), &db), SQLITE_OK);
            const QByteArray sql = "UPDATE results SET response = '<script>alert(1)</script>' WHERE id = (SELECT a.id "
                                   "FROM results a JOIN results b ON a.sample_idx = b.sample_idx AND a.repeat = "
                                   "b.repeat WHERE a.run_id = "
                + QByteArray::number(m_runA) + " AND b.run_id = " + QByteArray::number(m_runB)
                + " AND (a.score >= 1) <> (b.score >= 1) ORDER BY a.sample_idx LIMIT 1); "
                  "UPDATE results SET response = '\"><img src=x onerror=alert(1)>' WHERE id = (SELECT b.id "
                  "FROM results a JOIN results b ON a.sample_idx = b.sample_idx AND a.repeat = b.repeat WHERE "
                  "a.run_id = "
                + QByteArray::number(m_runA) + " AND b.run_id = " + QByteArray::number(m_runB)
                + " AND (a.score >= 1) <> (b.score >= 1) ORDER BY a.sample_idx LIMIT 1);";
            char* msg = nullptr;
            const int rc = sqlite3_exec(db, sql.constData(), nullptr, nullptr, &msg);
            QVERIFY2(rc == SQLITE_OK, msg);
            sqlite3_close(db);
        }
        const QString file = m_dir.filePath(u"out."_s + format);
        const Result r = runCli({ u"compare"_s, QString::number(m_runA), QString::number(m_runB), u"--db"_s, m_db,
            u"--format"_s, format, u"-o"_s, file });
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        QFile f(file);
        QVERIFY(f.open(QIODevice::ReadOnly));
        const QString doc = QString::fromUtf8(f.readAll());
        QVERIFY2(doc.contains(script), qPrintable(doc.left(4000)));
        QVERIFY2(doc.contains(img), qPrintable(doc.left(4000)));
        QVERIFY(!doc.contains(u"<script"_s, Qt::CaseInsensitive));
        QVERIFY(!doc.contains(u"<img"_s, Qt::CaseInsensitive));
        QVERIFY(!doc.contains(u"http://"_s) && !doc.contains(u"https://"_s));
    }

    void badUsageExitsWithTwo_data()
    {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<QString>("mention");
        QTest::addRow("one side") << QStringList { u"1"_s } << u"one side"_s;
        QTest::addRow("no such run") << QStringList { u"1"_s, u"999"_s } << u"999"_s;
        QTest::addRow("no such model") << QStringList { u"1"_s, u"2"_s, u"--model"_s, u"zzz"_s } << u"zzz"_s;
        QTest::addRow("bad format") << QStringList { u"1"_s, u"2"_s, u"--format"_s, u"pdf"_s } << u"pdf"_s;
        QTest::addRow("bad baseline") << QStringList { u"1"_s, u"2"_s, u"--baseline"_s, u"3"_s } << u"baseline"_s;
    }
    void badUsageExitsWithTwo()
    {
        QFETCH(QStringList, args);
        QFETCH(QString, mention);
        const Result r = runCli(QStringList { u"compare"_s } + args + QStringList { u"--db"_s, m_db });
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains(mention), qPrintable(r.err));
    }
};

QTEST_GUILESS_MAIN(TestCliCompare)
#include "tst_cli_compare.moc"
