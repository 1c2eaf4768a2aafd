#pragma once

#include "app/engine/livesnapshot.h"
#include "app/engine/runcontroller.h"
#include "models/core/runplan.h"

#include <QObject>
#include <QPointer>

#include <functional>
#include <optional>

namespace evs {

class Workspace;

// What every page shares: the workspace, the results store's path, and the one active run. Lives on the GUI
// thread; pages hold a pointer to it and react to its signals.
class AppContext : public QObject {
    Q_OBJECT
public:
    AppContext(Workspace* workspace, QString databasePath, QObject* parent = nullptr);

    Workspace* workspace() const { return m_workspace; }
    QString databasePath() const { return m_databasePath; }

    // Reads `keychain:NAME` key references for the runs this context starts (the desktop app passes its
    // SecretStore). Unset = such references fail the run's start with a message.
    using KeychainLookup = std::function<std::optional<QString>(const QString& name)>;
    void setKeychainLookup(KeychainLookup lookup) { m_keychainLookup = std::move(lookup); }

    RunController* activeRun() const { return m_active; } // nullptr when no run is going on
    // Starts a run of the plan (a copy of the workspace's, narrowed by the launcher). False with error when it
    // cannot start; the running one is kept.
    bool startRun(const RunPlan& plan, QString* error);
    bool resumeRun(qint64 runId, QString* error);
    void pauseActiveRun();
    void resumeActiveRun();
    void stopActiveRun();

Q_SIGNALS:
    void runStarted(qint64 runId); // activeRun() is set
    void snapshotAvailable(const evs::LiveSnapshotPtr& snapshot); // relayed from the active run (~10 Hz)
    void runFinished(qint64 runId, evs::RunStatus status); // activeRun() is null again
    void runsChanged(); // the store's list of runs changed (a run started, ended or was deleted)

private:
    bool adopt(RunController* controller);
    RunController::Options runOptions() const { return { m_databasePath, 0, m_keychainLookup }; }
    Workspace* m_workspace;
    QString m_databasePath;
    QPointer<RunController> m_active;
    KeychainLookup m_keychainLookup;
};

} // namespace evs
