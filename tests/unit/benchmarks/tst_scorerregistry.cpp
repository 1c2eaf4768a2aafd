// The scorer registry is the one list of scorer types: Scorer::create builds exactly its types, the validation
// rejects what each option spec rules out, its defaults are what the scorers do when an option is left out, and
// docs/scorers.md documents every type and option it holds.
#include "app/benchmarks/scorer.h"
#include "models/plan/scoreroptions.h"
#include "models/plan/scorerregistry.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QRegularExpression>
#include <QtTest>

using namespace evs;
using namespace Qt::StringLiterals;

namespace {

using Type = ScorerOptionSpec::Type;

// The smallest valid scorer object of a type: a value for each required option.
QJsonObject minimal(const ScorerTypeSpec& type)
{
    QJsonObject o { { u"type"_s, type.name } };
    for (const ScorerOptionSpec& option : type.options) {
        if (!option.required)
            continue;
        switch (option.type) {
        case Type::Regex:
            o.insert(option.key, u"paris|\\d+"_s);
            break;
        case Type::ModelRef:
            o.insert(option.key, u"judge"_s);
            break;
        case Type::ScorerList:
            o.insert(option.key, QJsonArray { QJsonObject { { u"type"_s, u"exact_match"_s } } });
            break;
        default:
            o.insert(option.key, u"x"_s);
        }
    }
    return o;
}

// A value of the wrong kind for an option.
QJsonValue wrongValue(const ScorerOptionSpec& option)
{
    switch (option.type) {
    case Type::Boolean:
        return u"yes"_s;
    case Type::Number:
        return u"1"_s;
    case Type::Choice:
        return u"none of them"_s;
    case Type::StringList:
        return u"one"_s;
    case Type::CaptureGroup:
        return -1;
    case Type::Schema:
    case Type::Range:
    case Type::ScorerList:
    case Type::String:
    case Type::Text:
    case Type::Regex:
    case Type::ModelRef:
        return 5;
    }
    return QJsonValue::Null;
}

QList<Sample> samples()
{
    QList<Sample> all;
    const auto add = [&all](const QString& target, const QStringList& choices = {}) {
        Sample s;
        s.index = all.size();
        s.id = QString::number(all.size());
        s.input = u"Question "_s + s.id;
        s.target = target;
        s.choices = choices;
        s.record = QJsonObject { { u"schema"_s, QJsonObject { { u"type"_s, u"object"_s } } } };
        all.append(s);
    };
    add(u"Paris"_s);
    add(u"The Paris"_s);
    add(u"42"_s);
    add(u"4.5"_s);
    add(u"{\"a\":1}"_s);
    add(u"B"_s, { u"red"_s, u"blue"_s });
    return all;
}

const QStringList kResponses = { u"paris"_s, u"  the   Paris. "_s, u"The answer is 42"_s, u"4.50"_s, u"{\"a\": 1}"_s,
    u"B"_s, u"Answer: blue, not 42.1"_s, QString() };

// What a scorer makes of every sample and response: score, error and explanation, and a judge's prompt and reading.
QStringList outcomes(const Scorer& scorer)
{
    QStringList out;
    for (const Sample& s : samples()) {
        for (const QString& response : kResponses) {
            if (scorer.needsJudge()) {
                const PromptRequest prompt = scorer.judgePrompt(s, response);
                out << prompt.prompt;
                for (const QString& verdict : { u"SCORE: 4"_s, u"SCORE: 1"_s, u"VERDICT: PASS"_s, u"SCORE: 9"_s }) {
                    const ScoreResult r = scorer.scoreWithVerdict(s, response, verdict);
                    out << QString::number(r.score) + u' ' + QString::number(r.error) + u' ' + r.explanation;
                }
                continue;
            }
            const ScoreResult r = scorer.score(s, response);
            out << QString::number(r.score) + u' ' + QString::number(r.error) + u' ' + r.explanation;
        }
    }
    return out;
}

} // namespace

class TestScorerRegistry : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void createBuildsExactlyTheRegistrysTypes()
    {
        QStringList names = ScorerRegistry::names();
        names.sort();
        QCOMPARE(Scorer::buildableTypes(), names);
        QCOMPARE(ScorerOptions::types(), ScorerRegistry::names());
        for (const ScorerTypeSpec& type : ScorerRegistry::types()) {
            QString error;
            const auto scorer = Scorer::create({ type.name, minimal(type) }, &error);
            QVERIFY2(scorer, qPrintable(type.name + u": "_s + error));
            QVERIFY2(!type.label.isEmpty() && !type.description.isEmpty(), qPrintable(type.name));
        }
        QString error;
        QVERIFY(!Scorer::create({ u"bleu"_s, QJsonObject { { u"type"_s, u"bleu"_s } } }, &error));
        QVERIFY2(error.startsWith(u"type: unknown scorer \"bleu\""_s), qPrintable(error));
    }

    void everyOptionIsChecked_data()
    {
        QTest::addColumn<QString>("type");
        QTest::addColumn<QString>("key");
        for (const ScorerTypeSpec& type : ScorerRegistry::types()) {
            for (const ScorerOptionSpec& option : type.options)
                QTest::addRow("%s.%s", qPrintable(type.name), qPrintable(option.key)) << type.name << option.key;
        }
    }
    void everyOptionIsChecked()
    {
        QFETCH(QString, type);
        QFETCH(QString, key);
        const ScorerTypeSpec* spec = ScorerRegistry::find(type);
        QVERIFY(spec);
        const ScorerOptionSpec* option = spec->option(key);
        QVERIFY(option);
        QVERIFY2(!option->label.isEmpty() && !option->description.isEmpty(), qPrintable(key));
        QVERIFY(option->type != Type::Choice || option->allowed.contains(option->defaultValue.toString()));

        QJsonObject o = minimal(*spec);
        o.insert(key, wrongValue(*option));
        const auto error = ScorerOptions::validate(o);
        QVERIFY2(error, qPrintable(key));
        QCOMPARE(error->path, key);

        if (option->required) {
            o = minimal(*spec);
            o.remove(key);
            const auto missing = ScorerOptions::validate(o);
            QVERIFY(missing);
            QCOMPARE(missing->path, key);
            QCOMPARE(missing->message, u"required"_s);
        }
        if (option->type == Type::Number) {
            o = minimal(*spec);
            if (type == u"composite"_s)
                o.insert(u"mode"_s, u"all"_s); // pass_threshold is for modes all and any
            o.insert(key, option->minimum - 0.5);
            QVERIFY(ScorerOptions::validate(o));
            o.insert(key, option->minimum);
            QVERIFY(!ScorerOptions::validate(o));
            if (std::isfinite(option->maximum)) {
                o.insert(key, option->maximum + 0.5);
                QVERIFY(ScorerOptions::validate(o));
            }
        }
        if (!option->alternativeTo.isEmpty()) {
            o = minimal(*spec);
            o.insert(key, u"a"_s);
            o.insert(option->alternativeTo, QJsonArray { u"b"_s });
            const auto both = ScorerOptions::validate(o);
            QVERIFY(both);
            QCOMPARE(both->path, option->alternativeTo);
            QVERIFY(both->message.contains(u"not both"_s));
        }
    }

    void defaultsAreWhatTheScorersDo_data()
    {
        QTest::addColumn<QString>("type");
        QTest::addColumn<QString>("key");
        int withDefault = 0;
        for (const ScorerTypeSpec& type : ScorerRegistry::types()) {
            for (const ScorerOptionSpec& option : type.options) {
                if (option.defaultValue.isUndefined())
                    continue;
                QTest::addRow("%s.%s", qPrintable(type.name), qPrintable(option.key)) << type.name << option.key;
                ++withDefault;
            }
        }
        QVERIFY(withDefault >= 15);
    }
    void defaultsAreWhatTheScorersDo()
    {
        QFETCH(QString, type);
        QFETCH(QString, key);
        const ScorerTypeSpec* spec = ScorerRegistry::find(type);
        const ScorerOptionSpec* option = spec->option(key);
        QJsonObject left = minimal(*spec);
        if (type == u"composite"_s && key == u"pass_threshold"_s)
            left.insert(u"mode"_s, u"all"_s);
        QJsonObject given = left;
        given.insert(key, option->defaultValue);
        QString error;
        const auto a = Scorer::create({ type, left }, &error);
        QVERIFY2(a, qPrintable(error));
        const auto b = Scorer::create({ type, given }, &error);
        QVERIFY2(b, qPrintable(error));
        QCOMPARE(outcomes(*b), outcomes(*a));

        // And the option is not inert: the other value of a boolean changes something.
        if (option->type == Type::Boolean) {
            given.insert(key, !option->defaultValue.toBool());
            const auto c = Scorer::create({ type, given }, &error);
            QVERIFY2(c, qPrintable(error));
            QVERIFY2(outcomes(*c) != outcomes(*a), qPrintable(key));
        }
    }

    void docsDescribeEveryTypeAndOption()
    {
        QFile f(QStringLiteral(EVS_TEST_DATA) + u"/../../docs/scorers.md"_s);
        QVERIFY2(f.open(QIODevice::ReadOnly), qPrintable(f.fileName()));
        const QString doc = QString::fromUtf8(f.readAll());
        for (const ScorerTypeSpec& type : ScorerRegistry::types()) {
            const QRegularExpression overviewRow(
                u"^\\| [^\\n]*`"_s + QRegularExpression::escape(type.name) + u"`[^\\n]*\\|"_s,
                QRegularExpression::MultilineOption);
            QVERIFY2(overviewRow.match(doc).hasMatch(), qPrintable(type.name)); // the table of types
            // The type's own section, up to the next one, has a row for each option.
            QRegularExpression section(
                u"^## [^\\n]*`"_s + QRegularExpression::escape(type.name) + u"`[^\\n]*\\n(.*?)(?=^## |\\z)"_s,
                QRegularExpression::MultilineOption | QRegularExpression::DotMatchesEverythingOption);
            const auto m = section.match(doc);
            QVERIFY2(m.hasMatch(), qPrintable(type.name));
            for (const ScorerOptionSpec& option : type.options)
                QVERIFY2(
                    m.captured(1).contains(u"`"_s + option.key + u"`"_s), qPrintable(type.name + u'.' + option.key));
        }
    }

    void suggestion_data()
    {
        QTest::addColumn<bool>("choices");
        QTest::addColumn<bool>("numeric");
        QTest::addColumn<QString>("type");
        QTest::addRow("choices") << true << false << u"multiple_choice"_s;
        QTest::addRow("choices with numbers") << true << true << u"multiple_choice"_s;
        QTest::addRow("numbers") << false << true << u"numeric"_s;
        QTest::addRow("text") << false << false << u"exact_match"_s;
    }
    void suggestion()
    {
        QFETCH(bool, choices);
        QFETCH(bool, numeric);
        QFETCH(QString, type);
        QCOMPARE(ScorerRegistry::suggestFor(choices, numeric), type);
        QVERIFY(ScorerRegistry::find(type));
    }
};

QTEST_GUILESS_MAIN(TestScorerRegistry)
#include "tst_scorerregistry.moc"
