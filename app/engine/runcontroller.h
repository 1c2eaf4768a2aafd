#pragma once

#include "app/engine/livecounters.h"
#include "app/engine/livesnapshot.h"
#include "models/core/runplan.h"
#include "models/stats/runsummary.h"
#include "models/stats/thresholds.h"
#include "models/store/resultsstore.h"

#include <QObject>
#include <QString>

#include <functional>
#include <memory>
#include <optional>
#include <unordered_set>

namespace evs {

struct EngineContext;

// Drives one run (docs/architecture.md section 3): records it in the store, expands the work lazily, runs the worker
// threads, and at the end computes the exact summary from the store. Lives on the thread that creates it
// (the GUI or the CLI's main thread); the work happens on worker threads, and so does the end of the run: joining
// the workers, flushing the writer and computing the summary run on a finaliser thread, so that the owner's event
// loop keeps going (drained(), then runFinished() when it is done). isRunning() stays true until runFinished().
//
// Destroyed while the run finalises (the application quits): the finaliser still joins the workers and flushes
// every record, but abandons the summary (its query is interrupted) and leaves the run interrupted in the store,
// with no summary; resuming it sends nothing (every sample is stored) and computes the summary then.
class RunController : public QObject {
    Q_OBJECT
public:
    struct Options {
        QString dbPath; // empty = ResultsStore::defaultPath()
        int workerThreads = 0; // 0 = chosen from the concurrency and the machine (EVALSANDBOX_WORKERS overrides)
        // Reads "keychain:NAME" references (the desktop app's OS keychain); unset = such references are an error.
        // Called on the controller's thread before the run starts; returns nullopt when there is no such secret.
        std::function<std::optional<QString>(const QString& name)> keychainLookup = {};
    };

    explicit RunController(QObject* parent = nullptr);
    ~RunController() override;

    // Starts a new run of the plan. False with error set when it cannot start (bad key reference, unreadable
    // store or dataset); errorIsUsage tells a configuration problem (exit 2) from a tool failure (exit 1).
    bool start(const RunPlan& plan, const Options& options, QString* error, bool* errorIsUsage = nullptr);
    // Continues a stored run that did not complete: only samples without a final record are run.
    bool resumeRun(qint64 runId, const Options& options, QString* error, bool* errorIsUsage = nullptr);

    void pause();
    void resume();
    void cancel(); // in-flight requests are aborted and not stored; the run is left resumable (no-op once drained)

    bool isRunning() const { return m_running; }
    bool isFinalizing() const; // every worker has drained; the summary is being computed
    bool isPaused() const;
    qint64 runId() const { return m_runId; }
    QString databasePath() const { return m_dbPath; }
    const RunPlan& plan() const { return m_plan; }
    RunProgress progress() const;
    LiveSnapshotPtr snapshot() const; // builds one now (any thread may hold the result)
    const std::optional<RunSummary>& summary() const { return m_summary; }
    // The plan's thresholds evaluated on the exact summary (empty when the plan has none or the run did not complete).
    const ThresholdReport& thresholds() const { return m_thresholds; }
    QString failure() const { return m_failure; }
    // Bad dataset records skipped so far ("file:LINE: reason"), and how many.
    QStringList badRecordReports() const;
    qint64 badRecordCount() const;

Q_SIGNALS:
    void runStarted(qint64 runId);
    void progressed(const evs::RunProgress& progress); // at most ~10 times a second
    // The live picture, at most ~10 times a second while running (only built when something is connected), and a
    // last one with final = true when the run has ended.
    void snapshotAvailable(const evs::LiveSnapshotPtr& snapshot);
    // Every worker has drained: nothing more is sent, and the summary is being computed off this thread.
    void drained();
    void runFinished(evs::RunStatus status); // Completed, Interrupted or Failed (see failure())

private:
    bool launch(const RunPlan& plan, qint64 runId, const QVector<std::unordered_set<quint64>>& stored,
        qint64 clockOffsetNs, qint64 doneBefore, qint64 planned, QString* error, bool* errorIsUsage);
    void onWorkerDrained();
    void finalize();
    void onFinalized();
    void cleanupThreads();

    struct Private;
    std::unique_ptr<Private> d;
    RunPlan m_plan;
    Options m_options;
    QString m_dbPath;
    qint64 m_runId = 0;
    bool m_running = false;
    std::optional<RunSummary> m_summary;
    ThresholdReport m_thresholds;
    QString m_failure;
};

} // namespace evs
