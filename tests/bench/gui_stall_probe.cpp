// Stall probe for tests/bench/bench_gui_stall.sh: shows the live dashboard (or, with --window, the whole main
// window), runs a plan through AppContext (as the desktop app does), and measures how late a 5 ms timer on the GUI
// thread fires, in three phases: while the run goes on; while it finalises (from the controller's drained() to the
// moment it starts reporting the end, its first progressed() after drained(): a stall inside the finalisation delays
// that moment and is counted); and after it, from there until the view has shown the exact figures (the final
// snapshot, runFinished() and what the pages do about it, until the Runs page has reopened the run, or 500 ms for
// the dashboard alone). Prints one line "STALLJSON {...}" with the percentiles of each phase and the achieved request
// rate. Asserts nothing about time.
//
//   gui_stall_probe --plan PLAN.json --db RUN.db [--window] [--hidden] [--screenshot OUT.png]

#include "models/plan/planparser.h"
#include "models/stats/runsummary.h"
#include "ui/appcontext.h"
#include "ui/dashboardview.h"
#include "ui/mainwindow.h"
#include "ui/runspage.h"
#include "ui/secretstore.h"
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

QJsonObject spread(const std::vector<double>& v)
{
    return QJsonObject { { u"p50"_s, percentile(v, 0.50) }, { u"p90"_s, percentile(v, 0.90) },
        { u"p99"_s, percentile(v, 0.99) }, { u"p999"_s, percentile(v, 0.999) },
        { u"max"_s, v.empty() ? 0.0 : *std::max_element(v.begin(), v.end()) } };
}

} // namespace

int main(int argc, char** argv)
{
    QApplication app(argc, argv);
    // The main window keeps its settings under these names: never the desktop app's.
    QApplication::setOrganizationName(u"evalsandbox-bench"_s);
    QApplication::setApplicationName(u"gui_stall_probe"_s);
    QCommandLineParser cli;
    cli.addHelpOption();
    cli.addOption({ u"plan"_s, u"Plan file to run."_s, u"file"_s });
    cli.addOption({ u"db"_s, u"Results store to write."_s, u"file"_s });
    cli.addOption({ u"screenshot"_s, u"Save a PNG of the dashboard at the end."_s, u"file"_s });
    cli.addOption({ u"hidden"_s, u"Do not show the dashboard (the baseline: the engine alone on the GUI thread)."_s });
    cli.addOption({ u"window"_s, u"Show the whole main window (all pages, the Runs page's dashboard in front)."_s });
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
    const bool hidden = cli.isSet(u"hidden"_s);
    const bool windowMode = cli.isSet(u"window"_s) && !hidden;
    evs::SecretStore secrets(evs::SecretStore::Backend::Memory);
    std::unique_ptr<evs::MainWindow> window;
    std::unique_ptr<evs::DashboardView> ownView;
    evs::DashboardView* view = nullptr;
    if (windowMode) {
        window = std::make_unique<evs::MainWindow>(&context, &secrets);
        window->resize(1600, 1100);
        window->show();
        view = window->runsPage()->dashboard();
    } else {
        ownView = std::make_unique<evs::DashboardView>(&context);
        view = ownView.get();
        if (!hidden) {
            view->setLive(true);
            view->resize(1400, 1000);
            view->show();
        }
    }

    // The probe: a precise timer on the GUI thread; lateness = interval observed minus the period, counted in the
    // phase the interval began in.
    enum class Phase { Before, Running, Finalizing, After, Done };
    Phase phase = Phase::Before;
    std::vector<double> latenessMs, finalizeLatenessMs, afterLatenessMs;
    latenessMs.reserve(1 << 20);
    QElapsedTimer clock;
    qint64 lastNs = -1;
    Phase intervalPhase = Phase::Before;
    QTimer probe;
    probe.setTimerType(Qt::PreciseTimer);
    probe.setInterval(periodMs);
    QObject::connect(&probe, &QTimer::timeout, [&] {
        const qint64 now = clock.nsecsElapsed();
        if (lastNs >= 0) {
            const double late = std::max(0.0, double(now - lastNs) / 1e6 - periodMs);
            switch (intervalPhase) {
            case Phase::Running:
                latenessMs.push_back(late);
                break;
            case Phase::Finalizing:
                finalizeLatenessMs.push_back(late);
                break;
            case Phase::After:
                afterLatenessMs.push_back(late);
                break;
            default:
                break;
            }
        }
        lastNs = now;
        intervalPhase = phase;
    });

    QElapsedTimer runClock;
    QElapsedTimer finalizeClock;
    double finalizeMs = 0;
    double afterMs = 0;
    qint64 runId = 0;
    evs::RunStatus status = evs::RunStatus::Failed;
    std::optional<evs::RunSummary> summary;
    const auto finish = [&] {
        if (phase == Phase::Done)
            return;
        afterMs = double(finalizeClock.nsecsElapsed()) / 1e6 - finalizeMs;
        phase = Phase::Done;
        app.quit();
    };
    // The end of the finalisation: the controller is back on the GUI thread and reports. The interval under way is
    // split there: its part up to now is the finalisation's, the rest is counted after it.
    const auto endFinalization = [&] {
        if (phase != Phase::Finalizing)
            return;
        const qint64 now = clock.nsecsElapsed();
        finalizeMs = double(finalizeClock.nsecsElapsed()) / 1e6;
        finalizeLatenessMs.push_back(std::max(0.0, double(now - lastNs) / 1e6 - periodMs));
        lastNs = now;
        phase = Phase::After;
        intervalPhase = Phase::After;
    };
    QObject::connect(&context, &evs::AppContext::runFinished, [&](qint64 id, evs::RunStatus s) {
        endFinalization(); // when the controller emitted no progressed() first
        runId = id;
        status = s;
        if (auto* c = context.findChild<evs::RunController*>(); c && c->summary())
            summary = c->summary();
        if (!windowMode)
            QTimer::singleShot(500, &app, finish); // let the dashboard draw the final figures
    });
    if (windowMode) {
        // The Runs page reopens the ended run from the store (exact summary, every sample): the end of the end.
        QObject::connect(window->runsPage(), &evs::RunsPage::runOpened, &app, [&](qint64 id) {
            if (phase == Phase::After) {
                if (id == runId)
                    QTimer::singleShot(200, &app, finish);
            }
        });
        QTimer::singleShot(120000, &app, [&] {
            if (phase == Phase::After)
                finish(); // bounded: the reopened run never came
        });
    }
    QTimer::singleShot(300, &app, [&] {
        QString error;
        clock.start();
        probe.start();
        runClock.start();
        phase = Phase::Running;
        intervalPhase = Phase::Running;
        if (!context.startRun(*plan, &error)) {
            std::fprintf(stderr, "gui_stall_probe: %s\n", qPrintable(error));
            app.exit(1);
            return;
        }
        QObject::connect(context.activeRun(), &evs::RunController::drained, &app, [&] {
            finalizeClock.start();
            phase = Phase::Finalizing;
        });
        QObject::connect(context.activeRun(), &evs::RunController::progressed, &app, endFinalization);
    });
    const int rc = app.exec();
    const double wallS = double(runClock.nsecsElapsed()) / 1e9 - afterMs / 1e3; // start to runFinished()
    probe.stop();
    if (rc != 0)
        return rc;
    if (cli.isSet(u"screenshot"_s) && !hidden)
        (windowMode ? static_cast<QWidget*>(window.get()) : view)->grab().save(cli.value(u"screenshot"_s));

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
        { u"main_window"_s, windowMode },
        { u"dashboard_redraws"_s, view->property("renderCount").toLongLong() },
        { u"dashboard_redraw_mean_ms"_s,
            view->property("renderCount").toLongLong() > 0
                ? view->property("renderTotalMs").toDouble() / view->property("renderCount").toDouble()
                : 0.0 },
        { u"dashboard_redraw_max_ms"_s, view->property("renderMaxMs").toDouble() },
        { u"probe_ticks"_s, qint64(latenessMs.size()) },
        { u"lateness_ms"_s, spread(latenessMs) },
        { u"finalize_ms"_s, finalizeMs },
        { u"finalize_ticks"_s, qint64(finalizeLatenessMs.size()) },
        { u"finalize_lateness_ms"_s, spread(finalizeLatenessMs) },
        { u"after_ms"_s, afterMs },
        { u"after_ticks"_s, qint64(afterLatenessMs.size()) },
        { u"after_lateness_ms"_s, spread(afterLatenessMs) },
    };
    std::printf("STALLJSON %s\n", QJsonDocument(out).toJson(QJsonDocument::Compact).constData());
    return status == evs::RunStatus::Completed ? 0 : 1;
}
