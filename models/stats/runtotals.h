#pragma once

#include "models/stats/runsummary.h"

#include <QString>

namespace evs {

// A run's figures as one, from the exact figures of its model × benchmark pairs (docs/metrics.md, Throughput and
// Score: Live and pooled). Counts and cost are summed, and the score is pooled; throughput adds each model's
// benchmarks (which it runs one after the other) and then the models (which run side by side). Percentiles cannot
// be pooled from the pairs' percentiles, so each one is the worst pair's. Like RunSummary, a figure without data is
// NaN (absent), never 0.
struct RunTotals {
    int pairs = 0;
    qint64 n = 0; // final records
    qint64 failed = 0;
    qint64 scored = 0;
    double errorRate = NAN; // failed / n
    double requestsPerS = NAN;
    double outputTokensPerS = NAN;
    double costUsd = 0;
    // Per quantile, the largest of the pairs that have data; n is the pairs' n added up.
    Percentiles worstLatencyMs;
    Percentiles worstTtftMs;
    double scoreMean = NAN;
    double scoreCiLow = NAN;
    double scoreCiHigh = NAN;
    // "wilson" or "bootstrap" as the one pair's; with several pairs "wilson" (pooled counts, every pair pass/fail)
    // or "normal" (from the pairs' standard errors). Empty when nothing was scored.
    QString ciMethod;

    static RunTotals of(const RunSummary& summary);
};

} // namespace evs
