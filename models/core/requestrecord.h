#pragma once

#include "models/core/errorclass.h"

#include <QString>

#include <cmath>
#include <vector>

namespace evs {

// Nanoseconds on the run's monotonic clock (0 = run start); -1 = did not happen (docs/metrics.md, Timestamps).
struct Timings {
    qint64 schedNs = -1;
    qint64 sendNs = -1;
    qint64 wireNs = -1;
    qint64 headersNs = -1;
    qint64 firstTokenNs = -1;
    qint64 firstContentNs = -1;
    qint64 lastTokenNs = -1;
    qint64 endNs = -1;
};

enum class TokenSource : quint8 { None = 0, Usage = 1, Events = 2 };

// An attempt that failed and was retried (or was the last of a failed sample). The final attempt's outcome
// is in the RequestRecord itself.
struct AttemptRecord {
    int attempt = 1; // 1-based
    ErrorClass errorClass = ErrorClass::None;
    int httpStatus = 0;
    qint64 sendNs = -1;
    qint64 endNs = -1;
    QString errorMessage;
};

// The final outcome of one sample × repeat for one model: exactly one per key in a run.
struct RequestRecord {
    qint64 runId = 0;
    int modelIndex = 0; // index into the plan's models
    int benchmarkIndex = 0; // index into the plan's benchmarks
    qint64 sampleIndex = 0;
    int repeat = 0;
    QString sampleId;
    QString category;

    int attempts = 1;
    ErrorClass errorClass = ErrorClass::None;
    int httpStatus = 0;
    QString errorMessage;
    Timings t;

    qint64 inputTokens = -1;
    qint64 outputTokens = -1;
    TokenSource tokenSource = TokenSource::None;
    int tokenEvents = 0; // stream events that carried tokens

    QString prompt; // the rendered messages as sent (JSON), stored once per distinct text
    QString response;
    QString reasoning;
    QString finishReason;
    QString expected;

    double score = std::nan(""); // NaN = not scored (failed request, or scorer error)
    QString scoreExplanation;
    bool scoreError = false; // the scorer could not score (e.g. an unparseable judge verdict): visible, never a 0
    QString judgePrompt; // LLM-as-judge: the judge request's messages (JSON) and its raw answer
    QString judgeResponse;
    bool cached = false; // served from the response cache: no request was sent
    QByteArray cacheKey; // the response cache key of the request (hex), empty when the cache was off

    std::vector<AttemptRecord> failedAttempts; // earlier attempts that were retried

    bool ok() const { return errorClass == ErrorClass::None; }
    // End-to-end latency as docs/metrics.md defines it; -1 when unknown.
    qint64 latencyNs() const
    {
        const qint64 end = t.lastTokenNs >= 0 ? t.lastTokenNs : t.endNs;
        return (end >= 0 && t.sendNs >= 0) ? end - t.sendNs : -1;
    }
    qint64 ttftNs() const { return (t.firstTokenNs >= 0 && t.sendNs >= 0) ? t.firstTokenNs - t.sendNs : -1; }
};

} // namespace evs
