#include "models/browse/runlistmodel.h"

#include "models/core/metricdefinitions.h"
#include "models/stats/runtotals.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLocale>

#include <cmath>

using namespace Qt::StringLiterals;

namespace evs {

RunListModel::RunListModel(QObject* parent)
    : QAbstractTableModel(parent)
{
}

RunListModel::Row RunListModel::makeRow(const RunInfo& info)
{
    Row r;
    r.info = info;
    const QJsonObject plan = QJsonDocument::fromJson(info.planJson).object();
    for (const auto& m : plan.value(u"models"_s).toArray())
        r.models.append(m.toObject().value(u"id"_s).toString());
    for (const auto& b : plan.value(u"benchmarks"_s).toArray())
        r.benchmarks.append(b.toObject().value(u"id"_s).toString());

    if (const auto summary = RunSummary::fromJson(info.summary)) {
        const RunTotals totals = RunTotals::of(*summary);
        r.score = totals.scoreMean;
        r.latencyP95Ms = totals.worstLatencyMs.isEmpty() ? qQNaN() : totals.worstLatencyMs.p95;
        QStringList tip;
        for (const PairSummary& p : summary->pairs) {
            const double p95 = p.latencyMs.isEmpty() ? qQNaN() : p.latencyMs.p95;
            tip.append(u"%1 × %2: n %3, score %4, p95 %5 ms"_s.arg(p.modelId, p.benchmarkId, QString::number(p.n),
                formatFigure(p.scored > 0 ? p.scoreMean : qQNaN(), 3), formatFigure(p95, 1)));
        }
        r.summaryTip = tip.join(u'\n');
    }
    return r;
}

void RunListModel::setRuns(const QVector<RunInfo>& runs)
{
    bool sameIds = runs.size() == m_rows.size();
    for (int i = 0; sameIds && i < runs.size(); ++i)
        sameIds = runs.at(i).id == m_rows.at(i).info.id;
    QVector<Row> rows;
    rows.reserve(runs.size());
    for (const RunInfo& info : runs) {
        rows.append(makeRow(info));
        rows.last().active = info.id == m_activeRunId;
    }
    if (sameIds) {
        // The same runs with new figures: keep the selection.
        m_rows = std::move(rows);
        if (!m_rows.isEmpty())
            Q_EMIT dataChanged(index(0, 0), index(int(m_rows.size()) - 1, NUM_COLUMNS - 1));
        return;
    }
    beginResetModel();
    m_rows = std::move(rows);
    endResetModel();
}

void RunListModel::setActiveRunId(qint64 runId)
{
    m_activeRunId = runId;
    for (int i = 0; i < m_rows.size(); ++i) {
        const bool active = m_rows.at(i).info.id == runId;
        if (active != m_rows.at(i).active) {
            m_rows[i].active = active;
            Q_EMIT dataChanged(index(i, 0), index(i, NUM_COLUMNS - 1));
        }
    }
}

int RunListModel::rowOfRun(qint64 runId) const
{
    for (int i = 0; i < m_rows.size(); ++i) {
        if (m_rows.at(i).info.id == runId)
            return i;
    }
    return -1;
}

const RunListModel::Row* RunListModel::runAt(int row) const
{
    return row >= 0 && row < m_rows.size() ? &m_rows.at(row) : nullptr;
}

int RunListModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int RunListModel::columnCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : NUM_COLUMNS;
}

QVariant RunListModel::data(const QModelIndex& index, int role) const
{
    if (!index.isValid() || index.row() >= m_rows.size())
        return {};
    const Row& r = m_rows.at(index.row());
    switch (role) {
    case RunIdRole:
        return r.info.id;
    case StatusRole:
        return int(r.info.status);
    case SamplesRole:
        return r.info.storedRecords;
    case ScoreRole:
        return std::isnan(r.score) ? QVariant() : QVariant(r.score);
    case LatencyP95MsRole:
        return std::isnan(r.latencyP95Ms) ? QVariant() : QVariant(r.latencyP95Ms);
    case Qt::TextAlignmentRole:
        if (index.column() == IdColumn || index.column() == SamplesColumn || index.column() == ScoreColumn
            || index.column() == LatencyP95Column)
            return int(Qt::AlignRight | Qt::AlignVCenter);
        return int(Qt::AlignLeft | Qt::AlignVCenter);
    case Qt::ToolTipRole:
        if (index.column() == ScoreColumn || index.column() == LatencyP95Column)
            return r.summaryTip.isEmpty() ? u"No summary yet: the run has not completed"_s : r.summaryTip;
        if (index.column() == IdColumn || index.column() == NameColumn)
            return u"Run %1, plan %2, seed %3, evalsandbox %4"_s.arg(r.info.id)
                .arg(r.info.planHash.left(12))
                .arg(r.info.seed)
                .arg(r.info.appVersion);
        return {};
    case Qt::DisplayRole:
        break;
    default:
        return {};
    }
    switch (index.column()) {
    case IdColumn:
        return u"#%1"_s.arg(r.info.id);
    case NameColumn:
        return r.info.name;
    case StatusColumn:
        return r.active ? u"running (live)"_s : runStatusName(r.info.status);
    case ModelsColumn:
        return r.models.join(u", "_s);
    case BenchmarksColumn:
        return r.benchmarks.join(u", "_s);
    case StartedColumn:
        return QLocale().toString(r.info.startedAt.toLocalTime(), u"yyyy-MM-dd HH:mm"_s);
    case SamplesColumn:
        if (r.info.status != RunStatus::Completed && r.info.plannedSamples > 0)
            return u"%1 / %2"_s.arg(r.info.storedRecords).arg(r.info.plannedSamples);
        return QString::number(r.info.storedRecords);
    case ScoreColumn:
        return formatFigure(r.score, 3);
    case LatencyP95Column:
        return formatFigure(r.latencyP95Ms, 1);
    }
    return {};
}

QVariant RunListModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal)
        return {};
    if (role == Qt::DisplayRole) {
        switch (section) {
        case IdColumn:
            return u"Run"_s;
        case NameColumn:
            return u"Name"_s;
        case StatusColumn:
            return u"Status"_s;
        case ModelsColumn:
            return u"Models"_s;
        case BenchmarksColumn:
            return u"Benchmarks"_s;
        case StartedColumn:
            return u"Started"_s;
        case SamplesColumn:
            return u"n"_s;
        case ScoreColumn:
            return u"Score"_s;
        case LatencyP95Column:
            return u"p95 ms"_s;
        }
    }
    if (role == Qt::ToolTipRole) {
        switch (section) {
        case SamplesColumn:
            return u"Final records stored (of those planned, while not completed)"_s;
        case ScoreColumn:
            return u"Mean score over every scored sample of the run (from its saved summary)"_s;
        case LatencyP95Column:
            return u"95th percentile of end-to-end latency (t_last_token − t_send), the slowest model × benchmark "
                   "pair's, from the saved summary"_s;
        }
    }
    return {};
}

} // namespace evs
