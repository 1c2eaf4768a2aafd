#pragma once

#include <QWidget>

class QLabel;
class QPushButton;
class QTabWidget;

namespace evs {

class AppContext;
class DashboardView;
class ResultsBrowser;
class RunDeleter;
class RunListModel;
class RunTable;
class StoredRunLoader;

// Every stored run (RunTable: status, models, benchmarks, date, n, score, p95), refreshed when the store's list
// changes; the shown run below in two tabs: its dashboard (live for the active run, rebuilt from the store with the
// saved exact summary for the others) and its samples (ResultsBrowser). Resume an unfinished run; delete one after a
// confirmation ("confirmDeleteRun", a window-modal QMessageBox opened without exec()).
//
// Object names: "runsPage", "runsTable", "openRunButton", "resumeRunButton", "deleteRunButton",
// "refreshRunsButton", "runsStatusLabel", "runHeader", "runTabs", the dashboard's and the browser's.
class RunsPage : public QWidget {
    Q_OBJECT
public:
    explicit RunsPage(AppContext* context, QWidget* parent = nullptr);
    ~RunsPage() override;

    void showRun(qint64 runId); // selects it and opens it below
    void refresh();
    qint64 shownRunId() const { return m_shownRunId; }

    RunListModel* runListModel() const;
    RunTable* runTable() const { return m_table; }
    DashboardView* dashboard() const { return m_dashboard; }
    ResultsBrowser* resultsBrowser() const { return m_browser; }

Q_SIGNALS:
    void runsRefreshed();
    void runOpened(qint64 runId); // the dashboard has its data (rebuilt from the store, or live)
    void runDeleted(qint64 runId);

private:
    QString databasePath() const;
    qint64 activeRunId() const;
    void onRunsRefreshed();
    void updateHeader();
    void updateButtons();
    void openStoredRun(qint64 runId);
    void closeShownRun();
    void resumeSelected();
    void deleteSelected();
    void deleteRun(qint64 runId);

    AppContext* m_context;
    RunTable* m_table;
    StoredRunLoader* m_runLoader;
    RunDeleter* m_deleter;
    QPushButton* m_open;
    QPushButton* m_resume;
    QPushButton* m_delete;
    QPushButton* m_refresh;
    QLabel* m_status;
    QLabel* m_header;
    QTabWidget* m_tabs;
    DashboardView* m_dashboard;
    ResultsBrowser* m_browser;
    qint64 m_shownRunId = 0;
    bool m_live = false;
    bool m_deleting = false;
};

} // namespace evs
