#include "app/engine/liveaggregator.h"

#include "models/plan/planparser.h"
#include "models/stats/statistics.h"
#include "models/store/recordqueries.h"
#include "models/store/resultsstore.h"

#include <algorithm>

using namespace Qt::StringLiterals;

namespace evs {

namespace {

constexpr qint64 kSecondNs = 1000000000;
constexpr int kMaxGapFill = 120; // empty seconds drawn between records; longer gaps (a resume) are skipped

double nsToMs(qint64 ns)
{
    return double(ns) / 1e6;
}

} // namespace

static std::pair<double, double> interval(qint64 scored, double sum, double sqSum, bool binary)
{
    if (scored == 0)
        return { NAN, NAN };
    if (binary)
        return stats::wilsonInterval(qint64(std::llround(sum)), scored);
    const double m = sum / double(scored);
    const double var = scored > 1 ? std::max(0.0, (sqSum - double(scored) * m * m) / double(scored - 1)) : 0;
    const double half = 1.959963984540054 * std::sqrt(var / double(scored));
    return { m - half, m + half };
}

std::pair<double, double> LiveSeries::scoreInterval() const
{
    return interval(scored, scoreSum, scoreSqSum, binaryScores);
}

void LiveAggregator::ScoreAcc::add(const ScoreAcc& o)
{
    scored += o.scored;
    sum += o.sum;
    sqSum += o.sqSum;
    binary = binary && o.binary;
}

LiveAggregator::LiveAggregator(const RunPlan& plan)
{
    m_models.resize(size_t(plan.models.size()) + 1); // the last one is the run's total
    for (int i = 0; i < plan.models.size(); ++i) {
        m_models[size_t(i)].series.modelIndex = i;
        m_models[size_t(i)].series.modelId = plan.models[i].id;
        m_models[size_t(i)].priceIn = plan.models[i].priceInputPerMTok;
        m_models[size_t(i)].priceOut = plan.models[i].priceOutputPerMTok;
    }
    m_models.back().series.modelId = u"all models"_s;
}

// `cumulative`: the scores of every record that ended up to the end of this point's second.
static void finishPoint(
    LivePoint& p, const LogHistogram& latency, const LogHistogram& ttft, const LiveAggregator::ScoreAcc& cumulative)
{
    p.latencyP50Ms = latency.percentile(0.50);
    p.latencyP95Ms = latency.percentile(0.95);
    p.latencyP99Ms = latency.percentile(0.99);
    p.ttftP50Ms = ttft.percentile(0.50);
    p.requestsPerS = double(p.done);
    p.scoredSoFar = cumulative.scored;
    p.scoreMean = cumulative.scored > 0 ? cumulative.sum / double(cumulative.scored) : NAN;
    std::tie(p.scoreCiLow, p.scoreCiHigh)
        = interval(cumulative.scored, cumulative.sum, cumulative.sqSum, cumulative.binary);
}

// Appends the point of `second`, first filling a short idle gap since the last point with empty seconds so that
// the time axis stays continuous.
static void appendPoint(LiveSeries& series, LivePoint p, qint64 second, const LiveAggregator::ScoreAcc& before)
{
    if (!series.points.empty()) {
        const qint64 last = qint64(std::llround(series.points.back().tS)) - 1;
        if (second - last - 1 <= kMaxGapFill) {
            for (qint64 s = last + 1; s < second; ++s) {
                LivePoint empty;
                empty.tS = double(s + 1);
                finishPoint(empty, LogHistogram(0.02), LogHistogram(0.02), before);
                series.points.push_back(empty);
            }
        }
    }
    p.tS = double(second + 1);
    series.points.push_back(p);
}

void LiveAggregator::closeUpTo(ModelState& m, qint64 second)
{
    // Close every open bucket older than `second - 1`, filling short idle gaps with empty points.
    for (int k = 1; k >= 0; --k) {
        Open& o = m.open[k];
        if (o.second >= 0 && o.second < second - 1) {
            const ScoreAcc before = m.closed;
            m.closed.add(o.scores);
            finishPoint(o.point, o.latency, o.ttft, m.closed);
            appendPoint(m.series, o.point, o.second, before);
            o.scores = ScoreAcc {};
            o.second = -1;
            o.point = LivePoint {};
            o.latency.clear();
            o.ttft.clear();
        }
    }
    // Keep open[0] the newest.
    if (m.open[0].second < 0 && m.open[1].second >= 0)
        std::swap(m.open[0], m.open[1]);
}

void LiveAggregator::recordInto(ModelState& m, const RequestRecord& rec)
{
    const qint64 endNs = rec.t.endNs >= 0 ? rec.t.endNs : rec.t.lastTokenNs;
    const qint64 second = std::max<qint64>(0, endNs / kSecondNs);
    closeUpTo(m, second);
    Open* bucket = nullptr;
    if (m.open[0].second == second) {
        bucket = &m.open[0];
    } else if (m.open[1].second == second) {
        bucket = &m.open[1];
    } else if (m.open[0].second < second) {
        std::swap(m.open[0], m.open[1]); // open[1] is free after closeUpTo
        m.open[0].second = second;
        bucket = &m.open[0];
    } else {
        bucket = m.open[1].second >= 0 ? &m.open[1] : &m.open[0]; // a straggler: count it in the oldest open one
    }

    LiveSeries& s = m.series;
    LivePoint& p = bucket->point;
    ++p.done;
    ++s.done;
    if (!rec.ok()) {
        ++p.failed;
        ++s.failed;
        ++p.errors[size_t(rec.errorClass)];
        ++s.errors[size_t(rec.errorClass)];
    } else if (!rec.cached) {
        const qint64 latency = rec.latencyNs();
        const qint64 ttft = rec.ttftNs();
        if (latency >= 0) {
            bucket->latency.add(nsToMs(latency));
            s.latency.add(nsToMs(latency));
        }
        if (ttft >= 0) {
            bucket->ttft.add(nsToMs(ttft));
            s.ttft.add(nsToMs(ttft));
        }
    }
    if (rec.outputTokens > 0) {
        p.outputTokensPerS += double(rec.outputTokens);
        s.outputTokens += rec.outputTokens;
    }
    if (rec.inputTokens > 0)
        s.inputTokens += rec.inputTokens;
    if (!rec.cached) {
        s.costUsd += (double(std::max<qint64>(0, rec.inputTokens)) * m.priceIn
                         + double(std::max<qint64>(0, rec.outputTokens)) * m.priceOut)
            / 1e6;
    }
    if (!std::isnan(rec.score)) {
        bucket->scores.add({ 1, rec.score, rec.score * rec.score, rec.score == 0 || rec.score == 1 });
        ++s.scored;
        s.scoreSum += rec.score;
        s.scoreSqSum += rec.score * rec.score;
        if (rec.score != 0 && rec.score != 1)
            s.binaryScores = false;
    }
}

void LiveAggregator::record(const RequestRecord& rec)
{
    std::lock_guard lock(m_mutex);
    if (rec.modelIndex >= 0 && size_t(rec.modelIndex) + 1 < m_models.size())
        recordInto(m_models[size_t(rec.modelIndex)], rec);
    recordInto(m_models.back(), rec);
}

LiveSnapshotPtr LiveAggregator::snapshot(qint64 runId, const RunProgress& progress, qint64 nowNs, bool final) const
{
    auto snap = std::make_shared<LiveSnapshot>();
    snap->runId = runId;
    snap->progress = progress;
    snap->final = final;
    const qint64 nowSecond = nowNs / kSecondNs;
    auto build = [&](const ModelState& m) {
        LiveSeries s = m.series;
        // Buckets whose second has passed are complete: show them (the current second is not, unless final).
        ScoreAcc cumulative = m.closed;
        for (int k = 1; k >= 0; --k) {
            const Open& o = m.open[k];
            if (o.second >= 0 && (final || o.second < nowSecond)) {
                const ScoreAcc before = cumulative;
                cumulative.add(o.scores);
                LivePoint p = o.point;
                finishPoint(p, o.latency, o.ttft, cumulative);
                appendPoint(s, p, o.second, before);
            }
        }
        return s;
    };
    std::lock_guard lock(m_mutex);
    for (size_t i = 0; i + 1 < m_models.size(); ++i)
        snap->models.push_back(build(m_models[i]));
    snap->total = build(m_models.back());
    const auto& pts = snap->total.points;
    const size_t n = std::min<size_t>(5, pts.size());
    for (size_t i = pts.size() - n; i < pts.size(); ++i) {
        snap->recentRequestsPerS += pts[i].requestsPerS / double(n);
        snap->recentOutputTokensPerS += pts[i].outputTokensPerS / double(n);
    }
    return snap;
}

LiveSnapshotPtr LiveAggregator::fromStore(const ResultsStore& store, qint64 runId, QString* error)
{
    const auto info = store.run(runId);
    if (!info) {
        *error = u"no run %1 in %2"_s.arg(runId).arg(store.path());
        return {};
    }
    PlanError planError;
    const auto plan = PlanParser::parse(info->planJson, QString(), &planError);
    if (!plan) {
        *error = u"run %1: stored plan: %2"_s.arg(runId).arg(planError.toString());
        return {};
    }
    LiveAggregator agg(*plan);
    RequestRecord rec;
    qint64 lastEnd = 0;
    RunProgress progress;
    RecordScan scan;
    scan.order = RecordScan::Order::End;
    scan.texts = false;
    const bool read = forEachRecord(
        store, runId, scan,
        [&](const StoredRecord& r) {
            rec.modelIndex = r.modelIndex;
            rec.errorClass = r.ok() ? ErrorClass::None : errorClassFromName(r.errorClass);
            rec.t.sendNs = r.t.sendNs;
            rec.t.firstTokenNs = r.t.firstTokenNs;
            rec.t.lastTokenNs = r.t.lastTokenNs;
            rec.t.endNs = r.t.endNs;
            rec.inputTokens = r.inputTokens;
            rec.outputTokens = r.outputTokens;
            rec.score = r.score;
            rec.cached = r.cached;
            agg.record(rec);
            lastEnd = std::max(lastEnd, rec.t.endNs);
            ++progress.done;
            progress.failed += rec.ok() ? 0 : 1;
            return true;
        },
        error);
    if (!read)
        return {};
    progress.planned = info->plannedSamples;
    return agg.snapshot(runId, progress, lastEnd + kSecondNs, true);
}

} // namespace evs
