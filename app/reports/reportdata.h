#pragma once

#include "app/engine/livesnapshot.h"
#include "models/stats/runsummary.h"
#include "models/stats/thresholds.h"
#include "models/store/resultsstore.h"

#include <QString>
#include <QVector>

#include <optional>
#include <vector>

namespace evs {

// A few stored responses of one model x benchmark, shown in the HTML and Markdown reports (wrong and failed
// ones first). Every text here is untrusted: the writers escape it.
struct ReportSample {
    int modelIndex = 0;
    int benchmarkIndex = 0;
    QString sampleId;
    int repeat = 0;
    QString category;
    QString errorClass; // empty = success
    int httpStatus = 0;
    double score = 0;
    bool scored = false;
    QString expected;
    QString response;
    QString explanation;
    QString errorMessage;
};

// Exact latencies of one model's measured successful requests, sorted, for the distribution chart.
struct ModelLatencies {
    int modelIndex = 0;
    QString modelId;
    std::vector<double> latencyMs;
};

// Everything a report shows of one stored run, read from the store on the calling thread.
struct ReportData {
    RunInfo run;
    RunSummary summary; // computeRunSummary(), with the bad dataset records the engine saved with the run
    QStringList modelIds; // by plan index
    QStringList benchmarkIds;
    QVector<Threshold> thresholds; // as declared in the stored plan
    ThresholdReport thresholdReport; // evaluateThresholds() on the summary
    LiveSnapshotPtr timeline; // per-second series (LiveAggregator::fromStore); null when unavailable
    QString timelineError;
    QVector<ModelLatencies> latencies;
    QVector<ReportSample> samples;

    static constexpr int kSamplesPerPair = 10;

    // Reads run `runId` of an open store. `withCharts` also reads what the charts need (time series, latencies)
    // and `withSamples` the sample responses.
    static std::optional<ReportData> load(
        const ResultsStore& store, qint64 runId, bool withCharts, bool withSamples, QString* error);

    QString modelId(int index) const;
    QString benchmarkId(int index) const;
};

} // namespace evs
