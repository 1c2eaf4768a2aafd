#pragma once

#include "models/core/runplan.h"
#include "models/stats/runsummary.h"

#include <QJsonArray>
#include <QString>
#include <QVector>

namespace evs {

class ResultsStore;

// One threshold applied to one model x benchmark pair.
struct ThresholdResult {
    Threshold threshold;
    int modelIndex = 0;
    int benchmarkIndex = 0;
    QString modelId;
    QString benchmarkId;
    double actual = 0; // the measured value, in the metric's unit; NaN when the pair has no data for it
    bool passed = false; // a pair without data fails: a gate must not pass on nothing
    QString describe() const; // "latency_p95_ms < 500 for sim-fast / mc: 183.2 (passed)"
};

struct ThresholdReport {
    QVector<ThresholdResult> results;
    bool allPassed() const;
    int failedCount() const;
    QJsonArray toJson() const;
    QString toText() const; // the CLI's block after the summary
};

// Evaluates a plan's thresholds at the end of a run (docs/metrics.md, Thresholds): each applies to every pair it names
// (model and/or benchmark narrow it). Figures come from the exact summary; percentiles the summary does not carry
// (e.g. p75) are computed from the store with the same definition. `store` may be null when only the summary's
// percentiles are used.
ThresholdReport evaluateThresholds(
    const QVector<Threshold>& thresholds, const RunSummary& summary, const ResultsStore* store, qint64 runId);

} // namespace evs
