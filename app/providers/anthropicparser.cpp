#include "app/providers/anthropicparser.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonValue>

using namespace Qt::StringLiterals;

namespace evs {

AnthropicParser::AnthropicParser(bool stream)
    : ParserBase(Framing::Sse, stream)
{
}

void AnthropicParser::readUsage(const QJsonObject& usage, bool withOutput, qint64 nowNs)
{
    const QJsonValue input = usage.value("input_tokens"_L1);
    const QJsonValue output = usage.value("output_tokens"_L1);
    setUsage(
        input.isDouble() ? input.toInteger() : -1, withOutput && output.isDouble() ? output.toInteger() : -1, nowNs);
}

void AnthropicParser::handleEvent(QByteArrayView eventName, const QJsonObject& event, qint64 nowNs)
{
    // The payload repeats the event name in "type"; either one is enough.
    QString type = event.value("type"_L1).toString();
    if (type.isEmpty())
        type = QString::fromUtf8(eventName);

    if (type == "content_block_delta"_L1) {
        const int index = event.value("index"_L1).toInt();
        const QJsonObject d = event.value("delta"_L1).toObject();
        const QString deltaType = d.value("type"_L1).toString();
        Delta delta;
        if (deltaType == "text_delta"_L1) {
            delta.content = d.value("text"_L1).toString();
        } else if (deltaType == "thinking_delta"_L1) {
            delta.reasoning = d.value("thinking"_L1).toString();
        } else if (deltaType == "input_json_delta"_L1) {
            delta.toolCalls.append(ToolCallFragment { index, {}, {}, d.value("partial_json"_L1).toString() });
        } else if (deltaType == "signature_delta"_L1) {
            // Not a token: it authenticates the thinking block and must be kept verbatim.
            m_result.reasoningSignature += d.value("signature"_L1).toString();
            return;
        }
        applyDelta(delta, nowNs);
    } else if (type == "content_block_start"_L1) {
        const int index = event.value("index"_L1).toInt();
        const QJsonObject block = event.value("content_block"_L1).toObject();
        const QString blockType = block.value("type"_L1).toString();
        Delta delta;
        if (blockType == "text"_L1) {
            delta.content = block.value("text"_L1).toString();
        } else if (blockType == "thinking"_L1) {
            delta.reasoning = block.value("thinking"_L1).toString();
            m_result.reasoningSignature += block.value("signature"_L1).toString();
        } else if (blockType == "tool_use"_L1 || blockType == "server_tool_use"_L1) {
            // The input arrives as input_json_delta fragments; the start only names the call.
            delta.toolCalls.append(
                ToolCallFragment { index, block.value("id"_L1).toString(), block.value("name"_L1).toString(), {} });
        }
        applyDelta(delta, nowNs);
    } else if (type == "message_start"_L1) {
        // message_start's output_tokens (1 or 2) is not the final count: only the input is taken here.
        readUsage(event.value("message"_L1).toObject().value("usage"_L1).toObject(), false, nowNs);
    } else if (type == "message_delta"_L1) {
        setFinishReason(event.value("delta"_L1).toObject().value("stop_reason"_L1).toString(), nowNs);
        // Cumulative: assign the running total.
        readUsage(event.value("usage"_L1).toObject(), true, nowNs);
    } else if (type == "message_stop"_L1) {
        setDone(nowNs);
    } else if (type == "error"_L1) {
        setErrorFromJson(event.value("error"_L1), nowNs);
    }
    // ping, content_block_stop and event types added later are ignored, as Anthropic asks.
}

void AnthropicParser::handleWhole(const QJsonObject& body, qint64 nowNs)
{
    if (body.value("type"_L1).toString() == "error"_L1) {
        setErrorFromJson(body.value("error"_L1), nowNs);
        return;
    }
    Delta delta;
    const QJsonArray content = body.value("content"_L1).toArray();
    for (qsizetype i = 0; i < content.size(); ++i) {
        const QJsonObject block = content.at(i).toObject();
        const QString blockType = block.value("type"_L1).toString();
        if (blockType == "text"_L1) {
            delta.content += block.value("text"_L1).toString();
        } else if (blockType == "thinking"_L1) {
            delta.reasoning += block.value("thinking"_L1).toString();
            m_result.reasoningSignature += block.value("signature"_L1).toString();
        } else if (blockType == "tool_use"_L1 || blockType == "server_tool_use"_L1) {
            delta.toolCalls.append(ToolCallFragment { int(i), block.value("id"_L1).toString(),
                block.value("name"_L1).toString(),
                QString::fromUtf8(QJsonDocument(block.value("input"_L1).toObject()).toJson(QJsonDocument::Compact)) });
        }
    }
    applyDelta(delta, nowNs);
    setFinishReason(body.value("stop_reason"_L1).toString(), nowNs);
    readUsage(body.value("usage"_L1).toObject(), true, nowNs);
    setDone(nowNs);
}

} // namespace evs
