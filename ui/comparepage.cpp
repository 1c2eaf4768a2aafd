#include "ui/comparepage.h"

#include "models/browse/runlistmodel.h"
#include "models/store/resultsstore.h"
#include "ui/appcontext.h"
#include "ui/backgroundloader.h"
#include "ui/chartadapter.h"
#include "ui/comparedisagreementmodel.h"
#include "ui/comparematrixmodel.h"
#include "ui/runtable.h"

#include <QComboBox>
#include <QEvent>
#include <QGridLayout>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QLabel>
#include <QListWidget>
#include <QPlainTextEdit>
#include <QSplitter>
#include <QTabWidget>
#include <QTableView>
#include <QThread>
#include <QTimer>
#include <QVBoxLayout>

#include <algorithm>
#include <cmath>

using namespace Qt::StringLiterals;

namespace evs {

namespace {

enum SideRoles { RunIdRole = Qt::UserRole, ModelIndexRole };

QLabel* heading(const QString& text)
{
    auto* label = new QLabel(text);
    QFont f = label->font();
    f.setBold(true);
    label->setFont(f);
    return label;
}

QTableView* makeTable(const QString& name, QAbstractItemModel* model)
{
    auto* table = new QTableView;
    table->setObjectName(name);
    table->setModel(model);
    table->setSelectionBehavior(QAbstractItemView::SelectRows);
    table->setAlternatingRowColors(true);
    table->verticalHeader()->hide();
    table->horizontalHeader()->setStretchLastSection(true);
    table->setWordWrap(false);
    return table;
}

QPlainTextEdit* makeResponseView(const QString& name)
{
    // Plain text: model output is untrusted and must never be interpreted as markup.
    auto* view = new QPlainTextEdit;
    view->setObjectName(name);
    view->setReadOnly(true);
    view->setLineWrapMode(QPlainTextEdit::WidgetWidth);
    return view;
}

} // namespace

// The models of the selected runs that have records, in run order: the sides a comparison may take.
class CompareSidesLoader : public BackgroundLoader {
    Q_OBJECT
public:
    using BackgroundLoader::BackgroundLoader;

    void load(const QString& databasePath, const QVector<qint64>& runIds)
    {
        start(
            [databasePath, runIds](QString* error) {
                QVector<CompareSide> sides;
                ResultsStore store; // a connection of the worker thread
                if (!store.open(databasePath, error))
                    return sides;
                for (const qint64 id : runIds) {
                    QString why; // a run deleted meanwhile simply has no sides
                    if (const auto s = sidesOfRun(store, id, {}, &why))
                        sides += *s;
                }
                return sides;
            },
            [this](const QVector<CompareSide>& sides) { Q_EMIT loaded(sides); });
    }

Q_SIGNALS:
    void loaded(const QVector<evs::CompareSide>& sides);
};

// The comparison of the ticked sides against the baseline (bootstrap CIs and paired tests: seconds on large runs).
class ComparisonLoader : public BackgroundLoader {
    Q_OBJECT
public:
    using BackgroundLoader::BackgroundLoader;

    void load(const QString& databasePath, const CompareRequest& request)
    {
        start(
            [databasePath, request](QString* error) {
                ComparisonPtr comparison;
                ResultsStore store;
                if (!store.open(databasePath, error))
                    return comparison;
                if (auto c = computeComparison(store, request, error))
                    comparison = std::make_shared<const Comparison>(std::move(*c));
                else if (error->isEmpty())
                    *error = ComparePage::tr("nothing to compare");
                return comparison;
            },
            [this](const ComparisonPtr& comparison) { Q_EMIT loaded(comparison); });
    }

Q_SIGNALS:
    void loaded(const evs::ComparisonPtr& comparison);
};

ComparePage::ComparePage(AppContext* context, QWidget* parent)
    : QWidget(parent)
    , m_context(context)
    , m_summary(new CompareSummaryModel(this))
    , m_matrix(new CompareMatrixModel(this))
    , m_disagreements(new CompareDisagreementModel(this))
    , m_compareTimer(new QTimer(this))
{
    setObjectName(u"comparePage"_s);
    m_matrix->setPalette(palette());

    // Left: what to compare.
    m_runsTable = new RunTable(context);
    m_runsTable->setSelectionMode(QAbstractItemView::ExtendedSelection);
    m_runsTable->hideColumn(RunListModel::LatencyP95Column);
    m_sidesLoader = new CompareSidesLoader(this);
    m_comparisonLoader = new ComparisonLoader(this);
    m_runsTable->setToolTip(tr("Select two or more runs (Ctrl+click), or one run with several models."));
    m_sidesList = new QListWidget;
    m_sidesList->setObjectName(u"sidesList"_s);
    m_sidesList->setToolTip(tr("The models of the selected runs; untick those to leave out."));
    m_baselineCombo = new QComboBox;
    m_baselineCombo->setObjectName(u"baselineCombo"_s);
    m_baselineCombo->setToolTip(tr("Differences and tests are taken against this side."));
    m_status = new QLabel(tr("Select two or more runs, or a run with two or more models."));
    m_status->setObjectName(u"compareStatus"_s);
    m_status->setWordWrap(true);
    auto* left = new QWidget;
    auto* leftLayout = new QVBoxLayout(left);
    leftLayout->setContentsMargins(0, 0, 0, 0);
    leftLayout->addWidget(heading(tr("Runs")));
    leftLayout->addWidget(m_runsTable, 3);
    leftLayout->addWidget(heading(tr("Sides (models of the selected runs)")));
    leftLayout->addWidget(m_sidesList, 2);
    leftLayout->addWidget(heading(tr("Baseline")));
    leftLayout->addWidget(m_baselineCombo);
    leftLayout->addWidget(m_status);

    // Right: the results.
    m_benchmarkCombo = new QComboBox;
    m_benchmarkCombo->setObjectName(u"benchmarkCombo"_s);
    m_benchmarkCombo->setToolTip(tr("The benchmark the charts and the disagreements show."));
    m_summaryTable = makeTable(u"summaryTable"_s, m_summary);
    m_matrixTable = makeTable(u"matrixTable"_s, m_matrix);
    m_matrixTable->setAlternatingRowColors(false);
    m_matrixTable->verticalHeader()->show();
    m_matrixTable->setWordWrap(true);
    m_matrixTable->setSelectionMode(QAbstractItemView::NoSelection);
    m_latencyChart = new ChartAdapter(tr("Latency distribution (CDF)"), tr("latency (ms, log scale)"),
        tr("share of requests ≤ x"), {}, ChartAdapter::XScale::Log);
    m_latencyChart->setObjectName(u"latencyCdfChart"_s);
    m_latencyChart->setToolTip(tr("End-to-end latency: last token − send, successful measured requests."));
    m_ttftChart = new ChartAdapter(tr("Time to first token (CDF)"), tr("TTFT (ms, log scale)"),
        tr("share of requests ≤ x"), {}, ChartAdapter::XScale::Log);
    m_ttftChart->setObjectName(u"ttftCdfChart"_s);
    m_ttftChart->setToolTip(tr("TTFT: first non-empty content, reasoning or tool-call delta − send."));
    m_scoreChart = new ChartAdapter(tr("Mean score with 95 % CI"), tr("side (see legend)"), tr("score"));
    m_scoreChart->setObjectName(u"scoreChart"_s);

    m_pairCombo = new QComboBox;
    m_pairCombo->setObjectName(u"disagreementPairCombo"_s);
    m_disagreementCount = new QLabel;
    m_disagreementCount->setObjectName(u"disagreementCountLabel"_s);
    m_disagreementCount->setWordWrap(true);
    m_disagreementTable = makeTable(u"disagreementTable"_s, m_disagreements);
    m_disagreementTable->setSelectionMode(QAbstractItemView::SingleSelection);
    m_expected = new QLabel;
    m_expected->setObjectName(u"expectedLabel"_s);
    m_expected->setTextFormat(Qt::PlainText);
    m_expected->setWordWrap(true);
    m_expected->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_baselineTitle = heading(tr("Baseline response"));
    m_baselineTitle->setTextFormat(Qt::PlainText);
    m_sideTitle = heading(tr("Side response"));
    m_sideTitle->setTextFormat(Qt::PlainText);
    m_baselineResponse = makeResponseView(u"baselineResponse"_s);
    m_sideResponse = makeResponseView(u"sideResponse"_s);

    auto* summaryTab = new QWidget;
    auto* summaryLayout = new QVBoxLayout(summaryTab);
    auto* summarySplit = new QSplitter(Qt::Vertical);
    summarySplit->addWidget(m_summaryTable);
    auto* matrixBox = new QWidget;
    auto* matrixLayout = new QVBoxLayout(matrixBox);
    matrixLayout->setContentsMargins(0, 0, 0, 0);
    matrixLayout->addWidget(heading(tr("Models × benchmarks: mean score [95 % CI]")));
    matrixLayout->addWidget(m_matrixTable);
    summarySplit->addWidget(matrixBox);
    summarySplit->setStretchFactor(0, 3);
    summarySplit->setStretchFactor(1, 2);
    summaryLayout->addWidget(summarySplit);

    auto* chartsTab = new QWidget;
    auto* chartsLayout = new QVBoxLayout(chartsTab);
    auto* chartsSplit = new QSplitter(Qt::Vertical);
    auto* cdfSplit = new QSplitter(Qt::Horizontal);
    cdfSplit->addWidget(m_latencyChart);
    cdfSplit->addWidget(m_ttftChart);
    chartsSplit->addWidget(cdfSplit);
    chartsSplit->addWidget(m_scoreChart);
    chartsLayout->addWidget(chartsSplit);

    auto* disagreementTab = new QWidget;
    auto* disagreementLayout = new QVBoxLayout(disagreementTab);
    auto* pairRow = new QHBoxLayout;
    pairRow->addWidget(new QLabel(tr("Compare with the baseline:")));
    pairRow->addWidget(m_pairCombo, 1);
    disagreementLayout->addLayout(pairRow);
    disagreementLayout->addWidget(m_disagreementCount);
    auto* disagreementSplit = new QSplitter(Qt::Vertical);
    disagreementSplit->addWidget(m_disagreementTable);
    auto* detail = new QWidget;
    auto* detailLayout = new QGridLayout(detail);
    detailLayout->setContentsMargins(0, 0, 0, 0);
    detailLayout->addWidget(m_expected, 0, 0, 1, 2);
    detailLayout->addWidget(m_baselineTitle, 1, 0);
    detailLayout->addWidget(m_sideTitle, 1, 1);
    detailLayout->addWidget(m_baselineResponse, 2, 0);
    detailLayout->addWidget(m_sideResponse, 2, 1);
    disagreementSplit->addWidget(detail);
    disagreementLayout->addWidget(disagreementSplit, 1);

    auto* tabs = new QTabWidget;
    tabs->setObjectName(u"compareTabs"_s);
    tabs->addTab(summaryTab, tr("Summary"));
    tabs->addTab(chartsTab, tr("Distributions && scores"));
    tabs->addTab(disagreementTab, tr("Disagreements"));
    auto* right = new QWidget;
    auto* rightLayout = new QVBoxLayout(right);
    rightLayout->setContentsMargins(0, 0, 0, 0);
    auto* benchRow = new QHBoxLayout;
    benchRow->addWidget(new QLabel(tr("Benchmark for charts and disagreements:")));
    benchRow->addWidget(m_benchmarkCombo, 1);
    rightLayout->addLayout(benchRow);
    rightLayout->addWidget(tabs, 1);

    auto* split = new QSplitter(Qt::Horizontal);
    split->addWidget(left);
    split->addWidget(right);
    split->setStretchFactor(0, 1);
    split->setStretchFactor(1, 3);
    auto* title = new QLabel(tr("Compare runs"));
    QFont f = title->font();
    f.setPointSizeF(f.pointSizeF() * 1.3);
    f.setBold(true);
    title->setFont(f);
    auto* layout = new QVBoxLayout(this);
    layout->addWidget(title);
    layout->addWidget(split, 1);

    m_compareTimer->setSingleShot(true);
    m_compareTimer->setInterval(120); // several ticks or selections in a row start one comparison
    connect(m_compareTimer, &QTimer::timeout, this, &ComparePage::startCompare);
    connect(m_runsTable->selectionModel(), &QItemSelectionModel::selectionChanged, this,
        &ComparePage::onRunSelectionChanged);
    connect(m_sidesList, &QListWidget::itemChanged, this, [this] {
        if (!m_updatingSides) {
            updateBaselineCombo();
            scheduleCompare();
        }
    });
    connect(m_baselineCombo, &QComboBox::currentIndexChanged, this, [this] {
        if (!m_updatingSides)
            scheduleCompare();
    });
    connect(m_benchmarkCombo, &QComboBox::currentIndexChanged, this, [this] {
        updateCharts();
        updateDisagreementPairs();
    });
    connect(m_pairCombo, &QComboBox::currentIndexChanged, this, &ComparePage::onDisagreementPairChanged);
    connect(m_disagreementTable->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
        &ComparePage::onDisagreementRowChanged);
    connect(m_runsTable, &RunTable::refreshed, this, [this] {
        m_runsTable->resizeColumnsToContents(); // the pane is narrow: each column as wide as its longest cell
        // The selection is kept across a refresh; a selected run that has gained records (it was running) is
        // compared again.
        if (selectedRunsState() != m_selectedRunsState)
            onRunSelectionChanged();
    });
    connect(m_sidesLoader, &CompareSidesLoader::loaded, this, &ComparePage::showSides);
    connect(m_sidesLoader, &CompareSidesLoader::failed, this, [this](const QString& error) {
        m_status->setText(tr("Cannot read the runs' models: %1").arg(error));
        showSides({});
    });
    connect(m_comparisonLoader, &ComparisonLoader::loaded, this, &ComparePage::showComparison);
    connect(m_comparisonLoader, &ComparisonLoader::failed, this, [this](const QString& error) {
        m_status->setText(tr("Cannot compare: %1").arg(error));
        showComparison(nullptr);
        Q_EMIT comparisonFailed(error);
    });
    refresh();
}

int ComparePage::summaryRowCount() const
{
    return m_summary->rowCount();
}

int ComparePage::sideCount() const
{
    return m_comparison ? int(m_comparison->sides.size()) : 0;
}

RunListModel* ComparePage::runsModel() const
{
    return m_runsTable->runs();
}

void ComparePage::refresh()
{
    // The table keeps the selected runs selected across the reload.
    m_runsTable->refresh();
}

QString ComparePage::selectedRunsState() const
{
    QString state;
    for (const qint64 id : m_runsTable->selectedRunIds()) {
        if (const RunListModel::Row* row = runsModel()->runAt(runsModel()->rowOfRun(id)))
            state += u"%1:%2:%3 "_s.arg(id).arg(int(row->info.status)).arg(row->info.storedRecords);
    }
    return state;
}

void ComparePage::onRunSelectionChanged()
{
    m_selectedRunsState = selectedRunsState();
    // Sides: every model of each selected run, oldest run first so that the first run is the natural baseline.
    QVector<qint64> runIds = m_runsTable->selectedRunIds();
    std::sort(runIds.begin(), runIds.end());
    if (runIds.isEmpty()) {
        m_sidesLoader->cancel();
        showSides({});
        return;
    }
    m_sidesLoader->load(m_context->databasePath(), runIds);
}

void ComparePage::showSides(const QVector<CompareSide>& sides)
{
    Q_ASSERT(QThread::currentThread() == thread());
    QSet<QPair<qint64, int>> unticked;
    for (int i = 0; i < m_sidesList->count(); ++i) {
        const QListWidgetItem* item = m_sidesList->item(i);
        if (item->checkState() != Qt::Checked)
            unticked.insert({ item->data(RunIdRole).toLongLong(), item->data(ModelIndexRole).toInt() });
    }
    m_updatingSides = true;
    m_sidesList->clear();
    for (const CompareSide& s : sides) {
        auto* item = new QListWidgetItem(u"%1 — %2"_s.arg(s.label(), s.runName));
        item->setData(RunIdRole, s.runId);
        item->setData(ModelIndexRole, s.modelIndex);
        item->setFlags(Qt::ItemIsEnabled | Qt::ItemIsUserCheckable);
        item->setCheckState(unticked.contains({ s.runId, s.modelIndex }) ? Qt::Unchecked : Qt::Checked);
        m_sidesList->addItem(item);
    }
    updateBaselineCombo();
    m_updatingSides = false;
    Q_EMIT sidesUpdated();
    scheduleCompare();
}

void ComparePage::updateBaselineCombo()
{
    const QVariant previous = m_baselineCombo->currentData();
    const bool wasUpdating = m_updatingSides;
    m_updatingSides = true;
    m_baselineCombo->clear();
    for (int i = 0; i < m_sidesList->count(); ++i) {
        const QListWidgetItem* item = m_sidesList->item(i);
        if (item->checkState() == Qt::Checked) {
            const QString key
                = u"%1:%2"_s.arg(item->data(RunIdRole).toLongLong()).arg(item->data(ModelIndexRole).toInt());
            m_baselineCombo->addItem(item->text(), key);
        }
    }
    const int keep = m_baselineCombo->findData(previous);
    m_baselineCombo->setCurrentIndex(keep >= 0 ? keep : 0);
    m_updatingSides = wasUpdating;
}

void ComparePage::scheduleCompare()
{
    m_compareTimer->start();
}

void ComparePage::startCompare()
{
    CompareRequest request;
    const QString baselineKey = m_baselineCombo->currentData().toString();
    for (int i = 0; i < m_sidesList->count(); ++i) {
        const QListWidgetItem* item = m_sidesList->item(i);
        if (item->checkState() != Qt::Checked)
            continue;
        CompareSide s;
        s.runId = item->data(RunIdRole).toLongLong();
        s.modelIndex = item->data(ModelIndexRole).toInt();
        if (u"%1:%2"_s.arg(s.runId).arg(s.modelIndex) == baselineKey)
            request.baseline = int(request.sides.size());
        request.sides.append(s);
    }
    if (request.sides.size() < 2) {
        m_comparisonLoader->cancel(); // an answer for an earlier choice would be out of date
        m_status->setText(tr("Select two or more runs, or a run with two or more models."));
        showComparison(nullptr);
        return;
    }
    m_status->setText(tr("Comparing %n side(s)…", nullptr, int(request.sides.size())));
    m_comparisonLoader->load(m_context->databasePath(), request);
}

void ComparePage::showComparison(const ComparisonPtr& comparison)
{
    Q_ASSERT(QThread::currentThread() == thread());
    m_comparison = comparison;
    m_summary->setComparison(comparison);
    m_matrix->setComparison(comparison);
    m_summaryTable->resizeColumnsToContents();
    m_matrixTable->resizeColumnsToContents();
    m_matrixTable->resizeRowsToContents();
    const QString previous = m_benchmarkCombo->currentText();
    {
        const QSignalBlocker block(m_benchmarkCombo);
        m_benchmarkCombo->clear();
        if (comparison) {
            for (const auto& b : comparison->benchmarks)
                m_benchmarkCombo->addItem(b.benchmarkId);
            const int keep = m_benchmarkCombo->findText(previous);
            m_benchmarkCombo->setCurrentIndex(keep >= 0 ? keep : 0);
        }
    }
    if (comparison) {
        // Say what was not compared: samples one side has and the other lacks.
        qint64 unshared = 0;
        for (const auto& b : comparison->benchmarks)
            for (const auto& pc : b.vsBaseline)
                unshared += pc.onlyBaseline + pc.onlySide;
        m_status->setText(unshared > 0
                ? tr("%1 sides, %2 benchmark(s); baseline %3. %4 sample(s) scored on one side only were not "
                     "compared.")
                      .arg(comparison->sides.size())
                      .arg(comparison->benchmarks.size())
                      .arg(comparison->sides[comparison->baseline].label())
                      .arg(unshared)
                : tr("%1 sides, %2 benchmark(s); baseline %3. Every scored sample is shared.")
                      .arg(comparison->sides.size())
                      .arg(comparison->benchmarks.size())
                      .arg(comparison->sides[comparison->baseline].label()));
    }
    updateCharts();
    updateDisagreementPairs();
    Q_EMIT comparisonUpdated();
}

void ComparePage::updateCharts()
{
    const int bi = m_benchmarkCombo->currentIndex();
    if (!m_comparison || bi < 0 || bi >= m_comparison->benchmarks.size()) {
        m_latencyChart->clearContent();
        m_ttftChart->clearContent();
        m_scoreChart->clearContent();
        return;
    }
    const Comparison& c = *m_comparison;
    const BenchmarkComparison& b = c.benchmarks[bi];
    const QPalette pal = palette();
    std::vector<ChartLine> latency, ttft, whiskers;
    std::vector<ChartBand> bars;
    for (int i = 0; i < c.sides.size(); ++i) {
        const SideFigures& f = b.sides[i];
        if (!f.present)
            continue;
        const QColor color = ChartAdapter::seriesColor(i, pal);
        const QString name = c.sides[i].label() + (i == c.baseline ? tr(" (baseline)") : QString());
        auto cdf = [&](const QVector<double>& q) {
            ChartLine line;
            line.name = name;
            line.color = color;
            line.style = i == c.baseline ? Qt::DashLine : Qt::SolidLine;
            for (int k = 0; k < q.size(); ++k)
                line.points.emplace_back(q[k], double(k) / double(q.size() - 1));
            return line;
        };
        if (!f.latencyQuantilesMs.isEmpty())
            latency.push_back(cdf(f.latencyQuantilesMs));
        if (!f.ttftQuantilesMs.isEmpty())
            ttft.push_back(cdf(f.ttftQuantilesMs));
        if (f.summary.scored > 0) {
            const double x = double(i + 1);
            ChartBand bar;
            bar.name = name;
            bar.color = color;
            bar.upper = { { x - 0.3, f.summary.scoreMean }, { x + 0.3, f.summary.scoreMean } };
            bar.lower = { { x - 0.3, 0.0 }, { x + 0.3, 0.0 } };
            bars.push_back(std::move(bar));
            ChartLine whisker;
            whisker.name = u"CI "_s + name;
            whisker.color = pal.color(QPalette::Text);
            whisker.inLegend = false;
            whisker.points = { { x, f.summary.scoreCiLow }, { x, f.summary.scoreCiHigh } };
            whiskers.push_back(std::move(whisker));
            for (int end = 0; end < 2; ++end) {
                const double y = end == 0 ? f.summary.scoreCiLow : f.summary.scoreCiHigh;
                ChartLine cap;
                cap.name = u"cap %1 "_s.arg(end) + name;
                cap.color = pal.color(QPalette::Text);
                cap.inLegend = false;
                cap.points = { { x - 0.1, y }, { x + 0.1, y } };
                whiskers.push_back(std::move(cap));
            }
        }
    }
    if (!bars.empty()) {
        // Room on both sides of the outer bars (the axis follows the data).
        ChartLine pad;
        pad.name = u"pad"_s;
        pad.color = Qt::transparent;
        pad.inLegend = false;
        pad.points = { { 0.4, 0.0 }, { double(c.sides.size()) + 0.6, 0.0 } };
        whiskers.push_back(std::move(pad));
    }
    m_latencyChart->setContent({}, std::move(latency));
    m_ttftChart->setContent({}, std::move(ttft));
    m_scoreChart->setContent(std::move(bars), std::move(whiskers));
}

void ComparePage::updateDisagreementPairs()
{
    const QSignalBlocker block(m_pairCombo);
    m_pairCombo->clear();
    const int bi = m_benchmarkCombo->currentIndex();
    if (m_comparison && bi >= 0 && bi < m_comparison->benchmarks.size()) {
        const Comparison& c = *m_comparison;
        const BenchmarkComparison& b = c.benchmarks[bi];
        for (int i = 0; i < c.sides.size(); ++i) {
            if (i != c.baseline && b.sides[i].present && b.sides[c.baseline].present)
                m_pairCombo->addItem(tr("%1 vs %2 (%3)")
                                         .arg(c.sides[c.baseline].label(), c.sides[i].label())
                                         .arg(b.vsBaseline[i].disagreements()),
                    i);
        }
    }
    onDisagreementPairChanged();
}

void ComparePage::onDisagreementPairChanged()
{
    m_baselineResponse->clear();
    m_sideResponse->clear();
    m_expected->clear();
    const int bi = m_benchmarkCombo->currentIndex();
    const int side = m_pairCombo->currentData().isValid() ? m_pairCombo->currentData().toInt() : -1;
    if (!m_comparison || bi < 0 || bi >= m_comparison->benchmarks.size() || side < 0) {
        m_disagreements->clear();
        m_disagreementCount->setText(m_comparison ? tr("No pair of sides shares this benchmark.") : QString());
        return;
    }
    const Comparison& c = *m_comparison;
    const BenchmarkComparison& b = c.benchmarks[bi];
    const CompareSide& base = c.sides[c.baseline];
    const CompareSide& other = c.sides[side];
    const PairedComparison& pc = b.vsBaseline[side];
    const DisagreementPair pair { base.runId, base.modelIndex, b.sides[c.baseline].benchmarkIndex, other.runId,
        other.modelIndex, b.sides[side].benchmarkIndex };
    m_disagreements->setSource(m_context->databasePath(), pair, pc.disagreements());
    m_disagreementCount->setText(tr("%1 disagreement(s) among %2 shared samples: the baseline alone right on %3, "
                                    "%4 alone right on %5. %6 sample(s) scored on one side only are not compared.")
                                     .arg(pc.disagreements())
                                     .arg(pc.shared)
                                     .arg(pc.baselineOnlyRight)
                                     .arg(other.label())
                                     .arg(pc.sideOnlyRight)
                                     .arg(pc.onlyBaseline + pc.onlySide));
    m_baselineTitle->setText(tr("Baseline: %1").arg(base.label()));
    m_sideTitle->setText(other.label());
    m_disagreementTable->resizeColumnToContents(CompareDisagreementModel::SampleColumn);
    if (m_disagreements->rowCount() > 0)
        m_disagreementTable->selectRow(0);
}

void ComparePage::onDisagreementRowChanged()
{
    const Disagreement* d = m_disagreements->disagreement(m_disagreementTable->currentIndex().row());
    if (!d)
        return;
    m_expected->setText(tr("Sample %1 — expected: %2")
                            .arg(d->sampleId.isEmpty() ? QString::number(d->sampleIndex) : d->sampleId, d->expected));
    m_baselineResponse->setPlainText(tr("score %1\n\n").arg(d->baseScore) + d->baseResponse);
    m_sideResponse->setPlainText(tr("score %1\n\n").arg(d->otherScore) + d->otherResponse);
}

void ComparePage::changeEvent(QEvent* event)
{
    QWidget::changeEvent(event);
    if (event->type() == QEvent::PaletteChange) {
        m_matrix->setPalette(palette());
        updateCharts();
    }
}

} // namespace evs

#include "comparepage.moc"
