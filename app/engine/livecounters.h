#pragma once

#include "models/core/errorclass.h"

#include <QMap>
#include <QString>

#include <array>
#include <atomic>

namespace evs {

// A consistent-enough copy of the live counters, cheap to pass around by value.
struct RunProgress {
    qint64 planned = -1;
    qint64 done = 0; // final records (ok + failed), this session and before a resume
    qint64 failed = 0;
    qint64 retries = 0;
    qint64 inFlight = 0;
    qint64 outputTokens = 0;
    qint64 scored = 0;
    double scoreSum = 0;
    double elapsedS = 0; // since this session started
    qint64 doneThisSession = 0;
    QMap<QString, qint64> errorsByClass; // final failures by class
    double requestsPerS() const { return elapsedS > 0 ? doneThisSession / elapsedS : 0; }
    double etaS() const
    {
        const double rate = requestsPerS();
        return (planned >= 0 && rate > 0) ? std::max(0.0, double(planned - done) / rate) : -1;
    }
};

// Counters the workers bump with relaxed atomics; the controller reads them on a timer (never a signal per
// request).
struct LiveCounters {
    std::atomic<qint64> done { 0 };
    std::atomic<qint64> failed { 0 };
    std::atomic<qint64> retries { 0 };
    std::atomic<qint64> inFlight { 0 };
    std::atomic<qint64> outputTokens { 0 };
    std::atomic<qint64> scored { 0 };
    std::atomic<qint64> scoreMicroSum { 0 }; // score x 1e6, summed
    std::array<std::atomic<qint64>, size_t(ErrorClass::Count)> errors {};

    RunProgress read(qint64 planned, qint64 doneBefore, double elapsedS) const
    {
        RunProgress p;
        p.planned = planned;
        p.doneThisSession = done.load(std::memory_order_relaxed);
        p.done = doneBefore + p.doneThisSession;
        p.failed = failed.load(std::memory_order_relaxed);
        p.retries = retries.load(std::memory_order_relaxed);
        p.inFlight = inFlight.load(std::memory_order_relaxed);
        p.outputTokens = outputTokens.load(std::memory_order_relaxed);
        p.scored = scored.load(std::memory_order_relaxed);
        p.scoreSum = double(scoreMicroSum.load(std::memory_order_relaxed)) / 1e6;
        p.elapsedS = elapsedS;
        for (size_t i = 1; i < errors.size(); ++i) {
            if (const qint64 n = errors[i].load(std::memory_order_relaxed))
                p.errorsByClass.insert(errorClassName(ErrorClass(i)), n);
        }
        return p;
    }
};

} // namespace evs
