// The dataset readers (JSON Lines, JSON arrays, CSV/TSV, MMLU CSV, GSM8K answers), their field mapping, and a
// fuzz-style pass feeding random and truncated bytes to every reader.
#include "app/benchmarks/recordmapper.h"
#include "app/benchmarks/samplesource.h"

#include <QFile>
#include <QJsonArray>
#include <QRandomGenerator>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;

namespace evs {

namespace {

QString data(const QString& name)
{
    return QStringLiteral(EVS_TEST_DATA "/benchmarks/") + name;
}

struct ReadResult {
    QVector<Sample> samples;
    qint64 bad = 0;
    QStringList reports;
    QString error; // open() or fatal reading error
};

ReadResult readSpec(const BenchmarkSpec& spec)
{
    ReadResult r;
    auto source = SampleSource::open(spec, &r.error);
    if (!source)
        return r;
    Sample s;
    // Bounded: a reader that never ends would fail the test rather than hang it.
    for (int i = 0; i < 100000 && source->next(&s); ++i)
        r.samples.append(s);
    r.bad = source->badRecords();
    r.reports = source->badRecordReports();
    r.error = source->error();
    return r;
}

ReadResult readFile(const QString& path, const QString& format = {}, const QJsonObject& fields = {})
{
    BenchmarkSpec spec;
    spec.dataset = path;
    spec.format = format;
    spec.fields = fields;
    return readSpec(spec);
}

QString writeTemp(const QTemporaryDir& dir, const QString& name, const QByteArray& bytes)
{
    const QString path = dir.filePath(name);
    QFile f(path);
    if (f.open(QIODevice::WriteOnly | QIODevice::Truncate))
        f.write(bytes);
    return path;
}

QString suffixFor(const QString& format)
{
    if (format == u"mmlu_csv"_s)
        return u"csv"_s;
    return format;
}

} // namespace

class TestDatasetReaders : public QObject {
    Q_OBJECT
    QTemporaryDir m_dir;

private Q_SLOTS:
    void csvQuotedBomCrlf()
    {
        const ReadResult r = readFile(data(u"quoted.csv"_s));
        QVERIFY2(r.error.isEmpty(), qPrintable(r.error));
        QCOMPARE(r.bad, 0);
        QCOMPARE(r.samples.size(), 3);
        QCOMPARE(r.samples[0].id, u"q1"_s); // the BOM is not part of the first column's name
        QCOMPARE(r.samples[0].input, u"What is 2+2, exactly?"_s);
        QCOMPARE(r.samples[0].target, u"4"_s);
        QCOMPARE(r.samples[0].category, u"maths"_s);
        QCOMPARE(r.samples[1].input, u"Say \"hi\"\r\ntwice"_s); // doubled quotes and an embedded line end
        QCOMPARE(r.samples[1].target, u"hi hi"_s);
        QCOMPARE(r.samples[2].input, u"Plain"_s);
        QCOMPARE(r.samples[2].index, 2);
    }

    void tsv()
    {
        const ReadResult r = readFile(data(u"table.tsv"_s));
        QVERIFY2(r.error.isEmpty(), qPrintable(r.error));
        QCOMPARE(r.samples.size(), 2);
        QCOMPARE(r.samples[0].input, u"Capital of Italy?"_s);
        QCOMPARE(r.samples[0].target, u"Rome"_s);
        QCOMPARE(r.samples[1].input, u"Tab\tinside"_s);
    }

    void mmluWithoutHeader()
    {
        BenchmarkSpec spec;
        spec.dataset = data(u"high_school_physics_test.csv"_s);
        QString how;
        QString error;
        QCOMPARE(SampleSource::resolveFormat(spec, &how, &error), u"mmlu_csv"_s);
        QVERIFY2(how.contains(u"MMLU"_s), qPrintable(how));
        const ReadResult r = readSpec(spec);
        QCOMPARE(r.samples.size(), 2);
        QCOMPARE(r.samples[0].input, u"What is the SI unit of force?"_s);
        QCOMPARE(r.samples[0].choices, QStringList({ u"Joule"_s, u"Newton"_s, u"Watt"_s, u"Pascal"_s }));
        QCOMPARE(r.samples[0].target, u"B"_s);
        QCOMPARE(r.samples[0].category, u"high_school_physics"_s); // from MMLU's file name
        QCOMPARE(r.samples[1].target, u"C"_s);
        QCOMPARE(r.bad, 2);
        QVERIFY2(r.reports[0].endsWith(u":3: expected 6 columns (question, 4 choices, answer letter), found 3"_s),
            qPrintable(r.reports[0]));
        QVERIFY2(r.reports[1].contains(u":4: answer must be a letter A-D"_s), qPrintable(r.reports[1]));

        // The same file read as "csv" with a header would lose its first question: explicit mmlu_csv agrees.
        const ReadResult explicitly = readFile(spec.dataset, u"mmlu_csv"_s);
        QCOMPARE(explicitly.samples.size(), 2);
    }

    void gsm8kAnswers()
    {
        const ReadResult r = readFile(data(u"gsm8k.jsonl"_s));
        QCOMPARE(r.samples.size(), 4);
        QCOMPARE(r.samples[0].target, u"7"_s);
        QVERIFY(r.samples[0].record.value(u"answer"_s).toString().contains(u"<<3+4=7>>"_s)); // worked answer kept
        QCOMPARE(r.samples[1].target, u"2400"_s);
        QCOMPARE(r.samples[2].target, u"-5"_s);
        QCOMPARE(r.samples[3].target, u"just text"_s); // no marker: the answer as it is
    }

    void finalAnswer_data()
    {
        QTest::addColumn<QString>("worked");
        QTest::addColumn<QString>("number");
        QTest::addRow("plain") << u"2 + 2 = 4\n#### 4"_s << u"4"_s;
        QTest::addRow("spaces after") << u"x\n####   12  \n"_s << u"12"_s;
        QTest::addRow("commas") << u"#### 1,234,567"_s << u"1234567"_s;
        QTest::addRow("decimal") << u"#### 3.75"_s << u"3.75"_s;
        QTest::addRow("negative") << u"#### -8"_s << u"-8"_s;
        QTest::addRow("plus") << u"#### +8"_s << u"8"_s;
        QTest::addRow("not last") << u"#### 4 apples"_s << QString();
        QTest::addRow("no marker") << u"the answer is 4"_s << QString();
        QTest::addRow("word") << u"#### four"_s << QString();
    }

    void finalAnswer()
    {
        QFETCH(QString, worked);
        QFETCH(QString, number);
        QCOMPARE(RecordMapper::finalAnswer(worked), number);
    }

    void jsonArray()
    {
        const ReadResult r = readFile(data(u"array.json"_s));
        QVERIFY2(r.error.isEmpty(), qPrintable(r.error));
        QCOMPARE(r.samples.size(), 3);
        QCOMPARE(r.samples[0].id, u"a1"_s);
        QCOMPARE(r.samples[1].input, u"Second, with ] and } and \" inside?"_s);
        QCOMPARE(r.samples[1].record.value(u"meta"_s).toObject().value(u"x"_s).toArray().size(), 2);
        QCOMPARE(r.samples[2].id, u"a5"_s);
        QCOMPARE(r.samples[2].index, 2);
        QCOMPARE(r.bad, 2);
        QVERIFY2(r.reports[0].endsWith(u"array.json:4: not a JSON object"_s), qPrintable(r.reports[0]));
        QVERIFY2(r.reports[1].contains(u"array.json:5: missing input"_s), qPrintable(r.reports[1]));
    }

    void malformed_data()
    {
        QTest::addColumn<QString>("format");
        QTest::addColumn<QByteArray>("bytes");
        QTest::addColumn<int>("good");
        QTest::addColumn<QStringList>("reports"); // "LINE: reason prefix"
        QTest::addColumn<QString>("fatal");

        const QByteArray okJson = "{\"question\": \"q\", \"answer\": \"a\"}";
        QTest::addRow("jsonl truncated last line")
            << u"jsonl"_s << okJson + "\n{\"question\": \"tr" << 1 << QStringList { u"2: invalid JSON"_s } << QString();
        QTest::addRow("jsonl bad utf-8") << u"jsonl"_s << "{\"question\": \"\xff\xfe\"}\n" + okJson + "\n"
                                         << 1 << QStringList { u"1: invalid UTF-8"_s } << QString();
        QTest::addRow("jsonl empty") << u"jsonl"_s << QByteArray() << 0 << QStringList() << QString();
        QTest::addRow("jsonl crlf bom") << u"jsonl"_s << "\xEF\xBB\xBF" + okJson + "\r\n\r\n" + okJson + "\r\n"
                                        << 2 << QStringList() << QString();

        QTest::addRow("json empty file") << u"json"_s << QByteArray() << 0 << QStringList() << QString();
        QTest::addRow("json empty array") << u"json"_s << QByteArray(" [ ] ") << 0 << QStringList() << QString();
        QTest::addRow("json truncated") << u"json"_s << "[" + okJson + ",\n {\"question\": \"c\"" << 1
                                        << QStringList { u"2: the file ends inside"_s } << QString();
        QTest::addRow("json truncated in string") << u"json"_s << "[" + okJson + ", {\"question\": \"c" << 1
                                                  << QStringList { u"1: the file ends inside a string"_s } << QString();
        QTest::addRow("json bad utf-8") << u"json"_s << "[{\"question\": \"\xc3\x28\"},\n" + okJson + "]" << 1
                                        << QStringList { u"1: invalid UTF-8"_s } << QString();
        QTest::addRow("json trailing data") << u"json"_s << "[" + okJson + "]\nextra" << 1
                                            << QStringList { u"2: data after the closing"_s } << QString();
        QTest::addRow("json trailing comma")
            << u"json"_s << "[" + okJson + ",]" << 1 << QStringList { u"1: a trailing comma"_s } << QString();
        QTest::addRow("json missing comma")
            << u"json"_s << "[" + okJson + " " + okJson + "]" << 0 << QStringList { u"1: invalid JSON"_s } << QString();
        QTest::addRow("json bom crlf") << u"json"_s << "\xEF\xBB\xBF[\r\n" + okJson + ",\r\n" + okJson + "\r\n]\r\n"
                                       << 2 << QStringList() << QString();
        QTest::addRow("json not an array") << u"json"_s << okJson << 0 << QStringList() << u"must be one array"_s;

        QTest::addRow("csv wrong column count")
            << u"csv"_s << QByteArray("question,answer\nq1,a1\nq2\nq3,a3,x\n") << 1
            << QStringList { u"3: expected 2 columns"_s, u"4: expected 2 columns"_s } << QString();
        QTest::addRow("csv truncated line") << u"csv"_s << QByteArray("question,answer\nq1,a1\nq2") << 1
                                            << QStringList { u"3: expected 2 columns"_s } << QString();
        QTest::addRow("csv bad utf-8") << u"csv"_s << QByteArray("question,answer\n\xff\xfe,x\nok,y\n") << 1
                                       << QStringList { u"2: invalid UTF-8 in column 1"_s } << QString();
        QTest::addRow("csv unterminated quote")
            << u"csv"_s << QByteArray("question,answer\nok,y\n\"never closed,z\nmore,w\n") << 1
            << QStringList { u"3: unterminated quoted field (the quote opens on line 3)"_s } << QString();
        QTest::addRow("csv embedded newlines keep line numbers")
            << u"csv"_s << QByteArray("question,answer\n\"a\nb\nc\",x\nbad\nq,y\n") << 2
            << QStringList { u"5: expected 2 columns"_s } << QString();
        QTest::addRow("csv empty") << u"csv"_s << QByteArray() << 0 << QStringList() << QString();
        QTest::addRow("csv header only") << u"csv"_s << QByteArray("question,answer\r\n") << 0 << QStringList()
                                         << QString();
        QTest::addRow("csv blank lines") << u"csv"_s << QByteArray("question,answer\n\nq,a\n\n") << 1 << QStringList()
                                         << QString();
        QTest::addRow("csv bom crlf") << u"csv"_s << QByteArray("\xEF\xBB\xBFquestion,answer\r\nq,\"a\r\nb\"\r\n") << 1
                                      << QStringList() << QString();
        QTest::addRow("csv unterminated header")
            << u"csv"_s << QByteArray("\"question,answer\nq,a\n") << 0 << QStringList() << u"header: unterminated"_s;
        QTest::addRow("tsv wrong column count") << u"tsv"_s << QByteArray("question\tanswer\nq\ta\tx\nq2\ta2\n") << 1
                                                << QStringList { u"2: expected 2 columns"_s } << QString();
        QTest::addRow("mmlu bad answer") << u"mmlu_csv"_s << QByteArray("q,a,b,c,d,B\nq2,a,b,c,d,Z\nq3,a,b\n") << 1
                                         << QStringList { u"2: answer must be a letter"_s, u"3: expected 6 columns"_s }
                                         << QString();
        QTest::addRow("mmlu lower-case answer")
            << u"mmlu_csv"_s << QByteArray("q,a,b,c,d,c\n") << 1 << QStringList() << QString();
    }

    void malformed()
    {
        QFETCH(QString, format);
        QFETCH(QByteArray, bytes);
        QFETCH(int, good);
        QFETCH(QStringList, reports);
        QFETCH(QString, fatal);
        const QString path = writeTemp(m_dir, u"malformed."_s + suffixFor(format), bytes);
        const ReadResult r = readFile(path, format);
        if (fatal.isEmpty())
            QVERIFY2(r.error.isEmpty(), qPrintable(r.error));
        else
            QVERIFY2(r.error.contains(fatal), qPrintable(r.error));
        QCOMPARE(r.samples.size(), good);
        QCOMPARE(r.bad, reports.size());
        for (qsizetype i = 0; i < reports.size(); ++i)
            QVERIFY2(r.reports[i].startsWith(path + u':' + reports[i]), qPrintable(r.reports[i]));
        for (qsizetype i = 0; i < r.samples.size(); ++i)
            QCOMPARE(r.samples[i].index, i);
    }

    void formatFromExtension_data()
    {
        QTest::addColumn<QString>("name");
        QTest::addColumn<QByteArray>("bytes");
        QTest::addColumn<QString>("format");
        QTest::addRow("jsonl") << u"a.jsonl"_s << QByteArray("{}") << u"jsonl"_s;
        QTest::addRow("ndjson") << u"a.NDJSON"_s << QByteArray("{}") << u"jsonl"_s;
        QTest::addRow("json") << u"a.json"_s << QByteArray("[]") << u"json"_s;
        QTest::addRow("csv with header") << u"a.csv"_s << QByteArray("question,a,b,c,d,answer\n") << u"csv"_s;
        QTest::addRow("csv headerless mmlu") << u"a.csv"_s << QByteArray("q,1,2,3,4,d\n") << u"mmlu_csv"_s;
        QTest::addRow("csv five columns") << u"a.csv"_s << QByteArray("q,1,2,3,D\n") << u"csv"_s;
        QTest::addRow("tsv") << u"a.tsv"_s << QByteArray("q\n") << u"tsv"_s;
        QTest::addRow("tab") << u"a.tab"_s << QByteArray("q\n") << u"tsv"_s;
        QTest::addRow("unknown") << u"a.txt"_s << QByteArray("q\n") << QString();
    }

    void formatFromExtension()
    {
        QFETCH(QString, name);
        QFETCH(QByteArray, bytes);
        QFETCH(QString, format);
        BenchmarkSpec spec;
        spec.dataset = writeTemp(m_dir, name, bytes);
        QString how;
        QString error;
        QCOMPARE(SampleSource::resolveFormat(spec, &how, &error), format);
        QVERIFY2(format.isEmpty() != error.isEmpty(), qPrintable(error));
    }

    void choicesFromColumns()
    {
        const QString path = writeTemp(
            m_dir, u"cols.csv"_s, "id,question,A,B,C,D,answer,source\nx1,Pick one,red,green,blue,pink,c,book\n");
        ReadResult r = readFile(path);
        QCOMPARE(r.samples.size(), 1);
        QCOMPARE(r.samples[0].choices, QStringList({ u"red"_s, u"green"_s, u"blue"_s, u"pink"_s }));
        QCOMPARE(r.samples[0].target, u"C"_s); // a lower-case letter is the letter
        const RecordMapper mapper({});
        const QJsonObject mapping = mapper.describe(r.samples[0].record);
        QCOMPARE(mapping.value(u"input"_s).toString(), u"question"_s);
        QCOMPARE(mapping.value(u"target"_s).toString(), u"answer"_s);
        QCOMPARE(mapping.value(u"id"_s).toString(), u"id"_s);
        QCOMPARE(mapping.value(u"choices"_s).toArray(), QJsonArray({ u"A"_s, u"B"_s, u"C"_s, u"D"_s }));
        QCOMPARE(mapping.value(u"metadata"_s).toArray(), QJsonArray({ u"source"_s }));
        QCOMPARE(mapper.metadata(r.samples[0].record), QJsonObject({ { u"source"_s, u"book"_s } }));

        // Given as a list of columns, with metadata named.
        const QJsonObject fields { { u"input"_s, u"question"_s }, { u"choices"_s, QJsonArray { u"B"_s, u"D"_s } },
            { u"metadata"_s, QJsonArray { u"id"_s } } };
        r = readFile(path, {}, fields);
        QCOMPARE(r.samples[0].choices, QStringList({ u"green"_s, u"pink"_s }));
        QCOMPARE(RecordMapper(fields).metadata(r.samples[0].record), QJsonObject({ { u"id"_s, u"x1"_s } }));
        r = readFile(path, {}, { { u"choices"_s, QJsonArray { u"A"_s, u"Z"_s } } });
        QCOMPARE(r.samples.size(), 0);
        QVERIFY2(r.reports.value(0).contains(u"missing choice \"Z\""_s), qPrintable(r.reports.value(0)));
    }

    void describeBuiltin()
    {
        BenchmarkSpec spec;
        spec.dataset = u"builtin:multiple-choice"_s;
        auto source = SampleSource::open(spec, nullptr);
        QVERIFY(source);
        Sample s;
        QVERIFY(source->next(&s));
        const QJsonObject mapping = RecordMapper({}).describe(s.record);
        QCOMPARE(mapping.value(u"input"_s).toString(), u"question"_s);
        QCOMPARE(mapping.value(u"choices"_s).toString(), u"choices"_s);
        QCOMPARE(mapping.value(u"target"_s).toString(), u"answer"_s);
        QCOMPARE(mapping.value(u"category"_s).toString(), u"category"_s);
    }

    void limitAcrossFormats_data()
    {
        QTest::addColumn<QString>("format");
        for (const QString& f : SampleSource::formatNames())
            QTest::addRow("%s", qPrintable(f)) << f;
    }

    void limitAcrossFormats()
    {
        QFETCH(QString, format);
        QByteArray bytes;
        for (int i = 0; i < 10; ++i) {
            const QByteArray n = QByteArray::number(i);
            if (format == u"jsonl"_s)
                bytes += "{\"question\": \"q" + n + "\", \"answer\": \"" + n + "\"}\n";
            else if (format == u"json"_s)
                bytes += (i ? "," : "[") + QByteArray("{\"question\": \"q") + n + "\", \"answer\": \"" + n + "\"}";
            else if (format == u"csv"_s)
                bytes += (i ? "" : "question,answer\n") + QByteArray("q") + n + "," + n + "\n";
            else if (format == u"tsv"_s)
                bytes += (i ? "" : "question\tanswer\n") + QByteArray("q") + n + "\t" + n + "\n";
            else
                bytes += "q" + n + ",a,b,c,d,A\n";
        }
        if (format == u"json"_s)
            bytes += "]";
        BenchmarkSpec spec;
        spec.dataset = writeTemp(m_dir, u"limit."_s + suffixFor(format), bytes);
        spec.format = format;
        QCOMPARE(readSpec(spec).samples.size(), 10);
        spec.limit = 4;
        const ReadResult r = readSpec(spec);
        QCOMPARE(r.samples.size(), 4);
        QCOMPARE(r.samples[3].input, u"q3"_s);
    }

    // Random, truncated and mutated bytes: every reader ends, counts what it skipped, and never crashes.
    void fuzz_data()
    {
        QTest::addColumn<QString>("format");
        for (const QString& f : SampleSource::formatNames())
            QTest::addRow("%s", qPrintable(f)) << f;
    }

    void fuzz()
    {
        QFETCH(QString, format);
        const QByteArray valid[] = {
            "{\"id\": \"1\", \"question\": \"a \\\"q\\\"\", \"choices\": [\"x\", \"y\"], \"answer\": 1}"
            "\n{\"question\": \"b\", \"answer\": \"#### 4\"}\n",
            "[{\"question\": \"a\", \"x\": [1, {\"y\": \"]\"}]}, {\"question\": \"b\\\\\"}]",
            "\xEF\xBB\xBFquestion,answer\r\n\"multi\r\nline, \"\"quoted\"\"\",a\r\nq2,b\r\n",
            "question\tanswer\n\"t\tq\"\ta\n",
            "q,a,b,c,d,A\n\"q2\",\"a\",\"b\",\"c\",\"d\",\"B\"\n",
        };
        const QByteArray alphabet = "{}[],:\"\\\n\r\t abc01#\xEF\xBB\xBF\xff\xc3";
        QRandomGenerator rng(20240601u ^ qHash(format));
        int cases = 0;
        auto feed = [&](const QByteArray& bytes) {
            // A new file each time: truncating one that holds data makes ext4 flush it to disk (auto_da_alloc).
            const QString path = m_dir.filePath(u"fuzz%1.%2"_s.arg(cases).arg(suffixFor(format)));
            QFile f(path);
            QVERIFY(f.open(QIODevice::WriteOnly));
            f.write(bytes);
            f.close();
            const ReadResult r = readFile(path, format);
            QFile::remove(path);
            // Every good sample and every bad record came from at least one byte of input.
            QVERIFY(r.samples.size() + r.bad <= bytes.size() + 1);
            ++cases;
        };
        for (const QByteArray& v : valid) {
            for (qsizetype cut = 0; cut <= v.size(); ++cut) // every truncation
                feed(v.left(cut));
            for (int i = 0; i < 60; ++i) { // mutations
                QByteArray m = v;
                for (int k = 0; k < 3; ++k)
                    m[rng.bounded(int(m.size()))] = alphabet.at(rng.bounded(int(alphabet.size())));
                feed(m);
            }
        }
        for (int i = 0; i < 200; ++i) { // noise from the structural alphabet, and raw random bytes
            QByteArray noise;
            const int n = rng.bounded(200);
            for (int k = 0; k < n; ++k)
                noise += (i % 2) ? char(rng.bounded(256)) : alphabet.at(rng.bounded(int(alphabet.size())));
            feed(noise);
        }
        QVERIFY(cases > 500);
    }
};

int runDatasetReaderTests(int argc, char** argv)
{
    TestDatasetReaders t;
    return QTest::qExec(&t, argc, argv);
}

} // namespace evs

#include "tst_datasetreaders.moc"
