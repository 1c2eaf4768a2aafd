#pragma once

#include <QJsonObject>
#include <QMap>
#include <QString>
#include <QVector>

#include <optional>

namespace evs {

class ResultsStore;

struct Percentiles {
    qint64 n = 0;
    double p50 = 0, p90 = 0, p95 = 0, p99 = 0, p999 = 0, max = 0; // milliseconds; all 0 when n == 0
};

// Exact figures for one model x benchmark, computed from the store (DESIGN.md section 4 definitions).
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
    double scoreMean = 0;
    double scoreCiLow = 0;
    double scoreCiHigh = 0;
    double scoreStdErr = 0;
    QString ciMethod; // "wilson" or "bootstrap"
    Percentiles latencyMs;
    Percentiles ttftMs;
    Percentiles itlMs;
    qint64 inputTokens = 0;
    qint64 outputTokens = 0;
    double durationS = 0; // first send to last end among the pair's records
    double requestsPerS = 0;
    double outputTokensPerS = 0;
    double costUsd = 0;
};

struct RunSummary {
    qint64 runId = 0;
    QString runName;
    QVector<PairSummary> pairs;

    QJsonObject toJson() const;
    static std::optional<RunSummary> fromJson(const QJsonObject& o);
    QString toText() const; // the CLI's end-of-run table
};

// Computes the summary of a run exactly from its stored records (never from live approximations).
std::optional<RunSummary> computeRunSummary(const ResultsStore& store, qint64 runId, QString* error);

} // namespace evs
