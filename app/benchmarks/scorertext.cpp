#include "app/benchmarks/scorertext.h"

#include <QRegularExpression>
#include <QStringList>

using namespace Qt::StringLiterals;

namespace evs {

QString ScorerText::quote(const QString& text, int maxChars)
{
    QString t = text.size() > maxChars ? text.left(maxChars) + u"…"_s : text;
    t.replace(u"\r\n"_s, u"⏎"_s);
    t.replace(u'\n', u"⏎"_s);
    return u'"' + t + u'"';
}

QString ScorerText::withoutReasoning(const QString& text)
{
    static const QRegularExpression thinking(
        u"<(think|thinking|reasoning)>.*?(</\\1>|$)"_s, QRegularExpression::DotMatchesEverythingOption);
    QString t = text;
    t.remove(thinking);
    return t;
}

ScorerText::ScorerText(const QJsonObject& options)
    : m_caseSensitive(options.value(u"case_sensitive"_s).toBool(false))
    , m_normalizeWhitespace(options.value(u"normalize_whitespace"_s).toBool(true))
    , m_stripPunctuation(options.value(u"strip_punctuation"_s).toBool(false))
    , m_ignoreArticles(options.value(u"ignore_articles"_s).toBool(false))
{
}

QString ScorerText::normalize(const QString& text) const
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

QString ScorerText::describe() const
{
    QStringList done;
    if (!m_caseSensitive)
        done << u"case ignored"_s;
    if (m_normalizeWhitespace)
        done << u"whitespace collapsed"_s;
    if (m_stripPunctuation)
        done << u"punctuation removed"_s;
    if (m_ignoreArticles)
        done << u"articles dropped"_s;
    return done.isEmpty() ? u"no normalisation"_s : done.join(u", "_s);
}

} // namespace evs
