#pragma once

#include <QString>
#include <QStringList>

class QIODevice;

namespace evs {

class ResultsStore;
struct ReportData;

// CSV (RFC 4180, CRLF line ends, UTF-8): a header line, then one row per sample (a final record of a model x
// sample x repeat) in store order. Timings are milliseconds relative to t_send (t_send itself: since the run's
// clock zero), written exactly from the stored nanoseconds. Streams from the store.
class CsvExport {
public:
    static QStringList columns();
    static bool write(const ResultsStore& store, const ReportData& d, QIODevice& out, QString* error);
    // Exact milliseconds from integer nanoseconds ("12.345678").
    static QString nsToMs(qint64 ns);
};

} // namespace evs
