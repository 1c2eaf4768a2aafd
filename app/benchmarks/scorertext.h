#pragma once

#include <QJsonObject>
#include <QString>

namespace evs {

// Text helpers shared by the scorers: how a value is quoted in an explanation, and the normalisation options
// (case_sensitive, normalize_whitespace, strip_punctuation, ignore_articles) of exact_match and regex_extract.
class ScorerText {
public:
    // "\"text\"", cut to maxChars with an ellipsis, newlines shown as "⏎" so an explanation stays on one line.
    static QString quote(const QString& text, int maxChars = 120);
    // The response without <think>…</think> reasoning blocks, which often mention wrong answers on the way.
    static QString withoutReasoning(const QString& text);

    explicit ScorerText(const QJsonObject& options);
    QString normalize(const QString& text) const;
    bool caseSensitive() const { return m_caseSensitive; }
    // "case-insensitive, whitespace collapsed": what normalize() did, for explanations.
    QString describe() const;

private:
    bool m_caseSensitive = false;
    bool m_normalizeWhitespace = true;
    bool m_stripPunctuation = false;
    bool m_ignoreArticles = false;
};

} // namespace evs
