#include "models/plan/planparser.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QTest>

using namespace Qt::StringLiterals;

namespace evs {

class TestPlan : public QObject {
    Q_OBJECT

private:
    static QString dataDir() { return QStringLiteral(EVS_TEST_DATA "/plan"); }
    static QString resourcesDir() { return QStringLiteral(EVS_TEST_DATA "/../../resources/plans"); }

private Q_SLOTS:
    void bundledPlans_data()
    {
        QTest::addColumn<QString>("path");
        QTest::addColumn<int>("models");
        QTest::addColumn<int>("benchmarks");
        QTest::addRow("demo (source)") << resourcesDir() + u"/demo.json"_s << 2 << 2;
        QTest::addRow("example (source)") << resourcesDir() + u"/example.json"_s << 4 << 2;
        QTest::addRow("demo (resource)") << u":/plans/demo.json"_s << 2 << 2;
        QTest::addRow("example (resource)") << u":/plans/example.json"_s << 4 << 2;
    }

    void bundledPlans()
    {
        QFETCH(QString, path);
        QFETCH(int, models);
        QFETCH(int, benchmarks);
        PlanError error;
        const auto plan = PlanParser::parseFile(path, &error);
        QVERIFY2(plan, qPrintable(error.toString(path)));
        QCOMPARE(plan->models.size(), models);
        QCOMPARE(plan->benchmarks.size(), benchmarks);
        // Round trip: canonical JSON parses back to the same plan.
        const QByteArray json = PlanParser::toJson(*plan);
        const auto again = PlanParser::parse(json, {}, &error);
        QVERIFY2(again, qPrintable(error.toString()));
        QCOMPARE(PlanParser::toJson(*again), json);
    }

    void demoPlanContents()
    {
        PlanError error;
        const auto plan = PlanParser::parseFile(u":/plans/demo.json"_s, &error);
        QVERIFY(plan);
        QCOMPARE(plan->name, u"demo"_s);
        QCOMPARE(plan->models[0].id, u"sim-fast"_s);
        QCOMPARE(plan->models[0].simulate.accuracy, 0.85);
        QCOMPARE(plan->models[0].concurrency, 8);
        QCOMPARE(plan->models[1].simulate.faults.value(u"http_429"_s), 0.03);
        QCOMPARE(plan->models[1].retries.maxAttempts, 4);
        QCOMPARE(plan->benchmarks[0].dataset, u"builtin:multiple-choice"_s);
        QCOMPARE(plan->benchmarks[0].scorer.type, u"multiple_choice"_s);
        QCOMPARE(plan->benchmarks[1].scorer.type, u"exact_match"_s);
        QCOMPARE(plan->benchmarks[1].scorer.options.value(u"strip_punctuation"_s).toBool(), true);
    }

    void exampleUsesEveryKey()
    {
        PlanError error;
        const auto plan = PlanParser::parseFile(u":/plans/example.json"_s, &error);
        QVERIFY(plan);
        const ModelSpec& vllm = plan->models[0];
        QCOMPARE(vllm.apiKeyRef, u"env:VLLM_KEY"_s);
        QCOMPARE(vllm.baseUrl, u"http://127.0.0.1:8000/v1"_s);
        QCOMPARE(vllm.params.value(u"max_tokens"_s).toInt(), 256);
        QCOMPARE(vllm.circuitBreaker.failureThreshold, 20);
        QCOMPARE(plan->models[1].rateLimit.rpm, 50.0);
        QCOMPARE(plan->models[1].priceOutputPerMTok, 4.0);
        QCOMPARE(plan->models[3].simulate.stallMs, 120000);
        QCOMPARE(plan->benchmarks[1].repeats, 2);
        QCOMPARE(plan->benchmarks[1].limit, 20);
        QCOMPARE(plan->run.cacheTtlS, 1209600);
        QCOMPARE(plan->thresholds.size(), 4);
        QCOMPARE(plan->thresholds[3].model, u"sim"_s);
        QCOMPARE(plan->effectiveConcurrency(plan->models[3]), 16);
    }

    void relativeDatasetResolved()
    {
        const QByteArray json = "{"
                                "\n"
                                "  \"models\": [ { \"id\": \"m\", \"provider\": \"simulator\" } ],"
                                "\n"
                                "  \"benchmarks\": [ { \"id\": \"arith\", \"dataset\": \"data/arith.jsonl\", "
                                "\"fewshot\": { \"k\": 1, \"from\": \"data/shots.jsonl\" } } ]"
                                "\n"
                                "}";
        PlanError error;
        const auto plan = PlanParser::parse(json, dataDir(), &error);
        QVERIFY2(plan, qPrintable(error.toString()));
        const QString expected = QDir::cleanPath(QDir(dataDir()).absoluteFilePath(u"data/arith.jsonl"_s));
        QCOMPARE(plan->benchmarks[0].dataset, expected);
        QVERIFY(QDir::isAbsolutePath(plan->benchmarks[0].fewshot.from));
        QCOMPARE(plan->benchmarks[0].scorer.type, u"exact_match"_s);
        QCOMPARE(plan->models[0].model, u"m"_s); // a simulator's model defaults to its id
        // Round trip from another folder: the paths are absolute now.
        const auto again = PlanParser::parse(PlanParser::toJson(*plan), u"/"_s, &error);
        QVERIFY2(again, qPrintable(error.toString()));
        QCOMPARE(again->benchmarks[0].dataset, expected);
        QCOMPARE(PlanParser::toJson(*again), PlanParser::toJson(*plan));
    }

    void datasetAndTemplateKeys()
    {
        const QByteArray json
            = "{ \"seed\": 42,"
              "\n"
              "  \"models\": [ { \"id\": \"m\", \"provider\": \"simulator\" } ],"
              "\n"
              "  \"benchmarks\": ["
              " { \"id\": \"t\", \"dataset\": \"data/table.csv\", \"fields\": { \"choices\": [ \"a\", \"b\" ],"
              " \"metadata\": [ \"x\" ] }, \"template\": \"{{input|trim|upper}}\","
              " \"fewshot\": { \"k\": 1 } },"
              " { \"id\": \"m2\", \"dataset\": \"data/arith.jsonl\", \"format\": \"jsonl\","
              " \"messages\": [ { \"role\": \"system\", \"content\": \"Be brief.\" },"
              " { \"role\": \"user\", \"content\": \"{{input}}\" } ] },"
              " { \"id\": \"ar\", \"dataset\": \"builtin:arithmetic\" },"
              " { \"id\": \"js\", \"dataset\": \"builtin:json-output\" },"
              " { \"id\": \"lat\", \"dataset\": \"builtin:latency\" },"
              " { \"id\": \"mm\", \"dataset\": \"data/table.csv\", \"format\": \"mmlu_csv\" } ]"
              "\n"
              "}";
        PlanError error;
        const auto plan = PlanParser::parse(json, dataDir(), &error);
        QVERIFY2(plan, qPrintable(error.toString()));
        QCOMPARE(plan->benchmarks[0].fewshot.seed, quint64(42)); // examples are drawn with the run's seed
        QCOMPARE(plan->benchmarks[0].fields.value(u"choices"_s).toArray().size(), 2);
        QCOMPARE(plan->benchmarks[0].promptTemplate, u"{{input|trim|upper}}"_s);
        QCOMPARE(plan->benchmarks[1].messages.size(), 2);
        QCOMPARE(plan->benchmarks[1].messages[1].role, u"user"_s);
        QCOMPARE(plan->benchmarks[2].scorer.type, u"numeric"_s);
        QCOMPARE(plan->benchmarks[3].scorer.type, u"json"_s);
        QCOMPARE(plan->benchmarks[4].scorer.type, u"contains"_s);
        QCOMPARE(plan->benchmarks[5].format, u"mmlu_csv"_s);
        const QByteArray canonical = PlanParser::toJson(*plan);
        const auto again = PlanParser::parse(canonical, u"/"_s, &error);
        QVERIFY2(again, qPrintable(error.toString()));
        QCOMPARE(PlanParser::toJson(*again), canonical);
        QCOMPARE(again->benchmarks[1].messages[0].content, u"Be brief."_s);
        QCOMPARE(again->benchmarks[0].fewshot.seed, quint64(42));
        for (const QString& name :
            { u"multiple-choice"_s, u"short-answer"_s, u"arithmetic"_s, u"json-output"_s, u"latency"_s })
            QVERIFY2(PlanParser::builtinDatasetNames().contains(name), qPrintable(name));
    }

    void toJsonIsCanonical()
    {
        PlanError error;
        const auto plan = PlanParser::parseFile(u":/plans/example.json"_s, &error);
        QVERIFY(plan);
        const QByteArray json = PlanParser::toJson(*plan);
        QVERIFY(!json.contains('\n'));
        QVERIFY(json.startsWith("{\"benchmarks\":")); // keys sorted
        QVERIFY(json.contains("\"api_key\":\"env:VLLM_KEY\""));
    }

    void errorToString()
    {
        const PlanError e { u"models[1].provider"_s, 12, 5, u"unknown provider"_s };
        QCOMPARE(e.toString(u"plan.json"_s), u"plan.json:12:5: models[1].provider: unknown provider"_s);
        QCOMPARE(PlanError({}, 0, 0, u"cannot open"_s).toString(), u"cannot open"_s);
    }

    void missingFile()
    {
        PlanError error;
        QVERIFY(!PlanParser::parseFile(dataDir() + u"/nope.json"_s, &error));
        QVERIFY(error.message.contains(u"cannot open"_s));
    }

    void invalidPlans_data()
    {
        QTest::addColumn<QByteArray>("json");
        QTest::addColumn<QString>("field");
        QTest::addColumn<int>("line");
        QTest::addColumn<int>("column"); // 0 = not checked
        QTest::addColumn<QString>("message"); // a part of the message

        // Line 2 holds the models, line 3 the benchmarks, line 4 the rest.
        const auto plan = [](const char* models, const char* benchmarks, const char* rest = "") -> QByteArray {
            return "{\n  \"models\": [" + QByteArray(models) + "],\n  \"benchmarks\": [" + QByteArray(benchmarks) + "]"
                + QByteArray(rest) + "\n}\n";
        };
        const char* sim = "{ \"id\": \"m\", \"provider\": \"simulator\" }";
        const char* bench = "{ \"id\": \"b\", \"dataset\": \"builtin:short-answer\" }";

        QTest::addRow("syntax: missing comma")
            << QByteArray("{\n  \"models\": [ { \"id\": \"m\" \"provider\": \"simulator\" } ]\n}") << QString() << 2
            << 28 << u"invalid JSON"_s;
        QTest::addRow("syntax: unterminated string")
            << QByteArray("{\n  \"name\": \"x\",\n  \"seed\": 1,\n  \"models\": [ { \"id\": \"m } ]\n}\n") << QString()
            << 4 << 23 << u"invalid JSON"_s;
        QTest::addRow("syntax: empty") << QByteArray() << QString() << 1 << 1 << u"invalid JSON"_s;
        QTest::addRow("not an object") << QByteArray("[1, 2]") << QString() << 1 << 1 << u"JSON object"_s;
        QTest::addRow("seed is a string") << plan(sim, bench, ",\n  \"seed\": \"7\"") << u"seed"_s << 4 << 11
                                          << u"must be an integer, not a string"_s;
        QTest::addRow("concurrency is a string")
            << plan("{ \"id\": \"m\", \"provider\": \"simulator\", \"concurrency\": \"8\" }", bench)
            << u"models[0].concurrency"_s << 2 << 67 << u"must be an integer"_s;
        QTest::addRow("timeout not integral")
            << plan("{ \"id\": \"m\", \"provider\": \"simulator\", \"timeout_ms\": 1.5 }", bench)
            << u"models[0].timeout_ms"_s << 2 << 0 << u"must be an integer"_s;
        QTest::addRow("retries.max_attempts 0") << plan("{ \"id\": \"a\", \"provider\": \"simulator\" }, {"
                                                        "\n"
                                                        "      \"id\": \"m\", \"provider\": \"simulator\","
                                                        "\n"
                                                        "      \"retries\": { \"max_attempts\": 0 } }",
            bench) << u"models[1].retries.max_attempts"_s
                                                << 4 << 36 << u"must be >= 1"_s;
        QTest::addRow("unknown root key")
            << plan(sim, bench, ",\n  \"modles\": []") << u"modles"_s << 4 << 3 << u"did you mean \"models\""_s;
        QTest::addRow("unknown model key")
            << plan("{ \"id\": \"m\", \"provider\": \"simulator\", \"base_ulr\": \"http://x\" }", bench)
            << u"models[0].base_ulr"_s << 2 << 52 << u"did you mean \"base_url\""_s;
        QTest::addRow("camelCase retries key")
            << plan("{ \"id\": \"m\", \"provider\": \"simulator\", \"retries\": { \"maxAttempts\": 2 } }", bench)
            << u"models[0].retries.maxAttempts"_s << 2 << 0 << u"did you mean \"max_attempts\""_s;
        QTest::addRow("literal api key") << plan(
            "{ \"id\": \"m\", \"provider\": \"openai\", \"base_url\": \"https://api.example.com/v1\", \"model\": \"x\","
            "\n"
            "      \"api_key\": \"sk-live-abc123\" }",
            bench) << u"models[0].api_key"_s
                                         << 3 << 18 << u"API keys never go in plan files"_s;
        QTest::addRow("env reference without name")
            << plan("{ \"id\": \"m\", \"provider\": \"simulator\", \"api_key\": \"env:\" }", bench)
            << u"models[0].api_key"_s << 2 << 0 << u"env:NAME"_s;
        QTest::addRow("unknown provider") << plan("{ \"id\": \"m\", \"provider\": \"opneai\" }", bench)
                                          << u"models[0].provider"_s << 2 << 0 << u"did you mean \"openai\""_s;
        QTest::addRow("duplicate model id") << plan("{ \"id\": \"m\", \"provider\": \"simulator\" },"
                                                    "\n"
                                                    "    { \"id\": \"m\", \"provider\": \"simulator\" }",
            bench) << u"models[1].id"_s << 3 << 13
                                            << u"duplicate id \"m\" (also models[0])"_s;
        QTest::addRow("empty model id") << plan("{ \"id\": \" \", \"provider\": \"simulator\" }", bench)
                                        << u"models[0].id"_s << 2 << 0 << u"must not be empty"_s;
        QTest::addRow("duplicate benchmark id") << plan(sim,
            "{ \"id\": \"b\", \"dataset\": \"builtin:short-answer\" },"
            "\n"
            "    { \"id\": \"b\", \"dataset\": \"builtin:multiple-choice\" }")
                                                << u"benchmarks[1].id"_s << 4 << 13 << u"duplicate id \"b\""_s;
        QTest::addRow("missing dataset file")
            << plan(sim, "{ \"id\": \"b\", \"dataset\": \"data/missing.jsonl\" }") << u"benchmarks[0].dataset"_s << 3
            << 42 << u"file not found: "_s + QDir::cleanPath(QStringLiteral(EVS_TEST_DATA "/plan/data/missing.jsonl"));
        QTest::addRow("unknown builtin") << plan(sim, "{ \"id\": \"b\", \"dataset\": \"builtin:short-answr\" }")
                                         << u"benchmarks[0].dataset"_s << 3 << 0 << u"did you mean \"short-answer\""_s;
        QTest::addRow("dataset format unknown from extension")
            << plan(sim, "{ \"id\": \"b\", \"dataset\": \"data/arith.jsonl.txt\" }") << u"benchmarks[0].dataset"_s << 3
            << 0 << u"file not found"_s;
        QTest::addRow("unknown format") << plan(
            sim, "{ \"id\": \"b\", \"dataset\": \"data/arith.jsonl\", \"format\": \"csvv\" }")
                                        << u"benchmarks[0].format"_s << 3 << 0 << u"did you mean \"csv\""_s;
        QTest::addRow("format unknown from extension")
            << plan(sim, "{ \"id\": \"b\", \"dataset\": \"data/notes.txt\" }") << u"benchmarks[0].dataset"_s << 3 << 0
            << u"cannot tell the format"_s;
        QTest::addRow("unknown filter") << plan(
            sim, "{ \"id\": \"b\", \"dataset\": \"builtin:short-answer\", \"template\": \"{{input|uper}}\" }")
                                        << u"benchmarks[0].template"_s << 3 << 0 << u"did you mean \"upper\""_s;
        QTest::addRow("bad system placeholder")
            << plan(sim, "{ \"id\": \"b\", \"dataset\": \"builtin:short-answer\", \"system\": \"{{a b}}\" }")
            << u"benchmarks[0].system"_s << 3 << 0 << u"bad placeholder"_s;
        QTest::addRow("messages with template") << plan(sim,
            "{ \"id\": \"b\", \"dataset\": \"builtin:short-answer\", \"template\": \"{{input}}\", "
            "\"messages\": [ { \"role\": \"user\", \"content\": \"{{input}}\" } ] }")
                                                << u"benchmarks[0].template"_s << 3 << 0 << u"cannot be combined"_s;
        QTest::addRow("message role") << plan(sim,
            "{ \"id\": \"b\", \"dataset\": \"builtin:short-answer\", "
            "\"messages\": [ { \"role\": \"usr\", \"content\": \"{{input}}\" } ] }")
                                      << u"benchmarks[0].messages[0].role"_s << 3 << 0 << u"did you mean \"user\""_s;
        QTest::addRow("messages without user") << plan(sim,
            "{ \"id\": \"b\", \"dataset\": \"builtin:short-answer\", "
            "\"messages\": [ { \"role\": \"system\", \"content\": \"x\" } ] }")
                                               << u"benchmarks[0].messages"_s << 3 << 0 << u"role \"user\""_s;
        QTest::addRow("message content") << plan(sim,
            "{ \"id\": \"b\", \"dataset\": \"builtin:short-answer\", "
            "\"messages\": [ { \"role\": \"user\", \"content\": \"{{input\" } ] }")
                                         << u"benchmarks[0].messages[0].content"_s << 3 << 0 << u"unclosed"_s;
        QTest::addRow("message unknown key") << plan(sim,
            "{ \"id\": \"b\", \"dataset\": \"builtin:short-answer\", "
            "\"messages\": [ { \"role\": \"user\", \"text\": \"x\" } ] }")
                                             << u"benchmarks[0].messages[0].text"_s << 3 << 0 << u"unknown key"_s;
        QTest::addRow("choices key list") << plan(
            sim, "{ \"id\": \"b\", \"dataset\": \"builtin:short-answer\", \"fields\": { \"choices\": [ \"A\", 2 ] } }")
                                          << u"benchmarks[0].fields.choices[1]"_s << 3 << 0 << u"non-empty string"_s;
        QTest::addRow("input as a list") << plan(
            sim, "{ \"id\": \"b\", \"dataset\": \"builtin:short-answer\", \"fields\": { \"input\": [ \"q\" ] } }")
                                         << u"benchmarks[0].fields.input"_s << 3 << 0 << u"a string"_s;
        QTest::addRow("unknown scorer") << plan(
            sim, "{ \"id\": \"b\", \"dataset\": \"builtin:short-answer\", \"scorer\": { \"type\": \"exact\" } }")
                                        << u"benchmarks[0].scorer.type"_s << 3 << 0
                                        << u"did you mean \"exact_match\""_s;
        QTest::addRow("scorer option of the wrong type") << plan(sim,
            "{ \"id\": \"b\", \"dataset\": \"builtin:short-answer\", \"scorer\": { \"type\": \"exact_match\", "
            "\"case_sensitive\": \"yes\" } }") << u"benchmarks[0].scorer.case_sensitive"_s
                                                         << 3 << 0 << u"must be true or false"_s;
        QTest::addRow("unclosed placeholder")
            << plan(sim, "{ \"id\": \"b\", \"dataset\": \"builtin:short-answer\", \"template\": \"Q: {{input\" }")
            << u"benchmarks[0].template"_s << 3 << 0 << u"unclosed"_s;
        QTest::addRow("negative limit") << plan(
            sim, "{ \"id\": \"b\", \"dataset\": \"builtin:short-answer\", \"limit\": -1 }")
                                        << u"benchmarks[0].limit"_s << 3 << 0 << u"must be >= 0"_s;
        QTest::addRow("threshold op") << plan(
            sim, bench, ",\n  \"thresholds\": [ { \"metric\": \"score\", \"op\": \"=<\", \"value\": 0.5 } ]")
                                      << u"thresholds[0].op"_s << 4 << 46 << u"must be one of < <= > >="_s;
        QTest::addRow("threshold metric")
            << plan(sim, bench, ",\n  \"thresholds\": [ { \"metric\": \"latency_p95\", \"op\": \"<\", \"value\": 1 } ]")
            << u"thresholds[0].metric"_s << 4 << 0 << u"did you mean \"latency_p95_ms\""_s;
        QTest::addRow("threshold model unknown") << plan(sim, bench,
            ",\n  \"thresholds\": [ { \"metric\": \"score\", \"op\": \">\", \"value\": 0.5, \"model\": \"n\" } ]")
                                                 << u"thresholds[0].model"_s << 4 << 0 << u"no model with id \"n\""_s;
        QTest::addRow("threshold benchmark unknown") << plan(sim, bench,
            ",\n  \"thresholds\": [ { \"metric\": \"score\", \"op\": \">\", \"value\": 0.5, \"benchmark\": \"x\" } ]")
                                                     << u"thresholds[0].benchmark"_s << 4 << 0
                                                     << u"no benchmark with id \"x\""_s;
        QTest::addRow("error_rate as a percentage")
            << plan(sim, bench, ",\n  \"thresholds\": [ { \"metric\": \"error_rate\", \"op\": \"<\", \"value\": 5 } ]")
            << u"thresholds[0].value"_s << 4 << 0 << u"between 0 and 1"_s;
        QTest::addRow("load mode") << plan(sim, bench, ",\n  \"run\": { \"mode\": \"load\" }") << u"run.mode"_s << 4
                                   << 20 << u"not yet supported"_s;
        QTest::addRow("run concurrency 0") << plan(sim, bench, ",\n  \"run\": { \"concurrency\": 0 }")
                                           << u"run.concurrency"_s << 4 << 0 << u"must be >= 1"_s;
        QTest::addRow("openai without base_url")
            << plan("{ \"id\": \"m\", \"provider\": \"openai\", \"model\": \"gpt\" }", bench) << u"models[0].base_url"_s
            << 2 << 14 << u"required for provider \"openai\""_s;
        QTest::addRow("ollama without model")
            << plan("{ \"id\": \"m\", \"provider\": \"ollama\", \"base_url\": \"http://127.0.0.1:11434\" }", bench)
            << u"models[0].model"_s << 2 << 14 << u"required"_s;
        QTest::addRow("base_url not http") << plan(
            "{ \"id\": \"m\", \"provider\": \"openai\", \"model\": \"x\", \"base_url\": \"ftp://host/v1\" }", bench)
                                           << u"models[0].base_url"_s << 2 << 0 << u"http:// or https://"_s;
        QTest::addRow("accuracy above 1")
            << plan("{ \"id\": \"m\", \"provider\": \"simulator\", \"simulate\": { \"accuracy\": 1.5 } }", bench)
            << u"models[0].simulate.accuracy"_s << 2 << 0 << u"between 0 and 1"_s;
        QTest::addRow("faults add up past 1") << plan("{ \"id\": \"m\", \"provider\": \"simulator\", \"simulate\": { "
                                                      "\"faults\": { \"http_429\": 0.7, \"reset\": 0.5 } } }",
            bench) << u"models[0].simulate.faults"_s
                                              << 2 << 0 << u"more than 1"_s;
        QTest::addRow("unknown fault") << plan(
            "{ \"id\": \"m\", \"provider\": \"simulator\", \"simulate\": { \"faults\": { \"http_500\": 0.1 } } }",
            bench) << u"models[0].simulate.faults.http_500"_s
                                       << 2 << 0 << u"did you mean \"http_5xx\""_s;
        QTest::addRow("simulate on a real provider") << plan("{ \"id\": \"m\", \"provider\": \"openai\", \"model\": "
                                                             "\"x\", \"base_url\": \"http://h/v1\", \"simulate\": {} }",
            bench) << u"models[0].simulate"_s << 2 << 0
                                                     << u"only for provider \"simulator\""_s;
        QTest::addRow("no models") << plan("", bench) << u"models"_s << 2 << 13 << u"at least one model"_s;
        QTest::addRow("no benchmarks key")
            << QByteArray("{\n  \"models\": [ { \"id\": \"m\", \"provider\": \"simulator\" } ]\n}") << u"benchmarks"_s
            << 1 << 1 << u"required"_s;
        QTest::addRow("duplicate key") << plan("{ \"id\": \"m\", \"provider\": \"simulator\", \"id\": \"n\" }", bench)
                                       << u"models[0].id"_s << 2 << 0 << u"duplicate key"_s;
        QTest::addRow("model not an object") << plan("\"m\"", bench) << u"models[0]"_s << 2 << 0 << u"an object"_s;
    }

    void invalidPlans()
    {
        QFETCH(QByteArray, json);
        QFETCH(QString, field);
        QFETCH(int, line);
        QFETCH(int, column);
        QFETCH(QString, message);
        PlanError error;
        const auto plan = PlanParser::parse(json, dataDir(), &error);
        QVERIFY2(!plan, json.constData());
        QVERIFY2(error.message.contains(message), qPrintable(error.toString()));
        QCOMPARE(error.field, field);
        QCOMPARE(error.line, line);
        if (column > 0)
            QCOMPARE(error.column, column);
        QVERIFY(!error.toString().contains(u"sk-live"_s)); // never echo a key
    }
};

} // namespace evs

QTEST_GUILESS_MAIN(evs::TestPlan)
#include "tst_plan.moc"
