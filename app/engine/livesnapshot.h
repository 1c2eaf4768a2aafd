#pragma once

#include "app/engine/livecounters.h"
#include "models/core/errorclass.h"
#include "models/core/loghistogram.h"

#include <QMetaType>
#include <QString>

#include <array>
#include <memory>
#include <vector>

namespace evs {

// One second of one model's requests (by end time), for the live charts.
struct LivePoint {
    double tS = 0; // end of the second, seconds since the run's clock zero
    qint64 done = 0; // final records that ended in this second
    qint64 failed = 0;
    std::array<qint64, size_t(ErrorClass::Count)> errors {}; // by class, this second
    double latencyP50Ms = NAN, latencyP95Ms = NAN, latencyP99Ms = NAN; // of this second's successes
    double ttftP50Ms = NAN;
    double requestsPerS = 0;
    double outputTokensPerS = 0;
    // Cumulative up to the end of this second: the score's convergence with its 95 % CI.
    qint64 scoredSoFar = 0;
    double scoreMean = NAN, scoreCiLow = NAN, scoreCiHigh = NAN;
};

// Everything the live view shows of one model (or, with modelIndex -1, of the whole run).
struct LiveSeries {
    int modelIndex = -1;
    QString modelId;
    std::vector<LivePoint> points; // closed seconds, oldest first, then the current partial second
    LogHistogram latency; // cumulative, successful requests
    LogHistogram ttft;
    qint64 done = 0;
    qint64 failed = 0;
    std::array<qint64, size_t(ErrorClass::Count)> errors {};
    qint64 inputTokens = 0;
    qint64 outputTokens = 0;
    qint64 scored = 0;
    double scoreSum = 0;
    double scoreSqSum = 0;
    bool binaryScores = true; // every score is 0 or 1: the CI is Wilson's, else a normal approximation live
    double costUsd = 0;

    double errorRate() const { return done > 0 ? double(failed) / double(done) : 0; }
    double scoreMean() const { return scored > 0 ? scoreSum / double(scored) : NAN; }
    std::pair<double, double> scoreInterval() const; // 95 %; NaNs when nothing is scored
};

// An immutable picture of a run for the GUI, published at most ~10 times a second
// (docs/architecture.md section 3, step 9). Live figures are approximate (log-bucketed percentiles within 1 %); when
// the run has ended, `final` is true and the view should show the store's exact RunSummary instead.
struct LiveSnapshot {
    qint64 runId = 0;
    RunProgress progress;
    LiveSeries total; // all models together
    std::vector<LiveSeries> models; // one per model of the plan, in plan order
    double recentRequestsPerS = 0; // over the last 5 closed seconds
    double recentOutputTokensPerS = 0;
    bool final = false;
};

using LiveSnapshotPtr = std::shared_ptr<const LiveSnapshot>;

} // namespace evs

Q_DECLARE_METATYPE(evs::LiveSnapshotPtr)
