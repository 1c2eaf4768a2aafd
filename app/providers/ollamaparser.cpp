#include "app/providers/ollamaparser.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonValue>

using namespace Qt::StringLiterals;

namespace evs {

OllamaParser::OllamaParser(bool stream)
    : ParserBase(Framing::Ndjson, stream)
{
}

void OllamaParser::handleEvent(QByteArrayView, const QJsonObject& event, qint64 nowNs)
{
    const QJsonValue error = event.value("error"_L1);
    if (error.isString() || error.isObject()) {
        setErrorFromJson(error, nowNs);
        return;
    }
    Delta delta;
    const QJsonValue messageValue = event.value("message"_L1);
    if (messageValue.isObject()) {
        const QJsonObject message = messageValue.toObject();
        delta.content = message.value("content"_L1).toString();
        delta.reasoning = message.value("thinking"_L1).toString();
        // Ollama sends each tool call whole, in one line, with its arguments as an object.
        const QJsonArray toolCalls = message.value("tool_calls"_L1).toArray();
        for (const QJsonValue& callValue : toolCalls) {
            const QJsonObject function = callValue.toObject().value("function"_L1).toObject();
            const QJsonValue arguments = function.value("arguments"_L1);
            delta.toolCalls.append(ToolCallFragment { m_toolCallCount++, callValue.toObject().value("id"_L1).toString(),
                function.value("name"_L1).toString(),
                arguments.isString()
                    ? arguments.toString()
                    : QString::fromUtf8(QJsonDocument(arguments.toObject()).toJson(QJsonDocument::Compact)) });
        }
    } else {
        // /api/generate
        delta.content = event.value("response"_L1).toString();
        delta.reasoning = event.value("thinking"_L1).toString();
    }
    applyDelta(delta, nowNs);

    if (event.value("done"_L1).toBool()) {
        setFinishReason(event.value("done_reason"_L1).toString(), nowNs);
        // Metrics are omitempty: an absent count is unknown, not zero.
        const QJsonValue input = event.value("prompt_eval_count"_L1);
        const QJsonValue output = event.value("eval_count"_L1);
        setUsage(input.isDouble() ? input.toInteger() : -1, output.isDouble() ? output.toInteger() : -1, nowNs);
        setDone(nowNs);
    }
}

void OllamaParser::handleWhole(const QJsonObject& body, qint64 nowNs)
{
    handleEvent({}, body, nowNs);
}

} // namespace evs
