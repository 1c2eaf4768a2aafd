#pragma once

#include "app/providers/linesplitter.h"
#include "app/providers/responseparser.h"
#include "app/providers/ssesplitter.h"

#include <QJsonObject>
#include <QVarLengthArray>

namespace evs {

// What the provider parsers share: framing (SSE, NDJSON or one whole JSON body), JSON decoding of each event
// once, and the bookkeeping of ParsedResponse (token timestamps, gaps, usage, errors, events to the sink).
class ParserBase : public ResponseParser {
public:
    enum class Framing { Sse, Ndjson };

    void feed(QByteArrayView bytes, qint64 nowNs) override;
    void finish(qint64 nowNs) override;

protected:
    // stream = false: the body is buffered and parsed once at finish() (whole JSON response).
    ParserBase(Framing framing, bool stream);

    // One decoded stream event (SSE event, NDJSON line). eventName is the SSE `event:` field, if any.
    virtual void handleEvent(QByteArrayView eventName, const QJsonObject& event, qint64 nowNs) = 0;
    // A whole (non-stream) JSON response body.
    virtual void handleWhole(const QJsonObject& body, qint64 nowNs) = 0;

    struct ToolCallFragment {
        int index = 0;
        QString id;
        QString name;
        QString arguments;
    };
    // The deltas one stream event carries; applied together so that the event counts once as a token event.
    struct Delta {
        QString content;
        QString reasoning;
        QVarLengthArray<ToolCallFragment, 1> toolCalls;
    };
    void applyDelta(const Delta& delta, qint64 nowNs);
    // Values < 0 mean "not reported" and leave the field as it is.
    void setUsage(qint64 inputTokens, qint64 outputTokens, qint64 nowNs);
    void setFinishReason(const QString& reason, qint64 nowNs);
    void setError(const QString& type, const QString& code, const QString& message, qint64 nowNs);
    // Reads {"message","type","code"} (OpenAI, Anthropic, llama.cpp, vLLM) or a bare string (Ollama).
    void setErrorFromJson(const QJsonValue& error, qint64 nowNs);
    void setDone(qint64 nowNs);
    void setMalformed(const QString& what);

    void emitEvent(ProviderEventKind kind, const QString& text, int index, qint64 nowNs)
    {
        if (m_sink)
            m_sink(ProviderEvent { kind, text, index, nowNs });
    }

private:
    void onSseEvent(QByteArrayView eventName, const QByteArray& data, qint64 nowNs);
    void onNdjsonLine(QByteArrayView line, qint64 nowNs);
    void parseWholeBody(const QByteArray& body, qint64 nowNs);
    void countTokenEvent(qint64 nowNs, bool content);

    const Framing m_framing;
    const bool m_stream;
    bool m_finished = false;
    int m_eventNumber = 0; // SSE events / NDJSON lines seen, for error messages
    SseSplitter m_sse;
    LineSplitter m_lines;
    // Whole bodies; in SSE mode also the bytes seen before the first SSE line, in case the server answered
    // a stream request with plain JSON (an error object, or a server that ignores "stream").
    QByteArray m_body;
    enum class Sniff { Undecided, Keep, Off } m_sniff = Sniff::Undecided;
};

} // namespace evs
