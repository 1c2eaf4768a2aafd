#pragma once

#include <QtGlobal>

#include <algorithm>
#include <cmath>
#include <vector>

namespace evs {

// A log-bucketed histogram of positive durations for live views (docs/metrics.md, Live figures: they may be
// approximate within 1 %). Bucket i covers [base * g^i, base * g^(i+1)) with g = 1 + 2 * relativeError, and a
// percentile is reported at its bucket's geometric middle, so it is within relativeError of a true sample.
// Values below `base` fall in bucket 0. Exact figures always come from the store.
class LogHistogram {
public:
    explicit LogHistogram(double relativeError = 0.01, double baseMs = 0.001, double maxMs = 3.6e6)
        : m_base(baseMs)
        , m_logGrowth(std::log1p(2 * relativeError))
        , m_counts(size_t(std::ceil(std::log(maxMs / baseMs) / std::log1p(2 * relativeError))) + 1, 0)
    {
    }

    void add(double ms, qint64 n = 1)
    {
        if (!(ms >= 0) || n <= 0)
            return;
        m_counts[bucketOf(ms)] += n;
        m_total += n;
        if (ms > m_max)
            m_max = ms;
        if (m_total == n || ms < m_min)
            m_min = ms;
        m_sum += ms * double(n);
    }
    void merge(const LogHistogram& other)
    {
        if (other.m_counts.size() != m_counts.size())
            return;
        for (size_t i = 0; i < m_counts.size(); ++i)
            m_counts[i] += other.m_counts[i];
        if (other.m_total > 0) {
            m_min = m_total > 0 ? std::min(m_min, other.m_min) : other.m_min;
            m_max = std::max(m_max, other.m_max);
        }
        m_total += other.m_total;
        m_sum += other.m_sum;
    }
    void clear()
    {
        std::fill(m_counts.begin(), m_counts.end(), 0);
        m_total = 0;
        m_sum = 0;
        m_min = m_max = 0;
    }

    qint64 count() const { return m_total; }
    double max() const { return m_max; }
    double min() const { return m_min; }
    double mean() const { return m_total > 0 ? m_sum / double(m_total) : std::nan(""); }
    // q in [0, 1]; NaN when empty. The extremes are exact.
    double percentile(double q) const
    {
        if (m_total == 0)
            return std::nan("");
        if (q <= 0)
            return m_min;
        if (q >= 1)
            return m_max;
        const qint64 rank = std::max<qint64>(1, qint64(std::ceil(q * double(m_total))));
        qint64 seen = 0;
        for (size_t i = 0; i < m_counts.size(); ++i) {
            seen += m_counts[i];
            if (seen >= rank)
                return std::clamp(middleOf(i), m_min, m_max);
        }
        return m_max;
    }
    // Non-empty buckets as (lower edge ms, upper edge ms, count), for distribution charts.
    struct Bin {
        double lowMs;
        double highMs;
        qint64 count;
    };
    std::vector<Bin> bins() const
    {
        std::vector<Bin> out;
        for (size_t i = 0; i < m_counts.size(); ++i) {
            if (m_counts[i])
                out.push_back({ edge(i), edge(i + 1), m_counts[i] });
        }
        return out;
    }

private:
    size_t bucketOf(double ms) const
    {
        if (ms <= m_base)
            return 0;
        const auto i = size_t(std::log(ms / m_base) / m_logGrowth);
        return std::min(i, m_counts.size() - 1);
    }
    double edge(size_t i) const { return m_base * std::exp(m_logGrowth * double(i)); }
    double middleOf(size_t i) const { return m_base * std::exp(m_logGrowth * (double(i) + 0.5)); }

    double m_base;
    double m_logGrowth;
    std::vector<qint64> m_counts;
    qint64 m_total = 0;
    double m_sum = 0;
    double m_min = 0;
    double m_max = 0;
};

} // namespace evs
