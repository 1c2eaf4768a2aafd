#include "app/benchmarks/recordsamplesource.h"

using namespace Qt::StringLiterals;

namespace evs {

RecordSampleSource::RecordSampleSource(
    std::unique_ptr<QIODevice> device, const QString& displayName, const QJsonObject& fields, qint64 limit)
    : m_device(std::move(device))
    , m_displayName(displayName)
    , m_mapper(fields)
    , m_limit(limit)
{
}

bool RecordSampleSource::next(Sample* out)
{
    if (m_limit > 0 && m_goodRecords >= m_limit)
        return false;
    for (;;) {
        QJsonObject record;
        qint64 line = 0;
        QString reason;
        const Read r = readRecord(&record, &line, &reason);
        if (r == Read::End)
            return false;
        const QString where = m_displayName + u':' + QString::number(line);
        if (r == Read::Bad) {
            reportBad(where, reason);
            continue;
        }
        if (!m_mapper.map(record, m_goodRecords, out, &reason)) {
            reportBad(where, reason);
            continue;
        }
        ++m_goodRecords;
        return true;
    }
}

} // namespace evs
