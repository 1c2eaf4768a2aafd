#pragma once

#include "models/core/modelspec.h"

#include <mutex>

namespace evs {

// Per-endpoint circuit breaker shared by all workers. After `failureThreshold` consecutive failed attempts it
// opens: requests wait (they are delayed, never dropped) until `cooldownMs` has passed, then one probe goes
// through; its success closes the breaker, its failure opens it again.
class CircuitBreaker {
public:
    explicit CircuitBreaker(const CircuitBreakerPolicy& policy);
    // 0 = send now; otherwise wait this long (ms) and ask again.
    int admitOrDelayMs(qint64 nowNs);
    void recordSuccess();
    void recordFailure(qint64 nowNs);
    bool isOpen() const;
    qint64 timesOpened() const;

private:
    enum class State { Closed, Open, HalfOpen };
    CircuitBreakerPolicy m_policy;
    mutable std::mutex m_mutex;
    State m_state = State::Closed;
    int m_consecutiveFailures = 0;
    qint64 m_openUntilNs = 0;
    qint64 m_timesOpened = 0;
};

} // namespace evs
