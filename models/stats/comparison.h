#pragma once

#include "models/stats/pairedtests.h"
#include "models/stats/runsummary.h"
#include "models/store/disagreements.h" // countDisagreements(), disagreementPage(): the samples two sides disagree on

#include <QJsonObject>
#include <QString>
#include <QStringList>
#include <QVector>

#include <optional>

namespace evs {

class ResultsStore;

// One side of a comparison: a model of a stored run. Benchmarks are matched between sides by their id.
struct CompareSide {
    qint64 runId = 0;
    int modelIndex = 0;
    QString runName;
    QString modelId;
    QString label() const; // "#RUN MODEL"
};

// One side's exact figures on one benchmark (the store's numbers, as in RunSummary).
struct SideFigures {
    bool present = false; // the side has records on this benchmark
    int benchmarkIndex = -1; // in the side's run
    PairSummary summary;
    double errorRate = 0; // failed / finished
    // Latency and TTFT quantiles at q = i / (kCdfPoints - 1), for distribution charts; empty without data.
    QVector<double> latencyQuantilesMs;
    QVector<double> ttftQuantilesMs;
};

// A side against the baseline on one benchmark. Pass/fail scores (every shared score 0 or 1) use McNemar's exact
// test on the samples both sides scored (same sample index and repeat); other scores the paired bootstrap. The
// difference of the means always carries its paired-bootstrap interval.
struct PairedComparison {
    qint64 shared = 0; // samples scored on both sides
    qint64 onlyBaseline = 0; // scored on the baseline only
    qint64 onlySide = 0; // scored on this side only
    qint64 baselineOnlyRight = 0; // discordant: baseline full credit, side not
    qint64 sideOnlyRight = 0; // discordant: side full credit, baseline not
    QString test; // "mcnemar_exact", "paired_bootstrap", or empty when nothing is shared
    double pValue = 1;
    stats::PairedBootstrap scoreDiff; // side - baseline over the shared samples
    QVector<stats::PercentileDifference> latencyMs; // p50, p95, p99: side - baseline, unpaired bootstrap CI
    QVector<stats::PercentileDifference> ttftMs;
    qint64 disagreements() const { return baselineOnlyRight + sideOnlyRight; }
};

struct BenchmarkComparison {
    QString benchmarkId;
    QVector<SideFigures> sides; // indexed like Comparison::sides
    QVector<PairedComparison> vsBaseline; // indexed like Comparison::sides; the baseline's own entry is empty
};

struct Comparison {
    static constexpr int kCdfPoints = 101;
    static constexpr quint64 kDefaultSeed = 20240501;
    static constexpr double kPercentiles[3] = { 0.50, 0.95, 0.99 };

    QVector<CompareSide> sides;
    int baseline = 0;
    quint64 seed = kDefaultSeed;
    int resamples = 2000;
    QVector<BenchmarkComparison> benchmarks;
    QJsonObject toJson() const;
};

struct CompareRequest {
    QVector<CompareSide> sides; // runId and modelIndex set; names are filled in
    int baseline = 0;
    QString benchmarkId; // empty = every benchmark
    quint64 seed = Comparison::kDefaultSeed;
    int resamples = 2000;
};

// Every model of a run that has records as a side, in plan order; with modelIds, those (in that order); error names a
// missing run or model.
std::optional<QVector<CompareSide>> sidesOfRun(
    const ResultsStore& store, qint64 runId, const QStringList& modelIds, QString* error);

// Reads each side's figures and compares it with the baseline. Memory: one side's latencies at a time and the
// shared scores of one pair of sides, never a whole run's rows.
std::optional<Comparison> computeComparison(const ResultsStore& store, const CompareRequest& request, QString* error);

} // namespace evs
