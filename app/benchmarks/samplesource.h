#pragma once

#include "models/core/benchmarkspec.h"
#include "models/core/sample.h"

#include <QString>
#include <QStringList>

#include <memory>

namespace evs
{

// A streaming reader of a benchmark's samples: memory does not grow with the dataset's size.
// Not thread-safe: the engine calls it under its own lock.
class SampleSource
{
public:
    virtual ~SampleSource() = default;
    // The next good sample; false at the end (or on a fatal error: see error()). Bad records are skipped,
    // counted and reported, and do not consume an index.
    virtual bool next(Sample* out) = 0;
    virtual QString error() const { return m_error; } // fatal: the file could not be read at all
    qint64 badRecords() const { return m_badRecords; }
    const QStringList& badRecordReports() const { return m_reports; } // "file:LINE: reason", the first 100

    // "builtin:NAME" (from resources) or a file; nullptr with error set when it cannot be opened.
    // Stops after spec.limit good samples when it is > 0. JSON Lines only for now.
    static std::unique_ptr<SampleSource> open(const BenchmarkSpec& spec, QString* error);
    static QStringList builtinNames();
    // Reads the whole dataset to count its good samples (respecting spec.limit); -1 with error set if it
    // cannot be opened. For estimates before a run.
    static qint64 countSamples(const BenchmarkSpec& spec, QString* error);

protected:
    void reportBad(const QString& where, const QString& reason);
    QString m_error;
    qint64 m_badRecords = 0;
    QStringList m_reports;
};

} // namespace evs
