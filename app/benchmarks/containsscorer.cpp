#include "app/benchmarks/containsscorer.h"

#include "app/benchmarks/scorertext.h"

#include <QJsonArray>

using namespace Qt::StringLiterals;

namespace evs {

ContainsScorer::ContainsScorer(const QJsonObject& options, bool negated)
    : m_all(options.value(u"mode"_s).toString() == u"all"_s)
    , m_caseSensitive(options.value(u"case_sensitive"_s).toBool(false))
    , m_negated(negated)
{
    if (options.contains(u"value"_s))
        m_values << options.value(u"value"_s).toString();
    for (const QJsonValue& v : options.value(u"values"_s).toArray())
        m_values << v.toString();
}

ScoreResult ContainsScorer::score(const Sample& sample, const QString& response) const
{
    const QString name = m_negated ? u"not_contains"_s : u"contains"_s;
    ScoreResult r;
    const QStringList values = m_values.isEmpty() ? QStringList { sample.target } : m_values;
    if (values.size() == 1 && values.front().isEmpty()) {
        r.error = true;
        r.explanation = name + u": no value to look for (no \"value\" option and the sample has no target)"_s;
        return r;
    }
    const Qt::CaseSensitivity cs = m_caseSensitive ? Qt::CaseSensitive : Qt::CaseInsensitive;
    QStringList found;
    QStringList missing;
    for (const QString& v : values)
        (response.contains(v, cs) ? found : missing) << ScorerText::quote(v, 60);
    const bool hit = m_all ? missing.isEmpty() : !found.isEmpty();
    const bool pass = hit != m_negated;
    r.score = pass ? 1.0 : 0.0;
    QString what = u"found "_s + (found.isEmpty() ? u"none"_s : found.join(u", "_s));
    if (!missing.isEmpty())
        what += u"; not found "_s + missing.join(u", "_s);
    const QString rule = (m_negated ? u"must not contain "_s : u"must contain "_s)
        + (values.size() == 1 ? u"the value"_s
                : m_all       ? u"all values"_s
                              : u"any value"_s)
        + (m_caseSensitive ? u" (case-sensitive)"_s : u" (case ignored)"_s);
    r.explanation = name + u": "_s + what + u" in the response; it "_s + rule + (pass ? u": pass"_s : u": fail"_s);
    return r;
}

} // namespace evs
