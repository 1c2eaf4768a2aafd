#include "ui/thresholdtablemodel.h"

#include "models/core/metricdefinitions.h"

#include <QColor>
#include <QFont>
#include <QJsonObject>

#include <algorithm>
#include <cmath>

using namespace Qt::StringLiterals;

namespace evs {

namespace {

QString number(double v)
{
    // Bounds are written by people (500, 0.1): shown as written, without padding zeros.
    return std::isnan(v) ? QString() : QString::number(v, 'g', 6);
}

} // namespace

ThresholdTableModel::ThresholdTableModel(QObject* parent)
    : QAbstractTableModel(parent)
{
}

void ThresholdTableModel::setThresholds(const QJsonArray& thresholds)
{
    beginResetModel();
    m_rows.clear();
    m_rows.reserve(thresholds.size());
    for (const QJsonValue& v : thresholds) {
        const QJsonObject o = v.toObject();
        Row r;
        r.metric = o.value(u"metric"_s).toString();
        r.op = o.value(u"op"_s).toString();
        r.value = o.value(u"value"_s).toDouble();
        r.model = o.value(u"model"_s).toString();
        r.benchmark = o.value(u"benchmark"_s).toString();
        // null = the pair had no data for the metric (and then it failed)
        r.actual = o.value(u"actual"_s).isDouble() ? o.value(u"actual"_s).toDouble() : std::nan("");
        r.passed = o.value(u"passed"_s).toBool();
        m_rows.append(r);
    }
    endResetModel();
}

void ThresholdTableModel::setPalette(const QPalette& palette)
{
    m_palette = palette;
    if (!m_rows.isEmpty())
        Q_EMIT dataChanged(
            index(0, 0), index(rowCount() - 1, NUM_COLUMNS - 1), { Qt::BackgroundRole, Qt::ForegroundRole });
}

QColor ThresholdTableModel::resultColor(bool passed, const QPalette& palette)
{
    // Green or red; pale tints under dark text, deep ones under light text.
    const bool dark = palette.color(QPalette::Base).lightness() < 128;
    return QColor::fromHslF(passed ? 120.0f / 360.0f : 0.0f, dark ? 0.50f : 0.65f, dark ? 0.27f : 0.82f);
}

int ThresholdTableModel::passedCount() const
{
    return int(std::count_if(m_rows.cbegin(), m_rows.cend(), [](const Row& r) { return r.passed; }));
}

int ThresholdTableModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int ThresholdTableModel::columnCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : NUM_COLUMNS;
}

QVariant ThresholdTableModel::data(const QModelIndex& index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const Row& r = m_rows[index.row()];
    switch (role) {
    case Qt::DisplayRole:
        switch (index.column()) {
        case MetricColumn:
            return r.metric;
        case OpColumn:
            return r.op;
        case ValueColumn:
            return number(r.value);
        case ModelColumn:
            return r.model;
        case BenchmarkColumn:
            return r.benchmark;
        case ActualColumn:
            return std::isnan(r.actual) ? kAbsentFigure.toString() : number(r.actual);
        case ResultColumn:
            // Words and a mark, so the result does not rest on colour alone.
            return r.passed ? tr("✔ PASS") : tr("✘ FAIL");
        }
        return {};
    case PassedRole:
        return r.passed;
    case ActualRole:
        return r.actual;
    case ValueRole:
        return r.value;
    case Qt::BackgroundRole:
        return index.column() == ResultColumn ? QVariant(resultColor(r.passed, m_palette)) : QVariant();
    case Qt::ForegroundRole:
        return index.column() == ResultColumn ? QVariant(m_palette.color(QPalette::Text)) : QVariant();
    case Qt::FontRole:
        if (index.column() == ResultColumn) {
            QFont f;
            f.setBold(true);
            return f;
        }
        return {};
    case Qt::TextAlignmentRole:
        if (index.column() == ValueColumn || index.column() == ActualColumn)
            return QVariant(Qt::AlignRight | Qt::AlignVCenter);
        if (index.column() == OpColumn || index.column() == ResultColumn)
            return QVariant(Qt::AlignCenter);
        return QVariant(Qt::AlignLeft | Qt::AlignVCenter);
    case Qt::ToolTipRole:
        return tr("%1 %2 %3 for %4 / %5: measured %6 (%7)")
            .arg(r.metric, r.op, number(r.value), r.model, r.benchmark,
                std::isnan(r.actual) ? tr("no data") : number(r.actual), r.passed ? tr("passed") : tr("failed"));
    default:
        return {};
    }
}

QVariant ThresholdTableModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole || section < 0 || section >= NUM_COLUMNS)
        return {};
    static const char* const names[NUM_COLUMNS] = { QT_TR_NOOP("Metric"), QT_TR_NOOP("Op"), QT_TR_NOOP("Threshold"),
        QT_TR_NOOP("Model"), QT_TR_NOOP("Benchmark"), QT_TR_NOOP("Actual"), QT_TR_NOOP("Result") };
    return tr(names[section]);
}

} // namespace evs
