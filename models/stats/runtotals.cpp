#include "models/stats/runtotals.h"

#include "models/stats/statistics.h"

#include <QMap>

#include <algorithm>
#include <cmath>
#include <utility>

using namespace Qt::StringLiterals;

namespace evs {

namespace {

// The larger of the two, where NaN means "no pair with data yet".
double worse(double current, double v)
{
    return std::isnan(current) ? v : std::max(current, v);
}

void addWorst(Percentiles& worst, const Percentiles& p)
{
    if (p.isEmpty())
        return;
    worst.n += p.n;
    worst.p50 = worse(worst.p50, p.p50);
    worst.p90 = worse(worst.p90, p.p90);
    worst.p95 = worse(worst.p95, p.p95);
    worst.p99 = worse(worst.p99, p.p99);
    worst.p999 = worse(worst.p999, p.p999);
    worst.max = worse(worst.max, p.max);
}

} // namespace

RunTotals RunTotals::of(const RunSummary& summary)
{
    constexpr double kZ95 = 1.959963984540054;
    RunTotals t;
    t.pairs = int(summary.pairs.size());
    struct ModelTime {
        double requests = 0; // measured requests, tokens and time of the model's benchmarks, which run in turn
        double outputTokens = 0;
        double durationS = 0;
    };
    QMap<int, ModelTime> byModel;
    double scoreSum = 0, varSum = 0;
    bool allWilson = true;
    for (const PairSummary& p : summary.pairs) {
        t.n += p.n;
        t.failed += p.failed;
        t.costUsd += p.costUsd;
        if (p.durationS > 0) {
            ModelTime& m = byModel[p.modelIndex];
            m.requests += p.requestsPerS * p.durationS;
            m.outputTokens += p.outputTokensPerS * p.durationS;
            m.durationS += p.durationS;
        }
        addWorst(t.worstLatencyMs, p.latencyMs);
        addWorst(t.worstTtftMs, p.ttftMs);
        if (p.scored > 0) {
            t.scored += p.scored;
            scoreSum += p.scoreMean * double(p.scored);
            varSum += std::pow(p.scoreStdErr * double(p.scored), 2);
            allWilson = allWilson && p.ciMethod == u"wilson"_s;
        }
    }
    if (t.n > 0)
        t.errorRate = double(t.failed) / double(t.n);
    for (const ModelTime& m : std::as_const(byModel)) {
        t.requestsPerS = (std::isnan(t.requestsPerS) ? 0.0 : t.requestsPerS) + m.requests / m.durationS;
        t.outputTokensPerS = (std::isnan(t.outputTokensPerS) ? 0.0 : t.outputTokensPerS) + m.outputTokens / m.durationS;
    }
    if (t.pairs == 1 && summary.pairs.front().durationS > 0) {
        t.requestsPerS = summary.pairs.front().requestsPerS; // exactly the store's figure, not a product divided back
        t.outputTokensPerS = summary.pairs.front().outputTokensPerS;
    }
    if (t.scored > 0) {
        t.scoreMean = scoreSum / double(t.scored);
        if (t.pairs == 1) {
            t.scoreCiLow = summary.pairs.front().scoreCiLow;
            t.scoreCiHigh = summary.pairs.front().scoreCiHigh;
            t.ciMethod = summary.pairs.front().ciMethod;
        } else if (allWilson) {
            std::tie(t.scoreCiLow, t.scoreCiHigh) = stats::wilsonInterval(qint64(std::llround(scoreSum)), t.scored);
            t.ciMethod = u"wilson"_s;
        } else {
            const double se = std::sqrt(varSum) / double(t.scored);
            t.scoreCiLow = t.scoreMean - kZ95 * se;
            t.scoreCiHigh = t.scoreMean + kZ95 * se;
            t.ciMethod = u"normal"_s;
        }
    }
    return t;
}

} // namespace evs
