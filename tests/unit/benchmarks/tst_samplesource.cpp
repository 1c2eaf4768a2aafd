#include "app/benchmarks/samplesource.h"

#include <QFile>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;

namespace evs {

namespace {
QString data(const QString& name)
{
    return QStringLiteral(EVS_TEST_DATA "/benchmarks/") + name;
}

BenchmarkSpec spec(const QString& dataset)
{
    BenchmarkSpec s;
    s.dataset = dataset;
    return s;
}

QVector<Sample> readAll(SampleSource* source)
{
    QVector<Sample> out;
    Sample s;
    while (source->next(&s))
        out.append(s);
    return out;
}
} // namespace

class TestSampleSource : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void builtins_data()
    {
        QTest::addColumn<QString>("name");
        QTest::addColumn<int>("count");
        QTest::addColumn<bool>("withChoices");
        QTest::addRow("multiple-choice") << u"multiple-choice"_s << 60 << true;
        QTest::addRow("short-answer") << u"short-answer"_s << 30 << false;
    }

    void builtins()
    {
        QFETCH(QString, name);
        QFETCH(int, count);
        QFETCH(bool, withChoices);
        QVERIFY(SampleSource::builtinNames().contains(name));
        QString error;
        auto source = SampleSource::open(spec(u"builtin:"_s + name), &error);
        QVERIFY2(source, qPrintable(error));
        const auto samples = readAll(source.get());
        QCOMPARE(samples.size(), count);
        QCOMPARE(source->badRecords(), 0);
        QSet<QString> ids;
        for (const Sample& s : samples) {
            QVERIFY(!s.input.isEmpty());
            QVERIFY(!s.target.isEmpty());
            QVERIFY(!s.category.isEmpty());
            ids.insert(s.id);
            if (withChoices) {
                QCOMPARE(s.choices.size(), 4);
                QVERIFY(s.target.size() == 1 && s.target[0] >= u'A' && s.target[0] <= u'D');
            } else {
                QVERIFY(s.choices.isEmpty());
                QVERIFY(!s.target.contains(u' '));
            }
        }
        QCOMPARE(ids.size(), count);
        QCOMPARE(samples.front().index, 0);
        QCOMPARE(samples.back().index, count - 1);
    }

    void badLines()
    {
        QString error;
        auto source = SampleSource::open(spec(data(u"mixed.jsonl"_s)), &error);
        QVERIFY2(source, qPrintable(error));
        const auto samples = readAll(source.get());
        QCOMPARE(samples.size(), 3);
        QCOMPARE(samples[0].id, u"r1"_s);
        QCOMPARE(samples[0].index, 0);
        QCOMPARE(samples[1].id, u"r4"_s);
        QCOMPARE(samples[1].index, 1); // bad records do not consume an index
        QCOMPARE(samples[1].input, u"Four?"_s);
        QCOMPARE(samples[1].target, u"4"_s); // numbers become text
        QCOMPARE(samples[2].index, 2);
        QCOMPARE(samples[2].choices, QStringList({ u"x"_s, u"y"_s }));
        QCOMPARE(samples[2].target, u"B"_s); // a number with choices is a 0-based index
        QCOMPARE(samples[2].category, u"maths"_s);
        QCOMPARE(source->badRecords(), 7);
        const QStringList reports = source->badRecordReports();
        QCOMPARE(reports.size(), 7);
        const QString file = data(u"mixed.jsonl"_s);
        const QStringList expected = { file + u":3: invalid JSON"_s, file + u":4: not a JSON object"_s,
            file + u":5: missing input"_s, file + u":6: invalid JSON"_s, file + u":8: invalid UTF-8"_s,
            file + u":9: choices"_s, file + u":11: invalid JSON"_s };
        for (int i = 0; i < expected.size(); ++i)
            QVERIFY2(reports[i].startsWith(expected[i]), qPrintable(reports[i]));
    }

    void bomAndCrlf()
    {
        QString error;
        auto source = SampleSource::open(spec(data(u"bom-crlf.jsonl"_s)), &error);
        QVERIFY(source);
        const auto samples = readAll(source.get());
        QCOMPARE(samples.size(), 3);
        QCOMPARE(samples[0].input, u"First?"_s);
        QCOMPARE(samples[0].id, u"0"_s); // no id: the index
        QCOMPARE(samples[2].input, u"Third?"_s);
        QCOMPARE(samples[2].index, 2);
        QCOMPARE(source->badRecords(), 0);
    }

    void emptyFile()
    {
        QString error;
        auto source = SampleSource::open(spec(data(u"empty.jsonl"_s)), &error);
        QVERIFY(source);
        Sample s;
        QVERIFY(!source->next(&s));
        QVERIFY(source->error().isEmpty());
        QCOMPARE(source->badRecords(), 0);
    }

    void fieldMapping()
    {
        BenchmarkSpec s = spec(data(u"mapped.jsonl"_s));
        s.fields = QJsonObject { { u"input"_s, u"q"_s }, { u"target"_s, u"a"_s }, { u"choices"_s, u"opts"_s },
            { u"id"_s, u"key"_s }, { u"category"_s, u"topic"_s } };
        QString error;
        auto source = SampleSource::open(s, &error);
        QVERIFY(source);
        Sample sample;
        QVERIFY(source->next(&sample));
        QCOMPARE(sample.input, u"Mapped?"_s);
        QCOMPARE(sample.target, u"yes"_s);
        QCOMPARE(sample.choices.size(), 2);
        QCOMPARE(sample.id, u"k1"_s);
        QCOMPARE(sample.category, u"misc"_s);
        QCOMPARE(sample.record.value(u"hint"_s).toString(), u"think"_s);

        s.fields = QJsonObject { { u"input"_s, u"question"_s } };
        source = SampleSource::open(s, &error);
        QVERIFY(!source->next(&sample));
        QVERIFY(source->badRecordReports().value(0).contains(u"fields.input"_s));
    }

    void limit()
    {
        BenchmarkSpec s = spec(u"builtin:multiple-choice"_s);
        s.limit = 5;
        QString error;
        QCOMPARE(SampleSource::countSamples(s, &error), 5);
    }

    void openErrors_data()
    {
        QTest::addColumn<QString>("dataset");
        QTest::addColumn<QString>("format");
        QTest::addColumn<QString>("message");
        QTest::addRow("unknown format") << data(u"table.csv"_s) << u"xml"_s << u"unknown dataset format"_s;
        QTest::addRow("unknown extension") << data(u"mapped.txt"_s) << QString() << u"cannot tell the format"_s;
        QTest::addRow("missing file") << data(u"nope.jsonl"_s) << QString() << u"cannot open dataset"_s;
        QTest::addRow("unknown builtin") << u"builtin:nope"_s << QString() << u"unknown builtin"_s;
    }

    void openErrors()
    {
        QFETCH(QString, dataset);
        QFETCH(QString, format);
        QFETCH(QString, message);
        BenchmarkSpec s = spec(dataset);
        s.format = format;
        QString error;
        QVERIFY(!SampleSource::open(s, &error));
        QVERIFY2(error.contains(message), qPrintable(error));
    }

    void largeFileStreams()
    {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const QString path = dir.filePath(u"big.jsonl"_s);
        QFile f(path);
        QVERIFY(f.open(QIODevice::WriteOnly));
        constexpr int kLines = 200000;
        for (int i = 0; i < kLines; ++i) {
            f.write("{\"id\": \"" + QByteArray::number(i) + "\", \"question\": \"What is " + QByteArray::number(i)
                + " + 1?\", \"answer\": \"" + QByteArray::number(i + 1) + "\"}\n");
        }
        f.close();
        QString error;
        auto source = SampleSource::open(spec(path), &error);
        QVERIFY(source);
        qint64 n = 0;
        Sample s;
        while (source->next(&s)) {
            if (s.index != n)
                QFAIL("index out of step");
            ++n;
        }
        QCOMPARE(n, kLines);
        QCOMPARE(s.target, QString::number(kLines));
    }
};

int runSampleSourceTests(int argc, char** argv)
{
    TestSampleSource t;
    return QTest::qExec(&t, argc, argv);
}

} // namespace evs

#include "tst_samplesource.moc"
