#pragma once

#include "models/core/runplan.h"

#include <QObject>
#include <QString>

namespace evs {

// The user's configured models and benchmarks (and run defaults), kept as a plan file in the data folder so that
// the GUI and the CLI speak the same format (docs/architecture.md section 10). The first launch starts from the bundled
// demo. Lives on the GUI thread.
class Workspace : public QObject {
    Q_OBJECT
public:
    explicit Workspace(QObject* parent = nullptr);

    // <AppDataLocation>/workspace.json unless EVALSANDBOX_WORKSPACE is set.
    static QString defaultPath();
    // Loads path; when the file does not exist, starts from the demo plan and saves it there. False (with error)
    // when the file exists but is not a valid plan: the workspace then holds the demo and is not saved over it.
    bool load(const QString& path, QString* error);
    bool save(QString* error) const;
    QString path() const { return m_path; }
    bool isFirstLaunch() const { return m_firstLaunch; }

    const RunPlan& plan() const { return m_plan; }
    const QVector<ModelSpec>& models() const { return m_plan.models; }
    const QVector<BenchmarkSpec>& benchmarks() const { return m_plan.benchmarks; }

    // Each change is saved at once; ids must stay unique (false with error otherwise).
    bool setModel(int index, const ModelSpec& spec, QString* error); // index == size() appends
    bool removeModel(int index); // false for the last one: a workspace keeps at least one model and benchmark
    bool setBenchmark(int index, const BenchmarkSpec& spec, QString* error);
    bool removeBenchmark(int index);
    void setRunSettings(const RunSettings& settings);
    void setSeed(quint64 seed);

    // The demo plan bundled in the resources.
    static RunPlan demoPlan();

Q_SIGNALS:
    void modelsChanged();
    void benchmarksChanged();

private:
    void persist();
    QString m_path;
    RunPlan m_plan;
    bool m_firstLaunch = false;
};

} // namespace evs
