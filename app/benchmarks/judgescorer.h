#pragma once

#include "app/benchmarks/scorer.h"

#include <QJsonObject>

namespace evs {

// LLM as judge. The engine sends judgePrompt() to the plan model judgeModelId() and passes its answer to
// scoreWithVerdict(). The answer must hold one line "SCORE: n" (format "score", n on the declared scale, which is
// normalised to 0..1) or "VERDICT: PASS" / "VERDICT: FAIL" (format "verdict"). Anything else is a scoring error
// (error = true) whose explanation quotes the judge, never a silent 0.
class JudgeScorer : public Scorer {
public:
    explicit JudgeScorer(const QJsonObject& options);

    ScoreResult score(const Sample& sample, const QString& response) const override;
    bool needsJudge() const override { return true; }
    QString judgeModelId() const override { return m_model; }
    PromptRequest judgePrompt(const Sample& sample, const QString& response) const override;
    ScoreResult scoreWithVerdict(
        const Sample& sample, const QString& response, const QString& judgeAnswer) const override;

    static QString defaultRubric();

private:
    QString m_model;
    QString m_rubric;
    QString m_system;
    bool m_verdict = false;
    double m_min = 1;
    double m_max = 5;
};

} // namespace evs
