#pragma once

#include "app/reports/reportformat.h"

#include <QFuture>
#include <QString>

class QIODevice;

namespace evs {

class ResultsStore;

// Writes a report of one stored run in any format; the entry point of `evalsandbox-cli report` and the GUI's
// Reports page. Every number comes from the store (computeRunSummary and the results rows).
//
// HTML and PDF paint charts, so a QGuiApplication must exist (the CLI runs one on the offscreen platform);
// painting happens on the calling thread, which may be any thread.
class ReportWriter {
public:
    // Opens its own connection to the store at dbPath, so it may run on a worker thread. The file is replaced
    // atomically: a failed export leaves no partial file.
    static bool write(const QString& dbPath, qint64 runId, ReportFormat format, const QString& path, QString* error);
    // With a store opened on the calling thread.
    static bool write(
        const ResultsStore& store, qint64 runId, ReportFormat format, const QString& path, QString* error);
    static bool write(const ResultsStore& store, qint64 runId, ReportFormat format, QIODevice& out, QString* error);

    // write(dbPath, ...) on Qt's global thread pool; the result is empty on success, else the error. For the GUI:
    // watch it with a QFutureWatcher (guard the receiver with a QPointer).
    static QFuture<QString> writeAsync(const QString& dbPath, qint64 runId, ReportFormat format, const QString& path);

    static bool needsGui(ReportFormat format); // HTML and PDF
};

} // namespace evs
