#include "ui/benchmarklistmodel.h"

#include <QJsonDocument>
#include <QLocale>

using namespace Qt::StringLiterals;

namespace evs {

BenchmarkListModel::BenchmarkListModel(QObject* parent)
    : QAbstractTableModel(parent)
{
}

QString BenchmarkListModel::datasetKey(const BenchmarkSpec& spec)
{
    return spec.dataset + u'\n' + spec.format + u'\n'
        + QString::fromUtf8(QJsonDocument(spec.fields).toJson(QJsonDocument::Compact)) + u'\n'
        + QString::number(spec.limit);
}

void BenchmarkListModel::setEntries(const QVector<Entry>& entries)
{
    beginResetModel();
    m_entries = entries;
    endResetModel();
}

void BenchmarkListModel::setDatasetFacts(
    const QString& datasetKey, qint64 samples, const QString& format, const QString& error)
{
    for (int row = 0; row < m_entries.size(); ++row) {
        Entry& e = m_entries[row];
        if (BenchmarkListModel::datasetKey(e.spec) != datasetKey)
            continue;
        e.samples = samples;
        e.format = format;
        e.error = error;
        Q_EMIT dataChanged(index(row, 0), index(row, NUM_COLUMNS - 1));
    }
}

const BenchmarkListModel::Entry* BenchmarkListModel::entry(int row) const
{
    return row >= 0 && row < m_entries.size() ? &m_entries[row] : nullptr;
}

int BenchmarkListModel::rowOfWorkspaceIndex(int workspaceIndex) const
{
    for (int row = 0; row < m_entries.size(); ++row) {
        if (m_entries[row].workspaceIndex == workspaceIndex)
            return row;
    }
    return -1;
}

int BenchmarkListModel::rowOfBundled(const QString& dataset) const
{
    for (int row = 0; row < m_entries.size(); ++row) {
        if (m_entries[row].workspaceIndex < 0 && m_entries[row].spec.dataset == dataset)
            return row;
    }
    return -1;
}

int BenchmarkListModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : int(m_entries.size());
}

int BenchmarkListModel::columnCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : NUM_COLUMNS;
}

QVariant BenchmarkListModel::data(const QModelIndex& index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const Entry& e = m_entries[index.row()];
    const bool bundled = e.spec.dataset.startsWith(u"builtin:"_s);
    switch (role) {
    case Qt::DisplayRole:
        switch (index.column()) {
        case Name:
            return e.spec.id;
        case Origin:
            if (e.workspaceIndex < 0)
                return tr("bundled (not in workspace)");
            return bundled ? tr("bundled") : tr("imported");
        case Samples:
            if (!e.error.isEmpty())
                return tr("unreadable");
            return e.samples < 0 ? tr("…") : QLocale().toString(e.samples);
        case Format:
            return e.format;
        case Scorer:
            return e.spec.scorer.type;
        }
        return {};
    case Qt::ToolTipRole:
        if (!e.error.isEmpty())
            return e.error;
        return e.spec.dataset;
    case Qt::TextAlignmentRole:
        return index.column() == Samples ? QVariant(Qt::AlignRight | Qt::AlignVCenter) : QVariant();
    case WorkspaceIndexRole:
        return e.workspaceIndex;
    case BundledRole:
        return bundled;
    case DatasetKeyRole:
        return datasetKey(e.spec);
    case SampleCountRole:
        return e.samples;
    }
    return {};
}

QVariant BenchmarkListModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || section < 0 || section >= NUM_COLUMNS)
        return {};
    if (role == Qt::DisplayRole) {
        static const char* const names[] = { "Benchmark", "Origin", "Samples", "Format", "Scorer" };
        return tr(names[section]);
    }
    if (role == Qt::ToolTipRole) {
        static const char* const tips[]
            = { "The benchmark's id in the workspace", "Bundled with the application or imported from a file",
                  "Good samples the dataset yields (its limit applied); bad records are not counted",
                  "How the dataset file is read (jsonl, json, csv, tsv, mmlu_csv)", "How each answer is scored" };
        return tr(tips[section]);
    }
    return {};
}

} // namespace evs
