#pragma once

#include "models/stats/comparison.h"

#include <QAbstractTableModel>

#include <memory>

namespace evs {

using ComparisonPtr = std::shared_ptr<const Comparison>;

// The summary of a comparison: one row per benchmark and side, each figure with its difference to the baseline and
// the significance of the score difference.
class CompareSummaryModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Columns {
        BenchmarkColumn,
        SideColumn,
        ScoreColumn,
        ScoreDiffColumn,
        SignificanceColumn,
        SharedColumn,
        DisagreementsColumn,
        LatencyP50Column,
        LatencyP95Column,
        LatencyP99Column,
        TtftP50Column,
        ErrorRateColumn,
        TokensPerSColumn,
        CostColumn,
        NUM_COLUMNS
    };
    enum Roles {
        SortValueRole = Qt::UserRole, // the number behind a cell (NaN for none)
        SignificantRole, // bool: p < 0.05 on the score difference
        BaselineRole, // bool: the row is the baseline's
    };

    explicit CompareSummaryModel(QObject* parent = nullptr);
    void setComparison(const ComparisonPtr& comparison);
    const Comparison* comparison() const { return m_comparison.get(); }

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    struct Row {
        int benchmark;
        int side;
    };
    ComparisonPtr m_comparison;
    QVector<Row> m_rows;
};

} // namespace evs
