#pragma once

#include <QAbstractListModel>

namespace evs {

class Workspace;

// The workspace's models for the models page's list: the id, with provider and server model as a second line.
class ModelListModel : public QAbstractListModel {
    Q_OBJECT
public:
    enum Roles { ProviderRole = Qt::UserRole, ModelIdRole, BaseUrlRole };

    explicit ModelListModel(Workspace* workspace, QObject* parent = nullptr);

    int rowCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;

private:
    void reload();
    Workspace* m_workspace;
    int m_rows = 0;
};

} // namespace evs
