#pragma once

#include "models/core/benchmarkspec.h"
#include "models/core/sample.h"

#include <QString>
#include <QStringList>

#include <memory>

namespace evs {

// A streaming reader of a benchmark's samples: memory does not grow with the dataset's size.
// Not thread-safe: the engine calls it under its own lock.
class SampleSource {
public:
    virtual ~SampleSource() = default;
    // The next good sample; false at the end (or on a fatal error: see error()). Bad records are skipped,
    // counted and reported, and do not consume an index.
    virtual bool next(Sample* out) = 0;
    virtual QString error() const { return m_error; } // fatal: the file could not be read at all
    qint64 badRecords() const { return m_badRecords; }
    const QStringList& badRecordReports() const { return m_reports; } // "file:LINE: reason", the first 100

    // "builtin:NAME" (from resources) or a file; nullptr with error set when it cannot be opened.
    // Stops after spec.limit good samples when it is > 0. Reads the format resolveFormat() names.
    static std::unique_ptr<SampleSource> open(const BenchmarkSpec& spec, QString* error);
    static QStringList builtinNames();
    // jsonl, json, csv, tsv, mmlu_csv.
    static QStringList formatNames();
    // The format spec's dataset is read as: spec.format, else the file's extension (.jsonl .ndjson .jsonlines,
    // .json, .csv, .tsv .tab); a CSV whose first row has six columns ending in a letter A-D is MMLU's headerless
    // layout ("mmlu_csv"). *how says which rule decided (shown by `dataset inspect`). Empty with error set when
    // the format cannot be told.
    static QString resolveFormat(const BenchmarkSpec& spec, QString* how, QString* error);
    // The file a dataset reference opens (":/benchmarks/NAME.jsonl" for builtins); empty when unknown.
    static QString datasetPath(const QString& dataset, QString* error);
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
