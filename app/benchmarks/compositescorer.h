#pragma once

#include "app/benchmarks/scorer.h"

#include <QJsonObject>

#include <memory>
#include <vector>

namespace evs {

// Combines child scorers. mode "weighted" (default): the weighted mean of the children's scores (weights
// normalised); "all": 1 when every child passes; "any": 1 when one does. A child passes when its score reaches
// pass_threshold (1). A child's scoring error makes the composite's result an error. At most one child (at any
// depth) is a judge: the composite then needs the judge and hands it the verdict.
class CompositeScorer : public Scorer {
public:
    struct Child {
        std::unique_ptr<Scorer> scorer;
        QString type;
        double weight = 1;
    };

    CompositeScorer(const QJsonObject& options, std::vector<Child> children);

    ScoreResult score(const Sample& sample, const QString& response) const override;
    bool needsJudge() const override { return m_judge != nullptr; }
    QString judgeModelId() const override;
    PromptRequest judgePrompt(const Sample& sample, const QString& response) const override;
    ScoreResult scoreWithVerdict(
        const Sample& sample, const QString& response, const QString& judgeAnswer) const override;

private:
    ScoreResult combine(const Sample& sample, const QString& response, const QString* judgeAnswer) const;

    enum class Mode { Weighted, All, Any };
    Mode m_mode = Mode::Weighted;
    double m_passThreshold = 1;
    std::vector<Child> m_children;
    const Scorer* m_judge = nullptr; // the child that needs a judge, if any
};

} // namespace evs
