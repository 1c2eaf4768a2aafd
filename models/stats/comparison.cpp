#include "models/stats/comparison.h"

#include "models/stats/statistics.h"
#include "models/store/pairscorecursor.h"
#include "models/store/resultsstore.h"
#include "models/store/runqueries.h"

#include <QHash>
#include <QJsonArray>
#include <QJsonDocument>

#include <algorithm>
#include <cmath>
#include <map>
#include <vector>

using namespace Qt::StringLiterals;

namespace evs {

namespace {

struct PlanIds {
    QStringList models;
    QStringList benchmarks;
};

// Read straight from the stored plan, as RunSummary does, so that comparing does not depend on the plan parser.
PlanIds planIds(const QByteArray& planJson)
{
    PlanIds ids;
    const QJsonObject plan = QJsonDocument::fromJson(planJson).object();
    for (const auto& v : plan.value(u"models"_s).toArray())
        ids.models.append(v.toObject().value(u"id"_s).toString());
    for (const auto& v : plan.value(u"benchmarks"_s).toArray())
        ids.benchmarks.append(v.toObject().value(u"id"_s).toString());
    return ids;
}

// Latency and TTFT of the measured successful records of one side, as RunSummary computes them.
bool readTimings(const ResultsStore& store, qint64 run, int model, int benchmark, std::vector<double>* latency,
    std::vector<double>* ttft, QString* error)
{
    const bool read = forEachMeasuredTiming(
        store, run, model, benchmark,
        [&](const MeasuredTiming& t) {
            if (t.latencyNs)
                latency->push_back(double(*t.latencyNs) / 1e6);
            if (t.ttftNs)
                ttft->push_back(double(*t.ttftNs) / 1e6);
        },
        error);
    if (!read)
        return false;
    std::sort(latency->begin(), latency->end());
    std::sort(ttft->begin(), ttft->end());
    return true;
}

QVector<double> quantiles(const std::vector<double>& sorted)
{
    QVector<double> q;
    if (sorted.empty())
        return q;
    q.reserve(Comparison::kCdfPoints);
    for (int i = 0; i < Comparison::kCdfPoints; ++i)
        q.append(stats::percentileSorted(sorted, double(i) / double(Comparison::kCdfPoints - 1)));
    return q;
}

// Merge-joins the two sides' scores on (sample index, repeat), both read in the unique index's order.
bool comparePaired(const ResultsStore& store, const CompareSide& base, int baseBenchmark, const CompareSide& side,
    int sideBenchmark, quint64 seed, int resamples, PairedComparison* out, QString* error)
{
    PairScoreCursor a(store, base.runId, base.modelIndex, baseBenchmark);
    PairScoreCursor b(store, side.runId, side.modelIndex, sideBenchmark);
    std::vector<double> sa, sb;
    bool binary = true;
    while (!a.atEnd() || !b.atEnd()) {
        if (b.atEnd() || (!a.atEnd() && a.key() < b.key())) {
            ++out->onlyBaseline;
            a.advance();
        } else if (a.atEnd() || b.key() < a.key()) {
            ++out->onlySide;
            b.advance();
        } else {
            const double x = a.score();
            const double y = b.score();
            binary = binary && (x == 0 || x == 1) && (y == 0 || y == 1);
            const bool rightA = x >= 1.0;
            const bool rightB = y >= 1.0;
            if (rightA && !rightB)
                ++out->baselineOnlyRight;
            else if (rightB && !rightA)
                ++out->sideOnlyRight;
            sa.push_back(x);
            sb.push_back(y);
            a.advance();
            b.advance();
        }
    }
    if (a.failed() || b.failed()) {
        *error = u"%1 while reading scores"_s.arg(a.failed() ? a.error() : b.error());
        return false;
    }
    out->shared = qint64(sa.size());
    if (sa.empty())
        return true;
    out->scoreDiff = stats::pairedBootstrap(sa, sb, seed, resamples);
    if (binary) {
        out->test = u"mcnemar_exact"_s;
        out->pValue = stats::mcnemarExactP(out->baselineOnlyRight, out->sideOnlyRight);
    } else {
        out->test = u"paired_bootstrap"_s;
        out->pValue = out->scoreDiff.pValue;
    }
    return true;
}

QJsonValue num(double v)
{
    return std::isfinite(v) ? QJsonValue(v) : QJsonValue(QJsonValue::Null);
}

QJsonArray percentileDiffsToJson(const QVector<stats::PercentileDifference>& diffs)
{
    QJsonArray a;
    for (const auto& d : diffs) {
        a.append(QJsonObject { { u"q"_s, d.q }, { u"baseline"_s, num(d.base) }, { u"side"_s, num(d.other) },
            { u"diff"_s, num(d.diff) }, { u"ci_low"_s, num(d.ciLow) }, { u"ci_high"_s, num(d.ciHigh) } });
    }
    return a;
}

} // namespace

QString CompareSide::label() const
{
    return u"#%1 %2"_s.arg(runId).arg(modelId);
}

std::optional<QVector<CompareSide>> sidesOfRun(
    const ResultsStore& store, qint64 runId, const QStringList& modelIds, QString* error)
{
    const auto run = store.run(runId);
    if (!run) {
        *error = u"no run %1 in %2"_s.arg(runId).arg(store.path());
        return std::nullopt;
    }
    const PlanIds ids = planIds(run->planJson);
    QVector<CompareSide> sides;
    auto make = [&](int index) {
        CompareSide s;
        s.runId = runId;
        s.modelIndex = index;
        s.runName = run->name;
        s.modelId = ids.models.value(index, u"model#%1"_s.arg(index));
        return s;
    };
    if (modelIds.isEmpty()) {
        // Every model that has records (a plan may name models that never ran, e.g. an interrupted run).
        const auto models = readRunModels(store, runId, error);
        if (!models)
            return std::nullopt;
        for (const int m : *models)
            sides.append(make(m));
        return sides;
    }
    for (const QString& id : modelIds) {
        const int index = int(ids.models.indexOf(id));
        if (index < 0) {
            *error = u"run %1 has no model '%2' (it has: %3)"_s.arg(runId).arg(id, ids.models.join(u", "_s));
            return std::nullopt;
        }
        sides.append(make(index));
    }
    return sides;
}

std::optional<Comparison> computeComparison(const ResultsStore& store, const CompareRequest& request, QString* error)
{
    auto fail = [&](const QString& what) {
        if (error)
            *error = what;
        return std::nullopt;
    };
    if (!store.isOpen())
        return fail(u"the results store is not open"_s);
    if (request.sides.size() < 2)
        return fail(u"a comparison needs two or more sides (runs or models)"_s);
    if (request.baseline < 0 || request.baseline >= request.sides.size())
        return fail(u"the baseline must be one of the %1 sides"_s.arg(request.sides.size()));

    Comparison c;
    c.baseline = request.baseline;
    c.seed = request.seed;
    c.resamples = request.resamples;

    // Each run's summary once: the one saved at its end, else computed exactly from its records.
    std::map<qint64, RunSummary> summaries;
    std::map<qint64, PlanIds> plans;
    for (CompareSide side : request.sides) {
        if (!summaries.count(side.runId)) {
            const auto run = store.run(side.runId);
            if (!run)
                return fail(u"no run %1 in %2"_s.arg(side.runId).arg(store.path()));
            plans[side.runId] = planIds(run->planJson);
            std::optional<RunSummary> summary;
            if (!run->summary.isEmpty() && run->status != RunStatus::Running)
                summary = RunSummary::fromJson(run->summary);
            if (!summary) {
                QString why;
                summary = computeRunSummary(store, side.runId, &why);
                if (!summary)
                    return fail(why);
            }
            summaries[side.runId] = *summary;
            side.runName = run->name;
        } else {
            side.runName = summaries[side.runId].runName;
        }
        side.modelId = plans[side.runId].models.value(side.modelIndex, u"model#%1"_s.arg(side.modelIndex));
        c.sides.append(side);
    }

    // Benchmarks in order of first appearance among the sides.
    QStringList benchmarkIds;
    for (const CompareSide& side : std::as_const(c.sides)) {
        for (const PairSummary& p : summaries[side.runId].pairs) {
            if (p.modelIndex == side.modelIndex && !benchmarkIds.contains(p.benchmarkId)
                && (request.benchmarkId.isEmpty() || p.benchmarkId == request.benchmarkId))
                benchmarkIds.append(p.benchmarkId);
        }
    }
    if (benchmarkIds.isEmpty()) {
        return fail(request.benchmarkId.isEmpty() ? u"the sides have no scored benchmark records"_s
                                                  : u"no side has benchmark '%1'"_s.arg(request.benchmarkId));
    }

    const auto& base = c.sides[c.baseline];
    for (const QString& benchmarkId : std::as_const(benchmarkIds)) {
        BenchmarkComparison bc;
        bc.benchmarkId = benchmarkId;
        bc.sides.resize(c.sides.size());
        bc.vsBaseline.resize(c.sides.size());
        std::vector<std::vector<double>> latency(size_t(c.sides.size())), ttft(size_t(c.sides.size()));
        for (int i = 0; i < c.sides.size(); ++i) {
            const CompareSide& side = c.sides[i];
            SideFigures& f = bc.sides[i];
            for (const PairSummary& p : summaries[side.runId].pairs) {
                if (p.modelIndex == side.modelIndex && p.benchmarkId == benchmarkId) {
                    f.present = true;
                    f.benchmarkIndex = p.benchmarkIndex;
                    f.summary = p;
                    f.errorRate = p.n > 0 ? double(p.failed) / double(p.n) : 0;
                }
            }
        }
        // Timings: the baseline's are kept for the percentile differences; the others one at a time.
        const SideFigures& bf = bc.sides[c.baseline];
        std::vector<double> baseLatency, baseTtft;
        if (bf.present) {
            QString why;
            if (!readTimings(store, base.runId, base.modelIndex, bf.benchmarkIndex, &baseLatency, &baseTtft, &why))
                return fail(why);
        }
        for (int i = 0; i < c.sides.size(); ++i) {
            SideFigures& f = bc.sides[i];
            if (!f.present)
                continue;
            const CompareSide& side = c.sides[i];
            std::vector<double> lat, tt;
            QString why;
            if (i == c.baseline) {
                f.latencyQuantilesMs = quantiles(baseLatency);
                f.ttftQuantilesMs = quantiles(baseTtft);
                continue;
            }
            if (!readTimings(store, side.runId, side.modelIndex, f.benchmarkIndex, &lat, &tt, &why))
                return fail(why);
            f.latencyQuantilesMs = quantiles(lat);
            f.ttftQuantilesMs = quantiles(tt);
            if (!bf.present)
                continue;
            PairedComparison& pc = bc.vsBaseline[i];
            if (!comparePaired(store, base, bf.benchmarkIndex, side, f.benchmarkIndex, c.seed, c.resamples, &pc, &why))
                return fail(why);
            for (const double q : Comparison::kPercentiles) {
                pc.latencyMs.append(stats::bootstrapPercentileDifference(baseLatency, lat, q, c.seed, c.resamples));
                pc.ttftMs.append(stats::bootstrapPercentileDifference(baseTtft, tt, q, c.seed, c.resamples));
            }
        }
        c.benchmarks.append(std::move(bc));
    }
    return c;
}

QJsonObject Comparison::toJson() const
{
    QJsonArray sideArray;
    for (const auto& s : sides) {
        sideArray.append(QJsonObject { { u"run_id"_s, double(s.runId) }, { u"run_name"_s, s.runName },
            { u"model_index"_s, s.modelIndex }, { u"model_id"_s, s.modelId }, { u"label"_s, s.label() } });
    }
    QJsonArray benchArray;
    for (const auto& b : benchmarks) {
        QJsonArray entries;
        for (int i = 0; i < sides.size(); ++i) {
            const SideFigures& f = b.sides[i];
            QJsonObject e { { u"side"_s, i }, { u"present"_s, f.present } };
            if (f.present) {
                const PairSummary& p = f.summary;
                e.insert(u"n"_s, double(p.n));
                e.insert(u"failed"_s, double(p.failed));
                e.insert(u"error_rate"_s, f.errorRate);
                e.insert(u"scored"_s, double(p.scored));
                e.insert(u"score"_s, p.scoreMean);
                e.insert(u"score_ci_low"_s, p.scoreCiLow);
                e.insert(u"score_ci_high"_s, p.scoreCiHigh);
                e.insert(u"score_ci_method"_s, p.ciMethod);
                e.insert(u"latency_ms"_s,
                    QJsonObject { { u"n"_s, double(p.latencyMs.n) }, { u"p50"_s, p.latencyMs.p50 },
                        { u"p95"_s, p.latencyMs.p95 }, { u"p99"_s, p.latencyMs.p99 } });
                e.insert(u"ttft_ms"_s,
                    QJsonObject { { u"n"_s, double(p.ttftMs.n) }, { u"p50"_s, p.ttftMs.p50 },
                        { u"p95"_s, p.ttftMs.p95 }, { u"p99"_s, p.ttftMs.p99 } });
                e.insert(u"output_tokens_per_s"_s, p.outputTokensPerS);
                e.insert(u"cost_usd"_s, p.costUsd);
            }
            const PairedComparison& pc = b.vsBaseline[i];
            if (i != baseline && f.present && b.sides[baseline].present) {
                e.insert(u"vs_baseline"_s,
                    QJsonObject { { u"shared"_s, double(pc.shared) }, { u"only_baseline"_s, double(pc.onlyBaseline) },
                        { u"only_side"_s, double(pc.onlySide) },
                        { u"baseline_only_right"_s, double(pc.baselineOnlyRight) },
                        { u"side_only_right"_s, double(pc.sideOnlyRight) },
                        { u"disagreements"_s, double(pc.disagreements()) }, { u"test"_s, pc.test },
                        { u"p_value"_s, num(pc.pValue) }, { u"score_diff"_s, num(pc.scoreDiff.meanDiff) },
                        { u"score_diff_ci_low"_s, num(pc.scoreDiff.ciLow) },
                        { u"score_diff_ci_high"_s, num(pc.scoreDiff.ciHigh) },
                        { u"latency_ms"_s, percentileDiffsToJson(pc.latencyMs) },
                        { u"ttft_ms"_s, percentileDiffsToJson(pc.ttftMs) } });
            }
            entries.append(e);
        }
        benchArray.append(QJsonObject { { u"benchmark"_s, b.benchmarkId }, { u"sides"_s, entries } });
    }
    return QJsonObject { { u"sides"_s, sideArray }, { u"baseline"_s, baseline }, { u"seed"_s, double(seed) },
        { u"resamples"_s, resamples }, { u"benchmarks"_s, benchArray } };
}

} // namespace evs
