#include "models/stats/pairedtests.h"

#include "models/stats/statistics.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <random>
#include <vector>

namespace evs::stats {

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// Index of a uniform draw in [0, n) without uniform_int_distribution, so that every standard library agrees.
quint64 uniformIndex(std::mt19937_64& rng, quint64 n)
{
    return quint64((static_cast<unsigned __int128>(rng()) * n) >> 64);
}

double betaDraw(std::mt19937_64& rng, double a, double b)
{
    std::gamma_distribution<double> ga(a, 1.0);
    std::gamma_distribution<double> gb(b, 1.0);
    const double x = ga(rng);
    const double y = gb(rng);
    return x + y > 0 ? x / (x + y) : 0.5;
}

// The percentile q of one bootstrap resample of `sorted`: a resample is n uniforms mapped through the empirical
// quantile function (value index floor(u n)), so its k-th smallest value is that of the k-th uniform order
// statistic, which is Beta(k, n - k + 1); the next one is above it by a Beta(1, n - k) share of what is left.
double resampledPercentile(std::span<const double> sorted, double q, std::mt19937_64& rng)
{
    const auto n = sorted.size();
    if (n == 1)
        return sorted[0];
    const double rank = q * double(n - 1);
    const auto lo = size_t(std::floor(rank)); // 0-based: the (lo + 1)-th smallest
    const double frac = rank - double(lo);
    const auto pick = [&](double u) { return sorted[std::min(n - 1, size_t(u * double(n)))]; };
    const double uLo = betaDraw(rng, double(lo + 1), double(n - lo));
    const double vLo = pick(uLo);
    if (frac == 0 || lo + 1 >= n)
        return vLo;
    const double uHi = uLo + (1 - uLo) * betaDraw(rng, 1.0, double(n - lo - 1));
    return vLo + frac * (pick(uHi) - vLo);
}

} // namespace

double mcnemarExactP(qint64 b, qint64 c)
{
    const qint64 n = b + c;
    if (n <= 0)
        return 1.0;
    const qint64 k = std::min(b, c);
    // Sum of C(n, i) / 2^n for i <= k in log space: exact enough for any n a run can have.
    const double logHalfN = double(n) * std::log(0.5);
    const double lgN1 = std::lgamma(double(n) + 1);
    double tail = 0;
    for (qint64 i = 0; i <= k; ++i)
        tail += std::exp(lgN1 - std::lgamma(double(i) + 1) - std::lgamma(double(n - i) + 1) + logHalfN);
    return std::min(1.0, 2 * tail);
}

PairedBootstrap pairedBootstrap(
    std::span<const double> base, std::span<const double> other, quint64 seed, int resamples, double level)
{
    PairedBootstrap r;
    const size_t n = std::min(base.size(), other.size());
    r.n = qint64(n);
    if (n == 0 || resamples <= 0) {
        r.meanDiff = r.ciLow = r.ciHigh = kNaN;
        return r;
    }
    std::vector<double> d(n);
    for (size_t i = 0; i < n; ++i)
        d[i] = other[i] - base[i];
    r.meanDiff = mean(d);
    std::mt19937_64 rng(seed);
    std::vector<double> means(static_cast<size_t>(resamples));
    for (auto& m : means) {
        double sum = 0;
        for (size_t i = 0; i < n; ++i)
            sum += d[uniformIndex(rng, n)];
        m = sum / double(n);
    }
    std::sort(means.begin(), means.end());
    const double alpha = (1 - level) / 2;
    r.ciLow = percentileSorted(means, alpha);
    r.ciHigh = percentileSorted(means, 1 - alpha);
    // Under the null the differences are centred on 0: shift the bootstrap distribution there.
    qint64 extreme = 0;
    const double observed = std::abs(r.meanDiff);
    for (const double m : means)
        extreme += std::abs(m - r.meanDiff) >= observed - 1e-15 ? 1 : 0;
    r.pValue = observed == 0 ? 1.0 : double(extreme + 1) / double(resamples + 1);
    return r;
}

PercentileDifference bootstrapPercentileDifference(std::span<const double> baseSorted,
    std::span<const double> otherSorted, double q, quint64 seed, int resamples, double level)
{
    PercentileDifference r;
    r.q = q;
    if (baseSorted.empty() || otherSorted.empty() || resamples <= 0) {
        r.base = baseSorted.empty() ? kNaN : percentileSorted(baseSorted, q);
        r.other = otherSorted.empty() ? kNaN : percentileSorted(otherSorted, q);
        r.diff = r.ciLow = r.ciHigh = kNaN;
        return r;
    }
    q = std::clamp(q, 0.0, 1.0);
    r.base = percentileSorted(baseSorted, q);
    r.other = percentileSorted(otherSorted, q);
    r.diff = r.other - r.base;
    std::mt19937_64 rng(seed);
    std::vector<double> diffs(static_cast<size_t>(resamples));
    for (auto& d : diffs) {
        const double b = resampledPercentile(baseSorted, q, rng);
        d = resampledPercentile(otherSorted, q, rng) - b;
    }
    std::sort(diffs.begin(), diffs.end());
    const double alpha = (1 - level) / 2;
    r.ciLow = percentileSorted(diffs, alpha);
    r.ciHigh = percentileSorted(diffs, 1 - alpha);
    return r;
}

} // namespace evs::stats
