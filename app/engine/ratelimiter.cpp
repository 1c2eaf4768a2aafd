#include "app/engine/ratelimiter.h"

#include <QtGlobal>

#include <algorithm>
#include <cmath>

namespace evs {

namespace {
double capacity(double perMinute)
{
    return std::max(1.0, perMinute / 60.0);
}
} // namespace

RateLimiter::RateLimiter(double rpm, double tpm)
    : m_rpm(rpm)
    , m_tpm(tpm)
    , m_requests(capacity(rpm))
    , m_tokens(capacity(tpm))
{
}

void RateLimiter::refill(qint64 nowNs)
{
    if (m_lastNs >= 0 && nowNs > m_lastNs) {
        const double minutes = double(nowNs - m_lastNs) / 60e9;
        if (m_rpm > 0)
            m_requests = std::min(capacity(m_rpm), m_requests + minutes * m_rpm);
        if (m_tpm > 0)
            m_tokens = std::min(capacity(m_tpm), m_tokens + minutes * m_tpm);
    }
    m_lastNs = nowNs;
}

int RateLimiter::acquireOrDelayMs(double tokens, qint64 nowNs)
{
    if (unlimited())
        return 0;
    std::lock_guard lock(m_mutex);
    refill(nowNs);
    // A request larger than a whole bucket must still pass eventually: cap its charge at the capacity.
    const double tokenCharge = m_tpm > 0 ? std::min(tokens, capacity(m_tpm)) : 0;
    double waitMinutes = 0;
    if (m_rpm > 0 && m_requests < 1)
        waitMinutes = std::max(waitMinutes, (1 - m_requests) / m_rpm);
    if (m_tpm > 0 && m_tokens < tokenCharge)
        waitMinutes = std::max(waitMinutes, (tokenCharge - m_tokens) / m_tpm);
    if (waitMinutes > 0)
        return std::max(1, int(std::ceil(waitMinutes * 60000.0)));
    if (m_rpm > 0)
        m_requests -= 1;
    if (m_tpm > 0)
        m_tokens -= tokenCharge;
    return 0;
}

} // namespace evs
