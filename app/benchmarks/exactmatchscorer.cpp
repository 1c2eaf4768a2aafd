#include "app/benchmarks/exactmatchscorer.h"

#include <QRegularExpression>

using namespace Qt::StringLiterals;

namespace evs
{

namespace
{

    QString shown(const QString& text)
    {
        constexpr int kMax = 120;
        return u'"' + (text.size() > kMax ? text.left(kMax) + u"…"_s : text) + u'"';
    }

} // namespace

ExactMatchScorer::ExactMatchScorer(const QJsonObject& options)
    : m_caseSensitive(options.value(u"case_sensitive"_s).toBool(false))
    , m_normalizeWhitespace(options.value(u"normalize_whitespace"_s).toBool(true))
    , m_stripPunctuation(options.value(u"strip_punctuation"_s).toBool(false))
    , m_ignoreArticles(options.value(u"ignore_articles"_s).toBool(false))
{
}

QString ExactMatchScorer::normalize(const QString& text) const
{
    static const QRegularExpression articles(u"\\b(a|an|the)\\b"_s, QRegularExpression::CaseInsensitiveOption);
    QString s = text.trimmed();
    if (!m_caseSensitive)
        s = s.toCaseFolded();
    if (m_stripPunctuation)
        s.removeIf([](QChar c) { return c.isPunct(); });
    if (m_ignoreArticles)
        s.replace(articles, QString());
    if (m_normalizeWhitespace || m_ignoreArticles)
        s = s.simplified();
    else
        s = s.trimmed();
    return s;
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
    r.explanation = u"exact_match: response "_s + shown(got) + (match ? u" equals"_s : u" differs from"_s)
        + u" expected "_s + shown(expected) + u" (after normalisation)"_s;
    return r;
}

} // namespace evs
