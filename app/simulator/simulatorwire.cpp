#include "app/simulator/simulatorwire.h"

namespace evs::simulatorwire {

namespace {

void appendUsage(QByteArray& out, int promptTokens, int completionTokens)
{
    out += "{\"prompt_tokens\":";
    out += QByteArray::number(promptTokens);
    out += ",\"completion_tokens\":";
    out += QByteArray::number(completionTokens);
    out += ",\"total_tokens\":";
    out += QByteArray::number(promptTokens + completionTokens);
    out += '}';
}

void appendHead(QByteArray& out, const CompletionShape& shape)
{
    out += "data: {\"id\":\"";
    out += shape.id;
    out += shape.legacy ? "\",\"object\":\"text_completion\",\"created\":"
                        : "\",\"object\":\"chat.completion.chunk\",\"created\":";
    out += QByteArray::number(shape.created);
    out += ",\"model\":";
    out += shape.model;
    out += shape.legacy ? "," : ",\"system_fingerprint\":\"fp_evalsandbox_sim\",";
}

void appendTail(QByteArray& out, const CompletionShape& shape)
{
    if (shape.includeUsage)
        out += ",\"usage\":null";
    out += "}\n\n";
}

void appendFinishReason(QByteArray& out, QByteArrayView finishReason)
{
    if (finishReason.isEmpty()) {
        out += "null";
    } else {
        out += '"';
        out += finishReason;
        out += '"';
    }
}

} // namespace

void appendJsonString(QByteArray& out, QStringView text)
{
    static const char hex[] = "0123456789abcdef";
    out += '"';
    qsizetype i = 0;
    const qsizetype size = text.size();
    while (i < size) {
        const char16_t c = text.at(i).unicode();
        if (c >= 0x80) {
            // Hand runs of non-ASCII text to the UTF-8 encoder in one go.
            qsizetype j = i + 1;
            while (j < size && text.at(j).unicode() >= 0x80)
                ++j;
            out += text.sliced(i, j - i).toUtf8();
            i = j;
            continue;
        }
        switch (c) {
        case u'"':
            out += "\\\"";
            break;
        case u'\\':
            out += "\\\\";
            break;
        case u'\n':
            out += "\\n";
            break;
        case u'\r':
            out += "\\r";
            break;
        case u'\t':
            out += "\\t";
            break;
        default:
            if (c < 0x20) {
                out += "\\u00";
                out += hex[c >> 4];
                out += hex[c & 0xf];
            } else {
                out += char(c);
            }
        }
        ++i;
    }
    out += '"';
}

QByteArray jsonString(QStringView text)
{
    QByteArray out;
    appendJsonString(out, text);
    return out;
}

QByteArray errorBody(QByteArrayView type, QByteArrayView code, const QString& message)
{
    QByteArray out = "{\"error\":{\"message\":";
    appendJsonString(out, message);
    out += ",\"type\":\"";
    out += type;
    out += "\",\"param\":null,\"code\":\"";
    out += code;
    out += "\"}}";
    return out;
}

QByteArray modelsBody(qint64 created)
{
    return "{\"object\":\"list\",\"data\":[{\"id\":\"sim-1\",\"object\":\"model\",\"created\":"
        + QByteArray::number(created) + ",\"owned_by\":\"evalsandbox\"}]}";
}

QByteArray wholeBody(const CompletionShape& shape, QStringView content, QByteArrayView finishReason, int promptTokens,
    int completionTokens)
{
    QByteArray out;
    out.reserve(256 + content.size() * 2);
    out += "{\"id\":\"";
    out += shape.id;
    out += shape.legacy ? "\",\"object\":\"text_completion\",\"created\":"
                        : "\",\"object\":\"chat.completion\",\"created\":";
    out += QByteArray::number(shape.created);
    out += ",\"model\":";
    out += shape.model;
    if (shape.legacy) {
        out += ",\"choices\":[{\"text\":";
        appendJsonString(out, content);
        out += ",\"index\":0,\"logprobs\":null,\"finish_reason\":";
    } else {
        out += ",\"system_fingerprint\":\"fp_evalsandbox_sim\",\"choices\":[{\"index\":0,\"message\":{\"role\":"
               "\"assistant\",\"content\":";
        appendJsonString(out, content);
        out += ",\"refusal\":null},\"logprobs\":null,\"finish_reason\":";
    }
    appendFinishReason(out, finishReason);
    out += "}],\"usage\":";
    appendUsage(out, promptTokens, completionTokens);
    out += '}';
    return out;
}

void appendRoleEvent(QByteArray& out, const CompletionShape& shape)
{
    appendHead(out, shape);
    out += "\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"\"},\"logprobs\":null,"
           "\"finish_reason\":null}]";
    appendTail(out, shape);
}

void appendContentEvent(QByteArray& out, const CompletionShape& shape, QStringView token, QByteArrayView finishReason)
{
    appendHead(out, shape);
    if (shape.legacy) {
        out += "\"choices\":[{\"text\":";
        appendJsonString(out, token);
        out += ",\"index\":0,\"logprobs\":null,\"finish_reason\":";
    } else {
        out += "\"choices\":[{\"index\":0,\"delta\":{\"content\":";
        appendJsonString(out, token);
        out += "},\"logprobs\":null,\"finish_reason\":";
    }
    appendFinishReason(out, finishReason);
    out += "}]";
    appendTail(out, shape);
}

void appendFinishEvent(QByteArray& out, const CompletionShape& shape, QByteArrayView finishReason)
{
    appendHead(out, shape);
    out += "\"choices\":[{\"index\":0,\"delta\":{},\"logprobs\":null,\"finish_reason\":";
    appendFinishReason(out, finishReason);
    out += "}]";
    appendTail(out, shape);
}

void appendUsageEvent(QByteArray& out, const CompletionShape& shape, int promptTokens, int completionTokens)
{
    appendHead(out, shape);
    out += "\"choices\":[],\"usage\":";
    appendUsage(out, promptTokens, completionTokens);
    out += "}\n\n";
}

void appendDoneEvent(QByteArray& out)
{
    out += "data: [DONE]\n\n";
}

} // namespace evs::simulatorwire
