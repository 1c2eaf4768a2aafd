#pragma once

// Independent readers of the export formats for the tests: an RFC 4180 CSV parser, a Prometheus text parser, a
// zlib inflater for PDF streams.

#include <QByteArray>
#include <QMap>
#include <QRegularExpression>
#include <QString>
#include <QStringList>
#include <QVector>

#include <zlib.h>

namespace evs::test {

using namespace Qt::StringLiterals;

// RFC 4180: fields separated by commas, records by CRLF; quoted fields may hold commas, CRLF and doubled quotes.
// Returns false on a malformed quote.
inline bool parseCsv(const QString& text, QVector<QStringList>* records)
{
    QStringList record;
    QString field;
    bool quoted = false, wasQuoted = false;
    for (qsizetype i = 0; i < text.size(); ++i) {
        const QChar c = text[i];
        if (quoted) {
            if (c == u'"') {
                if (i + 1 < text.size() && text[i + 1] == u'"') {
                    field += u'"';
                    ++i;
                } else {
                    quoted = false;
                }
            } else {
                field += c;
            }
            continue;
        }
        if (c == u'"') {
            if (!field.isEmpty() || wasQuoted)
                return false;
            quoted = wasQuoted = true;
        } else if (c == u',') {
            record << field;
            field.clear();
            wasQuoted = false;
        } else if (c == u'\r' && i + 1 < text.size() && text[i + 1] == u'\n') {
            record << field;
            records->append(record);
            record.clear();
            field.clear();
            wasQuoted = false;
            ++i;
        } else if (c == u'\n' || c == u'\r') {
            return false; // bare line break outside quotes
        } else {
            if (wasQuoted)
                return false;
            field += c;
        }
    }
    if (quoted)
        return false;
    if (!field.isEmpty() || !record.isEmpty()) {
        record << field;
        records->append(record);
    }
    return true;
}

struct PromSample {
    QString name;
    QMap<QString, QString> labels;
    double value = 0;
};

// Prometheus text format 0.0.4: # HELP / # TYPE lines and samples `name{l="v",...} value`. error says what is
// wrong: an invalid name, a sample before its TYPE, a bad label or value.
inline QVector<PromSample> parsePrometheus(const QString& text, QString* error, QMap<QString, QString>* types)
{
    static const QRegularExpression nameRe(u"^[a-zA-Z_:][a-zA-Z0-9_:]*$"_s);
    static const QRegularExpression labelRe(u"^([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\\\n]|\\\\[\\\\\"n])*)\""_s);
    QVector<PromSample> out;
    const QStringList lines = text.split(u'\n');
    for (qsizetype n = 0; n < lines.size(); ++n) {
        const QString& line = lines[n];
        if (line.isEmpty())
            continue;
        if (line.startsWith(u"# HELP "_s))
            continue;
        if (line.startsWith(u"# TYPE "_s)) {
            const QStringList parts = line.mid(7).split(u' ');
            if (parts.size() != 2 || !nameRe.match(parts[0]).hasMatch()) {
                *error = u"line %1: bad TYPE: %2"_s.arg(n + 1).arg(line);
                return {};
            }
            types->insert(parts[0], parts[1]);
            continue;
        }
        if (line.startsWith(u'#'))
            continue;
        PromSample s;
        qsizetype i = 0;
        while (i < line.size() && line[i] != u'{' && line[i] != u' ')
            ++i;
        s.name = line.left(i);
        if (!nameRe.match(s.name).hasMatch() || !types->contains(s.name)) {
            *error = u"line %1: bad or undeclared metric name: %2"_s.arg(n + 1).arg(line);
            return {};
        }
        if (i < line.size() && line[i] == u'{') {
            ++i;
            while (i < line.size() && line[i] != u'}') {
                const auto m = labelRe.match(line.mid(i));
                if (!m.hasMatch()) {
                    *error = u"line %1: bad label at %2: %3"_s.arg(n + 1).arg(i).arg(line);
                    return {};
                }
                QString v = m.captured(2);
                v.replace(u"\\n"_s, u"\n"_s).replace(u"\\\""_s, u"\""_s).replace(u"\\\\"_s, u"\\"_s);
                s.labels.insert(m.captured(1), v);
                i += m.capturedLength(0);
                if (i < line.size() && line[i] == u',')
                    ++i;
            }
            ++i;
        }
        const QString value = line.mid(i).trimmed();
        bool ok = false;
        s.value = value == u"NaN"_s ? std::nan("") : value.toDouble(&ok);
        if (value != u"NaN"_s && !ok) {
            *error = u"line %1: bad value: %2"_s.arg(n + 1).arg(line);
            return {};
        }
        out.append(s);
    }
    return out;
}

// The content of every Flate stream of a PDF, inflated.
inline QVector<QByteArray> pdfStreams(const QByteArray& pdf)
{
    QVector<QByteArray> out;
    qsizetype from = 0;
    while (true) {
        const qsizetype start = pdf.indexOf("stream", from);
        if (start < 0)
            break;
        qsizetype data = start + 6;
        if (pdf.mid(data, 2) == "\r\n")
            data += 2;
        else if (pdf.mid(data, 1) == "\n")
            data += 1;
        else {
            from = data;
            continue;
        }
        const qsizetype end = pdf.indexOf("endstream", data);
        if (end < 0)
            break;
        const QByteArray compressed = pdf.mid(data, end - data);
        z_stream z {};
        if (inflateInit(&z) == Z_OK) {
            QByteArray result;
            char buffer[65536];
            z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(compressed.constData()));
            z.avail_in = uInt(compressed.size());
            int rc = Z_OK;
            while (rc == Z_OK) {
                z.next_out = reinterpret_cast<Bytef*>(buffer);
                z.avail_out = sizeof buffer;
                rc = inflate(&z, Z_NO_FLUSH);
                result.append(buffer, qsizetype(sizeof buffer - z.avail_out));
            }
            inflateEnd(&z);
            out.append(rc == Z_STREAM_END ? result : compressed);
        }
        from = end + 9;
    }
    return out;
}

} // namespace evs::test
