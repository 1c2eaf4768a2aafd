#pragma once

#include "app/benchmarks/scorer.h"
#include "app/benchmarks/scorertext.h"

#include <QJsonObject>

namespace evs {

// 1 when the whole response equals the target after normalisation, else 0. Options: case_sensitive (false),
// normalize_whitespace (true), strip_punctuation (false), ignore_articles (false: drops "a", "an", "the").
class ExactMatchScorer : public Scorer {
public:
    explicit ExactMatchScorer(const QJsonObject& options);
    ScoreResult score(const Sample& sample, const QString& response) const override;
    QString normalize(const QString& text) const { return m_text.normalize(text); }

private:
    ScorerText m_text;
};

} // namespace evs
