#pragma once

#include "app/benchmarks/scorer.h"

#include <QJsonObject>
#include <QStringList>

namespace evs {

// contains: 1 when the response contains any (mode "any", the default) or all (mode "all") of the values;
// not_contains: the opposite of contains with the same options. Values come from "value" or "values", else the
// sample's target. case_sensitive (false).
class ContainsScorer : public Scorer {
public:
    ContainsScorer(const QJsonObject& options, bool negated);
    ScoreResult score(const Sample& sample, const QString& response) const override;

private:
    QStringList m_values;
    bool m_all = false;
    bool m_caseSensitive = false;
    bool m_negated = false;
};

} // namespace evs
