#pragma once

#include "models/browse/resultsquery.h"

#include <QWidget>

class QCheckBox;
class QComboBox;
class QLabel;
class QLineEdit;
class QProgressBar;
class QTableView;
class QTimer;
class QToolButton;

namespace evs {

class ResultsTableModel;
class SampleDetailPane;

// Every sample of one run (docs/architecture.md section 8): a table virtualised over the store (ResultsTableModel),
// filters applied in SQL (failed, wrong, model, benchmark, category, text), sortable by sample, model, benchmark,
// status, score, latency and TTFT, and a detail pane for the selected sample. A text search reads every response of the
// run, so it runs on the model's worker thread with progress and a cancel button, starting on Enter or after a pause in
// typing.
//
// Object names: "resultsBrowser", "resultsTable", "failedOnlyCheck", "wrongOnlyCheck", "modelFilter",
// "benchmarkFilter", "categoryFilter", "searchEdit", "loadProgress", "cancelLoadButton", "refreshResultsButton",
// "countLabel", and the detail pane's (see SampleDetailPane).
class ResultsBrowser : public QWidget {
    Q_OBJECT
public:
    explicit ResultsBrowser(QWidget* parent = nullptr);
    ~ResultsBrowser() override;

    void setRun(const QString& dbPath, qint64 runId);
    void clear();
    void reload();
    qint64 runId() const;

    ResultsTableModel* model() const { return m_model; }
    QTableView* table() const { return m_table; }
    SampleDetailPane* detailPane() const { return m_detail; }

Q_SIGNALS:
    void detailShown(qint64 resultId);

private:
    void applyFilter();
    void updateFacets();
    void updateCount();
    void showDetailForCurrent();

    ResultsTableModel* m_model;
    QTableView* m_table;
    SampleDetailPane* m_detail;
    QCheckBox* m_failedOnly;
    QCheckBox* m_wrongOnly;
    QComboBox* m_modelFilter;
    QComboBox* m_benchmarkFilter;
    QComboBox* m_categoryFilter;
    QLineEdit* m_search;
    QTimer* m_searchDelay;
    QProgressBar* m_progress;
    QToolButton* m_cancel;
    QToolButton* m_refresh;
    QLabel* m_count;
    std::unique_ptr<ResultsQuery> m_detailQuery; // GUI thread: one row by id is a primary-key read
    qint64 m_total = 0;
    bool m_updatingFacets = false;
};

} // namespace evs
