#include "app/benchmarks/scorer.h"

#include "app/benchmarks/compositescorer.h"
#include "app/benchmarks/containsscorer.h"
#include "app/benchmarks/exactmatchscorer.h"
#include "app/benchmarks/jsonscorer.h"
#include "app/benchmarks/judgescorer.h"
#include "app/benchmarks/multiplechoicescorer.h"
#include "app/benchmarks/numericscorer.h"
#include "app/benchmarks/regexextractscorer.h"
#include "app/benchmarks/regexscorer.h"
#include "models/plan/scoreroptions.h"

#include <QJsonArray>

using namespace Qt::StringLiterals;

namespace evs {

namespace {

// Options were validated by ScorerOptions: building cannot fail.
std::unique_ptr<Scorer> build(const QJsonObject& o)
{
    const QString type = o.value(u"type"_s).toString();
    if (type == u"exact_match"_s)
        return std::make_unique<ExactMatchScorer>(o);
    if (type == u"contains"_s || type == u"not_contains"_s)
        return std::make_unique<ContainsScorer>(o, type == u"not_contains"_s);
    if (type == u"regex"_s)
        return std::make_unique<RegexScorer>(o);
    if (type == u"regex_extract"_s)
        return std::make_unique<RegexExtractScorer>(o);
    if (type == u"multiple_choice"_s)
        return std::make_unique<MultipleChoiceScorer>();
    if (type == u"numeric"_s)
        return std::make_unique<NumericScorer>(o);
    if (type == u"json"_s)
        return std::make_unique<JsonScorer>(o);
    if (type == u"judge"_s)
        return std::make_unique<JudgeScorer>(o);
    if (type == u"composite"_s) {
        std::vector<CompositeScorer::Child> children;
        for (const QJsonValue& v : o.value(u"scorers"_s).toArray()) {
            const QJsonObject child = v.toObject();
            children.push_back(
                { build(child), child.value(u"type"_s).toString(), child.value(u"weight"_s).toDouble(1) });
        }
        return std::make_unique<CompositeScorer>(o, std::move(children));
    }
    return nullptr;
}

} // namespace

std::unique_ptr<Scorer> Scorer::create(const ScorerSpec& spec, QString* error)
{
    QJsonObject options = spec.options;
    options.insert(u"type"_s, spec.type);
    if (const auto e = ScorerOptions::validate(options)) {
        if (error)
            *error = (e->path.isEmpty() ? QString() : e->path + u": "_s) + e->message;
        return nullptr;
    }
    return build(options);
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
