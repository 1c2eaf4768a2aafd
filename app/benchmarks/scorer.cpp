#include "app/benchmarks/scorer.h"

#include "app/benchmarks/exactmatchscorer.h"
#include "app/benchmarks/multiplechoicescorer.h"

using namespace Qt::StringLiterals;

namespace evs {

std::unique_ptr<Scorer> Scorer::create(const ScorerSpec& spec, QString* error)
{
    if (spec.type == u"exact_match"_s)
        return std::make_unique<ExactMatchScorer>(spec.options);
    if (spec.type == u"multiple_choice"_s)
        return std::make_unique<MultipleChoiceScorer>();
    if (error)
        *error = u"unknown scorer \""_s + spec.type + u"\"; known: exact_match, multiple_choice"_s;
    return nullptr;
}

PromptRequest Scorer::judgePrompt(const Sample&, const QString&) const
{
    return {};
}

ScoreResult Scorer::scoreWithVerdict(const Sample& sample, const QString& response, const QString&) const
{
    return score(sample, response);
}

} // namespace evs
