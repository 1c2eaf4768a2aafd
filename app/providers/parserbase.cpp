#include "app/providers/parserbase.h"

#include <QJsonDocument>
#include <QJsonParseError>
#include <QJsonValue>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace evs {

ParserBase::ParserBase(Framing framing, bool stream)
    : m_framing(framing)
    , m_stream(stream)
{
}

void ParserBase::feed(QByteArrayView bytes, qint64 nowNs)
{
    if (m_finished || bytes.isEmpty())
        return;
    if (!m_stream) {
        m_body.append(bytes);
        return;
    }
    if (m_framing == Framing::Ndjson) {
        m_lines.feed(bytes, [&](QByteArrayView line) { onNdjsonLine(line, nowNs); });
        return;
    }
    if (m_sniff == Sniff::Undecided) {
        // Only a body that starts like JSON is kept, in case it turns out not to be SSE.
        const QByteArrayView start = bytes.trimmed();
        if (!start.isEmpty())
            m_sniff = start.front() == '{' ? Sniff::Keep : Sniff::Off;
    }
    if (m_sniff == Sniff::Keep && !m_sse.sawSseLine())
        m_body.append(bytes);
    m_sse.feed(bytes, [&](QByteArrayView name, const QByteArray& data) { onSseEvent(name, data, nowNs); });
    if (m_sse.sawSseLine() && !m_body.isNull())
        m_body = QByteArray();
}

void ParserBase::finish(qint64 nowNs)
{
    if (m_finished)
        return;
    m_finished = true;
    if (!m_stream) {
        parseWholeBody(m_body, nowNs);
    } else if (m_framing == Framing::Ndjson) {
        m_lines.finish([&](QByteArrayView line) { onNdjsonLine(line, nowNs); });
    } else {
        m_sse.finish([&](QByteArrayView name, const QByteArray& data) { onSseEvent(name, data, nowNs); });
        // Not SSE at all: a JSON body answering a stream request, or something else entirely.
        if (!m_sse.sawSseLine() && m_sniff == Sniff::Keep)
            parseWholeBody(m_body, nowNs);
        else if (!m_sse.sawSseLine() && m_sniff == Sniff::Off)
            setMalformed(u"response body is neither server-sent events nor JSON"_s);
    }
    m_body = QByteArray();
}

void ParserBase::onSseEvent(QByteArrayView eventName, const QByteArray& data, qint64 nowNs)
{
    ++m_eventNumber;
    const QByteArrayView payload = QByteArrayView(data).trimmed();
    if (payload.isEmpty())
        return;
    // [DONE] is not JSON; checked first, like openai-python does.
    if (payload.startsWith("[DONE]")) {
        setDone(nowNs);
        return;
    }
    QJsonParseError error;
    const QJsonDocument doc = QJsonDocument::fromJson(data, &error);
    if (error.error != QJsonParseError::NoError) {
        setMalformed(u"malformed JSON in SSE event %1: %2 at offset %3"_s.arg(m_eventNumber)
                         .arg(error.errorString())
                         .arg(error.offset));
        return;
    }
    if (!doc.isObject()) {
        setMalformed(u"SSE event %1 is not a JSON object"_s.arg(m_eventNumber));
        return;
    }
    handleEvent(eventName, doc.object(), nowNs);
}

void ParserBase::onNdjsonLine(QByteArrayView line, qint64 nowNs)
{
    ++m_eventNumber;
    if (line.trimmed().isEmpty())
        return;
    QJsonParseError error;
    // fromJson takes a QByteArray; fromRawData avoids copying the line.
    const QJsonDocument doc = QJsonDocument::fromJson(QByteArray::fromRawData(line.data(), line.size()), &error);
    if (error.error != QJsonParseError::NoError) {
        setMalformed(u"malformed JSON in NDJSON line %1: %2 at offset %3"_s.arg(m_eventNumber)
                         .arg(error.errorString())
                         .arg(error.offset));
        return;
    }
    if (!doc.isObject()) {
        setMalformed(u"NDJSON line %1 is not a JSON object"_s.arg(m_eventNumber));
        return;
    }
    handleEvent({}, doc.object(), nowNs);
}

void ParserBase::parseWholeBody(const QByteArray& body, qint64 nowNs)
{
    const QByteArrayView trimmed = QByteArrayView(body).trimmed();
    if (trimmed.isEmpty()) {
        setMalformed(u"empty response body"_s);
        return;
    }
    QJsonParseError error;
    const QJsonDocument doc = QJsonDocument::fromJson(body, &error);
    if (error.error == QJsonParseError::NoError && doc.isObject()) {
        handleWhole(doc.object(), nowNs);
        return;
    }
    // The server streamed although no stream was asked for: parse it as its stream format, all at this time.
    if (m_framing == Framing::Sse && !trimmed.startsWith('{')) {
        SseSplitter sse;
        const auto onEvent = [&](QByteArrayView name, const QByteArray& data) { onSseEvent(name, data, nowNs); };
        sse.feed(body, onEvent);
        sse.finish(onEvent);
        if (sse.sawSseLine())
            return;
    } else if (m_framing == Framing::Ndjson && trimmed.startsWith('{')) {
        LineSplitter lines;
        const auto onLine = [&](QByteArrayView line) { onNdjsonLine(line, nowNs); };
        lines.feed(body, onLine);
        lines.finish(onLine);
        return;
    }
    if (error.error != QJsonParseError::NoError)
        setMalformed(u"malformed JSON body: %1 at offset %2"_s.arg(error.errorString()).arg(error.offset));
    else
        setMalformed(u"response body is not a JSON object"_s);
}

void ParserBase::countTokenEvent(qint64 nowNs, bool content)
{
    if (m_result.firstTokenNs < 0) {
        m_result.firstTokenNs = nowNs;
        emitEvent(ProviderEventKind::FirstToken, {}, 0, nowNs);
    } else {
        const qint64 gapNs = nowNs - m_result.lastTokenNs;
        m_result.sumGapNs += gapNs;
        m_result.maxGapNs = std::max(m_result.maxGapNs, gapNs);
    }
    if (content && m_result.firstContentNs < 0)
        m_result.firstContentNs = nowNs;
    m_result.lastTokenNs = nowNs;
    ++m_result.tokenEvents;
}

void ParserBase::applyDelta(const Delta& delta, qint64 nowNs)
{
    const bool anyToolCall = std::any_of(delta.toolCalls.begin(), delta.toolCalls.end(),
        [](const ToolCallFragment& f) { return !f.id.isEmpty() || !f.name.isEmpty() || !f.arguments.isEmpty(); });
    if (delta.content.isEmpty() && delta.reasoning.isEmpty() && !anyToolCall)
        return;
    countTokenEvent(nowNs, !delta.content.isEmpty());

    if (!delta.reasoning.isEmpty()) {
        m_result.reasoning += delta.reasoning;
        emitEvent(ProviderEventKind::ReasoningDelta, delta.reasoning, 0, nowNs);
    }
    if (!delta.content.isEmpty()) {
        m_result.content += delta.content;
        emitEvent(ProviderEventKind::ContentDelta, delta.content, 0, nowNs);
    }
    for (const ToolCallFragment& fragment : delta.toolCalls) {
        if (fragment.id.isEmpty() && fragment.name.isEmpty() && fragment.arguments.isEmpty())
            continue;
        // Fragments are joined by their index, not by their position in the array.
        auto it = std::find_if(m_result.toolCalls.begin(), m_result.toolCalls.end(),
            [&](const ToolCall& call) { return call.index == fragment.index; });
        if (it == m_result.toolCalls.end()) {
            m_result.toolCalls.push_back(ToolCall { fragment.index, {}, {}, {} });
            it = m_result.toolCalls.end() - 1;
        }
        if (it->id.isEmpty())
            it->id = fragment.id;
        if (it->name.isEmpty())
            it->name = fragment.name;
        it->arguments += fragment.arguments;
        emitEvent(ProviderEventKind::ToolCallDelta, fragment.arguments, fragment.index, nowNs);
    }
}

void ParserBase::setUsage(qint64 inputTokens, qint64 outputTokens, qint64 nowNs)
{
    if (inputTokens < 0 && outputTokens < 0)
        return;
    if (inputTokens >= 0)
        m_result.inputTokens = inputTokens;
    if (outputTokens >= 0) {
        // Assigned, never added: servers report running totals (Anthropic) or one final figure.
        m_result.outputTokens = outputTokens;
        m_result.usageReported = true;
    }
    emitEvent(ProviderEventKind::Usage, {}, 0, nowNs);
}

void ParserBase::setFinishReason(const QString& reason, qint64 nowNs)
{
    if (reason.isEmpty())
        return;
    m_result.finishReason = reason;
    emitEvent(ProviderEventKind::Finish, reason, 0, nowNs);
}

void ParserBase::setError(const QString& type, const QString& code, const QString& message, qint64 nowNs)
{
    m_result.error = true;
    m_result.errorType = type;
    m_result.errorCode = code;
    m_result.errorMessage = !message.isEmpty() ? message : !type.isEmpty() ? type : u"error"_s;
    emitEvent(ProviderEventKind::Error, m_result.errorMessage, 0, nowNs);
}

void ParserBase::setErrorFromJson(const QJsonValue& error, qint64 nowNs)
{
    if (error.isString()) {
        setError({}, {}, error.toString(), nowNs);
        return;
    }
    const QJsonObject object = error.toObject();
    const QJsonValue code = object.value("code"_L1);
    QString codeText;
    if (code.isString())
        codeText = code.toString();
    else if (code.isDouble())
        codeText = QString::number(code.toInteger());
    setError(object.value("type"_L1).toString(), codeText, object.value("message"_L1).toString(), nowNs);
}

void ParserBase::setDone(qint64 nowNs)
{
    if (m_result.done)
        return;
    m_result.done = true;
    emitEvent(ProviderEventKind::Done, {}, 0, nowNs);
}

void ParserBase::setMalformed(const QString& what)
{
    m_result.malformed = true;
    // The first problem is the one worth reading; a server's own error message wins over it.
    if (m_result.errorMessage.isEmpty())
        m_result.errorMessage = what;
}

} // namespace evs
