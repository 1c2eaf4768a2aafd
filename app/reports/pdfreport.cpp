#include "app/reports/pdfreport.h"

#include "app/reports/reportcharts.h"
#include "app/reports/reportdata.h"
#include "app/reports/reporttables.h"
#include "models/core/metricdefinitions.h"

#include <QCoreApplication>
#include <QFontMetricsF>
#include <QPageLayout>
#include <QPageSize>
#include <QPainter>
#include <QPdfWriter>

using namespace Qt::StringLiterals;

namespace evs {

namespace {

constexpr int kDpi = 150;

QFont pdfFont(int pixelSize, bool bold = false)
{
    QFont f(u"DejaVu Sans"_s);
    f.setPixelSize(pixelSize);
    f.setBold(bold);
    return f;
}

// A top-to-bottom layout over pages with a footer on each.
class PageFlow {
public:
    PageFlow(QPdfWriter& writer, QPainter& painter, const QString& footer)
        : m_writer(writer)
        , m_p(painter)
        , m_footer(footer)
    {
        m_area = QRectF(QPointF(0, 0), QSizeF(m_writer.width(), m_writer.height()));
        m_area.setBottom(m_area.bottom() - 40); // footer band
        m_y = m_area.top();
        drawFooter();
    }

    QPainter& painter() { return m_p; }
    double width() const { return m_area.width(); }
    double left() const { return m_area.left(); }
    double y() const { return m_y; }
    double remaining() const { return m_area.bottom() - m_y; }
    double pageHeight() const { return m_area.height(); }
    void advance(double h) { m_y += h; }

    void newPage()
    {
        m_writer.newPage();
        ++m_page;
        m_y = m_area.top();
        drawFooter();
    }
    void ensure(double h)
    {
        if (h > remaining() && m_y > m_area.top())
            newPage();
    }

    void heading(const QString& text, int size = 30)
    {
        ensure(size * 3.0);
        m_y += size * 0.5;
        m_p.setFont(pdfFont(size, true));
        m_p.setPen(QColor(0x22, 0x22, 0x22));
        m_p.drawText(QRectF(left(), m_y, width(), size * 1.5), Qt::AlignLeft | Qt::AlignVCenter, text);
        m_y += size * 1.6;
    }

    void paragraph(const QString& text, int size = 20, QColor color = QColor(0x44, 0x44, 0x44), bool bold = false)
    {
        m_p.setFont(pdfFont(size, bold));
        const QRectF bounds = m_p.boundingRect(QRectF(left(), 0, width(), 1e6), Qt::TextWordWrap, text);
        ensure(bounds.height() + 8);
        m_p.setPen(color);
        m_p.drawText(QRectF(left(), m_y, width(), bounds.height() + 2), Qt::TextWordWrap, text);
        m_y += bounds.height() + 10;
    }

    void table(const ReportTable& t)
    {
        if (t.rows.isEmpty())
            return;
        int size = 19;
        QVector<double> widths;
        auto measure = [&] {
            widths.fill(0, t.headers.size());
            const QFontMetricsF bold(pdfFont(size, true)), normal(pdfFont(size));
            for (qsizetype c = 0; c < t.headers.size(); ++c)
                widths[c] = bold.horizontalAdvance(t.headers[c]) + 16;
            for (const auto& row : t.rows) {
                for (qsizetype c = 0; c < row.size() && c < widths.size(); ++c)
                    widths[c] = std::max(widths[c], std::min(normal.horizontalAdvance(row[c]) + 16, 520.0));
            }
            double total = 0;
            for (double w : widths)
                total += w;
            return total;
        };
        double total = measure();
        while (total > width() && size > 13) {
            --size;
            total = measure();
        }
        if (total > width()) {
            for (double& w : widths)
                w *= width() / total;
        }
        const double rowH = size * 1.6;
        auto header = [&] {
            m_p.setFont(pdfFont(size, true));
            double x = left();
            for (qsizetype c = 0; c < t.headers.size(); ++c) {
                const QRectF cell(x, m_y, widths[c], rowH);
                m_p.fillRect(cell, QColor(0xf0, 0xf2, 0xf5));
                m_p.setPen(QColor(0xcc, 0xd0, 0xd5));
                m_p.drawRect(cell);
                m_p.setPen(QColor(0x22, 0x22, 0x22));
                m_p.drawText(cell.adjusted(8, 0, -8, 0), Qt::AlignVCenter | Qt::AlignLeft,
                    QFontMetricsF(m_p.font()).elidedText(t.headers[c], Qt::ElideRight, widths[c] - 16));
                x += widths[c];
            }
            m_y += rowH;
        };
        ensure(rowH * 3);
        header();
        for (qsizetype r = 0; r < t.rows.size(); ++r) {
            if (remaining() < rowH) {
                newPage();
                header();
            }
            m_p.setFont(pdfFont(size));
            const bool failed = t.statusRows.contains(int(r));
            double x = left();
            for (qsizetype c = 0; c < t.rows[r].size() && c < widths.size(); ++c) {
                const QRectF cell(x, m_y, widths[c], rowH);
                if (failed)
                    m_p.fillRect(cell, QColor(0xfd, 0xec, 0xec));
                m_p.setPen(QColor(0xdd, 0xe1, 0xe6));
                m_p.drawRect(cell);
                m_p.setPen(QColor(0x22, 0x22, 0x22));
                const bool text = t.textColumns.contains(int(c));
                m_p.drawText(cell.adjusted(8, 0, -8, 0), Qt::AlignVCenter | (text ? Qt::AlignLeft : Qt::AlignRight),
                    QFontMetricsF(m_p.font()).elidedText(t.rows[r][c], Qt::ElideMiddle, widths[c] - 16));
                x += widths[c];
            }
            m_y += rowH;
        }
        m_y += 14;
    }

private:
    void drawFooter()
    {
        m_p.setFont(pdfFont(16));
        m_p.setPen(QColor(0x77, 0x77, 0x77));
        m_p.drawText(QRectF(0, m_writer.height() - 30, m_writer.width(), 30), Qt::AlignRight | Qt::AlignVCenter,
            u"%1 \u00b7 page %2"_s.arg(m_footer).arg(m_page));
    }

    QPdfWriter& m_writer;
    QPainter& m_p;
    QString m_footer;
    QRectF m_area;
    double m_y = 0;
    int m_page = 1;
};

} // namespace

bool PdfReport::write(const ReportData& d, QIODevice& out, QString* error)
{
    QPdfWriter writer(&out);
    writer.setResolution(kDpi);
    writer.setPageLayout(QPageLayout(
        QPageSize(QPageSize::A4), QPageLayout::Landscape, QMarginsF(12, 12, 12, 12), QPageLayout::Millimeter));
    const QString title = u"Run %1: %2"_s.arg(d.run.id).arg(d.run.name);
    writer.setTitle(u"evalsandbox report \u2014 "_s + title);
    writer.setCreator(u"evalsandbox "_s + QCoreApplication::applicationVersion());
    QPainter painter;
    if (!painter.begin(&writer)) {
        *error = u"cannot start the PDF writer"_s;
        return false;
    }
    painter.setRenderHint(QPainter::Antialiasing);
    PageFlow flow(writer, painter, u"evalsandbox \u00b7 run %1"_s.arg(d.run.id));

    flow.heading(title, 40);
    flow.paragraph(u"Evaluation report \u00b7 %1 model(s) \u00d7 %2 benchmark(s) \u00b7 %3 records \u00b7 status %4"_s
                       .arg(d.modelIds.size())
                       .arg(d.benchmarkIds.size())
                       .arg(d.run.storedRecords)
                       .arg(runStatusName(d.run.status)));
    const auto& tr = d.thresholdReport;
    if (d.thresholds.isEmpty())
        flow.paragraph(u"No thresholds declared."_s, 24, QColor(0x44, 0x44, 0x44), true);
    else if (tr.allPassed())
        flow.paragraph(u"All %1 threshold checks passed."_s.arg(tr.results.size()), 24, QColor(0x17, 0x69, 0x2a), true);
    else
        flow.paragraph(u"%1 of %2 threshold checks FAILED."_s.arg(tr.failedCount()).arg(tr.results.size()), 24,
            QColor(0xa1, 0x1a, 0x1a), true);
    flow.heading(u"Run"_s);
    flow.table(ReportTables::runInfo(d));
    flow.heading(u"Summary"_s);
    flow.paragraph(metricReportPreamble());
    for (const ReportTable& t : ReportTables::summaryTables(d)) {
        flow.heading(t.title, 24);
        if (!t.note.isEmpty())
            flow.paragraph(t.note, 18);
        flow.table(t);
    }

    // Charts, two per page, as vector graphics.
    flow.newPage();
    flow.heading(u"Charts"_s);
    for (const auto c : ReportCharts::all()) {
        const QSize canvas = ReportCharts::canvasSize(c, d);
        double w = std::min(flow.width(), 940.0); // two charts and their captions fit a page
        double h = w * canvas.height() / canvas.width();
        const double maxH = flow.pageHeight() - 160; // room for the heading and the caption
        if (h > maxH) {
            w *= maxH / h;
            h = maxH;
        }
        flow.ensure(h + 60);
        const QRectF target(flow.left() + (flow.width() - w) / 2, flow.y(), w, h);
        ReportCharts::paint(painter, target, c, d);
        painter.setPen(QColor(0xcc, 0xd0, 0xd5));
        painter.setBrush(Qt::NoBrush);
        painter.drawRect(target);
        flow.advance(h + 6);
        flow.paragraph(ReportCharts::caption(c), 17);
    }

    flow.newPage();
    flow.heading(u"Metric definitions"_s);
    for (const MetricDefinition& def : metricDefinitions()) {
        if (!(def.lists & MetricDefinition::ReportList))
            continue;
        flow.paragraph(def.label.toString(), 20, QColor(0x22, 0x22, 0x22), true);
        flow.paragraph(metricDescription(def), 19);
    }
    if (!painter.end()) {
        *error = u"cannot finish the PDF"_s;
        return false;
    }
    return true;
}

} // namespace evs
