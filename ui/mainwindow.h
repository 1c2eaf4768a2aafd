#pragma once

#include "app/engine/livesnapshot.h"
#include "models/store/resultsstore.h"

#include <QMainWindow>
#include <QPointer>

class QAction;
class QDialog;
class QLabel;
class QListWidget;
class QMenu;
class QProgressBar;
class QStackedWidget;

namespace evs {

class AppContext;
class BenchmarksPage;
class ComparePage;
class ModelsPage;
class ReportsPage;
class RunsPage;
class SecretStore;

// The main window (docs/architecture.md section 8): navigation across Models · Benchmarks · Runs · Compare · Reports,
// the menus, and a status bar with the store's path and the active run. Remembers its geometry, layout and last page
// (QSettings "evalsandbox"/"evalsandbox", group "mainWindow") and the recent plan files.
//
// Object names: "mainWindow", "navigation" (the page list), "pages" (the stack) holding "modelsPage",
// "benchmarksPage", "runsPage", "comparePage", "reportsPage"; status bar "storeLabel", "runStatusLabel",
// "runProgress"; actions "newRunAction", "openPlanAction", "quitAction", "pauseAction", "resumeAction",
// "stopAction", "aboutAction", "metricsAction", "pageAction0".."pageAction4".
class MainWindow : public QMainWindow {
    Q_OBJECT
public:
    enum Page { ModelsPageIndex, BenchmarksPageIndex, RunsPageIndex, ComparePageIndex, ReportsPageIndex, PageCount };

    MainWindow(AppContext* context, SecretStore* secrets, QWidget* parent = nullptr);
    ~MainWindow() override;

    void showPage(int page);
    int currentPage() const;
    QWidget* page(int page) const;
    ModelsPage* modelsPage() const { return m_modelsPage; }
    BenchmarksPage* benchmarksPage() const { return m_benchmarksPage; }
    RunsPage* runsPage() const { return m_runsPage; }
    ComparePage* comparePage() const { return m_comparePage; }
    ReportsPage* reportsPage() const { return m_reportsPage; }

    // File > New run…: the run launcher (window-modal, opened without a nested event loop).
    QDialog* openRunLauncher();
    // File > Open plan…: imports the plan file's models and benchmarks into the workspace (same ids are replaced).
    bool openPlanFile(const QString& path, QString* error = nullptr);
    QStringList recentPlans() const;
    // Help > About (non-blocking; returns the dialog).
    QDialog* showAbout();
    QDialog* showMetricDefinitions();

    static constexpr int maxRecentPlans = 8;

Q_SIGNALS:
    // The window was first exposed on screen (the launch-time probe).
    void firstExposed();

protected:
    void closeEvent(QCloseEvent* event) override;
    bool eventFilter(QObject* watched, QEvent* event) override;
    void showEvent(QShowEvent* event) override;

private:
    void createActions();
    void createStatusBar();
    void restoreSettings();
    void saveSettings() const;
    void addRecentPlan(const QString& path);
    void rebuildRecentMenu();
    void chooseAndOpenPlan();
    void onRunStarted(qint64 runId);
    void onSnapshot(const LiveSnapshotPtr& snapshot);
    void onRunFinished(qint64 runId, RunStatus status);
    void updateRunActions();

    AppContext* m_context;
    SecretStore* m_secrets;
    QListWidget* m_navigation;
    QStackedWidget* m_pages;
    ModelsPage* m_modelsPage;
    BenchmarksPage* m_benchmarksPage;
    RunsPage* m_runsPage;
    ComparePage* m_comparePage;
    ReportsPage* m_reportsPage;
    QLabel* m_storeLabel;
    QLabel* m_runLabel;
    QProgressBar* m_runProgress;
    QMenu* m_recentMenu = nullptr;
    QAction* m_newRun = nullptr;
    QAction* m_pause = nullptr;
    QAction* m_resume = nullptr;
    QAction* m_stop = nullptr;
    QPointer<QDialog> m_launcher;
    QPointer<QDialog> m_about;
    QPointer<QDialog> m_metrics;
    bool m_exposed = false;
};

} // namespace evs
