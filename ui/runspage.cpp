#include "ui/runspage.h"

#include "app/engine/liveaggregator.h"
#include "models/browse/runlistmodel.h"
#include "models/stats/runsummary.h"
#include "models/store/resultsstore.h"
#include "ui/appcontext.h"
#include "ui/dashboardview.h"
#include "ui/resultsbrowser.h"

#include <QFutureWatcher>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QMessageBox>
#include <QPushButton>
#include <QSplitter>
#include <QTabWidget>
#include <QTableView>
#include <QVBoxLayout>
#include <QtConcurrent/QtConcurrentRun>

using namespace Qt::StringLiterals;

namespace evs {

namespace {

struct RunsRead {
    QVector<RunInfo> runs;
    QString error;
};

struct RunRebuild {
    LiveSnapshotPtr snapshot;
    std::optional<RunInfo> info;
    QString error;
};

struct DeleteOutcome {
    bool ok = false;
    QString error;
};

} // namespace

RunsPage::RunsPage(AppContext* context, QWidget* parent)
    : QWidget(parent)
    , m_context(context)
    , m_runs(new RunListModel(this))
{
    setObjectName(u"runsPage"_s);
    auto* layout = new QVBoxLayout(this);

    auto* split = new QSplitter(Qt::Vertical, this);
    split->setObjectName(u"runsSplitter"_s);
    split->setChildrenCollapsible(false);

    auto* top = new QWidget(split);
    auto* topLayout = new QVBoxLayout(top);
    topLayout->setContentsMargins(0, 0, 0, 0);
    auto* buttons = new QHBoxLayout;
    const auto button = [top, buttons](const QString& name, const QString& text, const QString& tip) {
        auto* b = new QPushButton(text, top);
        b->setObjectName(name);
        b->setToolTip(tip);
        buttons->addWidget(b);
        return b;
    };
    m_open = button(u"openRunButton"_s, tr("&Open"), tr("Show the selected run's dashboard and samples"));
    m_resume = button(u"resumeRunButton"_s, tr("&Resume"),
        tr("Continue an interrupted run: only the samples without a stored result are sent"));
    m_delete = button(u"deleteRunButton"_s, tr("&Delete…"), tr("Delete the selected run and its results"));
    m_refresh = button(u"refreshRunsButton"_s, tr("Refresh"), tr("Read the list of runs again"));
    m_delete->setShortcut(QKeySequence::Delete);
    m_status = new QLabel(top);
    m_status->setObjectName(u"runsStatusLabel"_s);
    m_status->setWordWrap(true);
    buttons->addWidget(m_status, 1);
    topLayout->addLayout(buttons);

    m_table = new QTableView(top);
    m_table->setObjectName(u"runsTable"_s);
    m_table->setModel(m_runs);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::SingleSelection);
    m_table->setAlternatingRowColors(true);
    m_table->setWordWrap(false);
    m_table->verticalHeader()->hide();
    m_table->horizontalHeader()->setStretchLastSection(true);
    const QFontMetrics fm = m_table->fontMetrics();
    const int widths[RunListModel::NUM_COLUMNS] = { 24, 15, 20, 20, 0, 12, 7, 8 };
    for (int c = 0; c < RunListModel::NUM_COLUMNS; ++c)
        m_table->setColumnWidth(c, fm.averageCharWidth() * widths[c] + 16);
    m_table->setColumnWidth(RunListModel::StartedColumn, fm.horizontalAdvance(u"2026-12-31 23:59"_s) + 24);
    topLayout->addWidget(m_table);

    auto* bottom = new QWidget(split);
    auto* bottomLayout = new QVBoxLayout(bottom);
    bottomLayout->setContentsMargins(0, 0, 0, 0);
    m_header = new QLabel(tr("Open a run to see its dashboard and samples."), bottom);
    m_header->setObjectName(u"runHeader"_s);
    QFont bold = m_header->font();
    bold.setBold(true);
    m_header->setFont(bold);
    bottomLayout->addWidget(m_header);
    m_tabs = new QTabWidget(bottom);
    m_tabs->setObjectName(u"runTabs"_s);
    m_dashboard = new DashboardView(context, m_tabs);
    m_browser = new ResultsBrowser(m_tabs);
    m_tabs->addTab(m_dashboard, tr("Dashboard"));
    m_tabs->addTab(m_browser, tr("Samples"));
    bottomLayout->addWidget(m_tabs, 1);

    split->addWidget(top);
    split->addWidget(bottom);
    split->setStretchFactor(0, 1);
    split->setStretchFactor(1, 4);
    split->setSizes({ 180, 720 });
    layout->addWidget(split);

    connect(m_open, &QPushButton::clicked, this, [this] { showRun(selectedRunId()); });
    connect(m_table, &QTableView::activated, this,
        [this](const QModelIndex& i) { showRun(m_runs->data(i, RunListModel::RunIdRole).toLongLong()); });
    connect(m_resume, &QPushButton::clicked, this, &RunsPage::resumeSelected);
    connect(m_delete, &QPushButton::clicked, this, &RunsPage::deleteSelected);
    connect(m_refresh, &QPushButton::clicked, this, &RunsPage::refresh);
    connect(m_table->selectionModel(), &QItemSelectionModel::selectionChanged, this, &RunsPage::updateButtons);
    connect(m_runs, &QAbstractItemModel::modelReset, this, &RunsPage::updateButtons);

    if (m_context) {
        connect(m_context, &AppContext::runsChanged, this, &RunsPage::refresh);
        connect(m_context, &AppContext::runStarted, this, [this](qint64 id) {
            m_runs->setActiveRunId(id);
            updateButtons();
        });
        connect(m_context, &AppContext::snapshotAvailable, this, [this](const LiveSnapshotPtr& s) {
            if (s && m_live && s->runId == m_shownRunId)
                m_dashboard->setSnapshot(s);
        });
        connect(m_context, &AppContext::runFinished, this, [this](qint64 id, RunStatus) {
            m_runs->setActiveRunId(0);
            // The ended run is now exact in the store: show its summary and its complete samples.
            if (id == m_shownRunId)
                openStoredRun(id);
            updateButtons();
        });
    }
    updateButtons();
    refresh();
}

RunsPage::~RunsPage() = default;

QString RunsPage::databasePath() const
{
    return m_context ? m_context->databasePath() : ResultsStore::defaultPath();
}

qint64 RunsPage::activeRunId() const
{
    return m_context && m_context->activeRun() ? m_context->activeRun()->runId() : 0;
}

qint64 RunsPage::selectedRunId() const
{
    const QModelIndexList rows = m_table->selectionModel()->selectedRows();
    return rows.isEmpty() ? 0 : m_runs->data(rows.first(), RunListModel::RunIdRole).toLongLong();
}

void RunsPage::selectRun(qint64 runId)
{
    const int row = m_runs->rowOfRun(runId);
    if (row >= 0)
        m_table->selectRow(row);
}

void RunsPage::refresh()
{
    const quint64 gen = ++m_refreshGeneration;
    const QString path = databasePath();
    auto* watcher = new QFutureWatcher<RunsRead>(this);
    connect(watcher, &QFutureWatcher<RunsRead>::finished, this, [this, watcher, gen] {
        watcher->deleteLater();
        if (gen != m_refreshGeneration)
            return; // a newer refresh is under way
        const RunsRead r = watcher->result();
        if (!r.error.isEmpty())
            m_status->setText(r.error);
        const qint64 keep = selectedRunId() ? selectedRunId() : m_shownRunId;
        m_runs->setActiveRunId(activeRunId());
        m_runs->setRuns(r.runs);
        if (keep)
            selectRun(keep);
        if (m_shownRunId && m_runs->rowOfRun(m_shownRunId) < 0)
            closeShownRun(); // deleted elsewhere (the CLI)
        updateButtons();
        Q_EMIT runsRefreshed();
    });
    // runs() counts each run's records: off the GUI thread with a store of millions.
    watcher->setFuture(QtConcurrent::run([path] {
        RunsRead r;
        ResultsStore store;
        if (!store.open(path, &r.error))
            return r;
        r.runs = store.runs();
        return r;
    }));
}

void RunsPage::updateButtons()
{
    const qint64 id = selectedRunId();
    const RunListModel::Row* row = m_runs->runAt(m_runs->rowOfRun(id));
    const bool active = id != 0 && id == activeRunId();
    m_open->setEnabled(row != nullptr);
    // A run stays "running" in the store when the app that ran it died: it is resumable too.
    const bool unfinished = row && row->info.status != RunStatus::Completed;
    m_resume->setEnabled(unfinished && !active && activeRunId() == 0 && !m_deleting);
    m_delete->setEnabled(row != nullptr && !active && !m_deleting);
}

void RunsPage::showRun(qint64 runId)
{
    if (runId <= 0)
        return;
    selectRun(runId);
    m_shownRunId = runId;
    ++m_openGeneration;
    const RunListModel::Row* row = m_runs->runAt(m_runs->rowOfRun(runId));
    m_header->setText(row ? tr("Run #%1 %2 — %3").arg(runId).arg(row->info.name, row->models.join(u", "_s))
                          : tr("Run #%1").arg(runId));
    if (runId == activeRunId()) {
        m_live = true;
        m_dashboard->clear();
        m_dashboard->setLive(true);
        if (auto s = m_context->activeRun()->snapshot())
            m_dashboard->setSnapshot(s);
        m_browser->setRun(databasePath(), runId);
        m_tabs->setCurrentWidget(m_dashboard);
        Q_EMIT runOpened(runId);
        return;
    }
    openStoredRun(runId);
}

void RunsPage::openStoredRun(qint64 runId)
{
    m_live = false;
    const quint64 gen = ++m_openGeneration;
    m_dashboard->clear();
    m_dashboard->setLive(false);
    m_browser->setRun(databasePath(), runId);
    m_status->setText(tr("Reading run #%1…").arg(runId));
    const QString path = databasePath();
    auto* watcher = new QFutureWatcher<RunRebuild>(this);
    connect(watcher, &QFutureWatcher<RunRebuild>::finished, this, [this, watcher, gen, runId] {
        watcher->deleteLater();
        if (gen != m_openGeneration)
            return; // another run was opened meanwhile
        const RunRebuild r = watcher->result();
        if (!r.error.isEmpty()) {
            m_status->setText(r.error);
            return;
        }
        m_status->clear();
        if (r.snapshot)
            m_dashboard->setSnapshot(r.snapshot);
        if (r.info && !r.info->summary.isEmpty()) {
            if (const auto summary = RunSummary::fromJson(r.info->summary))
                m_dashboard->setSummary(*summary);
        }
        Q_EMIT runOpened(runId);
    });
    // Rebuilding the dashboard reads every record of the run (in t_end order): a worker's job.
    watcher->setFuture(QtConcurrent::run([path, runId] {
        RunRebuild r;
        ResultsStore store;
        if (!store.open(path, &r.error))
            return r;
        r.info = store.run(runId);
        if (!r.info) {
            r.error = tr("Run #%1 is not in the store any more").arg(runId);
            return r;
        }
        r.snapshot = LiveAggregator::fromStore(store, runId, &r.error);
        return r;
    }));
}

void RunsPage::closeShownRun()
{
    m_shownRunId = 0;
    m_live = false;
    ++m_openGeneration;
    m_dashboard->clear();
    m_dashboard->setLive(false);
    m_browser->clear();
    m_header->setText(tr("Open a run to see its dashboard and samples."));
}

void RunsPage::resumeSelected()
{
    const qint64 id = selectedRunId();
    if (!id || !m_context)
        return;
    QString error;
    if (!m_context->resumeRun(id, &error)) {
        m_status->setText(tr("Cannot resume run #%1: %2").arg(id).arg(error));
        return;
    }
    m_status->setText(tr("Resumed run #%1").arg(id));
    showRun(id);
}

void RunsPage::deleteSelected()
{
    const qint64 id = selectedRunId();
    const RunListModel::Row* row = m_runs->runAt(m_runs->rowOfRun(id));
    if (!row || id == activeRunId() || m_deleting)
        return;
    // Window-modal and asynchronous (open(), not exec()): a test answers it by finding it by name.
    auto* box = new QMessageBox(QMessageBox::Warning, tr("Delete run"),
        tr("Delete run #%1 \"%2\" and its %3 stored results? This cannot be undone.")
            .arg(id)
            .arg(row->info.name)
            .arg(row->info.storedRecords),
        QMessageBox::Yes | QMessageBox::Cancel, this);
    box->setObjectName(u"confirmDeleteRun"_s);
    box->setDefaultButton(QMessageBox::Cancel);
    box->button(QMessageBox::Yes)->setText(tr("Delete"));
    box->setAttribute(Qt::WA_DeleteOnClose);
    connect(box, &QMessageBox::buttonClicked, this, [this, box, id](QAbstractButton* b) {
        if (box->standardButton(b) == QMessageBox::Yes)
            deleteRun(id);
    });
    box->open();
}

void RunsPage::deleteRun(qint64 runId)
{
    m_deleting = true;
    updateButtons();
    if (runId == m_shownRunId)
        closeShownRun(); // its readers let go of the rows before they go
    m_status->setText(tr("Deleting run #%1…").arg(runId));
    const QString path = databasePath();
    auto* watcher = new QFutureWatcher<DeleteOutcome>(this);
    connect(watcher, &QFutureWatcher<DeleteOutcome>::finished, this, [this, watcher, runId] {
        watcher->deleteLater();
        m_deleting = false;
        const DeleteOutcome r = watcher->result();
        m_status->setText(r.ok ? tr("Deleted run #%1").arg(runId) : r.error);
        refresh();
        if (r.ok)
            Q_EMIT runDeleted(runId);
    });
    // A run of a million records takes seconds to delete.
    watcher->setFuture(QtConcurrent::run([path, runId] {
        DeleteOutcome r;
        ResultsStore store;
        if (store.open(path, &r.error))
            r.ok = store.deleteRun(runId, &r.error);
        return r;
    }));
}

} // namespace evs
