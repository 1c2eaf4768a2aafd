#pragma once

#include "ui/comparesummarymodel.h"

#include <QWidget>

class QComboBox;
class QLabel;
class QListWidget;
class QPlainTextEdit;
class QTableView;
class QTimer;

namespace evs {

class AppContext;
class ChartAdapter;
class CompareDisagreementModel;
class CompareMatrixModel;
class StoredRunsModel;

// Compare (docs/architecture.md section 8): pick two or more stored runs (and the models within them), a baseline,
// and read the summary with differences and significance, overlaid latency and TTFT CDFs, score bars with CI
// whiskers, a models × benchmarks matrix, and the samples on which two sides disagree, side by side.
// The comparison is computed on a worker thread (its own store connection); stale results are dropped by a
// generation counter, and the watcher dies with the page.
// Object names: "comparePage", "runsTable", "sidesList", "baselineCombo", "benchmarkCombo", "summaryTable",
// "matrixTable", "latencyCdfChart", "ttftCdfChart", "scoreChart", "disagreementPairCombo", "disagreementTable",
// "disagreementCountLabel", "baselineResponse", "sideResponse", "compareStatus".
class ComparePage : public QWidget {
    Q_OBJECT
    Q_PROPERTY(int summaryRowCount READ summaryRowCount NOTIFY comparisonUpdated)
    Q_PROPERTY(int sideCount READ sideCount NOTIFY comparisonUpdated)
public:
    explicit ComparePage(AppContext* context, QWidget* parent = nullptr);

    StoredRunsModel* runsModel() const { return m_runs; }
    CompareSummaryModel* summaryModel() const { return m_summary; }
    CompareMatrixModel* matrixModel() const { return m_matrix; }
    CompareDisagreementModel* disagreementModel() const { return m_disagreements; }
    const Comparison* comparison() const { return m_comparison.get(); }
    int summaryRowCount() const;
    int sideCount() const;
    void refresh();

Q_SIGNALS:
    void comparisonUpdated(); // a new comparison is shown (or cleared)
    void comparisonFailed(const QString& message);

protected:
    void changeEvent(QEvent* event) override;

private:
    void onRunSelectionChanged();
    void scheduleCompare();
    void startCompare();
    void showComparison(const ComparisonPtr& comparison);
    void updateBaselineCombo();
    void updateCharts();
    void updateDisagreementPairs();
    void onDisagreementPairChanged();
    void onDisagreementRowChanged();

    AppContext* m_context;
    StoredRunsModel* m_runs;
    CompareSummaryModel* m_summary;
    CompareMatrixModel* m_matrix;
    CompareDisagreementModel* m_disagreements;
    QTableView* m_runsTable;
    QListWidget* m_sidesList;
    QComboBox* m_baselineCombo;
    QComboBox* m_benchmarkCombo;
    QLabel* m_status;
    QTableView* m_summaryTable;
    QTableView* m_matrixTable;
    ChartAdapter* m_latencyChart;
    ChartAdapter* m_ttftChart;
    ChartAdapter* m_scoreChart;
    QComboBox* m_pairCombo;
    QLabel* m_disagreementCount;
    QTableView* m_disagreementTable;
    QLabel* m_expected;
    QLabel* m_baselineTitle;
    QLabel* m_sideTitle;
    QPlainTextEdit* m_baselineResponse;
    QPlainTextEdit* m_sideResponse;
    QTimer* m_compareTimer;
    ComparisonPtr m_comparison;
    quint64 m_generation = 0;
    bool m_updatingSides = false;
};

} // namespace evs
