#pragma once

#include <QDateTime>

#include <chrono>

namespace evs {

// The run's monotonic nanosecond clock (docs/metrics.md, Timestamps): 0 at run start, anchored to wall time once.
// A resumed run continues from an offset so that its records stay on one time line without the downtime.
class RunClock {
public:
    void start(qint64 offsetNs = 0)
    {
        m_offsetNs = offsetNs;
        m_start = std::chrono::steady_clock::now();
        m_wallStart = QDateTime::currentDateTimeUtc();
    }
    qint64 nowNs() const
    {
        return m_offsetNs
            + std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now() - m_start).count();
    }
    QDateTime wallStart() const { return m_wallStart; }

private:
    qint64 m_offsetNs = 0;
    std::chrono::steady_clock::time_point m_start = std::chrono::steady_clock::now();
    QDateTime m_wallStart;
};

} // namespace evs
