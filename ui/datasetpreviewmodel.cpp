#include "ui/datasetpreviewmodel.h"

#include <QJsonArray>
#include <QJsonDocument>

using namespace Qt::StringLiterals;

namespace evs {

namespace {

constexpr int kMaxCellChars = 160;

QString valueText(const QJsonValue& v)
{
    switch (v.type()) {
    case QJsonValue::String:
        return v.toString();
    case QJsonValue::Double:
        return QString::number(v.toDouble(), 'g', 15);
    case QJsonValue::Bool:
        return v.toBool() ? u"true"_s : u"false"_s;
    case QJsonValue::Null:
        return u"null"_s;
    case QJsonValue::Array:
        return QString::fromUtf8(QJsonDocument(v.toArray()).toJson(QJsonDocument::Compact));
    case QJsonValue::Object:
        return QString::fromUtf8(QJsonDocument(v.toObject()).toJson(QJsonDocument::Compact));
    case QJsonValue::Undefined:
        break;
    }
    return {};
}

} // namespace

DatasetPreviewModel::DatasetPreviewModel(QObject* parent)
    : QAbstractTableModel(parent)
{
}

void DatasetPreviewModel::setPreview(const QStringList& keys, const QVector<Sample>& rows, const QJsonObject& mapping)
{
    beginResetModel();
    m_mapping = mapping;
    // Mapped keys first, in the order of the sample's fields; the rest as the file has them.
    m_keys.clear();
    for (const QString& field : { u"input"_s, u"choices"_s, u"target"_s, u"id"_s, u"category"_s }) {
        const QJsonValue v = mapping.value(field);
        for (const QString& key : v.isArray() ? v.toVariant().toStringList() : QStringList { v.toString() }) {
            if (keys.contains(key) && !m_keys.contains(key))
                m_keys << key;
        }
    }
    for (const QString& key : keys) {
        if (!m_keys.contains(key))
            m_keys << key;
    }
    m_rows.clear();
    m_rows.reserve(rows.size());
    for (const Sample& s : rows)
        m_rows << s.record;
    endResetModel();
}

void DatasetPreviewModel::clear()
{
    setPreview({}, {}, {});
}

QString DatasetPreviewModel::fieldOf(const QString& key) const
{
    for (auto it = m_mapping.begin(); it != m_mapping.end(); ++it) {
        if (it.key() == u"metadata"_s)
            continue;
        if ((it->isString() && it->toString() == key) || (it->isArray() && it->toArray().contains(key)))
            return it.key();
    }
    return {};
}

int DatasetPreviewModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int DatasetPreviewModel::columnCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : int(m_keys.size());
}

QVariant DatasetPreviewModel::data(const QModelIndex& index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const QString& key = m_keys[index.column()];
    const QJsonValue v = m_rows[index.row()].value(key);
    switch (role) {
    case Qt::DisplayRole: {
        QString text = valueText(v);
        text.replace(u'\n', u' ');
        if (text.size() > kMaxCellChars)
            text = text.left(kMaxCellChars) + u'…';
        return text;
    }
    case Qt::ToolTipRole:
        return valueText(v).left(4000);
    case RecordKeyRole:
        return key;
    case MappedFieldRole:
        return fieldOf(key);
    }
    return {};
}

QVariant DatasetPreviewModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation == Qt::Vertical) {
        if (role == Qt::DisplayRole && section >= 0 && section < m_rows.size())
            return section + 1;
        return {};
    }
    if (section < 0 || section >= m_keys.size())
        return {};
    const QString& key = m_keys[section];
    const QString field = fieldOf(key);
    if (role == Qt::DisplayRole)
        return field.isEmpty() ? key : key + u" → "_s + field;
    if (role == Qt::ToolTipRole)
        return field.isEmpty() ? tr("Record key \"%1\": not mapped (kept as metadata)").arg(key)
                               : tr("Record key \"%1\" is read as the sample's %2").arg(key, field);
    return {};
}

} // namespace evs
