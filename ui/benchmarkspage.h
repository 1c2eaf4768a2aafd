#pragma once

#include <QHash>
#include <QPointer>
#include <QWidget>

class QLabel;
class QPushButton;
class QTreeView;

namespace evs {

class AppContext;
class BenchmarkListModel;
class ImportWizard;
class RunLauncher;
class TemplateEditor;

// The Benchmarks page (docs/architecture.md section 8): the workspace's benchmarks and the bundled ones, each with a
// card (dataset, format, sample count, scorer, template); import (button or a file dropped onto the page), template
// editor, scorer choice, add a bundled benchmark, remove. Sample counts are read off the GUI thread.
// Object names: "benchmarksPage", "benchmarkTable", "benchmarkCard", "importButton", "addBundledButton",
// "editTemplateButton", "editScorerButton", "removeBenchmarkButton", "newRunButton", "scorerDialog".
class BenchmarksPage : public QWidget {
    Q_OBJECT
public:
    explicit BenchmarksPage(AppContext* context, QWidget* parent = nullptr);
    ~BenchmarksPage() override;

    // Each opens its dialog without blocking (open()) and returns it, so that tests can answer it.
    ImportWizard* openImportWizard(const QString& path = {});
    TemplateEditor* openTemplateEditor(int workspaceIndex);
    QDialog* openScorerDialog(int workspaceIndex);
    RunLauncher* openRunLauncher();

    BenchmarkListModel* model() const { return m_model; }
    void selectWorkspaceBenchmark(int workspaceIndex);

protected:
    void dragEnterEvent(QDragEnterEvent* event) override;
    void dropEvent(QDropEvent* event) override;

private:
    void reload();
    void updateCard();
    void readDatasetFacts();
    int currentRow() const;
    int currentWorkspaceIndex() const;
    void addBundled();
    void removeCurrent();

    AppContext* m_context;
    BenchmarkListModel* m_model;
    QTreeView* m_table;
    QLabel* m_card;
    QPushButton* m_import;
    QPushButton* m_addBundled;
    QPushButton* m_editTemplate;
    QPushButton* m_editScorer;
    QPushButton* m_remove;
    struct Facts {
        qint64 samples = -1;
        QString format;
        QString error;
    };
    QHash<QString, Facts> m_facts; // by BenchmarkListModel::datasetKey
    QSet<QString> m_reading; // keys whose facts a DatasetFactsLoader is reading
};

} // namespace evs
