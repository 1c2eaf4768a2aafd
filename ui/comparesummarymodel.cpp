#include "ui/comparesummarymodel.h"

#include "models/core/metricdefinitions.h"

#include <QColor>
#include <QFont>

#include <cmath>

using namespace Qt::StringLiterals;

namespace evs {

namespace {

QString num(double v, int decimals)
{
    return std::isfinite(v) ? QString::number(v, 'f', decimals) : kAbsentFigure.toString();
}

QString signedNum(double v, int decimals)
{
    return std::isfinite(v) ? (v >= 0 ? u"+"_s : QString()) + QString::number(v, 'f', decimals)
                            : kAbsentFigure.toString();
}

int msDecimals(double v)
{
    return std::abs(v) < 10 ? 2 : (std::abs(v) < 1000 ? 1 : 0);
}

// "120.3 (+12.1 [+3.0, +20.5])": a latency with its difference and the bootstrap CI of that difference.
QString withDiff(double v, const stats::PercentileDifference* d)
{
    QString s = num(v, msDecimals(v));
    if (d && std::isfinite(d->diff)) {
        const int dec = msDecimals(d->diff);
        s += u" ("_s + signedNum(d->diff, dec) + u" ["_s + signedNum(d->ciLow, dec) + u", "_s
            + signedNum(d->ciHigh, dec) + u"])"_s;
    }
    return s;
}

} // namespace

CompareSummaryModel::CompareSummaryModel(QObject* parent)
    : QAbstractTableModel(parent)
{
}

void CompareSummaryModel::setComparison(const ComparisonPtr& comparison)
{
    beginResetModel();
    m_comparison = comparison;
    m_rows.clear();
    if (m_comparison) {
        for (int b = 0; b < m_comparison->benchmarks.size(); ++b) {
            for (int s = 0; s < m_comparison->sides.size(); ++s) {
                if (m_comparison->benchmarks[b].sides[s].present)
                    m_rows.append({ b, s });
            }
        }
    }
    endResetModel();
}

int CompareSummaryModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int CompareSummaryModel::columnCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : NUM_COLUMNS;
}

QVariant CompareSummaryModel::data(const QModelIndex& index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid) || !m_comparison)
        return {};
    const Row& row = m_rows[index.row()];
    const Comparison& c = *m_comparison;
    const BenchmarkComparison& b = c.benchmarks[row.benchmark];
    const SideFigures& f = b.sides[row.side];
    const PairSummary& p = f.summary;
    const bool isBaseline = row.side == c.baseline;
    const PairedComparison* pc = !isBaseline && b.sides[c.baseline].present ? &b.vsBaseline[row.side] : nullptr;
    const bool significant = pc && pc->shared > 0 && pc->pValue < 0.05;
    const double nan = std::nan("");
    auto pdiff = [](const QVector<stats::PercentileDifference>& v, int k) { return v.size() > k ? &v[k] : nullptr; };

    if (role == BaselineRole)
        return isBaseline;
    if (role == SignificantRole)
        return significant;
    if (role == Qt::FontRole && (isBaseline || (significant && index.column() == SignificanceColumn))) {
        QFont font;
        font.setBold(true);
        return font;
    }
    if (role == Qt::TextAlignmentRole)
        return index.column() <= SideColumn ? QVariant(Qt::AlignLeft | Qt::AlignVCenter)
                                            : QVariant(Qt::AlignRight | Qt::AlignVCenter);
    if (role == Qt::ToolTipRole) {
        switch (index.column()) {
        case ScoreColumn:
            return tr("Mean score with its 95 % confidence interval (Wilson for pass/fail, bootstrap otherwise).");
        case ScoreDiffColumn:
            return tr("Mean score difference to the baseline on the samples both scored (same sample and repeat), "
                      "with its paired-bootstrap 95 % interval.");
        case SignificanceColumn:
            return tr("Two-sided p-value: McNemar's exact test for pass/fail scores, paired bootstrap otherwise. "
                      "Bold: p < 0.05.");
        case SharedColumn:
            return tr("Samples scored on both sides; in brackets those scored on one side only (not compared).");
        case DisagreementsColumn:
            return tr("Shared samples where exactly one side got full credit: baseline right / this side right.");
        case LatencyP50Column:
        case LatencyP95Column:
        case LatencyP99Column:
            return tr("End-to-end latency (last token − send), exact percentile; in brackets the difference to the "
                      "baseline with a bootstrap 95 % interval (each side resampled).");
        case TtftP50Column:
            return tr("Time to first token (first non-empty delta − send), median, with its difference.");
        case ErrorRateColumn:
            return tr("Failed requests / finished requests.");
        case TokensPerSColumn:
            return tr("Output tokens per second over the pair's measured span.");
        case CostColumn:
            return tr("Cost from the plan's prices per 1M input/output tokens (cached responses are free).");
        default:
            return {};
        }
    }
    if (role != Qt::DisplayRole && role != SortValueRole)
        return {};
    const bool sort = role == SortValueRole;
    switch (index.column()) {
    case BenchmarkColumn:
        return b.benchmarkId;
    case SideColumn:
        return QString(c.sides[row.side].label() + (isBaseline && !sort ? tr(" (baseline)") : QString()));
    case ScoreColumn:
        if (sort)
            return p.scored ? p.scoreMean : nan;
        return p.scored ? u"%1 [%2, %3]"_s.arg(num(p.scoreMean, 3), num(p.scoreCiLow, 3), num(p.scoreCiHigh, 3))
                        : tr("not scored");
    case ScoreDiffColumn:
        if (sort)
            return pc && pc->shared ? pc->scoreDiff.meanDiff : nan;
        if (isBaseline)
            return tr("baseline");
        return pc && pc->shared ? u"%1 [%2, %3]"_s.arg(signedNum(pc->scoreDiff.meanDiff, 3),
                   signedNum(pc->scoreDiff.ciLow, 3), signedNum(pc->scoreDiff.ciHigh, 3))
                                : kAbsentFigure.toString();
    case SignificanceColumn:
        if (sort)
            return pc && pc->shared ? pc->pValue : nan;
        if (!pc || !pc->shared)
            return isBaseline ? tr("baseline") : kAbsentFigure.toString();
        return u"p = %1 (%2)"_s.arg(pc->pValue < 1e-4 ? u"< 0.0001"_s : QString::number(pc->pValue, 'g', 3),
            pc->test == u"mcnemar_exact"_s ? tr("McNemar") : tr("bootstrap"));
    case SharedColumn:
        if (sort)
            return pc ? double(pc->shared) : nan;
        return pc ? u"%1 (%2 / %3 not shared)"_s.arg(pc->shared).arg(pc->onlyBaseline).arg(pc->onlySide)
                  : kAbsentFigure.toString();
    case DisagreementsColumn:
        if (sort)
            return pc ? double(pc->disagreements()) : nan;
        return pc ? u"%1 (%2 / %3)"_s.arg(pc->disagreements()).arg(pc->baselineOnlyRight).arg(pc->sideOnlyRight)
                  : kAbsentFigure.toString();
    case LatencyP50Column:
    case LatencyP95Column:
    case LatencyP99Column: {
        const int k = index.column() - LatencyP50Column;
        const double v = k == 0 ? p.latencyMs.p50 : (k == 1 ? p.latencyMs.p95 : p.latencyMs.p99);
        if (p.latencyMs.n == 0)
            return sort ? QVariant(nan) : QVariant(kAbsentFigure.toString());
        return sort ? QVariant(v) : QVariant(withDiff(v, pc ? pdiff(pc->latencyMs, k) : nullptr));
    }
    case TtftP50Column:
        if (p.ttftMs.n == 0)
            return sort ? QVariant(nan) : QVariant(kAbsentFigure.toString());
        return sort ? QVariant(p.ttftMs.p50) : QVariant(withDiff(p.ttftMs.p50, pc ? pdiff(pc->ttftMs, 0) : nullptr));
    case ErrorRateColumn: {
        if (sort)
            return f.errorRate;
        QString s = num(100 * f.errorRate, 2) + u" %"_s;
        if (pc)
            s += u" ("_s + signedNum(100 * (f.errorRate - b.sides[c.baseline].errorRate), 2) + u")"_s;
        return s;
    }
    case TokensPerSColumn: {
        if (sort)
            return p.outputTokensPerS;
        QString s = num(p.outputTokensPerS, 1);
        if (pc)
            s += u" ("_s + signedNum(p.outputTokensPerS - b.sides[c.baseline].summary.outputTokensPerS, 1) + u")"_s;
        return s;
    }
    case CostColumn: {
        if (sort)
            return p.costUsd;
        QString s = u"$"_s + num(p.costUsd, 4);
        if (pc)
            s += u" ("_s + signedNum(p.costUsd - b.sides[c.baseline].summary.costUsd, 4) + u")"_s;
        return s;
    }
    default:
        return {};
    }
}

QVariant CompareSummaryModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole || section < 0 || section >= NUM_COLUMNS)
        return QAbstractTableModel::headerData(section, orientation, role);
    static const char* const names[NUM_COLUMNS] = { QT_TR_NOOP("Benchmark"), QT_TR_NOOP("Side"),
        QT_TR_NOOP("Score [95% CI]"), QT_TR_NOOP("Δ score [95% CI]"), QT_TR_NOOP("Significance"), QT_TR_NOOP("Shared"),
        QT_TR_NOOP("Disagreements"), QT_TR_NOOP("p50 ms (Δ [CI])"), QT_TR_NOOP("p95 ms (Δ [CI])"),
        QT_TR_NOOP("p99 ms (Δ [CI])"), QT_TR_NOOP("TTFT p50 ms (Δ [CI])"), QT_TR_NOOP("Errors (Δ)"),
        QT_TR_NOOP("Tokens/s (Δ)"), QT_TR_NOOP("Cost (Δ)") };
    return tr(names[section]);
}

} // namespace evs
