#pragma once

#include <QtGlobal>

#include <span>
#include <utility>
#include <vector>

namespace evs::stats
{

// Linear interpolation between closest ranks (numpy's default). `sorted` ascending; q in [0, 1]. NaN if empty.
double percentileSorted(std::span<const double> sorted, double q);
double mean(std::span<const double> v);
double standardError(std::span<const double> v); // sample sd / sqrt(n)

// 95 % Wilson score interval for k successes in n trials (z = 1.959964).
std::pair<double, double> wilsonInterval(qint64 k, qint64 n, double z = 1.959963984540054);
// Percentile bootstrap CI of the mean, deterministic for a seed.
std::pair<double, double> bootstrapMeanInterval(
    std::span<const double> v, quint64 seed, int resamples = 2000, double level = 0.95);

} // namespace evs::stats
