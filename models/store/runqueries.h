#pragma once

#include <QMap>
#include <QString>
#include <QVector>

#include <functional>
#include <optional>
#include <utility>

namespace evs {

class ResultsStore;

// The read queries behind the exact figures of a run (RunSummary, thresholds, comparisons, reports), one model x
// benchmark pair at a time so that memory stays bounded whatever the size of the run. Definitions in
// docs/metrics.md; the SQL is in runqueries.cpp, its shared expressions in storesql.h. On an SQL error each returns
// nullopt (or false) and error says what was being read.

// The (model, benchmark) pairs that have records, in key order.
std::optional<QVector<std::pair<int, int>>> readRunPairs(const ResultsStore& store, qint64 runId, QString* error);
// The models that have records, in index order.
std::optional<QVector<int>> readRunModels(const ResultsStore& store, qint64 runId, QString* error);
// The benchmark a re-scoring of this run was limited to (-1: every benchmark); nullopt when the run has no such
// scoring.
std::optional<int> readScoringBenchmark(const ResultsStore& store, qint64 runId, qint64 scoringId);

// Counts, tokens and the measured time span of one pair. Totals are SQLite's TOTAL(), hence doubles.
struct PairCounts {
    qint64 records = 0;
    qint64 ok = 0;
    double inputTokens = 0;
    double outputTokens = 0;
    double billedInputTokens = 0; // records that were sent (not served from the cache)
    double billedOutputTokens = 0;
    std::optional<qint64> firstSendNs; // among sent records
    std::optional<qint64> lastEndNs;
    double cacheHits = 0;
    double cacheMisses = 0; // looked up (a cache key was recorded) and sent
};
std::optional<PairCounts> readPairCounts(
    const ResultsStore& store, qint64 runId, int model, int benchmark, QString* error);
// Final records by error class (failed ones only).
std::optional<QMap<QString, qint64>> readPairErrorsByClass(
    const ResultsStore& store, qint64 runId, int model, int benchmark, QString* error);
// Failed attempts that were retried.
std::optional<qint64> readPairRetriedAttempts(
    const ResultsStore& store, qint64 runId, int model, int benchmark, QString* error);

struct PairScore {
    qint64 sampleIndex = 0;
    int repeat = 0;
    QString category; // QString() when the sample has none
    double score = 0; // NaN = not scored
    bool scoreError = false;
};
// Every record's score in sample and repeat order: the run's own scores, or (scoringId > 0) a re-scoring's (only the
// records it scored).
bool forEachPairScore(const ResultsStore& store, qint64 runId, int model, int benchmark, qint64 scoringId,
    const std::function<void(const PairScore&)>& f, QString* error);

// The timings of one measured record (storesql::kMeasured: successful and sent) whose send time is known, in ns.
struct MeasuredTiming {
    std::optional<qint64> latencyNs; // storesql::kLatencyNs
    std::optional<qint64> ttftNs; // storesql::kTtftNs
    std::optional<qint64> firstToLastTokenNs; // the stream's span, for the inter-token latency
    qint64 outputTokens = -1; // -1 = unknown
};
// In no particular order.
bool forEachMeasuredTiming(const ResultsStore& store, qint64 runId, int model, int benchmark,
    const std::function<void(const MeasuredTiming&)>& f, QString* error);
// The latency of every measured record of the run with a known latency, in model order (records of one model in no
// particular order).
bool forEachMeasuredLatency(
    const ResultsStore& store, qint64 runId, const std::function<void(int model, qint64 latencyNs)>& f, QString* error);

} // namespace evs
