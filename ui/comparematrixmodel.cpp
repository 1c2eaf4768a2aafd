#include "ui/comparematrixmodel.h"

#include <QColor>

#include <algorithm>
#include <cmath>

using namespace Qt::StringLiterals;

namespace evs {

CompareMatrixModel::CompareMatrixModel(QObject* parent)
    : QAbstractTableModel(parent)
{
}

void CompareMatrixModel::setComparison(const ComparisonPtr& comparison)
{
    beginResetModel();
    m_comparison = comparison;
    endResetModel();
}

void CompareMatrixModel::setPalette(const QPalette& palette)
{
    m_palette = palette;
    if (rowCount() > 0 && columnCount() > 0)
        Q_EMIT dataChanged(
            index(0, 0), index(rowCount() - 1, columnCount() - 1), { Qt::BackgroundRole, Qt::ForegroundRole });
}

QColor CompareMatrixModel::scoreColor(double score, const QPalette& palette)
{
    // Hue 0 (red) to 120 (green); pale tints under dark text, deep ones under light text.
    const bool dark = palette.color(QPalette::Base).lightness() < 128;
    const double s = std::clamp(score, 0.0, 1.0);
    return QColor::fromHslF(float(s * 120.0 / 360.0), dark ? 0.45f : 0.60f, dark ? 0.28f : 0.80f);
}

int CompareMatrixModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() || !m_comparison ? 0 : int(m_comparison->sides.size());
}

int CompareMatrixModel::columnCount(const QModelIndex& parent) const
{
    return parent.isValid() || !m_comparison ? 0 : int(m_comparison->benchmarks.size());
}

QVariant CompareMatrixModel::data(const QModelIndex& index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const SideFigures& f = m_comparison->benchmarks[index.column()].sides[index.row()];
    const bool has = f.present && f.summary.scored > 0;
    const double score = has ? f.summary.scoreMean : std::nan("");
    switch (role) {
    case Qt::DisplayRole:
        return has ? u"%1\n[%2, %3]"_s.arg(QString::number(score, 'f', 3),
                   QString::number(f.summary.scoreCiLow, 'f', 2), QString::number(f.summary.scoreCiHigh, 'f', 2))
                   : (f.present ? tr("not scored") : tr("—"));
    case ScoreRole:
        return score;
    case Qt::BackgroundRole:
        return has ? QVariant(scoreColor(score, m_palette)) : QVariant();
    case Qt::ForegroundRole:
        return has ? QVariant(m_palette.color(QPalette::Text)) : QVariant();
    case Qt::TextAlignmentRole:
        return Qt::AlignCenter;
    case Qt::ToolTipRole:
        return has
            ? tr("%1 on %2: mean score %3 over %4 scored samples, 95 % CI [%5, %6] (%7)")
                  .arg(m_comparison->sides[index.row()].label(), m_comparison->benchmarks[index.column()].benchmarkId)
                  .arg(score, 0, 'f', 4)
                  .arg(f.summary.scored)
                  .arg(f.summary.scoreCiLow, 0, 'f', 4)
                  .arg(f.summary.scoreCiHigh, 0, 'f', 4)
                  .arg(f.summary.ciMethod)
            : QVariant();
    default:
        return {};
    }
}

QVariant CompareMatrixModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (role != Qt::DisplayRole || !m_comparison)
        return QAbstractTableModel::headerData(section, orientation, role);
    if (orientation == Qt::Horizontal)
        return section >= 0 && section < m_comparison->benchmarks.size()
            ? QVariant(m_comparison->benchmarks[section].benchmarkId)
            : QVariant();
    return section >= 0 && section < m_comparison->sides.size() ? QVariant(m_comparison->sides[section].label())
                                                                : QVariant();
}

} // namespace evs
