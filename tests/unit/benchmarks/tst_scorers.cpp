#include "app/benchmarks/scorer.h"

#include <QTest>

using namespace Qt::StringLiterals;

namespace evs {

namespace {
Sample capitalQuestion(const QString& target = u"C"_s)
{
    Sample s;
    s.index = 0;
    s.input = u"What is the capital city of Australia?"_s;
    s.choices = { u"Sydney"_s, u"Melbourne"_s, u"Canberra"_s, u"Perth"_s };
    s.target = target;
    return s;
}

ScorerSpec scorerSpec(const QString& type, const QJsonObject& options = {})
{
    ScorerSpec spec;
    spec.type = type;
    spec.options = options;
    spec.options.insert(u"type"_s, type);
    return spec;
}
} // namespace

class TestScorers : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void multipleChoice_data()
    {
        QTest::addColumn<QString>("response");
        QTest::addColumn<double>("score");
        QTest::addColumn<QString>("explanation");
        QTest::addRow("bare letter") << u"C"_s << 1.0 << u"chose C (\"Canberra\")"_s;
        QTest::addRow("parenthesised") << u"(C)"_s << 1.0 << QString();
        QTest::addRow("bold") << u"**C**"_s << 1.0 << QString();
        QTest::addRow("letter and dot") << u"C."_s << 1.0 << QString();
        QTest::addRow("lower case") << u"c"_s << 1.0 << QString();
        QTest::addRow("the answer is") << u"The answer is C."_s << 1.0 << u"stated as the answer"_s;
        QTest::addRow("Answer: b style") << u"Answer: c"_s << 1.0 << QString();
        QTest::addRow("answer is (C)") << u"answer is (C)"_s << 1.0 << QString();
        QTest::addRow("choice text") << u"Canberra"_s << 1.0 << u"text of a choice"_s;
        QTest::addRow("choice text stated") << u"The answer is Canberra."_s << 1.0 << QString();
        QTest::addRow("changes its mind")
            << u"I first thought A, but on reflection the answer is C."_s << 1.0 << QString();
        QTest::addRow("last statement wins")
            << u"The answer is B. Wait, no: the correct answer is C."_s << 1.0 << QString();
        QTest::addRow("markdown answer line") << u"Sydney is the largest city.\n\n**Answer: C**"_s << 1.0 << QString();
        QTest::addRow("final answer") << u"Final answer: (C)"_s << 1.0 << QString();
        QTest::addRow("letter then text") << u"C) Canberra"_s << 1.0 << u"starts with a letter"_s;
        QTest::addRow("I'd go with") << u"I'd go with C."_s << 1.0 << QString();
        QTest::addRow("article is not a letter")
            << u"The answer is a bit tricky: Sydney is bigger, but Answer: C"_s << 1.0 << QString();
        QTest::addRow("eliminates options")
            << u"Option A is wrong, option B is wrong and option D is wrong, so the answer is C."_s << 1.0 << QString();
        QTest::addRow("reasoning block") << u"<think>Maybe the answer is A? No, that is the largest city.</think>\nC"_s
                                         << 1.0 << QString();
        QTest::addRow("boxed") << u"Therefore $\\boxed{C}$"_s << 1.0 << QString();
        QTest::addRow("correct option bold") << u"The correct option is **C**."_s << 1.0 << QString();
        QTest::addRow("letter in a sentence") << u"Looks like C to me."_s << 1.0 << u"standing alone"_s;
        QTest::addRow("only choice mentioned") << u"It's Canberra, chosen as a compromise."_s << 1.0 << QString();
        QTest::addRow("wrong letter") << u"B"_s << 0.0 << u"chose B (\"Melbourne\")"_s;
        QTest::addRow("wrong statement") << u"The answer is B."_s << 0.0 << u"expected C (\"Canberra\"): wrong"_s;
        QTest::addRow("wrong lower in brackets") << u"Answer: (d)"_s << 0.0 << u"chose D"_s;
        QTest::addRow("wrong choice text") << u"Melbourne"_s << 0.0 << u"chose B"_s;
        QTest::addRow("bare A") << u"A"_s << 0.0 << u"chose A"_s;
        QTest::addRow("answer is a.") << u"The answer is a."_s << 0.0 << u"chose A"_s;
        QTest::addRow("no answer") << u"I don't know."_s << 0.0 << u"no answer found"_s;
        QTest::addRow("refusal") << u"None of these seem right to me."_s << 0.0 << u"no answer found"_s;
        QTest::addRow("empty") << QString() << 0.0 << u"no answer found"_s;
    }

    void multipleChoice()
    {
        QFETCH(QString, response);
        QFETCH(double, score);
        QFETCH(QString, explanation);
        QString error;
        const auto scorer = Scorer::create(scorerSpec(u"multiple_choice"_s), &error);
        QVERIFY2(scorer, qPrintable(error));
        const ScoreResult r = scorer->score(capitalQuestion(), response);
        QVERIFY(!r.error);
        QVERIFY2(r.score == score, qPrintable(r.explanation));
        QVERIFY(r.explanation.contains(u"expected C"_s));
        QVERIFY2(r.explanation.contains(explanation), qPrintable(r.explanation));
    }

    void multipleChoiceTargets_data()
    {
        QTest::addColumn<QString>("target");
        QTest::addColumn<double>("score");
        QTest::addColumn<bool>("error");
        QTest::addRow("letter") << u"C"_s << 1.0 << false;
        QTest::addRow("lower-case letter") << u"c"_s << 1.0 << false;
        QTest::addRow("choice text") << u"Canberra"_s << 1.0 << false;
        QTest::addRow("other choice text") << u"Perth"_s << 0.0 << false;
        QTest::addRow("neither") << u"Brisbane"_s << 0.0 << true;
        QTest::addRow("letter out of range") << u"F"_s << 0.0 << true;
    }

    void multipleChoiceTargets()
    {
        QFETCH(QString, target);
        QFETCH(double, score);
        QFETCH(bool, error);
        const auto scorer = Scorer::create(scorerSpec(u"multiple_choice"_s), nullptr);
        const ScoreResult r = scorer->score(capitalQuestion(target), u"The answer is C."_s);
        QCOMPARE(r.error, error);
        if (!error)
            QCOMPARE(r.score, score);
        else
            QVERIFY(std::isnan(r.score));
    }

    void exactMatch_data()
    {
        QTest::addColumn<QJsonObject>("options");
        QTest::addColumn<QString>("target");
        QTest::addColumn<QString>("response");
        QTest::addColumn<double>("score");
        const QJsonObject none;
        const QJsonObject strip { { u"strip_punctuation"_s, true } };
        QTest::addRow("same") << none << u"Paris"_s << u"Paris"_s << 1.0;
        QTest::addRow("case folded") << none << u"Paris"_s << u"PARIS"_s << 1.0;
        QTest::addRow("surrounding space") << none << u"Paris"_s << u"  Paris \n"_s << 1.0;
        QTest::addRow("trailing dot counts") << none << u"Paris"_s << u"Paris."_s << 0.0;
        QTest::addRow("strip punctuation") << strip << u"Paris"_s << u"Paris."_s << 1.0;
        QTest::addRow("strip punctuation, shouted") << strip << u"Paris"_s << u"PARIS!"_s << 1.0;
        QTest::addRow("case sensitive") << QJsonObject { { u"case_sensitive"_s, true } } << u"Paris"_s << u"paris"_s
                                        << 0.0;
        QTest::addRow("not a sentence") << none << u"Paris"_s << u"The answer is Paris"_s << 0.0;
        QTest::addRow("inner whitespace") << none << u"New York"_s << u"new   york"_s << 1.0;
        QTest::addRow("whitespace kept") << QJsonObject { { u"normalize_whitespace"_s, false } } << u"New York"_s
                                         << u"New   York"_s << 0.0;
        QTest::addRow("articles ignored")
            << QJsonObject { { u"ignore_articles"_s, true } } << u"the Nile"_s << u"Nile"_s << 1.0;
        QTest::addRow("articles count") << none << u"the Nile"_s << u"Nile"_s << 0.0;
        QTest::addRow("number") << none << u"42"_s << u"42"_s << 1.0;
        QTest::addRow("number spelled differently") << none << u"42"_s << u"42.0"_s << 0.0;
        QTest::addRow("empty response") << none << u"42"_s << QString() << 0.0;
    }

    void exactMatch()
    {
        QFETCH(QJsonObject, options);
        QFETCH(QString, target);
        QFETCH(QString, response);
        QFETCH(double, score);
        QString error;
        const auto scorer = Scorer::create(scorerSpec(u"exact_match"_s, options), &error);
        QVERIFY2(scorer, qPrintable(error));
        Sample s;
        s.input = u"?"_s;
        s.target = target;
        const ScoreResult r = scorer->score(s, response);
        QVERIFY(!r.error);
        QVERIFY2(r.score == score, qPrintable(r.explanation));
        QVERIFY(r.explanation.contains(u"expected"_s));
    }

    void exactMatchWithoutTarget()
    {
        const auto scorer = Scorer::create(scorerSpec(u"exact_match"_s), nullptr);
        const ScoreResult r = scorer->score(Sample {}, u"x"_s);
        QVERIFY(r.error);
        QVERIFY(std::isnan(r.score));
    }

    void unknownScorer()
    {
        QString error;
        QVERIFY(!Scorer::create(scorerSpec(u"fuzzy"_s), &error));
        QVERIFY(error.contains(u"unknown scorer \"fuzzy\""_s));
    }
};

int runScorerTests(int argc, char** argv)
{
    TestScorers t;
    return QTest::qExec(&t, argc, argv);
}

} // namespace evs

#include "tst_scorers.moc"
