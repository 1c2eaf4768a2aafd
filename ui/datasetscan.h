#pragma once

#include "models/core/benchmarkspec.h"
#include "models/core/sample.h"

#include <QJsonObject>
#include <QMetaType>
#include <QPromise>
#include <QStringList>
#include <QVector>

namespace evs {

// What the import wizard learns by reading a dataset once with a field mapping: the format and why, the record
// keys, the mapping the reader would use (auto-detected where not given), the first good samples, and every bad
// record counted. Produced off the GUI thread and handed back as a value.
struct DatasetScan {
    quint64 generation = 0; // which request this answers (stale ones are dropped)
    QString format;
    QString formatHow; // the rule that decided the format
    QString error; // fatal: nothing could be read
    QStringList keys; // record keys seen in the first rows, in first-seen order
    QJsonObject detected; // field -> key (or array of keys), as RecordMapper::describe gives it
    QVector<Sample> preview;
    qint64 goodRecords = 0;
    qint64 badRecords = 0;
    QStringList badReports; // "file:LINE: reason", the first 100

    static constexpr int kPreviewRows = 20;
    // Reads the whole dataset (bounded memory). Reports progress as the number of records read, throttled; stops
    // early when the promise is canceled.
    static void run(QPromise<DatasetScan>& promise, const BenchmarkSpec& spec, quint64 generation);
    // Record keys when no record could be mapped (e.g. no input key found): looked up in the raw file.
    static QStringList rawKeys(const QString& path, const QString& format);
};

} // namespace evs

Q_DECLARE_METATYPE(evs::DatasetScan)
