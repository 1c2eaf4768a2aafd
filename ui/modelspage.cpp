#include "ui/modelspage.h"

#include "ui/appcontext.h"
#include "ui/modeleditor.h"
#include "ui/modellistmodel.h"
#include "ui/workspace.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QListView>
#include <QMessageBox>
#include <QPushButton>
#include <QSplitter>
#include <QStyle>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

namespace evs {

ModelsPage::ModelsPage(AppContext* context, SecretStore* secrets, QWidget* parent)
    : QWidget(parent)
    , m_context(context)
    , m_model(new ModelListModel(context->workspace(), this))
    , m_list(new QListView)
    , m_editor(new ModelEditor(context, secrets))
{
    setObjectName(u"modelsPage"_s);
    m_list->setObjectName(u"modelList"_s);
    m_list->setModel(m_model);
    m_list->setSelectionMode(QAbstractItemView::SingleSelection);
    m_list->setUniformItemSizes(true);

    m_add = new QPushButton(style()->standardIcon(QStyle::SP_FileIcon), tr("&New"));
    m_add->setObjectName(u"addModelButton"_s);
    m_add->setShortcut(QKeySequence::New);
    m_add->setToolTip(tr("Add a model (Ctrl+N)"));
    m_duplicate = new QPushButton(tr("D&uplicate"));
    m_duplicate->setObjectName(u"duplicateModelButton"_s);
    m_duplicate->setToolTip(tr("Start a new model from the selected one's settings"));
    m_remove = new QPushButton(style()->standardIcon(QStyle::SP_TrashIcon), tr("Remove"));
    m_remove->setObjectName(u"removeModelButton"_s);
    m_remove->setToolTip(tr("Remove the selected model from the workspace (a workspace keeps at least one)"));

    auto* heading = new QLabel(tr("Models"));
    QFont f = heading->font();
    f.setBold(true);
    heading->setFont(f);
    auto* left = new QWidget;
    auto* leftLayout = new QVBoxLayout(left);
    leftLayout->setContentsMargins(0, 0, 0, 0);
    leftLayout->addWidget(heading);
    leftLayout->addWidget(m_list, 1);
    auto* buttons = new QHBoxLayout;
    buttons->addWidget(m_add);
    buttons->addWidget(m_duplicate);
    buttons->addWidget(m_remove);
    leftLayout->addLayout(buttons);

    auto* splitter = new QSplitter;
    splitter->setObjectName(u"modelsSplitter"_s);
    splitter->addWidget(left);
    splitter->addWidget(m_editor);
    splitter->setStretchFactor(1, 1);
    splitter->setSizes({ 240, 760 });
    splitter->setChildrenCollapsible(false);
    auto* layout = new QVBoxLayout(this);
    layout->addWidget(splitter);

    connect(m_add, &QPushButton::clicked, this, &ModelsPage::addModel);
    connect(m_duplicate, &QPushButton::clicked, this, &ModelsPage::duplicateModel);
    connect(m_remove, &QPushButton::clicked, this, &ModelsPage::removeModel);
    connect(m_list->selectionModel(), &QItemSelectionModel::currentChanged, this,
        [this](const QModelIndex& current, const QModelIndex& previous) {
            onCurrentChanged(current.row(), previous.row());
        });
    connect(m_model, &QAbstractItemModel::modelReset, this, &ModelsPage::onModelsChanged);
    connect(m_editor, &ModelEditor::applied, this, [this](int index) { selectModel(index); });
    connect(m_editor, &ModelEditor::modifiedChanged, this, &ModelsPage::updateButtons);
    selectModel(0);
}

int ModelsPage::currentModel() const
{
    return m_list->currentIndex().row();
}

void ModelsPage::selectModel(int index)
{
    if (index < 0 || index >= m_model->rowCount())
        return;
    m_switching = true;
    m_list->setCurrentIndex(m_model->index(index));
    m_switching = false;
    if (m_editor->modelIndex() != index || m_editor->isNew())
        m_editor->editModel(index);
    updateButtons();
}

void ModelsPage::onCurrentChanged(int row, int previous)
{
    if (m_switching || row < 0)
        return;
    if (!m_editor->isModified()) {
        m_editor->editModel(row);
        updateButtons();
        return;
    }
    // Keep the edited model selected until the user says what becomes of the changes.
    m_switching = true;
    if (previous >= 0)
        m_list->setCurrentIndex(m_model->index(previous));
    else
        m_list->clearSelection();
    m_switching = false;
    auto* box = new QMessageBox(QMessageBox::Question, tr("Unsaved changes"),
        tr("The model being edited has unsaved changes."),
        QMessageBox::Save | QMessageBox::Discard | QMessageBox::Cancel, this);
    box->setObjectName(u"unsavedChangesBox"_s);
    box->setAttribute(Qt::WA_DeleteOnClose);
    connect(box, &QMessageBox::finished, this, [this, box, row](int) {
        const auto button = box->standardButton(box->clickedButton());
        if (button == QMessageBox::Save && !m_editor->apply())
            return;
        if (button == QMessageBox::Save || button == QMessageBox::Discard) {
            m_editor->editModel(row);
            selectModel(row);
        }
    });
    box->open();
}

void ModelsPage::onModelsChanged()
{
    const int index = m_editor->isNew() ? -1 : m_editor->modelIndex();
    if (index >= 0 && index < m_model->rowCount()) {
        m_switching = true;
        m_list->setCurrentIndex(m_model->index(index));
        m_switching = false;
        if (!m_editor->isModified())
            m_editor->editModel(index);
    } else if (!m_editor->isNew()) {
        selectModel(0);
    }
    updateButtons();
}

void ModelsPage::addModel()
{
    m_switching = true;
    m_list->clearSelection();
    m_switching = false;
    m_editor->editModel(int(m_context->workspace()->models().size()));
    updateButtons();
}

void ModelsPage::duplicateModel()
{
    const int row = currentModel();
    if (row < 0)
        return;
    ModelSpec spec = m_context->workspace()->models().at(row);
    QString id = spec.id + u"-copy"_s;
    for (int n = 2; [&] {
             for (const auto& m : m_context->workspace()->models())
                 if (m.id == id)
                     return true;
             return false;
         }();
         ++n)
        id = spec.id + u"-copy"_s + QString::number(n);
    spec.id = id;
    m_switching = true;
    m_list->clearSelection();
    m_switching = false;
    m_editor->editNewModel(spec);
    updateButtons();
}

void ModelsPage::removeModel()
{
    const int row = currentModel();
    if (row < 0)
        return;
    m_editor->editModel(row); // drop edits of the model being removed
    if (m_context->workspace()->removeModel(row))
        selectModel(std::min(row, m_model->rowCount() - 1));
}

void ModelsPage::updateButtons()
{
    m_remove->setEnabled(currentModel() >= 0 && !m_editor->isNew() && m_model->rowCount() > 1);
    m_duplicate->setEnabled(currentModel() >= 0 && !m_editor->isNew());
}

} // namespace evs
