#include "app/benchmarks/jsonlsamplesource.h"

#include <QJsonDocument>
#include <QUtf8StringView>

using namespace Qt::StringLiterals;

namespace evs {

namespace {
constexpr qint64 kMaxLineBytes = 16 * 1024 * 1024;
}

JsonlSampleSource::JsonlSampleSource(
    std::unique_ptr<QIODevice> device, const QString& displayName, const QJsonObject& fields, qint64 limit)
    : RecordSampleSource(std::move(device), displayName, fields, limit)
{
}

bool JsonlSampleSource::readLine(QByteArray* line, bool* tooLong)
{
    if (m_device->atEnd())
        return false;
    // Read in chunks (QIODevice::readLine(maxSize) would allocate maxSize for every line).
    line->clear();
    *tooLong = false;
    char chunk[64 * 1024];
    for (;;) {
        const qint64 n = m_device->readLine(chunk, sizeof chunk);
        if (n <= 0)
            break;
        if (!*tooLong && line->size() + n > kMaxLineBytes) {
            *tooLong = true; // skip the rest of the line without holding it
            line->clear();
        }
        if (!*tooLong)
            line->append(chunk, n);
        if (chunk[n - 1] == '\n')
            break;
    }
    ++m_lineNumber;
    if (m_lineNumber == 1 && line->startsWith("\xEF\xBB\xBF"))
        line->remove(0, 3);
    while (line->endsWith('\n') || line->endsWith('\r'))
        line->chop(1);
    return true;
}

RecordSampleSource::Read JsonlSampleSource::readRecord(QJsonObject* record, qint64* lineNumber, QString* reason)
{
    QByteArray line;
    bool tooLong = false;
    while (readLine(&line, &tooLong)) {
        *lineNumber = m_lineNumber;
        if (tooLong) {
            *reason = u"record longer than 16 MiB"_s;
            return Read::Bad;
        }
        if (line.trimmed().isEmpty())
            continue;
        if (!QUtf8StringView(line).isValidUtf8()) {
            *reason = u"invalid UTF-8"_s;
            return Read::Bad;
        }
        QJsonParseError parseError;
        const QJsonDocument doc = QJsonDocument::fromJson(line, &parseError);
        if (parseError.error != QJsonParseError::NoError) {
            *reason = u"invalid JSON at column "_s + QString::number(parseError.offset + 1) + u": "_s
                + parseError.errorString();
            return Read::Bad;
        }
        if (!doc.isObject()) {
            *reason = u"not a JSON object"_s;
            return Read::Bad;
        }
        *record = doc.object();
        return Read::Record;
    }
    return Read::End;
}

} // namespace evs
