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
class CompareSidesLoader;
class ComparisonLoader;
class RunListModel;
class RunTable;

// Compare (docs/architecture.md section 8): pick two or more stored runs (and the models within them), a baseline,
// and read the summary with differences and significance, overlaid latency and TTFT CDFs, score bars with CI
// whiskers, a models × benchmarks matrix, and the samples on which two sides disagree, side by side.
// The run list, the sides of the selected runs and the comparison are read on worker threads (BackgroundLoader, each
// with its own store connection): a newer selection drops an older answer, and a deleted page drops them all.
// Object names: "comparePage", "runsTable", "sidesList", "baselineCombo", "benchmarkCombo", "summaryTable",
// "matrixTable", "latencyCdfChart", "ttftCdfChart", "scoreChart", "disagreementPairCombo", "disagreementTable",
// "disagreementCountLabel", "baselineResponse", "sideResponse", "compareStatus".
class ComparePage : public QWidget {
    Q_OBJECT
    Q_PROPERTY(int summaryRowCount READ summaryRowCount NOTIFY comparisonUpdated)
    Q_PROPERTY(int sideCount READ sideCount NOTIFY comparisonUpdated)
public:
    explicit ComparePage(AppContext* context, QWidget* parent = nullptr);

    RunListModel* runsModel() const;
    RunTable* runTable() const { return m_runsTable; }
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
    void sidesUpdated(); // the sides list shows the models of the selected runs

protected:
    void changeEvent(QEvent* event) override;

private:
    void onRunSelectionChanged();
    QString selectedRunsState() const;
    void showSides(const QVector<CompareSide>& sides);
    void scheduleCompare();
    void startCompare();
    void showComparison(const ComparisonPtr& comparison);
    void updateBaselineCombo();
    void updateCharts();
    void updateDisagreementPairs();
    void onDisagreementPairChanged();
    void onDisagreementRowChanged();

    AppContext* m_context;
    CompareSummaryModel* m_summary;
    CompareMatrixModel* m_matrix;
    CompareDisagreementModel* m_disagreements;
    RunTable* m_runsTable;
    CompareSidesLoader* m_sidesLoader;
    ComparisonLoader* m_comparisonLoader;
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
    QString m_selectedRunsState; // what the sides were read from: the selected runs' ids, statuses and records
    bool m_updatingSides = false;
};

} // namespace evs
