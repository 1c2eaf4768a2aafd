#include "ui/dashboardview.h"

#include "models/core/metricdefinitions.h"
#include "models/stats/runtotals.h"
#include "ui/appcontext.h"
#include "ui/chartadapter.h"
#include "ui/kpitile.h"

#include <QElapsedTimer>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QPointer>
#include <QProgressBar>
#include <QPushButton>
#include <QScrollArea>
#include <QTableWidget>
#include <QThread>
#include <QTimer>
#include <QVBoxLayout>

#include <cmath>

using namespace Qt::StringLiterals;

namespace evs {

namespace {

// Redraws at most this often, whatever the snapshot rate (docs/style.md, Live data: coalesce on a timer).
constexpr int kRedrawIntervalMs = 200;
// Groups of the latency distribution: the histogram's 2 % buckets are merged so that about this many bars remain.
constexpr int kDistributionBars = 60;

QString formatCount(double v)
{
    return std::isfinite(v) ? QString::number(qint64(std::llround(v))) : kAbsentFigure.toString();
}

QString formatRate(double v)
{
    if (!std::isfinite(v))
        return kAbsentFigure.toString();
    return v >= 100 ? QString::number(v, 'f', 0) : QString::number(v, 'f', 1);
}

QString formatMs(double v)
{
    if (!std::isfinite(v))
        return kAbsentFigure.toString();
    if (v >= 1000)
        return QString::number(v / 1000, 'f', 2) + u" s"_s;
    return QString::number(v, 'f', v >= 100 ? 0 : 1) + u" ms"_s;
}

QString formatScore(double mean, double lo, double hi)
{
    if (!std::isfinite(mean))
        return kAbsentFigure.toString();
    QString s = QString::number(mean, 'f', 3);
    if (std::isfinite(lo) && std::isfinite(hi))
        s += u" ± "_s + QString::number((hi - lo) / 2, 'f', 3);
    return s;
}

QString formatInterval(double lo, double hi)
{
    if (!std::isfinite(lo) || !std::isfinite(hi))
        return {};
    return u"95 % CI [%1, %2]"_s.arg(QString::number(lo, 'f', 3), QString::number(hi, 'f', 3));
}

QString formatCost(double usd)
{
    if (!std::isfinite(usd))
        return kAbsentFigure.toString();
    return u"$"_s + QString::number(usd, 'f', usd >= 100 ? 2 : 4);
}

QString formatDuration(double s)
{
    if (!(s >= 0))
        return kAbsentFigure.toString();
    const qint64 t = qint64(std::llround(s));
    if (t >= 3600)
        return u"%1:%2:%3"_s.arg(t / 3600)
            .arg((t / 60) % 60, 2, 10, QLatin1Char('0'))
            .arg(t % 60, 2, 10, QLatin1Char('0'));
    return u"%1:%2"_s.arg(t / 60).arg(t % 60, 2, 10, QLatin1Char('0'));
}

enum Tile { Done, Failed, ReqPs, TokPs, P50, P95, P99, TtftP50, TtftP99, ErrorRate, Score, Cost, NumTiles };

struct TileSpec {
    const char16_t* objectName;
    const char16_t* metric; // key in the metric definitions (models/core/metricdefinitions.h)
};

const TileSpec kTiles[NumTiles] = {
    { u"kpi_done", u"done" },
    { u"kpi_failed", u"failed" },
    { u"kpi_reqps", u"requests_per_s" },
    { u"kpi_tokps", u"output_tokens_per_s" },
    { u"kpi_p50", u"latency_p50" },
    { u"kpi_p95", u"latency_p95" },
    { u"kpi_p99", u"latency_p99" },
    { u"kpi_ttft_p50", u"ttft_p50" },
    { u"kpi_ttft_p99", u"ttft_p99" },
    { u"kpi_error_rate", u"error_rate" },
    { u"kpi_score", u"score" },
    { u"kpi_cost", u"cost" },
};

// A percentile of a distribution, NaN when it has no data.
double percentileOf(const Percentiles& p, double Percentiles::*field)
{
    return p.isEmpty() ? NAN : p.*field;
}

QString formatPercent(double v)
{
    return std::isfinite(v) ? QString::number(v, 'f', 2) + u" %"_s : kAbsentFigure.toString();
}

} // namespace

struct DashboardView::Private {
    AppContext* context = nullptr;
    bool live = false;
    QLabel* heading = nullptr;
    QProgressBar* progressBar = nullptr;
    QLabel* eta = nullptr;
    QPushButton* pauseButton = nullptr;
    QPushButton* resumeButton = nullptr;
    QPushButton* stopButton = nullptr;
    KpiTile* tiles[NumTiles] = {};
    QLabel* totalsNote = nullptr;
    ChartAdapter* latency = nullptr;
    ChartAdapter* throughput = nullptr;
    ChartAdapter* errors = nullptr;
    ChartAdapter* score = nullptr;
    ChartAdapter* distribution = nullptr;
    QTableWidget* table = nullptr;
    QTimer redrawTimer;
    LiveSnapshotPtr pending; // the newest snapshot not drawn yet
    LiveSnapshotPtr shown;
    std::optional<RunSummary> summary; // exact figures of summary->runId
    QPointer<RunController> followed;

    void renderSnapshot(const LiveSnapshot& s, const QPalette& pal);
    void renderLiveTiles(const LiveSnapshot& s);
    void renderSummary(const RunSummary& summary);
    void renderCharts(const LiveSnapshot& s, const QPalette& pal);
    void setTableRowCount(int rows);
    void setTableRow(int row, const QStringList& cells);
    void fitTable();
    bool tableFitted = true;
    QString chartsDrawn; // what the charts show (run, points, final): charts change once a second, tiles more often
    void updateButtons();
};

DashboardView::DashboardView(AppContext* context, QWidget* parent)
    : QWidget(parent)
    , d(std::make_unique<Private>())
{
    d->context = context;
    setObjectName(u"dashboard"_s);

    auto* outer = new QVBoxLayout(this);
    outer->setContentsMargins(0, 0, 0, 0);
    auto* scroll = new QScrollArea(this);
    scroll->setWidgetResizable(true);
    scroll->setFrameShape(QFrame::NoFrame);
    outer->addWidget(scroll);
    auto* content = new QWidget(scroll);
    scroll->setWidget(content);
    auto* layout = new QVBoxLayout(content);

    // Progress and the controls of the active run.
    auto* top = new QHBoxLayout;
    d->heading = new QLabel(u"No run"_s, content);
    QFont hf = d->heading->font();
    hf.setBold(true);
    d->heading->setFont(hf);
    d->progressBar = new QProgressBar(content);
    d->progressBar->setObjectName(u"progressBar"_s);
    d->progressBar->setFormat(kAbsentFigure.toString()); // no run: no progress, rather than "0 / 1 (0 %)"
    d->progressBar->setRange(0, 1);
    d->progressBar->setValue(0);
    d->eta = new QLabel(content);
    d->eta->setObjectName(u"etaLabel"_s);
    d->eta->setMinimumWidth(fontMetrics().horizontalAdvance(u"ETA 00:00:00 · 000.0 s elapsed"_s));
    d->pauseButton = new QPushButton(tr("Pause"), content);
    d->pauseButton->setObjectName(u"pauseButton"_s);
    d->pauseButton->setToolTip(tr("Stop sending new requests; those in flight finish"));
    d->resumeButton = new QPushButton(tr("Resume"), content);
    d->resumeButton->setObjectName(u"resumeButton"_s);
    d->stopButton = new QPushButton(tr("Stop"), content);
    d->stopButton->setObjectName(u"stopButton"_s);
    d->stopButton->setToolTip(tr("Abort the requests in flight; the run stays resumable from the Runs page"));
    top->addWidget(d->heading);
    top->addWidget(d->progressBar, 1);
    top->addWidget(d->eta);
    top->addWidget(d->pauseButton);
    top->addWidget(d->resumeButton);
    top->addWidget(d->stopButton);
    layout->addLayout(top);

    auto* tiles = new QGridLayout;
    tiles->setSpacing(6);
    for (int i = 0; i < NumTiles; ++i) {
        const QStringView metric(kTiles[i].metric);
        auto* tile = new KpiTile(metricLabel(metric), metricDashboardText(metric), content);
        tile->setObjectName(QString::fromUtf16(kTiles[i].objectName));
        tiles->addWidget(tile, i / 6, i % 6);
        d->tiles[i] = tile;
    }
    layout->addLayout(tiles);
    d->totalsNote = new QLabel(content);
    d->totalsNote->setObjectName(u"totalsNote"_s);
    d->totalsNote->setWordWrap(true);
    d->totalsNote->setForegroundRole(QPalette::PlaceholderText);
    layout->addWidget(d->totalsNote);

    d->latency = new ChartAdapter(
        tr("Latency percentiles"), tr("time (s)"), tr("latency (ms)"), {}, ChartAdapter::XScale::Linear, content);
    d->latency->setObjectName(u"chart_latency"_s);
    d->throughput = new ChartAdapter(tr("Throughput"), tr("time (s)"), tr("requests/s (solid)"),
        tr("output tokens/s (dashed)"), ChartAdapter::XScale::Linear, content);
    d->throughput->setObjectName(u"chart_throughput"_s);
    d->errors = new ChartAdapter(tr("Errors by class (stacked)"), tr("time (s)"), tr("failed requests/s"), {},
        ChartAdapter::XScale::Linear, content);
    d->errors->setObjectName(u"chart_errors"_s);
    d->score = new ChartAdapter(
        tr("Score convergence (95 % CI)"), tr("time (s)"), tr("mean score"), {}, ChartAdapter::XScale::Linear, content);
    d->score->setObjectName(u"chart_score"_s);
    d->score->setYFromZero(false);
    d->distribution = new ChartAdapter(tr("Latency distribution"), tr("latency (ms, log scale)"), tr("requests"), {},
        ChartAdapter::XScale::Log, content);
    d->distribution->setObjectName(u"chart_distribution"_s);

    d->table = new QTableWidget(0, 10, content);
    d->table->setObjectName(u"modelTable"_s);
    d->table->setHorizontalHeaderLabels({ tr("Model"), tr("Benchmark"), tr("Done"), tr("Failed"), tr("req/s"),
        tr("p50"), tr("p95"), tr("p99"), tr("Score ± CI"), tr("Cost") });
    d->table->verticalHeader()->hide();
    d->table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    d->table->setSelectionMode(QAbstractItemView::NoSelection);
    // Columns are fitted when rows come or go, not on every update (ResizeToContents re-measures on each change).
    d->table->horizontalHeader()->setSectionResizeMode(QHeaderView::Interactive);
    d->table->setMinimumHeight(220);
    d->table->setToolTip(tr("Per model (live) or per model × benchmark (final, exact from the store)"));

    auto* charts = new QGridLayout;
    charts->addWidget(d->latency, 0, 0);
    charts->addWidget(d->throughput, 0, 1);
    charts->addWidget(d->errors, 1, 0);
    charts->addWidget(d->score, 1, 1);
    charts->addWidget(d->distribution, 2, 0);
    charts->addWidget(d->table, 2, 1);
    layout->addLayout(charts, 1);

    d->redrawTimer.setSingleShot(true);
    d->redrawTimer.setInterval(kRedrawIntervalMs);
    connect(&d->redrawTimer, &QTimer::timeout, this, [this] {
        if (LiveSnapshotPtr s = std::exchange(d->pending, nullptr)) {
            QElapsedTimer clock;
            clock.start();
            d->shown = s;
            d->renderSnapshot(*s, palette());
            // What a redraw costs the GUI thread, for the stall benchmark (tests/bench/gui_stall_probe.cpp).
            const double ms = double(clock.nsecsElapsed()) / 1e6;
            setProperty("renderCount", property("renderCount").toLongLong() + 1);
            setProperty("renderTotalMs", property("renderTotalMs").toDouble() + ms);
            setProperty("renderMaxMs", std::max(property("renderMaxMs").toDouble(), ms));
        }
    });

    if (context) {
        connect(d->pauseButton, &QPushButton::clicked, this, [this] {
            d->context->pauseActiveRun();
            d->updateButtons();
        });
        connect(d->resumeButton, &QPushButton::clicked, this, [this] {
            d->context->resumeActiveRun();
            d->updateButtons();
        });
        connect(d->stopButton, &QPushButton::clicked, this, [this] {
            d->context->stopActiveRun();
            d->updateButtons();
        });
        connect(context, &AppContext::snapshotAvailable, this, [this](const LiveSnapshotPtr& s) {
            if (d->live)
                setSnapshot(s);
        });
        connect(context, &AppContext::runStarted, this, [this](qint64) {
            if (!d->live)
                return;
            clear();
            d->followed = d->context->activeRun();
            d->updateButtons();
        });
        connect(context, &AppContext::runFinished, this, [this](qint64, RunStatus) {
            // The controller still exists (deleted later) and holds the exact summary when the run completed.
            if (d->live && d->followed && d->followed->summary())
                setSummary(*d->followed->summary());
            d->followed = nullptr;
            d->updateButtons();
        });
    }
    setLive(false);
}

DashboardView::~DashboardView() = default;

void DashboardView::clear()
{
    d->redrawTimer.stop();
    d->pending.reset();
    d->shown.reset();
    d->summary.reset();
    for (KpiTile* t : d->tiles)
        t->clearValue();
    d->totalsNote->clear();
    d->heading->setText(tr("No run"));
    d->progressBar->setFormat(kAbsentFigure.toString());
    d->progressBar->setRange(0, 1);
    d->progressBar->setValue(0);
    d->eta->clear();
    for (ChartAdapter* c : { d->latency, d->throughput, d->errors, d->score, d->distribution })
        c->clearContent();
    d->chartsDrawn.clear();
    d->table->setRowCount(0);
    d->updateButtons();
}

void DashboardView::setLive(bool live)
{
    d->live = live;
    if (live && d->context && d->context->activeRun())
        d->followed = d->context->activeRun();
    d->pauseButton->setVisible(live);
    d->resumeButton->setVisible(live);
    d->stopButton->setVisible(live);
    d->updateButtons();
}

void DashboardView::setSnapshot(const LiveSnapshotPtr& snapshot)
{
    Q_ASSERT(QThread::currentThread() == thread());
    if (!snapshot)
        return;
    d->pending = snapshot;
    if (!d->redrawTimer.isActive())
        d->redrawTimer.start();
}

void DashboardView::setSummary(const RunSummary& summary)
{
    Q_ASSERT(QThread::currentThread() == thread());
    d->summary = summary;
    d->renderSummary(summary);
}

void DashboardView::changeEvent(QEvent* event)
{
    QWidget::changeEvent(event);
    // Series colours depend on the palette: draw the last picture again in the new colours.
    if (event->type() == QEvent::PaletteChange && d->shown && !d->pending) {
        d->pending = d->shown;
        d->redrawTimer.start();
    }
}

void DashboardView::Private::updateButtons()
{
    RunController* run = context ? context->activeRun() : nullptr;
    const bool active = live && run && run->isRunning();
    const bool paused = active && run->isPaused();
    pauseButton->setEnabled(active && !paused);
    resumeButton->setEnabled(active && paused);
    stopButton->setEnabled(active);
}

void DashboardView::Private::renderSnapshot(const LiveSnapshot& s, const QPalette& pal)
{
    const RunProgress& p = s.progress;
    const qint64 done = std::max(p.done, s.total.done);
    if (p.planned > 0) {
        progressBar->setFormat(u"%v / %m (%p %)"_s);
        progressBar->setRange(0, int(std::min<qint64>(p.planned, INT_MAX)));
        progressBar->setValue(int(std::min<qint64>(done, p.planned)));
    } else {
        // The plan's size is not known: the count alone, not a made-up fraction.
        progressBar->setFormat(tr("%1 done").arg(done));
        progressBar->setRange(0, 1);
        progressBar->setValue(s.final ? 1 : 0);
    }
    if (s.final) {
        eta->setText(p.elapsedS > 0 ? tr("finished in %1").arg(formatDuration(p.elapsedS)) : tr("finished"));
    } else {
        const double etaS = p.etaS();
        eta->setText(tr("ETA %1 · %2 elapsed")
                         .arg(etaS >= 0 ? formatDuration(etaS) : kAbsentFigure.toString(), formatDuration(p.elapsedS)));
    }
    const bool exact = summary && summary->runId == s.runId;
    if (!exact) {
        summary.reset();
        heading->setText(s.final ? tr("Run %1").arg(s.runId) : tr("Run %1 · live").arg(s.runId));
        renderLiveTiles(s);
    }
    renderCharts(s, pal);
    updateButtons();
}

void DashboardView::Private::renderLiveTiles(const LiveSnapshot& s)
{
    const LiveSeries& t = s.total;
    const qint64 done = std::max(s.progress.done, t.done);
    const qint64 failed = std::max(s.progress.failed, t.failed);
    const double reqPs = s.final || s.recentRequestsPerS <= 0 ? s.progress.requestsPerS() : s.recentRequestsPerS;
    const double tokPs = s.recentOutputTokensPerS;
    const QString approx = tr("live, approx.");
    tiles[Done]->setValue(double(done), formatCount(double(done)),
        s.progress.planned > 0 ? tr("of %1 planned").arg(s.progress.planned) : QString());
    tiles[Failed]->setValue(double(failed), formatCount(double(failed)),
        s.progress.retries > 0 ? tr("%1 retries").arg(s.progress.retries) : QString());
    tiles[ReqPs]->setValue(reqPs, formatRate(reqPs), tr("last 5 s"));
    tiles[TokPs]->setValue(tokPs, formatRate(tokPs), tr("last 5 s"));
    // Empty histograms give NaN: shown as absent until a successful request has been measured.
    const QString noneYet = tr("no successful request yet");
    const double lat[3] = { t.latency.percentile(0.50), t.latency.percentile(0.95), t.latency.percentile(0.99) };
    for (int i = 0; i < 3; ++i)
        tiles[P50 + i]->setValue(lat[i], formatMs(lat[i]), t.latency.count() ? approx : noneYet);
    const double tt[2] = { t.ttft.percentile(0.50), t.ttft.percentile(0.99) };
    tiles[TtftP50]->setValue(tt[0], formatMs(tt[0]), t.ttft.count() ? approx : noneYet);
    tiles[TtftP99]->setValue(tt[1], formatMs(tt[1]), t.ttft.count() ? approx : noneYet);
    const double errPct = done > 0 ? 100.0 * double(failed) / double(done) : NAN;
    tiles[ErrorRate]->setValue(errPct, formatPercent(errPct), tr("of finished"));
    const auto [lo, hi] = t.scoreInterval();
    const double mean = t.scoreMean();
    tiles[Score]->setValue(
        mean, formatScore(mean, lo, hi), t.scored > 0 ? formatInterval(lo, hi) : tr("nothing scored yet"));
    tiles[Cost]->setValue(
        t.costUsd, formatCost(t.costUsd), tr("%1 in + %2 out tokens").arg(t.inputTokens).arg(t.outputTokens));

    // Per-model figures in the tooltips and the table.
    QStringList lines[NumTiles];
    setTableRowCount(int(s.models.size()));
    int row = 0;
    for (const LiveSeries& m : s.models) {
        const auto [mlo, mhi] = m.scoreInterval();
        const double p[3] = { m.latency.percentile(0.50), m.latency.percentile(0.95), m.latency.percentile(0.99) };
        const double rate = m.points.empty() ? 0 : m.points.back().requestsPerS;
        lines[Done] << u"%1: %2"_s.arg(m.modelId).arg(m.done);
        lines[Failed] << u"%1: %2"_s.arg(m.modelId).arg(m.failed);
        lines[P50] << u"%1: %2"_s.arg(m.modelId, formatMs(p[0]));
        lines[P95] << u"%1: %2"_s.arg(m.modelId, formatMs(p[1]));
        lines[P99] << u"%1: %2"_s.arg(m.modelId, formatMs(p[2]));
        lines[TtftP50] << u"%1: %2"_s.arg(m.modelId, formatMs(m.ttft.percentile(0.5)));
        lines[TtftP99] << u"%1: %2"_s.arg(m.modelId, formatMs(m.ttft.percentile(0.99)));
        lines[ErrorRate] << u"%1: %2"_s.arg(m.modelId, formatPercent(m.done > 0 ? 100 * m.errorRate() : NAN));
        lines[Score] << u"%1: %2"_s.arg(m.modelId, formatScore(m.scoreMean(), mlo, mhi));
        lines[Cost] << u"%1: %2"_s.arg(m.modelId, formatCost(m.costUsd));
        setTableRow(row++,
            { m.modelId, tr("(all)"), QString::number(m.done), QString::number(m.failed), formatRate(rate),
                formatMs(p[0]), formatMs(p[1]), formatMs(p[2]), formatScore(m.scoreMean(), mlo, mhi),
                formatCost(m.costUsd) });
    }
    fitTable();
    const QString header = tr("Per model (live):");
    for (int i = 0; i < NumTiles; ++i)
        tiles[i]->setDetails(lines[i].isEmpty() ? QString() : header + u"\n"_s + lines[i].join(u'\n'));
    totalsNote->setText(
        s.models.size() > 1 ? tr(
            "Live figures for the whole run (%1 models), approximate; exact figures replace them when the run ends.")
                                  .arg(s.models.size())
                            : tr("Live figures, approximate; exact figures replace them when the run ends."));
}

void DashboardView::Private::renderSummary(const RunSummary& summary)
{
    const RunTotals t = RunTotals::of(summary);
    const QString exact = tr("exact, from the store");
    const QString worstOf = t.pairs > 1 ? tr("worst of %1 pairs").arg(t.pairs) : exact;
    const QString noSuccess = tr("no successful request");
    const Percentiles& lat = t.worstLatencyMs;
    const Percentiles& ttft = t.worstTtftMs;
    const auto latencyCaption = [&](const Percentiles& p) { return p.isEmpty() ? noSuccess : worstOf; };
    const auto rateCaption = [&](double v) {
        return !std::isfinite(v) ? tr("no measured request") : t.pairs > 1 ? tr("summed over models") : exact;
    };
    tiles[Done]->setValue(double(t.n), formatCount(double(t.n)), exact);
    tiles[Failed]->setValue(double(t.failed), formatCount(double(t.failed)), exact);
    tiles[ReqPs]->setValue(t.requestsPerS, formatRate(t.requestsPerS), rateCaption(t.requestsPerS));
    tiles[TokPs]->setValue(t.outputTokensPerS, formatRate(t.outputTokensPerS), rateCaption(t.outputTokensPerS));
    const double latency[3] = { percentileOf(lat, &Percentiles::p50), percentileOf(lat, &Percentiles::p95),
        percentileOf(lat, &Percentiles::p99) };
    for (int i = 0; i < 3; ++i)
        tiles[P50 + i]->setValue(latency[i], formatMs(latency[i]), latencyCaption(lat));
    const double ttftP50 = percentileOf(ttft, &Percentiles::p50);
    const double ttftP99 = percentileOf(ttft, &Percentiles::p99);
    tiles[TtftP50]->setValue(ttftP50, formatMs(ttftP50), latencyCaption(ttft));
    tiles[TtftP99]->setValue(ttftP99, formatMs(ttftP99), latencyCaption(ttft));
    const double errPct = t.n > 0 ? 100.0 * double(t.failed) / double(t.n) : NAN;
    tiles[ErrorRate]->setValue(errPct, formatPercent(errPct), exact);
    tiles[Score]->setValue(t.scoreMean, formatScore(t.scoreMean, t.scoreCiLow, t.scoreCiHigh),
        t.scored == 0 ? tr("not scored")
                      : formatInterval(t.scoreCiLow, t.scoreCiHigh) + (t.pairs > 1 ? tr(", pooled") : QString()));
    tiles[Cost]->setValue(t.costUsd, formatCost(t.costUsd), exact);
    if (progressBar->format() == kAbsentFigure) {
        // A stored run shown without a snapshot: its count, not "no run".
        progressBar->setFormat(tr("%1 done").arg(t.n));
        progressBar->setRange(0, 1);
        progressBar->setValue(1);
    }

    QStringList lines[NumTiles];
    setTableRowCount(int(summary.pairs.size()));
    int row = 0;
    for (const PairSummary& p : summary.pairs) {
        const QString who = p.modelId + u" / "_s + p.benchmarkId;
        const QString score = formatScore(p.scored ? p.scoreMean : NAN, p.scoreCiLow, p.scoreCiHigh);
        const double pl[3] = { percentileOf(p.latencyMs, &Percentiles::p50),
            percentileOf(p.latencyMs, &Percentiles::p95), percentileOf(p.latencyMs, &Percentiles::p99) };
        lines[Done] << u"%1: %2"_s.arg(who).arg(p.n);
        lines[Failed] << u"%1: %2"_s.arg(who).arg(p.failed);
        lines[ReqPs] << u"%1: %2"_s.arg(who, formatRate(p.requestsPerS));
        lines[TokPs] << u"%1: %2"_s.arg(who, formatRate(p.outputTokensPerS));
        lines[P50] << u"%1: %2"_s.arg(who, formatMs(pl[0]));
        lines[P95] << u"%1: %2"_s.arg(who, formatMs(pl[1]));
        lines[P99] << u"%1: %2"_s.arg(who, formatMs(pl[2]));
        lines[TtftP50] << u"%1: %2"_s.arg(who, formatMs(percentileOf(p.ttftMs, &Percentiles::p50)));
        lines[TtftP99] << u"%1: %2"_s.arg(who, formatMs(percentileOf(p.ttftMs, &Percentiles::p99)));
        lines[ErrorRate] << u"%1: %2"_s.arg(who, formatPercent(p.n ? 100.0 * double(p.failed) / double(p.n) : NAN));
        lines[Score] << (p.scored ? u"%1: %2 (%3)"_s.arg(who, score, p.ciMethod) : u"%1: %2"_s.arg(who, score));
        lines[Cost] << u"%1: %2"_s.arg(who, formatCost(p.costUsd));
        setTableRow(row++,
            { p.modelId, p.benchmarkId, QString::number(p.n), QString::number(p.failed), formatRate(p.requestsPerS),
                formatMs(pl[0]), formatMs(pl[1]), formatMs(pl[2]), score, formatCost(p.costUsd) });
    }
    fitTable();
    const QString header = tr("Per model × benchmark (exact):");
    for (int i = 0; i < NumTiles; ++i)
        tiles[i]->setDetails(header + u"\n"_s + lines[i].join(u'\n'));
    heading->setText(tr("Run %1 · final").arg(summary.runId));
    totalsNote->setText(t.pairs > 1
            ? tr("Exact figures from the store, totals of the run's %1 model × benchmark pairs: counts, cost and the "
                 "score pooled; throughput summed over models; latency and TTFT percentiles are the worst pair's "
                 "(percentiles do not add up). Per-pair figures: table and tooltips.")
                  .arg(t.pairs)
            : tr("Exact figures from the store."));
}

void DashboardView::Private::setTableRowCount(int rows)
{
    if (table->rowCount() == rows)
        return;
    table->setRowCount(rows);
    tableFitted = false;
}

void DashboardView::Private::setTableRow(int row, const QStringList& cells)
{
    for (int c = 0; c < cells.size() && c < table->columnCount(); ++c) {
        QTableWidgetItem* item = table->item(row, c);
        if (!item) {
            item = new QTableWidgetItem;
            if (c >= 2)
                item->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
            table->setItem(row, c, item);
        }
        if (item->text() != cells[c])
            item->setText(cells[c]);
    }
}

void DashboardView::Private::fitTable()
{
    if (tableFitted)
        return;
    tableFitted = true;
    table->resizeColumnsToContents();
}

void DashboardView::Private::renderCharts(const LiveSnapshot& s, const QPalette& pal)
{
    // Closed seconds are all the charts show while running, and a new one comes once a second; the snapshots come
    // ten times as often. Draw only when the picture changed (or the palette did: see changeEvent).
    QString drawn = u"%1/%2/%3/%4/"_s.arg(s.runId)
                        .arg(s.final)
                        .arg(pal.color(QPalette::Base).name())
                        .arg(s.total.latency.count() > 0);
    for (const LiveSeries& m : s.models)
        drawn += u"%1:%2,"_s.arg(m.points.size()).arg(m.points.empty() ? 0.0 : m.points.back().tS);
    drawn += u"%1:%2"_s.arg(s.total.points.size()).arg(s.total.points.empty() ? 0.0 : s.total.points.back().tS);
    if (drawn == chartsDrawn)
        return;
    chartsDrawn = drawn;
    // One series per model when the run has several; else the run's own.
    std::vector<const LiveSeries*> series;
    if (s.models.size() > 1) {
        for (const LiveSeries& m : s.models)
            series.push_back(&m);
    } else {
        series.push_back(s.models.empty() ? &s.total : &s.models.front());
    }
    const bool several = series.size() > 1;
    const auto name
        = [several](const LiveSeries* m, const QString& what) { return several ? m->modelId + u" "_s + what : what; };

    {
        std::vector<ChartLine> lines;
        const Qt::PenStyle styles[3] = { Qt::SolidLine, Qt::DashLine, Qt::DotLine };
        const QString names[3] = { u"p50"_s, u"p95"_s, u"p99"_s };
        for (size_t i = 0; i < series.size(); ++i) {
            for (int k = 0; k < 3; ++k) {
                ChartLine l;
                l.name = name(series[i], names[k]);
                l.color = ChartAdapter::seriesColor(several ? int(i) : k, pal);
                l.style = several ? styles[k] : Qt::SolidLine;
                l.points.reserve(series[i]->points.size());
                for (const LivePoint& p : series[i]->points)
                    l.points.emplace_back(p.tS, k == 0 ? p.latencyP50Ms : k == 1 ? p.latencyP95Ms : p.latencyP99Ms);
                lines.push_back(std::move(l));
            }
        }
        latency->setContent({}, std::move(lines));
    }
    {
        std::vector<ChartLine> lines;
        for (size_t i = 0; i < series.size(); ++i) {
            ChartLine req, tok;
            req.name = name(series[i], tr("req/s"));
            req.color = ChartAdapter::seriesColor(int(i), pal);
            tok.name = name(series[i], tr("out tok/s"));
            tok.color = ChartAdapter::seriesColor(several ? int(i) : 1, pal);
            tok.style = Qt::DashLine;
            tok.rightAxis = true;
            for (const LivePoint& p : series[i]->points) {
                req.points.emplace_back(p.tS, p.requestsPerS);
                tok.points.emplace_back(p.tS, p.outputTokensPerS);
            }
            lines.push_back(std::move(req));
            lines.push_back(std::move(tok));
        }
        throughput->setContent({}, std::move(lines));
    }
    {
        // Errors of the whole run, stacked by class (in ErrorClass order), with the total on top.
        const auto& pts = s.total.points;
        std::vector<double> below(pts.size(), 0.0);
        std::vector<ChartBand> bands;
        for (int c = 1; c < int(ErrorClass::Count); ++c) {
            if (s.total.errors[size_t(c)] == 0)
                continue;
            ChartBand b;
            b.name = errorClassName(ErrorClass(c));
            b.color = ChartAdapter::errorClassColor(c, pal);
            for (size_t i = 0; i < pts.size(); ++i) {
                b.lower.emplace_back(pts[i].tS, below[i]);
                below[i] += double(pts[i].errors[size_t(c)]);
                b.upper.emplace_back(pts[i].tS, below[i]);
            }
            bands.push_back(std::move(b));
        }
        ChartLine total;
        total.name = tr("failed (all classes)");
        total.color = pal.color(QPalette::Text);
        total.color.setAlphaF(0.6f);
        total.style = Qt::DotLine;
        for (const LivePoint& p : pts)
            total.points.emplace_back(p.tS, double(p.failed));
        std::vector<ChartLine> lines;
        lines.push_back(std::move(total));
        errors->setContent(std::move(bands), std::move(lines));
    }
    {
        std::vector<ChartBand> bands;
        std::vector<ChartLine> lines;
        for (size_t i = 0; i < series.size(); ++i) {
            ChartBand b;
            b.name = name(series[i], tr("95 % CI"));
            b.color = ChartAdapter::seriesColor(int(i), pal);
            b.inLegend = i == 0;
            ChartLine l;
            l.name = name(series[i], tr("mean"));
            l.color = b.color;
            for (const LivePoint& p : series[i]->points) {
                if (p.scoredSoFar == 0 || !std::isfinite(p.scoreCiLow) || !std::isfinite(p.scoreCiHigh))
                    continue;
                b.lower.emplace_back(p.tS, p.scoreCiLow);
                b.upper.emplace_back(p.tS, p.scoreCiHigh);
                l.points.emplace_back(p.tS, p.scoreMean);
            }
            bands.push_back(std::move(b));
            lines.push_back(std::move(l));
        }
        score->setContent(std::move(bands), std::move(lines));
    }
    {
        // The cumulative histogram's 2 % buckets merged into about kDistributionBars bars of equal log width,
        // drawn as steps.
        std::vector<ChartLine> lines;
        double lo = INFINITY, hi = 0;
        for (const LiveSeries* m : series) {
            if (m->latency.count() > 0) {
                const auto bins = m->latency.bins();
                lo = std::min(lo, std::max(1e-3, bins.front().lowMs));
                hi = std::max(hi, bins.back().highMs);
            }
        }
        const double logLo = std::log10(lo);
        const double width = hi > lo ? std::max((std::log10(hi) - logLo) / kDistributionBars, 0.009) : 1;
        for (size_t i = 0; i < series.size(); ++i) {
            ChartLine l;
            l.name = several ? series[i]->modelId : tr("successful requests");
            l.color = ChartAdapter::seriesColor(int(i), pal);
            if (series[i]->latency.count() > 0) {
                std::vector<qint64> counts(size_t(kDistributionBars) + 2, 0);
                for (const auto& b : series[i]->latency.bins()) {
                    const double mid = std::sqrt(std::max(b.lowMs, 1e-3) * b.highMs);
                    const auto g
                        = size_t(std::clamp((std::log10(mid) - logLo) / width, 0.0, double(counts.size() - 1)));
                    counts[g] += b.count;
                }
                size_t last = counts.size();
                while (last > 0 && counts[last - 1] == 0)
                    --last;
                for (size_t g = 0; g < last; ++g) {
                    const double x0 = std::pow(10.0, logLo + width * double(g));
                    const double x1 = std::pow(10.0, logLo + width * double(g + 1));
                    l.points.emplace_back(x0, double(counts[g]));
                    l.points.emplace_back(x1, double(counts[g]));
                }
            }
            lines.push_back(std::move(l));
        }
        distribution->setContent({}, std::move(lines));
    }
}

} // namespace evs
