#pragma once

#include <QByteArray>

namespace evs {

struct ReportData;

// Markdown (CommonMark with GitHub tables): run, summary tables, thresholds, sample responses and the metric
// definitions. Untrusted text is escaped (TextEscape::markdown) so that no cell can break the table, open a link
// or emit raw HTML.
class MarkdownReport {
public:
    static QByteArray render(const ReportData& d);
};

} // namespace evs
