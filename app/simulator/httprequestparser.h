#pragma once

#include <QByteArray>
#include <QList>
#include <QPair>

namespace evs {

struct HttpRequest {
    QByteArray method;
    QByteArray path; // the target without its query
    QByteArray target; // as sent
    int minorVersion = 1; // HTTP/1.x
    QList<QPair<QByteArray, QByteArray>> headers; // names in lower case, values trimmed
    QByteArray body;
    bool keepAlive = true;

    QByteArray header(QByteArrayView lowerCaseName) const;
};

// Incremental HTTP/1.x request parser for one connection: bytes go in as they arrive, whole requests come out
// in order, so pipelined requests are served one after another. Bodies need Content-Length; chunked request
// bodies are refused (411), since nothing the engine sends uses them.
class HttpRequestParser {
public:
    enum class Status { NeedMore, Ready, Error };

    explicit HttpRequestParser(qsizetype maxHeaderBytes = 32 * 1024, qsizetype maxBodyBytes = 16 * 1024 * 1024);

    void feed(QByteArrayView data);
    // Ready: *request holds the next request. Error: the stream cannot be parsed further; the connection should
    // answer errorStatus() and close.
    Status next(HttpRequest* request);
    int errorStatus() const { return m_errorStatus; }
    const QByteArray& errorMessage() const { return m_errorMessage; }
    qsizetype bufferedBytes() const { return m_buffer.size() - m_pos; }

private:
    Status fail(int status, const char* message);
    Status parseHead(QByteArrayView head);

    qsizetype m_maxHeaderBytes;
    qsizetype m_maxBodyBytes;
    QByteArray m_buffer;
    qsizetype m_pos = 0; // consumed bytes at the front of m_buffer
    bool m_haveHead = false; // m_pending has its head; waiting for m_bodyLength bytes
    qsizetype m_bodyLength = 0;
    HttpRequest m_pending;
    int m_errorStatus = 0;
    QByteArray m_errorMessage;
};

} // namespace evs
