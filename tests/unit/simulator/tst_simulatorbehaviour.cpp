#include "app/simulator/simulatorbehaviour.h"

#include <QRegularExpression>
#include <QTest>

#include <algorithm>

using namespace Qt::StringLiterals;
using namespace evs;

namespace {

SimulatorSettings settingsWith(double accuracy)
{
    SimulatorSettings settings;
    settings.accuracy = accuracy;
    return settings;
}

SimulatorSample sample(const QString& expected, const QStringList& choices, const QString& key)
{
    return SimulatorSample { expected, choices, key };
}

const QStringList kAbcd = { u"red"_s, u"green"_s, u"blue"_s, u"yellow"_s };

} // namespace

class TestSimulatorBehaviour : public QObject {
    Q_OBJECT
private slots:
    void tokenize_data();
    void tokenize();
    void correctAnswer_data();
    void correctAnswer();
    void wrongAnswer_data();
    void wrongAnswer();
    void correctnessIsDeterministic();
    void accuracy_data();
    void accuracy();
    void padding_data();
    void padding();
    void ttftWithoutSpread();
    void ttftLogNormal();
    void ttftPerOccurrence();
    void faultAlwaysWhenCertain_data();
    void faultAlwaysWhenCertain();
    void faultRateAndRedraw();
    void faultNames();
};

void TestSimulatorBehaviour::tokenize_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QStringList>("tokens");
    QTest::addRow("sentence") << u"The answer is B."_s
                              << QStringList { u"The"_s, u" answer"_s, u" is"_s, u" B"_s, u"."_s };
    QTest::addRow("empty") << QString() << QStringList();
    QTest::addRow("spaces around") << u"  hi  "_s << QStringList { u"  hi  "_s };
    QTest::addRow("punctuation") << u"a,b"_s << QStringList { u"a"_s, u","_s, u"b"_s };
    QTest::addRow("accented") << u"café au lait"_s << QStringList { u"café"_s, u" au"_s, u" lait"_s };
    QTest::addRow("surrogate pair") << u"x \U0001F600"_s << QStringList { u"x"_s, u" \U0001F600"_s };
    QTest::addRow("newline") << u"one\ntwo"_s << QStringList { u"one"_s, u"\ntwo"_s };
}

void TestSimulatorBehaviour::tokenize()
{
    QFETCH(QString, text);
    QFETCH(QStringList, tokens);
    const QStringList actual = SimulatorBehaviour::tokenize(text);
    QCOMPARE(actual, tokens);
    QCOMPARE(actual.join(QString()), text);
    QCOMPARE(SimulatorBehaviour::tokenEnds(text).size(), tokens.size());
}

void TestSimulatorBehaviour::correctAnswer_data()
{
    QTest::addColumn<QString>("expected");
    QTest::addColumn<QStringList>("choices");
    QTest::addColumn<QString>("answer");
    QTest::addRow("letter") << u"B"_s << kAbcd << u"The answer is B."_s;
    QTest::addRow("lower-case letter in parentheses") << u"(c)"_s << kAbcd << u"The answer is C."_s;
    QTest::addRow("integer") << u"42"_s << QStringList() << u"42"_s;
    QTest::addRow("negative decimal") << u"-3.5"_s << QStringList() << u"-3.5"_s;
    QTest::addRow("text") << u"Paris"_s << QStringList() << u"Paris"_s;
    QTest::addRow("choice text") << u"blue"_s << kAbcd << u"blue"_s;
    QTest::addRow("letter without choices is text") << u"A"_s << QStringList() << u"A"_s;
    QTest::addRow("no sample") << QString() << QStringList() << u"This is a simulated answer."_s;
}

void TestSimulatorBehaviour::correctAnswer()
{
    QFETCH(QString, expected);
    QFETCH(QStringList, choices);
    QFETCH(QString, answer);
    const SimulatorBehaviour behaviour(settingsWith(1.0), 7);
    QCOMPARE(behaviour.answerText(sample(expected, choices, u"k1"_s)), answer);
}

void TestSimulatorBehaviour::wrongAnswer_data()
{
    QTest::addColumn<QString>("expected");
    QTest::addColumn<QStringList>("choices");
    QTest::addColumn<QString>("pattern"); // what every wrong answer must look like

    QTest::addRow("letter") << u"B"_s << kAbcd << u"^The answer is [ACD]\\.$"_s;
    QTest::addRow("integer") << u"42"_s << QStringList() << u"^\\d+$"_s;
    QTest::addRow("decimal") << u"2.50"_s << QStringList() << u"^\\d+\\.\\d\\d$"_s;
    QTest::addRow("zero") << u"0"_s << QStringList() << u"^\\d+$"_s;
    QTest::addRow("choice text") << u"blue"_s << kAbcd << u"^(red|green|yellow)$"_s;
    QTest::addRow("word") << u"Paris"_s << QStringList() << u"^\\w+$"_s;
    QTest::addRow("sentence") << u"The capital is Paris."_s << QStringList() << u"^The capital is \\w+\\.$"_s;
    QTest::addRow("short word") << u"no"_s << QStringList() << u"^\\w+$"_s;
}

void TestSimulatorBehaviour::wrongAnswer()
{
    QFETCH(QString, expected);
    QFETCH(QStringList, choices);
    QFETCH(QString, pattern);
    const SimulatorBehaviour behaviour(settingsWith(0.0), 7);
    const QRegularExpression re(pattern);
    const QString right = SimulatorBehaviour(settingsWith(1.0), 7).answerText(sample(expected, choices, u"k"_s));
    for (int i = 0; i < 50; ++i) {
        const QString answer = behaviour.answerText(sample(expected, choices, u"key-%1"_s.arg(i)));
        QVERIFY2(re.match(answer).hasMatch(), qPrintable(answer));
        QVERIFY2(answer != right, qPrintable(answer));
        // A wrong answer must not pass a "contains" scorer either.
        QVERIFY2(
            !answer.contains(u"The answer is "_s + expected + u'.') && answer.compare(expected, Qt::CaseInsensitive),
            qPrintable(answer));
        if (!re.pattern().startsWith(u"^The answer"_s))
            QVERIFY2(!answer.contains(expected, Qt::CaseInsensitive), qPrintable(answer));
    }
}

void TestSimulatorBehaviour::correctnessIsDeterministic()
{
    const SimulatorBehaviour a(settingsWith(0.5), 7);
    const SimulatorBehaviour b(settingsWith(0.5), 7);
    const SimulatorBehaviour other(settingsWith(0.5), 8);
    // The same seed at other accuracies: a verdict is a fixed draw per key compared with the accuracy, so raising
    // the accuracy only turns wrong answers right (and lowering it only right ones wrong).
    const SimulatorBehaviour higher(settingsWith(0.7), 7);
    const SimulatorBehaviour lower(settingsWith(0.3), 7);
    int differences = 0, right = 0, rightHigher = 0, rightLower = 0;
    for (int i = 0; i < 200; ++i) {
        const QString key = u"sample-%1"_s.arg(i);
        const bool verdict = a.isCorrect(key);
        QCOMPARE(b.isCorrect(key), verdict);
        const SimulatorSample s = sample(u"42"_s, {}, key);
        QCOMPARE(a.answerText(s), b.answerText(s));
        QCOMPARE(a.answerText(s) == u"42"_s, verdict); // the text follows the verdict
        if (verdict)
            QVERIFY2(higher.isCorrect(key), qPrintable(key));
        else
            QVERIFY2(!lower.isCorrect(key), qPrintable(key));
        right += verdict;
        rightHigher += higher.isCorrect(key);
        rightLower += lower.isCorrect(key);
        differences += verdict != other.isCorrect(key);
    }
    QVERIFY(differences > 0); // another seed is another run
    QVERIFY2(rightLower < right && right < rightHigher,
        qPrintable(u"%1 < %2 < %3"_s.arg(rightLower).arg(right).arg(rightHigher)));
}

void TestSimulatorBehaviour::accuracy_data()
{
    QTest::addColumn<double>("accuracy");
    QTest::addColumn<double>("low");
    QTest::addColumn<double>("high");
    QTest::addRow("always right") << 1.0 << 1.0 << 1.0;
    QTest::addRow("always wrong") << 0.0 << 0.0 << 0.0;
    QTest::addRow("0.8") << 0.8 << 0.74 << 0.86; // +-3.4 standard deviations over 500 samples
    QTest::addRow("0.3") << 0.3 << 0.24 << 0.36;
}

void TestSimulatorBehaviour::accuracy()
{
    QFETCH(double, accuracy);
    QFETCH(double, low);
    QFETCH(double, high);
    const SimulatorBehaviour behaviour(settingsWith(accuracy), 7);
    int right = 0;
    const int n = 500;
    for (int i = 0; i < n; ++i) {
        const SimulatorSample s = sample(u"C"_s, kAbcd, u"mmlu/%1#0"_s.arg(i));
        const bool correct = behaviour.answerText(s) == u"The answer is C."_s;
        QCOMPARE(correct, behaviour.isCorrect(s.key));
        right += correct;
    }
    const double rate = double(right) / n;
    QVERIFY2(rate >= low && rate <= high, qPrintable(QString::number(rate)));
}

void TestSimulatorBehaviour::padding_data()
{
    QTest::addColumn<int>("outputTokens");
    QTest::addColumn<QString>("expected");
    QTest::addColumn<QStringList>("choices");
    QTest::addColumn<QString>("ending");
    QTest::addColumn<int>("tokens");
    QTest::addRow("letter padded to 50") << 50 << u"D"_s << kAbcd << u" The answer is D."_s << 50;
    QTest::addRow("number padded to 6") << 6 << u"42"_s << QStringList() << u" 42"_s << 6;
    QTest::addRow("text padded to 300") << 300 << u"Paris, France"_s << QStringList() << u" Paris, France"_s << 300;
    QTest::addRow("shorter than the answer") << 2 << u"Paris, France"_s << QStringList() << u"Paris, France"_s << 3;
    QTest::addRow("no padding") << 0 << u"42"_s << QStringList() << u"42"_s << 1;
}

void TestSimulatorBehaviour::padding()
{
    QFETCH(int, outputTokens);
    QFETCH(QString, expected);
    QFETCH(QStringList, choices);
    QFETCH(QString, ending);
    QFETCH(int, tokens);
    SimulatorSettings settings = settingsWith(1.0);
    settings.outputTokens = outputTokens;
    const QString text = SimulatorBehaviour(settings, 7).answerText(sample(expected, choices, u"k"_s));
    QVERIFY2(text.endsWith(ending), qPrintable(text));
    QCOMPARE(SimulatorBehaviour::tokenEnds(text).size(), tokens);
}

void TestSimulatorBehaviour::ttftWithoutSpread()
{
    SimulatorSettings settings;
    settings.latencyMs = 120;
    settings.tailMs = 100; // tail <= median: no spread
    const SimulatorBehaviour behaviour(settings, 7);
    for (int i = 0; i < 20; ++i)
        QCOMPARE(behaviour.timeToFirstTokenMs(u"k%1"_s.arg(i), i), 120.0);
    settings.latencyMs = 0;
    QCOMPARE(SimulatorBehaviour(settings, 7).timeToFirstTokenMs(u"k"_s, 0), 0.0);
}

void TestSimulatorBehaviour::ttftLogNormal()
{
    SimulatorSettings settings;
    settings.latencyMs = 100;
    settings.tailMs = 500;
    const SimulatorBehaviour behaviour(settings, 11);
    QList<double> draws;
    const int n = 20000;
    for (int i = 0; i < n; ++i)
        draws.append(behaviour.timeToFirstTokenMs(u"sample-%1"_s.arg(i), 0));
    std::sort(draws.begin(), draws.end());
    const double median = draws.at(n / 2);
    const double p99 = draws.at(n * 99 / 100);
    QVERIFY2(median > 95 && median < 105, qPrintable(QString::number(median)));
    QVERIFY2(p99 > 450 && p99 < 550, qPrintable(QString::number(p99)));
    QVERIFY(draws.first() > 0);
}

void TestSimulatorBehaviour::ttftPerOccurrence()
{
    SimulatorSettings settings;
    settings.latencyMs = 100;
    settings.tailMs = 500;
    const SimulatorBehaviour behaviour(settings, 11);
    const SimulatorBehaviour again(settings, 11);
    QCOMPARE(behaviour.timeToFirstTokenMs(u"k"_s, 3), again.timeToFirstTokenMs(u"k"_s, 3));
    QVERIFY(behaviour.timeToFirstTokenMs(u"k"_s, 0) != behaviour.timeToFirstTokenMs(u"k"_s, 1));
}

void TestSimulatorBehaviour::faultAlwaysWhenCertain_data()
{
    QTest::addColumn<SimulatorFault>("fault");
    for (SimulatorFault fault : kSimulatorFaults)
        QTest::addRow("%s", qPrintable(simulatorFaultName(fault))) << fault;
}

void TestSimulatorBehaviour::faultAlwaysWhenCertain()
{
    QFETCH(SimulatorFault, fault);
    SimulatorSettings settings;
    settings.faults.insert(simulatorFaultName(fault), 1.0);
    const SimulatorBehaviour behaviour(settings, 7);
    for (int i = 0; i < 100; ++i)
        QCOMPARE(behaviour.fault(u"k%1"_s.arg(i), i % 3), fault);
}

void TestSimulatorBehaviour::faultRateAndRedraw()
{
    SimulatorSettings settings;
    QCOMPARE(SimulatorBehaviour(settings, 7).fault(u"k"_s, 0), SimulatorFault::None);
    settings.faults.insert(u"http_5xx"_s, 0.3);
    settings.faults.insert(u"http_429"_s, 0.0);
    const SimulatorBehaviour behaviour(settings, 7);
    int faults = 0;
    const int n = 2000;
    for (int i = 0; i < n; ++i) {
        const SimulatorFault fault = behaviour.fault(u"k%1"_s.arg(i), 0);
        QVERIFY(fault == SimulatorFault::None || fault == SimulatorFault::Http5xx);
        faults += fault != SimulatorFault::None;
    }
    QVERIFY2(faults > 0.25 * n && faults < 0.35 * n, qPrintable(QString::number(faults)));

    // A retry of the same sample draws again: over many attempts both outcomes occur.
    int failedAttempts = 0;
    for (int attempt = 0; attempt < 100; ++attempt)
        failedAttempts += behaviour.fault(u"one-sample"_s, attempt) != SimulatorFault::None;
    QVERIFY(failedAttempts > 0 && failedAttempts < 100);
}

void TestSimulatorBehaviour::faultNames()
{
    for (SimulatorFault fault : kSimulatorFaults) {
        bool ok = false;
        QCOMPARE(simulatorFaultFromName(simulatorFaultName(fault), &ok), fault);
        QVERIFY(ok);
    }
    bool ok = false;
    QCOMPARE(simulatorFaultFromName(u" NONE "_s, &ok), SimulatorFault::None);
    QVERIFY(ok);
    simulatorFaultFromName(u"http_418"_s, &ok);
    QVERIFY(!ok);
}

QTEST_GUILESS_MAIN(TestSimulatorBehaviour)
#include "tst_simulatorbehaviour.moc"
