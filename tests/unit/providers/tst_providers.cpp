#include "app/providers/provider.h"
#include "app/providers/responseparser.h"
#include "app/providers/ssesplitter.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRandomGenerator>
#include <QSslConfiguration>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace evs;

namespace {

constexpr qint64 kNowNs = 1000;

QString fixturePath(const QString& name)
{
    return QStringLiteral(EVS_TEST_DATA "/streams/") + name;
}

QJsonObject parseJsonObject(const QByteArray& json)
{
    QJsonParseError error;
    const QJsonDocument doc = QJsonDocument::fromJson(json, &error);
    if (error.error != QJsonParseError::NoError)
        qFatal("bad expectation JSON in the test: %s: %s", qPrintable(error.errorString()), json.constData());
    return doc.object();
}

// Everything a parse produced, as JSON, so that expectations can be written compactly and compared as a whole.
QJsonObject describe(const ParsedResponse& r)
{
    QJsonArray tools;
    for (const ToolCall& call : r.toolCalls)
        tools.append(QJsonArray { call.index, call.id, call.name, call.arguments });
    return QJsonObject {
        { u"content"_s, r.content },
        { u"reasoning"_s, r.reasoning },
        { u"signature"_s, r.reasoningSignature },
        { u"tools"_s, tools },
        { u"finish"_s, r.finishReason },
        { u"in"_s, r.inputTokens },
        { u"out"_s, r.outputTokens },
        { u"usage"_s, r.usageReported },
        { u"done"_s, r.done },
        { u"error"_s, r.error },
        { u"errorType"_s, r.errorType },
        { u"errorCode"_s, r.errorCode },
        { u"errorMessage"_s, r.errorMessage },
        { u"malformed"_s, r.malformed },
        { u"tokenEvents"_s, r.tokenEvents },
        { u"firstTokenNs"_s, r.firstTokenNs },
        { u"firstContentNs"_s, r.firstContentNs },
        { u"lastTokenNs"_s, r.lastTokenNs },
        { u"maxGapNs"_s, r.maxGapNs },
        { u"sumGapNs"_s, r.sumGapNs },
    };
}

QString toText(const QJsonValue& value)
{
    return QString::fromUtf8(QJsonDocument(QJsonArray { value }).toJson(QJsonDocument::Compact));
}

// Mismatches between expected keys and the actual description; "errorMessagePrefix" checks a prefix.
QString mismatches(const QJsonObject& actual, const QJsonObject& expected)
{
    QStringList out;
    for (auto it = expected.begin(); it != expected.end(); ++it) {
        if (it.key() == "errorMessagePrefix"_L1) {
            if (!actual.value("errorMessage"_L1).toString().startsWith(it.value().toString()))
                out.append(u"errorMessage: %1 does not start with %2"_s.arg(
                    toText(actual.value("errorMessage"_L1)), toText(it.value())));
            continue;
        }
        if (!actual.contains(it.key()))
            out.append(u"unknown key %1 in the expectation"_s.arg(it.key()));
        else if (actual.value(it.key()) != it.value())
            out.append(
                u"%1: actual %2, expected %3"_s.arg(it.key(), toText(actual.value(it.key())), toText(it.value())));
    }
    return out.join(u"; "_s);
}

// Unless an expectation says otherwise, a parse has no error, nothing malformed and no text.
QJsonObject withDefaults(QJsonObject expected)
{
    const QJsonObject defaults { { u"error"_s, false }, { u"malformed"_s, false }, { u"content"_s, QString() },
        { u"reasoning"_s, QString() }, { u"tools"_s, QJsonArray() } };
    for (auto it = defaults.begin(); it != defaults.end(); ++it) {
        if (!expected.contains(it.key()))
            expected.insert(it.key(), it.value());
    }
    return expected;
}

ParsedResponse parseChunks(const QString& providerName, bool stream, const QList<QByteArrayView>& chunks,
    qint64 finishNs = kNowNs, QList<ProviderEvent>* events = nullptr)
{
    const auto provider = Provider::create(providerName);
    if (!provider)
        qFatal("no provider %s", qPrintable(providerName));
    auto parser = provider->createParser(stream);
    if (events)
        parser->setEventSink([events](const ProviderEvent& e) { events->append(e); });
    for (QByteArrayView chunk : chunks)
        parser->feed(chunk, kNowNs);
    parser->finish(finishNs);
    return parser->result();
}

ParsedResponse parseWhole(const QString& providerName, bool stream, QByteArrayView body)
{
    return parseChunks(providerName, stream, { body });
}

// Feeds events one by one, at 1000 ns, 2000 ns, ... (an event's bytes end at its separator).
ParsedResponse parseTimed(const QString& providerName, bool stream, const QByteArray& body, QByteArrayView separator)
{
    const auto provider = Provider::create(providerName);
    auto parser = provider->createParser(stream);
    qint64 nowNs = 0;
    qsizetype from = 0;
    while (from < body.size()) {
        qsizetype end = body.indexOf(separator, from);
        end = end < 0 ? body.size() : end + separator.size();
        nowNs += 1000;
        parser->feed(QByteArrayView(body).sliced(from, end - from), nowNs);
        from = end;
    }
    parser->finish(nowNs + 1000);
    return parser->result();
}

// Every split into two feeds, and byte-by-byte feeding, give the result of one feed.
void verifyEverySplit(const QString& provider, bool stream, const QByteArray& body)
{
    const QJsonObject whole = describe(parseWhole(provider, stream, body));
    for (qsizetype k = 0; k <= body.size(); ++k) {
        const QByteArrayView all(body);
        const QJsonObject split = describe(parseChunks(provider, stream, { all.first(k), all.sliced(k) }));
        const QString diff = mismatches(split, whole);
        QVERIFY2(diff.isEmpty(), qPrintable(u"split at byte %1: %2"_s.arg(k).arg(diff)));
    }
    QList<QByteArrayView> bytes;
    for (qsizetype i = 0; i < body.size(); ++i)
        bytes.append(QByteArrayView(body).sliced(i, 1));
    const QString diff = mismatches(describe(parseChunks(provider, stream, bytes)), whole);
    QVERIFY2(diff.isEmpty(), qPrintable(u"byte by byte: "_s + diff));
}

QByteArray readFixture(const QString& name)
{
    QFile file(fixturePath(name));
    if (!file.open(QIODevice::ReadOnly))
        return {};
    return file.readAll();
}

ModelSpec makeModel(const QString& provider, const QString& baseUrl, bool stream, const QByteArray& paramsJson = {})
{
    ModelSpec model;
    model.id = u"m1"_s;
    model.provider = provider;
    model.baseUrl = baseUrl;
    model.model = u"model-x"_s;
    model.stream = stream;
    if (!paramsJson.isEmpty())
        model.params = parseJsonObject(paramsJson);
    return model;
}

PromptRequest makePrompt(const QString& promptText = {})
{
    PromptRequest prompt;
    prompt.messages = { ChatMessage { u"system"_s, u"Be brief."_s }, ChatMessage { u"user"_s, u"2+2?"_s } };
    prompt.prompt = promptText;
    prompt.expected = u"B"_s;
    prompt.choices = { u"A"_s, u"B"_s };
    prompt.sampleKey = u"arith/7#0"_s;
    return prompt;
}

} // namespace

class TestProviders : public QObject {
    Q_OBJECT

private slots:
    void fixtures_data();
    void fixtures();
    void everyFixtureCovered();
    void fixtureSplits_data() { fixtures_data(); }
    void fixtureSplits();

    void compactCases_data();
    void compactCases();
    void compactCaseSplits_data() { compactCases_data(); }
    void compactCaseSplits();

    void sseSplitter_data();
    void sseSplitter();
    void damagedInputIsSafe();

    void timestamps_data();
    void timestamps();
    void wholeBodyTimestamps();
    void eventSink();

    void errorBodies_data();
    void errorBodies();

    void buildRequest_data();
    void buildRequest();
    void transportAttributes_data();
    void transportAttributes();
    void modelsUrl_data();
    void modelsUrl();
    void createByName();
};

// ---- 1. the wire-format samples in tests/data/streams, parsed to what their README lists ----

void TestProviders::fixtures_data()
{
    QTest::addColumn<QString>("file");
    QTest::addColumn<QString>("provider");
    QTest::addColumn<bool>("stream");
    QTest::addColumn<QByteArray>("expected");

    QTest::addRow("1 openai basic") << u"openai_chat_stream_basic.sse"_s << u"openai"_s << true
                                    << QByteArray(R"({"content":"The answer is B.","finish":"stop","in":-1,"out":-1,
                                          "usage":false,"done":true,"tokenEvents":5})");
    QTest::addRow("2 openai include_usage")
        << u"openai_chat_stream_include_usage.sse"_s << u"openai"_s << true
        << QByteArray(R"({"content":"The answer is B.","finish":"stop","in":19,"out":5,"usage":true,"done":true})");
    QTest::addRow("3 openai tool calls")
        << u"openai_chat_stream_tool_calls.sse"_s << u"openai"_s << true
        << QByteArray(R"({"finish":"tool_calls","in":82,"out":46,"usage":true,"done":true,"tools":[
               [0,"call_G019DJKw43QnqOp5LlwocowF","get_weather","{\"city\": \"Paris\"}"],
               [1,"call_ZdgkoNMgcwKk8k3lpFzJE27R","get_weather","{\"city\": \"Tokyo\"}"]]})");
    QTest::addRow("4 openai legacy completions")
        << u"openai_completions_stream_legacy.sse"_s << u"openai-completions"_s << true
        << QByteArray(R"({"content":"The answer is B.","finish":"length","in":8,"out":5,"done":true})");
    QTest::addRow("5a openai error midstream")
        << u"openai_chat_stream_error_midstream.sse"_s << u"openai"_s << true
        << QByteArray(R"({"content":"The answer","finish":"","error":true,"errorType":"server_error","errorCode":"",
               "errorMessage":"The server had an error while processing your request. Sorry about that!",
               "done":true})");
    QTest::addRow("5b openai 429 rate limit")
        << u"openai_error_429_rate_limit.json"_s << u"openai"_s << false
        << QByteArray(R"({"error":true,"errorType":"requests","errorCode":"rate_limit_exceeded",
               "errorMessagePrefix":"Rate limit reached for gpt-4o-mini"})");
    QTest::addRow("5c openai 429 insufficient quota")
        << u"openai_error_429_insufficient_quota.json"_s << u"openai"_s << false
        << QByteArray(R"({"error":true,"errorType":"insufficient_quota","errorCode":"insufficient_quota",
               "errorMessagePrefix":"You exceeded your current quota"})");
    QTest::addRow("5d openai 400 invalid request")
        << u"openai_error_400_invalid_request.json"_s << u"openai"_s << false
        << QByteArray(R"({"error":true,"errorType":"invalid_request_error","errorCode":"unsupported_parameter",
               "errorMessagePrefix":"Unsupported parameter: 'max_tokens'"})");
    QTest::addRow("6a vllm reasoning_content")
        << u"vllm_chat_stream_reasoning_content.sse"_s << u"openai"_s << true
        << QByteArray(R"({"reasoning":"Only B fits.","content":"\n\nThe answer is B.","finish":"stop","in":21,
               "out":12,"done":true,"tokenEvents":9})");
    QTest::addRow("6b vllm reasoning") << u"vllm_chat_stream_reasoning.sse"_s << u"openai"_s << true
                                       << QByteArray(R"({"reasoning":"Only B fits.","content":"\n\nThe answer is B.",
                                             "finish":"stop","in":21,"out":12,"done":true,"tokenEvents":9})");
    QTest::addRow("7a llama.cpp") << u"llamacpp_chat_stream.sse"_s << u"openai"_s << true
                                  << QByteArray(R"({"content":"The answer is B.","finish":"stop","in":-1,"out":-1,
                                        "usage":false,"done":true})");
    QTest::addRow("7b llama.cpp usage reasoning")
        << u"llamacpp_chat_stream_usage_reasoning.sse"_s << u"openai"_s << true
        << QByteArray(R"({"reasoning":"Only B fits.","content":"The answer is B.","finish":"stop","in":17,"out":13,
               "done":true})");
    QTest::addRow("8a anthropic text")
        << u"anthropic_messages_stream_text.sse"_s << u"anthropic"_s << true
        << QByteArray(R"({"content":"The answer is B.","finish":"end_turn","in":18,"out":8,"usage":true,"done":true})");
    QTest::addRow("8b anthropic thinking")
        << u"anthropic_messages_stream_thinking.sse"_s << u"anthropic"_s << true
        << QByteArray(R"({"reasoning":"Check each option against the constraint. A fails, C fails, B passes.",
               "signature":"EqqJxeCx+6o33Y4j8P/Ea76gYLf0zGr2F8IEa6cvKChJmo8kXmuVAj4XtTPm3G8psSMqnlDllUdpTZh/LilGtXPMCi6s+cscplGl+2/WYacRjIfdigiZATZbKd23ldAukuRTKBmWpxBIyOrxrl7bTkXVSDan+PoTAZYDmDTSYJxV5WdbvXZ0oijtOuMgPVobGviFcUib2DYiFQAYhG2VN1I/6rbZU2S+9s1lQrgLhO8XkuvD",
               "content":"The answer is B.","finish":"end_turn","in":46,"out":41,"done":true,"tokenEvents":6})");
    QTest::addRow("8c anthropic error event")
        << u"anthropic_messages_stream_error_overloaded.sse"_s << u"anthropic"_s << true
        << QByteArray(R"({"content":"The answer","finish":"","in":18,"out":-1,"usage":false,"error":true,
               "errorType":"overloaded_error","errorMessage":"Overloaded","done":false})");
    QTest::addRow("9a anthropic whole")
        << u"anthropic_messages_response.json"_s << u"anthropic"_s << false
        << QByteArray(
               R"({"content":"The answer is B.","finish":"end_turn","in":18,"out":8,"done":true,"tokenEvents":1})");
    QTest::addRow("9b anthropic 529") << u"anthropic_error_529_overloaded.json"_s << u"anthropic"_s << false
                                      << QByteArray(R"({"error":true,"errorType":"overloaded_error",
                                            "errorMessage":"Overloaded"})");
    QTest::addRow("10a ollama chat")
        << u"ollama_chat_stream.ndjson"_s << u"ollama"_s << true
        << QByteArray(R"({"content":"The answer is B.","finish":"stop","in":31,"out":5,"done":true,"tokenEvents":5})");
    QTest::addRow("10b ollama generate")
        << u"ollama_generate_stream.ndjson"_s << u"ollama"_s << true
        << QByteArray(R"({"content":"B > A, so the answer is B.","finish":"stop","in":26,"out":9,"done":true})");
    QTest::addRow("10c ollama error") << u"ollama_chat_stream_error.ndjson"_s << u"ollama"_s << true
                                      << QByteArray(R"({"content":"The answer","error":true,
               "errorMessage":"an error was encountered while running the model","done":false,"finish":""})");
    QTest::addRow("11 openai whole")
        << u"openai_chat_completion.json"_s << u"openai"_s << false
        << QByteArray(R"({"content":"The answer is B.","finish":"stop","in":19,"out":5,"done":true})");
}

void TestProviders::fixtures()
{
    QFETCH(QString, file);
    QFETCH(QString, provider);
    QFETCH(bool, stream);
    QFETCH(QByteArray, expected);
    const QByteArray body = readFixture(file);
    if (body.isEmpty())
        QFAIL(qPrintable(u"fixture missing or empty: "_s + fixturePath(file)));
    const QString diff
        = mismatches(describe(parseWhole(provider, stream, body)), withDefaults(parseJsonObject(expected)));
    QVERIFY2(diff.isEmpty(), qPrintable(diff));
}

void TestProviders::everyFixtureCovered()
{
    const QDir dir(QStringLiteral(EVS_TEST_DATA "/streams"));
    if (!dir.exists())
        QFAIL(qPrintable(u"fixture folder missing: "_s + dir.path()));
    QStringList covered;
    // The file names of fixtures_data(), without running it under QTest.
    for (const char* name : { "openai_chat_stream_basic.sse", "openai_chat_stream_include_usage.sse",
             "openai_chat_stream_tool_calls.sse", "openai_completions_stream_legacy.sse",
             "openai_chat_stream_error_midstream.sse", "openai_error_429_rate_limit.json",
             "openai_error_429_insufficient_quota.json", "openai_error_400_invalid_request.json",
             "vllm_chat_stream_reasoning_content.sse", "vllm_chat_stream_reasoning.sse", "llamacpp_chat_stream.sse",
             "llamacpp_chat_stream_usage_reasoning.sse", "anthropic_messages_stream_text.sse",
             "anthropic_messages_stream_thinking.sse", "anthropic_messages_stream_error_overloaded.sse",
             "anthropic_messages_response.json", "anthropic_error_529_overloaded.json", "ollama_chat_stream.ndjson",
             "ollama_generate_stream.ndjson", "ollama_chat_stream_error.ndjson", "openai_chat_completion.json" })
        covered.append(QString::fromLatin1(name));
    const QStringList files = dir.entryList(QDir::Files);
    for (const QString& file : files) {
        if (file != "README.md"_L1)
            QVERIFY2(covered.contains(file), qPrintable(u"fixture without a test: "_s + file));
    }
    for (const QString& file : covered)
        QVERIFY2(files.contains(file), qPrintable(u"fixture missing: "_s + file));
}

// ---- 2. any split gives the same result ----

void TestProviders::fixtureSplits()
{
    QFETCH(QString, file);
    QFETCH(QString, provider);
    QFETCH(bool, stream);
    const QByteArray body = readFixture(file);
    if (body.isEmpty())
        QFAIL(qPrintable(u"fixture missing or empty: "_s + fixturePath(file)));
    verifyEverySplit(provider, stream, body);
}

// ---- 3. compact cases for what the fixtures do not cover ----

void TestProviders::compactCases_data()
{
    QTest::addColumn<QString>("provider");
    QTest::addColumn<bool>("stream");
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<QByteArray>("expected");

    const QByteArray hi = R"({"choices":[{"index":0,"delta":{"content":"Hi"}}]})";
    const QByteArray stop = R"({"choices":[{"index":0,"delta":{},"finish_reason":"stop"}]})";

    QTest::addRow("crlf") << u"openai"_s << true
                          << "data: " + hi + "\r\n\r\ndata: " + stop + "\r\n\r\ndata: [DONE]\r\n\r\n"
                          << QByteArray(R"({"content":"Hi","finish":"stop","done":true,"tokenEvents":1})");
    QTest::addRow("lone cr") << u"openai"_s << true << "data: " + hi + "\r\rdata: " + stop + "\r\rdata: [DONE]\r\r"
                             << QByteArray(R"({"content":"Hi","finish":"stop","done":true})");
    QTest::addRow("comments") << u"openai"_s << true << ": keep-alive\n\n: " + hi + "\ndata: " + hi + "\n\n"
                              << QByteArray(R"({"content":"Hi","tokenEvents":1,"done":false})");
    QTest::addRow("multi-line data")
        << u"openai"_s << true
        << QByteArray("data: {\"choices\":[{\"index\":0,\ndata: \"delta\":{\"content\":\"Hi\"}}]}\n\n")
        << QByteArray(R"({"content":"Hi"})");
    QTest::addRow("data without space") << u"openai"_s << true << "data:" + hi + "\n\ndata:[DONE]\n\n"
                                        << QByteArray(R"({"content":"Hi","done":true})");
    QTest::addRow("no [DONE]") << u"openai"_s << true << "data: " + hi + "\n\ndata: " + stop + "\n\n"
                               << QByteArray(R"({"content":"Hi","finish":"stop","done":false})");
    QTest::addRow("last event without blank line")
        << u"openai"_s << true << "data: " + stop.left(0) + hi << QByteArray(R"({"content":"Hi"})");
    QTest::addRow("keep-alive empty data") << u"openai"_s << true << "data:\n\ndata: " + hi + "\n\n"
                                           << QByteArray(R"({"content":"Hi","tokenEvents":1})");
    QTest::addRow("error in 200 stream, integer code, no [DONE]")
        << u"openai"_s << true
        << "data: " + hi + "\n\ndata: {\"error\":{\"code\":500,\"message\":\"boom\",\"type\":\"server_error\"}}\n\n"
        << QByteArray(R"({"content":"Hi","error":true,"errorType":"server_error","errorCode":"500",
               "errorMessage":"boom","done":false})");
    QTest::addRow("tgi error string")
        << u"openai"_s << true << QByteArray("data: {\"error\":\"Input too long\",\"error_type\":\"validation\"}\n\n")
        << QByteArray(R"({"error":true,"errorType":"validation","errorMessage":"Input too long"})");
    QTest::addRow("older vllm bare error object")
        << u"openai"_s << true
        << QByteArray("data: {\"object\":\"error\",\"message\":\"oops\",\"type\":\"BadRequestError\","
                      "\"param\":null,\"code\":400}\n\n")
        << QByteArray(R"({"error":true,"errorType":"BadRequestError","errorCode":"400","errorMessage":"oops"})");
    QTest::addRow("event: error with openai payload")
        << u"openai"_s << true << QByteArray("event: error\ndata: {\"message\":\"bad\",\"type\":\"t\"}\n\n")
        << QByteArray(R"({"error":true,"errorType":"t","errorMessage":"bad"})");
    QTest::addRow("usage on last chunk only") << u"openai"_s << true
                                              << "data: " + hi + "\n\ndata: " + stop
            + "\n\ndata: {\"choices\":[],\"usage\":{\"prompt_tokens\":3,\"completion_tokens\":1}}\n\n"
                                              << QByteArray(R"({"content":"Hi","in":3,"out":1,"usage":true})");
    QTest::addRow("usage null everywhere")
        << u"openai"_s << true
        << QByteArray("data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Hi\"}}],"
                      "\"usage\":null}\n\n")
        << QByteArray(R"({"content":"Hi","in":-1,"out":-1,"usage":false})");
    QTest::addRow("malformed event, later events still parsed")
        << u"openai"_s << true << "data: {\"choices\":[\n\ndata: " + hi + "\n\n"
        << QByteArray(R"({"content":"Hi","malformed":true,"errorMessagePrefix":"malformed JSON in SSE event 1: "})");
    QTest::addRow("second choice ignored")
        << u"openai"_s << true
        << QByteArray("data: {\"choices\":[{\"index\":1,\"delta\":{\"content\":\"No\"}},"
                      "{\"index\":0,\"delta\":{\"content\":\"Hi\"}}]}\n\n")
        << QByteArray(R"({"content":"Hi"})");
    QTest::addRow("tool call in the role chunk")
        << u"openai"_s << true
        << QByteArray("data: {\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":null,"
                      "\"tool_calls\":[{\"index\":0,\"id\":\"call_1\",\"type\":\"function\",\"function\":{\"name\":"
                      "\"f\",\"arguments\":\"\"}}],\"refusal\":null}}]}\n\ndata: {\"choices\":[{\"index\":0,"
                      "\"delta\":{\"tool_calls\":[{\"index\":0,\"function\":{\"arguments\":\"{}\"}}]}}]}\n\n")
        << QByteArray(R"({"tools":[[0,"call_1","f","{}"]],"tokenEvents":2})");
    QTest::addRow("json body to a stream request")
        << u"openai"_s << true
        << QByteArray("{\"choices\":[{\"index\":0,\"message\":{\"content\":\"Hi\"},\"finish_reason\":\"stop\"}]}")
        << QByteArray(R"({"content":"Hi","finish":"stop","done":true})");
    QTest::addRow("error body to a stream request")
        << u"openai"_s << true
        << QByteArray("{\n  \"error\": {\n    \"message\": \"nope\",\n    \"type\": \"x\"\n  }\n}\n")
        << QByteArray(R"({"error":true,"errorMessage":"nope","errorType":"x"})");
    QTest::addRow("plain text to a stream request")
        << u"openai"_s << true << QByteArray("Internal Server Error\n")
        << QByteArray(R"({"malformed":true,"errorMessage":"response body is neither server-sent events nor JSON"})");
    QTest::addRow("sse body to a whole request") << u"openai"_s << false << "data: " + hi + "\n\ndata: [DONE]\n\n"
                                                 << QByteArray(R"({"content":"Hi","done":true})");
    QTest::addRow("whole with reasoning and tool calls")
        << u"openai"_s << false << QByteArray(R"({"choices":[{"index":0,"message":{"role":"assistant","content":null,
               "reasoning_content":"think","tool_calls":[{"id":"c1","type":"function",
               "function":{"name":"f","arguments":"{\"a\":1}"}}]},"finish_reason":"tool_calls"}],
               "usage":{"prompt_tokens":4,"completion_tokens":2}})")
        << QByteArray(R"({"reasoning":"think","tools":[[0,"c1","f","{\"a\":1}"]],"finish":"tool_calls","in":4,
               "out":2,"done":true})");
    QTest::addRow("completions whole") << u"openai-completions"_s << false
                                       << QByteArray(
                                              R"({"choices":[{"text":"Hi","index":0,"finish_reason":"length"}]})")
                                       << QByteArray(R"({"content":"Hi","finish":"length","done":true})");
    QTest::addRow("empty whole body") << u"openai"_s << false << QByteArray()
                                      << QByteArray(R"({"malformed":true,"errorMessage":"empty response body"})");
    QTest::addRow("truncated whole body")
        << u"openai"_s << false << QByteArray("{\"choices\":[")
        << QByteArray(R"({"malformed":true,"errorMessagePrefix":"malformed JSON body"})");

    QTest::addRow("anthropic tool use")
        << u"anthropic"_s << true
        << QByteArray(
               "event: content_block_start\ndata: {\"type\":\"content_block_start\",\"index\":1,\"content_block\":"
               "{\"type\":\"tool_use\",\"id\":\"toolu_1\",\"name\":\"get_weather\",\"input\":{}}}\n\n"
               "event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":1,\"delta\":"
               "{\"type\":\"input_json_delta\",\"partial_json\":\"\"}}\n\n"
               "event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":1,\"delta\":"
               "{\"type\":\"input_json_delta\",\"partial_json\":\"{\\\"city\\\":\"}}\n\n"
               "event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":1,\"delta\":"
               "{\"type\":\"input_json_delta\",\"partial_json\":\"\\\"Paris\\\"}\"}}\n\n"
               "event: message_delta\ndata: {\"type\":\"message_delta\",\"delta\":{\"stop_reason\":"
               "\"tool_use\"},\"usage\":{\"output_tokens\":12}}\n\n")
        << QByteArray(R"({"tools":[[1,"toolu_1","get_weather","{\"city\":\"Paris\"}"]],"finish":"tool_use",
               "out":12,"tokenEvents":3})");
    QTest::addRow("anthropic cumulative output tokens")
        << u"anthropic"_s << true
        << QByteArray("event: message_delta\ndata: {\"type\":\"message_delta\",\"delta\":{},\"usage\":"
                      "{\"output_tokens\":3}}\n\nevent: message_delta\ndata: {\"type\":\"message_delta\",\"delta\":"
                      "{\"stop_reason\":\"max_tokens\"},\"usage\":{\"output_tokens\":8}}\n\n")
        << QByteArray(R"({"out":8,"finish":"max_tokens"})");
    QTest::addRow("anthropic unknown event ignored")
        << u"anthropic"_s << true
        << QByteArray("event: future_thing\ndata: {\"type\":\"future_thing\",\"x\":1}\n\nevent: message_stop\n"
                      "data: {\"type\":\"message_stop\"}\n\n")
        << QByteArray(R"({"done":true})");
    QTest::addRow("anthropic whole with thinking and tool use")
        << u"anthropic"_s << false
        << QByteArray(R"({"type":"message","content":[{"type":"thinking","thinking":"hmm","signature":"sig"},
               {"type":"text","text":"Hi"},{"type":"tool_use","id":"t1","name":"f","input":{"a":1}}],
               "stop_reason":"tool_use","usage":{"input_tokens":5,"output_tokens":7}})")
        << QByteArray(R"({"reasoning":"hmm","signature":"sig","content":"Hi","tools":[[2,"t1","f","{\"a\":1}"]],
               "finish":"tool_use","in":5,"out":7,"done":true,"tokenEvents":1})");

    QTest::addRow("ollama prompt_eval_count omitted")
        << u"ollama"_s << true
        << QByteArray("{\"message\":{\"role\":\"assistant\",\"content\":\"Hi\"},\"done\":false}\n"
                      "{\"message\":{\"role\":\"assistant\",\"content\":\"\"},\"done\":true,\"done_reason\":\"stop\","
                      "\"eval_count\":3}\n")
        << QByteArray(R"({"content":"Hi","in":-1,"out":3,"usage":true,"done":true,"finish":"stop"})");
    QTest::addRow("ollama old key order, crlf, no final newline")
        << u"ollama"_s << true
        << QByteArray("{\"message\":{\"content\":\"Hi\"},\"done\":false}\r\n"
                      "{\"message\":{\"content\":\"\"},\"done_reason\":\"length\",\"done\":true,"
                      "\"prompt_eval_count\":2,\"eval_count\":1}")
        << QByteArray(R"({"content":"Hi","in":2,"out":1,"done":true,"finish":"length"})");
    QTest::addRow("ollama thinking") << u"ollama"_s << true
                                     << QByteArray("{\"message\":{\"role\":\"assistant\",\"content\":\"\",\"thinking\":"
                                                   "\"hmm\"},\"done\":false}\n{\"message\":{\"content\":\"Hi\"},"
                                                   "\"done\":false}\n")
                                     << QByteArray(R"({"reasoning":"hmm","content":"Hi","tokenEvents":2})");
    QTest::addRow("ollama tool calls")
        << u"ollama"_s << true
        << QByteArray("{\"message\":{\"role\":\"assistant\",\"content\":\"\",\"tool_calls\":[{\"function\":{\"name\":"
                      "\"f\",\"arguments\":{\"a\":1}}}]},\"done\":false}\n")
        << QByteArray(R"({"tools":[[0,"","f","{\"a\":1}"]]})");
    QTest::addRow("ollama malformed line")
        << u"ollama"_s << true << QByteArray("{bad\n{\"response\":\"Hi\",\"done\":false}\n")
        << QByteArray(R"({"content":"Hi","malformed":true,"errorMessagePrefix":"malformed JSON in NDJSON line 1: "})");
    QTest::addRow("ollama whole")
        << u"ollama"_s << false << QByteArray(R"({"model":"m","message":{"role":"assistant","content":"Hi"},"done":true,
               "done_reason":"stop","prompt_eval_count":4,"eval_count":2})")
        << QByteArray(R"({"content":"Hi","finish":"stop","in":4,"out":2,"done":true,"tokenEvents":1})");
    QTest::addRow("ollama ndjson to a whole request")
        << u"ollama"_s << false
        << QByteArray("{\"response\":\"H\",\"done\":false}\n{\"response\":\"i\",\"done\":true,\"eval_count\":2}\n")
        << QByteArray(R"({"content":"Hi","out":2,"done":true})");
}

void TestProviders::compactCases()
{
    QFETCH(QString, provider);
    QFETCH(bool, stream);
    QFETCH(QByteArray, body);
    QFETCH(QByteArray, expected);
    const QString diff
        = mismatches(describe(parseWhole(provider, stream, body)), withDefaults(parseJsonObject(expected)));
    QVERIFY2(diff.isEmpty(), qPrintable(diff));
}

void TestProviders::compactCaseSplits()
{
    QFETCH(QString, provider);
    QFETCH(bool, stream);
    QFETCH(QByteArray, body);
    verifyEverySplit(provider, stream, body);
}

void TestProviders::sseSplitter_data()
{
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<QStringList>("events"); // "name|data"

    QTest::addRow("multi-line data joined with LF") << QByteArray("data: a\ndata: b\n\n") << QStringList { u"|a\nb"_s };
    QTest::addRow("event names reset after dispatch")
        << QByteArray("event: x\ndata: 1\n\ndata: 2\n\n") << QStringList { u"x|1"_s, u"|2"_s };
    QTest::addRow("only one leading space stripped") << QByteArray("data:  two\n\n") << QStringList { u"| two"_s };
    QTest::addRow("field without colon") << QByteArray("data\n\n") << QStringList { u"|"_s };
    QTest::addRow("blank line without data dispatches nothing")
        << QByteArray("event: x\n\ndata: 1\n\n") << QStringList { u"|1"_s };
    QTest::addRow("comments, id and retry ignored")
        << QByteArray(": hi\nid: 7\nretry: 10\ndata: 1\n\n") << QStringList { u"|1"_s };
    QTest::addRow("mixed line endings") << QByteArray("data: a\r\ndata: b\rdata: c\n\r\n")
                                        << QStringList { u"|a\nb\nc"_s };
    QTest::addRow("pending event flushed at finish") << QByteArray("event: e\ndata: z") << QStringList { u"e|z"_s };
}

void TestProviders::sseSplitter()
{
    QFETCH(QByteArray, body);
    QFETCH(QStringList, events);
    // Byte by byte, so that CR LF pairs are split too.
    SseSplitter splitter;
    QStringList seen;
    const auto onEvent = [&](QByteArrayView name, const QByteArray& data) {
        seen.append(QString::fromUtf8(name) + u'|' + QString::fromUtf8(data));
    };
    for (qsizetype i = 0; i < body.size(); ++i)
        splitter.feed(QByteArrayView(body).sliced(i, 1), onEvent);
    splitter.finish(onEvent);
    QCOMPARE(seen, events);
}

// Truncated, corrupted and random bodies never crash a parser and leave a consistent result.
void TestProviders::damagedInputIsSafe()
{
    QRandomGenerator rng(42);
    const QStringList files { u"openai_chat_stream_tool_calls.sse"_s, u"anthropic_messages_stream_thinking.sse"_s,
        u"ollama_generate_stream.ndjson"_s, u"openai_chat_completion.json"_s };
    QList<QByteArray> bodies;
    for (const QString& file : files) {
        const QByteArray body = readFixture(file);
        if (body.isEmpty())
            QFAIL(qPrintable(u"fixture missing or empty: "_s + fixturePath(file)));
        bodies.append(body);
    }
    for (int round = 0; round < 200; ++round) {
        QByteArray body = bodies.at(round % bodies.size());
        body.truncate(rng.bounded(int(body.size()) + 1));
        for (int flips = rng.bounded(4); flips > 0 && !body.isEmpty(); --flips)
            body[rng.bounded(int(body.size()))] = char(rng.bounded(256));
        if (round % 10 == 0) {
            body.resize(rng.bounded(2000));
            for (char& c : body)
                c = char(rng.bounded(256));
        }
        for (const QString& name : Provider::names()) {
            for (const bool stream : { true, false }) {
                QList<QByteArrayView> chunks;
                for (qsizetype from = 0; from < body.size();) {
                    const qsizetype size = std::min<qsizetype>(1 + rng.bounded(64), body.size() - from);
                    chunks.append(QByteArrayView(body).sliced(from, size));
                    from += size;
                }
                const ParsedResponse r = parseChunks(name, stream, chunks);
                QVERIFY(r.tokenEvents >= 0);
                QCOMPARE(r.firstTokenNs < 0, r.tokenEvents == 0);
                QVERIFY(r.firstTokenNs <= r.lastTokenNs);
                QVERIFY(!r.error || !r.errorMessage.isEmpty());
                QVERIFY(!r.malformed || !r.errorMessage.isEmpty());
            }
        }
    }
}

// ---- timestamps and the event sink ----

void TestProviders::timestamps_data()
{
    QTest::addColumn<QString>("file");
    QTest::addColumn<QString>("provider");
    QTest::addColumn<QByteArray>("expected");

    // Event i (1-based) arrives at i * 1000 ns.
    QTest::addRow("role-only first chunk is no token")
        << u"openai_chat_stream_basic.sse"_s << u"openai"_s
        << QByteArray(R"({"firstTokenNs":2000,"firstContentNs":2000,"lastTokenNs":6000,"tokenEvents":5,
               "sumGapNs":4000,"maxGapNs":1000})");
    QTest::addRow("reasoning first") << u"vllm_chat_stream_reasoning.sse"_s << u"openai"_s
                                     << QByteArray(R"({"firstTokenNs":2000,"firstContentNs":6000,"lastTokenNs":10000,
                                           "tokenEvents":9,"sumGapNs":8000,"maxGapNs":1000})");
    QTest::addRow("anthropic thinking, empty delta and signature no token")
        << u"anthropic_messages_stream_thinking.sse"_s << u"anthropic"_s
        << QByteArray(R"({"firstTokenNs":4000,"firstContentNs":12000,"lastTokenNs":13000,"tokenEvents":6,
               "sumGapNs":9000,"maxGapNs":5000})");
    QTest::addRow("tool calls") << u"openai_chat_stream_tool_calls.sse"_s << u"openai"_s
                                << QByteArray(R"({"firstTokenNs":2000,"firstContentNs":-1,"lastTokenNs":11000,
                                      "tokenEvents":10})");
    QTest::addRow("ollama") << u"ollama_chat_stream.ndjson"_s << u"ollama"_s
                            << QByteArray(R"({"firstTokenNs":1000,"firstContentNs":1000,"lastTokenNs":5000,
                                  "tokenEvents":5,"sumGapNs":4000,"maxGapNs":1000})");
}

void TestProviders::timestamps()
{
    QFETCH(QString, file);
    QFETCH(QString, provider);
    QFETCH(QByteArray, expected);
    const QByteArray body = readFixture(file);
    if (body.isEmpty())
        QFAIL(qPrintable(u"fixture missing or empty: "_s + fixturePath(file)));
    const QByteArrayView separator = file.endsWith(".ndjson"_L1) ? QByteArrayView("\n") : QByteArrayView("\n\n");
    const QString diff = mismatches(describe(parseTimed(provider, true, body, separator)), parseJsonObject(expected));
    QVERIFY2(diff.isEmpty(), qPrintable(diff));
}

void TestProviders::wholeBodyTimestamps()
{
    const QByteArray body = readFixture(u"openai_chat_completion.json"_s);
    if (body.isEmpty())
        QFAIL("fixture openai_chat_completion.json missing");
    auto parser = Provider::create(u"openai"_s)->createParser(false);
    parser->feed(QByteArrayView(body).first(10), 100);
    parser->feed(QByteArrayView(body).sliced(10), 200);
    parser->finish(300);
    const ParsedResponse& r = parser->result();
    QCOMPARE(r.firstTokenNs, 300);
    QCOMPARE(r.firstContentNs, 300);
    QCOMPARE(r.lastTokenNs, 300);
    QCOMPARE(r.tokenEvents, 1);
    QCOMPARE(r.sumGapNs, 0);
}

void TestProviders::eventSink()
{
    const QByteArray body = readFixture(u"openai_chat_stream_include_usage.sse"_s);
    if (body.isEmpty())
        QFAIL("fixture openai_chat_stream_include_usage.sse missing");
    QList<ProviderEvent> events;
    parseChunks(u"openai"_s, true, { body }, kNowNs, &events);
    QStringList kinds;
    QString text;
    for (const ProviderEvent& e : events) {
        kinds.append(QString::number(int(e.kind)));
        if (e.kind == ProviderEventKind::ContentDelta)
            text += e.text;
    }
    using K = ProviderEventKind;
    const QList<K> expected { K::FirstToken, K::ContentDelta, K::ContentDelta, K::ContentDelta, K::ContentDelta,
        K::ContentDelta, K::Finish, K::Usage, K::Done };
    QCOMPARE(events.size(), expected.size());
    for (qsizetype i = 0; i < expected.size(); ++i)
        QCOMPARE(int(events.at(i).kind), int(expected.at(i)));
    QCOMPARE(text, u"The answer is B."_s);
    QCOMPARE(events.at(6).text, u"stop"_s);

    // An error is an event too.
    events.clear();
    parseChunks(
        u"anthropic"_s, true, { readFixture(u"anthropic_messages_stream_error_overloaded.sse"_s) }, kNowNs, &events);
    QVERIFY(!events.isEmpty());
    QCOMPARE(int(events.last().kind), int(ProviderEventKind::Error));
    QCOMPARE(events.last().text, u"Overloaded"_s);
}

// ---- non-2xx bodies ----

void TestProviders::errorBodies_data()
{
    QTest::addColumn<QString>("provider");
    QTest::addColumn<int>("status");
    QTest::addColumn<QByteArray>("body"); // a fixture name when it starts with "file:"
    QTest::addColumn<QString>("message");
    QTest::addColumn<QString>("type");
    QTest::addColumn<QString>("code");
    QTest::addColumn<QString>("param");

    QTest::addRow("openai 429 rate limit")
        << u"openai"_s << 429 << QByteArray("file:openai_error_429_rate_limit.json")
        << u"Rate limit reached for gpt-4o-mini in organization org-QXzyL4LqvvCVS07Y3kFV3KkB on requests per min "
           "(RPM): Limit 3, Used 3, Requested 1. Please try again in 20s. Visit "
           "https://platform.openai.com/account/rate-limits to learn more."_s
        << u"requests"_s << u"rate_limit_exceeded"_s << QString();
    QTest::addRow("openai 429 quota")
        << u"openai"_s << 429 << QByteArray("file:openai_error_429_insufficient_quota.json")
        << u"You exceeded your current quota, please check your plan and billing details. "
           "For more information on this error, read the docs: "
           "https://platform.openai.com/docs/guides/error-codes/api-errors."_s
        << u"insufficient_quota"_s << u"insufficient_quota"_s << QString();
    QTest::addRow("openai 400") << u"openai"_s << 400 << QByteArray("file:openai_error_400_invalid_request.json")
                                << u"Unsupported parameter: 'max_tokens' is not supported with this model. Use "
                                   "'max_completion_tokens' instead."_s
                                << u"invalid_request_error"_s << u"unsupported_parameter"_s << u"max_tokens"_s;
    QTest::addRow("anthropic 529") << u"anthropic"_s << 529 << QByteArray("file:anthropic_error_529_overloaded.json")
                                   << u"Overloaded"_s << u"overloaded_error"_s << QString() << QString();
    QTest::addRow("ollama 404") << u"ollama"_s << 404 << QByteArray(R"({"error":"model \"llama9\" not found"})")
                                << u"model \"llama9\" not found"_s << QString() << QString() << QString();
    QTest::addRow("vllm integer code") << u"openai"_s << 400
                                       << QByteArray(
                                              R"({"error":{"message":"bad","type":"BadRequestError","code":400}})")
                                       << u"bad"_s << u"BadRequestError"_s << u"400"_s << QString();
    QTest::addRow("tgi") << u"openai"_s << 422 << QByteArray(R"({"error":"Input too long","error_type":"validation"})")
                         << u"Input too long"_s << u"validation"_s << QString() << QString();
    QTest::addRow("fastapi detail") << u"openai"_s << 404 << QByteArray(R"({"detail":"Not Found"})") << u"Not Found"_s
                                    << QString() << QString() << QString();
    QTest::addRow("html from a proxy") << u"openai"_s << 502
                                       << QByteArray("<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n</html>")
                                       << u"<html> <head><title>502 Bad Gateway</title></head> </html>"_s << QString()
                                       << QString() << QString();
    QTest::addRow("empty body") << u"simulator"_s << 503 << QByteArray() << u"HTTP 503"_s << QString() << QString()
                                << QString();
    QTest::addRow("long text cut short") << u"openai"_s << 500 << QByteArray(500, 'x') << QString(200, u'x') + u"…"_s
                                         << QString() << QString() << QString();
}

void TestProviders::errorBodies()
{
    QFETCH(QString, provider);
    QFETCH(int, status);
    QFETCH(QByteArray, body);
    QFETCH(QString, message);
    QFETCH(QString, type);
    QFETCH(QString, code);
    QFETCH(QString, param);
    if (body.startsWith("file:")) {
        const QString file = QString::fromUtf8(body.mid(5));
        body = readFixture(file);
        if (body.isEmpty())
            QFAIL(qPrintable(u"fixture missing or empty: "_s + fixturePath(file)));
    }
    QCOMPARE(Provider::create(provider)->errorMessage(status, body), message);
    const ProviderError error = Provider::parseErrorBody(body);
    QCOMPARE(error.type, type);
    QCOMPARE(error.code, code);
    QCOMPARE(error.param, param);
}

// ---- 4. requests ----

void TestProviders::buildRequest_data()
{
    QTest::addColumn<QString>("provider");
    QTest::addColumn<QString>("baseUrl");
    QTest::addColumn<bool>("stream");
    QTest::addColumn<QString>("apiKey");
    QTest::addColumn<QByteArray>("params");
    QTest::addColumn<QString>("promptText");
    QTest::addColumn<QString>("url");
    QTest::addColumn<QByteArray>("headers"); // header -> value; null = must be absent
    QTest::addColumn<QByteArray>("body"); // the complete expected body

    const QByteArray chatMessages = R"([{"role":"system","content":"Be brief."},{"role":"user","content":"2+2?"}])";

    QTest::addRow("openai stream with key")
        << u"openai"_s << u"https://api.openai.com/v1"_s << true << u"sk-test"_s << QByteArray() << QString()
        << u"https://api.openai.com/v1/chat/completions"_s
        << QByteArray(R"({"Authorization":"Bearer sk-test","Content-Type":"application/json",
               "Accept":"text/event-stream","x-api-key":null})")
        << R"({"model":"model-x","messages":)" + chatMessages
            + R"(,"stream":true,"stream_options":{"include_usage":true}})";
    QTest::addRow("openai whole without key, trailing slash")
        << u"openai"_s << u"http://127.0.0.1:8000/v1/"_s << false << QString() << QByteArray() << QString()
        << u"http://127.0.0.1:8000/v1/chat/completions"_s
        << QByteArray(R"({"Authorization":null,"Content-Type":"application/json","Accept":null})")
        << R"({"model":"model-x","messages":)" + chatMessages + "}";
    QTest::addRow("openai params merged, user wins")
        << u"openai"_s << u"http://h/v1"_s << true << QString()
        << QByteArray(R"({"temperature":0,"max_tokens":256,"stream_options":{"include_usage":false},
               "model":"override"})")
        << QString() << u"http://h/v1/chat/completions"_s << QByteArray(R"({"Authorization":null})")
        << R"({"model":"override","messages":)" + chatMessages
            + R"(,"stream":true,"stream_options":{"include_usage":false},"temperature":0,"max_tokens":256})";
    QTest::addRow("openai-completions with prompt")
        << u"openai-completions"_s << u"http://h/v1"_s << true << u"k"_s << QByteArray() << u"Q: 2+2?\nA:"_s
        << u"http://h/v1/completions"_s << QByteArray(R"({"Authorization":"Bearer k"})")
        << QByteArray(
               R"({"model":"model-x","prompt":"Q: 2+2?\nA:","stream":true,"stream_options":{"include_usage":true}})");
    QTest::addRow("openai-completions flattens messages")
        << u"openai-completions"_s << u"http://h/v1"_s << false << QString() << QByteArray(R"({"max_tokens":5})")
        << QString() << u"http://h/v1/completions"_s << QByteArray("{}")
        << QByteArray(R"({"model":"model-x","prompt":"Be brief.\n\n2+2?","max_tokens":5})");
    QTest::addRow("anthropic stream with key")
        << u"anthropic"_s << u"https://api.anthropic.com/v1"_s << true << u"sk-ant"_s << QByteArray() << QString()
        << u"https://api.anthropic.com/v1/messages"_s
        << QByteArray(R"({"x-api-key":"sk-ant","anthropic-version":"2023-06-01","Authorization":null,
               "Content-Type":"application/json"})")
        << QByteArray(R"({"model":"model-x","max_tokens":1024,"system":"Be brief.",
               "messages":[{"role":"user","content":"2+2?"}],"stream":true})");
    QTest::addRow("anthropic params, no key")
        << u"anthropic"_s << u"https://api.anthropic.com/v1"_s << false << QString()
        << QByteArray(R"({"max_tokens":50,"temperature":0.5})") << QString()
        << u"https://api.anthropic.com/v1/messages"_s
        << QByteArray(R"({"x-api-key":null,"anthropic-version":"2023-06-01"})")
        << QByteArray(R"({"model":"model-x","max_tokens":50,"temperature":0.5,"system":"Be brief.",
               "messages":[{"role":"user","content":"2+2?"}]})");
    QTest::addRow("ollama stream") << u"ollama"_s << u"http://127.0.0.1:11434"_s << true << QString()
                                   << QByteArray(R"({"options":{"num_predict":8}})") << QString()
                                   << u"http://127.0.0.1:11434/api/chat"_s << QByteArray(R"({"Authorization":null})")
                                   << R"({"model":"model-x","messages":)" + chatMessages
            + R"(,"stream":true,"options":{"num_predict":8}})";
    QTest::addRow("ollama whole") << u"ollama"_s << u"http://127.0.0.1:11434/"_s << false << QString() << QByteArray()
                                  << QString() << u"http://127.0.0.1:11434/api/chat"_s << QByteArray("{}")
                                  << R"({"model":"model-x","messages":)" + chatMessages + R"(,"stream":false})";
    QTest::addRow("simulator") << u"simulator"_s << u"http://127.0.0.1:4010/v1"_s << true << QString() << QByteArray()
                               << QString() << u"http://127.0.0.1:4010/v1/chat/completions"_s
                               << QByteArray(R"({"Authorization":null})")
                               << R"({"model":"model-x","messages":)" + chatMessages
            + R"(,"stream":true,"stream_options":{"include_usage":true},
               "sim":{"expected":"B","choices":["A","B"],"key":"arith/7#0"}})";
}

void TestProviders::buildRequest()
{
    QFETCH(QString, provider);
    QFETCH(QString, baseUrl);
    QFETCH(bool, stream);
    QFETCH(QString, apiKey);
    QFETCH(QByteArray, params);
    QFETCH(QString, promptText);
    QFETCH(QString, url);
    QFETCH(QByteArray, headers);
    QFETCH(QByteArray, body);

    const auto p = Provider::create(provider);
    QVERIFY(p);
    QByteArray actualBody;
    const QNetworkRequest request
        = p->buildRequest(makeModel(provider, baseUrl, stream, params), makePrompt(promptText), apiKey, &actualBody);
    QCOMPARE(request.url().toString(), url);

    const QJsonObject expectedHeaders = parseJsonObject(headers);
    for (auto it = expectedHeaders.begin(); it != expectedHeaders.end(); ++it) {
        const QByteArray name = it.key().toUtf8();
        if (it.value().isNull())
            QVERIFY2(!request.hasRawHeader(name), name.constData());
        else
            QCOMPARE(QString::fromUtf8(request.rawHeader(name)), it.value().toString());
    }

    QJsonParseError error;
    const QJsonDocument actual = QJsonDocument::fromJson(actualBody, &error);
    QCOMPARE(error.error, QJsonParseError::NoError);
    QCOMPARE(actual.object(), parseJsonObject(body));
}

void TestProviders::transportAttributes_data()
{
    QTest::addColumn<QString>("baseUrl");
    QTest::addColumn<bool>("http2");
    QTest::addColumn<bool>("tlsVerify");
    QTest::addColumn<bool>("allowed");
    QTest::addColumn<bool>("direct");

    QTest::addRow("http, http2 on") << u"http://127.0.0.1:8000/v1"_s << true << true << true << true;
    QTest::addRow("https, http2 on") << u"https://api.openai.com/v1"_s << true << true << true << false;
    QTest::addRow("http2 off") << u"http://127.0.0.1:8000/v1"_s << false << true << false << false;
    QTest::addRow("https, tls verification off") << u"https://10.0.0.2/v1"_s << false << false << false << false;
}

void TestProviders::transportAttributes()
{
    QFETCH(QString, baseUrl);
    QFETCH(bool, http2);
    QFETCH(bool, tlsVerify);
    QFETCH(bool, allowed);
    QFETCH(bool, direct);
    for (const QString& name : Provider::names()) {
        ModelSpec model = makeModel(name, baseUrl, true);
        model.http2 = http2;
        model.tlsVerify = tlsVerify;
        QByteArray body;
        const QNetworkRequest request = Provider::create(name)->buildRequest(model, makePrompt(), {}, &body);
        QCOMPARE(request.attribute(QNetworkRequest::Http2AllowedAttribute).toBool(), allowed);
        QCOMPARE(request.attribute(QNetworkRequest::Http2DirectAttribute).toBool(), direct);
        QCOMPARE(request.sslConfiguration().peerVerifyMode() == QSslSocket::VerifyNone, !tlsVerify);
        QCOMPARE(request.transferTimeout(), 0);
    }
}

void TestProviders::modelsUrl_data()
{
    QTest::addColumn<QString>("provider");
    QTest::addColumn<QString>("baseUrl");
    QTest::addColumn<QString>("url");

    QTest::addRow("openai") << u"openai"_s << u"https://api.openai.com/v1"_s << u"https://api.openai.com/v1/models"_s;
    QTest::addRow("openai-completions") << u"openai-completions"_s << u"http://h/v1/"_s << u"http://h/v1/models"_s;
    QTest::addRow("anthropic") << u"anthropic"_s << u"https://api.anthropic.com/v1"_s
                               << u"https://api.anthropic.com/v1/models"_s;
    QTest::addRow("ollama") << u"ollama"_s << u"http://127.0.0.1:11434"_s << u"http://127.0.0.1:11434/api/tags"_s;
    QTest::addRow("simulator") << u"simulator"_s << u"http://127.0.0.1:4010/v1"_s
                               << u"http://127.0.0.1:4010/v1/models"_s;
}

void TestProviders::modelsUrl()
{
    QFETCH(QString, provider);
    QFETCH(QString, baseUrl);
    QFETCH(QString, url);
    QCOMPARE(Provider::create(provider)->modelsUrl(makeModel(provider, baseUrl, true)).toString(), url);
}

void TestProviders::createByName()
{
    const QStringList names = Provider::names();
    QCOMPARE(names.size(), 5);
    for (const QString& name : names) {
        const auto provider = Provider::create(name);
        QVERIFY2(provider, qPrintable(name));
        QCOMPARE(provider->name(), name);
        QVERIFY(provider->createParser(true));
        QVERIFY(provider->createParser(false));
    }
    QVERIFY(!Provider::create(u"openai-chat"_s));
    QVERIFY(!Provider::create(QString()));
}

QTEST_GUILESS_MAIN(TestProviders)
#include "tst_providers.moc"
