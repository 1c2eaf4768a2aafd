#include "ui/comparedisagreementmodel.h"

using namespace Qt::StringLiterals;

namespace evs {

namespace {

QString oneLine(const QString& s)
{
    QString line = s.simplified();
    return line.size() > 160 ? line.left(160) + u"…"_s : line;
}

} // namespace

CompareDisagreementModel::CompareDisagreementModel(QObject* parent)
    : QAbstractTableModel(parent)
{
}

CompareDisagreementModel::~CompareDisagreementModel() = default;

bool CompareDisagreementModel::setSource(
    const QString& databasePath, const DisagreementPair& pair, qint64 total, QString* error)
{
    beginResetModel();
    m_rows.clear();
    m_pair = pair;
    m_exhausted = false;
    const qint64 oldTotal = m_total;
    m_total = databasePath.isEmpty() ? 0 : total;
    if (databasePath != m_path || !m_store) {
        m_store.reset();
        m_path = databasePath;
        if (!databasePath.isEmpty()) {
            auto store = std::make_unique<ResultsStore>();
            QString why;
            if (store->open(databasePath, &why)) {
                m_store = std::move(store);
            } else {
                m_total = 0;
                if (error)
                    *error = why;
            }
        }
    }
    // The first page goes in with the reset: a view asks for more while the reset is signalled, and rows inserted
    // from there would nest inside it.
    if (m_store && m_total > 0) {
        QString why;
        const auto page = disagreementPage(*m_store, m_pair, -1, -1, kPageSize, &why);
        if (page)
            m_rows = *page;
        m_exhausted = !page || page->size() < kPageSize;
    }
    endResetModel();
    if (m_total != oldTotal)
        Q_EMIT totalCountChanged(m_total);
    return m_store != nullptr || databasePath.isEmpty();
}

void CompareDisagreementModel::clear()
{
    setSource({}, {}, 0);
}

const Disagreement* CompareDisagreementModel::disagreement(int row) const
{
    return row >= 0 && row < m_rows.size() ? &m_rows[row] : nullptr;
}

int CompareDisagreementModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int CompareDisagreementModel::columnCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : NUM_COLUMNS;
}

bool CompareDisagreementModel::canFetchMore(const QModelIndex& parent) const
{
    return !parent.isValid() && m_store && !m_exhausted && m_rows.size() < m_total;
}

void CompareDisagreementModel::fetchMore(const QModelIndex& parent)
{
    if (!canFetchMore(parent))
        return;
    // One keyset page on the unique (run, model, benchmark, sample, repeat) index: a few milliseconds.
    const qint64 afterSample = m_rows.isEmpty() ? -1 : m_rows.constLast().sampleIndex;
    const int afterRepeat = m_rows.isEmpty() ? -1 : m_rows.constLast().repeat;
    QString error;
    const auto page = disagreementPage(*m_store, m_pair, afterSample, afterRepeat, kPageSize, &error);
    if (!page || page->isEmpty()) {
        m_exhausted = true;
        return;
    }
    beginInsertRows({}, int(m_rows.size()), int(m_rows.size() + page->size() - 1));
    m_rows += *page;
    endInsertRows();
    if (page->size() < kPageSize)
        m_exhausted = true;
}

QVariant CompareDisagreementModel::data(const QModelIndex& index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const Disagreement& d = m_rows[index.row()];
    if (role == SampleIndexRole)
        return d.sampleIndex;
    if (role == RepeatRole)
        return d.repeat;
    if (role == Qt::TextAlignmentRole)
        return index.column() == BaselineScoreColumn || index.column() == SideScoreColumn
            ? QVariant(Qt::AlignRight | Qt::AlignVCenter)
            : QVariant(Qt::AlignLeft | Qt::AlignVCenter);
    if (role != Qt::DisplayRole && role != Qt::ToolTipRole)
        return {};
    switch (index.column()) {
    case SampleColumn: {
        const QString id = d.sampleId.isEmpty() ? QString::number(d.sampleIndex) : d.sampleId;
        return d.repeat > 0 ? u"%1 (repeat %2)"_s.arg(id).arg(d.repeat) : id;
    }
    case ExpectedColumn:
        return role == Qt::ToolTipRole ? d.expected : oneLine(d.expected);
    case BaselineScoreColumn:
        return QString::number(d.baseScore, 'g', 4);
    case BaselineResponseColumn:
        return role == Qt::ToolTipRole ? QVariant() : QVariant(oneLine(d.baseResponse));
    case SideScoreColumn:
        return QString::number(d.otherScore, 'g', 4);
    case SideResponseColumn:
        return role == Qt::ToolTipRole ? QVariant() : QVariant(oneLine(d.otherResponse));
    default:
        return {};
    }
}

QVariant CompareDisagreementModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole || section < 0 || section >= NUM_COLUMNS)
        return QAbstractTableModel::headerData(section, orientation, role);
    static const char* const names[NUM_COLUMNS]
        = { QT_TR_NOOP("Sample"), QT_TR_NOOP("Expected"), QT_TR_NOOP("Baseline score"), QT_TR_NOOP("Baseline response"),
              QT_TR_NOOP("Side score"), QT_TR_NOOP("Side response") };
    return tr(names[section]);
}

} // namespace evs
