#pragma once

#include "app/benchmarks/recordmapper.h"
#include "app/benchmarks/samplesource.h"

#include <QIODevice>
#include <QJsonObject>

#include <memory>

namespace evs {

// The part every file reader shares: it pulls raw records from a subclass, maps them to samples, counts and
// reports the bad ones ("NAME:LINE: reason") and stops after the limit. Subclasses only tokenize.
class RecordSampleSource : public SampleSource {
public:
    bool next(Sample* out) final;

protected:
    RecordSampleSource(
        std::unique_ptr<QIODevice> device, const QString& displayName, const QJsonObject& fields, qint64 limit);

    enum class Read { Record, Bad, End };
    // The next raw record, or a bad one with its reason, or the end (with m_error set when reading failed).
    // *line is the 1-based line where the record starts.
    virtual Read readRecord(QJsonObject* record, qint64* line, QString* reason) = 0;

    std::unique_ptr<QIODevice> m_device;
    QString m_displayName;

private:
    RecordMapper m_mapper;
    qint64 m_limit = 0;
    qint64 m_goodRecords = 0;
};

} // namespace evs
