#pragma once

#include <QString>

class QIODevice;

namespace evs {

struct ReportData;

// PDF (QPdfWriter + QPainter), A4 landscape: run and threshold verdict, the summary tables (paginated), the charts
// two per page as vector graphics, and the metric definitions. Needs a QGuiApplication (fonts); any thread.
class PdfReport {
public:
    static bool write(const ReportData& d, QIODevice& out, QString* error);
};

} // namespace evs
