#pragma once

#include <QtGlobal>

#include <span>
#include <utility>
#include <vector>

namespace evs::stats {

// Linear interpolation between closest ranks (numpy's default). `sorted` ascending; q in [0, 1]. NaN if empty.
double percentileSorted(std::span<const double> sorted, double q);
double mean(std::span<const double> v); // NaN if empty
double standardError(std::span<const double> v); // sample sd / sqrt(n); 0 for one value, NaN if empty

// 95 % Wilson score interval for k successes in n trials (z = 1.959964); [0, 1] when n == 0.
std::pair<double, double> wilsonInterval(qint64 k, qint64 n, double z = 1.959963984540054);
// Percentile bootstrap CI of the mean, deterministic for a seed (std::mt19937_64). With few distinct values
// (scores) resamples are drawn as multinomial counts, so a million scores cost no more than a hundred.
std::pair<double, double> bootstrapMeanInterval(
    std::span<const double> v, quint64 seed, int resamples = 2000, double level = 0.95);

// Unbiased pass@k for one sample with n attempts of which c are correct: 1 - C(n-c, k) / C(n, k), computed as a
// product (no large binomials). NaN when k < 1 or k > n.
double passAtK(qint64 n, qint64 c, qint64 k);
// pass^k: the probability that k attempts drawn without replacement are all correct, C(c, k) / C(n, k).
double passHatK(qint64 n, qint64 c, qint64 k);
// The k values reported for a benchmark with `repeats` attempts per sample: 1, the powers of two up to repeats,
// and repeats itself; empty when repeats < 2.
std::vector<int> passKValues(int repeats);

} // namespace evs::stats
