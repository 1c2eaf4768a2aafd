#pragma once

#include <QChartView>
#include <QColor>
#include <QHash>
#include <QPointF>

#include <vector>

class QAbstractSeries;
class QAbstractAxis;
class QValueAxis;

namespace evs {

// A line of a chart. Points are sorted by x; non-finite points are dropped.
struct ChartLine {
    QString name; // legend text, unique within the chart (the series is reused by name from one update to the next)
    QColor color;
    Qt::PenStyle style = Qt::SolidLine;
    std::vector<QPointF> points;
    bool rightAxis = false;
    bool inLegend = true;
};

// A filled band between two lines (a CI band, a layer of a stacked chart).
struct ChartBand {
    QString name;
    QColor color; // drawn translucent
    std::vector<QPointF> upper;
    std::vector<QPointF> lower;
    bool inLegend = true;
};

// The one place that uses Qt Charts (docs/architecture.md section 9): series are created once and then replaced in bulk
// with QXYSeries::replace, after min/max decimation to about the plot's pixel width so that peaks survive; axis ranges
// follow the data; colours follow the widget's palette (light or dark). Never OpenGL (it crashes offscreen).
// The int property "pointCount" is the number of points currently handed to Qt Charts, after decimation.
class ChartAdapter : public QChartView {
    Q_OBJECT
    Q_PROPERTY(int pointCount READ pointCount NOTIFY pointCountChanged)
public:
    enum class XScale { Linear, Log };
    ChartAdapter(const QString& title, const QString& xTitle, const QString& yTitle, const QString& yRightTitle = {},
        XScale xScale = XScale::Linear, QWidget* parent = nullptr);

    // Replaces everything the chart shows; bands are drawn under lines. Cheap to call on a timer.
    void setContent(std::vector<ChartBand> bands, std::vector<ChartLine> lines);
    void clearContent();
    void setYFromZero(bool fromZero) { m_yFromZero = fromZero; }
    int pointCount() const { return m_pointCount; }

    // Colours that read well on the palette's background, light or dark.
    static QColor seriesColor(int index, const QPalette& palette);
    static QColor errorClassColor(int errorClass, const QPalette& palette);

Q_SIGNALS:
    void pointCountChanged(int pointCount);

protected:
    void changeEvent(QEvent* event) override;
    void resizeEvent(QResizeEvent* event) override;

private:
    void redraw();
    void applyPalette();
    int buckets() const;
    QAbstractSeries* lineSeries(const ChartLine& line);
    QAbstractSeries* bandSeries(const ChartBand& band);
    void styleSeries(QAbstractSeries* series, const QColor& color, Qt::PenStyle style, bool band);

    QChart* m_chart;
    QAbstractAxis* m_x;
    QValueAxis* m_y;
    QValueAxis* m_yRight = nullptr;
    XScale m_xScale;
    bool m_yFromZero = true;
    std::vector<ChartBand> m_bands;
    std::vector<ChartLine> m_lines;
    QHash<QString, QAbstractSeries*> m_series; // "L:name" / "B:name"
    int m_pointCount = 0;
    int m_lastBuckets = 0;
};

} // namespace evs
