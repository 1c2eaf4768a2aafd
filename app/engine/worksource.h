#pragma once

#include "app/engine/workitem.h"
#include "models/core/benchmarkspec.h"

#include <QMap>
#include <QString>
#include <QStringList>
#include <QVector>

#include <memory>
#include <mutex>
#include <unordered_set>

namespace evs {

class SampleSource;

// The lazy expansion of one model's work (docs/architecture.md section 3, step 2): benchmarks in plan order, samples as
// the dataset reader yields them, repeats innermost. Nothing is listed in advance, so memory does not grow with the
// number of samples (a resumed run keeps the set of keys already stored). Thread-safe.
class WorkSource {
public:
    WorkSource(int modelIndex, QVector<BenchmarkSpec> benchmarks, std::unordered_set<quint64> alreadyStored);
    ~WorkSource();

    // The next item, false when everything is handed out or reading failed (see error()).
    bool next(WorkItem* item);
    QString error() const;
    qint64 badRecords() const;
    QStringList badRecordReports() const;
    QMap<int, qint64> badRecordsByBenchmark() const; // benchmark index -> bad records skipped so far

    // Samples a benchmark will yield (limit applied) times repeats; reads the dataset once, in bounded memory.
    static qint64 countWork(const BenchmarkSpec& spec, QString* error);

private:
    bool openBenchmark(int index);

    mutable std::mutex m_mutex;
    int m_modelIndex;
    QVector<BenchmarkSpec> m_benchmarks;
    std::unordered_set<quint64> m_alreadyStored;
    int m_benchmark = -1;
    std::unique_ptr<SampleSource> m_source;
    Sample m_current;
    bool m_haveCurrent = false;
    int m_repeat = 0;
    qint64 m_taken = 0; // samples taken from the current benchmark (for its limit)
    QString m_error;
    qint64 m_badRecords = 0;
    QMap<int, qint64> m_badByBenchmark;
    QStringList m_badReports;
};

} // namespace evs
