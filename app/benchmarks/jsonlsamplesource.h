#pragma once

#include "app/benchmarks/recordmapper.h"
#include "app/benchmarks/samplesource.h"

#include <QIODevice>

#include <memory>

namespace evs
{

// Reads JSON Lines one line at a time (QIODevice::readLine), so memory stays bounded whatever the file's size.
class JsonlSampleSource : public SampleSource
{
public:
    // displayName names the file in bad-record reports ("NAME:LINE: reason"). limit 0 = all samples.
    JsonlSampleSource(
        std::unique_ptr<QIODevice> device, const QString& displayName, const QJsonObject& fields, qint64 limit = 0);
    bool next(Sample* out) override;

private:
    bool readLine(QByteArray* line); // false at the end of the file

    std::unique_ptr<QIODevice> m_device;
    QString m_displayName;
    RecordMapper m_mapper;
    qint64 m_limit = 0;
    qint64 m_lineNumber = 0;
    qint64 m_goodRecords = 0;
};

} // namespace evs
