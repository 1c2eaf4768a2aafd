#include "app/benchmarks/regexscorer.h"

#include "app/benchmarks/scorertext.h"

using namespace Qt::StringLiterals;

namespace evs {

RegexScorer::RegexScorer(const QJsonObject& options)
    : m_pattern(options.value(u"pattern"_s).toString(),
        options.value(u"case_sensitive"_s).toBool(false) ? QRegularExpression::NoPatternOption
                                                         : QRegularExpression::CaseInsensitiveOption)
{
}

ScoreResult RegexScorer::score(const Sample&, const QString& response) const
{
    ScoreResult r;
    const auto m = m_pattern.match(response);
    r.score = m.hasMatch() ? 1.0 : 0.0;
    r.explanation = u"regex: /"_s + m_pattern.pattern() + u"/ "_s
        + (m.hasMatch() ? QString(u"matched "_s + ScorerText::quote(m.captured(0), 80) + u" at character "_s
               + QString::number(m.capturedStart() + 1) + u": pass"_s)
                        : QString(u"did not match the response "_s + ScorerText::quote(response, 80) + u": fail"_s));
    return r;
}

} // namespace evs
