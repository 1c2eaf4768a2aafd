#pragma once

#include "models/core/benchmarkspec.h"

#include <QAbstractTableModel>
#include <QVector>

namespace evs {

// The benchmarks page's table: the workspace's benchmarks, then the bundled datasets the workspace does not use
// yet. Sample counts and formats are filled in later (they need a read of each dataset, done off the GUI thread).
class BenchmarkListModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Columns { Name, Origin, Samples, Format, Scorer, NUM_COLUMNS };
    enum Roles { WorkspaceIndexRole = Qt::UserRole, BundledRole, DatasetKeyRole, SampleCountRole };

    struct Entry {
        BenchmarkSpec spec;
        int workspaceIndex = -1; // -1: a bundled dataset not in the workspace
        qint64 samples = -1; // -1 while unknown
        QString format = {};
        QString error = {}; // the dataset cannot be read
    };

    explicit BenchmarkListModel(QObject* parent = nullptr);

    void setEntries(const QVector<Entry>& entries);
    // A dataset's facts, read in the background; every row reading the same dataset the same way is updated.
    void setDatasetFacts(const QString& datasetKey, qint64 samples, const QString& format, const QString& error);
    const Entry* entry(int row) const;
    int rowOfWorkspaceIndex(int workspaceIndex) const;
    int rowOfBundled(const QString& dataset) const;

    // Identifies a dataset read (dataset, format, mapping, limit): rows with equal keys have equal counts.
    static QString datasetKey(const BenchmarkSpec& spec);

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    QVector<Entry> m_entries;
};

} // namespace evs
