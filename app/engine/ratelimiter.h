#pragma once

#include <QtGlobal>

#include <mutex>

namespace evs {

// RPM and TPM token buckets for one model, shared by every worker thread. A bucket holds at most one
// second's worth of budget (at least one request), so a burst cannot exceed the configured rate by much.
class RateLimiter {
public:
    RateLimiter(double rpm, double tpm);
    bool unlimited() const { return m_rpm <= 0 && m_tpm <= 0; }
    // Takes one request and `tokens` from the buckets and returns 0, or returns how long to wait (ms)
    // before asking again and takes nothing.
    int acquireOrDelayMs(double tokens, qint64 nowNs);

private:
    void refill(qint64 nowNs);
    std::mutex m_mutex;
    double m_rpm;
    double m_tpm;
    double m_requests;
    double m_tokens;
    qint64 m_lastNs = -1;
};

} // namespace evs
