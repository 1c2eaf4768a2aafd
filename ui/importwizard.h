#pragma once

#include "ui/datasetscan.h"

#include <QFutureWatcher>
#include <QSet>
#include <QWizard>

class QComboBox;
class QLabel;
class QLineEdit;
class QListWidget;
class QProgressBar;
class QTableView;
class QTimer;
class QWizardPage;

namespace evs {

class AppContext;
class DatasetPreviewModel;
class ScorerOptionsEditor;

// Imports a dataset file as a benchmark of the workspace: the file (picked, typed or dropped), a preview of its
// first records with the field mapping (auto-detected values shown and editable), the bad-record report, then the
// benchmark's id and scorer. The file is read off the GUI thread; a newer read makes an older one stale.
// Object names: "importWizard"; "filePathEdit", "browseButton", "formatCombo"; "mapInput", "mapChoices",
// "mapTarget", "mapId", "mapCategory", "mapMetadata", "previewTable", "scanProgress", "scanStatusLabel",
// "badLinesLabel", "badLinesList"; "benchmarkIdEdit", "scorerOptionsEditor", "importErrorLabel".
// Properties for tests: "scanning" (bool), "goodRecords", "badRecords" (qlonglong, of the last finished read).
class ImportWizard : public QWizard {
    Q_OBJECT
public:
    enum PageId { FilePage, MappingPage, ScorerPage };

    explicit ImportWizard(AppContext* context, QWidget* parent = nullptr);
    ~ImportWizard() override;

    void setFile(const QString& path);
    BenchmarkSpec benchmarkSpec() const; // what Finish adds
    int addedIndex() const { return m_addedIndex; } // the workspace index of the added benchmark, -1 before

    static bool isDatasetFile(const QString& path); // an extension the readers know (for drag and drop)

Q_SIGNALS:
    void benchmarkAdded(int workspaceIndex);

protected:
    bool validateCurrentPage() override;
    void dragEnterEvent(QDragEnterEvent* event) override;
    void dropEvent(QDropEvent* event) override;

private:
    QWizardPage* createFilePage();
    QWizardPage* createMappingPage();
    QWizardPage* createScorerPage();
    void browse();
    void startScan();
    void onScanFinished();
    void applyScan(const DatasetScan& scan);
    void fillMappingCombos(const DatasetScan& scan);
    QJsonObject mapping() const;
    BenchmarkSpec scanSpec() const;
    QString uniqueId(const QString& base) const;

    AppContext* m_context;
    QLineEdit* m_path = nullptr;
    QComboBox* m_format = nullptr;
    QWizardPage* m_mappingPage = nullptr;
    QMap<QString, QComboBox*> m_mapCombos; // field -> combo
    QLineEdit* m_metadata = nullptr;
    QSet<QString> m_userMapped; // fields the user chose: a new read keeps them
    DatasetPreviewModel* m_previewModel = nullptr;
    QTableView* m_preview = nullptr;
    QProgressBar* m_progress = nullptr;
    QLabel* m_status = nullptr;
    QLabel* m_badLabel = nullptr;
    QListWidget* m_badList = nullptr;
    QLineEdit* m_id = nullptr;
    ScorerOptionsEditor* m_scorer = nullptr;
    QLabel* m_error = nullptr;
    QTimer* m_rescan = nullptr;

    QFutureWatcher<DatasetScan> m_watcher;
    quint64 m_generation = 0;
    std::optional<DatasetScan> m_scan; // the last read that finished for the current generation
    bool m_scorerChosen = false;
    bool m_idEdited = false;
    int m_addedIndex = -1;
};

} // namespace evs
