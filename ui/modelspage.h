#pragma once

#include <QWidget>

class QListView;
class QPushButton;

namespace evs {

class AppContext;
class ModelEditor;
class ModelListModel;
class SecretStore;

// The models page: the workspace's endpoints on the left, the editor of the selected one on the right.
// Object names: "modelsPage", "modelList", "addModelButton", "duplicateModelButton", "removeModelButton",
// "modelEditor"; unsaved edits when switching models ask through "unsavedChangesBox" (window-modal, not blocking).
class ModelsPage : public QWidget {
    Q_OBJECT
public:
    ModelsPage(AppContext* context, SecretStore* secrets, QWidget* parent = nullptr);

    ModelEditor* editor() const { return m_editor; }
    ModelListModel* listModel() const { return m_model; }
    void selectModel(int index);
    int currentModel() const;

    void addModel();
    void duplicateModel();
    void removeModel();

private:
    void onCurrentChanged(int row, int previous);
    void onModelsChanged();
    void updateButtons();

    AppContext* m_context;
    ModelListModel* m_model;
    QListView* m_list;
    ModelEditor* m_editor;
    QPushButton* m_add;
    QPushButton* m_duplicate;
    QPushButton* m_remove;
    bool m_switching = false;
};

} // namespace evs
