#pragma once

#include "ui/comparesummarymodel.h"

#include <QAbstractTableModel>
#include <QPalette>

namespace evs {

// Models (sides) × benchmarks, each cell the mean score, its background coloured from red (0) through amber to
// green (1) in tints that keep the palette's text readable, light or dark.
class CompareMatrixModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Roles { ScoreRole = Qt::UserRole }; // double, NaN when the side has no score on the benchmark

    explicit CompareMatrixModel(QObject* parent = nullptr);
    void setComparison(const ComparisonPtr& comparison);
    void setPalette(const QPalette& palette);
    static QColor scoreColor(double score, const QPalette& palette);

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    ComparisonPtr m_comparison;
    QPalette m_palette;
};

} // namespace evs
