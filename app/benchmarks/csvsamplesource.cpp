#include "app/benchmarks/csvsamplesource.h"

#include <QFileInfo>
#include <QJsonArray>
#include <QUtf8StringView>

using namespace Qt::StringLiterals;

namespace evs {

namespace {

constexpr qsizetype kMaxRecordBytes = 16 * 1024 * 1024;

bool toText(const QByteArray& bytes, QString* out)
{
    if (!QUtf8StringView(bytes).isValidUtf8())
        return false;
    *out = QString::fromUtf8(bytes);
    return true;
}

} // namespace

CsvSampleSource::CsvSampleSource(std::unique_ptr<QIODevice> device, const QString& displayName,
    const QJsonObject& fields, qint64 limit, char delimiter, Layout layout, const QString& category)
    : RecordSampleSource(std::move(device), displayName, fields, limit)
    , m_in(m_device.get())
    , m_delimiter(delimiter)
    , m_layout(layout)
    , m_category(category)
{
}

CsvSampleSource::Row CsvSampleSource::readRow(
    ByteStream& in, char delimiter, QByteArrayList* fields, qint64* startLine, QString* reason)
{
    for (;;) {
        fields->clear();
        *startLine = in.line();
        QByteArray field;
        qsizetype bytes = 0;
        bool inQuotes = false;
        bool quotedField = false;
        qint64 quoteLine = 0;
        bool tooLong = false;
        bool endOfRow = false;
        bool sawAnything = false;
        while (!endOfRow) {
            const int c = in.get();
            if (c < 0) {
                if (inQuotes) {
                    *reason = u"unterminated quoted field (the quote opens on line %1)"_s.arg(quoteLine);
                    return Row::Bad;
                }
                if (!sawAnything)
                    return Row::End;
                break;
            }
            sawAnything = true;
            if (++bytes > kMaxRecordBytes && !tooLong) {
                tooLong = true; // keep reading to the row's end, holding nothing
                field.clear();
                fields->clear();
            }
            if (inQuotes) {
                if (c == '"') {
                    if (in.peek() == '"') {
                        in.get();
                        field += '"';
                    } else {
                        inQuotes = false;
                    }
                } else if (!tooLong) {
                    field += char(c);
                }
            } else if (c == delimiter) {
                if (!tooLong)
                    fields->append(field);
                field.clear();
                quotedField = false;
            } else if (c == '\n' || c == '\r') {
                if (c == '\r' && in.peek() == '\n')
                    in.get();
                endOfRow = true;
            } else if (c == '"' && field.isEmpty() && !quotedField) {
                inQuotes = true;
                quotedField = true;
                quoteLine = in.line();
            } else if (!tooLong) {
                field += char(c); // lenient, like Python's csv: a stray quote inside a field is kept
            }
        }
        if (tooLong) {
            *reason = u"record longer than 16 MiB"_s;
            return Row::Bad;
        }
        fields->append(field);
        if (fields->size() == 1 && fields->constFirst().isEmpty() && !quotedField)
            continue; // blank line
        return Row::Ok;
    }
}

bool CsvSampleSource::looksLikeMmlu(const QByteArrayList& row)
{
    if (row.size() != 6)
        return false;
    const QByteArray last = row.constLast().trimmed().toUpper();
    return last.size() == 1 && last.at(0) >= 'A' && last.at(0) <= 'D';
}

QString CsvSampleSource::categoryFromFileName(const QString& path)
{
    QString base = QFileInfo(path).completeBaseName();
    for (const QString& suffix : { u"_test"_s, u"_dev"_s, u"_val"_s, u"_validation"_s, u"_train"_s }) {
        if (base.endsWith(suffix))
            return base.chopped(suffix.size());
    }
    return base;
}

bool CsvSampleSource::readHeader()
{
    QByteArrayList fields;
    qint64 line = 0;
    QString reason;
    const Row r = readRow(m_in, m_delimiter, &fields, &line, &reason);
    if (r == Row::End)
        return false; // an empty file: no samples, no error
    if (r == Row::Bad) {
        m_error = m_displayName + u":"_s + QString::number(line) + u": header: "_s + reason;
        return false;
    }
    for (qsizetype i = 0; i < fields.size(); ++i) {
        QString name;
        if (!toText(fields[i], &name)) {
            m_error = m_displayName + u":"_s + QString::number(line) + u": header: invalid UTF-8"_s;
            return false;
        }
        name = name.trimmed();
        if (name.isEmpty())
            name = u"column%1"_s.arg(i + 1);
        // A repeated name would hide a column: number the repeats.
        const QString base = name;
        for (int n = 2; m_header.contains(name); ++n)
            name = base + u'_' + QString::number(n);
        m_header << name;
    }
    return true;
}

RecordSampleSource::Read CsvSampleSource::readRecord(QJsonObject* record, qint64* line, QString* reason)
{
    if (!m_started) {
        m_started = true;
        m_in.skipBom();
        if (m_layout == Layout::Header && !readHeader())
            return Read::End;
    }
    if (m_layout == Layout::Header && m_header.isEmpty())
        return Read::End;
    QByteArrayList fields;
    switch (readRow(m_in, m_delimiter, &fields, line, reason)) {
    case Row::End:
        return Read::End;
    case Row::Bad:
        return Read::Bad;
    case Row::Ok:
        break;
    }
    QStringList texts;
    for (qsizetype i = 0; i < fields.size(); ++i) {
        QString text;
        if (!toText(fields[i], &text)) {
            *reason = u"invalid UTF-8 in column %1"_s.arg(i + 1);
            return Read::Bad;
        }
        texts << text;
    }
    if (m_layout == Layout::Mmlu) {
        if (texts.size() != 6) {
            *reason = u"expected 6 columns (question, 4 choices, answer letter), found %1"_s.arg(texts.size());
            return Read::Bad;
        }
        const QString answer = texts[5].trimmed().toUpper();
        if (answer.size() != 1 || answer.at(0) < u'A' || answer.at(0) > u'D') {
            *reason = u"answer must be a letter A-D, found \"%1\""_s.arg(texts[5].left(40));
            return Read::Bad;
        }
        *record = QJsonObject { { u"question"_s, texts[0] },
            { u"choices"_s, QJsonArray::fromStringList(texts.mid(1, 4)) }, { u"answer"_s, answer } };
        if (!m_category.isEmpty())
            record->insert(u"category"_s, m_category);
        return Read::Record;
    }
    if (texts.size() != m_header.size()) {
        *reason = u"expected %1 columns (as the header), found %2"_s.arg(m_header.size()).arg(texts.size());
        return Read::Bad;
    }
    QJsonObject o;
    for (qsizetype i = 0; i < texts.size(); ++i)
        o.insert(m_header[i], texts[i]);
    *record = o;
    return Read::Record;
}

} // namespace evs
