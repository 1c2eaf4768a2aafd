#include "app/engine/rescorer.h"

#include "app/benchmarks/samplesource.h"
#include "app/benchmarks/scorer.h"
#include "models/plan/planparser.h"
#include "models/store/resultsstore.h"
#include "models/store/scoringstore.h"

#include <QJsonArray>

#include <cmath>

using namespace Qt::StringLiterals;

namespace evs {

namespace {

// A judge anywhere in the spec (composites included) would need a model call.
bool namesJudge(const QJsonValue& v)
{
    if (v.isObject()) {
        const QJsonObject o = v.toObject();
        if (o.value(u"type"_s).toString() == u"judge"_s)
            return true;
        for (auto it = o.begin(); it != o.end(); ++it) {
            if (namesJudge(it.value()))
                return true;
        }
    } else if (v.isArray()) {
        for (const auto& e : v.toArray()) {
            if (namesJudge(e))
                return true;
        }
    }
    return false;
}

} // namespace

std::optional<RescoreOutcome> Rescorer::rescore(
    ResultsStore& store, const RescoreOptions& options, QString* error, bool* errorIsUsage)
{
    auto fail = [&](const QString& why, bool usage) -> std::optional<RescoreOutcome> {
        if (error)
            *error = why;
        if (errorIsUsage)
            *errorIsUsage = usage;
        return std::nullopt;
    };
    const auto run = store.run(options.runId);
    if (!run)
        return fail(u"no run %1 in %2"_s.arg(options.runId).arg(store.path()), true);
    PlanError planError;
    const auto plan = PlanParser::parse(run->planJson, QString(), &planError);
    if (!plan)
        return fail(
            u"run %1: its stored plan no longer validates: %2"_s.arg(options.runId).arg(planError.toString()), false);

    const QString type = options.scorer.value(u"type"_s).toString();
    if (type.isEmpty())
        return fail(u"the scorer needs a \"type\" (e.g. {\"type\":\"exact_match\"})"_s, true);
    if (namesJudge(options.scorer))
        return fail(u"a judge scorer needs a request to its judge model, and rescore never calls a model; "
                    "run the plan again with the judge scorer instead"_s,
            true);
    ScorerSpec spec;
    spec.type = type;
    spec.options = options.scorer;
    QString why;
    const auto scorer = Scorer::create(spec, &why);
    if (!scorer)
        return fail(u"invalid scorer: "_s + why, true);
    if (scorer->needsJudge())
        return fail(u"a judge scorer needs a request to its judge model, and rescore never calls a model"_s, true);

    int onlyBenchmark = -1;
    if (!options.benchmarkId.isEmpty()) {
        QStringList ids;
        for (qsizetype b = 0; b < plan->benchmarks.size(); ++b) {
            ids << plan->benchmarks[b].id;
            if (plan->benchmarks[b].id == options.benchmarkId)
                onlyBenchmark = int(b);
        }
        if (onlyBenchmark < 0)
            return fail(u"run %1 has no benchmark \"%2\"; its benchmarks: %3"_s.arg(options.runId)
                            .arg(options.benchmarkId, ids.join(u", "_s)),
                true);
    }

    ScoringStore scorings(store);
    const auto pairs = scorings.pairs(options.runId, &why);
    if (!why.isEmpty())
        return fail(why, false);
    const auto scoringId = scorings.begin(options.runId, options.scorer, options.label, onlyBenchmark, &why);
    if (!scoringId)
        return fail(why, false);

    RescoreOutcome outcome;
    outcome.scoringId = *scoringId;
    for (const auto& [m, b] : pairs) {
        if ((onlyBenchmark >= 0 && b != onlyBenchmark) || b < 0 || b >= plan->benchmarks.size())
            continue;
        // The dataset is read again for each model: one pass in sample order alongside the stored responses.
        auto source = SampleSource::open(plan->benchmarks[b], &why);
        if (!source)
            return fail(u"benchmark %1: %2"_s.arg(plan->benchmarks[b].id, why), false);
        Sample sample;
        bool haveSample = false;
        bool exhausted = false;
        why.clear();
        bool ok = scorings.forEachResponse(
            options.runId, m, b,
            [&](const StoredResponse& r) {
                while (!exhausted && (!haveSample || sample.index < r.sampleIndex)) {
                    haveSample = source->next(&sample);
                    exhausted = !haveSample;
                }
                if (!r.ok)
                    return scorings.add(r.resultId, std::nan(""), false, u"the request failed: not scored"_s, &why);
                if (!haveSample || sample.index != r.sampleIndex
                    || (!r.sampleId.isEmpty() && sample.id != r.sampleId)) {
                    ++outcome.missingSamples;
                    ++outcome.scoreErrors;
                    const QString what = haveSample && sample.index == r.sampleIndex
                        ? u"the dataset changed since the run: sample %1 was \"%2\", now \"%3\""_s.arg(r.sampleIndex)
                              .arg(r.sampleId, sample.id)
                        : u"sample %1 is no longer in the dataset"_s.arg(r.sampleIndex);
                    return scorings.add(r.resultId, std::nan(""), true, what, &why);
                }
                const ScoreResult s = scorer->score(sample, r.response);
                if (s.error || std::isnan(s.score))
                    ++outcome.scoreErrors;
                else
                    ++outcome.scored;
                return scorings.add(r.resultId, s.score, s.error || std::isnan(s.score), s.explanation, &why);
            },
            &why);
        if (ok && !source->error().isEmpty()) {
            why = u"benchmark %1: %2"_s.arg(plan->benchmarks[b].id, source->error());
            ok = false;
        }
        if (!ok || !why.isEmpty()) {
            scorings.rollback();
            return fail(why, false);
        }
    }
    if (!scorings.commit(&why))
        return fail(why, false);

    auto original = computeRunSummary(store, options.runId, &why);
    if (!original)
        return fail(why, false);
    auto rescored = computeRunSummary(store, options.runId, &why, *scoringId);
    if (!rescored)
        return fail(why, false);
    // Bad dataset records are a property of the run's datasets, counted when it ran.
    if (const auto stored = RunSummary::fromJson(run->summary)) {
        for (auto it = stored->badRecordsByBenchmark.cbegin(); it != stored->badRecordsByBenchmark.cend(); ++it) {
            original->setBadRecords(it.key(), it.value());
            if (onlyBenchmark < 0 || it.key() == onlyBenchmark)
                rescored->setBadRecords(it.key(), it.value());
        }
    }
    if (!scorings.saveSummary(*scoringId, rescored->toJson(), &why))
        return fail(why, false);
    outcome.original = std::move(*original);
    outcome.rescored = std::move(*rescored);
    return outcome;
}

QString Rescorer::comparisonText(const RunSummary& original, const RunSummary& rescored)
{
    auto scoreCell = [](const PairSummary* p) -> QString {
        if (!p || p->scored == 0)
            return u"not scored"_s;
        return u"%1 [%2, %3]"_s.arg(QString::number(p->scoreMean, 'f', 4), QString::number(p->scoreCiLow, 'f', 3),
            QString::number(p->scoreCiHigh, 'f', 3));
    };
    QString out = u"Run %1  %2: scoring 0 (original) vs scoring %3\n"_s.arg(original.runId)
                      .arg(original.runName)
                      .arg(rescored.scoringId);
    out += u"%1 %2 %3 %4\n"_s.arg(u"MODEL / BENCHMARK"_s, -28)
               .arg(u"ORIGINAL mean [95% CI]"_s, -26)
               .arg(u"RESCORED mean [95% CI]"_s, -26)
               .arg(u"CHANGE"_s);
    for (const PairSummary& r : rescored.pairs) {
        const PairSummary* o = nullptr;
        for (const PairSummary& c : original.pairs) {
            if (c.modelIndex == r.modelIndex && c.benchmarkIndex == r.benchmarkIndex)
                o = &c;
        }
        const QString change = o && o->scored > 0 && r.scored > 0
            ? QString::number(r.scoreMean - o->scoreMean, 'f', 4).prepend(r.scoreMean >= o->scoreMean ? u"+"_s : u""_s)
            : u"-"_s;
        out += u"%1 %2 %3 %4\n"_s.arg(QString(r.modelId + u" / "_s + r.benchmarkId).left(28), -28)
                   .arg(scoreCell(o), -26)
                   .arg(scoreCell(&r), -26)
                   .arg(change);
        if (r.scoreErrors > 0)
            out += u"  %1 responses could not be scored by the new scorer\n"_s.arg(r.scoreErrors);
    }
    return out;
}

} // namespace evs
