#include "ui/workspace.h"

#include "models/plan/planparser.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QSaveFile>
#include <QStandardPaths>

#include <spdlog/spdlog.h>

using namespace Qt::StringLiterals;

namespace evs {

Workspace::Workspace(QObject* parent)
    : QObject(parent)
    , m_plan(demoPlan())
{
}

QString Workspace::defaultPath()
{
    const QString env = qEnvironmentVariable("EVALSANDBOX_WORKSPACE");
    if (!env.isEmpty())
        return env;
    return QDir(QStandardPaths::writableLocation(QStandardPaths::AppDataLocation)).filePath(u"workspace.json"_s);
}

RunPlan Workspace::demoPlan()
{
    QFile f(u":/plans/demo.json"_s);
    PlanError error;
    if (f.open(QIODevice::ReadOnly)) {
        if (auto plan = PlanParser::parse(f.readAll(), QString(), &error))
            return *plan;
    }
    RunPlan empty;
    empty.name = u"workspace"_s;
    return empty;
}

bool Workspace::load(const QString& path, QString* error)
{
    m_path = path;
    if (!QFileInfo::exists(path)) {
        m_firstLaunch = true;
        m_plan = demoPlan();
        return save(error);
    }
    PlanError planError;
    auto plan = PlanParser::parseFile(path, &planError);
    if (!plan) {
        if (error)
            *error = planError.toString(path);
        m_plan = demoPlan();
        m_path.clear(); // never overwrite a file the user may want to repair
        return false;
    }
    m_plan = *plan;
    Q_EMIT modelsChanged();
    Q_EMIT benchmarksChanged();
    return true;
}

bool Workspace::save(QString* error) const
{
    if (m_path.isEmpty())
        return true;
    QDir().mkpath(QFileInfo(m_path).absolutePath());
    QSaveFile f(m_path);
    if (!f.open(QIODevice::WriteOnly) || f.write(PlanParser::toJson(m_plan)) < 0 || !f.commit()) {
        if (error)
            *error = u"cannot save the workspace to %1: %2"_s.arg(m_path, f.errorString());
        return false;
    }
    return true;
}

void Workspace::persist()
{
    QString error;
    if (!save(&error))
        spdlog::error("{}", error.toStdString());
}

template<typename List> static bool idTaken(const List& list, int except, const QString& id)
{
    for (int i = 0; i < list.size(); ++i) {
        if (i != except && list[i].id == id)
            return true;
    }
    return false;
}

bool Workspace::setModel(int index, const ModelSpec& spec, QString* error)
{
    if (spec.id.trimmed().isEmpty() || idTaken(m_plan.models, index, spec.id)) {
        if (error)
            *error = spec.id.trimmed().isEmpty() ? u"a model needs an id"_s
                                                 : u"another model is already called '%1'"_s.arg(spec.id);
        return false;
    }
    if (index < 0 || index > m_plan.models.size())
        return false;
    if (index == m_plan.models.size())
        m_plan.models.append(spec);
    else
        m_plan.models[index] = spec;
    persist();
    Q_EMIT modelsChanged();
    return true;
}

bool Workspace::removeModel(int index)
{
    // A workspace is a valid plan, which names at least one model.
    if (index < 0 || index >= m_plan.models.size() || m_plan.models.size() == 1)
        return false;
    m_plan.models.removeAt(index);
    persist();
    Q_EMIT modelsChanged();
    return true;
}

bool Workspace::setBenchmark(int index, const BenchmarkSpec& spec, QString* error)
{
    if (spec.id.trimmed().isEmpty() || idTaken(m_plan.benchmarks, index, spec.id)) {
        if (error)
            *error = spec.id.trimmed().isEmpty() ? u"a benchmark needs an id"_s
                                                 : u"another benchmark is already called '%1'"_s.arg(spec.id);
        return false;
    }
    if (index < 0 || index > m_plan.benchmarks.size())
        return false;
    if (index == m_plan.benchmarks.size())
        m_plan.benchmarks.append(spec);
    else
        m_plan.benchmarks[index] = spec;
    persist();
    Q_EMIT benchmarksChanged();
    return true;
}

bool Workspace::removeBenchmark(int index)
{
    if (index < 0 || index >= m_plan.benchmarks.size() || m_plan.benchmarks.size() == 1)
        return false;
    m_plan.benchmarks.removeAt(index);
    persist();
    Q_EMIT benchmarksChanged();
    return true;
}

void Workspace::setRunSettings(const RunSettings& settings)
{
    m_plan.run = settings;
    persist();
}

void Workspace::setSeed(quint64 seed)
{
    m_plan.seed = seed;
    persist();
}

} // namespace evs
