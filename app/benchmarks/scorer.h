#pragma once

#include "models/core/benchmarkspec.h"
#include "models/core/promptrequest.h"
#include "models/core/sample.h"

#include <QString>
#include <QStringList>

#include <cmath>
#include <memory>

namespace evs {

struct ScoreResult {
    double score = std::nan(""); // 0..1; NaN = could not score (error is true)
    bool error = false; // a scoring error (e.g. no answer found is NOT an error: it scores 0)
    QString explanation; // what was extracted, what it was compared with, why it passed or failed
};

// Scores one response. Implementations are immutable and thread-safe: one instance serves all workers.
class Scorer {
public:
    virtual ~Scorer() = default;
    virtual ScoreResult score(const Sample& sample, const QString& response) const = 0;
    // Checks the options with ScorerOptions (ScorerRegistry's specs), then builds the scorer of that type.
    static std::unique_ptr<Scorer> create(const ScorerSpec& spec, QString* error);
    // The types create() can build, sorted: the same as ScorerRegistry::names().
    static QStringList buildableTypes();

    // LLM as judge: scoring needs a second request. When needsJudge() is true the engine renders judgePrompt(),
    // sends it to the plan's model named judgeModelId() through the same engine (retries, limits, timeouts), stores
    // both, and scores with scoreWithVerdict(); score() is then not called. A judge answer that cannot be parsed
    // gives a ScoreResult with error = true (a visible scoring error, never a silent 0).
    virtual bool needsJudge() const { return false; }
    virtual QString judgeModelId() const { return {}; }
    virtual PromptRequest judgePrompt(const Sample& sample, const QString& response) const;
    virtual ScoreResult scoreWithVerdict(
        const Sample& sample, const QString& response, const QString& judgeAnswer) const;
};

} // namespace evs
