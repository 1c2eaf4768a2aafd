#include "models/stats/runsummary.h"

#include "models/core/metricdefinitions.h"
#include "models/stats/statistics.h"
#include "models/store/resultsstore.h"
#include "models/store/runqueries.h"

#include <QJsonArray>
#include <QJsonDocument>

#include <algorithm>
#include <cmath>
#include <vector>

using namespace Qt::StringLiterals;

namespace evs {

namespace {

struct PlanNames {
    struct Model {
        QString id;
        double priceInPerMtok = 0;
        double priceOutPerMtok = 0;
    };
    std::vector<Model> models;
    std::vector<QString> benchmarks;
    std::vector<int> repeats;
};

// Read straight from the stored plan so that statistics do not depend on the plan parser.
PlanNames parsePlanNames(const QByteArray& planJson)
{
    PlanNames names;
    const QJsonObject plan = QJsonDocument::fromJson(planJson).object();
    for (const auto& v : plan.value(u"models"_s).toArray()) {
        const QJsonObject m = v.toObject();
        const QJsonObject price = m.value(u"price_per_mtok"_s).toObject();
        names.models.push_back(
            { m.value(u"id"_s).toString(), price.value(u"input"_s).toDouble(), price.value(u"output"_s).toDouble() });
    }
    for (const auto& v : plan.value(u"benchmarks"_s).toArray()) {
        names.benchmarks.push_back(v.toObject().value(u"id"_s).toString());
        names.repeats.push_back(v.toObject().value(u"repeats"_s).toInt(1));
    }
    return names;
}

Percentiles percentilesOf(std::vector<double>& v)
{
    Percentiles p;
    p.n = qint64(v.size());
    if (v.empty())
        return p;
    std::sort(v.begin(), v.end());
    p.p50 = stats::percentileSorted(v, 0.50);
    p.p90 = stats::percentileSorted(v, 0.90);
    p.p95 = stats::percentileSorted(v, 0.95);
    p.p99 = stats::percentileSorted(v, 0.99);
    p.p999 = stats::percentileSorted(v, 0.999);
    p.max = v.back();
    return p;
}

// A figure, or null when it has no data.
QJsonValue figureToJson(double v)
{
    return std::isfinite(v) ? QJsonValue(v) : QJsonValue(QJsonValue::Null);
}

// null (and anything that is not a number) reads back as absent.
double figureFromJson(const QJsonValue& v)
{
    return v.toDouble(std::nan(""));
}

QJsonObject percentilesToJson(const Percentiles& p)
{
    const bool has = !p.isEmpty();
    auto f = [has](double v) { return has ? figureToJson(v) : QJsonValue(QJsonValue::Null); };
    return QJsonObject { { u"n"_s, double(p.n) }, { u"p50"_s, f(p.p50) }, { u"p90"_s, f(p.p90) },
        { u"p95"_s, f(p.p95) }, { u"p99"_s, f(p.p99) }, { u"p99_9"_s, f(p.p999) }, { u"max"_s, f(p.max) } };
}

Percentiles percentilesFromJson(const QJsonObject& o)
{
    Percentiles p;
    p.n = qint64(o.value(u"n"_s).toDouble());
    if (p.isEmpty())
        return p; // older summaries stored 0 for every percentile of an empty distribution
    p.p50 = figureFromJson(o.value(u"p50"_s));
    p.p90 = figureFromJson(o.value(u"p90"_s));
    p.p95 = figureFromJson(o.value(u"p95"_s));
    p.p99 = figureFromJson(o.value(u"p99"_s));
    p.p999 = figureFromJson(o.value(u"p99_9"_s));
    p.max = figureFromJson(o.value(u"max"_s));
    return p;
}

struct ScoreAccumulator {
    std::vector<double> scores;
    qint64 passes = 0;
    bool binary = true;
    void add(double v)
    {
        binary = binary && (v == 0.0 || v == 1.0);
        passes += v == 1.0 ? 1 : 0;
        scores.push_back(v);
    }
    // mean, standard error, and Wilson (pass/fail) or bootstrap (otherwise) 95 % interval
    void describe(
        quint64 seed, qint64* scored, double* mean, double* stdErr, double* lo, double* hi, QString* method) const
    {
        *scored = qint64(scores.size());
        if (scores.empty())
            return;
        *mean = stats::mean(scores);
        *stdErr = stats::standardError(scores);
        const auto ci = binary ? stats::wilsonInterval(passes, *scored) : stats::bootstrapMeanInterval(scores, seed);
        *lo = ci.first;
        *hi = ci.second;
        *method = binary ? u"wilson"_s : u"bootstrap"_s;
    }
};

bool computePair(const ResultsStore& store, qint64 runId, quint64 seed, const PlanNames& plan, qint64 scoringId,
    PairSummary& s, QString* error)
{
    const int m = s.modelIndex;
    const int b = s.benchmarkIndex;

    // Counts, tokens and the time span. Cached responses cost nothing, so they are left out of the cost; they were
    // not measured either, so they are left out of the time span and the rates.
    {
        const auto counts = readPairCounts(store, runId, m, b, error);
        if (!counts)
            return false;
        s.n = counts->records;
        s.ok = counts->ok;
        s.failed = s.n - s.ok;
        s.inputTokens = qint64(counts->inputTokens);
        s.outputTokens = qint64(counts->outputTokens);
        const double billedIn = counts->billedInputTokens;
        const double billedOut = counts->billedOutputTokens;
        if (m >= 0 && size_t(m) < plan.models.size()) {
            const auto& model = plan.models[size_t(m)];
            s.costUsd = billedIn * model.priceInPerMtok / 1e6 + billedOut * model.priceOutPerMtok / 1e6;
        }
        s.cacheHits = qint64(counts->cacheHits);
        s.cacheMisses = qint64(counts->cacheMisses);
        if (counts->firstSendNs && counts->lastEndNs)
            s.durationS = double(*counts->lastEndNs - *counts->firstSendNs) / 1e9;
        if (s.durationS > 0) {
            s.requestsPerS = double(s.n - s.cacheHits) / s.durationS;
            s.outputTokensPerS = billedOut / s.durationS;
        }
    }

    {
        auto errors = readPairErrorsByClass(store, runId, m, b, error);
        if (!errors)
            return false;
        s.errorsByClass = std::move(*errors);
    }

    {
        const auto retried = readPairRetriedAttempts(store, runId, m, b, error);
        if (!retried)
            return false;
        s.retriedAttempts = *retried;
    }

    // Scores in one pass in sample order: overall, per category, and per sample for pass@k.
    {
        const std::vector<int> ks = stats::passKValues(size_t(b) < plan.repeats.size() ? plan.repeats[size_t(b)] : 1);
        std::vector<PassAtK> pass(ks.size());
        for (size_t i = 0; i < ks.size(); ++i)
            pass[i].k = ks[i];
        qint64 currentSample = -1, sampleN = 0, sampleC = 0;
        auto closeSample = [&] {
            for (auto& p : pass) {
                if (sampleN >= p.k) {
                    ++p.samples;
                    p.passAtK += stats::passAtK(sampleN, sampleC, p.k);
                    p.passHatK += stats::passHatK(sampleN, sampleC, p.k);
                }
            }
            sampleN = sampleC = 0;
        };
        ScoreAccumulator all;
        all.scores.reserve(size_t(s.n));
        QMap<QString, ScoreAccumulator> byCategory;
        const bool read = forEachPairScore(
            store, runId, m, b, scoringId,
            [&](const PairScore& score) {
                if (score.scoreError)
                    ++s.scoreErrors;
                if (std::isnan(score.score))
                    return;
                if (score.sampleIndex != currentSample) {
                    closeSample();
                    currentSample = score.sampleIndex;
                }
                const double v = score.score;
                ++sampleN;
                sampleC += v >= 1.0 ? 1 : 0;
                all.add(v);
                byCategory[score.category.isEmpty() ? u"(none)"_s : score.category].add(v);
            },
            error);
        if (!read)
            return false;
        closeSample();
        all.describe(seed, &s.scored, &s.scoreMean, &s.scoreStdErr, &s.scoreCiLow, &s.scoreCiHigh, &s.ciMethod);
        if (byCategory.size() >= 2) {
            for (auto it = byCategory.cbegin(); it != byCategory.cend(); ++it) {
                CategorySummary c;
                c.category = it.key();
                it.value().describe(seed, &c.scored, &c.mean, &c.stdErr, &c.ciLow, &c.ciHigh, &c.ciMethod);
                s.categories.push_back(std::move(c));
            }
        }
        for (auto& p : pass) {
            if (p.samples > 0) {
                p.passAtK /= double(p.samples);
                p.passHatK /= double(p.samples);
                s.passAtK.push_back(p);
            }
        }
    }

    {
        std::vector<double> latency, ttft, itl;
        latency.reserve(size_t(s.ok));
        const bool read = forEachMeasuredTiming(
            store, runId, m, b,
            [&](const MeasuredTiming& t) {
                if (t.latencyNs)
                    latency.push_back(double(*t.latencyNs) / 1e6);
                if (t.ttftNs)
                    ttft.push_back(double(*t.ttftNs) / 1e6);
                // A whole response (or a stream that arrived in one read) has its first and last token at one
                // moment: no gap between tokens was observed, so it has no ITL rather than an ITL of 0.
                if (t.firstToLastTokenNs && *t.firstToLastTokenNs > 0 && t.outputTokens > 1)
                    itl.push_back(double(*t.firstToLastTokenNs) / 1e6 / double(t.outputTokens - 1));
            },
            error);
        if (!read)
            return false;
        s.latencyMs = percentilesOf(latency);
        s.ttftMs = percentilesOf(ttft);
        s.itlMs = percentilesOf(itl);
    }

    if (size_t(m) < plan.models.size() && !plan.models[size_t(m)].id.isEmpty())
        s.modelId = plan.models[size_t(m)].id;
    else
        s.modelId = u"model#%1"_s.arg(m);
    if (size_t(b) < plan.benchmarks.size() && !plan.benchmarks[size_t(b)].isEmpty())
        s.benchmarkId = plan.benchmarks[size_t(b)];
    else
        s.benchmarkId = u"benchmark#%1"_s.arg(b);
    return true;
}

QString formatMs(double v)
{
    return formatFigure(v, v < 10 ? 2 : (v < 1000 ? 1 : 0));
}

QString formatRate(double v)
{
    return formatFigure(v, v < 100 ? 2 : 1);
}

} // namespace

void RunSummary::setBadRecords(int benchmarkIndex, qint64 count)
{
    badRecordsByBenchmark.insert(benchmarkIndex, count);
    for (auto& p : pairs) {
        if (p.benchmarkIndex == benchmarkIndex)
            p.badRecords = count;
    }
}

std::optional<RunSummary> computeRunSummary(const ResultsStore& store, qint64 runId, QString* error, qint64 scoringId)
{
    auto fail = [&](const QString& what) {
        if (error)
            *error = u"results store %1: %2"_s.arg(store.path(), what);
        return std::nullopt;
    };
    if (!store.isOpen())
        return fail(u"not open"_s);
    const auto run = store.run(runId);
    if (!run)
        return fail(u"no run %1"_s.arg(runId));
    const PlanNames plan = parsePlanNames(run->planJson);

    RunSummary summary;
    summary.runId = runId;
    summary.runName = run->name;
    summary.scoringId = scoringId;
    for (size_t b = 0; b < plan.benchmarks.size(); ++b)
        summary.benchmarkIds.insert(int(b), plan.benchmarks[b]);

    int onlyBenchmark = -1;
    if (scoringId > 0) {
        const auto benchmark = readScoringBenchmark(store, runId, scoringId);
        if (!benchmark)
            return fail(u"run %1 has no scoring %2"_s.arg(runId).arg(scoringId));
        onlyBenchmark = *benchmark;
    }

    std::vector<std::pair<int, int>> pairs;
    {
        QString why;
        const auto all = readRunPairs(store, runId, &why);
        if (!all)
            return fail(why);
        for (const auto& [m, b] : *all) {
            if (onlyBenchmark < 0 || b == onlyBenchmark)
                pairs.emplace_back(m, b);
        }
    }

    // One pair at a time keeps memory to one pair's columns, whatever the size of the run.
    for (const auto& [m, b] : pairs) {
        PairSummary p;
        p.modelIndex = m;
        p.benchmarkIndex = b;
        QString why;
        if (!computePair(store, runId, run->seed, plan, scoringId, p, &why))
            return fail(why);
        summary.pairs.push_back(std::move(p));
    }
    return summary;
}

namespace {

QJsonObject categoryToJson(const CategorySummary& c)
{
    return QJsonObject { { u"category"_s, c.category }, { u"scored"_s, double(c.scored) },
        { u"mean"_s, figureToJson(c.mean) }, { u"ci_low"_s, figureToJson(c.ciLow) },
        { u"ci_high"_s, figureToJson(c.ciHigh) }, { u"stderr"_s, figureToJson(c.stdErr) },
        { u"ci_method"_s, c.ciMethod } };
}

} // namespace

QJsonObject RunSummary::toJson() const
{
    QJsonArray pairArray;
    for (const auto& p : pairs) {
        QJsonObject errors;
        for (auto it = p.errorsByClass.cbegin(); it != p.errorsByClass.cend(); ++it)
            errors.insert(it.key(), double(it.value()));
        QJsonArray categories;
        for (const auto& c : p.categories)
            categories.append(categoryToJson(c));
        QJsonArray passK;
        for (const auto& k : p.passAtK) {
            passK.append(QJsonObject { { u"k"_s, k.k }, { u"samples"_s, double(k.samples) },
                { u"pass_at_k"_s, k.passAtK }, { u"pass_hat_k"_s, k.passHatK } });
        }
        pairArray.append(QJsonObject {
            { u"model_index"_s, p.modelIndex },
            { u"benchmark_index"_s, p.benchmarkIndex },
            { u"model"_s, p.modelId },
            { u"benchmark"_s, p.benchmarkId },
            { u"n"_s, double(p.n) },
            { u"ok"_s, double(p.ok) },
            { u"failed"_s, double(p.failed) },
            { u"errors_by_class"_s, errors },
            { u"retried_attempts"_s, double(p.retriedAttempts) },
            { u"score"_s,
                QJsonObject { { u"scored"_s, double(p.scored) }, { u"mean"_s, figureToJson(p.scoreMean) },
                    { u"ci_low"_s, figureToJson(p.scoreCiLow) }, { u"ci_high"_s, figureToJson(p.scoreCiHigh) },
                    { u"stderr"_s, figureToJson(p.scoreStdErr) }, { u"ci_method"_s, p.ciMethod },
                    { u"errors"_s, double(p.scoreErrors) } } },
            { u"categories"_s, categories },
            { u"pass_k"_s, passK },
            { u"cache"_s, QJsonObject { { u"hits"_s, double(p.cacheHits) }, { u"misses"_s, double(p.cacheMisses) } } },
            { u"bad_records"_s, double(p.badRecords) },
            { u"latency_ms"_s, percentilesToJson(p.latencyMs) },
            { u"ttft_ms"_s, percentilesToJson(p.ttftMs) },
            { u"itl_ms"_s, percentilesToJson(p.itlMs) },
            { u"input_tokens"_s, double(p.inputTokens) },
            { u"output_tokens"_s, double(p.outputTokens) },
            { u"duration_s"_s, figureToJson(p.durationS) },
            { u"requests_per_s"_s, figureToJson(p.requestsPerS) },
            { u"output_tokens_per_s"_s, figureToJson(p.outputTokensPerS) },
            { u"cost_usd"_s, p.costUsd },
        });
    }
    QJsonArray bad;
    for (auto it = badRecordsByBenchmark.cbegin(); it != badRecordsByBenchmark.cend(); ++it) {
        bad.append(QJsonObject { { u"benchmark_index"_s, it.key() }, { u"benchmark"_s, benchmarkIds.value(it.key()) },
            { u"bad_records"_s, double(it.value()) } });
    }
    QJsonObject o { { u"run_id"_s, double(runId) }, { u"run_name"_s, runName }, { u"pairs"_s, pairArray },
        { u"bad_records"_s, bad } };
    if (scoringId > 0)
        o.insert(u"scoring_id"_s, double(scoringId));
    return o;
}

std::optional<RunSummary> RunSummary::fromJson(const QJsonObject& o)
{
    if (!o.value(u"pairs"_s).isArray() || !o.value(u"run_id"_s).isDouble())
        return std::nullopt;
    RunSummary s;
    s.runId = qint64(o.value(u"run_id"_s).toDouble());
    s.runName = o.value(u"run_name"_s).toString();
    s.scoringId = qint64(o.value(u"scoring_id"_s).toDouble());
    for (const auto& v : o.value(u"bad_records"_s).toArray()) {
        const QJsonObject j = v.toObject();
        const int b = j.value(u"benchmark_index"_s).toInt();
        s.badRecordsByBenchmark.insert(b, qint64(j.value(u"bad_records"_s).toDouble()));
        s.benchmarkIds.insert(b, j.value(u"benchmark"_s).toString());
    }
    for (const auto& v : o.value(u"pairs"_s).toArray()) {
        if (!v.isObject())
            return std::nullopt;
        const QJsonObject j = v.toObject();
        PairSummary p;
        p.modelIndex = j.value(u"model_index"_s).toInt();
        p.benchmarkIndex = j.value(u"benchmark_index"_s).toInt();
        p.modelId = j.value(u"model"_s).toString();
        p.benchmarkId = j.value(u"benchmark"_s).toString();
        p.n = qint64(j.value(u"n"_s).toDouble());
        p.ok = qint64(j.value(u"ok"_s).toDouble());
        p.failed = qint64(j.value(u"failed"_s).toDouble());
        const QJsonObject errors = j.value(u"errors_by_class"_s).toObject();
        for (auto it = errors.begin(); it != errors.end(); ++it)
            p.errorsByClass.insert(it.key(), qint64(it.value().toDouble()));
        p.retriedAttempts = qint64(j.value(u"retried_attempts"_s).toDouble());
        const QJsonObject score = j.value(u"score"_s).toObject();
        p.scored = qint64(score.value(u"scored"_s).toDouble());
        if (p.scored > 0) { // older summaries stored 0 for the score of a pair with nothing scored
            p.scoreMean = figureFromJson(score.value(u"mean"_s));
            p.scoreCiLow = figureFromJson(score.value(u"ci_low"_s));
            p.scoreCiHigh = figureFromJson(score.value(u"ci_high"_s));
            p.scoreStdErr = figureFromJson(score.value(u"stderr"_s));
        }
        p.ciMethod = score.value(u"ci_method"_s).toString();
        p.scoreErrors = qint64(score.value(u"errors"_s).toDouble());
        for (const auto& cv : j.value(u"categories"_s).toArray()) {
            const QJsonObject c = cv.toObject();
            p.categories.push_back({ c.value(u"category"_s).toString(), qint64(c.value(u"scored"_s).toDouble()),
                figureFromJson(c.value(u"mean"_s)), figureFromJson(c.value(u"ci_low"_s)),
                figureFromJson(c.value(u"ci_high"_s)), figureFromJson(c.value(u"stderr"_s)),
                c.value(u"ci_method"_s).toString() });
        }
        for (const auto& kv : j.value(u"pass_k"_s).toArray()) {
            const QJsonObject k = kv.toObject();
            p.passAtK.push_back({ k.value(u"k"_s).toInt(), qint64(k.value(u"samples"_s).toDouble()),
                k.value(u"pass_at_k"_s).toDouble(), k.value(u"pass_hat_k"_s).toDouble() });
        }
        const QJsonObject cache = j.value(u"cache"_s).toObject();
        p.cacheHits = qint64(cache.value(u"hits"_s).toDouble());
        p.cacheMisses = qint64(cache.value(u"misses"_s).toDouble());
        p.badRecords = qint64(j.value(u"bad_records"_s).toDouble());
        p.latencyMs = percentilesFromJson(j.value(u"latency_ms"_s).toObject());
        p.ttftMs = percentilesFromJson(j.value(u"ttft_ms"_s).toObject());
        p.itlMs = percentilesFromJson(j.value(u"itl_ms"_s).toObject());
        p.inputTokens = qint64(j.value(u"input_tokens"_s).toDouble());
        p.outputTokens = qint64(j.value(u"output_tokens"_s).toDouble());
        p.durationS = figureFromJson(j.value(u"duration_s"_s));
        if (p.n == p.cacheHits) // nothing was sent: older summaries stored a duration of 0
            p.durationS = std::nan("");
        if (p.durationS > 0) { // older summaries stored 0 for the rates of a pair without a time span
            p.requestsPerS = figureFromJson(j.value(u"requests_per_s"_s));
            p.outputTokensPerS = figureFromJson(j.value(u"output_tokens_per_s"_s));
        }
        p.costUsd = j.value(u"cost_usd"_s).toDouble();
        s.pairs.push_back(std::move(p));
    }
    return s;
}

QString RunSummary::toText() const
{
    // Label column, then "name value" cells; every line stays well inside 100 columns.
    auto label = [](const QString& l) -> QString { return QString(u"  "_s + l.leftJustified(12)); };
    auto cell = [](const QString& name, const QString& value, int width = 14) -> QString {
        return QString(name + u' ' + value).leftJustified(width) + u' ';
    };
    auto f4 = [](double v) { return formatFigure(v, 4); };
    QString out = u"Run %1  %2"_s.arg(runId).arg(runName);
    if (scoringId > 0)
        out += u"  (scoring %1)"_s.arg(scoringId);
    out += u'\n';
    const QString rule = QString(96, u'=');
    out += rule + u'\n';
    if (pairs.isEmpty())
        out += u"  no records stored\n"_s;
    for (const auto& p : pairs) {
        out += u"%1 / %2\n"_s.arg(p.modelId, p.benchmarkId);
        out += label(u"requests"_s) + cell(u"n"_s, QString::number(p.n)) + cell(u"ok"_s, QString::number(p.ok))
            + cell(u"failed"_s, QString::number(p.failed)) + u"retried attempts "_s + QString::number(p.retriedAttempts)
            + u'\n';
        QStringList errors;
        for (auto it = p.errorsByClass.cbegin(); it != p.errorsByClass.cend(); ++it)
            errors << u"%1 %2"_s.arg(it.key()).arg(it.value());
        out += label(u"errors"_s) + (errors.isEmpty() ? u"none"_s : errors.join(u", "_s)) + u'\n';
        if (p.scored > 0) {
            out += label(u"score"_s) + cell(u"mean"_s, f4(p.scoreMean))
                + u"95% CI [%1, %2] (%3)  se %4  scored %5\n"_s
                      .arg(f4(p.scoreCiLow), f4(p.scoreCiHigh), p.ciMethod, f4(p.scoreStdErr))
                      .arg(p.scored);
        } else {
            out += label(u"score"_s) + u"not scored\n"_s;
        }
        if (p.scoreErrors > 0)
            out += label(u"score errs"_s) + u"%1 responses could not be scored\n"_s.arg(p.scoreErrors);
        for (const auto& c : p.categories) {
            out += label(&c == &p.categories.constFirst() ? u"categories"_s : QString())
                + u"%1 mean %2 [%3, %4] se %5 n %6\n"_s
                      .arg(c.category.left(24).leftJustified(24), f4(c.mean), f4(c.ciLow), f4(c.ciHigh), f4(c.stdErr))
                      .arg(c.scored);
        }
        if (!p.passAtK.isEmpty()) {
            QString at, hat;
            for (const auto& k : p.passAtK) {
                at += cell(u"@%1"_s.arg(k.k), f4(k.passAtK));
                hat += cell(u"^%1"_s.arg(k.k), f4(k.passHatK));
            }
            out += label(u"pass@k"_s) + at.trimmed() + u"  samples %1\n"_s.arg(p.passAtK.constFirst().samples);
            out += label(u"pass^k"_s) + hat.trimmed() + u'\n';
        }
        if (p.cacheHits + p.cacheMisses > 0) {
            out += label(u"cache"_s) + cell(u"hits"_s, QString::number(p.cacheHits))
                + cell(u"misses"_s, QString::number(p.cacheMisses))
                + u"(timings below cover the %1 measured requests)\n"_s.arg(p.n - p.cacheHits);
        }
        if (p.badRecords > 0)
            out += label(u"dataset"_s) + u"%1 bad records skipped\n"_s.arg(p.badRecords);
        const auto& l = p.latencyMs;
        // An empty distribution has no percentiles, whatever its fields hold.
        auto ms = [](const Percentiles& d, double v) { return formatMs(d.isEmpty() ? std::nan("") : v); };
        out += label(u"latency ms"_s) + cell(u"p50"_s, ms(l, l.p50)) + cell(u"p90"_s, ms(l, l.p90))
            + cell(u"p95"_s, ms(l, l.p95)) + cell(u"p99"_s, ms(l, l.p99)) + cell(u"max"_s, ms(l, l.max)) + u"n "_s
            + QString::number(l.n) + u'\n';
        out += label(u"TTFT ms"_s) + cell(u"p50"_s, ms(p.ttftMs, p.ttftMs.p50))
            + cell(u"p99"_s, ms(p.ttftMs, p.ttftMs.p99)) + u"ITL ms"_s.leftJustified(12) + u"p50 "_s
            + ms(p.itlMs, p.itlMs.p50) + u'\n';
        out += label(u"throughput"_s) + cell(u"req/s"_s, formatRate(p.requestsPerS))
            + cell(u"out tok/s"_s, formatRate(p.outputTokensPerS), 20)
            + u"over %1 s\n"_s.arg(formatFigure(p.durationS, 1));
        out += label(u"tokens"_s) + cell(u"in"_s, QString::number(p.inputTokens))
            + cell(u"out"_s, QString::number(p.outputTokens)) + u"cost $"_s + QString::number(p.costUsd, 'f', 4)
            + u'\n';
    }
    // Benchmarks whose every record was bad have no pair to show their count under.
    for (auto it = badRecordsByBenchmark.cbegin(); it != badRecordsByBenchmark.cend(); ++it) {
        const bool shown = std::any_of(
            pairs.cbegin(), pairs.cend(), [&](const PairSummary& p) { return p.benchmarkIndex == it.key(); });
        if (!shown && it.value() > 0)
            out += u"%1: %2 bad dataset records skipped\n"_s.arg(benchmarkIds.value(it.key())).arg(it.value());
    }
    return out;
}

} // namespace evs
