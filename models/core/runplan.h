#pragma once

#include "models/core/benchmarkspec.h"
#include "models/core/modelspec.h"

#include <QJsonObject>
#include <QString>
#include <QVector>

namespace evs {

struct RunSettings {
    QString mode = QStringLiteral("eval");
    int concurrency = 16; // default per model
    bool cache = false;
    qint64 cacheTtlS = 1209600;
};

struct Threshold {
    QString metric; // latency_p95_ms, ttft_p99_ms, error_rate, score, output_tokens_per_s, ...
    QString op; // < <= > >=
    double value = 0;
    QString model; // empty = each model
    QString benchmark; // empty = each benchmark
};

struct RunPlan {
    QString name;
    quint64 seed = 0;
    QVector<ModelSpec> models;
    QVector<BenchmarkSpec> benchmarks;
    RunSettings run;
    QVector<Threshold> thresholds;
    QString sourcePath; // the plan file, if any

    int effectiveConcurrency(const ModelSpec& m) const { return m.concurrency > 0 ? m.concurrency : run.concurrency; }
};

} // namespace evs
