#include "app/reports/reportdata.h"

#include "app/engine/liveaggregator.h"
#include "models/plan/planparser.h"
#include "models/store/sqlitestatement.h"

#include <QJsonArray>
#include <QJsonDocument>

#include <sqlite3.h>

#include <algorithm>

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

    sqlite3* db = store.handle();
    if (withCharts) {
        d.timeline = LiveAggregator::fromStore(store, runId, &d.timelineError);
        SqliteStatement st(db,
            "SELECT model_idx, COALESCE(t_last_token, t_end) - t_send FROM results WHERE run_id = ? AND "
            "error_class IS NULL AND cached = 0 AND t_send IS NOT NULL AND COALESCE(t_last_token, t_end) IS NOT NULL "
            "ORDER BY model_idx");
        st.bindInt(1, runId);
        int rc = SQLITE_ERROR;
        while (st.isValid() && (rc = st.step()) == SQLITE_ROW) {
            const int m = int(st.int64(0));
            if (d.latencies.isEmpty() || d.latencies.constLast().modelIndex != m)
                d.latencies.push_back({ m, d.modelId(m), {} });
            d.latencies.last().latencyMs.push_back(double(st.int64(1)) / 1e6);
        }
        if (rc != SQLITE_DONE) {
            *error = u"%1 while reading latencies of run %2"_s.arg(SqliteStatement::errorMessage(db)).arg(runId);
            return std::nullopt;
        }
        for (auto& l : d.latencies)
            std::sort(l.latencyMs.begin(), l.latencyMs.end());
    }
    if (withSamples) {
        SqliteStatement st(db,
            "SELECT sample_id, repeat, category, error_class, http_status, score, expected, response, "
            "score_explanation, error_message FROM results WHERE run_id = ?1 AND model_idx = ?2 AND "
            "benchmark_idx = ?3 ORDER BY CASE WHEN error_class IS NOT NULL THEN 0 WHEN score IS NULL OR score < 1 "
            "THEN 1 ELSE 2 END, sample_idx, repeat LIMIT ?4");
        for (const PairSummary& p : d.summary.pairs) {
            st.reset();
            st.bindInt(1, runId);
            st.bindInt(2, p.modelIndex);
            st.bindInt(3, p.benchmarkIndex);
            st.bindInt(4, kSamplesPerPair);
            int rc = SQLITE_ERROR;
            while (st.isValid() && (rc = st.step()) == SQLITE_ROW) {
                ReportSample s;
                s.modelIndex = p.modelIndex;
                s.benchmarkIndex = p.benchmarkIndex;
                s.sampleId = st.text(0);
                s.repeat = int(st.int64(1));
                s.category = st.text(2);
                s.errorClass = st.text(3);
                s.httpStatus = int(st.int64(4));
                s.scored = !st.isNull(5);
                s.score = st.real(5);
                s.expected = st.text(6);
                s.response = st.text(7);
                s.explanation = st.text(8);
                s.errorMessage = st.text(9);
                d.samples.push_back(std::move(s));
            }
            if (rc != SQLITE_DONE) {
                *error = u"%1 while reading samples of run %2"_s.arg(SqliteStatement::errorMessage(db)).arg(runId);
                return std::nullopt;
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
