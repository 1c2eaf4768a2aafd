#pragma once

#include <QByteArrayView>
#include <QString>

#include <functional>
#include <vector>

namespace evs {

struct ToolCall {
    int index = 0;
    QString id;
    QString name;
    QString arguments; // the joined JSON string fragments
};

// What a response said, built incrementally as bytes arrive. Timestamps are the `nowNs` given to the
// feed() call whose bytes completed the event (docs/metrics.md, Timestamps); -1 = did not happen.
struct ParsedResponse {
    QString content;
    QString reasoning;
    std::vector<ToolCall> toolCalls;
    QString finishReason;
    QString reasoningSignature; // Anthropic thinking signature, verbatim

    qint64 inputTokens = -1; // from the server's usage, when reported
    qint64 outputTokens = -1;
    bool usageReported = false; // the server reported an output token count (outputTokens >= 0)

    qint64 firstTokenNs = -1; // first non-empty content, reasoning or tool-call delta
    qint64 firstContentNs = -1; // first non-empty content delta
    qint64 lastTokenNs = -1;
    int tokenEvents = 0; // events carrying a non-empty delta
    qint64 maxGapNs = 0; // largest gap between token-bearing events
    qint64 sumGapNs = 0; // sum of gaps between token-bearing events (ITL numerator)

    bool done = false; // the stream's end marker was seen ([DONE], message_stop, done:true, whole body)
    bool error = false; // an error object in the body (also inside a 200 stream)
    QString errorType;
    QString errorCode; // string or integer code as text; empty when absent or null
    QString errorMessage;
    bool malformed = false; // bytes that could not be parsed; errorMessage says where
};

enum class ProviderEventKind { FirstToken, ContentDelta, ReasoningDelta, ToolCallDelta, Usage, Finish, Error, Done };

struct ProviderEvent {
    ProviderEventKind kind;
    QString text; // delta text, finish reason, error message
    int index = 0; // tool call index
    qint64 tNs = -1;
};

// Incremental parser of one response body. feed() takes any split of the bytes, down to one byte at a time,
// and gives the same result as one feed() of the whole body.
class ResponseParser {
public:
    virtual ~ResponseParser() = default;
    virtual void feed(QByteArrayView bytes, qint64 nowNs) = 0;
    // The body ended (cleanly or not). Flushes a final unterminated line/event. A missing [DONE] is not an error.
    virtual void finish(qint64 nowNs) = 0;
    const ParsedResponse& result() const { return m_result; }
    // Optional: receives each event as it is parsed (tests, live views). Not needed for result().
    void setEventSink(std::function<void(const ProviderEvent&)> sink) { m_sink = std::move(sink); }

protected:
    ParsedResponse m_result;
    std::function<void(const ProviderEvent&)> m_sink;
};

} // namespace evs
