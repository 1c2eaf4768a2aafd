#pragma once

#include <QByteArray>
#include <QByteArrayView>

namespace evs {

// Splits a byte stream into lines ending in LF, CRLF or a lone CR, whatever the chunking.
// Complete lines inside one chunk are handed out as views into that chunk, without copying;
// only a line that spans chunks is assembled in a buffer whose capacity is reused.
class LineSplitter {
public:
    template<typename OnLine> void feed(QByteArrayView bytes, OnLine&& onLine)
    {
        const char* p = bytes.data();
        const char* const end = p + bytes.size();
        if (m_skipLf && p < end) {
            // The previous chunk ended in CR: an LF right after it belongs to the same line ending.
            if (*p == '\n')
                ++p;
            m_skipLf = false;
        }
        while (p < end) {
            const char* eol = p;
            while (eol < end && *eol != '\n' && *eol != '\r')
                ++eol;
            if (eol == end) {
                m_partial.append(p, end - p);
                return;
            }
            if (m_partial.isEmpty()) {
                onLine(QByteArrayView(p, eol - p));
            } else {
                m_partial.append(p, eol - p);
                onLine(QByteArrayView(m_partial));
                m_partial.resize(0);
            }
            if (*eol == '\r') {
                if (eol + 1 == end) {
                    m_skipLf = true;
                    return;
                }
                p = eol[1] == '\n' ? eol + 2 : eol + 1;
            } else {
                p = eol + 1;
            }
        }
    }

    // The stream ended: an unterminated last line is still a line.
    template<typename OnLine> void finish(OnLine&& onLine)
    {
        if (!m_partial.isEmpty()) {
            onLine(QByteArrayView(m_partial));
            m_partial.resize(0);
        }
        m_skipLf = false;
    }

private:
    QByteArray m_partial;
    bool m_skipLf = false;
};

} // namespace evs
