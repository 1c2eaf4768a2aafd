#pragma once

#include <QJsonObject>
#include <QString>

class QIODevice;

namespace evs {

class ResultsStore;
struct ReportData;

// JSON: the run's summary (RunSummary::toJson() of computeRunSummary), its thresholds, and the metric definitions.
class JsonExport {
public:
    static QJsonObject document(const ReportData& d);
    static bool write(const ReportData& d, QIODevice& out, QString* error);
};

// JSONL: one raw record per request (a final record of a model x sample x repeat), its failed attempts included.
// Streams from the store: memory does not grow with the run.
class JsonlExport {
public:
    static bool write(const ResultsStore& store, const ReportData& d, QIODevice& out, QString* error);
};

} // namespace evs
