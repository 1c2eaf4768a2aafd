#include "ui/appcontext.h"

#include "ui/workspace.h"

using namespace Qt::StringLiterals;

namespace evs {

AppContext::AppContext(Workspace* workspace, QString databasePath, QObject* parent)
    : QObject(parent)
    , m_workspace(workspace)
    , m_databasePath(std::move(databasePath))
{
}

bool AppContext::adopt(RunController* c)
{
    m_active = c;
    connect(c, &RunController::snapshotAvailable, this, &AppContext::snapshotAvailable);
    connect(c, &RunController::runFinished, this, [this, c](RunStatus status) {
        const qint64 id = c->runId();
        m_active = nullptr;
        c->deleteLater();
        Q_EMIT runFinished(id, status);
        Q_EMIT runsChanged();
    });
    Q_EMIT runStarted(c->runId());
    Q_EMIT runsChanged();
    return true;
}

bool AppContext::startRun(const RunPlan& plan, QString* error)
{
    if (m_active) {
        *error = u"a run is already going on; stop it or wait for it to end"_s;
        return false;
    }
    auto* c = new RunController(this);
    if (!c->start(plan, runOptions(), error)) {
        delete c;
        return false;
    }
    return adopt(c);
}

bool AppContext::resumeRun(qint64 runId, QString* error)
{
    if (m_active) {
        *error = u"a run is already going on; stop it or wait for it to end"_s;
        return false;
    }
    auto* c = new RunController(this);
    if (!c->resumeRun(runId, runOptions(), error)) {
        delete c;
        return false;
    }
    return adopt(c);
}

void AppContext::pauseActiveRun()
{
    if (m_active)
        m_active->pause();
}

void AppContext::resumeActiveRun()
{
    if (m_active)
        m_active->resume();
}

void AppContext::stopActiveRun()
{
    if (m_active)
        m_active->cancel();
}

} // namespace evs
