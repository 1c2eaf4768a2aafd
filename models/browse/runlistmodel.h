#pragma once

#include "models/store/resultsstore.h"

#include <QAbstractTableModel>

namespace evs {

// The stored runs, newest first, as the Runs, Compare and Reports pages list them (ui/runtable.h): id, name, status,
// models, benchmarks, date, n, score and p95 from the run's saved summary (a running or interrupted run shows what
// is known: its stored records). Fed in one call with setRuns(); a page hides the columns it does not need.
class RunListModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Columns {
        IdColumn,
        NameColumn,
        StatusColumn,
        ModelsColumn,
        BenchmarksColumn,
        StartedColumn,
        SamplesColumn,
        ScoreColumn,
        LatencyP95Column,
        NUM_COLUMNS
    };
    enum Roles {
        RunIdRole = Qt::UserRole, // qint64
        StatusRole, // int (RunStatus)
        SamplesRole, // qint64, stored records
        ScoreRole, // double, invalid without a summary or scores
        LatencyP95MsRole, // double, invalid without a summary
    };

    // What a run's row shows, derived once from its RunInfo.
    struct Row {
        RunInfo info;
        QStringList models;
        QStringList benchmarks;
        double score = qQNaN(); // mean over every pair's scored samples
        double latencyP95Ms = qQNaN(); // the slowest pair's p95
        QString summaryTip; // one line per pair
        bool active = false;
    };

    explicit RunListModel(QObject* parent = nullptr);

    void setRuns(const QVector<RunInfo>& runs);
    void setActiveRunId(qint64 runId); // shown as live; 0 = none
    qint64 activeRunId() const { return m_activeRunId; }

    int rowOfRun(qint64 runId) const; // -1 when absent
    const Row* runAt(int row) const;
    static Row makeRow(const RunInfo& info);

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    QVector<Row> m_rows;
    qint64 m_activeRunId = 0;
};

} // namespace evs
