#pragma once

#include <QByteArray>

namespace evs {

struct ReportData;

// Prometheus text exposition format (version 0.0.4) of a run's final figures: gauges labelled with model and
// benchmark, HELP lines from the shared metric definitions, base units (seconds) as Prometheus recommends.
class PrometheusExport {
public:
    static QByteArray render(const ReportData& d);
};

} // namespace evs
