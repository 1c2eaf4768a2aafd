#pragma once

#include <QPointF>

#include <span>
#include <vector>

namespace evs {

// Min/max decimation for charts (docs/architecture.md section 9: charts draw what a pixel can show), the one used by
// the dashboard's charts (ui/chartadapter.cpp) and the reports' (app/reports/reportcharts.cpp). The x range of
// `points` (sorted by x, finite values only) is cut into `buckets` equal slices (equal in log10(x) when logX, for a
// logarithmic axis); each slice keeps its first, minimum, maximum and last points in x order, so that a one-sample
// spike survives and the line still joins its neighbours. The output has at most 4 * buckets points and is the
// input itself when that is already small enough.
std::vector<QPointF> decimateMinMax(std::span<const QPointF> points, int buckets, bool logX = false);

// The buckets for a plot `widthPx` pixels wide: one per 4 pixels, so about one point per pixel; at least 32.
int decimationBuckets(double widthPx);

} // namespace evs
