#include "ui/chartadapter.h"

#include "models/stats/decimation.h"

#include <QAreaSeries>
#include <QChart>
#include <QGraphicsLayout>
#include <QLegendMarker>
#include <QLineSeries>
#include <QLogValueAxis>
#include <QValueAxis>

#include <algorithm>
#include <cmath>

using namespace Qt::StringLiterals;

namespace evs {

namespace {

bool isDark(const QPalette& palette)
{
    return palette.color(QPalette::Base).lightness() < 128;
}

QColor blend(const QColor& a, const QColor& b, double t)
{
    return QColor::fromRgbF(float(a.redF() * (1 - t) + b.redF() * t), float(a.greenF() * (1 - t) + b.greenF() * t),
        float(a.blueF() * (1 - t) + b.blueF() * t));
}

std::vector<QPointF> finite(std::vector<QPointF> points, bool positiveX)
{
    std::erase_if(points, [positiveX](const QPointF& p) {
        return !std::isfinite(p.x()) || !std::isfinite(p.y()) || (positiveX && p.x() <= 0);
    });
    return points;
}

} // namespace

ChartAdapter::ChartAdapter(const QString& title, const QString& xTitle, const QString& yTitle,
    const QString& yRightTitle, XScale xScale, QWidget* parent)
    : QChartView(parent)
    , m_chart(new QChart)
    , m_y(new QValueAxis)
    , m_xScale(xScale)
{
    setChart(m_chart); // the view owns the chart
    setRenderHint(QPainter::Antialiasing);
    m_chart->setTitle(title);
    m_chart->setMargins(QMargins(4, 4, 4, 4));
    m_chart->layout()->setContentsMargins(0, 0, 0, 0);
    m_chart->setBackgroundRoundness(0);
    m_chart->setAnimationOptions(QChart::NoAnimation); // animations would repaint long after each update
    m_chart->legend()->setAlignment(Qt::AlignBottom);
    if (xScale == XScale::Log) {
        auto* x = new QLogValueAxis;
        x->setBase(10);
        x->setLabelFormat(u"%g"_s);
        x->setMinorTickCount(8);
        m_x = x;
    } else {
        auto* x = new QValueAxis;
        x->setLabelFormat(u"%.0f"_s);
        x->setTickCount(6);
        m_x = x;
    }
    m_x->setTitleText(xTitle);
    m_y->setTitleText(yTitle);
    m_y->setLabelFormat(u"%g"_s);
    m_chart->addAxis(m_x, Qt::AlignBottom);
    m_chart->addAxis(m_y, Qt::AlignLeft);
    if (!yRightTitle.isEmpty()) {
        m_yRight = new QValueAxis;
        m_yRight->setTitleText(yRightTitle);
        m_yRight->setLabelFormat(u"%g"_s);
        m_chart->addAxis(m_yRight, Qt::AlignRight);
    }
    setMinimumHeight(220);
    applyPalette();
}

QColor ChartAdapter::seriesColor(int index, const QPalette& palette)
{
    // Tableau 10: mid-luminance hues that stay distinct for most colour-blind readers; lifted on dark backgrounds.
    static const QRgb colors[]
        = { 0x4e79a7, 0xf28e2b, 0x59a14f, 0xe15759, 0xb07aa1, 0x76b7b2, 0xedc948, 0xff9da7, 0x9c755f, 0xbab0ac };
    const QColor c = QColor::fromRgb(colors[size_t(index) % std::size(colors)]);
    return isDark(palette) ? c.lighter(125) : c.darker(105);
}

QColor ChartAdapter::errorClassColor(int errorClass, const QPalette& palette)
{
    // Indexed by ErrorClass: none, timeout, connect, tls, http_4xx, http_429, http_5xx, parse, canceled.
    static const QRgb colors[]
        = { 0x59a14f, 0xf28e2b, 0xb07aa1, 0x9c755f, 0xedc948, 0x76b7b2, 0xe15759, 0xff9da7, 0xbab0ac };
    const QColor c = QColor::fromRgb(colors[size_t(std::clamp<int>(errorClass, 0, int(std::size(colors)) - 1))]);
    return isDark(palette) ? c.lighter(115) : c;
}

void ChartAdapter::applyPalette()
{
    const QPalette pal = palette();
    const QColor base = pal.color(QPalette::Base);
    const QColor text = pal.color(QPalette::Text);
    const QColor grid = blend(base, text, 0.15);
    const QColor line = blend(base, text, 0.4);
    m_chart->setBackgroundBrush(base);
    m_chart->setBackgroundPen(Qt::NoPen);
    m_chart->setTitleBrush(text);
    QFont titleFont = font();
    titleFont.setBold(true);
    m_chart->setTitleFont(titleFont);
    m_chart->legend()->setLabelColor(text);
    QFont legendFont = font();
    legendFont.setPointSizeF(legendFont.pointSizeF() * 0.85);
    m_chart->legend()->setFont(legendFont);
    const auto axes = m_chart->axes();
    for (QAbstractAxis* axis : axes) {
        axis->setLabelsBrush(text);
        axis->setLabelsFont(legendFont);
        axis->setTitleBrush(text);
        axis->setTitleFont(legendFont);
        axis->setGridLineColor(grid);
        axis->setMinorGridLineColor(blend(base, text, 0.07));
        axis->setLinePenColor(line);
    }
    setBackgroundBrush(base);
}

void ChartAdapter::changeEvent(QEvent* event)
{
    QChartView::changeEvent(event);
    if (event->type() == QEvent::PaletteChange || event->type() == QEvent::FontChange)
        applyPalette();
}

void ChartAdapter::resizeEvent(QResizeEvent* event)
{
    QChartView::resizeEvent(event);
    // A wider plot can show more detail; a narrower one needs fewer points.
    if (buckets() != m_lastBuckets && (!m_lines.empty() || !m_bands.empty()))
        redraw();
}

int ChartAdapter::buckets() const
{
    // Each bucket keeps up to 4 points (first, min, max, last): about one point per pixel of the plot.
    const double width = m_chart->plotArea().width() > 0 ? m_chart->plotArea().width() : double(this->width());
    return decimationBuckets(width);
}

void ChartAdapter::styleSeries(QAbstractSeries* series, const QColor& color, Qt::PenStyle style, bool band)
{
    // A new pen repaints and re-lays out the series: only when the colour or style really changed.
    const QString key = QString(color.name(QColor::HexArgb) + QString::number(int(style)));
    if (series->property("evsStyle").toString() == key)
        return;
    series->setProperty("evsStyle", key);
    if (band) {
        auto* area = static_cast<QAreaSeries*>(series);
        QColor fill = color;
        fill.setAlphaF(0.35f);
        area->setBrush(fill);
        QPen pen(color);
        pen.setWidthF(0.8);
        area->setPen(pen);
    } else {
        auto* line = static_cast<QLineSeries*>(series);
        QPen pen(color);
        pen.setWidthF(style == Qt::SolidLine ? 2.0 : 1.6);
        pen.setStyle(style);
        line->setPen(pen);
    }
}

QAbstractSeries* ChartAdapter::lineSeries(const ChartLine& line)
{
    const QString key = u"L:"_s + line.name;
    if (QAbstractSeries* s = m_series.value(key))
        return s;
    auto* series = new QLineSeries;
    series->setName(line.name);
    series->setMarkerSize(5);
    m_chart->addSeries(series);
    series->attachAxis(m_x);
    series->attachAxis(line.rightAxis && m_yRight ? m_yRight : m_y);
    m_series.insert(key, series);
    return series;
}

QAbstractSeries* ChartAdapter::bandSeries(const ChartBand& band)
{
    const QString key = u"B:"_s + band.name;
    if (QAbstractSeries* s = m_series.value(key))
        return s;
    auto* area = new QAreaSeries(new QLineSeries, new QLineSeries);
    area->upperSeries()->setParent(area);
    area->lowerSeries()->setParent(area);
    area->setName(band.name);
    m_chart->addSeries(area);
    area->attachAxis(m_x);
    area->attachAxis(m_y);
    m_series.insert(key, area);
    return area;
}

void ChartAdapter::setContent(std::vector<ChartBand> bands, std::vector<ChartLine> lines)
{
    const bool logX = m_xScale == XScale::Log;
    for (auto& b : bands) {
        b.upper = finite(std::move(b.upper), logX);
        b.lower = finite(std::move(b.lower), logX);
    }
    for (auto& l : lines)
        l.points = finite(std::move(l.points), logX);
    m_bands = std::move(bands);
    m_lines = std::move(lines);
    redraw();
}

void ChartAdapter::clearContent()
{
    setContent({}, {});
}

void ChartAdapter::redraw()
{
    const bool logX = m_xScale == XScale::Log;
    const int n = buckets();
    m_lastBuckets = n;
    double x0 = INFINITY, x1 = -INFINITY, y0 = INFINITY, y1 = -INFINITY, r1 = 0;
    const auto extend = [&](const std::vector<QPointF>& pts, bool right) {
        for (const QPointF& p : pts) {
            x0 = std::min(x0, p.x());
            x1 = std::max(x1, p.x());
            if (right) {
                r1 = std::max(r1, p.y());
            } else {
                y0 = std::min(y0, p.y());
                y1 = std::max(y1, p.y());
            }
        }
    };
    QSet<QAbstractSeries*> used;
    int count = 0;
    for (const ChartBand& b : m_bands) {
        auto* area = static_cast<QAreaSeries*>(bandSeries(b));
        const auto upper = decimateMinMax(b.upper, n, logX);
        const auto lower = decimateMinMax(b.lower, n, logX);
        area->upperSeries()->replace(QList<QPointF>(upper.begin(), upper.end()));
        area->lowerSeries()->replace(QList<QPointF>(lower.begin(), lower.end()));
        styleSeries(area, b.color, Qt::SolidLine, true);
        count += int(upper.size() + lower.size());
        extend(upper, false);
        extend(lower, false);
        used.insert(area);
        if (area->property("evsInLegend") != QVariant(b.inLegend)) {
            area->setProperty("evsInLegend", b.inLegend);
            const auto markers = m_chart->legend()->markers(area);
            for (QLegendMarker* m : markers)
                m->setVisible(b.inLegend);
        }
    }
    for (const ChartLine& l : m_lines) {
        auto* series = static_cast<QLineSeries*>(lineSeries(l));
        const auto pts = decimateMinMax(l.points, n, logX);
        series->replace(QList<QPointF>(pts.begin(), pts.end()));
        styleSeries(series, l.color, l.style, false);
        // A short run has a few per-second points: mark them, or a one-point series would not show at all.
        if (series->pointsVisible() != (pts.size() <= 30))
            series->setPointsVisible(pts.size() <= 30);
        count += int(pts.size());
        extend(pts, l.rightAxis && m_yRight);
        used.insert(series);
        if (series->property("evsInLegend") != QVariant(l.inLegend)) {
            series->setProperty("evsInLegend", l.inLegend);
            const auto markers = m_chart->legend()->markers(series);
            for (QLegendMarker* m : markers)
                m->setVisible(l.inLegend);
        }
    }
    // Series of a previous content that are gone now (a different run).
    for (auto it = m_series.begin(); it != m_series.end();) {
        if (!used.contains(it.value())) {
            m_chart->removeSeries(it.value());
            delete it.value();
            it = m_series.erase(it);
        } else {
            ++it;
        }
    }

    if (x0 > x1) {
        x0 = logX ? 1 : 0;
        x1 = logX ? 1000 : 1;
    }
    if (logX) {
        // Powers of 10 leave a narrow range with one label; powers of 2 read well in ms up to ~2 decades.
        static_cast<QLogValueAxis*>(m_x)->setBase(x1 / x0 < 200 ? 2 : 10);
        m_x->setRange(x0 / 1.2, x1 * 1.2);
    } else {
        if (x1 - x0 < 1)
            x1 = x0 + 1;
        auto* x = static_cast<QValueAxis*>(m_x);
        x->setRange(x0, x1);
        // Ticks on round seconds (1, 2 or 5 x 10^k apart), not "1 2 2 3"; the range itself stays the data's.
        const double raw = (x1 - x0) / 6;
        const double decade = std::pow(10.0, std::floor(std::log10(raw)));
        const double step = raw <= decade ? decade
            : raw <= 2 * decade           ? 2 * decade
            : raw <= 5 * decade           ? 5 * decade
                                          : 10 * decade;
        x->setTickType(QValueAxis::TicksDynamic);
        x->setTickAnchor(0);
        x->setTickInterval(std::max(1.0, step));
    }
    if (y0 > y1) {
        y0 = 0;
        y1 = 1;
    }
    if (m_yFromZero)
        y0 = std::min(0.0, y0);
    if (y1 - y0 < 1e-9)
        y1 = y0 + (y0 != 0 ? std::abs(y0) * 0.1 : 1);
    const double pad = m_yFromZero ? 0 : (y1 - y0) * 0.05;
    m_y->setRange(y0 - pad, y1 + (y1 - y0) * 0.05);
    m_y->applyNiceNumbers();
    if (m_yRight) {
        m_yRight->setRange(0, r1 > 0 ? r1 * 1.05 : 1);
        m_yRight->applyNiceNumbers();
    }
    if (count != m_pointCount) {
        m_pointCount = count;
        Q_EMIT pointCountChanged(count);
    }
}

} // namespace evs
