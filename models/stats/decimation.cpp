#include "models/stats/decimation.h"

#include <algorithm>
#include <cmath>

namespace evs {

std::vector<QPointF> decimateMinMax(std::span<const QPointF> points, int buckets, bool logX)
{
    buckets = std::max(buckets, 1);
    if (points.size() <= size_t(buckets) * 4)
        return { points.begin(), points.end() };
    const auto key = [logX](const QPointF& p) { return logX ? std::log10(std::max(p.x(), 1e-300)) : p.x(); };
    const double x0 = key(points.front());
    const double span = key(points.back()) - x0;
    std::vector<QPointF> out;
    out.reserve(size_t(buckets) * 4);
    size_t i = 0;
    while (i < points.size()) {
        // The slice of point i; points past the last slice edge (rounding) fold into the last slice.
        const int slice = span > 0 ? std::min(buckets - 1, int((key(points[i]) - x0) / span * buckets)) : 0;
        size_t end = i + 1;
        size_t lo = i, hi = i;
        while (end < points.size()) {
            const int s = span > 0 ? std::min(buckets - 1, int((key(points[end]) - x0) / span * buckets)) : 0;
            if (s != slice)
                break;
            if (points[end].y() < points[lo].y())
                lo = end;
            if (points[end].y() > points[hi].y())
                hi = end;
            ++end;
        }
        size_t keep[4] = { i, lo, hi, end - 1 };
        std::sort(std::begin(keep), std::end(keep));
        for (int k = 0; k < 4; ++k) {
            if (k == 0 || keep[k] != keep[k - 1])
                out.push_back(points[keep[k]]);
        }
        i = end;
    }
    return out;
}

int decimationBuckets(double widthPx)
{
    return std::max(32, int(widthPx / 4));
}

} // namespace evs
