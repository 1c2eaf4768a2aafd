#include "app/simulator/httprequestparser.h"

namespace evs {

namespace {

bool isTokenChar(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
        || QByteArrayView("!#$%&'*+-.^_`|~").contains(c);
}

bool isToken(QByteArrayView s)
{
    return !s.isEmpty() && std::all_of(s.begin(), s.end(), isTokenChar);
}

bool hasToken(QByteArrayView list, QByteArrayView token)
{
    for (QByteArrayView item : QByteArray::fromRawData(list.data(), list.size()).split(',')) {
        if (item.trimmed().compare(token, Qt::CaseInsensitive) == 0)
            return true;
    }
    return false;
}

} // namespace

QByteArray HttpRequest::header(QByteArrayView lowerCaseName) const
{
    for (const auto& [name, value] : headers) {
        if (name == lowerCaseName)
            return value;
    }
    return {};
}

HttpRequestParser::HttpRequestParser(qsizetype maxHeaderBytes, qsizetype maxBodyBytes)
    : m_maxHeaderBytes(maxHeaderBytes)
    , m_maxBodyBytes(maxBodyBytes)
{
}

void HttpRequestParser::feed(QByteArrayView data)
{
    if (m_errorStatus != 0)
        return;
    // Drop consumed bytes only when they dominate, so pipelined requests don't make parsing quadratic.
    if (m_pos > 0 && m_pos >= m_buffer.size() / 2) {
        m_buffer.remove(0, m_pos);
        m_pos = 0;
    }
    m_buffer.append(data);
}

HttpRequestParser::Status HttpRequestParser::fail(int status, const char* message)
{
    m_errorStatus = status;
    m_errorMessage = message;
    m_buffer.clear();
    m_pos = 0;
    return Status::Error;
}

HttpRequestParser::Status HttpRequestParser::next(HttpRequest* request)
{
    if (m_errorStatus != 0)
        return Status::Error;
    if (!m_haveHead) {
        // Empty lines before a request line are allowed (RFC 9112 section 2.2).
        while (m_pos + 1 < m_buffer.size() && m_buffer.at(m_pos) == '\r' && m_buffer.at(m_pos + 1) == '\n')
            m_pos += 2;
        const qsizetype end = m_buffer.indexOf("\r\n\r\n", m_pos);
        if (end < 0) {
            if (m_buffer.size() - m_pos > m_maxHeaderBytes)
                return fail(431, "request header fields too large");
            return Status::NeedMore;
        }
        if (end - m_pos > m_maxHeaderBytes)
            return fail(431, "request header fields too large");
        const Status status = parseHead(QByteArrayView(m_buffer).sliced(m_pos, end - m_pos));
        if (status == Status::Error)
            return status;
        m_pos = end + 4;
        m_haveHead = true;
    }
    if (m_buffer.size() - m_pos < m_bodyLength)
        return Status::NeedMore;
    m_pending.body = m_buffer.mid(m_pos, m_bodyLength);
    m_pos += m_bodyLength;
    if (m_pos == m_buffer.size()) {
        m_buffer.resize(0);
        m_pos = 0;
    }
    m_haveHead = false;
    m_bodyLength = 0;
    *request = std::move(m_pending);
    m_pending = HttpRequest();
    return Status::Ready;
}

HttpRequestParser::Status HttpRequestParser::parseHead(QByteArrayView head)
{
    m_pending = HttpRequest();
    qsizetype lineEnd = head.indexOf("\r\n");
    const QByteArrayView requestLine = lineEnd < 0 ? head : head.first(lineEnd);

    const qsizetype sp1 = requestLine.indexOf(' ');
    const qsizetype sp2 = sp1 < 0 ? -1 : requestLine.indexOf(' ', sp1 + 1);
    if (sp1 <= 0 || sp2 <= sp1 + 1)
        return fail(400, "malformed request line");
    const QByteArrayView method = requestLine.first(sp1);
    const QByteArrayView target = requestLine.sliced(sp1 + 1, sp2 - sp1 - 1);
    const QByteArrayView version = requestLine.sliced(sp2 + 1);
    if (!isToken(method) || target.contains(' ') || !target.startsWith('/'))
        return fail(400, "malformed request line");
    if (!version.startsWith("HTTP/"))
        return fail(400, "malformed request line");
    if (version != "HTTP/1.1" && version != "HTTP/1.0")
        return fail(505, "HTTP version not supported");
    m_pending.method = method.toByteArray();
    m_pending.target = target.toByteArray();
    const qsizetype query = target.indexOf('?');
    m_pending.path = (query < 0 ? target : target.first(query)).toByteArray();
    m_pending.minorVersion = version.back() - '0';

    bool haveLength = false;
    qsizetype length = 0;
    while (lineEnd >= 0) {
        const qsizetype start = lineEnd + 2;
        lineEnd = head.indexOf("\r\n", start);
        const QByteArrayView line = head.sliced(start, (lineEnd < 0 ? head.size() : lineEnd) - start);
        const qsizetype colon = line.indexOf(':');
        if (colon <= 0 || !isToken(line.first(colon)))
            return fail(400, "malformed header field");
        QByteArray name = line.first(colon).toByteArray().toLower();
        const QByteArrayView value = line.sliced(colon + 1).trimmed();
        if (name == "content-length") {
            bool ok = false;
            const qlonglong n = value.toLongLong(&ok);
            if (!ok || n < 0 || !std::all_of(value.begin(), value.end(), [](char c) { return c >= '0' && c <= '9'; }))
                return fail(400, "invalid Content-Length");
            if (haveLength && n != length)
                return fail(400, "conflicting Content-Length");
            if (n > m_maxBodyBytes)
                return fail(413, "request body too large");
            haveLength = true;
            length = qsizetype(n);
        } else if (name == "transfer-encoding") {
            return fail(411, "chunked request bodies are not supported; send Content-Length");
        }
        m_pending.headers.append({ std::move(name), value.toByteArray() });
    }
    m_bodyLength = length;

    const QByteArray connection = m_pending.header("connection");
    m_pending.keepAlive
        = m_pending.minorVersion >= 1 ? !hasToken(connection, "close") : hasToken(connection, "keep-alive");
    return Status::Ready;
}

} // namespace evs
