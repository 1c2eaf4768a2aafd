#include "models/stats/statistics.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <random>
#include <vector>

namespace evs::stats {

namespace {
constexpr size_t kMaxDistinctForMultinomial = 32;
} // namespace

double percentileSorted(std::span<const double> sorted, double q)
{
    if (sorted.empty())
        return std::numeric_limits<double>::quiet_NaN();
    q = std::clamp(q, 0.0, 1.0);
    const double rank = q * double(sorted.size() - 1);
    const auto lo = size_t(std::floor(rank));
    const size_t hi = std::min(lo + 1, sorted.size() - 1);
    const double frac = rank - double(lo);
    return sorted[lo] + frac * (sorted[hi] - sorted[lo]);
}

double mean(std::span<const double> v)
{
    if (v.empty())
        return std::numeric_limits<double>::quiet_NaN();
    // Kahan summation keeps the mean of a million values exact to the last digits.
    double sum = 0, c = 0;
    for (const double x : v) {
        const double y = x - c;
        const double t = sum + y;
        c = (t - sum) - y;
        sum = t;
    }
    return sum / double(v.size());
}

double standardError(std::span<const double> v)
{
    if (v.size() < 2)
        return v.empty() ? std::numeric_limits<double>::quiet_NaN() : 0.0;
    const double m = mean(v);
    double ss = 0;
    for (const double x : v)
        ss += (x - m) * (x - m);
    const double sd = std::sqrt(ss / double(v.size() - 1));
    return sd / std::sqrt(double(v.size()));
}

std::pair<double, double> wilsonInterval(qint64 k, qint64 n, double z)
{
    if (n <= 0)
        return { 0.0, 1.0 };
    const double nn = double(n);
    const double p = double(k) / nn;
    const double z2 = z * z;
    const double denom = 1.0 + z2 / nn;
    const double centre = (p + z2 / (2 * nn)) / denom;
    const double half = z * std::sqrt(p * (1 - p) / nn + z2 / (4 * nn * nn)) / denom;
    return { std::max(0.0, centre - half), std::min(1.0, centre + half) };
}

std::pair<double, double> bootstrapMeanInterval(std::span<const double> v, quint64 seed, int resamples, double level)
{
    if (v.empty() || resamples <= 0)
        return { std::numeric_limits<double>::quiet_NaN(), std::numeric_limits<double>::quiet_NaN() };
    if (v.size() == 1)
        return { v[0], v[0] };
    std::mt19937_64 rng(seed);
    const auto n = quint64(v.size());
    std::vector<double> means(static_cast<size_t>(resamples));

    // Scores usually take a few values (judge 1-5, partial credit): then a resample is fully described by how
    // many times each value is drawn, a multinomial, which costs O(values) instead of O(n) per resample.
    std::vector<std::pair<double, qint64>> counts;
    for (const double x : v) {
        auto it = std::find_if(counts.begin(), counts.end(), [x](const auto& c) { return c.first == x; });
        if (it != counts.end()) {
            ++it->second;
        } else if (counts.size() < kMaxDistinctForMultinomial) {
            counts.emplace_back(x, 1);
        } else {
            counts.clear();
            break;
        }
    }
    if (!counts.empty()) {
        for (auto& m : means) {
            qint64 remaining = qint64(n);
            double remainingP = 1.0;
            double sum = 0;
            for (size_t j = 0; j < counts.size() && remaining > 0; ++j) {
                const double p = double(counts[j].second) / double(n);
                qint64 drawn = remaining;
                if (j + 1 < counts.size()) {
                    std::binomial_distribution<qint64> binomial(remaining, std::clamp(p / remainingP, 0.0, 1.0));
                    drawn = binomial(rng);
                }
                sum += double(drawn) * counts[j].first;
                remaining -= drawn;
                remainingP -= p;
            }
            m = sum / double(n);
        }
        std::sort(means.begin(), means.end());
        const double alpha = (1.0 - level) / 2;
        return { percentileSorted(means, alpha), percentileSorted(means, 1.0 - alpha) };
    }

    for (auto& m : means) {
        double sum = 0;
        for (quint64 i = 0; i < n; ++i) {
            // Multiply-shift instead of uniform_int_distribution: same indices with every standard library.
            const auto idx = quint64((static_cast<unsigned __int128>(rng()) * n) >> 64);
            sum += v[idx];
        }
        m = sum / double(n);
    }
    std::sort(means.begin(), means.end());
    const double alpha = (1.0 - level) / 2;
    return { percentileSorted(means, alpha), percentileSorted(means, 1.0 - alpha) };
}

double passAtK(qint64 n, qint64 c, qint64 k)
{
    if (k < 1 || k > n || c < 0 || c > n)
        return std::numeric_limits<double>::quiet_NaN();
    if (n - c < k)
        return 1.0;
    // C(n-c, k) / C(n, k) = prod_{i = n-c+1}^{n} (1 - k / i)
    double ratio = 1.0;
    for (qint64 i = n - c + 1; i <= n; ++i)
        ratio *= 1.0 - double(k) / double(i);
    return 1.0 - ratio;
}

double passHatK(qint64 n, qint64 c, qint64 k)
{
    if (k < 1 || k > n || c < 0 || c > n)
        return std::numeric_limits<double>::quiet_NaN();
    if (c < k)
        return 0.0;
    // C(c, k) / C(n, k) = prod_{i = 0}^{k-1} (c - i) / (n - i)
    double p = 1.0;
    for (qint64 i = 0; i < k; ++i)
        p *= double(c - i) / double(n - i);
    return p;
}

std::vector<int> passKValues(int repeats)
{
    std::vector<int> ks;
    if (repeats < 2)
        return ks;
    for (int k = 1; k <= repeats; k *= 2)
        ks.push_back(k);
    if (ks.back() != repeats)
        ks.push_back(repeats);
    return ks;
}

} // namespace evs::stats
