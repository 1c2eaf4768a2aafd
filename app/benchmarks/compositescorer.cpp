#include "app/benchmarks/compositescorer.h"

#include <cmath>

using namespace Qt::StringLiterals;

namespace evs {

CompositeScorer::CompositeScorer(const QJsonObject& options, std::vector<Child> children)
    : m_passThreshold(options.value(u"pass_threshold"_s).toDouble(1))
    , m_children(std::move(children))
{
    const QString mode = options.value(u"mode"_s).toString(u"weighted"_s);
    m_mode = mode == u"all"_s ? Mode::All : mode == u"any"_s ? Mode::Any : Mode::Weighted;
    for (const Child& c : m_children) {
        if (c.scorer->needsJudge())
            m_judge = c.scorer.get();
    }
}

QString CompositeScorer::judgeModelId() const
{
    return m_judge ? m_judge->judgeModelId() : QString();
}

PromptRequest CompositeScorer::judgePrompt(const Sample& sample, const QString& response) const
{
    return m_judge ? m_judge->judgePrompt(sample, response) : PromptRequest {};
}

ScoreResult CompositeScorer::score(const Sample& sample, const QString& response) const
{
    return combine(sample, response, nullptr);
}

ScoreResult CompositeScorer::scoreWithVerdict(
    const Sample& sample, const QString& response, const QString& judgeAnswer) const
{
    return combine(sample, response, &judgeAnswer);
}

ScoreResult CompositeScorer::combine(const Sample& sample, const QString& response, const QString* judgeAnswer) const
{
    double weightSum = 0;
    for (const Child& c : m_children)
        weightSum += c.weight;
    double weighted = 0;
    int passed = 0;
    bool error = false;
    QStringList parts;
    for (qsizetype i = 0; i < qsizetype(m_children.size()); ++i) {
        const Child& c = m_children[size_t(i)];
        const ScoreResult r = judgeAnswer && c.scorer->needsJudge()
            ? c.scorer->scoreWithVerdict(sample, response, *judgeAnswer)
            : c.scorer->score(sample, response);
        error = error || r.error;
        const double share = c.weight / weightSum;
        if (!r.error) {
            weighted += share * r.score;
            if (r.score >= m_passThreshold)
                ++passed;
        }
        QString part = u"["_s + QString::number(i + 1) + u"] "_s + c.type;
        if (m_mode == Mode::Weighted)
            part += u" (weight "_s + QString::number(share, 'g', 3) + u')';
        part += r.error ? u" error"_s : u" "_s + QString::number(r.score, 'g', 4);
        part += u": "_s + r.explanation;
        parts << part;
    }
    const int n = int(m_children.size());
    ScoreResult result;
    QString summary;
    if (error) {
        result.error = true;
        summary = u"a child scorer could not score"_s;
    } else if (m_mode == Mode::Weighted) {
        result.score = weighted;
        summary = u"weighted mean "_s + QString::number(weighted, 'g', 4);
    } else {
        const bool pass = m_mode == Mode::All ? passed == n : passed > 0;
        result.score = pass ? 1.0 : 0.0;
        summary = QString::number(passed) + u" of "_s + QString::number(n) + u" passed (score >= "_s
            + QString::number(m_passThreshold) + u"), "_s + (m_mode == Mode::All ? u"all"_s : u"any"_s)
            + u" required: "_s + (pass ? u"pass"_s : u"fail"_s);
    }
    result.explanation = u"composite: "_s + summary + u"\n"_s + parts.join(u'\n');
    return result;
}

} // namespace evs
