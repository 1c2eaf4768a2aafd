#pragma once

#include "app/benchmarks/bytestream.h"
#include "app/benchmarks/recordsamplesource.h"

namespace evs {

// A JSON file holding one top-level array of record objects, read one element at a time: a small tokenizer
// finds where each element ends (strings and nesting tracked), and only that element is parsed. Memory stays
// bounded whatever the file's size; an element longer than 16 MiB is skipped and reported.
class JsonArraySampleSource : public RecordSampleSource {
public:
    JsonArraySampleSource(
        std::unique_ptr<QIODevice> device, const QString& displayName, const QJsonObject& fields, qint64 limit = 0);

protected:
    Read readRecord(QJsonObject* record, qint64* line, QString* reason) override;

private:
    int skipWhitespace(); // the next non-space byte, consumed; -1 at the end
    // Reads one element whose first byte is `first` up to (not including) its terminating ',' or ']' at depth 0,
    // which is returned in *terminator (-1 at the end of the file).
    bool readElement(int first, QByteArray* element, int* terminator, QString* reason);

    ByteStream m_in;
    enum class State { Start, Elements, Done } m_state = State::Start;
    int m_pending = -1; // a first byte already consumed
    qint64 m_trailingLine = 0; // where data follows the closing ']', reported once
};

} // namespace evs
