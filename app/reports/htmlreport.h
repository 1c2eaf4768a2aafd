#pragma once

#include <QByteArray>
#include <QString>

namespace evs {

struct ReportData;

// One self-contained HTML file: styles inline, charts as inline SVG, no script, no external address (a
// Content-Security-Policy forbids any fetch), every untrusted text escaped. Needs a QGuiApplication (fonts).
class HtmlReport {
public:
    static QByteArray render(const ReportData& d);
};

} // namespace evs
