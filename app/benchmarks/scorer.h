#pragma once

#include "models/core/benchmarkspec.h"
#include "models/core/sample.h"

#include <QString>

#include <cmath>
#include <memory>

namespace evs
{

struct ScoreResult {
    double score = std::nan(""); // 0..1; NaN = could not score (error is true)
    bool error = false; // a scoring error (e.g. no answer found is NOT an error: it scores 0)
    QString explanation; // what was extracted, what it was compared with, why it passed or failed
};

// Scores one response. Implementations are immutable and thread-safe: one instance serves all workers.
class Scorer
{
public:
    virtual ~Scorer() = default;
    virtual ScoreResult score(const Sample& sample, const QString& response) const = 0;
    static std::unique_ptr<Scorer> create(const ScorerSpec& spec, QString* error);
};

} // namespace evs
