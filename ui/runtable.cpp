#include "ui/runtable.h"

#include "models/browse/runlistmodel.h"
#include "models/store/resultsstore.h"
#include "ui/appcontext.h"
#include "ui/runlistloader.h"

#include <QHeaderView>
#include <QItemSelectionModel>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace evs {

RunTable::RunTable(AppContext* context, QWidget* parent)
    : QTableView(parent)
    , m_context(context)
    , m_runs(new RunListModel(this))
    , m_loader(new RunListLoader(this))
{
    setObjectName(u"runsTable"_s);
    setModel(m_runs);
    setSelectionBehavior(QAbstractItemView::SelectRows);
    setSelectionMode(QAbstractItemView::SingleSelection);
    setAlternatingRowColors(true);
    setWordWrap(false);
    verticalHeader()->hide();
    horizontalHeader()->setStretchLastSection(true);
    // Widths in average characters, so that they follow the font; the date gets the width of its longest form.
    const QFontMetrics fm = fontMetrics();
    const int widths[RunListModel::NUM_COLUMNS] = { 6, 18, 15, 20, 20, 0, 12, 7, 8 };
    for (int c = 0; c < RunListModel::NUM_COLUMNS; ++c)
        setColumnWidth(c, fm.averageCharWidth() * widths[c] + 16);
    setColumnWidth(RunListModel::StartedColumn, fm.horizontalAdvance(u"2026-12-31 23:59"_s) + 24);

    connect(m_loader, &RunListLoader::loaded, this, [this](const QVector<RunInfo>& runs) {
        const QVector<qint64> keep = selectedRunIds();
        m_runs->setActiveRunId(m_context && m_context->activeRun() ? m_context->activeRun()->runId() : 0);
        m_runs->setRuns(runs);
        showRuns(keep, false, {});
    });
    connect(m_loader, &RunListLoader::failed, this, [this](const QString& error) {
        const QVector<qint64> keep = selectedRunIds();
        m_runs->setRuns({});
        showRuns(keep, true, error);
    });
    if (m_context) {
        connect(m_context, &AppContext::runsChanged, this, &RunTable::refresh);
        connect(m_context, &AppContext::runStarted, this, [this](qint64 id) { m_runs->setActiveRunId(id); });
        connect(m_context, &AppContext::runFinished, this, [this] { m_runs->setActiveRunId(0); });
    }
}

RunTable::~RunTable() = default;

QString RunTable::databasePath() const
{
    return m_context ? m_context->databasePath() : ResultsStore::defaultPath();
}

void RunTable::refresh()
{
    m_loader->load(databasePath());
}

void RunTable::showRuns(const QVector<qint64>& keepSelected, bool failed, const QString& error)
{
    // A list of other runs resets the model, which clears the selection: select the same runs again.
    if (!keepSelected.isEmpty() && selectedRunIds() != keepSelected)
        selectRuns(QSet<qint64>(keepSelected.cbegin(), keepSelected.cend()));
    Q_EMIT refreshed();
    if (failed)
        Q_EMIT refreshFailed(error);
}

qint64 RunTable::selectedRunId() const
{
    const QVector<qint64> ids = selectedRunIds();
    return ids.isEmpty() ? 0 : ids.first();
}

QVector<qint64> RunTable::selectedRunIds() const
{
    QVector<qint64> ids;
    QModelIndexList rows = selectionModel()->selectedRows();
    std::sort(rows.begin(), rows.end(), [](const QModelIndex& a, const QModelIndex& b) { return a.row() < b.row(); });
    for (const QModelIndex& i : std::as_const(rows))
        ids.append(i.data(RunListModel::RunIdRole).toLongLong());
    return ids;
}

void RunTable::selectRun(qint64 runId)
{
    const int row = m_runs->rowOfRun(runId);
    if (row < 0)
        return;
    selectRow(row);
    scrollTo(m_runs->index(row, 0));
}

void RunTable::selectRuns(const QSet<qint64>& runIds)
{
    QItemSelection selection;
    for (int r = 0; r < m_runs->rowCount(); ++r) {
        const QModelIndex i = m_runs->index(r, 0);
        if (runIds.contains(i.data(RunListModel::RunIdRole).toLongLong()))
            selection.select(i, m_runs->index(r, RunListModel::NUM_COLUMNS - 1));
    }
    selectionModel()->select(selection, QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
}

} // namespace evs
