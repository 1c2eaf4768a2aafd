#pragma once

#include <QByteArray>
#include <QIODevice>

namespace evs {

// Buffered byte-at-a-time reading of a device, in 64 KiB chunks, for the tokenizers of the dataset readers.
// Counts lines ('\n') as they are consumed.
class ByteStream {
public:
    explicit ByteStream(QIODevice* device)
        : m_device(device)
    {
    }
    // The next byte, or -1 at the end.
    int get()
    {
        if (m_pos >= m_buffer.size() && !fill())
            return -1;
        const char c = m_buffer.at(m_pos++);
        if (c == '\n')
            ++m_line;
        return static_cast<unsigned char>(c);
    }
    int peek()
    {
        if (m_pos >= m_buffer.size() && !fill())
            return -1;
        return static_cast<unsigned char>(m_buffer.at(m_pos));
    }
    // Drops a UTF-8 byte order mark at the very start.
    void skipBom()
    {
        if (peek() == 0xEF && m_buffer.mid(m_pos, 3) == "\xEF\xBB\xBF")
            m_pos += 3;
    }
    qint64 line() const { return m_line; } // 1-based line of the next byte

private:
    bool fill()
    {
        // Keep unread bytes (at most two: skipBom may look ahead) in front of the next chunk.
        m_buffer = m_buffer.mid(m_pos);
        m_pos = 0;
        const QByteArray chunk = m_device->read(64 * 1024);
        if (chunk.isEmpty())
            return !m_buffer.isEmpty();
        m_buffer += chunk;
        return true;
    }

    QIODevice* m_device;
    QByteArray m_buffer;
    qsizetype m_pos = 0;
    qint64 m_line = 1;
};

} // namespace evs
