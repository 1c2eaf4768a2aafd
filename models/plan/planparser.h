#pragma once

#include "models/core/runplan.h"

#include <QByteArray>
#include <QString>
#include <QStringList>

#include <optional>

namespace evs {

struct PlanError {
    QString field; // JSON path of the offending value, e.g. "models[1].retries.max_attempts"
    int line = 0; // 1-based line in the file, when known (always for syntax errors)
    int column = 0;
    QString message;
    QString toString(const QString& fileName = {}) const; // "plan.json:12:5: models[1].provider: unknown ..."
};

// Reads and validates a plan (docs/plan.md). Relative dataset paths are resolved against
// baseDir. API keys are accepted only as "env:NAME" or "keychain:NAME" references.
class PlanParser {
public:
    static std::optional<RunPlan> parse(const QByteArray& json, const QString& baseDir, PlanError* error);
    static std::optional<RunPlan> parseFile(const QString& path, PlanError* error);
    // The plan as stored with a run: canonical JSON (sorted keys), dataset paths absolute, no secrets.
    // parse(toJson(p)) gives back p.
    static QByteArray toJson(const RunPlan& plan);

    // Names of the datasets bundled as ":/benchmarks/NAME.jsonl" (needs evs_resources linked in).
    static QStringList builtinDatasetNames();
    // The scorer a benchmark gets when its plan names none: the one its card names for a bundled benchmark
    // (multiple-choice: multiple_choice, arithmetic: numeric, json-output: json, latency: contains), else
    // exact_match.
    static QString defaultScorerType(const QString& dataset);
};

} // namespace evs
