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

#include <QHash>
#include <QJsonArray>

using namespace Qt::StringLiterals;

namespace evs {

namespace {

std::unique_ptr<Scorer> build(const QJsonObject& o);

using Factory = std::unique_ptr<Scorer> (*)(const QJsonObject&);

// One builder for each type of ScorerRegistry (tst_scorers checks that the two lists are the same).
const QHash<QString, Factory>& factories()
{
    static const QHash<QString, Factory> all = {
        { u"exact_match"_s,
            [](const QJsonObject& o) -> std::unique_ptr<Scorer> { return std::make_unique<ExactMatchScorer>(o); } },
        { u"contains"_s,
            [](const QJsonObject& o) -> std::unique_ptr<Scorer> {
                return std::make_unique<ContainsScorer>(o, false);
            } },
        { u"not_contains"_s,
            [](const QJsonObject& o) -> std::unique_ptr<Scorer> { return std::make_unique<ContainsScorer>(o, true); } },
        { u"regex"_s,
            [](const QJsonObject& o) -> std::unique_ptr<Scorer> { return std::make_unique<RegexScorer>(o); } },
        { u"regex_extract"_s,
            [](const QJsonObject& o) -> std::unique_ptr<Scorer> { return std::make_unique<RegexExtractScorer>(o); } },
        { u"multiple_choice"_s,
            [](const QJsonObject&) -> std::unique_ptr<Scorer> { return std::make_unique<MultipleChoiceScorer>(); } },
        { u"numeric"_s,
            [](const QJsonObject& o) -> std::unique_ptr<Scorer> { return std::make_unique<NumericScorer>(o); } },
        { u"json"_s, [](const QJsonObject& o) -> std::unique_ptr<Scorer> { return std::make_unique<JsonScorer>(o); } },
        { u"judge"_s,
            [](const QJsonObject& o) -> std::unique_ptr<Scorer> { return std::make_unique<JudgeScorer>(o); } },
        { u"composite"_s,
            [](const QJsonObject& o) -> std::unique_ptr<Scorer> {
                std::vector<CompositeScorer::Child> children;
                for (const QJsonValue& v : o.value(u"scorers"_s).toArray()) {
                    const QJsonObject child = v.toObject();
                    children.push_back(
                        { build(child), child.value(u"type"_s).toString(), child.value(u"weight"_s).toDouble(1) });
                }
                return std::make_unique<CompositeScorer>(o, std::move(children));
            } },
    };
    return all;
}

// Options were validated by ScorerOptions: building cannot fail.
std::unique_ptr<Scorer> build(const QJsonObject& o)
{
    const Factory factory = factories().value(o.value(u"type"_s).toString());
    return factory ? factory(o) : nullptr;
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
    auto scorer = build(options);
    if (!scorer && error)
        *error = u"type: the scorer \""_s + spec.type + u"\" cannot be built"_s;
    return scorer;
}

QStringList Scorer::buildableTypes()
{
    QStringList types = factories().keys();
    types.sort();
    return types;
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
