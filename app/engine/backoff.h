#pragma once

#include "models/core/errorclass.h"
#include "models/core/modelspec.h"

#include <QByteArray>

#include <random>

namespace evs {

// Whether a failed attempt of this class is worth another try (the server or network may recover).
bool isRetryable(ErrorClass c);

// Delay before retry number `failedAttempts` (1 = after the first failure): exponential from base_ms, capped at
// max_ms, with "equal jitter" (half fixed, half random) so that synchronized clients spread out. A server's
// Retry-After (retryAfterMs >= 0) is a floor: we never come back earlier than it asked.
qint64 retryDelayMs(const RetryPolicy& policy, int failedAttempts, qint64 retryAfterMs, std::mt19937_64& rng);

// Retry-After as seconds or an HTTP date, or retry-after-ms; -1 when absent or unreadable.
qint64 parseRetryAfterMs(const QByteArray& retryAfter, const QByteArray& retryAfterMs);

} // namespace evs
