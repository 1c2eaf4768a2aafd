#pragma once

#include <QJsonObject>
#include <QMap>
#include <QString>
#include <QVector>

#include <cmath>
#include <optional>

namespace evs {

class ResultsStore;

// A figure without data is NaN here, never 0 (docs/metrics.md, Absent figures): a distribution with n == 0, the
// score of a pair with nothing scored, the rates of a pair with no measured request. toJson() writes null for it,
// fromJson() reads null (and the zeros that older stored summaries hold for it) back as NaN, and every formatter
// shows it as absent (kAbsentFigure in models/core/metricdefinitions.h).

struct Percentiles {
    qint64 n = 0;
    double p50 = NAN, p90 = NAN, p95 = NAN, p99 = NAN, p999 = NAN, max = NAN; // milliseconds; NaN when n == 0
    bool isEmpty() const { return n == 0; }
};

// Score statistics of one category of a benchmark's samples.
struct CategorySummary {
    QString category; // "(none)" for samples without one
    qint64 scored = 0;
    double mean = NAN;
    double ciLow = NAN;
    double ciHigh = NAN;
    double stdErr = NAN;
    QString ciMethod;
};

// With repeats: the unbiased pass@k and pass^k (all k correct) averaged over the samples with at least k scored
// attempts. An attempt is correct when it scores 1 (full credit).
struct PassAtK {
    int k = 1;
    qint64 samples = 0;
    double passAtK = 0;
    double passHatK = 0;
};

// Exact figures for one model x benchmark, computed from the store (definitions in docs/metrics.md).
struct PairSummary {
    int modelIndex = 0;
    int benchmarkIndex = 0;
    QString modelId;
    QString benchmarkId;
    qint64 n = 0; // final records
    qint64 ok = 0;
    qint64 failed = 0;
    QMap<QString, qint64> errorsByClass; // final outcome class -> count
    qint64 retriedAttempts = 0; // failed attempts that were retried
    qint64 scored = 0;
    double scoreMean = NAN; // NaN (absent) when scored == 0, and so are the interval and the standard error
    double scoreCiLow = NAN;
    double scoreCiHigh = NAN;
    double scoreStdErr = NAN;
    QString ciMethod; // "wilson" or "bootstrap"; empty when nothing was scored
    qint64 scoreErrors = 0; // the scorer could not score (e.g. an unparseable judge verdict)
    QVector<CategorySummary> categories; // when the samples carry two or more categories
    QVector<PassAtK> passAtK; // when the benchmark has repeats > 1
    qint64 cacheHits = 0; // records served from the response cache
    qint64 cacheMisses = 0; // records looked up in the cache and sent
    qint64 badRecords = 0; // bad records skipped in the benchmark's dataset (see RunSummary::setBadRecords)
    // Latency, TTFT, ITL and throughput cover only measured records: cached ones were not sent.
    Percentiles latencyMs;
    Percentiles ttftMs;
    Percentiles itlMs;
    qint64 inputTokens = 0;
    qint64 outputTokens = 0;
    double durationS = NAN; // first send to last end among the pair's sent records; NaN when none was sent
    double requestsPerS = NAN; // NaN when durationS is absent or 0
    double outputTokensPerS = NAN;
    double costUsd = 0;

    double errorRate() const { return n > 0 ? double(failed) / double(n) : NAN; } // failed / final records
};

struct RunSummary {
    qint64 runId = 0;
    QString runName;
    qint64 scoringId = 0; // 0 = the run's own scoring; else a re-scoring (see ScoringStore)
    QVector<PairSummary> pairs;
    QMap<int, qint64> badRecordsByBenchmark; // benchmark index -> bad dataset records skipped
    QMap<int, QString> benchmarkIds; // benchmark index -> id, for the benchmarks named in badRecordsByBenchmark

    // The engine calls this for each benchmark after computeRunSummary() (the count is not in the store), before
    // saving the summary; it fills the pairs of that benchmark too.
    void setBadRecords(int benchmarkIndex, qint64 count);

    QJsonObject toJson() const;
    static std::optional<RunSummary> fromJson(const QJsonObject& o);
    QString toText() const; // the CLI's end-of-run table
};

// Computes the summary of a run exactly from its stored records (never from live approximations).
// scoringId > 0 takes the scores from that re-scoring (and only its benchmark, when it was limited to one).
std::optional<RunSummary> computeRunSummary(
    const ResultsStore& store, qint64 runId, QString* error, qint64 scoringId = 0);

} // namespace evs
