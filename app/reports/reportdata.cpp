#include "app/reports/reportdata.h"

#include "app/engine/liveaggregator.h"
#include "models/plan/planparser.h"
#include "models/store/recordqueries.h"
#include "models/store/runqueries.h"

#include <QJsonArray>
#include <QJsonDocument>

#include <algorithm>
#include <cmath>

using namespace Qt::StringLiterals;

namespace evs {

namespace {

// The plan's thresholds. The plan parser is preferred (it validates), but it needs the datasets to exist; a
// report of a run whose dataset has moved since still shows its thresholds, read field by field.
QVector<Threshold> planThresholds(const QByteArray& planJson)
{
    PlanError planError;
    if (const auto plan = PlanParser::parse(planJson, QString(), &planError))
        return plan->thresholds;
    QVector<Threshold> out;
    const QJsonObject plan = QJsonDocument::fromJson(planJson).object();
    for (const auto& v : plan.value(u"thresholds"_s).toArray()) {
        const QJsonObject o = v.toObject();
        Threshold t;
        t.metric = o.value(u"metric"_s).toString();
        t.op = o.value(u"op"_s).toString();
        t.value = o.value(u"value"_s).toDouble();
        t.model = o.value(u"model"_s).toString();
        t.benchmark = o.value(u"benchmark"_s).toString();
        out.push_back(t);
    }
    return out;
}

} // namespace

std::optional<ReportData> ReportData::load(
    const ResultsStore& store, qint64 runId, bool withCharts, bool withSamples, QString* error)
{
    const auto info = store.run(runId);
    if (!info) {
        *error = u"no run %1 in %2"_s.arg(runId).arg(store.path());
        return std::nullopt;
    }
    ReportData d;
    d.run = *info;
    auto summary = computeRunSummary(store, runId, error);
    if (!summary)
        return std::nullopt;
    d.summary = std::move(*summary);
    // Bad dataset records are not in the results table: the engine saved their count with the run's summary.
    if (const auto saved = RunSummary::fromJson(info->summary)) {
        for (auto it = saved->badRecordsByBenchmark.cbegin(); it != saved->badRecordsByBenchmark.cend(); ++it) {
            d.summary.setBadRecords(it.key(), it.value());
            d.summary.benchmarkIds.insert(it.key(), saved->benchmarkIds.value(it.key()));
        }
    }

    const QJsonObject plan = QJsonDocument::fromJson(info->planJson).object();
    for (const auto& v : plan.value(u"models"_s).toArray())
        d.modelIds << v.toObject().value(u"id"_s).toString();
    for (const auto& v : plan.value(u"benchmarks"_s).toArray())
        d.benchmarkIds << v.toObject().value(u"id"_s).toString();
    d.thresholds = planThresholds(info->planJson);
    d.thresholdReport = evaluateThresholds(d.thresholds, d.summary, &store, runId);

    if (withCharts) {
        d.timeline = LiveAggregator::fromStore(store, runId, &d.timelineError);
        const bool read = forEachMeasuredLatency(
            store, runId,
            [&](int m, qint64 latencyNs) {
                if (d.latencies.isEmpty() || d.latencies.constLast().modelIndex != m)
                    d.latencies.push_back({ m, d.modelId(m), {} });
                d.latencies.last().latencyMs.push_back(double(latencyNs) / 1e6);
            },
            error);
        if (!read)
            return std::nullopt;
        for (auto& l : d.latencies)
            std::sort(l.latencyMs.begin(), l.latencyMs.end());
    }
    if (withSamples) {
        for (const PairSummary& p : d.summary.pairs) {
            const auto records = readPairSamples(store, runId, p.modelIndex, p.benchmarkIndex, kSamplesPerPair, error);
            if (!records)
                return std::nullopt;
            for (const StoredRecord& r : *records) {
                ReportSample s;
                s.modelIndex = p.modelIndex;
                s.benchmarkIndex = p.benchmarkIndex;
                s.sampleId = r.sampleId;
                s.repeat = r.repeat;
                s.category = r.category;
                s.errorClass = r.errorClass;
                s.httpStatus = r.httpStatus;
                s.scored = !std::isnan(r.score);
                s.score = s.scored ? r.score : 0;
                s.expected = r.expected;
                s.response = r.response;
                s.explanation = r.scoreExplanation;
                s.errorMessage = r.errorMessage;
                d.samples.push_back(std::move(s));
            }
        }
    }
    return d;
}

QString ReportData::modelId(int index) const
{
    const QString id = modelIds.value(index);
    return id.isEmpty() ? u"model#%1"_s.arg(index) : id;
}

QString ReportData::benchmarkId(int index) const
{
    const QString id = benchmarkIds.value(index);
    return id.isEmpty() ? u"benchmark#%1"_s.arg(index) : id;
}

} // namespace evs
