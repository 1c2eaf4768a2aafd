#include "app/benchmarks/numericscorer.h"

#include "app/benchmarks/scorertext.h"

#include <QRegularExpression>

#include <cmath>

using namespace Qt::StringLiterals;

namespace evs {

namespace {

// A number as people write one: "-1,234.5", "$12", "42%", "1/2", "3.2e5", "−7", ".5".
const QRegularExpression& numberPattern()
{
    static const QRegularExpression re(u"(?<![\\w.])(?<sign>[-+−])?(?<cur>[$€£¥])?\\s?(?<sign2>[-−])?"
                                       "(?:(?<num>\\d+)\\s*/\\s*(?<den>\\d+)(?![\\d/])"
                                       "|(?<int>\\d{1,3}(?:,\\d{3})+|\\d+)?(?<frac>\\.\\d+)?(?<exp>[eE][-+]?\\d+)?)"
                                       "(?<pct>\\s?%)?"_s);
    return re;
}

std::optional<NumericScorer::Extracted> parseMatch(const QRegularExpressionMatch& m)
{
    NumericScorer::Extracted e;
    const bool negative
        = m.captured(u"sign"_s) == u"-"_s || m.captured(u"sign"_s) == u"−"_s || !m.captured(u"sign2"_s).isEmpty();
    if (m.hasCaptured(u"num"_s)) {
        const double den = m.captured(u"den"_s).toDouble();
        if (den == 0)
            return std::nullopt;
        e.value = m.captured(u"num"_s).toDouble() / den;
    } else {
        if (!m.hasCaptured(u"int"_s) && !m.hasCaptured(u"frac"_s))
            return std::nullopt;
        QString digits = m.captured(u"int"_s);
        digits.remove(u',');
        bool ok = false;
        e.value = QString(digits + m.captured(u"frac"_s) + m.captured(u"exp"_s)).toDouble(&ok);
        if (!ok)
            return std::nullopt;
    }
    if (negative)
        e.value = -e.value;
    e.text = m.captured(0).trimmed();
    return e;
}

std::optional<NumericScorer::Extracted> lastNumber(const QString& text, qsizetype from = 0, qsizetype to = -1)
{
    std::optional<NumericScorer::Extracted> last;
    const QString part = text.mid(from, to < 0 ? -1 : to - from);
    for (auto it = numberPattern().globalMatch(part); it.hasNext();) {
        if (auto e = parseMatch(it.next()))
            last = e;
    }
    return last;
}

std::optional<NumericScorer::Extracted> firstNumber(const QString& text)
{
    for (auto it = numberPattern().globalMatch(text); it.hasNext();) {
        if (auto e = parseMatch(it.next()))
            return e;
    }
    return std::nullopt;
}

QString formatted(double v)
{
    return QString::number(v, 'g', 15);
}

} // namespace

NumericScorer::NumericScorer(const QJsonObject& options)
    : m_tolerance(options.value(u"tolerance"_s).toDouble(0))
    , m_relativeTolerance(options.value(u"relative_tolerance"_s).toDouble(0))
{
}

std::optional<NumericScorer::Extracted> NumericScorer::extract(const QString& response)
{
    const QString text = ScorerText::withoutReasoning(response);
    // GSM8K's "#### 42": the last such marker.
    if (const qsizetype at = text.lastIndexOf(u"####"_s); at >= 0) {
        if (auto e = firstNumber(text.mid(at + 4).left(80))) {
            e->how = u"after \"####\""_s;
            return e;
        }
    }
    static const QRegularExpression boxed(u"\\\\boxed\\s*\\{([^{}]*(?:\\{[^{}]*\\}[^{}]*)*)\\}"_s);
    QRegularExpressionMatch lastBoxed;
    for (auto it = boxed.globalMatch(text); it.hasNext();)
        lastBoxed = it.next();
    if (lastBoxed.hasMatch()) {
        QString inner = lastBoxed.captured(1);
        static const QRegularExpression latexFrac(u"\\\\[dt]?frac\\{\\s*(\\d+)\\s*\\}\\{\\s*(\\d+)\\s*\\}"_s);
        inner.replace(latexFrac, u"\\1/\\2"_s);
        inner.remove(u"\\!"_s).remove(u"\\,"_s).remove(u"\\%"_s);
        if (auto e = lastNumber(inner)) {
            e->how = u"in \\boxed{}"_s;
            return e;
        }
    }
    // "The answer is 7 apples", "Final answer: $1,234.50": the number right after the last such lead.
    static const QRegularExpression lead(
        u"\\b(?:final\\s+answer|the\\s+answer|answer|result|total)\\s*(?:is|was|would\\s+be|will\\s+be|=|:)\\s*(?:\\*\\*)?\\s*(?:about|approximately|roughly|exactly)?\\s*"_s,
        QRegularExpression::CaseInsensitiveOption);
    QRegularExpressionMatch lastLead;
    for (auto it = lead.globalMatch(text); it.hasNext();)
        lastLead = it.next();
    if (lastLead.hasMatch()) {
        static const QRegularExpression startsWithNumber(u"^\\s*[-+−$€£¥.\\d]"_s);
        const QString after = text.mid(lastLead.capturedEnd()).left(80);
        if (startsWithNumber.match(after).hasMatch()) {
            // "Answer: 12 + 30 = 42": within the stated answer's sentence, what follows the last "=".
            static const QRegularExpression sentenceEnd(u"\n|\\.(?:\\s|$)"_s);
            QString sentence = after.left(std::max<qsizetype>(sentenceEnd.match(after).capturedStart(), 0));
            if (sentence.isEmpty())
                sentence = after;
            const qsizetype equals = sentence.lastIndexOf(u'=');
            if (auto e = equals >= 0 ? lastNumber(sentence.mid(equals + 1)) : firstNumber(sentence)) {
                e->how = u"stated as the answer"_s;
                return e;
            }
        }
    }
    if (auto e = lastNumber(text)) {
        e->how = u"the last number"_s;
        return e;
    }
    return std::nullopt;
}

ScoreResult NumericScorer::score(const Sample& sample, const QString& response) const
{
    ScoreResult r;
    const auto expected = extract(sample.target);
    if (!expected) {
        r.error = true;
        r.explanation = u"numeric: the target "_s + ScorerText::quote(sample.target) + u" holds no number"_s;
        return r;
    }
    const auto got = extract(response);
    if (!got) {
        r.score = 0;
        r.explanation = u"numeric: no number found in the response; expected "_s + formatted(expected->value);
        return r;
    }
    const double diff = std::abs(got->value - expected->value);
    const double allowed = std::max({ m_tolerance, m_relativeTolerance * std::abs(expected->value),
        1e-9 * std::max(std::abs(expected->value), std::abs(got->value)) });
    const bool pass = diff <= allowed;
    r.score = pass ? 1.0 : 0.0;
    QString tolerance;
    if (m_tolerance > 0)
        tolerance += u"±"_s + formatted(m_tolerance);
    if (m_relativeTolerance > 0)
        tolerance += (tolerance.isEmpty() ? u""_s : u" or "_s) + u"±"_s + formatted(m_relativeTolerance * 100) + u"%"_s;
    r.explanation = u"numeric: extracted "_s + formatted(got->value) + u" (from "_s + ScorerText::quote(got->text, 40)
        + u", "_s + got->how + u"), expected "_s + formatted(expected->value)
        + (tolerance.isEmpty() ? u" exactly"_s : u" "_s + tolerance) + u"; difference "_s + formatted(diff)
        + (pass ? u": pass"_s : u": fail"_s);
    return r;
}

} // namespace evs
