#include "app/benchmarks/promptrenderer.h"

#include <QTest>

using namespace Qt::StringLiterals;

namespace evs {

namespace {
Sample sample(const QStringList& choices = {})
{
    Sample s;
    s.index = 3;
    s.id = u"q3"_s;
    s.input = u"What is the capital of Australia?"_s;
    s.target = choices.isEmpty() ? u"Canberra"_s : u"C"_s;
    s.category = u"geography"_s;
    s.choices = choices;
    s.record = QJsonObject { { u"question"_s, s.input }, { u"hint"_s, u"not Sydney"_s }, { u"year"_s, 1913 } };
    return s;
}
} // namespace

class TestPromptRenderer : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void placeholders_data()
    {
        QTest::addColumn<QString>("tmpl");
        QTest::addColumn<QString>("expected");
        QTest::addRow("input") << u"Q: {{input}}"_s << u"Q: What is the capital of Australia?"_s;
        QTest::addRow("spaces inside braces") << u"{{ id }}/{{category}}"_s << u"q3/geography"_s;
        QTest::addRow("target") << u"{{target}}"_s << u"Canberra"_s;
        QTest::addRow("record field") << u"Hint: {{record.hint}}"_s << u"Hint: not Sydney"_s;
        QTest::addRow("bare record field") << u"{{hint}} ({{year}})"_s << u"not Sydney (1913)"_s;
        QTest::addRow("no placeholders") << u"plain text"_s << u"plain text"_s;
        QTest::addRow("empty choices") << u"[{{choices}}]"_s << u"[]"_s;
    }

    void placeholders()
    {
        QFETCH(QString, tmpl);
        QFETCH(QString, expected);
        BenchmarkSpec spec;
        spec.promptTemplate = tmpl;
        const PromptRenderer r(spec);
        QString error;
        QVERIFY(r.isValid(&error));
        QVERIFY2(r.checkSample(sample(), &error), qPrintable(error));
        const PromptRequest p = r.render(sample());
        QCOMPARE(p.messages.size(), 1);
        QCOMPARE(p.messages[0].role, u"user"_s);
        QCOMPARE(p.messages[0].content, expected);
        QCOMPARE(p.prompt, expected);
        QCOMPARE(p.expected, u"Canberra"_s);
        QVERIFY(p.sampleKey.isEmpty());
    }

    void defaultTemplates()
    {
        const PromptRenderer r { BenchmarkSpec {} };
        QCOMPARE(r.render(sample()).prompt, u"What is the capital of Australia?"_s);
        const Sample mc = sample({ u"Sydney"_s, u"Melbourne"_s, u"Canberra"_s, u"Perth"_s });
        const PromptRequest p = r.render(mc);
        QCOMPARE(p.prompt,
            u"What is the capital of Australia?\n\nA. Sydney\nB. Melbourne\nC. Canberra\nD. Perth\n\n"
            "Answer with the letter of the correct option."_s);
        QCOMPARE(p.choices, mc.choices);
        QCOMPARE(p.expected, u"C"_s);
    }

    void systemMessage()
    {
        BenchmarkSpec spec;
        spec.system = u"You are a geography teacher ({{category}})."_s;
        const PromptRenderer r(spec);
        const PromptRequest p = r.render(sample());
        QCOMPARE(p.messages.size(), 2);
        QCOMPARE(p.messages[0].role, u"system"_s);
        QCOMPARE(p.messages[0].content, u"You are a geography teacher (geography)."_s);
        QCOMPARE(p.messages[1].role, u"user"_s);
        QCOMPARE(p.prompt, u"You are a geography teacher (geography).\n\nWhat is the capital of Australia?"_s);
    }

    void templateErrors_data()
    {
        QTest::addColumn<QString>("tmpl");
        QTest::addColumn<QString>("message");
        QTest::addRow("unclosed") << u"Q: {{input"_s << u"unclosed \"{{\" at character 4"_s;
        QTest::addRow("empty name") << u"{{}}"_s << u"bad placeholder"_s;
        QTest::addRow("bad characters") << u"{{in put}}"_s << u"bad placeholder \"{{in put}}\""_s;
    }

    void templateErrors()
    {
        QFETCH(QString, tmpl);
        QFETCH(QString, message);
        BenchmarkSpec spec;
        spec.promptTemplate = tmpl;
        QString error;
        QVERIFY(!PromptRenderer(spec).isValid(&error));
        QVERIFY2(error.startsWith(u"template: "_s) && error.contains(message), qPrintable(error));
    }

    void unknownPlaceholder()
    {
        BenchmarkSpec spec;
        spec.promptTemplate = u"{{input}} {{record.nope}}"_s;
        const PromptRenderer r(spec);
        QString error;
        QVERIFY(r.isValid(&error));
        QVERIFY(!r.checkSample(sample(), &error));
        QVERIFY2(error.contains(u"unknown placeholder {{record.nope}}"_s), qPrintable(error));
        QVERIFY(r.render(sample()).prompt.endsWith(u"{{record.nope}}"_s)); // left visible
    }

    void fewShotFromOwnDataset()
    {
        BenchmarkSpec spec;
        spec.dataset = u"builtin:short-answer"_s;
        spec.fewshot.k = 2;
        const PromptRenderer r(spec);
        QString error;
        QVERIFY2(r.isValid(&error), qPrintable(error));
        Sample first;
        first.index = 0;
        first.input = u"What is 12 + 30?"_s;
        const PromptRequest p = r.render(first);
        QCOMPARE(p.messages.size(), 5); // two examples (drawn with the seed: tst_templates), then the question
        QCOMPARE(p.messages[1].role, u"assistant"_s);
        QCOMPARE(p.messages[3].role, u"assistant"_s);
        QVERIFY(p.messages[0].content != first.input && p.messages[2].content != first.input);
        QCOMPARE(p.messages[4].content, u"What is 12 + 30?"_s);
    }
};

int runPromptRendererTests(int argc, char** argv)
{
    TestPromptRenderer t;
    return QTest::qExec(&t, argc, argv);
}

} // namespace evs

#include "tst_promptrenderer.moc"
