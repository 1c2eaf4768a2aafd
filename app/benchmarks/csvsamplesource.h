#pragma once

#include "app/benchmarks/bytestream.h"
#include "app/benchmarks/recordsamplesource.h"

#include <QByteArrayList>
#include <QStringList>

namespace evs {

// CSV and TSV per RFC 4180, streamed: quoted fields with embedded delimiters, newlines and doubled quotes, a UTF-8
// byte order mark, LF or CRLF line ends. The first row is the header (its names become the record's keys),
// except in the MMLU layout: no header, six columns (question, four choices, answer letter A-D).
class CsvSampleSource : public RecordSampleSource {
public:
    enum class Layout { Header, Mmlu };
    // category: the category given to MMLU rows (MMLU names its files after the subject); may be empty.
    CsvSampleSource(std::unique_ptr<QIODevice> device, const QString& displayName, const QJsonObject& fields,
        qint64 limit, char delimiter, Layout layout, const QString& category = {});

    enum class Row { Ok, Bad, End };
    // One row of a CSV stream (exposed for format sniffing): fields as raw bytes, *startLine where it begins.
    static Row readRow(ByteStream& in, char delimiter, QByteArrayList* fields, qint64* startLine, QString* reason);
    // Whether a first row looks like MMLU's headerless layout: six columns, the last a single letter A-D.
    static bool looksLikeMmlu(const QByteArrayList& firstRow);
    // "abstract_algebra" for ".../abstract_algebra_test.csv" (MMLU's file names); the base name otherwise.
    static QString categoryFromFileName(const QString& path);

protected:
    Read readRecord(QJsonObject* record, qint64* line, QString* reason) override;

private:
    bool readHeader();

    ByteStream m_in;
    char m_delimiter;
    Layout m_layout;
    QString m_category;
    bool m_started = false;
    QStringList m_header;
};

} // namespace evs
