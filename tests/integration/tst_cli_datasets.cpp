// `evalsandbox-cli dataset inspect` and `run PLAN --dry-run` driven as a user would, as a subprocess.
#include "tests/clitestsupport.h"
#include <QFile>

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>

using namespace Qt::StringLiterals;

namespace {

using Result = evs::test::CliResult;

Result runCli(const QStringList& args, const QProcessEnvironment& env = QProcessEnvironment::systemEnvironment())
{
    return evs::test::runCli(args, 60000, env);
}

QString writeFile(const QTemporaryDir& dir, const QString& name, const QByteArray& bytes)
{
    return evs::test::writeTestFile(dir, name, bytes);
}

QString data(const QString& name)
{
    return QStringLiteral(EVS_TEST_DATA "/benchmarks/") + name;
}

} // namespace

class TestCliDatasets : public QObject {
    Q_OBJECT
    QTemporaryDir m_dir;

private Q_SLOTS:
    void initTestCase() { QVERIFY(QFile::exists(QStringLiteral(EVS_CLI_PATH))); }

    void inspectText()
    {
        const Result r
            = runCli({ u"dataset"_s, u"inspect"_s, data(u"high_school_physics_test.csv"_s), u"--rows"_s, u"1"_s });
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        QVERIFY2(r.out.contains(u"format:   mmlu_csv"_s), qPrintable(r.out));
        QVERIFY(r.out.contains(u"input <- question"_s));
        QVERIFY(r.out.contains(u"records:  2 good, 2 bad (skipped)"_s));
        QVERIFY(r.out.contains(u"B. Newton"_s)); // the rendered row
        QVERIFY(r.out.contains(u"high_school_physics_test.csv:3: expected 6 columns"_s));
        QVERIFY(r.out.contains(u"high_school_physics_test.csv:4: answer must be a letter A-D"_s));
    }

    void inspectJson_data()
    {
        QTest::addColumn<QString>("file");
        QTest::addColumn<QStringList>("options");
        QTest::addColumn<QString>("format");
        QTest::addColumn<int>("good");
        QTest::addColumn<int>("bad");
        QTest::addColumn<QString>("inputKey");
        QTest::addRow("csv with BOM, CRLF, quotes")
            << data(u"quoted.csv"_s) << QStringList() << u"csv"_s << 3 << 0 << u"question"_s;
        QTest::addRow("json array") << data(u"array.json"_s) << QStringList() << u"json"_s << 3 << 2 << u"question"_s;
        QTest::addRow("tsv") << data(u"table.tsv"_s) << QStringList() << u"tsv"_s << 2 << 0 << u"prompt"_s;
        QTest::addRow("jsonl with bad lines")
            << data(u"mixed.jsonl"_s) << QStringList() << u"jsonl"_s << 3 << 7 << u"question"_s;
        QTest::addRow("builtin") << u"builtin:arithmetic"_s << QStringList() << u"jsonl"_s << 40 << 0 << u"question"_s;
        QTest::addRow("fields given") << data(u"mapped.jsonl"_s)
                                      << QStringList { u"--fields"_s, u"{\"input\": \"q\", \"target\": \"a\"}"_s }
                                      << u"jsonl"_s << 1 << 0 << u"q"_s;
        QTest::addRow("format given") << data(u"quoted.csv"_s) << QStringList { u"--format"_s, u"csv"_s } << u"csv"_s
                                      << 3 << 0 << u"question"_s;
    }

    void inspectJson()
    {
        QFETCH(QString, file);
        QFETCH(QStringList, options);
        QFETCH(QString, format);
        QFETCH(int, good);
        QFETCH(int, bad);
        QFETCH(QString, inputKey);
        const Result r
            = runCli(QStringList { u"dataset"_s, u"inspect"_s, file, u"--json"_s, u"--rows"_s, u"2"_s } + options);
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        const QJsonObject report = QJsonDocument::fromJson(r.out.toUtf8()).object();
        QCOMPARE(report.value(u"format"_s).toString(), format);
        QCOMPARE(report.value(u"good_records"_s).toInt(), good);
        QCOMPARE(report.value(u"bad_records"_s).toInt(), bad);
        QCOMPARE(report.value(u"bad_record_reports"_s).toArray().size(), bad);
        QCOMPARE(report.value(u"mapping"_s).toObject().value(u"input"_s).toString(), inputKey);
        const QJsonArray samples = report.value(u"samples"_s).toArray();
        QCOMPARE(samples.size(), std::min(2, good));
        const QJsonArray messages = samples.at(0).toObject().value(u"messages"_s).toArray();
        QVERIFY(!messages.isEmpty());
        QCOMPARE(messages.last().toObject().value(u"role"_s).toString(), u"user"_s);
    }

    void inspectErrors_data()
    {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<QString>("message");
        QTest::addRow("no file") << QStringList { u"inspect"_s } << u"expected one file"_s;
        QTest::addRow("unknown format") << QStringList { u"inspect"_s, data(u"quoted.csv"_s), u"--format"_s, u"xml"_s }
                                        << u"unknown dataset format"_s;
        QTest::addRow("unknown extension")
            << QStringList { u"inspect"_s, data(u"table.csv"_s) + u".txt"_s } << u"cannot tell the format"_s;
        QTest::addRow("bad fields") << QStringList { u"inspect"_s, data(u"quoted.csv"_s), u"--fields"_s, u"[1]"_s }
                                    << u"--fields must be a JSON object"_s;
        QTest::addRow("unknown field") << QStringList { u"inspect"_s, data(u"quoted.csv"_s), u"--fields"_s,
            u"{\"inptu\": \"q\"}"_s } << u"unknown field \"inptu\""_s;
        QTest::addRow("bad rows") << QStringList { u"inspect"_s, data(u"quoted.csv"_s), u"--rows"_s, u"x"_s }
                                  << u"--rows"_s;
        QTest::addRow("unknown subcommand") << QStringList { u"peek"_s } << u"unknown subcommand"_s;
    }

    void inspectErrors()
    {
        QFETCH(QStringList, args);
        QFETCH(QString, message);
        const Result r = runCli(QStringList { u"dataset"_s } + args);
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains(message), qPrintable(r.err));
    }

    void dryRun()
    {
        const QString plan = writeFile(m_dir, u"dry.json"_s,
            "{ \"name\": \"dry\", \"seed\": 5,\n"
            "  \"models\": [ { \"id\": \"sim\", \"provider\": \"simulator\" },\n"
            "              { \"id\": \"remote\", \"provider\": \"openai\", \"base_url\": \"http://127.0.0.1:9/v1\", "
            "\"model\": \"m1\",\n"
            "                \"api_key\": \"env:EVS_DRY_RUN_KEY\", \"params\": { \"temperature\": 0 } } ],\n"
            "  \"benchmarks\": [ { \"id\": \"mc\", \"dataset\": \"builtin:multiple-choice\", \"system\": \"Subject: "
            "{{category|upper}}\" },\n"
            "                  { \"id\": \"ar\", \"dataset\": \"builtin:arithmetic\", \"fewshot\": { \"k\": 2 } } ] }");
        const QString db = m_dir.filePath(u"never.sqlite"_s);
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(u"EVS_DRY_RUN_KEY"_s, u"sk-must-not-appear-123"_s);
        env.insert(u"EVALSANDBOX_DB"_s, db);
        const Result r = runCli({ u"run"_s, plan, u"--dry-run"_s, u"2"_s }, env);
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        QCOMPARE(r.out.count(u"=== model "_s), 2 * 2 * 2); // 2 models x 2 benchmarks x 2 samples
        QVERIFY(r.out.contains(u"=== model sim x benchmark mc: sample 1"_s));
        QVERIFY(r.out.contains(u"POST http://127.0.0.1:9/v1/chat/completions"_s));
        QVERIFY(r.out.contains(u"Authorization: Bearer <redacted>"_s));
        QVERIFY(!r.out.contains(u"sk-must-not-appear"_s) && !r.err.contains(u"sk-must-not-appear"_s));
        QVERIFY(r.out.contains(u"\"content\": \"Subject: SCIENCE\""_s)); // the system template, filtered
        QVERIFY(r.out.contains(u"\"expected\": \"C\""_s)); // the simulator's hints are in its body
        QVERIFY(r.out.contains(u"\"temperature\": 0"_s));
        QVERIFY(r.out.contains(u"#### "_s)); // few-shot examples answer with worked solutions
        QVERIFY(!QFile::exists(db)); // nothing ran, nothing stored

        const Result again = runCli({ u"run"_s, plan, u"--dry-run"_s, u"2"_s }, env);
        QCOMPARE(again.out, r.out); // deterministic: the same examples for the same seed

        const Result one = runCli({ u"run"_s, u"--dry-run"_s, plan }, env); // default: 3 per pair
        QVERIFY2(one.exitCode == 0, qPrintable(one.err));
        QCOMPARE(one.out.count(u"=== model "_s), 2 * 2 * 3);
    }

    void dryRunErrors()
    {
        const QString bad = writeFile(m_dir, u"bad.json"_s,
            "{ \"models\": [ { \"id\": \"sim\", \"provider\": \"simulator\" } ],\n"
            "  \"benchmarks\": [ { \"id\": \"b\", \"dataset\": \"builtin:short-answer\", \"template\": \"{{question}} "
            "{{nope}}\" } ] }");
        Result r = runCli({ u"run"_s, bad, u"--dry-run"_s });
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains(u"unknown placeholder {{nope}}"_s), qPrintable(r.err));
        const QString ok = writeFile(m_dir, u"ok.json"_s,
            "{ \"models\": [ { \"id\": \"sim\", \"provider\": \"simulator\" } ],\n"
            "  \"benchmarks\": [ { \"id\": \"b\", \"dataset\": \"builtin:short-answer\" } ] }");
        r = runCli({ u"run"_s, ok, u"--dry-run"_s, u"x"_s });
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains(u"--dry-run takes at most one count"_s), qPrintable(r.err));
    }
};

QTEST_GUILESS_MAIN(TestCliDatasets)
#include "tst_cli_datasets.moc"
