#include "app/reports/reportcharts.h"

#include "app/reports/reportdata.h"
#include "models/stats/decimation.h"

#include <QBuffer>
#include <QPainter>
#include <QPainterPath>
#include <QRegularExpression>
#include <QSvgGenerator>

#include <algorithm>
#include <cmath>
#include <limits>

using namespace Qt::StringLiterals;

namespace evs {

namespace {

constexpr double kLeft = 84;
constexpr double kRight = 84;
constexpr double kTop = 64;
constexpr double kBottom = 52;

QColor seriesColor(int i)
{
    static const QColor colors[] = { QColor(0x1f, 0x77, 0xb4), QColor(0xd6, 0x27, 0x28), QColor(0x2c, 0xa0, 0x2c),
        QColor(0xff, 0x7f, 0x0e), QColor(0x94, 0x67, 0xbd), QColor(0x8c, 0x56, 0x4b), QColor(0xe3, 0x77, 0xc2),
        QColor(0x7f, 0x7f, 0x7f), QColor(0xbc, 0xbd, 0x22), QColor(0x17, 0xbe, 0xcf) };
    return colors[size_t(i) % std::size(colors)];
}

QFont font(int pixelSize, bool bold = false)
{
    QFont f(u"DejaVu Sans"_s);
    f.setPixelSize(pixelSize);
    f.setBold(bold);
    return f;
}

QString tickLabel(double v, double step)
{
    if (std::abs(v) >= 10000)
        return QString::number(v / 1000, 'f', step >= 1000 ? 0 : 1) + u'k';
    const int decimals = step >= 1 ? 0 : std::min(4, int(std::ceil(-std::log10(step))));
    return QString::number(v, 'f', decimals);
}

double niceStep(double range, int targetTicks)
{
    if (!(range > 0))
        return 1;
    const double raw = range / targetTicks;
    const double mag = std::pow(10.0, std::floor(std::log10(raw)));
    const double norm = raw / mag;
    const double nice = norm < 1.5 ? 1 : (norm < 3.5 ? 2 : (norm < 7.5 ? 5 : 10));
    return nice * mag;
}

// A plot area with linear or log axes mapping data to canvas coordinates.
struct Plot {
    QRectF area;
    double x0 = 0, x1 = 1, y0 = 0, y1 = 1;
    bool logX = false;
    double y2max = 0; // secondary axis (right), 0 = none

    double px(double x) const
    {
        if (logX)
            return area.left() + (std::log10(x) - std::log10(x0)) / (std::log10(x1) - std::log10(x0)) * area.width();
        return area.left() + (x - x0) / (x1 - x0) * area.width();
    }
    double py(double y) const { return area.bottom() - (y - y0) / (y1 - y0) * area.height(); }
    double py2(double y) const { return area.bottom() - y / y2max * area.height(); }
};

void drawTitle(QPainter& p, const QString& title)
{
    p.setPen(QColor(0x22, 0x22, 0x22));
    p.setFont(font(18, true));
    p.drawText(
        QRectF(kLeft, 8, ReportCharts::kCanvas.width() - kLeft - kRight, 28), Qt::AlignLeft | Qt::AlignVCenter, title);
}

void drawMessage(QPainter& p, const QRectF& area, const QString& text)
{
    p.setPen(QColor(0x66, 0x66, 0x66));
    p.setFont(font(16));
    p.drawText(area, Qt::AlignCenter | Qt::TextWordWrap, text);
}

// Legend entries in one row under the title, wrapping when needed.
void drawLegend(QPainter& p, const QVector<std::tuple<QString, QColor, Qt::PenStyle>>& entries, double width)
{
    p.setFont(font(13));
    const QFontMetricsF fm(p.font());
    double x = kLeft, y = 40;
    for (const auto& [label, color, style] : entries) {
        const double w = 26 + fm.horizontalAdvance(label) + 18;
        if (x + w > width - 8 && x > kLeft) {
            x = kLeft;
            y += 18;
        }
        QPen pen(color, 3, style);
        pen.setCapStyle(Qt::FlatCap);
        p.setPen(pen);
        p.drawLine(QPointF(x, y + 8), QPointF(x + 20, y + 8));
        p.setPen(QColor(0x33, 0x33, 0x33));
        p.drawText(QRectF(x + 25, y, w, 16), Qt::AlignLeft | Qt::AlignVCenter, label);
        x += w;
    }
}

void drawAxes(QPainter& p, const Plot& plot, const QString& xLabel, const QString& yLabel, const QString& y2Label = {})
{
    p.setFont(font(13));
    const QColor grid(0xe2, 0xe2, 0xe2), text(0x44, 0x44, 0x44);
    // y ticks and grid
    const double yStep = niceStep(plot.y1 - plot.y0, 5);
    for (double v = std::ceil(plot.y0 / yStep) * yStep; v <= plot.y1 + yStep * 1e-6; v += yStep) {
        const double y = plot.py(v);
        p.setPen(QPen(grid, 1));
        p.drawLine(QPointF(plot.area.left(), y), QPointF(plot.area.right(), y));
        p.setPen(text);
        p.drawText(QRectF(0, y - 9, kLeft - 8, 18), Qt::AlignRight | Qt::AlignVCenter, tickLabel(v, yStep));
    }
    if (plot.y2max > 0) {
        const double step2 = niceStep(plot.y2max, 5);
        for (double v = 0; v <= plot.y2max + step2 * 1e-6; v += step2) {
            p.setPen(text);
            p.drawText(QRectF(plot.area.right() + 8, plot.py2(v) - 9, kRight - 8, 18), Qt::AlignLeft | Qt::AlignVCenter,
                tickLabel(v, step2));
        }
    }
    // x ticks
    if (plot.logX) {
        for (double dec = std::pow(10.0, std::floor(std::log10(plot.x0))); dec <= plot.x1; dec *= 10) {
            for (double m : { 1.0, 2.0, 5.0 }) {
                const double v = dec * m;
                if (v < plot.x0 || v > plot.x1)
                    continue;
                const double x = plot.px(v);
                p.setPen(QPen(grid, 1));
                p.drawLine(QPointF(x, plot.area.top()), QPointF(x, plot.area.bottom()));
                p.setPen(text);
                p.drawText(
                    QRectF(x - 40, plot.area.bottom() + 4, 80, 18), Qt::AlignHCenter | Qt::AlignTop, tickLabel(v, v));
            }
        }
    } else {
        const double xStep = niceStep(plot.x1 - plot.x0, 8);
        for (double v = std::ceil(plot.x0 / xStep) * xStep; v <= plot.x1 + xStep * 1e-6; v += xStep) {
            const double x = plot.px(v);
            p.setPen(QPen(grid, 1));
            p.drawLine(QPointF(x, plot.area.top()), QPointF(x, plot.area.bottom()));
            p.setPen(text);
            p.drawText(
                QRectF(x - 40, plot.area.bottom() + 4, 80, 18), Qt::AlignHCenter | Qt::AlignTop, tickLabel(v, xStep));
        }
    }
    p.setPen(QPen(QColor(0x88, 0x88, 0x88), 1));
    p.setBrush(Qt::NoBrush);
    p.drawRect(plot.area);
    p.setPen(text);
    p.drawText(QRectF(plot.area.left(), plot.area.bottom() + 24, plot.area.width(), 20), Qt::AlignHCenter, xLabel);
    p.save();
    p.translate(14, plot.area.center().y());
    p.rotate(-90);
    p.drawText(QRectF(-plot.area.height() / 2, -10, plot.area.height(), 20), Qt::AlignCenter, yLabel);
    p.restore();
    if (!y2Label.isEmpty()) {
        p.save();
        p.translate(ReportCharts::kCanvas.width() - 14, plot.area.center().y());
        p.rotate(90);
        p.drawText(QRectF(-plot.area.height() / 2, -10, plot.area.height(), 20), Qt::AlignCenter, y2Label);
        p.restore();
    }
}

// Peaks survive when a long run has more seconds than the plot has pixels: the dashboard's min/max decimation.
std::vector<QPointF> decimate(const std::vector<QPointF>& points, const Plot& plot)
{
    return decimateMinMax(points, decimationBuckets(plot.area.width()), plot.logX);
}

void drawLine(
    QPainter& p, const std::vector<QPointF>& canvasPoints, const QColor& color, Qt::PenStyle style, double width = 2)
{
    if (canvasPoints.empty())
        return;
    QPen pen(color, width, style);
    pen.setJoinStyle(Qt::RoundJoin);
    p.setPen(pen);
    p.setBrush(Qt::NoBrush);
    if (canvasPoints.size() == 1) {
        p.setBrush(color);
        p.drawEllipse(canvasPoints.front(), 3, 3);
        return;
    }
    QPainterPath path(canvasPoints.front());
    for (size_t i = 1; i < canvasPoints.size(); ++i)
        path.lineTo(canvasPoints[i]);
    p.drawPath(path);
}

QRectF plotArea(const QSize& canvas, double top = kTop)
{
    return QRectF(kLeft, top, canvas.width() - kLeft - kRight, canvas.height() - top - kBottom);
}

bool hasTimeline(const ReportData& d)
{
    if (!d.timeline)
        return false;
    for (const auto& m : d.timeline->models) {
        if (!m.points.empty())
            return true;
    }
    return false;
}

void paintLatencyOverTime(QPainter& p, const QSize& canvas, const ReportData& d)
{
    drawTitle(p, ReportCharts::title(ReportCharts::Chart::LatencyOverTime));
    Plot plot;
    plot.area = plotArea(canvas);
    if (!hasTimeline(d)) {
        drawMessage(p, plot.area, d.timelineError.isEmpty() ? u"No timed requests"_s : d.timelineError);
        return;
    }
    const auto& models = d.timeline->models;
    const bool single = models.size() == 1;
    struct Line {
        std::vector<QPointF> points;
        QColor color;
        Qt::PenStyle style;
        QString label;
    };
    std::vector<Line> lines;
    double tMax = 1, yMax = 0;
    for (size_t m = 0; m < models.size(); ++m) {
        const auto& s = models[m];
        std::vector<QPointF> p50, p95, p99;
        for (const auto& pt : s.points) {
            tMax = std::max(tMax, pt.tS);
            if (!std::isnan(pt.latencyP50Ms))
                p50.emplace_back(pt.tS, pt.latencyP50Ms);
            if (!std::isnan(pt.latencyP95Ms))
                p95.emplace_back(pt.tS, pt.latencyP95Ms);
            if (!std::isnan(pt.latencyP99Ms)) {
                p99.emplace_back(pt.tS, pt.latencyP99Ms);
                yMax = std::max(yMax, pt.latencyP99Ms);
            }
        }
        if (single) {
            lines.push_back({ p50, seriesColor(0), Qt::SolidLine, u"p50"_s });
            lines.push_back({ p95, seriesColor(3), Qt::SolidLine, u"p95"_s });
            lines.push_back({ p99, seriesColor(1), Qt::SolidLine, u"p99"_s });
        } else {
            lines.push_back({ p50, seriesColor(int(m)), Qt::SolidLine, s.modelId + u" p50"_s });
            lines.push_back({ p99, seriesColor(int(m)), Qt::DashLine, s.modelId + u" p99"_s });
        }
    }
    plot.x0 = 0;
    plot.x1 = tMax;
    plot.y0 = 0;
    plot.y1 = yMax > 0 ? yMax * 1.08 : 1;
    drawAxes(p, plot, u"seconds since the run started (by request end)"_s, u"latency (ms)"_s);
    QVector<std::tuple<QString, QColor, Qt::PenStyle>> legend;
    for (const auto& l : lines) {
        std::vector<QPointF> canvasPoints;
        for (const auto& pt : decimate(l.points, plot))
            canvasPoints.emplace_back(plot.px(pt.x()), plot.py(pt.y()));
        drawLine(p, canvasPoints, l.color, l.style);
        legend.push_back({ l.label, l.color, l.style });
    }
    drawLegend(p, legend, canvas.width());
}

void paintThroughput(QPainter& p, const QSize& canvas, const ReportData& d)
{
    drawTitle(p, ReportCharts::title(ReportCharts::Chart::Throughput));
    Plot plot;
    plot.area = plotArea(canvas);
    if (!hasTimeline(d)) {
        drawMessage(p, plot.area, d.timelineError.isEmpty() ? u"No timed requests"_s : d.timelineError);
        return;
    }
    const auto& models = d.timeline->models;
    double tMax = 1, rMax = 0, tokMax = 0;
    for (const auto& s : models) {
        for (const auto& pt : s.points) {
            tMax = std::max(tMax, pt.tS);
            rMax = std::max(rMax, pt.requestsPerS);
            tokMax = std::max(tokMax, pt.outputTokensPerS);
        }
    }
    plot.x0 = 0;
    plot.x1 = tMax;
    plot.y0 = 0;
    plot.y1 = rMax > 0 ? rMax * 1.1 : 1;
    plot.y2max = tokMax > 0 ? tokMax * 1.1 : 0;
    drawAxes(p, plot, u"seconds since the run started"_s, u"requests/s (solid)"_s,
        plot.y2max > 0 ? u"output tokens/s (dashed)"_s : QString());
    QVector<std::tuple<QString, QColor, Qt::PenStyle>> legend;
    for (size_t m = 0; m < models.size(); ++m) {
        std::vector<QPointF> req, tok;
        for (const auto& pt : models[m].points) {
            req.emplace_back(pt.tS, pt.requestsPerS);
            tok.emplace_back(pt.tS, pt.outputTokensPerS);
        }
        std::vector<QPointF> a, b;
        for (const auto& pt : decimate(req, plot))
            a.emplace_back(plot.px(pt.x()), plot.py(pt.y()));
        drawLine(p, a, seriesColor(int(m)), Qt::SolidLine);
        legend.push_back({ models[m].modelId + u" req/s"_s, seriesColor(int(m)), Qt::SolidLine });
        if (plot.y2max > 0) {
            for (const auto& pt : decimate(tok, plot))
                b.emplace_back(plot.px(pt.x()), plot.py2(pt.y()));
            drawLine(p, b, seriesColor(int(m)), Qt::DashLine, 1.5);
            legend.push_back({ models[m].modelId + u" tok/s"_s, seriesColor(int(m)), Qt::DashLine });
        }
    }
    drawLegend(p, legend, canvas.width());
}

QString pairLabel(const PairSummary& s)
{
    return s.modelId + u" / "_s + s.benchmarkId;
}

// Horizontal bars, one row per model x benchmark; returns the row rectangles.
QVector<QRectF> barRows(QPainter& p, const Plot& plot, const QVector<PairSummary>& pairs)
{
    QVector<QRectF> rows;
    const double h = plot.area.height() / std::max<qsizetype>(1, pairs.size());
    p.setFont(font(13));
    for (qsizetype i = 0; i < pairs.size(); ++i) {
        const QRectF row(plot.area.left(), plot.area.top() + double(i) * h, plot.area.width(), h);
        rows.push_back(row);
        p.setPen(QColor(0x33, 0x33, 0x33));
        const QString label = QFontMetricsF(p.font()).elidedText(pairLabel(pairs[i]), Qt::ElideMiddle, 236);
        p.drawText(QRectF(4, row.top(), row.left() - 10, row.height()), Qt::AlignRight | Qt::AlignVCenter, label);
    }
    return rows;
}

constexpr double kBarLabelWidth = 250;

void paintErrorsByClass(QPainter& p, const QSize& canvas, const ReportData& d)
{
    drawTitle(p, ReportCharts::title(ReportCharts::Chart::ErrorsByClass));
    Plot plot;
    plot.area = QRectF(kBarLabelWidth, kTop, canvas.width() - kBarLabelWidth - 40, canvas.height() - kTop - kBottom);
    const auto& pairs = d.summary.pairs;
    QStringList classes;
    double maxFailed = 0;
    for (const auto& s : pairs) {
        for (auto it = s.errorsByClass.cbegin(); it != s.errorsByClass.cend(); ++it) {
            if (!classes.contains(it.key()))
                classes << it.key();
        }
        maxFailed = std::max(maxFailed, double(s.failed));
    }
    classes.sort();
    if (pairs.isEmpty() || maxFailed == 0) {
        drawMessage(p, plot.area, pairs.isEmpty() ? u"No records"_s : u"No request failed"_s);
        return;
    }
    plot.x0 = 0;
    plot.x1 = maxFailed * 1.15;
    const double xStep = niceStep(plot.x1, 6);
    p.setFont(font(13));
    for (double v = 0; v <= plot.x1; v += xStep) {
        const double x = plot.px(v);
        p.setPen(QPen(QColor(0xe2, 0xe2, 0xe2), 1));
        p.drawLine(QPointF(x, plot.area.top()), QPointF(x, plot.area.bottom()));
        p.setPen(QColor(0x44, 0x44, 0x44));
        p.drawText(QRectF(x - 40, plot.area.bottom() + 4, 80, 18), Qt::AlignHCenter, tickLabel(v, xStep));
    }
    p.drawText(QRectF(plot.area.left(), plot.area.bottom() + 24, plot.area.width(), 20), Qt::AlignHCenter,
        u"failed requests (final outcome, after retries)"_s);
    const auto rows = barRows(p, plot, pairs);
    for (qsizetype i = 0; i < pairs.size(); ++i) {
        const auto& s = pairs[i];
        const double barH = std::min(28.0, rows[i].height() * 0.6);
        double x = plot.px(0);
        for (qsizetype c = 0; c < classes.size(); ++c) {
            const qint64 n = s.errorsByClass.value(classes[c]);
            if (n == 0)
                continue;
            const double w = plot.px(double(n)) - plot.px(0);
            p.setPen(Qt::NoPen);
            p.setBrush(seriesColor(int(c) + 1));
            p.drawRect(QRectF(x, rows[i].center().y() - barH / 2, w, barH));
            x += w;
        }
        p.setPen(QColor(0x22, 0x22, 0x22));
        p.drawText(QRectF(x + 6, rows[i].top(), 200, rows[i].height()), Qt::AlignLeft | Qt::AlignVCenter,
            u"%1 of %2 (%3 %)"_s.arg(s.failed).arg(s.n).arg(
                QString::number(s.n > 0 ? 100.0 * double(s.failed) / double(s.n) : 0, 'f', 1)));
    }
    p.setPen(QPen(QColor(0x88, 0x88, 0x88), 1));
    p.setBrush(Qt::NoBrush);
    p.drawLine(plot.area.bottomLeft(), plot.area.topLeft());
    QVector<std::tuple<QString, QColor, Qt::PenStyle>> legend;
    for (qsizetype c = 0; c < classes.size(); ++c)
        legend.push_back({ classes[c], seriesColor(int(c) + 1), Qt::SolidLine });
    drawLegend(p, legend, canvas.width());
}

void paintScoreWithCi(QPainter& p, const QSize& canvas, const ReportData& d)
{
    drawTitle(p, ReportCharts::title(ReportCharts::Chart::ScoreWithCi));
    Plot plot;
    plot.area = QRectF(
        kBarLabelWidth, kTop - 20, canvas.width() - kBarLabelWidth - 190, canvas.height() - kTop + 20 - kBottom);
    const auto& pairs = d.summary.pairs;
    double xMax = 1;
    for (const auto& s : pairs)
        xMax = std::max(xMax, s.scored > 0 ? s.scoreCiHigh : 0);
    if (pairs.isEmpty()) {
        drawMessage(p, plot.area, u"No records"_s);
        return;
    }
    plot.x0 = 0;
    plot.x1 = xMax;
    const double xStep = niceStep(plot.x1, 5);
    p.setFont(font(13));
    for (double v = 0; v <= plot.x1 + xStep * 1e-6; v += xStep) {
        const double x = plot.px(v);
        p.setPen(QPen(QColor(0xe2, 0xe2, 0xe2), 1));
        p.drawLine(QPointF(x, plot.area.top()), QPointF(x, plot.area.bottom()));
        p.setPen(QColor(0x44, 0x44, 0x44));
        p.drawText(QRectF(x - 40, plot.area.bottom() + 4, 80, 18), Qt::AlignHCenter, tickLabel(v, xStep));
    }
    p.drawText(QRectF(plot.area.left(), plot.area.bottom() + 24, plot.area.width(), 20), Qt::AlignHCenter,
        u"mean score; whiskers: 95 % confidence interval"_s);
    const auto rows = barRows(p, plot, pairs);
    for (qsizetype i = 0; i < pairs.size(); ++i) {
        const auto& s = pairs[i];
        const QRectF row = rows[i];
        const double barH = std::min(26.0, row.height() * 0.55);
        const double cy = row.center().y();
        p.setFont(font(13));
        if (s.scored == 0) {
            p.setPen(QColor(0x66, 0x66, 0x66));
            p.drawText(QRectF(plot.area.left() + 6, row.top(), 300, row.height()), Qt::AlignLeft | Qt::AlignVCenter,
                u"not scored"_s);
            continue;
        }
        QColor fill = seriesColor(s.modelIndex);
        fill.setAlpha(170);
        p.setPen(Qt::NoPen);
        p.setBrush(fill);
        p.drawRect(QRectF(plot.px(0), cy - barH / 2, plot.px(s.scoreMean) - plot.px(0), barH));
        p.setPen(QPen(QColor(0x22, 0x22, 0x22), 2));
        const double lo = plot.px(s.scoreCiLow), hi = plot.px(s.scoreCiHigh);
        p.drawLine(QPointF(lo, cy), QPointF(hi, cy));
        p.drawLine(QPointF(lo, cy - barH / 3), QPointF(lo, cy + barH / 3));
        p.drawLine(QPointF(hi, cy - barH / 3), QPointF(hi, cy + barH / 3));
        p.setPen(QColor(0x22, 0x22, 0x22));
        p.drawText(QRectF(plot.area.right() + 8, row.top(), 190, row.height()), Qt::AlignLeft | Qt::AlignVCenter,
            u"%1 [%2, %3]"_s.arg(QString::number(s.scoreMean, 'f', 3), QString::number(s.scoreCiLow, 'f', 3),
                QString::number(s.scoreCiHigh, 'f', 3)));
    }
    p.setPen(QPen(QColor(0x88, 0x88, 0x88), 1));
    p.setBrush(Qt::NoBrush);
    p.drawRect(plot.area);
}

void paintLatencyDistribution(QPainter& p, const QSize& canvas, const ReportData& d)
{
    drawTitle(p, ReportCharts::title(ReportCharts::Chart::LatencyDistribution));
    Plot plot;
    plot.area = plotArea(canvas);
    double lo = std::numeric_limits<double>::max(), hi = 0;
    for (const auto& m : d.latencies) {
        if (m.latencyMs.empty())
            continue;
        lo = std::min(lo, m.latencyMs.front());
        hi = std::max(hi, m.latencyMs.back());
    }
    if (hi <= 0) {
        drawMessage(p, plot.area, u"No successful measured requests"_s);
        return;
    }
    lo = std::max(lo, hi * 1e-6);
    if (hi <= lo)
        hi = lo * 1.01 + 1e-3;
    plot.logX = hi / lo > 20;
    plot.x0 = plot.logX ? lo * 0.95 : std::max(0.0, lo - (hi - lo) * 0.05);
    plot.x1 = plot.logX ? hi * 1.05 : hi + (hi - lo) * 0.05;
    constexpr int kBins = 48;
    auto edge = [&](int i) {
        return plot.logX ? plot.x0 * std::pow(plot.x1 / plot.x0, double(i) / kBins)
                         : plot.x0 + (plot.x1 - plot.x0) * double(i) / kBins;
    };
    std::vector<std::vector<double>> shares;
    double yMax = 0;
    for (const auto& m : d.latencies) {
        std::vector<double> counts(kBins, 0);
        for (double v : m.latencyMs) {
            int b = 0;
            if (plot.logX)
                b = int(std::floor(std::log(std::max(v, plot.x0) / plot.x0) / std::log(plot.x1 / plot.x0) * kBins));
            else
                b = int(std::floor((v - plot.x0) / (plot.x1 - plot.x0) * kBins));
            counts[size_t(std::clamp(b, 0, kBins - 1))] += 1;
        }
        for (auto& c : counts) {
            c = m.latencyMs.empty() ? 0 : 100.0 * c / double(m.latencyMs.size());
            yMax = std::max(yMax, c);
        }
        shares.push_back(std::move(counts));
    }
    plot.y0 = 0;
    plot.y1 = yMax > 0 ? yMax * 1.1 : 1;
    drawAxes(p, plot, plot.logX ? u"latency (ms, log scale)"_s : u"latency (ms)"_s, u"share of requests (%)"_s);
    QVector<std::tuple<QString, QColor, Qt::PenStyle>> legend;
    for (qsizetype m = 0; m < d.latencies.size(); ++m) {
        const QColor color = seriesColor(d.latencies[m].modelIndex);
        std::vector<QPointF> step;
        step.emplace_back(plot.px(edge(0)), plot.py(0));
        for (int b = 0; b < kBins; ++b) {
            const double y = plot.py(shares[size_t(m)][size_t(b)]);
            step.emplace_back(plot.px(edge(b)), y);
            step.emplace_back(plot.px(edge(b + 1)), y);
        }
        step.emplace_back(plot.px(edge(kBins)), plot.py(0));
        QPainterPath area(step.front());
        for (const auto& pt : step)
            area.lineTo(pt);
        QColor fill = color;
        fill.setAlpha(50);
        p.setPen(Qt::NoPen);
        p.setBrush(fill);
        p.drawPath(area);
        drawLine(p, step, color, Qt::SolidLine, 2);
        legend.push_back({ u"%1 (n = %2)"_s.arg(d.latencies[m].modelId).arg(d.latencies[m].latencyMs.size()), color,
            Qt::SolidLine });
    }
    drawLegend(p, legend, canvas.width());
}

QSize canvasFor(ReportCharts::Chart c, const ReportData& d)
{
    if (c == ReportCharts::Chart::ErrorsByClass || c == ReportCharts::Chart::ScoreWithCi) {
        const int rows = int(d.summary.pairs.size());
        return QSize(
            ReportCharts::kCanvas.width(), std::max(ReportCharts::kCanvas.height(), int(kTop) + 60 + rows * 34));
    }
    return ReportCharts::kCanvas;
}

} // namespace

QSize ReportCharts::canvasSize(Chart c, const ReportData& d)
{
    return canvasFor(c, d);
}

QVector<ReportCharts::Chart> ReportCharts::all()
{
    return { Chart::ScoreWithCi, Chart::LatencyOverTime, Chart::Throughput, Chart::ErrorsByClass,
        Chart::LatencyDistribution };
}

QString ReportCharts::title(Chart c)
{
    switch (c) {
    case Chart::LatencyOverTime:
        return u"Latency percentiles over time"_s;
    case Chart::Throughput:
        return u"Throughput"_s;
    case Chart::ErrorsByClass:
        return u"Errors by class"_s;
    case Chart::ScoreWithCi:
        return u"Score with 95 % CI per model \u00d7 benchmark"_s;
    case Chart::LatencyDistribution:
        return u"Latency distribution"_s;
    }
    return QString();
}

QString ReportCharts::caption(Chart c)
{
    switch (c) {
    case Chart::LatencyOverTime:
        return u"p50, p95 and p99 end-to-end latency of the successful requests that ended in each second, per "
               "model (per-second log-bucketed histograms, within 2 %; the tables give the exact figures)."_s;
    case Chart::Throughput:
        return u"Requests and output tokens that ended in each second, per model."_s;
    case Chart::ErrorsByClass:
        return u"Failed requests by error class (final outcome after retries), per model \u00d7 benchmark."_s;
    case Chart::ScoreWithCi:
        return u"Mean score with its 95 % confidence interval (Wilson for pass/fail, bootstrap otherwise)."_s;
    case Chart::LatencyDistribution:
        return u"Share of each model's successful, measured requests by end-to-end latency (exact stored "
               "latencies, binned)."_s;
    }
    return QString();
}

void ReportCharts::paint(QPainter& painter, const QRectF& target, Chart c, const ReportData& d)
{
    const QSize canvas = canvasFor(c, d);
    painter.save();
    painter.setRenderHint(QPainter::Antialiasing);
    painter.setRenderHint(QPainter::TextAntialiasing);
    painter.translate(target.topLeft());
    painter.scale(target.width() / canvas.width(), target.height() / canvas.height());
    painter.fillRect(QRectF(QPointF(0, 0), QSizeF(canvas)), Qt::white);
    switch (c) {
    case Chart::LatencyOverTime:
        paintLatencyOverTime(painter, canvas, d);
        break;
    case Chart::Throughput:
        paintThroughput(painter, canvas, d);
        break;
    case Chart::ErrorsByClass:
        paintErrorsByClass(painter, canvas, d);
        break;
    case Chart::ScoreWithCi:
        paintScoreWithCi(painter, canvas, d);
        break;
    case Chart::LatencyDistribution:
        paintLatencyDistribution(painter, canvas, d);
        break;
    }
    painter.restore();
}

QByteArray ReportCharts::inlineSvg(Chart c, const ReportData& d)
{
    const QSize canvas = canvasFor(c, d);
    QBuffer buffer;
    buffer.open(QIODevice::WriteOnly);
    QSvgGenerator svg;
    svg.setOutputDevice(&buffer);
    svg.setSize(canvas);
    svg.setViewBox(QRect(QPoint(0, 0), canvas));
    svg.setTitle(title(c));
    svg.setDescription(caption(c));
    {
        QPainter p(&svg);
        paint(p, QRectF(QPointF(0, 0), QSizeF(canvas)), c, d);
    }
    QByteArray out = buffer.data();
    // HTML5 needs none of these, and the report must hold no address anything could fetch.
    static const QRegularExpression prolog(u"<\\?xml[^>]*\\?>|<!DOCTYPE[^>]*>"_s);
    static const QRegularExpression ns(u"\\s+xmlns(:\\w+)?=\"[^\"]*\""_s);
    QString text = QString::fromUtf8(out);
    text.remove(prolog);
    text.remove(ns);
    // Scale with the page: the canvas size stays as the viewBox.
    static const QRegularExpression size(
        u"<svg([^>]*?)\\s(width|height)=\"[^\"]*\"([^>]*?)\\s(width|height)=\"[^\"]*\""_s);
    text.replace(size, u"<svg\\1\\3"_s);
    return text.trimmed().toUtf8();
}

} // namespace evs
