#include "app/benchmarks/jsonarraysamplesource.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QUtf8StringView>

using namespace Qt::StringLiterals;

namespace evs {

namespace {

constexpr qsizetype kMaxElementBytes = 16 * 1024 * 1024;

bool isSpace(int c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

} // namespace

JsonArraySampleSource::JsonArraySampleSource(
    std::unique_ptr<QIODevice> device, const QString& displayName, const QJsonObject& fields, qint64 limit)
    : RecordSampleSource(std::move(device), displayName, fields, limit)
    , m_in(m_device.get())
{
}

int JsonArraySampleSource::skipWhitespace()
{
    for (;;) {
        const int c = m_in.get();
        if (!isSpace(c))
            return c;
    }
}

bool JsonArraySampleSource::readElement(int first, QByteArray* element, int* terminator, QString* reason)
{
    int depth = 0;
    bool inString = false;
    bool escaped = false;
    bool tooLong = false;
    for (int c = first;; c = m_in.get()) {
        if (c < 0) {
            *terminator = -1;
            *reason = inString ? u"the file ends inside a string (truncated?)"_s
                               : u"the file ends inside the array (truncated?)"_s;
            return false;
        }
        if (inString) {
            if (escaped)
                escaped = false;
            else if (c == '\\')
                escaped = true;
            else if (c == '"')
                inString = false;
        } else if (c == '"') {
            inString = true;
        } else if (c == '{' || c == '[') {
            ++depth;
        } else if (c == '}' || c == ']') {
            if (depth == 0 && c == ']') {
                *terminator = c;
                break;
            }
            depth = std::max(0, depth - 1);
        } else if (c == ',' && depth == 0) {
            *terminator = c;
            break;
        }
        if (!tooLong) {
            element->append(char(c));
            if (element->size() > kMaxElementBytes) {
                tooLong = true; // keep scanning to its end, holding nothing
                element->clear();
            }
        }
    }
    if (tooLong) {
        *reason = u"record longer than 16 MiB"_s;
        return false;
    }
    return true;
}

RecordSampleSource::Read JsonArraySampleSource::readRecord(QJsonObject* record, qint64* line, QString* reason)
{
    if (m_state == State::Start) {
        m_in.skipBom();
        const int c = skipWhitespace();
        *line = m_in.line();
        if (c < 0) {
            m_state = State::Done; // an empty file: no samples
            return Read::End;
        }
        if (c != '[') {
            m_state = State::Done;
            m_error = m_displayName + u':' + QString::number(*line)
                + u": a JSON dataset must be one array of objects, [ {...}, {...} ]; found '"_s + QChar(c)
                + u"' (for one object per line use JSON Lines, format \"jsonl\")"_s;
            return Read::End;
        }
        m_state = State::Elements;
        const int next = skipWhitespace();
        if (next == ']') {
            m_state = State::Done;
            return Read::End;
        }
        if (next < 0) {
            m_state = State::Done;
            *reason = u"the file ends inside the array (truncated?)"_s;
            return Read::Bad;
        }
        m_pending = next;
    }
    if (m_state == State::Done) {
        if (m_trailingLine == 0)
            return Read::End;
        *line = m_trailingLine;
        m_trailingLine = 0;
        *reason = u"data after the closing ']' is ignored"_s;
        return Read::Bad;
    }

    const int first = m_pending >= 0 ? m_pending : skipWhitespace();
    m_pending = -1;
    *line = m_in.line();
    if (first < 0) {
        m_state = State::Done;
        *reason = u"the file ends inside the array (truncated?)"_s;
        return Read::Bad;
    }
    if (first == ']' || first == ',') {
        // "[1,]" or "[,": an empty element.
        if (first == ']') {
            m_state = State::Done;
            *reason = u"a trailing comma before ']'"_s;
        } else {
            *reason = u"an empty element (two commas)"_s;
        }
        return Read::Bad;
    }
    QByteArray element;
    int terminator = -1;
    if (!readElement(first, &element, &terminator, reason)) {
        if (terminator < 0)
            m_state = State::Done;
        return Read::Bad;
    }
    if (terminator == ']') {
        m_state = State::Done;
        const int trailing = skipWhitespace();
        if (trailing >= 0)
            m_trailingLine = m_in.line();
    }
    if (!QUtf8StringView(element).isValidUtf8()) {
        *reason = u"invalid UTF-8"_s;
        return Read::Bad;
    }
    // Parsed inside brackets, so that scalars are reported as "not a JSON object" rather than as syntax errors.
    QJsonParseError parseError;
    const QJsonDocument doc = QJsonDocument::fromJson('[' + element + ']', &parseError);
    if (parseError.error != QJsonParseError::NoError || doc.array().size() != 1) {
        *reason = parseError.error != QJsonParseError::NoError
            ? u"invalid JSON in this element: "_s + parseError.errorString()
            : u"invalid JSON in this element (a missing comma?)"_s;
        return Read::Bad;
    }
    const QJsonValue value = doc.array().at(0);
    if (!value.isObject()) {
        *reason = u"not a JSON object"_s;
        return Read::Bad;
    }
    *record = value.toObject();
    return Read::Record;
}

} // namespace evs
