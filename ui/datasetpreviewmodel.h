#pragma once

#include "models/core/sample.h"

#include <QAbstractTableModel>
#include <QJsonObject>
#include <QStringList>
#include <QVector>

namespace evs {

// The import wizard's preview: the first records of a dataset as read, one column per record key; a column's
// header names the sample field it is mapped to ("question → input").
class DatasetPreviewModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Roles { RecordKeyRole = Qt::UserRole, MappedFieldRole };

    explicit DatasetPreviewModel(QObject* parent = nullptr);

    // mapping: field -> key or array of keys (RecordMapper::describe's shape).
    void setPreview(const QStringList& keys, const QVector<Sample>& rows, const QJsonObject& mapping);
    void clear();

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    QString fieldOf(const QString& key) const;

    QStringList m_keys;
    QVector<QJsonObject> m_rows;
    QJsonObject m_mapping;
};

} // namespace evs
