// `evalsandbox-cli report` as a user runs it: every format from a run made with an API key from the environment
// (the key appears in no export), the offscreen platform chosen by the command itself, stdout output, and usage
// errors with their exit status.
#include "tests/testsupport.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QtTest>

#include <csignal>

using namespace Qt::StringLiterals;

namespace {

struct Result {
    int exitCode = -1;
    QByteArray out;
    QString err;
};

// No display and no platform set: the report command must pick the offscreen platform itself.
Result runCli(const QStringList& args, const QProcessEnvironment& extra = {})
{
    QProcess p;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.remove(u"QT_QPA_PLATFORM"_s);
    env.remove(u"DISPLAY"_s);
    env.remove(u"WAYLAND_DISPLAY"_s);
    for (const QString& k : extra.keys())
        env.insert(k, extra.value(k));
    p.setProcessEnvironment(env);
    p.start(QStringLiteral(EVS_CLI_PATH), args);
    Result r;
    if (!p.waitForFinished(180000)) {
        p.kill();
        p.waitForFinished();
        r.err = u"timed out"_s;
        return r;
    }
    r.exitCode = p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1;
    r.out = p.readAllStandardOutput();
    r.err = QString::fromUtf8(p.readAllStandardError());
    return r;
}

const QByteArray kSecret = "sk-evs-report-SECRET-7d1e0b";

} // namespace

class TestCliReport : public QObject {
    Q_OBJECT
    QTemporaryDir m_dir;
    QString m_db;

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(QFile::exists(QStringLiteral(EVS_CLI_PATH)));
        // An OpenAI-style model with a key from the environment, served by the standalone simulator.
        QProcess sim;
        sim.start(QStringLiteral(EVS_CLI_PATH),
            { u"simulate"_s, u"--port"_s, u"0"_s, u"--latency-ms"_s, u"1"_s, u"--tail-ms"_s, u"5"_s, u"--accuracy"_s,
                u"0.7"_s, u"--fault"_s, u"http_5xx=0.1"_s });
        QVERIFY(sim.waitForStarted());
        QString banner;
        QTRY_VERIFY_WITH_TIMEOUT((banner += QString::fromUtf8(sim.readAllStandardError())).contains(u"/v1"_s), 20000);
        const QString port = QRegularExpression(u"127\\.0\\.0\\.1:(\\d+)"_s).match(banner).captured(1);
        const QByteArray plan = QStringLiteral(R"({"name":"report-keys","seed":3,
  "models":[{"id":"oa","provider":"openai","base_url":"%1","model":"sim-1","api_key":"env:EVS_REPORT_KEY",
             "concurrency":4,"retries":{"max_attempts":1}}],
  "benchmarks":[{"id":"mc","dataset":"builtin:multiple-choice","scorer":{"type":"multiple_choice"},"limit":20}],
  "thresholds":[{"metric":"error_rate","op":"<","value":0.5}]})")
                                    .arg(u"http:"_s + u"//127.0.0.1:"_s + port + u"/v1"_s)
                                    .toUtf8();
        const QString planPath = m_dir.filePath(u"plan.json"_s);
        QFile f(planPath);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(plan);
        f.close();
        m_db = m_dir.filePath(u"keys.sqlite"_s);
        QProcessEnvironment env;
        env.insert(u"EVS_REPORT_KEY"_s, QString::fromUtf8(kSecret));
        const Result r = runCli({ u"run"_s, planPath, u"--db"_s, m_db }, env);
        ::kill(pid_t(sim.processId()), SIGTERM);
        QVERIFY(sim.waitForFinished(10000));
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        QCOMPARE(evs::test::SqlReader(m_db).scalar("SELECT COUNT(*) FROM results"), 20);
    }

    void everyFormat_data()
    {
        QTest::addColumn<QString>("format");
        QTest::addColumn<QString>("file");
        QTest::addRow("html") << u"html"_s << u"r.html"_s;
        QTest::addRow("pdf") << u"pdf"_s << u"r.pdf"_s;
        QTest::addRow("csv") << u"csv"_s << u"r.csv"_s;
        QTest::addRow("json") << u"json"_s << u"r.json"_s;
        QTest::addRow("jsonl") << u"jsonl"_s << u"r.jsonl"_s;
        QTest::addRow("md") << u"md"_s << u"r.md"_s;
        QTest::addRow("junit") << u"junit"_s << u"r.xml"_s;
        QTest::addRow("prom") << u"prom"_s << u"r.prom"_s;
        QTest::addRow("format from suffix") << QString() << u"suffix.md"_s;
    }
    void everyFormat()
    {
        QFETCH(QString, format);
        QFETCH(QString, file);
        const QString path = m_dir.filePath(file);
        QStringList args = { u"report"_s, u"1"_s, u"-o"_s, path, u"--db"_s, m_db };
        if (!format.isEmpty())
            args << u"--format"_s << format;
        // A key in the environment of the report command too: it must not read it.
        QProcessEnvironment env;
        env.insert(u"EVS_REPORT_KEY"_s, QString::fromUtf8(kSecret));
        const Result r = runCli(args, env);
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        QFile f(path);
        QVERIFY(f.open(QIODevice::ReadOnly));
        const QByteArray data = f.readAll();
        QVERIFY(data.size() > 100);
        QVERIFY2(!data.contains(kSecret), qPrintable(file));
        QVERIFY(!r.out.contains(kSecret) && !r.err.contains(QString::fromUtf8(kSecret)));
        if (format == u"html"_s) {
            QVERIFY(!data.contains("http://") && !data.contains("https://"));
            QVERIFY(data.contains("<svg"));
        }
        if (format == u"pdf"_s)
            QVERIFY(data.startsWith("%PDF-"));
        if (format == u"json"_s) {
            const QJsonObject o = QJsonDocument::fromJson(data).object();
            QCOMPARE(o.value(u"summary"_s).toObject().value(u"pairs"_s).toArray().size(), 1);
            QCOMPARE(o.value(u"thresholds"_s).toArray().size(), 1);
        }
    }

    void toStdout()
    {
        const Result r = runCli({ u"report"_s, u"1"_s, u"--format"_s, u"jsonl"_s, u"-o"_s, u"-"_s, u"--db"_s, m_db });
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        QCOMPARE(r.out.count('\n'), 20);
        QVERIFY(!r.out.contains(kSecret));
    }

    void usageErrors_data()
    {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<int>("status");
        QTest::addColumn<QString>("mentions");
        QTest::addRow("unknown format") << QStringList { u"1"_s, u"--format"_s, u"docx"_s, u"-o"_s, u"x"_s } << 2
                                        << u"unknown format"_s;
        QTest::addRow("no output") << QStringList { u"1"_s, u"--format"_s, u"csv"_s } << 2 << u"-o FILE"_s;
        QTest::addRow("no run id") << QStringList { u"--format"_s, u"csv"_s, u"-o"_s, u"x.csv"_s } << 2 << u"run id"_s;
        QTest::addRow("unknown run") << QStringList { u"99"_s, u"-o"_s, u"x.csv"_s } << 2 << u"no run 99"_s;
        QTest::addRow("no suffix") << QStringList { u"1"_s, u"-o"_s, u"report"_s } << 2 << u"--format"_s;
        QTest::addRow("pdf to stdout") << QStringList { u"1"_s, u"--format"_s, u"pdf"_s, u"-o"_s, u"-"_s } << 2
                                       << u"output file"_s;
    }
    void usageErrors()
    {
        QFETCH(QStringList, args);
        QFETCH(int, status);
        QFETCH(QString, mentions);
        const Result r = runCli(QStringList { u"report"_s } + args + QStringList { u"--db"_s, m_db });
        QCOMPARE(r.exitCode, status);
        QVERIFY2(r.err.contains(mentions), qPrintable(r.err));
    }

    void missingStoreIsAToolFailure()
    {
        const Result r = runCli(
            { u"report"_s, u"1"_s, u"-o"_s, m_dir.filePath(u"x.csv"_s), u"--db"_s, m_dir.filePath(u"nope.sqlite"_s) });
        QCOMPARE(r.exitCode, 1);
        QVERIFY(!QFile::exists(m_dir.filePath(u"nope.sqlite"_s)));
    }
};

QTEST_GUILESS_MAIN(TestCliReport)
#include "tst_cli_report.moc"
