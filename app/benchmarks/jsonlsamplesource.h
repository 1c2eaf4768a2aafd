#pragma once

#include "app/benchmarks/recordsamplesource.h"

namespace evs {

// Reads JSON Lines one line at a time, in chunks, so memory stays bounded whatever the file's size.
class JsonlSampleSource : public RecordSampleSource {
public:
    // displayName names the file in bad-record reports ("NAME:LINE: reason"). limit 0 = all samples.
    JsonlSampleSource(
        std::unique_ptr<QIODevice> device, const QString& displayName, const QJsonObject& fields, qint64 limit = 0);

protected:
    Read readRecord(QJsonObject* record, qint64* line, QString* reason) override;

private:
    bool readLine(QByteArray* line, bool* tooLong); // false at the end of the file

    qint64 m_lineNumber = 0;
};

} // namespace evs
