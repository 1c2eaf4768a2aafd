#pragma once

#include "app/engine/livesnapshot.h"
#include "models/stats/runsummary.h"

#include <QWidget>

#include <memory>

namespace evs {

class AppContext;

// The dashboard of one run (docs/architecture.md section 8): progress with ETA, KPI tiles, and the charts (latency
// percentiles over time, throughput, errors by class stacked, score convergence with its CI band, latency
// distribution), one series per model when the run has several; pause, resume and stop for the active run.
// Fed with snapshots (live, ~10 Hz, or one final snapshot rebuilt from the store) and, once the run has ended,
// the store's exact summary, which then replaces the live approximations in the tiles.
//
// Object names (GUI tests find widgets by them): "dashboard"; tiles "kpi_done", "kpi_failed", "kpi_reqps",
// "kpi_tokps", "kpi_p50", "kpi_p95", "kpi_p99", "kpi_ttft_p50", "kpi_ttft_p99", "kpi_error_rate", "kpi_score",
// "kpi_cost" — each with a double property "value" holding the number shown (NaN when absent) and a string
// property "text" ("—" when the figure has no data); charts "chart_latency",
// "chart_throughput", "chart_errors", "chart_score", "chart_distribution" — each with an int property
// "pointCount" (points currently drawn); buttons "pauseButton", "resumeButton", "stopButton"; "progressBar" (format "—"
// when no run is shown).
class DashboardView : public QWidget {
    Q_OBJECT
public:
    explicit DashboardView(AppContext* context, QWidget* parent = nullptr);
    ~DashboardView() override;

    void clear();
    void setLive(bool live); // controls for the active run are shown and enabled only when live
    void setSnapshot(const LiveSnapshotPtr& snapshot);
    void setSummary(const RunSummary& summary); // exact figures: replace the live tiles

protected:
    void changeEvent(QEvent* event) override;

private:
    struct Private;
    std::unique_ptr<Private> d;
};

} // namespace evs
