#pragma once

#include <QString>
#include <QStringList>
#include <QVector>

namespace evs {

struct ReportData;

// A table of a report with its cells already formatted, so that HTML, Markdown and PDF show the same digits.
// Cells in `textColumns` hold untrusted text (ids, categories) that each writer escapes for its format.
struct ReportTable {
    QString key; // "quality", "latency", ...
    QString title;
    QString note; // one sentence under the title; may be empty
    QStringList headers;
    QVector<QStringList> rows;
    QVector<int> textColumns;
    QVector<int> statusRows; // for "thresholds": rows that failed
};

class ReportTables {
public:
    static ReportTable runInfo(const ReportData& d);
    // quality, latency, throughput, errors, categories and pass@k (the last two when there is something to show),
    // then thresholds.
    static QVector<ReportTable> summaryTables(const ReportData& d);
    static ReportTable thresholds(const ReportData& d);

    // Number formats shared by the human-readable reports.
    static QString ms(double v); // 3 decimals
    static QString fraction(double v); // 4 decimals
    static QString rate(double v); // 3 decimals
    static QString usd(double v); // 6 decimals
    static QString exact(double v); // shortest text that reads back to the same double
};

} // namespace evs
