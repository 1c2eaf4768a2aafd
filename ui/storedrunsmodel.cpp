#include "ui/storedrunsmodel.h"

#include "models/core/metricdefinitions.h"
#include "models/stats/runtotals.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QLocale>

using namespace Qt::StringLiterals;

namespace evs {

StoredRunsModel::StoredRunsModel(QObject* parent)
    : QAbstractTableModel(parent)
{
}

bool StoredRunsModel::reload(const QString& databasePath, QString* error)
{
    ResultsStore store;
    QString openError;
    if (!store.open(databasePath, &openError)) {
        if (error)
            *error = openError;
        setRuns({});
        return false;
    }
    setRuns(store.runs());
    return true;
}

void StoredRunsModel::setRuns(const QVector<RunInfo>& runs)
{
    beginResetModel();
    m_rows.clear();
    m_rows.reserve(runs.size());
    for (const auto& info : runs) {
        Row row { info, {}, {}, -1 };
        const QJsonObject plan = QJsonDocument::fromJson(info.planJson).object();
        for (const auto& m : plan.value(u"models"_s).toArray())
            row.models << m.toObject().value(u"id"_s).toString();
        for (const auto& b : plan.value(u"benchmarks"_s).toArray())
            row.benchmarks << b.toObject().value(u"id"_s).toString();
        if (const auto summary = RunSummary::fromJson(info.summary)) {
            if (const RunTotals totals = RunTotals::of(*summary); totals.scored > 0)
                row.score = totals.scoreMean;
        }
        m_rows.append(row);
    }
    endResetModel();
}

int StoredRunsModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int StoredRunsModel::columnCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : NUM_COLUMNS;
}

QVariant StoredRunsModel::data(const QModelIndex& index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const Row& r = m_rows.at(index.row());
    if (role == RunIdRole)
        return r.info.id;
    if (role == Qt::TextAlignmentRole) {
        switch (index.column()) {
        case IdColumn:
        case RecordsColumn:
        case ScoreColumn:
            return QVariant::fromValue(Qt::AlignRight | Qt::AlignVCenter);
        default:
            return {};
        }
    }
    if (role != Qt::DisplayRole && role != Qt::ToolTipRole)
        return {};
    switch (index.column()) {
    case IdColumn:
        return r.info.id;
    case NameColumn:
        return r.info.name;
    case StatusColumn:
        return runStatusName(r.info.status);
    case StartedColumn:
        return QLocale().toString(r.info.startedAt.toLocalTime(), QLocale::ShortFormat);
    case ModelsColumn:
        return r.models.join(u", "_s);
    case BenchmarksColumn:
        return r.benchmarks.join(u", "_s);
    case RecordsColumn:
        return r.info.plannedSamples >= 0 ? u"%1 / %2"_s.arg(r.info.storedRecords).arg(r.info.plannedSamples)
                                          : QString::number(r.info.storedRecords);
    case ScoreColumn:
        return r.score >= 0 ? QString::number(r.score, 'f', 3) : kAbsentFigure.toString();
    default:
        return {};
    }
}

QVariant StoredRunsModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal)
        return {};
    if (role == Qt::ToolTipRole) {
        switch (section) {
        case RecordsColumn:
            return tr("Final records stored / planned (models × samples × repeats)");
        case ScoreColumn:
            return metricToolTip(u"score");
        default:
            return {};
        }
    }
    if (role != Qt::DisplayRole)
        return {};
    switch (section) {
    case IdColumn:
        return tr("Run");
    case NameColumn:
        return tr("Name");
    case StatusColumn:
        return tr("Status");
    case StartedColumn:
        return tr("Started");
    case ModelsColumn:
        return tr("Models");
    case BenchmarksColumn:
        return tr("Benchmarks");
    case RecordsColumn:
        return tr("Records");
    case ScoreColumn:
        return tr("Score");
    default:
        return {};
    }
}

} // namespace evs
