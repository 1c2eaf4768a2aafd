#include "app/engine/circuitbreaker.h"

#include <algorithm>

namespace evs {

CircuitBreaker::CircuitBreaker(const CircuitBreakerPolicy& policy)
    : m_policy(policy)
{
}

int CircuitBreaker::admitOrDelayMs(qint64 nowNs)
{
    if (m_policy.failureThreshold <= 0)
        return 0;
    std::lock_guard lock(m_mutex);
    switch (m_state) {
    case State::Closed:
        return 0;
    case State::Open:
        if (nowNs >= m_openUntilNs) {
            m_state = State::HalfOpen; // this caller is the probe
            return 0;
        }
        return std::max(1, int((m_openUntilNs - nowNs) / 1000000));
    case State::HalfOpen:
        return std::max(10, m_policy.cooldownMs / 10); // wait for the probe's outcome
    }
    return 0;
}

void CircuitBreaker::recordSuccess()
{
    if (m_policy.failureThreshold <= 0)
        return;
    std::lock_guard lock(m_mutex);
    m_consecutiveFailures = 0;
    m_state = State::Closed;
}

void CircuitBreaker::recordFailure(qint64 nowNs)
{
    if (m_policy.failureThreshold <= 0)
        return;
    std::lock_guard lock(m_mutex);
    ++m_consecutiveFailures;
    if (m_state == State::HalfOpen || m_consecutiveFailures >= m_policy.failureThreshold) {
        if (m_state != State::Open)
            ++m_timesOpened;
        m_state = State::Open;
        m_openUntilNs = nowNs + qint64(m_policy.cooldownMs) * 1000000;
    }
}

bool CircuitBreaker::isOpen() const
{
    std::lock_guard lock(m_mutex);
    return m_state != State::Closed;
}

qint64 CircuitBreaker::timesOpened() const
{
    std::lock_guard lock(m_mutex);
    return m_timesOpened;
}

} // namespace evs
