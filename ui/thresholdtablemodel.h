#pragma once

#include <QAbstractTableModel>
#include <QJsonArray>
#include <QPalette>
#include <QVector>

namespace evs {

// A run's thresholds as evaluated at its end (the "thresholds" array of its saved summary), one row per threshold
// and model x benchmark pair. The result column says PASS or FAIL in words and in a tint that keeps the palette's
// text readable, light or dark. Fed in one call with setThresholds().
class ThresholdTableModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Columns {
        MetricColumn,
        OpColumn,
        ValueColumn,
        ModelColumn,
        BenchmarkColumn,
        ActualColumn,
        ResultColumn,
        NUM_COLUMNS
    };
    enum Roles {
        PassedRole = Qt::UserRole, // bool
        ActualRole, // double, NaN when the pair had no data
        ValueRole, // double, the threshold's bound
    };

    explicit ThresholdTableModel(QObject* parent = nullptr);

    void setThresholds(const QJsonArray& thresholds);
    void setPalette(const QPalette& palette);
    static QColor resultColor(bool passed, const QPalette& palette);

    int passedCount() const;
    int failedCount() const { return int(m_rows.size()) - passedCount(); }

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    struct Row {
        QString metric;
        QString op;
        double value = 0;
        QString model;
        QString benchmark;
        double actual = 0;
        bool passed = false;
    };
    QVector<Row> m_rows;
    QPalette m_palette;
};

} // namespace evs
