#pragma once

// What every reported figure means: the one table that the GUI (tooltips, dashboard tiles, Help › Metric
// definitions), every report format (definition lists, JUnit properties, Prometheus HELP) and the CLI read. The
// wording says what the code computes; docs/metrics.md is the long form and must agree with it.
//
//   tile->setToolTip(evs::metricDashboardText(u"latency_p95"));
//   evs::metricLabel(u"ttft_p50") -> "TTFT p50"
//   evs::formatFigure(NAN, 2) -> "—" (a figure without data is absent, never 0)

#include <QString>
#include <QStringView>

#include <span>

namespace evs {

// How a figure without data is shown in text (CLI, GUI, HTML, Markdown, PDF). JSON writes null, CSV an empty
// field, Prometheus leaves the sample out (docs/metrics.md, Absent figures).
inline constexpr QStringView kAbsentFigure = u"\u2014";

struct MetricDefinition {
    enum Lists : unsigned {
        NoList = 0,
        ReportList = 1, // the "Metric definitions" section of every report (and the JSON export's definitions)
        GuiList = 2, // Help › Metric definitions
        BothLists = ReportList | GuiList,
    };
    QStringView key; // stable identifier: JSON export keys, lookups by the front ends
    QStringView label; // short name: tile titles, list terms, tooltip headings
    QStringView unit; // "ms", "s", "req/s", "tok/s", "USD"; empty for counts and ratios
    QStringView definition; // plain text, one to three sentences, as docs/metrics.md defines the figure
    QStringView dashboard; // how the dashboard shows it (pooling over pairs, live approximation); may be empty
    unsigned lists = NoList;
};

// Every definition, in reading order.
std::span<const MetricDefinition> metricDefinitions();
const MetricDefinition* findMetricDefinition(QStringView key); // null for an unknown key

QString metricLabel(QStringView key); // the key itself when unknown
QString metricDefinition(QStringView key); // empty when unknown
// The definition followed by its unit ("… Unit: ms."), for definition lists and Prometheus HELP.
QString metricDescription(const MetricDefinition& m);
QString metricDescription(QStringView key);
// The definition and, when there is one, the dashboard's note, as plain text (the dashboard tiles' tooltips).
QString metricDashboardText(QStringView key);
// "<p><b>Label</b><br>definition</p>": rich text, so that a long tooltip wraps. Empty when unknown.
QString metricToolTip(QStringView key);
// One paragraph at the top of a report: where its figures come from.
QString metricReportPreamble();

// `value` with `decimals` decimals, or kAbsentFigure when it is not a finite number (NaN marks a figure without
// data in RunSummary and RunTotals).
QString formatFigure(double value, int decimals);

} // namespace evs
