// The live dashboard: tiles and charts from synthetic snapshots, coalescing, exact figures replacing live ones, and
// a real run of the demo against the in-process simulator through AppContext.

#include "models/core/metricdefinitions.h"
#include "models/stats/runsummary.h"
#include "models/store/resultsstore.h"
#include "ui/appcontext.h"
#include "ui/chartadapter.h"
#include "ui/dashboardview.h"
#include "ui/kpitile.h"
#include "ui/workspace.h"

#include <QApplication>
#include <QDir>
#include <QProgressBar>
#include <QPushButton>
#include <QSignalSpy>
#include <QStyleFactory>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QTest>
#include <QXYSeries>

#include <cmath>

using namespace evs;
using namespace Qt::StringLiterals;

namespace {

const QStringList kCharts { u"chart_latency"_s, u"chart_throughput"_s, u"chart_errors"_s, u"chart_score"_s,
    u"chart_distribution"_s };

const QStringList kTileNames { u"kpi_done"_s, u"kpi_failed"_s, u"kpi_reqps"_s, u"kpi_tokps"_s, u"kpi_p50"_s,
    u"kpi_p95"_s, u"kpi_p99"_s, u"kpi_ttft_p50"_s, u"kpi_ttft_p99"_s, u"kpi_error_rate"_s, u"kpi_score"_s,
    u"kpi_cost"_s };

QString tileText(const QWidget* view, const QString& name)
{
    const auto* tile = view->findChild<KpiTile*>(name);
    return tile ? tile->property("text").toString() : u"(no tile)"_s;
}

double tileValue(const QWidget* view, const QString& name)
{
    const auto* tile = view->findChild<KpiTile*>(name);
    return tile ? tile->property("value").toDouble() : std::nan("");
}

int pointCount(const QWidget* view, const QString& name)
{
    const auto* chart = view->findChild<QWidget*>(name);
    return chart ? chart->property("pointCount").toInt() : -1;
}

bool near(double a, double b, double rel = 1e-9)
{
    return std::abs(a - b) <= rel * std::max({ 1.0, std::abs(a), std::abs(b) });
}

// A model's series: `seconds` points at ~rate req/s, latency around baseMs with a spike at `spikeAt`, some 429s.
LiveSeries makeSeries(int index, const QString& id, int seconds, double baseMs, int spikeAt = -1)
{
    LiveSeries s;
    s.modelIndex = index;
    s.modelId = id;
    for (int t = 0; t < seconds; ++t) {
        LivePoint p;
        p.tS = t + 1;
        p.done = 50 + t % 7;
        p.failed = t % 10 == 0 ? 3 : 0;
        p.errors[size_t(ErrorClass::Http429)] = p.failed;
        p.latencyP50Ms = baseMs + t % 5;
        p.latencyP95Ms = baseMs * 2 + t % 5;
        p.latencyP99Ms = t == spikeAt ? 5000 : baseMs * 3;
        p.ttftP50Ms = baseMs / 2;
        p.requestsPerS = double(p.done);
        p.outputTokensPerS = 20.0 * double(p.done);
        s.done += p.done;
        s.failed += p.failed;
        s.errors[size_t(ErrorClass::Http429)] += p.failed;
        for (qint64 k = 0; k < p.done - p.failed; ++k) {
            s.latency.add(baseMs + double(k % 20));
            s.ttft.add(baseMs / 2 + double(k % 5));
            const bool pass = (k + t) % 4 != 0;
            s.scored += 1;
            s.scoreSum += pass ? 1 : 0;
            s.scoreSqSum += pass ? 1 : 0;
        }
        p.scoredSoFar = s.scored;
        p.scoreMean = s.scoreMean();
        std::tie(p.scoreCiLow, p.scoreCiHigh) = s.scoreInterval();
        s.points.push_back(p);
    }
    s.inputTokens = s.done * 40;
    s.outputTokens = s.done * 20;
    s.costUsd = 0.001 * double(s.done);
    return s;
}

LiveSnapshotPtr makeSnapshot(qint64 runId, int seconds, int models = 2, int spikeAt = -1)
{
    auto snap = std::make_shared<LiveSnapshot>();
    snap->runId = runId;
    for (int m = 0; m < models; ++m)
        snap->models.push_back(makeSeries(m, u"model-%1"_s.arg(m), seconds, 40.0 + 30 * m, spikeAt));
    LiveSeries& t = snap->total;
    t.modelId = u"all models"_s;
    t.points = snap->models.front().points;
    for (const LiveSeries& m : snap->models) {
        t.latency.merge(m.latency);
        t.ttft.merge(m.ttft);
        t.done += m.done;
        t.failed += m.failed;
        for (size_t c = 0; c < t.errors.size(); ++c)
            t.errors[c] += m.errors[c];
        t.scored += m.scored;
        t.scoreSum += m.scoreSum;
        t.scoreSqSum += m.scoreSqSum;
        t.costUsd += m.costUsd;
        t.inputTokens += m.inputTokens;
        t.outputTokens += m.outputTokens;
    }
    snap->progress.planned = t.done * 2;
    snap->progress.done = t.done;
    snap->progress.doneThisSession = t.done;
    snap->progress.failed = t.failed;
    snap->progress.elapsedS = seconds;
    snap->recentRequestsPerS = 123.5;
    snap->recentOutputTokensPerS = 2470;
    return snap;
}

PairSummary makePair(int model, int bench, qint64 n, qint64 failed, double p95, qint64 scored, double mean)
{
    PairSummary p;
    p.modelIndex = model;
    p.benchmarkIndex = bench;
    p.modelId = u"model-%1"_s.arg(model);
    p.benchmarkId = u"bench-%1"_s.arg(bench);
    p.n = n;
    p.ok = n - failed;
    p.failed = failed;
    p.scored = scored;
    p.scoreMean = mean;
    p.scoreCiLow = mean - 0.05;
    p.scoreCiHigh = mean + 0.04;
    p.ciMethod = u"wilson"_s;
    p.latencyMs.n = n - failed;
    p.latencyMs.p50 = p95 / 2;
    p.latencyMs.p95 = p95;
    p.latencyMs.p99 = p95 * 1.5;
    p.ttftMs.n = n - failed;
    p.ttftMs.p50 = p95 / 4;
    p.ttftMs.p99 = p95 / 3;
    p.durationS = 10;
    p.requestsPerS = double(n) / 10;
    p.outputTokensPerS = 20.0 * double(n) / 10;
    p.costUsd = 0.01 * double(n);
    return p;
}

} // namespace

class TestDashboard : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void objectNames();
    void syntheticSnapshot_data();
    void syntheticSnapshot();
    void coalescesToNewest();
    void chartsAreDecimated();
    void summaryReplacesLive();
    void summaryOfSeveralPairs();
    void realRunAgainstSimulator_data();
    void realRunAgainstSimulator();
    void pauseResumeStop();
    void absentFiguresShowAsDash_data();
    void absentFiguresShowAsDash();

private:
    QTemporaryDir m_dir;
};

void TestDashboard::initTestCase()
{
    QVERIFY(m_dir.isValid());
    qputenv("EVALSANDBOX_WORKSPACE", QFile::encodeName(m_dir.filePath(u"workspace.json"_s)));
}

void TestDashboard::objectNames()
{
    DashboardView view(nullptr);
    QCOMPARE(view.objectName(), u"dashboard"_s);
    for (const QString& n :
        { u"kpi_done"_s, u"kpi_failed"_s, u"kpi_reqps"_s, u"kpi_tokps"_s, u"kpi_p50"_s, u"kpi_p95"_s, u"kpi_p99"_s,
            u"kpi_ttft_p50"_s, u"kpi_ttft_p99"_s, u"kpi_error_rate"_s, u"kpi_score"_s, u"kpi_cost"_s }) {
        auto* tile = view.findChild<QWidget*>(n);
        QVERIFY2(tile, qPrintable(n));
        QVERIFY2(tile->property("value").isValid(), qPrintable(n));
        QVERIFY2(!tile->toolTip().isEmpty(), qPrintable(n)); // the metric's definition
    }
    for (const QString& n : kCharts) {
        QVERIFY2(view.findChild<QWidget*>(n), qPrintable(n));
        QCOMPARE(pointCount(&view, n), 0);
    }
    for (const QString& n : { u"pauseButton"_s, u"resumeButton"_s, u"stopButton"_s })
        QVERIFY2(view.findChild<QPushButton*>(n), qPrintable(n));
    QVERIFY(view.findChild<QProgressBar*>(u"progressBar"_s));
}

void TestDashboard::syntheticSnapshot_data()
{
    QTest::addColumn<int>("models");
    QTest::addColumn<int>("seconds");
    QTest::addRow("one model, 30 s") << 1 << 30;
    QTest::addRow("two models, 120 s") << 2 << 120;
    QTest::addRow("three models, 3 s") << 3 << 3;
}

void TestDashboard::syntheticSnapshot()
{
    QFETCH(int, models);
    QFETCH(int, seconds);
    DashboardView view(nullptr);
    view.resize(1200, 900);
    view.show();
    const LiveSnapshotPtr snap = makeSnapshot(7, seconds, models);
    view.setSnapshot(snap);
    const LiveSeries& t = snap->total;
    QTRY_COMPARE(tileValue(&view, u"kpi_done"_s), double(t.done));
    QCOMPARE(tileValue(&view, u"kpi_failed"_s), double(t.failed));
    QCOMPARE(tileValue(&view, u"kpi_reqps"_s), 123.5);
    QCOMPARE(tileValue(&view, u"kpi_tokps"_s), 2470.0);
    QCOMPARE(tileValue(&view, u"kpi_p50"_s), t.latency.percentile(0.50));
    QCOMPARE(tileValue(&view, u"kpi_p95"_s), t.latency.percentile(0.95));
    QCOMPARE(tileValue(&view, u"kpi_p99"_s), t.latency.percentile(0.99));
    QCOMPARE(tileValue(&view, u"kpi_ttft_p50"_s), t.ttft.percentile(0.50));
    QCOMPARE(tileValue(&view, u"kpi_ttft_p99"_s), t.ttft.percentile(0.99));
    QVERIFY(near(tileValue(&view, u"kpi_error_rate"_s), 100.0 * double(t.failed) / double(t.done)));
    QVERIFY(near(tileValue(&view, u"kpi_score"_s), t.scoreMean()));
    QVERIFY(near(tileValue(&view, u"kpi_cost"_s), t.costUsd));
    for (const QString& c : kCharts)
        QVERIFY2(pointCount(&view, c) > 0, qPrintable(c));
    auto* bar = view.findChild<QProgressBar*>(u"progressBar"_s);
    QCOMPARE(bar->value(), int(t.done));
    QCOMPARE(bar->maximum(), int(t.done * 2));
    // Per-model figures are in the tooltips when the run has several models.
    if (models > 1)
        QVERIFY(view.findChild<KpiTile*>(u"kpi_p95"_s)->toolTip().contains(u"model-1"_s));
}

void TestDashboard::coalescesToNewest()
{
    DashboardView view(nullptr);
    view.show();
    auto* done = view.findChild<KpiTile*>(u"kpi_done"_s);
    QSignalSpy changes(done, &KpiTile::valueChanged);
    LiveSnapshotPtr last;
    for (int i = 1; i <= 50; ++i) {
        last = makeSnapshot(1, i, 1);
        view.setSnapshot(last); // far faster than the redraw timer: only the newest is drawn
    }
    QTRY_COMPARE(done->value(), double(last->total.done));
    QCOMPARE(changes.count(), 1);
}

void TestDashboard::chartsAreDecimated()
{
    DashboardView view(nullptr);
    view.resize(1200, 900);
    view.show();
    // A day of seconds, with one p99 spike: the chart gets about a pixel's worth of points, and the spike stays.
    const int seconds = 86400;
    view.setSnapshot(makeSnapshot(3, seconds, 1, 40000));
    QTRY_VERIFY(pointCount(&view, u"chart_latency"_s) > 0);
    auto* chart = view.findChild<ChartAdapter*>(u"chart_latency"_s);
    const int perSeriesBound = 4 * std::max(32, chart->width() / 4) + 8;
    QVERIFY2(pointCount(&view, u"chart_latency"_s) <= 3 * perSeriesBound,
        qPrintable(QString::number(pointCount(&view, u"chart_latency"_s))));
    QVERIFY(pointCount(&view, u"chart_latency"_s) < seconds);
    bool spike = false;
    const auto all = chart->chart()->series();
    for (QAbstractSeries* s : all) {
        if (auto* line = qobject_cast<QXYSeries*>(s)) {
            const auto pts = line->points();
            spike = spike || std::any_of(pts.begin(), pts.end(), [](const QPointF& p) { return p.y() == 5000; });
        }
    }
    QVERIFY2(spike, "the p99 spike of one second must survive decimation");
}

void TestDashboard::summaryReplacesLive()
{
    DashboardView view(nullptr);
    view.show();
    const LiveSnapshotPtr snap = makeSnapshot(9, 20, 1);
    view.setSnapshot(snap);
    QTRY_COMPARE(tileValue(&view, u"kpi_done"_s), double(snap->total.done));

    RunSummary summary;
    summary.runId = 9;
    summary.pairs = { makePair(0, 0, 1000, 12, 87.5, 988, 0.8125) };
    view.setSummary(summary);
    const PairSummary& p = summary.pairs.front();
    QCOMPARE(tileValue(&view, u"kpi_done"_s), 1000.0);
    QCOMPARE(tileValue(&view, u"kpi_failed"_s), 12.0);
    QCOMPARE(tileValue(&view, u"kpi_reqps"_s), p.requestsPerS);
    QCOMPARE(tileValue(&view, u"kpi_tokps"_s), p.outputTokensPerS);
    QCOMPARE(tileValue(&view, u"kpi_p50"_s), p.latencyMs.p50);
    QCOMPARE(tileValue(&view, u"kpi_p95"_s), 87.5);
    QCOMPARE(tileValue(&view, u"kpi_p99"_s), p.latencyMs.p99);
    QCOMPARE(tileValue(&view, u"kpi_ttft_p50"_s), p.ttftMs.p50);
    QCOMPARE(tileValue(&view, u"kpi_ttft_p99"_s), p.ttftMs.p99);
    QCOMPARE(tileValue(&view, u"kpi_error_rate"_s), 1.2);
    QCOMPARE(tileValue(&view, u"kpi_score"_s), 0.8125);
    QCOMPARE(tileValue(&view, u"kpi_cost"_s), p.costUsd);

    // A late snapshot of the same run (the final one) does not bring the approximations back...
    auto late = std::make_shared<LiveSnapshot>(*snap);
    late->final = true;
    const qint64 renders = view.property("renderCount").toLongLong();
    view.setSnapshot(late);
    QTRY_VERIFY(view.property("renderCount").toLongLong() > renders); // the late snapshot was drawn
    QCOMPARE(tileValue(&view, u"kpi_done"_s), 1000.0);
    for (const QString& c : kCharts)
        QVERIFY2(pointCount(&view, c) > 0, qPrintable(c));
    // ...but another run's does.
    view.setSnapshot(makeSnapshot(10, 5, 1));
    QTRY_VERIFY(tileValue(&view, u"kpi_done"_s) != 1000.0);
    view.clear();
    QVERIFY(std::isnan(tileValue(&view, u"kpi_done"_s)));
    for (const QString& c : kCharts)
        QCOMPARE(pointCount(&view, c), 0);
}

void TestDashboard::summaryOfSeveralPairs()
{
    DashboardView view(nullptr);
    RunSummary summary;
    summary.runId = 4;
    // Two models x two benchmarks; percentiles cannot be pooled, so the tiles show the worst pair's.
    summary.pairs = { makePair(0, 0, 100, 1, 50, 99, 0.5), makePair(0, 1, 300, 0, 80, 300, 0.9),
        makePair(1, 0, 100, 10, 120, 90, 0.4), makePair(1, 1, 200, 4, 60, 196, 0.75) };
    view.setSummary(summary);
    QCOMPARE(tileValue(&view, u"kpi_done"_s), 700.0);
    QCOMPARE(tileValue(&view, u"kpi_failed"_s), 15.0);
    QVERIFY(near(tileValue(&view, u"kpi_error_rate"_s), 100.0 * 15 / 700));
    QCOMPARE(tileValue(&view, u"kpi_p95"_s), 120.0);
    QCOMPARE(tileValue(&view, u"kpi_p99"_s), 180.0);
    QVERIFY(
        near(tileValue(&view, u"kpi_score"_s), (99 * 0.5 + 300 * 0.9 + 90 * 0.4 + 196 * 0.75) / (99 + 300 + 90 + 196)));
    QVERIFY(near(tileValue(&view, u"kpi_cost"_s), 7.0));
    // Each model runs its benchmarks one after the other; models run side by side: 400/20 + 300/20 req/s.
    QVERIFY(near(tileValue(&view, u"kpi_reqps"_s), 35.0));
    QVERIFY(view.findChild<KpiTile*>(u"kpi_p95"_s)->toolTip().contains(u"model-1 / bench-0: 120"_s));
}

// The demo plan narrowed to `models` models and `benchmarks` benchmarks.
static RunPlan demoPlan(int models, int benchmarks, qint64 limit)
{
    RunPlan plan = Workspace::demoPlan();
    plan.models.resize(models);
    plan.benchmarks.resize(benchmarks);
    for (BenchmarkSpec& b : plan.benchmarks)
        b.limit = limit;
    return plan;
}

void TestDashboard::realRunAgainstSimulator_data()
{
    QTest::addColumn<int>("models");
    QTest::addColumn<int>("benchmarks");
    QTest::addColumn<qint64>("limit");
    QTest::addRow("one model, one benchmark") << 1 << 1 << qint64(40);
    QTest::addRow("demo: two models x two benchmarks") << 2 << 2 << qint64(0);
}

void TestDashboard::realRunAgainstSimulator()
{
    QFETCH(int, models);
    QFETCH(int, benchmarks);
    QFETCH(qint64, limit);
    const QString db = m_dir.filePath(u"run-%1x%2.db"_s.arg(models).arg(benchmarks));
    Workspace workspace;
    AppContext context(&workspace, db);
    DashboardView view(&context);
    view.setLive(true);
    view.resize(1400, 1000);
    view.show();

    QSignalSpy finished(&context, &AppContext::runFinished);
    QString error;
    QVERIFY2(context.startRun(demoPlan(models, benchmarks, limit), &error), qPrintable(error));
    QVERIFY(view.findChild<QPushButton*>(u"stopButton"_s)->isEnabled());
    QVERIFY(finished.wait(120000));
    QCOMPARE(finished.first().at(1).value<RunStatus>(), RunStatus::Completed);
    const qint64 runId = finished.first().at(0).toLongLong();

    ResultsStore store;
    QVERIFY2(store.open(db, &error), qPrintable(error));
    const auto summary = computeRunSummary(store, runId, &error);
    QVERIFY2(summary, qPrintable(error));
    QCOMPARE(summary->pairs.size(), models * benchmarks);
    qint64 n = 0, failed = 0;
    double cost = 0;
    for (const PairSummary& p : summary->pairs) {
        n += p.n;
        failed += p.failed;
        cost += p.costUsd;
    }
    // The tiles show the store's exact figures (not the live approximations), and every chart has data.
    QTRY_COMPARE(tileValue(&view, u"kpi_done"_s), double(n));
    QCOMPARE(tileValue(&view, u"kpi_failed"_s), double(failed));
    QVERIFY(near(tileValue(&view, u"kpi_cost"_s), cost));
    QVERIFY(near(tileValue(&view, u"kpi_error_rate"_s), n ? 100.0 * double(failed) / double(n) : 0));
    if (summary->pairs.size() == 1) {
        const PairSummary& p = summary->pairs.front();
        QCOMPARE(tileValue(&view, u"kpi_p50"_s), p.latencyMs.p50);
        QCOMPARE(tileValue(&view, u"kpi_p95"_s), p.latencyMs.p95);
        QCOMPARE(tileValue(&view, u"kpi_p99"_s), p.latencyMs.p99);
        QCOMPARE(tileValue(&view, u"kpi_reqps"_s), p.requestsPerS);
        QCOMPARE(tileValue(&view, u"kpi_tokps"_s), p.outputTokensPerS);
        QCOMPARE(tileValue(&view, u"kpi_score"_s), p.scoreMean);
    } else {
        double worstP95 = 0, scoreSum = 0;
        qint64 scored = 0;
        for (const PairSummary& p : summary->pairs) {
            worstP95 = std::max(worstP95, p.latencyMs.p95);
            scoreSum += p.scoreMean * double(p.scored);
            scored += p.scored;
        }
        QCOMPARE(tileValue(&view, u"kpi_p95"_s), worstP95);
        QVERIFY(near(tileValue(&view, u"kpi_score"_s), scoreSum / double(scored)));
    }
    for (const QString& c : kCharts)
        QTRY_VERIFY2(pointCount(&view, c) > 0, qPrintable(c));
    for (const QString& b : { u"pauseButton"_s, u"resumeButton"_s, u"stopButton"_s })
        QVERIFY2(!view.findChild<QPushButton*>(b)->isEnabled(), qPrintable(b));

    // EVS_DASHBOARD_SCREENSHOTS=DIR: grab the dashboard in the current palette and in a dark one, to look at.
    const QString shots = qEnvironmentVariable("EVS_DASHBOARD_SCREENSHOTS");
    if (!shots.isEmpty()) {
        QDir().mkpath(shots);
        const QString tag = u"%1x%2"_s.arg(models).arg(benchmarks);
        QVERIFY(view.grab().save(shots + u"/dashboard-"_s + tag + u"-light.png"_s)); // every chart has points
        const qint64 renders = view.property("renderCount").toLongLong();
        const QPalette light = QApplication::palette();
        QPalette dark;
        dark.setColor(QPalette::Window, QColor(0x2b, 0x2b, 0x2b));
        dark.setColor(QPalette::WindowText, QColor(0xe6, 0xe6, 0xe6));
        dark.setColor(QPalette::Base, QColor(0x1e, 0x1e, 0x1e));
        dark.setColor(QPalette::AlternateBase, QColor(0x2b, 0x2b, 0x2b));
        dark.setColor(QPalette::Text, QColor(0xe6, 0xe6, 0xe6));
        dark.setColor(QPalette::PlaceholderText, QColor(0xa0, 0xa0, 0xa0));
        dark.setColor(QPalette::Button, QColor(0x35, 0x35, 0x35));
        dark.setColor(QPalette::ButtonText, QColor(0xe6, 0xe6, 0xe6));
        dark.setColor(QPalette::Highlight, QColor(0x3d, 0x7a, 0xc6));
        dark.setColor(QPalette::Disabled, QPalette::ButtonText, QColor(0x80, 0x80, 0x80));
        dark.setColor(QPalette::Disabled, QPalette::WindowText, QColor(0x80, 0x80, 0x80));
        QApplication::setPalette(dark);
        QTRY_VERIFY(view.property("renderCount").toLongLong() > renders); // redrawn in the new colours
        QVERIFY(view.grab().save(shots + u"/dashboard-"_s + tag + u"-dark.png"_s));
        QApplication::setPalette(light);
    }
}

void TestDashboard::pauseResumeStop()
{
    const QString db = m_dir.filePath(u"pause.db"_s);
    Workspace workspace;
    AppContext context(&workspace, db);
    DashboardView view(&context);
    auto* pause = view.findChild<QPushButton*>(u"pauseButton"_s);
    auto* resume = view.findChild<QPushButton*>(u"resumeButton"_s);
    auto* stop = view.findChild<QPushButton*>(u"stopButton"_s);
    view.show();
    QVERIFY(!pause->isVisible()); // not live: no controls
    view.setLive(true);
    QVERIFY(pause->isVisible());
    QVERIFY(!pause->isEnabled() && !resume->isEnabled() && !stop->isEnabled());

    RunPlan plan = demoPlan(1, 1, 0);
    plan.models[0].concurrency = 1; // slow enough to be paused half-way
    QSignalSpy finished(&context, &AppContext::runFinished);
    QString error;
    QVERIFY2(context.startRun(plan, &error), qPrintable(error));
    QVERIFY(pause->isEnabled() && !resume->isEnabled() && stop->isEnabled());
    QTRY_VERIFY(tileValue(&view, u"kpi_done"_s) > 0);
    QTest::mouseClick(pause, Qt::LeftButton);
    QVERIFY(!pause->isEnabled() && resume->isEnabled() && stop->isEnabled());
    QTest::mouseClick(resume, Qt::LeftButton);
    QVERIFY(pause->isEnabled() && !resume->isEnabled());
    QTest::mouseClick(stop, Qt::LeftButton);
    QVERIFY(finished.wait(60000));
    QCOMPARE(finished.first().at(1).value<RunStatus>(), RunStatus::Interrupted);
    QVERIFY(!pause->isEnabled() && !resume->isEnabled() && !stop->isEnabled());
}

void TestDashboard::absentFiguresShowAsDash_data()
{
    QTest::addColumn<bool>("streamed");
    QTest::addRow("streamed") << true;
    QTest::addRow("not streamed") << false;
}

// A figure without data reads "—", never 0: before any run, and after a run whose every request failed.
void TestDashboard::absentFiguresShowAsDash()
{
    QFETCH(bool, streamed);
    const QString dash = kAbsentFigure.toString();
    {
        DashboardView view(nullptr);
        view.show();
        for (const QString& n : kTileNames) {
            QCOMPARE(tileText(&view, n), dash);
            QVERIFY2(std::isnan(tileValue(&view, n)), qPrintable(n));
        }
        QCOMPARE(view.findChild<QProgressBar*>(u"progressBar"_s)->text(), dash); // not "0 / 1 (0 %)"
    }

    // The in-process simulator answers every request with a 503, and nothing is retried.
    const QString db = m_dir.filePath(u"absent-%1.db"_s.arg(streamed));
    Workspace workspace;
    AppContext context(&workspace, db);
    DashboardView view(&context);
    view.setLive(true);
    view.show();
    RunPlan plan = demoPlan(1, 1, 12);
    plan.models[0].stream = streamed;
    plan.models[0].retries.maxAttempts = 1;
    plan.models[0].simulate.faults = { { u"http_5xx"_s, 1.0 } };
    plan.models[0].simulate.latencyMs = 1;
    plan.models[0].simulate.tailMs = 2;
    QSignalSpy finished(&context, &AppContext::runFinished);
    QString error;
    QVERIFY2(context.startRun(plan, &error), qPrintable(error));
    QVERIFY(finished.wait(60000));
    QCOMPARE(finished.first().at(1).value<RunStatus>(), RunStatus::Completed);

    // Final, exact figures: the counts are real, and so are the error rate and the rate of (failed) requests.
    QTRY_COMPARE(tileValue(&view, u"kpi_done"_s), 12.0);
    QCOMPARE(tileText(&view, u"kpi_done"_s), u"12"_s);
    QCOMPARE(tileText(&view, u"kpi_failed"_s), u"12"_s);
    QCOMPARE(tileText(&view, u"kpi_error_rate"_s), u"100.00 %"_s);
    QVERIFY(std::isfinite(tileValue(&view, u"kpi_reqps"_s)));
    // No request succeeded: no latency, no TTFT, nothing scored.
    for (const QString& n :
        { u"kpi_p50"_s, u"kpi_p95"_s, u"kpi_p99"_s, u"kpi_ttft_p50"_s, u"kpi_ttft_p99"_s, u"kpi_score"_s }) {
        QCOMPARE(tileText(&view, n), dash);
        QVERIFY2(std::isnan(tileValue(&view, n)), qPrintable(n));
    }
    QCOMPARE(view.findChild<KpiTile*>(u"kpi_p50"_s)->property("caption").toString(), u"no successful request"_s);
    QVERIFY(view.findChild<KpiTile*>(u"kpi_p95"_s)->toolTip().contains(u": "_s + dash));
    const auto* table = view.findChild<QTableWidget*>(u"modelTable"_s);
    QVERIFY(table);
    QCOMPARE(table->rowCount(), 1);
    QCOMPARE(table->item(0, 5)->text(), dash); // p50
    QCOMPARE(table->item(0, 8)->text(), dash); // score
}

QTEST_MAIN(TestDashboard)
#include "tst_dashboard.moc"
