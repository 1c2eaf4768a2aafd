#include "app/benchmarks/exactmatchscorer.h"

using namespace Qt::StringLiterals;

namespace evs {

ExactMatchScorer::ExactMatchScorer(const QJsonObject& options)
    : m_text(options)
{
}

ScoreResult ExactMatchScorer::score(const Sample& sample, const QString& response) const
{
    ScoreResult r;
    if (sample.target.isEmpty()) {
        r.error = true;
        r.explanation = u"exact_match: the sample has no target to compare with"_s;
        return r;
    }
    const QString got = normalize(response);
    const QString expected = normalize(sample.target);
    const bool match = got == expected;
    r.score = match ? 1.0 : 0.0;
    r.explanation = u"exact_match: response "_s + ScorerText::quote(got) + (match ? u" equals"_s : u" differs from"_s)
        + u" expected "_s + ScorerText::quote(expected) + u" (after normalisation: "_s + m_text.describe() + u')';
    return r;
}

} // namespace evs
