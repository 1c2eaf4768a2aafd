#pragma once

#include <QtGlobal>

#include <span>

namespace evs::stats {

// McNemar's exact test: two-sided p-value for b and c discordant pairs (one side right where the other is wrong),
// from the binomial distribution with p = 1/2 on the b + c discordant pairs: min(1, 2 P(X <= min(b, c))).
// 1 when there is no discordant pair.
double mcnemarExactP(qint64 b, qint64 c);

// Paired bootstrap of the mean difference (other - base, element by element; both spans the same length).
// The interval is the percentile interval of the resampled mean differences; the two-sided p-value is the share
// of resampled differences, centred on the observed one, at least as far from 0 as it (plus one in numerator and
// denominator, so it is never 0). Deterministic for a seed.
struct PairedBootstrap {
    qint64 n = 0;
    double meanDiff = 0;
    double ciLow = 0;
    double ciHigh = 0;
    double pValue = 1;
};
PairedBootstrap pairedBootstrap(std::span<const double> base, std::span<const double> other, quint64 seed,
    int resamples = 2000, double level = 0.95);

// Bootstrap interval of the difference of one percentile (q in [0, 1], linear interpolation between closest
// ranks) between two unpaired samples: each side is resampled on its own. `baseSorted` and `otherSorted` ascending.
// The order statistics of a resample are drawn directly (uniform order statistics are Beta distributed), so a
// resample costs O(1) whatever the size of the samples. NaN when a side is empty.
struct PercentileDifference {
    double q = 0;
    double base = 0;
    double other = 0;
    double diff = 0; // other - base
    double ciLow = 0;
    double ciHigh = 0;
};
PercentileDifference bootstrapPercentileDifference(std::span<const double> baseSorted,
    std::span<const double> otherSorted, double q, quint64 seed, int resamples = 2000, double level = 0.95);

} // namespace evs::stats
