// Stall probe for tests/bench/bench_gui_stall.sh: shows the live dashboard, runs a plan through AppContext (as the
// desktop app does), and measures how late a 5 ms timer on the GUI thread fires while the run goes on. Prints one
// line "STALLJSON {...}" with the lateness percentiles and the achieved request rate. Asserts nothing about time.
//
//   gui_stall_probe --plan PLAN.json --db RUN.db [--screenshot OUT.png]

#include "models/plan/planparser.h"
#include "models/stats/runsummary.h"
#include "ui/appcontext.h"
#include "ui/dashboardview.h"
#include "ui/workspace.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QElapsedTimer>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTimer>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <vector>

using namespace Qt::StringLiterals;

namespace {

double percentile(std::vector<double> v, double q)
{
    if (v.empty())
        return 0;
    std::sort(v.begin(), v.end());
    const double pos = q * double(v.size() - 1);
    const auto lo = size_t(std::floor(pos));
    const auto hi = std::min(v.size() - 1, lo + 1);
    return v[lo] + (v[hi] - v[lo]) * (pos - double(lo));
}

} // namespace

int main(int argc, char** argv)
{
    QApplication app(argc, argv);
    QCommandLineParser cli;
    cli.addHelpOption();
    cli.addOption({ u"plan"_s, u"Plan file to run."_s, u"file"_s });
    cli.addOption({ u"db"_s, u"Results store to write."_s, u"file"_s });
    cli.addOption({ u"screenshot"_s, u"Save a PNG of the dashboard at the end."_s, u"file"_s });
    cli.addOption({ u"hidden"_s, u"Do not show the dashboard (the baseline: the engine alone on the GUI thread)."_s });
    cli.addOption({ u"period-ms"_s, u"Probe timer period (default 5)."_s, u"ms"_s, u"5"_s });
    cli.process(app);
    if (!cli.isSet(u"plan"_s) || !cli.isSet(u"db"_s)) {
        std::fprintf(stderr, "gui_stall_probe: --plan and --db are required\n");
        return 2;
    }
    evs::PlanError planError;
    const auto plan = evs::PlanParser::parseFile(cli.value(u"plan"_s), &planError);
    if (!plan) {
        std::fprintf(stderr, "gui_stall_probe: %s\n", qPrintable(planError.toString(cli.value(u"plan"_s))));
        return 2;
    }
    const int periodMs = std::max(1, cli.value(u"period-ms"_s).toInt());

    evs::Workspace workspace;
    evs::AppContext context(&workspace, cli.value(u"db"_s));
    evs::DashboardView view(&context);
    const bool hidden = cli.isSet(u"hidden"_s);
    if (!hidden) {
        view.setLive(true);
        view.resize(1400, 1000);
        view.show();
    }

    // The probe: a precise timer on the GUI thread; lateness = interval observed minus the period.
    std::vector<double> latenessMs;
    latenessMs.reserve(1 << 20);
    QElapsedTimer clock;
    qint64 lastNs = -1;
    bool measuring = false;
    QTimer probe;
    probe.setTimerType(Qt::PreciseTimer);
    probe.setInterval(periodMs);
    QObject::connect(&probe, &QTimer::timeout, [&] {
        const qint64 now = clock.nsecsElapsed();
        if (measuring && lastNs >= 0)
            latenessMs.push_back(std::max(0.0, double(now - lastNs) / 1e6 - periodMs));
        lastNs = now;
    });

    QElapsedTimer runClock;
    qint64 runId = 0;
    evs::RunStatus status = evs::RunStatus::Failed;
    std::optional<evs::RunSummary> summary;
    QObject::connect(&context, &evs::AppContext::runFinished, [&](qint64 id, evs::RunStatus s) {
        measuring = false;
        runId = id;
        status = s;
        if (auto* c = context.findChild<evs::RunController*>(); c && c->summary())
            summary = c->summary();
        QTimer::singleShot(500, &app, [&] { app.quit(); }); // let the dashboard draw the final figures
    });
    QTimer::singleShot(300, &app, [&] {
        QString error;
        clock.start();
        probe.start();
        runClock.start();
        measuring = true;
        if (!context.startRun(*plan, &error)) {
            std::fprintf(stderr, "gui_stall_probe: %s\n", qPrintable(error));
            app.exit(1);
        }
    });
    const int rc = app.exec();
    const double wallS = double(runClock.nsecsElapsed()) / 1e9;
    probe.stop();
    if (rc != 0)
        return rc;
    if (cli.isSet(u"screenshot"_s) && !hidden)
        view.grab().save(cli.value(u"screenshot"_s));

    qint64 n = 0, failed = 0;
    double engineReqPs = 0;
    if (summary) {
        QMap<int, std::pair<double, double>> byModel;
        for (const auto& p : summary->pairs) {
            n += p.n;
            failed += p.failed;
            byModel[p.modelIndex].first += p.requestsPerS * p.durationS;
            byModel[p.modelIndex].second += p.durationS;
        }
        for (const auto& [req, s] : byModel)
            engineReqPs += s > 0 ? req / s : 0;
    }
    QJsonObject out {
        { u"run_id"_s, runId },
        { u"status"_s, evs::runStatusName(status) },
        { u"requests"_s, n },
        { u"failed"_s, failed },
        { u"wall_s"_s, wallS },
        { u"requests_per_s"_s, wallS > 0 ? double(n) / wallS : 0 },
        { u"engine_requests_per_s"_s, engineReqPs },
        { u"probe_period_ms"_s, periodMs },
        { u"dashboard_shown"_s, !hidden },
        { u"dashboard_redraws"_s, view.property("renderCount").toLongLong() },
        { u"dashboard_redraw_mean_ms"_s,
            view.property("renderCount").toLongLong() > 0
                ? view.property("renderTotalMs").toDouble() / view.property("renderCount").toDouble()
                : 0.0 },
        { u"dashboard_redraw_max_ms"_s, view.property("renderMaxMs").toDouble() },
        { u"probe_ticks"_s, qint64(latenessMs.size()) },
        { u"lateness_ms"_s,
            QJsonObject { { u"p50"_s, percentile(latenessMs, 0.50) }, { u"p90"_s, percentile(latenessMs, 0.90) },
                { u"p99"_s, percentile(latenessMs, 0.99) }, { u"p999"_s, percentile(latenessMs, 0.999) },
                { u"max"_s, latenessMs.empty() ? 0.0 : *std::max_element(latenessMs.begin(), latenessMs.end()) } } },
    };
    std::printf("STALLJSON %s\n", QJsonDocument(out).toJson(QJsonDocument::Compact).constData());
    return status == evs::RunStatus::Completed ? 0 : 1;
}
