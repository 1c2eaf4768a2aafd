#pragma once

#include "models/stats/runsummary.h"

#include <QJsonObject>
#include <QString>

#include <optional>

namespace evs {

class ResultsStore;

struct RescoreOptions {
    qint64 runId = 0;
    QJsonObject scorer; // a scorer spec as in a plan: {"type": ..., options}
    QString benchmarkId; // empty = every benchmark of the run
    QString label;
};

struct RescoreOutcome {
    qint64 scoringId = 0;
    qint64 scored = 0; // responses scored (failed requests are stored as not scored)
    qint64 scoreErrors = 0;
    qint64 missingSamples = 0; // responses whose sample the dataset no longer has (or has changed)
    RunSummary original; // scoring 0
    RunSummary rescored;
};

// Scores a run's stored responses again with another scorer, without calling any model: the responses are streamed
// from the store in sample order while the benchmark's dataset is read again from the run's stored plan, so
// memory stays bounded. The result is a new scoring of the same run (ScoringStore); the original is untouched.
class Rescorer {
public:
    // errorIsUsage: the request itself is wrong (unknown run or benchmark, invalid or judge scorer).
    static std::optional<RescoreOutcome> rescore(
        ResultsStore& store, const RescoreOptions& options, QString* error, bool* errorIsUsage = nullptr);
    // Both scorings side by side, per model x benchmark: scored, mean, 95 % CI, and the change.
    static QString comparisonText(const RunSummary& original, const RunSummary& rescored);
};

} // namespace evs
