#pragma once

#include "app/benchmarks/scorer.h"
#include "app/benchmarks/scorertext.h"

#include <QJsonObject>
#include <QRegularExpression>

namespace evs {

// Extracts a capture group with a pattern, then compares it with the target after normalisation (the options of
// exact_match). group (1 when the pattern has groups, else 0; or a group name), occurrence ("last" or "first":
// which match counts when the pattern matches several times), case_sensitive (false: for matching and comparing).
// No match scores 0 with "nothing extracted".
class RegexExtractScorer : public Scorer {
public:
    explicit RegexExtractScorer(const QJsonObject& options);
    ScoreResult score(const Sample& sample, const QString& response) const override;

private:
    QRegularExpression m_pattern;
    QString m_groupName;
    int m_group = 0;
    bool m_last = true;
    ScorerText m_text;
};

} // namespace evs
