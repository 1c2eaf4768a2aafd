#pragma once

#include "models/store/resultsstore.h"

#include <QAbstractTableModel>

namespace evs {

// The runs kept in the results store, newest first, for the pages that pick runs (compare, reports). Reads the
// store's run table only (one row per run, never their samples).
class StoredRunsModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Columns {
        IdColumn,
        NameColumn,
        StatusColumn,
        StartedColumn,
        ModelsColumn,
        BenchmarksColumn,
        RecordsColumn,
        ScoreColumn,
        NUM_COLUMNS
    };
    enum Roles { RunIdRole = Qt::UserRole };

    explicit StoredRunsModel(QObject* parent = nullptr);

    // Re-reads the store at path; false with error when it cannot be opened (the model is then empty).
    bool reload(const QString& databasePath, QString* error = nullptr);
    void setRuns(const QVector<RunInfo>& runs);

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    struct Row {
        RunInfo info;
        QStringList models;
        QStringList benchmarks;
        double score = -1; // mean over scored samples of all pairs; -1 = none yet
    };
    QVector<Row> m_rows;
};

} // namespace evs
