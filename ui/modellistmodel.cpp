#include "ui/modellistmodel.h"

#include "ui/workspace.h"

using namespace Qt::StringLiterals;

namespace evs {

ModelListModel::ModelListModel(Workspace* workspace, QObject* parent)
    : QAbstractListModel(parent)
    , m_workspace(workspace)
    , m_rows(int(workspace->models().size()))
{
    connect(workspace, &Workspace::modelsChanged, this, &ModelListModel::reload);
}

void ModelListModel::reload()
{
    // Edits change one row at a time, but a plan import may replace many: a reset keeps this simple and the list
    // is short.
    beginResetModel();
    m_rows = int(m_workspace->models().size());
    endResetModel();
}

int ModelListModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : m_rows;
}

QVariant ModelListModel::data(const QModelIndex& index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid)
        || index.row() >= m_workspace->models().size())
        return {};
    const ModelSpec& m = m_workspace->models().at(index.row());
    switch (role) {
    case Qt::DisplayRole:
        return m.id;
    case Qt::ToolTipRole:
        return u"%1 · %2 · %3"_s.arg(m.provider, m.model,
            m.baseUrl.isEmpty() && m.provider == u"simulator"_s ? u"built-in simulator"_s : m.baseUrl);
    case ProviderRole:
        return m.provider;
    case ModelIdRole:
        return m.model;
    case BaseUrlRole:
        return m.baseUrl;
    default:
        return {};
    }
}

} // namespace evs
