// Scorers against realistic model answers: each row is a response a model could give, its expected score, and
// a text the explanation must contain (usually the extracted value).
#include "app/benchmarks/jsonscorer.h"
#include "app/benchmarks/numericscorer.h"
#include "app/benchmarks/scorer.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QTest>

using namespace Qt::StringLiterals;

namespace evs {

namespace {

ScorerSpec spec(const QString& type, const QJsonObject& options = {})
{
    ScorerSpec s;
    s.type = type;
    s.options = options;
    s.options.insert(u"type"_s, type);
    return s;
}

QJsonObject object(const char* json)
{
    return QJsonDocument::fromJson(json).object();
}

QString text(const char* utf8)
{
    return QString::fromUtf8(utf8);
}

Sample sample(const QString& target, const QStringList& choices = {})
{
    Sample s;
    s.index = 0;
    s.id = u"s0"_s;
    s.input = u"?"_s;
    s.target = target;
    s.choices = choices;
    return s;
}

void check(
    const ScorerSpec& scorerSpec, const Sample& s, const QString& response, double score, const QString& mentions)
{
    QString error;
    const auto scorer = Scorer::create(scorerSpec, &error);
    QVERIFY2(scorer, qPrintable(error));
    const ScoreResult r = scorer->score(s, response);
    QVERIFY2(!r.error, qPrintable(r.explanation));
    QVERIFY2(!r.explanation.isEmpty(), "empty explanation");
    QVERIFY2(qAbs(r.score - score) < 1e-12, qPrintable(r.explanation));
    QVERIFY2(r.explanation.contains(mentions), qPrintable(u"missing \""_s + mentions + u"\" in: "_s + r.explanation));
}

} // namespace

class TestScorerAnswers : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void multipleChoice_data()
    {
        QTest::addColumn<QString>("response");
        QTest::addColumn<double>("score");
        QTest::addColumn<QString>("mentions");
        QTest::addRow("bare") << u"C"_s << 1.0 << u"chose C"_s;
        QTest::addRow("parenthesised") << u"(C)"_s << 1.0 << u"chose C"_s;
        QTest::addRow("bold") << u"**C**"_s << 1.0 << u"chose C"_s;
        QTest::addRow("the answer is") << u"The answer is C."_s << 1.0 << u"chose C"_s;
        QTest::addRow("Answer: c") << u"Answer: c"_s << 1.0 << u"chose C"_s;
        QTest::addRow("choice text") << u"Canberra"_s << 1.0 << u"chose C (\"Canberra\")"_s;
        QTest::addRow("I think it's C because")
            << u"I think it's C because Canberra was purpose-built as the capital in 1913."_s << 1.0 << u"chose C"_s;
        QTest::addRow("I think it's C because A is bigger")
            << u"I think it's C, because A is just the biggest city."_s << 1.0 << u"chose C"_s;
        QTest::addRow("chain of thought, then conclusion")
            << u"Let's go through the options. A) Sydney is the largest city. B) Melbourne was the temporary "
               "capital. D) Perth is in the west. C) Canberra was chosen as a compromise.\nSo the answer is C."_s
            << 1.0 << u"chose C"_s;
        QTest::addRow("eliminates, then C is correct")
            << u"A is wrong: Sydney is only the largest city. B is incorrect too. C is correct. D is wrong."_s << 1.0
            << u"chose C"_s;
        QTest::addRow("therefore letter")
            << u"Sydney (A) and Melbourne (B) were rivals, and Perth (D) is far away. Therefore, C."_s << 1.0
            << u"chose C"_s;
        QTest::addRow("conclusion over contrast")
            << u"Sydney is bigger, but the capital is Canberra"_s << 1.0 << u"chose C (\"Canberra\")"_s;
        QTest::addRow("contrast, wrong way round")
            << u"Canberra is the seat of parliament, but most people think the capital is Sydney"_s << 0.0
            << u"chose A"_s;
        QTest::addRow("negated choice") << u"It is Canberra, not Sydney."_s << 1.0 << u"chose C"_s;
        QTest::addRow("rather than") << u"Canberra rather than Melbourne"_s << 1.0 << u"chose C"_s;
        QTest::addRow("markdown heading")
            << u"## Reasoning\nSydney is the biggest.\n\n## Final answer\n**(C) Canberra**"_s << 1.0 << u"chose C"_s;
        QTest::addRow("option word") << u"Option C"_s << 1.0 << u"chose C"_s;
        QTest::addRow("correct option is") << u"The correct option is (c)."_s << 1.0 << u"chose C"_s;
        QTest::addRow("json-ish") << u"{\"answer\": \"C\"}"_s << 1.0 << u"chose C"_s;
        QTest::addRow("changed mind") << u"Answer: B\nWait, Melbourne was only temporary. Final answer: C"_s << 1.0
                                      << u"chose C"_s;
        QTest::addRow("wrong, with reasoning")
            << u"Melbourne hosted parliament until 1927, so I'd say B."_s << 0.0 << u"chose B"_s;
        QTest::addRow("wrong letter bold") << u"**D**"_s << 0.0 << u"chose D"_s;
        QTest::addRow("wrong text") << u"Sydney"_s << 0.0 << u"chose A (\"Sydney\")"_s;
        QTest::addRow("no answer, hedged")
            << u"It could be any of them, I am not sure."_s << 0.0 << u"no answer found"_s;
        QTest::addRow("no answer, refusal") << u"I can't help with that."_s << 0.0 << u"no answer found"_s;
        QTest::addRow("no answer, empty") << QString() << 0.0 << u"no answer found"_s;
    }

    void multipleChoice()
    {
        QFETCH(QString, response);
        QFETCH(double, score);
        QFETCH(QString, mentions);
        check(spec(u"multiple_choice"_s), sample(u"C"_s, { u"Sydney"_s, u"Melbourne"_s, u"Canberra"_s, u"Perth"_s }),
            response, score, mentions);
    }

    void numeric_data()
    {
        QTest::addColumn<QString>("target");
        QTest::addColumn<QString>("response");
        QTest::addColumn<QJsonObject>("options");
        QTest::addColumn<double>("score");
        QTest::addColumn<QString>("mentions");
        const QJsonObject exact;
        const QString gsm = u"She sold 48/2 = <<48/2=24>>24 clips in May.\nIn total 48+24 = <<48+24=72>>72.\n#### 72"_s;
        QTest::addRow("gsm8k marker") << gsm << u"48 + 24 = 72\n#### 72"_s << exact << 1.0 << u"extracted 72"_s;
        QTest::addRow("gsm8k marker wrong")
            << gsm << u"She sold 48 + 20 = 68.\n#### 68"_s << exact << 0.0 << u"extracted 68"_s;
        QTest::addRow("worked answer, last number")
            << gsm << u"In April: 48 clips. In May: 48 / 2 = 24 clips. Total: 48 + 24 = 72."_s << exact << 1.0
            << u"extracted 72"_s;
        QTest::addRow("equals with separators")
            << u"1234.5"_s << u"So the total is = 1,234.5"_s << exact << 1.0 << u"extracted 1234.5"_s;
        QTest::addRow("dollars") << u"12"_s << u"It costs $12."_s << exact << 1.0 << u"\"$12\""_s;
        QTest::addRow("dollars and cents")
            << u"$1,250.00"_s << u"The answer is $1,250."_s << exact << 1.0 << u"extracted 1250"_s;
        QTest::addRow("percent") << u"42"_s << u"About 42% of the students passed."_s << exact << 1.0 << u"\"42%\""_s;
        QTest::addRow("negative") << u"-3"_s << u"The temperature dropped to -3."_s << exact << 1.0
                                  << u"extracted -3"_s;
        QTest::addRow("unicode minus") << u"-3"_s << u"x = −3"_s << exact << 1.0 << u"extracted -3"_s;
        QTest::addRow("fraction") << u"0.5"_s << u"The probability is 1/2."_s << exact << 1.0 << u"\"1/2\""_s;
        QTest::addRow("answer is N apples")
            << u"7"_s << u"She had 3 apples and got 4 more, so the answer is 7 apples."_s << exact << 1.0
            << u"stated as the answer"_s;
        QTest::addRow("answer then arithmetic")
            << u"42"_s << u"Answer: 12 + 30 = 42"_s << exact << 1.0 << u"extracted 42"_s;
        QTest::addRow("trailing period") << u"42"_s << u"The result is 42."_s << exact << 1.0 << u"extracted 42"_s;
        QTest::addRow("thousands") << u"1000000"_s << u"That comes to 1,000,000 people."_s << exact << 1.0
                                   << u"extracted 1000000"_s;
        QTest::addRow("boxed") << u"18"_s << u"Adding them up gives $\\boxed{18}$."_s << exact << 1.0
                               << u"in \\boxed{}"_s;
        QTest::addRow("boxed latex fraction")
            << u"0.75"_s << u"\\boxed{\\frac{3}{4}}"_s << exact << 1.0 << u"extracted 0.75"_s;
        QTest::addRow("bold final answer")
            << u"5"_s << u"Each friend gets 20 / 4 = 5.\n\n**Final answer: 5**"_s << exact << 1.0 << u"extracted 5"_s;
        QTest::addRow("reasoning block ignored")
            << u"9"_s << u"<think>maybe 12? no.</think>The answer is 9"_s << exact << 1.0 << u"extracted 9"_s;
        QTest::addRow("decimal vs integer") << u"3"_s << u"3.0"_s << exact << 1.0 << u"extracted 3"_s;
        QTest::addRow("off by one") << u"100"_s << u"The answer is 101."_s << exact << 0.0 << u"extracted 101"_s;
        QTest::addRow("absolute tolerance")
            << u"3.14159"_s << u"Pi is about 3.14"_s << QJsonObject { { u"tolerance"_s, 0.01 } } << 1.0 << u"±0.01"_s;
        QTest::addRow("outside tolerance") << u"3.14159"_s << u"Pi is about 3.1"_s
                                           << QJsonObject { { u"tolerance"_s, 0.01 } } << 0.0 << u"extracted 3.1"_s;
        QTest::addRow("relative tolerance")
            << u"1000"_s << u"Roughly 1,040."_s << QJsonObject { { u"relative_tolerance"_s, 0.05 } } << 1.0 << u"±5%"_s;
        QTest::addRow("scientific") << u"150000"_s << u"1.5e5"_s << exact << 1.0 << u"extracted 150000"_s;
        QTest::addRow("word inside number ignored")
            << u"2"_s << u"H2O has 2 hydrogen atoms"_s << exact << 1.0 << u"extracted 2"_s;
        QTest::addRow("no number") << u"7"_s << u"I cannot solve this."_s << exact << 0.0 << u"no number found"_s;
    }

    void numeric()
    {
        QFETCH(QString, target);
        QFETCH(QString, response);
        QFETCH(QJsonObject, options);
        QFETCH(double, score);
        QFETCH(QString, mentions);
        check(spec(u"numeric"_s, options), sample(target), response, score, mentions);
    }

    void numericTargetWithoutNumber()
    {
        const auto scorer = Scorer::create(spec(u"numeric"_s), nullptr);
        const ScoreResult r = scorer->score(sample(u"seven"_s), u"7"_s);
        QVERIFY(r.error);
        QVERIFY(r.explanation.contains(u"holds no number"_s));
    }

    void regexExtract_data()
    {
        QTest::addColumn<QJsonObject>("options");
        QTest::addColumn<QString>("target");
        QTest::addColumn<QString>("response");
        QTest::addColumn<double>("score");
        QTest::addColumn<QString>("mentions");
        const QJsonObject answer { { u"pattern"_s, u"answer\\s*(?:is|:)\\s*\\**([^.*\\n]+)"_s } };
        const QJsonObject tag { { u"pattern"_s, u"<answer>(.*?)</answer>"_s } };
        const QJsonObject named { { u"pattern"_s, u"city:\\s*(?<city>[A-Za-z ]+)"_s }, { u"group"_s, u"city"_s } };
        const QJsonObject first { { u"pattern"_s, u"answer:\\s*(\\w+)"_s }, { u"occurrence"_s, u"first"_s } };
        const QJsonObject strict { { u"pattern"_s, u"answer:\\s*(\\w+)"_s }, { u"case_sensitive"_s, true } };
        const QJsonObject punct { { u"pattern"_s, u"Answer:(.*)"_s }, { u"strip_punctuation"_s, true },
            { u"ignore_articles"_s, true } };
        QTest::addRow("answer is") << answer << u"Paris"_s << u"The answer is Paris."_s << 1.0 << u"\"Paris\""_s;
        QTest::addRow("answer colon") << answer << u"Paris"_s << u"Answer: paris"_s << 1.0 << u"\"paris\""_s;
        QTest::addRow("bold") << answer << u"Paris"_s << u"The answer is **Paris**"_s << 1.0 << u"\"Paris\""_s;
        QTest::addRow("after reasoning") << answer << u"Paris"_s
                                         << u"France's capital moved? No.\nSo the answer is Paris"_s << 1.0
                                         << u"\"Paris\""_s;
        QTest::addRow("last occurrence wins")
            << answer << u"Paris"_s << u"My first answer is Lyon. Correction, the answer is Paris."_s << 1.0
            << u"last of 2 matches"_s;
        QTest::addRow("wrong") << answer << u"Paris"_s << u"The answer is Lyon."_s << 0.0 << u"\"Lyon\""_s;
        QTest::addRow("nothing extracted")
            << answer << u"Paris"_s << u"Paris, obviously."_s << 0.0 << u"nothing extracted"_s;
        QTest::addRow("tag") << tag << u"42"_s << u"Let me think.\n<answer>42</answer>"_s << 1.0 << u"\"42\""_s;
        QTest::addRow("tag with spaces") << tag << u"42"_s << u"<answer> 42 </answer>"_s << 1.0 << u"\"42\""_s;
        QTest::addRow("tag wrong") << tag << u"42"_s << u"<answer>41</answer>"_s << 0.0 << u"\"41\""_s;
        QTest::addRow("tag missing") << tag << u"42"_s << u"The answer is 42"_s << 0.0 << u"nothing extracted"_s;
        QTest::addRow("tag inside reasoning ignored")
            << tag << u"42"_s << u"<think><answer>40</answer>?</think><answer>42</answer>"_s << 1.0 << u"\"42\""_s;
        QTest::addRow("named group") << named << u"New York"_s << u"The city: New York"_s << 1.0 << u"\"New York\""_s;
        QTest::addRow("named group wrong") << named << u"New York"_s << u"city: Boston"_s << 0.0 << u"\"Boston\""_s;
        QTest::addRow("first occurrence") << first << u"yes"_s << u"answer: yes\nanswer: no"_s << 1.0 << u"first"_s;
        QTest::addRow("case-sensitive pattern misses")
            << strict << u"yes"_s << u"Answer: yes"_s << 0.0 << u"nothing extracted"_s;
        QTest::addRow("case-sensitive compare") << strict << u"yes"_s << u"answer: YES"_s << 0.0 << u"\"YES\""_s;
        QTest::addRow("punctuation and articles")
            << punct << u"the Eiffel Tower"_s << u"Answer: Eiffel Tower!"_s << 1.0 << u"\"eiffel tower\""_s;
        QTest::addRow("whitespace collapsed")
            << QJsonObject { { u"pattern"_s, u"(?s)<answer>(.*?)</answer>"_s } } << u"New York"_s
            << u"<answer>New\n  York</answer>"_s << 1.0 << u"\"new york\""_s;
        QTest::addRow("multiline answer cut at newline")
            << answer << u"Paris"_s << u"The answer is Paris\nBecause it is the capital."_s << 1.0 << u"\"Paris\""_s;
    }

    void regexExtract()
    {
        QFETCH(QJsonObject, options);
        QFETCH(QString, target);
        QFETCH(QString, response);
        QFETCH(double, score);
        QFETCH(QString, mentions);
        check(spec(u"regex_extract"_s, options), sample(target), response, score, mentions);
    }

    void containsAndRegex_data()
    {
        QTest::addColumn<QString>("type");
        QTest::addColumn<QJsonObject>("options");
        QTest::addColumn<QString>("target");
        QTest::addColumn<QString>("response");
        QTest::addColumn<double>("score");
        QTest::addColumn<QString>("mentions");
        const QJsonObject none;
        const QJsonObject anyOf = object("{\"values\": [\"refund\", \"money back\"]}");
        const QJsonObject allOf = object("{\"values\": [\"refund\", \"30 days\"], \"mode\": \"all\"}");
        QTest::addRow("contains target") << u"contains"_s << none << u"Paris"_s << u"I believe it is Paris, France."_s
                                         << 1.0 << u"found \"Paris\""_s;
        QTest::addRow("contains, case ignored")
            << u"contains"_s << none << u"Paris"_s << u"PARIS"_s << 1.0 << u"found \"Paris\""_s;
        QTest::addRow("contains, case-sensitive") << u"contains"_s << QJsonObject { { u"case_sensitive"_s, true } }
                                                  << u"Paris"_s << u"paris"_s << 0.0 << u"not found \"Paris\""_s;
        QTest::addRow("contains value option") << u"contains"_s << QJsonObject { { u"value"_s, u"sorry"_s } }
                                               << QString() << u"I'm sorry, I can't."_s << 1.0 << u"found \"sorry\""_s;
        QTest::addRow("any of values") << u"contains"_s << anyOf << QString() << u"You can get your money back."_s
                                       << 1.0 << u"found \"money back\""_s;
        QTest::addRow("all of values, one missing")
            << u"contains"_s << allOf << QString() << u"We offer a refund."_s << 0.0 << u"not found \"30 days\""_s;
        QTest::addRow("all of values") << u"contains"_s << allOf << QString()
                                       << u"A refund is possible within 30 days."_s << 1.0 << u"found \"refund\""_s;
        QTest::addRow("not contains passes") << u"not_contains"_s << QJsonObject { { u"value"_s, u"as an AI"_s } }
                                             << QString() << u"Paris."_s << 1.0 << u"found none"_s;
        QTest::addRow("not contains fails")
            << u"not_contains"_s << QJsonObject { { u"value"_s, u"as an AI"_s } } << QString()
            << u"As an AI, I think Paris."_s << 0.0 << u"found \"as an AI\""_s;
        QTest::addRow("regex matches") << u"regex"_s << object("{\"pattern\": \"\\\\b\\\\d{3}-\\\\d{4}\\\\b\"}")
                                       << QString() << u"Call 555-1234."_s << 1.0 << u"matched \"555-1234\""_s;
        QTest::addRow("regex misses") << u"regex"_s << object("{\"pattern\": \"^yes\\\\b\"}") << QString() << u"No."_s
                                      << 0.0 << u"did not match"_s;
        QTest::addRow("regex case") << u"regex"_s << object("{\"pattern\": \"^yes\\\\b\", \"case_sensitive\": true}")
                                    << QString() << u"Yes."_s << 0.0 << u"did not match"_s;
    }

    void containsAndRegex()
    {
        QFETCH(QString, type);
        QFETCH(QJsonObject, options);
        QFETCH(QString, target);
        QFETCH(QString, response);
        QFETCH(double, score);
        QFETCH(QString, mentions);
        check(spec(type, options), sample(target), response, score, mentions);
    }

    void json_data()
    {
        QTest::addColumn<QJsonObject>("options");
        QTest::addColumn<QString>("schemaInRecord");
        QTest::addColumn<QString>("target");
        QTest::addColumn<QString>("response");
        QTest::addColumn<double>("score");
        QTest::addColumn<QString>("mentions");
        const QJsonObject none;
        const QJsonObject person = object(
            "{\"schema\": {\"type\": \"object\", \"required\": [\"name\", \"age\"], \"properties\": {\"name\": "
            "{\"type\": \"string\", \"minLength\": 1, \"maxLength\": 20}, \"age\": {\"type\": \"integer\", "
            "\"minimum\": 0, \"maximum\": 150}, \"role\": {\"enum\": [\"admin\", \"user\"]}, \"tags\": {\"type\": "
            "\"array\", \"items\": {\"type\": \"string\"}, \"minItems\": 1, \"maxItems\": 3}}}}");
        const QString recordSchema = text("{\"type\": \"array\", \"items\": {\"type\": \"number\", \"minimum\": 0}}");
        const QJsonObject matchTarget = object("{\"match_target\": true}");
        QTest::addRow("plain object") << none << QString() << QString() << text("{\"a\": 1}") << 1.0 << u"{\"a\":1}"_s;
        QTest::addRow("scalar") << none << QString() << QString() << u"42"_s << 1.0 << u"\"42\""_s;
        QTest::addRow("json fence with prose")
            << none << QString() << QString() << u"Here you go:\n```json\n{\"ok\": true}\n```\nAnything else?"_s << 1.0
            << u"```json fence"_s;
        QTest::addRow("bare fence") << none << QString() << QString() << u"```\n[1, 2]\n```"_s << 1.0 << u"[1,2]"_s;
        QTest::addRow("object in prose") << none << QString() << QString()
                                         << u"Sure! The data is {\"city\": \"Oslo\", \"n\": 3}. Hope it helps."_s << 1.0
                                         << u"an object in the text"_s;
        QTest::addRow("brace in a string")
            << none << QString() << QString() << text("Result: {\"text\": \"a } b\", \"ok\": true}") << 1.0
            << u"\"a } b\""_s;
        QTest::addRow("invalid json") << none << QString() << QString() << text("{\"a\": 1,}") << 0.0
                                      << u"no JSON value found"_s;
        QTest::addRow("single quotes") << none << QString() << QString() << u"{'a': 1}"_s << 0.0
                                       << u"no JSON value found"_s;
        QTest::addRow("prose only") << none << QString() << QString() << u"I cannot produce JSON."_s << 0.0
                                    << u"no JSON value found"_s;
        QTest::addRow("schema ok") << person << QString() << QString()
                                   << text("{\"name\": \"Ann\", \"age\": 34, \"role\": \"admin\", \"tags\": [\"x\"]}")
                                   << 1.0 << u"conforms to the scorer's schema"_s;
        QTest::addRow("schema missing required") << person << QString() << QString() << text("{\"name\": \"Ann\"}")
                                                 << 0.0 << u"$.age: required property is missing"_s;
        QTest::addRow("schema wrong type")
            << person << QString() << QString() << text("{\"name\": \"Ann\", \"age\": \"34\"}") << 0.0
            << u"$.age: expected integer, got string"_s;
        QTest::addRow("schema not integer")
            << person << QString() << QString() << text("{\"name\": \"Ann\", \"age\": 34.5}") << 0.0
            << u"$.age: expected integer, got number"_s;
        QTest::addRow("schema minimum") << person << QString() << QString() << text("{\"name\": \"Ann\", \"age\": -1}")
                                        << 0.0 << u"$.age: -1 is below the minimum 0"_s;
        QTest::addRow("schema maximum") << person << QString() << QString() << text("{\"name\": \"Ann\", \"age\": 200}")
                                        << 0.0 << u"$.age: 200 is above the maximum 150"_s;
        QTest::addRow("schema enum") << person << QString() << QString()
                                     << text("{\"name\": \"Ann\", \"age\": 3, \"role\": \"root\"}") << 0.0
                                     << u"$.role: \"root\" is not one of"_s;
        QTest::addRow("schema minLength") << person << QString() << QString() << text("{\"name\": \"\", \"age\": 3}")
                                          << 0.0 << u"$.name: \"\" is shorter than minLength 1"_s;
        QTest::addRow("schema maxLength")
            << person << QString() << QString() << text("{\"name\": \"Bartholomew Montgomery III\", \"age\": 3}") << 0.0
            << u"is longer than maxLength 20"_s;
        QTest::addRow("schema items") << person << QString() << QString()
                                      << text("{\"name\": \"A\", \"age\": 3, \"tags\": [\"x\", 7]}") << 0.0
                                      << u"$.tags[1]: expected string"_s;
        QTest::addRow("schema minItems") << person << QString() << QString()
                                         << text("{\"name\": \"A\", \"age\": 3, \"tags\": []}") << 0.0
                                         << u"$.tags: 0 items, fewer than minItems 1"_s;
        QTest::addRow("schema maxItems") << person << QString() << QString()
                                         << text("{\"name\": \"A\", \"age\": 3, \"tags\": [\"a\",\"b\",\"c\",\"d\"]}")
                                         << 0.0 << u"more than maxItems 3"_s;
        QTest::addRow("schema in fence") << person << QString() << QString()
                                         << u"```json\n{\"name\": \"Bo\", \"age\": 7}\n```"_s << 1.0
                                         << u"{\"age\":7,\"name\":\"Bo\"}"_s;
        QTest::addRow("schema from record")
            << none << recordSchema << QString() << u"[1, 2.5, 0]"_s << 1.0 << u"the record's \"schema\" schema"_s;
        QTest::addRow("schema from record violated")
            << none << recordSchema << QString() << u"[1, -2]"_s << 0.0 << u"$[1]: -2 is below the minimum 0"_s;
        QTest::addRow("match target") << matchTarget << QString() << text("{\"b\": [1, 2], \"a\": \"x\"}")
                                      << text("Answer: {\"a\": \"x\", \"b\": [1, 2]}") << 1.0 << u"equals the target"_s;
        QTest::addRow("match target differs") << matchTarget << QString() << text("{\"a\": \"x\"}")
                                              << text("{\"a\": \"y\"}") << 0.0 << u"differs from the target"_s;
    }

    void json()
    {
        QFETCH(QJsonObject, options);
        QFETCH(QString, schemaInRecord);
        QFETCH(QString, target);
        QFETCH(QString, response);
        QFETCH(double, score);
        QFETCH(QString, mentions);
        Sample s = sample(target);
        if (!schemaInRecord.isEmpty())
            s.record.insert(u"schema"_s, QJsonDocument::fromJson(schemaInRecord.toUtf8()).object());
        check(spec(u"json"_s, options), s, response, score, mentions);
    }

    void jsonBadSchemaInRecord()
    {
        const auto scorer = Scorer::create(spec(u"json"_s), nullptr);
        Sample s = sample(QString());
        s.record.insert(u"schema"_s, object("{\"type\": \"object\", \"patternProperties\": {}}"));
        const ScoreResult r = scorer->score(s, u"{}"_s);
        QVERIFY(r.error);
        QVERIFY2(r.explanation.contains(u"schema.patternProperties: unsupported schema keyword"_s),
            qPrintable(r.explanation));
    }

    void exactMatchExplains()
    {
        check(spec(u"exact_match"_s, object("{\"strip_punctuation\": true}")), sample(u"Paris"_s), u"Paris!"_s, 1.0,
            u"punctuation removed"_s);
    }
};

} // namespace evs

QTEST_GUILESS_MAIN(evs::TestScorerAnswers)
#include "tst_scorers_answers.moc"
