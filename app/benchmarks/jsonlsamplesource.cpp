#include "app/benchmarks/jsonlsamplesource.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QUtf8StringView>

using namespace Qt::StringLiterals;

namespace evs
{

namespace
{
    constexpr qint64 kMaxLineBytes = 16 * 1024 * 1024;
}

JsonlSampleSource::JsonlSampleSource(
    std::unique_ptr<QIODevice> device, const QString& displayName, const QJsonObject& fields, qint64 limit)
    : m_device(std::move(device))
    , m_displayName(displayName)
    , m_mapper(fields)
    , m_limit(limit)
{
}

bool JsonlSampleSource::readLine(QByteArray* line)
{
    if (m_device->atEnd())
        return false;
    // Read in chunks (QIODevice::readLine(maxSize) would allocate maxSize for every line).
    line->clear();
    char chunk[64 * 1024];
    bool tooLong = false;
    for (;;) {
        const qint64 n = m_device->readLine(chunk, sizeof chunk);
        if (n <= 0)
            break;
        if (!tooLong && line->size() + n > kMaxLineBytes) {
            tooLong = true; // skip the rest of the line without holding it
            line->clear();
        }
        if (!tooLong)
            line->append(chunk, n);
        if (chunk[n - 1] == '\n')
            break;
    }
    ++m_lineNumber;
    if (tooLong) {
        reportBad(m_displayName + u':' + QString::number(m_lineNumber), u"record longer than 16 MiB"_s);
        return true;
    }
    if (m_lineNumber == 1 && line->startsWith("\xEF\xBB\xBF"))
        line->remove(0, 3);
    while (line->endsWith('\n') || line->endsWith('\r'))
        line->chop(1);
    return true;
}

bool JsonlSampleSource::next(Sample* out)
{
    if (m_limit > 0 && m_goodRecords >= m_limit)
        return false;
    QByteArray line;
    while (readLine(&line)) {
        if (line.trimmed().isEmpty())
            continue;
        const QString where = m_displayName + u':' + QString::number(m_lineNumber);
        if (!QUtf8StringView(line).isValidUtf8()) {
            reportBad(where, u"invalid UTF-8"_s);
            continue;
        }
        QJsonParseError parseError;
        const QJsonDocument doc = QJsonDocument::fromJson(line, &parseError);
        if (parseError.error != QJsonParseError::NoError) {
            reportBad(where,
                u"invalid JSON at column "_s + QString::number(parseError.offset + 1) + u": "_s
                    + parseError.errorString());
            continue;
        }
        if (!doc.isObject()) {
            reportBad(where, u"not a JSON object"_s);
            continue;
        }
        QString reason;
        if (!m_mapper.map(doc.object(), m_goodRecords, out, &reason)) {
            reportBad(where, reason);
            continue;
        }
        ++m_goodRecords;
        return true;
    }
    return false;
}

} // namespace evs
