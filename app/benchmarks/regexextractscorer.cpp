#include "app/benchmarks/regexextractscorer.h"

using namespace Qt::StringLiterals;

namespace evs {

RegexExtractScorer::RegexExtractScorer(const QJsonObject& options)
    : m_pattern(options.value(u"pattern"_s).toString(),
        options.value(u"case_sensitive"_s).toBool(false) ? QRegularExpression::NoPatternOption
                                                         : QRegularExpression::CaseInsensitiveOption)
    , m_last(options.value(u"occurrence"_s).toString(u"last"_s) == u"last"_s)
    , m_text(options)
{
    const QJsonValue group = options.value(u"group"_s);
    if (group.isString())
        m_groupName = group.toString();
    else
        m_group = group.isDouble() ? group.toInt() : (m_pattern.captureCount() > 0 ? 1 : 0);
}

ScoreResult RegexExtractScorer::score(const Sample& sample, const QString& response) const
{
    ScoreResult r;
    if (sample.target.isEmpty()) {
        r.error = true;
        r.explanation = u"regex_extract: the sample has no target to compare with"_s;
        return r;
    }
    const QString text = ScorerText::withoutReasoning(response);
    QRegularExpressionMatch chosen;
    int matches = 0;
    for (auto it = m_pattern.globalMatch(text); it.hasNext();) {
        const auto m = it.next();
        const bool groupMatched = m_groupName.isEmpty() ? m.hasCaptured(m_group) : m.hasCaptured(m_groupName);
        if (!groupMatched)
            continue;
        ++matches;
        if (m_last || matches == 1)
            chosen = m;
        if (!m_last)
            break;
    }
    const QString expected = m_text.normalize(sample.target);
    const QString groupText = m_groupName.isEmpty() ? QString::number(m_group) : m_groupName;
    if (matches == 0) {
        r.score = 0;
        r.explanation = u"regex_extract: nothing extracted: /"_s + m_pattern.pattern() + u"/ group "_s + groupText
            + u" did not match the response; expected "_s + ScorerText::quote(expected);
        return r;
    }
    const QString raw = m_groupName.isEmpty() ? chosen.captured(m_group) : chosen.captured(m_groupName);
    const QString got = m_text.normalize(raw);
    const bool match = got == expected;
    r.score = match ? 1.0 : 0.0;
    r.explanation = u"regex_extract: extracted "_s + ScorerText::quote(raw) + u" (group "_s + groupText + u", "_s
        + (m_last ? u"last"_s : u"first"_s) + u" of "_s + QString::number(matches) + u" match"_s
        + (matches == 1 ? u""_s : u"es"_s) + u"); "_s + ScorerText::quote(got)
        + (match ? u" equals"_s : u" differs from"_s) + u" expected "_s + ScorerText::quote(expected)
        + u" (after normalisation: "_s + m_text.describe() + u')' + (match ? u": pass"_s : u": fail"_s);
    return r;
}

} // namespace evs
