#pragma once

#include <QByteArray>
#include <QRectF>
#include <QSize>
#include <QString>
#include <QVector>

class QPainter;

namespace evs {

struct ReportData;

// The report's charts, painted with QPainter so that the same code draws into SVG (HTML report) and PDF, with no
// Widgets. Each chart is laid out on a fixed logical canvas (kCanvas) and scaled to the target rectangle, so
// text keeps its proportion to the plot whatever the device's resolution.
class ReportCharts {
public:
    enum class Chart { LatencyOverTime, Throughput, ErrorsByClass, ScoreWithCi, LatencyDistribution };
    static constexpr QSize kCanvas { 900, 420 };

    static QVector<Chart> all();
    static QString title(Chart c);
    static QString caption(Chart c); // what is plotted and where it comes from

    static QSize canvasSize(Chart c, const ReportData& d); // kCanvas, taller for bar charts with many rows
    static void paint(QPainter& painter, const QRectF& target, Chart c, const ReportData& d);
    // An <svg> element to inline in HTML: no XML declaration, DOCTYPE or namespace URL (HTML5 parses inline SVG
    // without them), so the document holds no external address at all.
    static QByteArray inlineSvg(Chart c, const ReportData& d);
};

} // namespace evs
