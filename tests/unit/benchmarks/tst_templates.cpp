// Prompt templates: filters, chat message templates, few-shot drawing (seeded, deterministic, never the sample
// being asked).
#include "app/benchmarks/promptrenderer.h"
#include "app/benchmarks/samplesource.h"

#include <QJsonArray>
#include <QSet>
#include <QTest>

using namespace Qt::StringLiterals;

namespace evs {

namespace {

Sample sample()
{
    Sample s;
    s.index = 7;
    s.id = u"s7"_s;
    s.input = u"  What is the Capital of France?  "_s;
    s.choices = { u"Paris"_s, u"Lyon"_s };
    s.target = u"A"_s;
    s.category = u"Geo"_s;
    s.record = QJsonObject { { u"tags"_s, QJsonArray { u"one"_s, u"two"_s } }, { u"note"_s, u" Mixed Case "_s },
        { u"n"_s, 3 } };
    return s;
}

QVector<Sample> readAll(const QString& dataset)
{
    BenchmarkSpec spec;
    spec.dataset = dataset;
    auto source = SampleSource::open(spec, nullptr);
    QVector<Sample> out;
    Sample s;
    while (source && source->next(&s))
        out.append(s);
    return out;
}

QStringList shotQuestions(const PromptRequest& p)
{
    QStringList questions;
    for (qsizetype i = 0; i + 1 < p.messages.size(); ++i) {
        if (p.messages[i].role == u"user"_s && p.messages[i + 1].role == u"assistant"_s)
            questions << p.messages[i].content;
    }
    return questions;
}

} // namespace

class TestTemplates : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void filters_data()
    {
        QTest::addColumn<QString>("tmpl");
        QTest::addColumn<QString>("expected");
        QTest::addRow("no filter") << u"[{{input}}]"_s << u"[  What is the Capital of France?  ]"_s;
        QTest::addRow("trim") << u"[{{input|trim}}]"_s << u"[What is the Capital of France?]"_s;
        QTest::addRow("chain") << u"{{input|trim|upper}}"_s << u"WHAT IS THE CAPITAL OF FRANCE?"_s;
        QTest::addRow("spaces around bars") << u"{{ input | trim | lower }}"_s << u"what is the capital of france?"_s;
        QTest::addRow("lower category") << u"{{category|lower}}"_s << u"geo"_s;
        QTest::addRow("choices default lettered") << u"{{choices}}"_s << u"A. Paris\nB. Lyon"_s;
        QTest::addRow("choices numbered") << u"{{choices|numbered}}"_s << u"1. Paris\n2. Lyon"_s;
        QTest::addRow("choices upper") << u"{{choices|upper}}"_s << u"A. PARIS\nB. LYON"_s;
        QTest::addRow("choices json") << u"{{choices|json}}"_s << u"[\"Paris\",\"Lyon\"]"_s;
        QTest::addRow("record array lettered") << u"{{tags|lettered}}"_s << u"A. one\nB. two"_s;
        QTest::addRow("record array as json") << u"{{record.tags}}"_s << u"[\"one\",\"two\"]"_s;
        QTest::addRow("record string trim upper") << u"{{record.note|trim|upper}}"_s << u"MIXED CASE"_s;
        QTest::addRow("json string") << u"{{note|json}}"_s << u"\" Mixed Case \""_s;
        QTest::addRow("number") << u"{{n}} {{id|upper}}"_s << u"3 S7"_s;
        QTest::addRow("lettered on a string is a no-op") << u"{{target|lettered}}"_s << u"A"_s;
    }

    void filters()
    {
        QFETCH(QString, tmpl);
        QFETCH(QString, expected);
        BenchmarkSpec spec;
        spec.promptTemplate = tmpl;
        const PromptRenderer r(spec);
        QString error;
        QVERIFY2(r.isValid(&error), qPrintable(error));
        QVERIFY2(r.checkSample(sample(), &error), qPrintable(error));
        QCOMPARE(r.render(sample()).messages.constLast().content, expected);
    }

    void badFilter_data()
    {
        QTest::addColumn<QString>("tmpl");
        QTest::addColumn<QString>("message");
        QTest::addRow("unknown filter") << u"{{input|shout}}"_s << u"unknown filter \"shout\" at character 1"_s;
        QTest::addRow("empty filter") << u"x {{input|}}"_s << u"unknown filter \"\" at character 3"_s;
        QTest::addRow("bad name") << u"{{in put|trim}}"_s << u"bad placeholder"_s;
    }

    void badFilter()
    {
        QFETCH(QString, tmpl);
        QFETCH(QString, message);
        BenchmarkSpec spec;
        spec.promptTemplate = tmpl;
        QString error;
        QVERIFY(!PromptRenderer(spec).isValid(&error));
        QVERIFY2(error.contains(message), qPrintable(error));
        QVERIFY(PromptRenderer::templateError(tmpl).contains(message));
    }

    void systemPrompt()
    {
        BenchmarkSpec spec;
        spec.system = u"You answer questions about {{category|lower}}."_s;
        spec.promptTemplate = u"{{input|trim}}"_s;
        const PromptRequest p = PromptRenderer(spec).render(sample());
        QCOMPARE(p.messages.size(), 2);
        QCOMPARE(p.messages[0].role, u"system"_s);
        QCOMPARE(p.messages[0].content, u"You answer questions about geo."_s);
        QCOMPARE(p.messages[1].content, u"What is the Capital of France?"_s);
        QCOMPARE(p.prompt, u"You answer questions about geo.\n\nWhat is the Capital of France?"_s);
    }

    void chatMessages()
    {
        BenchmarkSpec spec;
        spec.messages = { { u"system"_s, u"Be brief."_s }, { u"user"_s, u"Topic: {{category}}"_s },
            { u"assistant"_s, u"Ready."_s }, { u"user"_s, u"{{input|trim}}\n{{choices}}"_s } };
        const PromptRenderer r(spec);
        QString error;
        QVERIFY2(r.isValid(&error), qPrintable(error));
        const PromptRequest p = r.render(sample());
        QCOMPARE(p.messages.size(), 4);
        QCOMPARE(p.messages[1].content, u"Topic: Geo"_s);
        QCOMPARE(p.messages[2].role, u"assistant"_s);
        QCOMPARE(p.messages[3].content, u"What is the Capital of France?\nA. Paris\nB. Lyon"_s);
        QCOMPARE(p.expected, u"A"_s);
    }

    void chatMessageErrors_data()
    {
        QTest::addColumn<QString>("role");
        QTest::addColumn<QString>("content");
        QTest::addColumn<QString>("message");
        QTest::addRow("no user message") << u"system"_s << u"x"_s << u"role \"user\""_s;
        QTest::addRow("bad role") << u"robot"_s << u"x"_s << u"messages[0].role"_s;
        QTest::addRow("bad template") << u"user"_s << u"{{input"_s << u"messages[0].content: unclosed"_s;
    }

    void chatMessageErrors()
    {
        QFETCH(QString, role);
        QFETCH(QString, content);
        QFETCH(QString, message);
        BenchmarkSpec spec;
        spec.messages = { { role, content } };
        QString error;
        QVERIFY(!PromptRenderer(spec).isValid(&error));
        QVERIFY2(error.contains(message), qPrintable(error));
    }

    void unknownPlaceholderInMessages()
    {
        BenchmarkSpec spec;
        spec.messages = { { u"user"_s, u"{{input}} {{nope}}"_s } };
        QString error;
        QVERIFY(!PromptRenderer(spec).checkSample(sample(), &error));
        QVERIFY2(error.startsWith(u"messages[0].content: unknown placeholder {{nope}}"_s), qPrintable(error));
    }

    // For every sample of a dataset: k examples, never the sample itself, the same for the same seed.
    void fewShotNeverTheSample_data()
    {
        QTest::addColumn<QString>("dataset");
        QTest::addColumn<int>("k");
        QTest::addColumn<quint64>("seed");
        QTest::addRow("short-answer k=3") << u"builtin:short-answer"_s << 3 << quint64(1);
        QTest::addRow("short-answer k=29 (all but one)") << u"builtin:short-answer"_s << 29 << quint64(2);
        QTest::addRow("multiple-choice k=5") << u"builtin:multiple-choice"_s << 5 << quint64(7);
        QTest::addRow("arithmetic k=4") << u"builtin:arithmetic"_s << 4 << quint64(99);
    }

    void fewShotNeverTheSample()
    {
        QFETCH(QString, dataset);
        QFETCH(int, k);
        QFETCH(quint64, seed);
        BenchmarkSpec spec;
        spec.dataset = dataset;
        spec.fewshot.k = k;
        spec.fewshot.seed = seed;
        const PromptRenderer r(spec);
        const PromptRenderer again(spec);
        QString error;
        QVERIFY2(r.isValid(&error), qPrintable(error));
        const QVector<Sample> samples = readAll(dataset);
        QVERIFY(samples.size() > k);
        for (const Sample& s : samples) {
            const PromptRequest p = r.render(s);
            const QStringList shots = shotQuestions(p);
            QCOMPARE(shots.size(), k);
            const QString asked = p.messages.constLast().content;
            QVERIFY2(!shots.contains(asked), qPrintable(s.id));
            QCOMPARE(QSet<QString>(shots.begin(), shots.end()).size(), k); // no example twice
            QCOMPARE(again.render(s).prompt, p.prompt); // deterministic for a seed
        }
    }

    void fewShotSeedChangesTheDraw()
    {
        BenchmarkSpec spec;
        spec.dataset = u"builtin:multiple-choice"_s;
        spec.fewshot.k = 3;
        const QVector<Sample> samples = readAll(spec.dataset);
        QSet<QString> draws;
        for (quint64 seed = 0; seed < 8; ++seed) {
            spec.fewshot.seed = seed;
            draws.insert(shotQuestions(PromptRenderer(spec).render(samples.constLast())).join(u'|'));
        }
        QVERIFY2(draws.size() >= 6, "different seeds should mostly draw different examples");
        // Not simply the first records of the file.
        spec.fewshot.seed = 3;
        const QStringList shots = shotQuestions(PromptRenderer(spec).render(samples.constLast()));
        QVERIFY(!shots.contains(PromptRenderer(spec).render(samples[0]).messages.constLast().content)
            || !shots.contains(PromptRenderer(spec).render(samples[1]).messages.constLast().content));
    }

    void fewShotFromDesignatedFile()
    {
        BenchmarkSpec spec;
        spec.dataset = u"builtin:short-answer"_s;
        spec.fewshot.k = 1;
        spec.fewshot.from = QStringLiteral(EVS_TEST_DATA "/plan/data/shots.jsonl");
        spec.fewshot.seed = 5;
        const PromptRenderer r(spec);
        QString error;
        QVERIFY2(r.isValid(&error), qPrintable(error));
        const QVector<Sample> shotFile = readAll(spec.fewshot.from);
        QStringList fileQuestions;
        for (const Sample& s : shotFile)
            fileQuestions << s.input;
        const QVector<Sample> samples = readAll(spec.dataset);
        const PromptRequest p = r.render(samples[0]);
        const QStringList shots = shotQuestions(p);
        QCOMPARE(shots.size(), 1);
        QVERIFY2(fileQuestions.contains(shots[0]), qPrintable(shots[0]));

        // A shot file that holds the very question asked: that example is left out.
        Sample same = samples[0];
        same.input = shotFile[0].input;
        same.index = 1000;
        spec.fewshot.k = int(shotFile.size());
        const PromptRenderer all(spec);
        const QStringList allShots = shotQuestions(all.render(same));
        QVERIFY(!allShots.contains(same.input));
    }

    void fewShotWorkedAnswers()
    {
        BenchmarkSpec spec;
        spec.dataset = u"builtin:arithmetic"_s;
        spec.fewshot.k = 2;
        const QVector<Sample> samples = readAll(spec.dataset);
        const PromptRequest p = PromptRenderer(spec).render(samples[0]);
        QCOMPARE(p.messages[1].role, u"assistant"_s);
        QVERIFY2(p.messages[1].content.contains(u"\n#### "_s), qPrintable(p.messages[1].content));
        QVERIFY(!p.expected.contains(u"####"_s));
    }

    void fewShotWithMessages()
    {
        BenchmarkSpec spec;
        spec.dataset = u"builtin:short-answer"_s;
        spec.fewshot.k = 2;
        spec.messages = { { u"system"_s, u"Short answers."_s }, { u"user"_s, u"Q: {{input}}"_s } };
        const QVector<Sample> samples = readAll(spec.dataset);
        const PromptRequest p = PromptRenderer(spec).render(samples[3]);
        QCOMPARE(p.messages.size(), 6);
        QCOMPARE(p.messages[0].role, u"system"_s); // examples come after the system messages
        QVERIFY(p.messages[1].content.startsWith(u"Q: "_s));
        QCOMPARE(p.messages[2].role, u"assistant"_s);
        QCOMPARE(p.messages[5].content, u"Q: "_s + samples[3].input);
    }
};

int runTemplateTests(int argc, char** argv)
{
    TestTemplates t;
    return QTest::qExec(&t, argc, argv);
}

} // namespace evs

#include "tst_templates.moc"
