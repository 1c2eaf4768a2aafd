#include "app/providers/openaiparser.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonValue>

using namespace Qt::StringLiterals;

namespace evs {

namespace {

// vLLM before PR #27752, llama.cpp and DeepSeek say reasoning_content; current vLLM says reasoning.
QString reasoningOf(const QJsonObject& delta)
{
    QString reasoning = delta.value("reasoning_content"_L1).toString();
    if (reasoning.isEmpty())
        reasoning = delta.value("reasoning"_L1).toString();
    return reasoning;
}

qint64 tokenCount(const QJsonObject& usage, QLatin1StringView key)
{
    const QJsonValue value = usage.value(key);
    return value.isDouble() ? value.toInteger() : -1;
}

} // namespace

OpenAiParser::OpenAiParser(Api api, bool stream)
    : ParserBase(Framing::Sse, stream)
    , m_api(api)
{
}

bool OpenAiParser::handleError(QByteArrayView eventName, const QJsonObject& object, qint64 nowNs)
{
    const QJsonValue error = object.value("error"_L1);
    if (error.isObject()) {
        setErrorFromJson(error, nowNs);
        return true;
    }
    if (error.isString()) {
        // TGI: {"error":"...","error_type":"..."}
        setError(object.value("error_type"_L1).toString(), {}, error.toString(), nowNs);
        return true;
    }
    // Older vLLM sends its ErrorResponse bare: {"object":"error","message","type","code"}.
    if (eventName == "error" || object.value("object"_L1).toString() == "error"_L1) {
        setErrorFromJson(object, nowNs);
        return true;
    }
    return false;
}

void OpenAiParser::readUsage(const QJsonObject& object, qint64 nowNs)
{
    // Absent and null mean the same: no usage in this chunk.
    const QJsonValue usage = object.value("usage"_L1);
    if (!usage.isObject())
        return;
    const QJsonObject u = usage.toObject();
    setUsage(tokenCount(u, "prompt_tokens"_L1), tokenCount(u, "completion_tokens"_L1), nowNs);
}

void OpenAiParser::handleEvent(QByteArrayView eventName, const QJsonObject& event, qint64 nowNs)
{
    if (handleError(eventName, event, nowNs))
        return;
    // The usage chunk has an empty choices array; never assume choices[0] exists.
    const QJsonArray choices = event.value("choices"_L1).toArray();
    for (const QJsonValue& choiceValue : choices) {
        const QJsonObject choice = choiceValue.toObject();
        if (choice.value("index"_L1).toInt(0) != 0)
            continue;
        Delta delta;
        if (m_api == Api::Completions) {
            delta.content = choice.value("text"_L1).toString();
        } else {
            const QJsonObject d = choice.value("delta"_L1).toObject();
            // content may be "", null or absent on role-only chunks: all three are no token.
            delta.content = d.value("content"_L1).toString();
            delta.reasoning = reasoningOf(d);
            const QJsonArray toolCalls = d.value("tool_calls"_L1).toArray();
            for (const QJsonValue& callValue : toolCalls) {
                const QJsonObject call = callValue.toObject();
                const QJsonObject function = call.value("function"_L1).toObject();
                delta.toolCalls.append(
                    ToolCallFragment { call.value("index"_L1).toInt(0), call.value("id"_L1).toString(),
                        function.value("name"_L1).toString(), function.value("arguments"_L1).toString() });
            }
        }
        applyDelta(delta, nowNs);
        // Legacy completions put finish_reason on the last text chunk, so it is read after the delta.
        setFinishReason(choice.value("finish_reason"_L1).toString(), nowNs);
    }
    readUsage(event, nowNs);
}

void OpenAiParser::handleWhole(const QJsonObject& body, qint64 nowNs)
{
    if (handleError({}, body, nowNs))
        return;
    const QJsonArray choices = body.value("choices"_L1).toArray();
    for (const QJsonValue& choiceValue : choices) {
        const QJsonObject choice = choiceValue.toObject();
        if (choice.value("index"_L1).toInt(0) != 0)
            continue;
        Delta delta;
        if (m_api == Api::Completions) {
            delta.content = choice.value("text"_L1).toString();
        } else {
            const QJsonObject message = choice.value("message"_L1).toObject();
            delta.content = message.value("content"_L1).toString();
            delta.reasoning = reasoningOf(message);
            const QJsonArray toolCalls = message.value("tool_calls"_L1).toArray();
            for (qsizetype i = 0; i < toolCalls.size(); ++i) {
                const QJsonObject call = toolCalls.at(i).toObject();
                const QJsonObject function = call.value("function"_L1).toObject();
                QJsonValue arguments = function.value("arguments"_L1);
                // Some compatible servers send arguments as an object rather than a JSON string.
                QString argumentsText = arguments.isObject()
                    ? QString::fromUtf8(QJsonDocument(arguments.toObject()).toJson(QJsonDocument::Compact))
                    : arguments.toString();
                delta.toolCalls.append(ToolCallFragment {
                    int(i), call.value("id"_L1).toString(), function.value("name"_L1).toString(), argumentsText });
            }
        }
        applyDelta(delta, nowNs);
        setFinishReason(choice.value("finish_reason"_L1).toString(), nowNs);
        break;
    }
    readUsage(body, nowNs);
    setDone(nowNs);
}

} // namespace evs
