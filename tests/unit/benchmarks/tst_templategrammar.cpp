// The template grammar is one: on a table of valid and invalid templates, the plan parser (models/) accepts exactly
// what PromptRenderer (app/) accepts, with the same message, in every place a template can stand; and the renderer
// implements every placeholder and filter the grammar names.
#include "app/benchmarks/promptrenderer.h"
#include "models/plan/planparser.h"
#include "models/plan/templategrammar.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QtTest>

using namespace evs;
using namespace Qt::StringLiterals;

namespace {

// A plan whose only benchmark puts `text` where `where` says: "template", "system" or "messages".
QByteArray planWith(const QString& where, const QString& text)
{
    QJsonObject benchmark { { u"id"_s, u"b"_s }, { u"dataset"_s, u"builtin:arithmetic"_s } };
    if (where == u"messages"_s)
        benchmark.insert(
            u"messages"_s, QJsonArray { QJsonObject { { u"role"_s, u"user"_s }, { u"content"_s, text } } });
    else
        benchmark.insert(where, text);
    const QJsonObject plan {
        { u"models"_s, QJsonArray { QJsonObject { { u"id"_s, u"m"_s }, { u"provider"_s, u"simulator"_s } } } },
        { u"benchmarks"_s, QJsonArray { benchmark } }
    };
    return QJsonDocument(plan).toJson();
}

Sample sample()
{
    Sample s;
    s.id = u"s1"_s;
    s.input = u"  What is 2 + 2?  "_s;
    s.target = u"4"_s;
    s.category = u"Math"_s;
    s.choices = { u"three"_s, u"four"_s };
    s.record = QJsonObject { { u"input"_s, s.input }, { u"tags"_s, QJsonArray { u"a"_s, u"b"_s } },
        { u"note"_s, u"Mixed Case"_s } };
    return s;
}

} // namespace

class TestTemplateGrammar : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void parserAndRendererAgree_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<bool>("valid");
        QTest::addRow("empty") << QString() << true;
        QTest::addRow("plain text") << u"What is the answer?"_s << true;
        QTest::addRow("one placeholder") << u"{{input}}"_s << true;
        QTest::addRow("spaces inside") << u"{{ input }}"_s << true;
        QTest::addRow("filters") << u"{{input|trim|upper}}"_s << true;
        QTest::addRow("spaced filters") << u"{{ input | trim | lower }}"_s << true;
        QTest::addRow("every filter") << u"{{choices|lettered}} {{choices|numbered}} {{target|json}}"_s << true;
        QTest::addRow("record key") << u"{{record.a-b_c.d}}"_s << true;
        QTest::addRow("several") << u"Q: {{input}}\nA ({{category|lower}}):"_s << true;
        QTest::addRow("single braces") << u"{x} } {"_s << true;
        QTest::addRow("close without open") << u"a }} b"_s << true;
        QTest::addRow("extra closing brace") << u"{{input}}}"_s << true;
        QTest::addRow("unclosed") << u"Q: {{input"_s << false;
        QTest::addRow("only an opening") << u"{{"_s << false;
        QTest::addRow("second unclosed") << u"{{a}} {{b"_s << false;
        QTest::addRow("empty name") << u"{{}}"_s << false;
        QTest::addRow("blank name") << u"{{  }}"_s << false;
        QTest::addRow("space in name") << u"{{in put}}"_s << false;
        QTest::addRow("newline in name") << u"{{in\nput}}"_s << false;
        QTest::addRow("triple braces") << u"{{{input}}}"_s << false;
        QTest::addRow("unknown filter") << u"{{input|shout}}"_s << false;
        QTest::addRow("filter case") << u"{{input|Trim}}"_s << false;
        QTest::addRow("empty filter") << u"{{input|}}"_s << false;
        QTest::addRow("empty filter between") << u"{{input||trim}}"_s << false;
        QTest::addRow("filter argument") << u"{{input|trim:2}}"_s << false;
        QTest::addRow("filter without name") << u"{{|trim}}"_s << false;
    }
    void parserAndRendererAgree()
    {
        QFETCH(QString, text);
        QFETCH(bool, valid);
        const QString rendererError = PromptRenderer::templateError(text);
        QCOMPARE(rendererError.isEmpty(), valid);

        for (const QString& where : { u"template"_s, u"system"_s, u"messages"_s }) {
            PlanError planError;
            const auto plan = PlanParser::parse(planWith(where, text), {}, &planError);
            QVERIFY2(plan.has_value() == valid, qPrintable(where + u": "_s + planError.toString()));
            if (valid)
                continue;
            const QString field
                = where == u"messages"_s ? u"benchmarks[0].messages[0].content"_s : u"benchmarks[0]."_s + where;
            QCOMPARE(planError.field, field);
            QCOMPARE(planError.message, rendererError);
        }

        BenchmarkSpec spec;
        spec.promptTemplate = text;
        QString error;
        QCOMPARE(PromptRenderer(spec).isValid(&error), valid);
        if (!valid)
            QCOMPARE(error, u"template: "_s + rendererError);
        spec.promptTemplate.clear();
        spec.messages = { { u"user"_s, text } };
        QCOMPARE(PromptRenderer(spec).isValid(&error), valid);
    }

    void everyFilterIsRendered_data()
    {
        QTest::addColumn<QString>("filter");
        QTest::addColumn<QString>("text");
        QTest::addColumn<QString>("rendered");
        QTest::addRow("trim") << u"trim"_s << u"[{{input|trim}}]"_s << u"[What is 2 + 2?]"_s;
        QTest::addRow("upper") << u"upper"_s << u"{{note|upper}}"_s << u"MIXED CASE"_s;
        QTest::addRow("lower") << u"lower"_s << u"{{category|lower}}"_s << u"math"_s;
        QTest::addRow("lettered") << u"lettered"_s << u"{{tags|lettered}}"_s << u"A. a\nB. b"_s;
        QTest::addRow("numbered") << u"numbered"_s << u"{{choices|numbered}}"_s << u"1. three\n2. four"_s;
        QTest::addRow("json") << u"json"_s << u"{{note|json}}"_s << u"\"Mixed Case\""_s;
    }
    void everyFilterIsRendered()
    {
        QFETCH(QString, filter);
        QFETCH(QString, text);
        QFETCH(QString, rendered);
        QVERIFY(TemplateGrammar::findFilter(filter));
        BenchmarkSpec spec;
        spec.promptTemplate = text;
        const PromptRenderer renderer(spec);
        QString error;
        QVERIFY2(renderer.checkSample(sample(), &error), qPrintable(error));
        QCOMPARE(renderer.render(sample()).messages.last().content, rendered);
    }

    void tablesCoverTheGrammar()
    {
        // A filter or placeholder added to the grammar needs a row above and a case in the renderer.
        QStringList tested = { u"trim"_s, u"upper"_s, u"lower"_s, u"lettered"_s, u"numbered"_s, u"json"_s };
        QCOMPARE(TemplateGrammar::filterNames(), tested);
        QCOMPARE(PromptRenderer::filterNames(), tested);
        QCOMPARE(TemplateGrammar::placeholderNames(),
            (QStringList { u"input"_s, u"target"_s, u"id"_s, u"category"_s, u"choices"_s }));
    }

    void everyPlaceholderResolves_data()
    {
        QTest::addColumn<QString>("name");
        QTest::addColumn<QString>("rendered");
        QTest::addRow("input") << u"input"_s << u"  What is 2 + 2?  "_s;
        QTest::addRow("target") << u"target"_s << u"4"_s;
        QTest::addRow("id") << u"id"_s << u"s1"_s;
        QTest::addRow("category") << u"category"_s << u"Math"_s;
        QTest::addRow("choices") << u"choices"_s << u"A. three\nB. four"_s;
        QTest::addRow("record key") << u"note"_s << u"Mixed Case"_s;
        QTest::addRow("record prefix") << u"record.input"_s << u"  What is 2 + 2?  "_s;
    }
    void everyPlaceholderResolves()
    {
        QFETCH(QString, name);
        QFETCH(QString, rendered);
        BenchmarkSpec spec;
        spec.promptTemplate = u"{{"_s + name + u"}}"_s;
        const PromptRenderer renderer(spec);
        QString error;
        QVERIFY2(renderer.checkSample(sample(), &error), qPrintable(error));
        QCOMPARE(renderer.render(sample()).messages.last().content, rendered);
    }

    void unknownNameIsTheRenderersToFind()
    {
        // The grammar accepts any well-formed name; only a record can say it does not exist.
        QVERIFY(TemplateGrammar::error(u"{{nope}}"_s).isEmpty());
        BenchmarkSpec spec;
        spec.promptTemplate = u"{{nope}}"_s;
        const PromptRenderer renderer(spec);
        QString error;
        QVERIFY(renderer.isValid(&error));
        QVERIFY(!renderer.checkSample(sample(), &error));
        QVERIFY2(
            error.contains(u"not input, target, id, category, choices, nor a key of record s1"_s), qPrintable(error));
    }
};

QTEST_GUILESS_MAIN(TestTemplateGrammar)
#include "tst_templategrammar.moc"
