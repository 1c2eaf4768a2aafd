#include "app/benchmarks/jsonlsamplesource.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QStringDecoder>

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
    *line = m_device->readLine(kMaxLineBytes + 1);
    ++m_lineNumber;
    if (line->size() > kMaxLineBytes && !line->endsWith('\n')) {
        // Too long to be a sane record: skip the rest of the line without holding it.
        while (!m_device->atEnd() && !m_device->readLine(1024 * 1024).endsWith('\n')) { }
        line->clear();
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
        QStringDecoder decoder(QStringDecoder::Utf8);
        const QString text = decoder(line); // decoded only to validate
        Q_UNUSED(text)
        if (decoder.hasError()) {
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
