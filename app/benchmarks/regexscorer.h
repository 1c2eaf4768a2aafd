#pragma once

#include "app/benchmarks/scorer.h"

#include <QJsonObject>
#include <QRegularExpression>

namespace evs {

// 1 when the pattern (Perl-compatible, QRegularExpression) matches anywhere in the response. case_sensitive (false).
class RegexScorer : public Scorer {
public:
    explicit RegexScorer(const QJsonObject& options);
    ScoreResult score(const Sample& sample, const QString& response) const override;

private:
    QRegularExpression m_pattern;
};

} // namespace evs
