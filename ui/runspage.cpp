#include "ui/runspage.h"

#include "app/engine/liveaggregator.h"
#include "models/browse/runlistmodel.h"
#include "models/stats/runsummary.h"
#include "models/store/resultsstore.h"
#include "ui/appcontext.h"
#include "ui/backgroundloader.h"
#include "ui/dashboardview.h"
#include "ui/resultsbrowser.h"
#include "ui/runtable.h"

#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QMessageBox>
#include <QPushButton>
#include <QSplitter>
#include <QTabWidget>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

namespace evs {

// A stored run rebuilt for its dashboard: every record read in t_end order, and the run's row with its summary.
struct StoredRun {
    LiveSnapshotPtr snapshot;
    RunInfo info;
};

class StoredRunLoader : public BackgroundLoader {
    Q_OBJECT
public:
    using BackgroundLoader::BackgroundLoader;

    void load(const QString& databasePath, qint64 runId)
    {
        start(
            [databasePath, runId](QString* error) {
                StoredRun r;
                ResultsStore store; // a connection of the worker thread
                if (!store.open(databasePath, error))
                    return r;
                const auto info = store.run(runId);
                if (!info) {
                    *error = RunsPage::tr("Run #%1 is not in the store any more").arg(runId);
                    return r;
                }
                r.info = *info;
                r.snapshot = LiveAggregator::fromStore(store, runId, error);
                return r;
            },
            [this](const StoredRun& run) { Q_EMIT loaded(run); });
    }

Q_SIGNALS:
    void loaded(const evs::StoredRun& run);
};

// Deletes a run with its results: a run of a million records takes seconds.
class RunDeleter : public BackgroundLoader {
    Q_OBJECT
public:
    using BackgroundLoader::BackgroundLoader;

    void deleteRun(const QString& databasePath, qint64 runId)
    {
        start(
            [databasePath, runId](QString* error) {
                ResultsStore store;
                if (store.open(databasePath, error))
                    store.deleteRun(runId, error);
                return runId;
            },
            [this](qint64 id) { Q_EMIT deleted(id); });
    }

Q_SIGNALS:
    void deleted(qint64 runId);
};

RunsPage::RunsPage(AppContext* context, QWidget* parent)
    : QWidget(parent)
    , m_context(context)
    , m_runLoader(new StoredRunLoader(this))
    , m_deleter(new RunDeleter(this))
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

    m_table = new RunTable(context, top);
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

    connect(m_open, &QPushButton::clicked, this, [this] { showRun(m_table->selectedRunId()); });
    connect(m_table, &QTableView::activated, this,
        [this](const QModelIndex& i) { showRun(i.data(RunListModel::RunIdRole).toLongLong()); });
    connect(m_resume, &QPushButton::clicked, this, &RunsPage::resumeSelected);
    connect(m_delete, &QPushButton::clicked, this, &RunsPage::deleteSelected);
    connect(m_refresh, &QPushButton::clicked, this, &RunsPage::refresh);
    connect(m_table->selectionModel(), &QItemSelectionModel::selectionChanged, this, &RunsPage::updateButtons);
    connect(runListModel(), &QAbstractItemModel::modelReset, this, &RunsPage::updateButtons);
    connect(m_table, &RunTable::refreshed, this, &RunsPage::onRunsRefreshed);
    connect(m_table, &RunTable::refreshFailed, m_status, &QLabel::setText);
    connect(m_runLoader, &StoredRunLoader::loaded, this, [this](const StoredRun& r) {
        m_status->clear();
        if (r.snapshot)
            m_dashboard->setSnapshot(r.snapshot);
        if (!r.info.summary.isEmpty()) {
            if (const auto summary = RunSummary::fromJson(r.info.summary))
                m_dashboard->setSummary(*summary);
        }
        Q_EMIT runOpened(r.info.id);
    });
    connect(m_runLoader, &StoredRunLoader::failed, m_status, &QLabel::setText);
    connect(m_deleter, &RunDeleter::deleted, this, [this](qint64 runId) {
        m_deleting = false;
        m_status->setText(tr("Deleted run #%1").arg(runId));
        refresh();
        Q_EMIT runDeleted(runId);
    });
    connect(m_deleter, &RunDeleter::failed, this, [this](const QString& error) {
        m_deleting = false;
        m_status->setText(error);
        refresh();
    });

    if (m_context) {
        connect(m_context, &AppContext::runStarted, this, &RunsPage::updateButtons);
        connect(m_context, &AppContext::snapshotAvailable, this, [this](const LiveSnapshotPtr& s) {
            if (s && m_live && s->runId == m_shownRunId)
                m_dashboard->setSnapshot(s);
        });
        connect(m_context, &AppContext::runFinished, this, [this](qint64 id, RunStatus) {
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

RunListModel* RunsPage::runListModel() const
{
    return m_table->runs();
}

void RunsPage::refresh()
{
    m_table->refresh();
}

void RunsPage::updateHeader()
{
    if (!m_shownRunId)
        return;
    const RunListModel::Row* row = runListModel()->runAt(runListModel()->rowOfRun(m_shownRunId));
    m_header->setText(row ? tr("Run #%1 %2 — %3").arg(m_shownRunId).arg(row->info.name, row->models.join(u", "_s))
                          : tr("Run #%1").arg(m_shownRunId));
}

void RunsPage::onRunsRefreshed()
{
    if (m_table->selectedRunIds().isEmpty() && m_shownRunId)
        m_table->selectRun(m_shownRunId);
    if (m_shownRunId && runListModel()->rowOfRun(m_shownRunId) < 0)
        closeShownRun(); // deleted elsewhere (the CLI)
    updateHeader(); // a run shown as it started is listed only now
    updateButtons();
    Q_EMIT runsRefreshed();
}

void RunsPage::updateButtons()
{
    const qint64 id = m_table->selectedRunId();
    const RunListModel::Row* row = runListModel()->runAt(runListModel()->rowOfRun(id));
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
    m_table->selectRun(runId);
    m_shownRunId = runId;
    m_runLoader->cancel();
    updateHeader();
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
    m_dashboard->clear();
    m_dashboard->setLive(false);
    m_browser->setRun(databasePath(), runId);
    m_status->setText(tr("Reading run #%1…").arg(runId));
    // Rebuilding the dashboard reads every record of the run (in t_end order): a worker's job. Opening another run
    // meanwhile drops this one's answer.
    m_runLoader->load(databasePath(), runId);
}

void RunsPage::closeShownRun()
{
    m_shownRunId = 0;
    m_live = false;
    m_runLoader->cancel();
    m_dashboard->clear();
    m_dashboard->setLive(false);
    m_browser->clear();
    m_header->setText(tr("Open a run to see its dashboard and samples."));
}

void RunsPage::resumeSelected()
{
    const qint64 id = m_table->selectedRunId();
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
    const qint64 id = m_table->selectedRunId();
    const RunListModel::Row* row = runListModel()->runAt(runListModel()->rowOfRun(id));
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
    m_deleter->deleteRun(databasePath(), runId);
}

} // namespace evs

#include "runspage.moc"
