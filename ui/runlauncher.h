#pragma once

#include "app/engine/runestimate.h"
#include "models/core/runplan.h"

#include <QDialog>
#include <QFutureWatcher>
#include <QHash>

#include <atomic>
#include <memory>

class QCheckBox;
class QLabel;
class QListWidget;
class QPlainTextEdit;
class QPushButton;
class QSpinBox;
class QTimer;

namespace evs {

class AppContext;

// Chooses models × benchmarks of the workspace and the run's settings, shows an estimate of requests, tokens and
// cost (RunEstimate; datasets are measured off the GUI thread and remembered), and starts the run through
// AppContext::startRun. An error is shown in the dialog, which stays open. The last choices are remembered
// (QSettings group "runLauncher").
// Object names: "runLauncher", "modelList", "benchmarkList", "concurrencySpin", "limitSpin", "repeatsSpin",
// "seedSpin", "cacheCheck", "estimateRequests", "estimateInputTokens", "estimateOutputTokens", "estimateCost",
// "estimateAssumptions", "launcherErrorLabel", "startButton".
// Properties for tests: "estimateReady" (bool), "estimatedRequests" (qlonglong), "estimatedInputTokens",
// "estimatedOutputTokens", "estimatedCost" (double).
class RunLauncher : public QDialog {
    Q_OBJECT
public:
    explicit RunLauncher(AppContext* context, QWidget* parent = nullptr);
    ~RunLauncher() override;

    // The workspace's plan narrowed to the checked models and benchmarks, with the dialog's settings applied.
    RunPlan plan() const;
    const RunEstimate& estimate() const { return m_estimate; }
    bool start(); // what the start button does; false with the error shown

private:
    struct Measured {
        quint64 generation = 0;
        QVector<QPair<QString, RunEstimate::Benchmark>> benchmarks; // by measurement key
    };
    static QString measurementKey(const BenchmarkSpec& spec);
    void populate();
    void restoreSettings();
    void saveSettings() const;
    void scheduleEstimate();
    void updateEstimate();
    void showEstimate();
    void setError(const QString& error);

    AppContext* m_context;
    QListWidget* m_models;
    QListWidget* m_benchmarks;
    QSpinBox* m_concurrency;
    QSpinBox* m_limit;
    QSpinBox* m_repeats;
    QSpinBox* m_seed;
    QCheckBox* m_cache;
    QLabel* m_requests;
    QLabel* m_inputTokens;
    QLabel* m_outputTokens;
    QLabel* m_cost;
    QPlainTextEdit* m_assumptions;
    QLabel* m_error;
    QPushButton* m_start;
    QTimer* m_debounce;

    QHash<QString, RunEstimate::Benchmark> m_measured; // by measurementKey
    QFutureWatcher<Measured> m_watcher;
    quint64 m_generation = 0;
    std::shared_ptr<std::atomic_bool> m_canceled = std::make_shared<std::atomic_bool>(false);
    RunEstimate m_estimate;
};

} // namespace evs
