// Plan validation of scorer types and options: the plan parser names the field as a JSON path and its line, using
// the same option schema as Scorer::create.
#include "models/plan/planparser.h"

#include <QTest>

using namespace Qt::StringLiterals;

namespace evs {

namespace {

// A plan whose one benchmark has the given scorer, on line 4.
QByteArray plan(const QByteArray& scorer)
{
    return "{\n"
           "  \"models\": [ { \"id\": \"sim\", \"provider\": \"simulator\" }, { \"id\": \"judge-model\", "
           "\"provider\": \"simulator\" } ],\n"
           "  \"benchmarks\": [ { \"id\": \"a\", \"dataset\": \"builtin:short-answer\" },\n"
           "    { \"id\": \"b\", \"dataset\": \"builtin:short-answer\", \"scorer\": "
        + scorer + " } ]\n}\n";
}

} // namespace

class TestScorerPlan : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void validScorers_data()
    {
        QTest::addColumn<QByteArray>("scorer");
        QTest::addRow("contains") << QByteArray(
            "{ \"type\": \"contains\", \"values\": [\"a\", \"b\"], \"mode\": \"all\" }");
        QTest::addRow("numeric") << QByteArray(
            "{ \"type\": \"numeric\", \"tolerance\": 0.5, \"relative_tolerance\": 0.01 }");
        QTest::addRow("regex_extract") << QByteArray(
            "{ \"type\": \"regex_extract\", \"pattern\": \"answer: (\\\\w+)\" }");
        QTest::addRow("json") << QByteArray(
            "{ \"type\": \"json\", \"schema\": { \"type\": \"object\", \"required\": [\"a\"], \"properties\": { \"a\": "
            "{ \"type\": \"integer\", \"minimum\": 0 } } } }");
        QTest::addRow("judge") << QByteArray(
            "{ \"type\": \"judge\", \"model\": \"judge-model\", \"rubric\": \"Grade {{response}} against {{target}}\", "
            "\"scale\": { \"min\": 0, \"max\": 10 } }");
        QTest::addRow("composite") << QByteArray(
            "{ \"type\": \"composite\", \"scorers\": [ { \"type\": \"exact_match\", \"weight\": 2 }, { \"type\": "
            "\"judge\", \"model\": \"sim\", \"format\": \"verdict\" } ] }");
    }

    void validScorers()
    {
        QFETCH(QByteArray, scorer);
        PlanError error;
        const auto p = PlanParser::parse(plan(scorer), QString(), &error);
        QVERIFY2(p, qPrintable(error.toString()));
        // The canonical JSON keeps the options: parsing it again gives the same scorer.
        const auto again = PlanParser::parse(PlanParser::toJson(*p), QString(), &error);
        QVERIFY2(again, qPrintable(error.toString()));
        QCOMPARE(again->benchmarks[1].scorer.options, p->benchmarks[1].scorer.options);
        QCOMPARE(again->benchmarks[1].scorer.type, p->benchmarks[1].scorer.type);
    }

    void invalidScorers_data()
    {
        QTest::addColumn<QByteArray>("scorer");
        QTest::addColumn<QString>("field");
        QTest::addColumn<QString>("message");
        QTest::addRow("unknown type") << QByteArray("{ \"type\": \"regexp\" }") << u"benchmarks[1].scorer.type"_s
                                      << u"unknown scorer \"regexp\" (did you mean \"regex\"?)"_s;
        QTest::addRow("missing type") << QByteArray("{ \"tolerance\": 1 }") << u"benchmarks[1].scorer.type"_s
                                      << u"required"_s;
        QTest::addRow("negative tolerance") << QByteArray("{ \"type\": \"numeric\", \"tolerance\": -0.1 }")
                                            << u"benchmarks[1].scorer.tolerance"_s << u"must be a number >= 0"_s;
        QTest::addRow("misspelt option") << QByteArray("{ \"type\": \"numeric\", \"relative_tol\": 0.1 }")
                                         << u"benchmarks[1].scorer.relative_tol"_s << u"unknown key"_s;
        QTest::addRow("option of another scorer") << QByteArray("{ \"type\": \"multiple_choice\", \"pattern\": \"x\" }")
                                                  << u"benchmarks[1].scorer.pattern"_s << u"unknown key"_s;
        QTest::addRow("exact_match bool") << QByteArray("{ \"type\": \"exact_match\", \"ignore_articles\": 1 }")
                                          << u"benchmarks[1].scorer.ignore_articles"_s << u"must be true or false"_s;
        QTest::addRow("bad regex") << QByteArray("{ \"type\": \"regex\", \"pattern\": \"[a-\" }")
                                   << u"benchmarks[1].scorer.pattern"_s << u"invalid regular expression"_s;
        QTest::addRow("contains empty value") << QByteArray("{ \"type\": \"contains\", \"value\": \"\" }")
                                              << u"benchmarks[1].scorer.value"_s << u"must not be empty"_s;
        QTest::addRow("judge model unknown")
            << QByteArray("{ \"type\": \"judge\", \"model\": \"judge-modle\" }") << u"benchmarks[1].scorer.model"_s
            << u"no model with id \"judge-modle\" (did you mean \"judge-model\"?)"_s;
        QTest::addRow("judge model missing")
            << QByteArray("{ \"type\": \"judge\" }") << u"benchmarks[1].scorer.model"_s << u"required"_s;
        QTest::addRow("judge in composite, unknown model")
            << QByteArray("{ \"type\": \"composite\", \"scorers\": [ { \"type\": \"exact_match\" }, { \"type\": "
                          "\"judge\", \"model\": \"gpt\" } ] }")
            << u"benchmarks[1].scorer.scorers[1].model"_s << u"no model with id \"gpt\""_s;
        QTest::addRow("json schema keyword")
            << QByteArray("{ \"type\": \"json\", \"schema\": { \"type\": \"object\", \"oneOf\": [] } }")
            << u"benchmarks[1].scorer.schema.oneOf"_s << u"unsupported schema keyword"_s;
        QTest::addRow("composite weight")
            << QByteArray("{ \"type\": \"composite\", \"scorers\": [ { \"type\": \"exact_match\", \"weight\": -1 } ] }")
            << u"benchmarks[1].scorer.scorers[0].weight"_s << u"must be a number > 0"_s;
        QTest::addRow("composite mode") << QByteArray(
            "{ \"type\": \"composite\", \"mode\": \"mean\", \"scorers\": [] }")
                                        << u"benchmarks[1].scorer.mode"_s << u"must be one of weighted, all, any"_s;
        QTest::addRow("two judges") << QByteArray(
            "{ \"type\": \"composite\", \"scorers\": [ { \"type\": \"judge\", \"model\": \"sim\" }, { \"type\": "
            "\"judge\", \"model\": \"sim\" } ] }")
                                    << u"benchmarks[1].scorer.scorers[1]"_s
                                    << u"a composite may contain at most one judge"_s;
    }

    void invalidScorers()
    {
        QFETCH(QByteArray, scorer);
        QFETCH(QString, field);
        QFETCH(QString, message);
        PlanError error;
        QVERIFY(!PlanParser::parse(plan(scorer), QString(), &error));
        QCOMPARE(error.field, field);
        QVERIFY2(error.message.startsWith(message), qPrintable(error.message));
        QCOMPARE(error.line, 4);
        QVERIFY(error.column > 0);
    }
};

} // namespace evs

QTEST_GUILESS_MAIN(evs::TestScorerPlan)
#include "tst_scorers_plan.moc"
