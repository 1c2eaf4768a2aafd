#include "app/simulator/simulatorconnection.h"

#include "app/simulator/simulatorstate.h"

#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTcpSocket>
#include <QTimer>

#include <cmath>

#ifdef Q_OS_UNIX
#include <sys/socket.h>
#endif

using namespace Qt::StringLiterals;

namespace evs {

namespace {

QByteArrayView reasonPhrase(int status)
{
    switch (status) {
    case 200:
        return "OK";
    case 400:
        return "Bad Request";
    case 404:
        return "Not Found";
    case 405:
        return "Method Not Allowed";
    case 411:
        return "Length Required";
    case 413:
        return "Content Too Large";
    case 429:
        return "Too Many Requests";
    case 431:
        return "Request Header Fields Too Large";
    case 503:
        return "Service Unavailable";
    case 505:
        return "HTTP Version Not Supported";
    default:
        return "Error";
    }
}

int countWords(QStringView text)
{
    int words = 0;
    bool inWord = false;
    for (QChar c : text) {
        const bool space = c.isSpace();
        if (!space && !inWord)
            ++words;
        inWord = !space;
    }
    return words;
}

// Content may be a string or an array of parts ({"type":"text","text":…}).
int countContentWords(const QJsonValue& content)
{
    if (content.isString())
        return countWords(content.toString());
    int words = 0;
    for (const QJsonValue& part : content.toArray())
        words += part.isString() ? countWords(part.toString()) : countWords(part[u"text"].toString());
    return words;
}

int promptWords(const QJsonObject& body, bool legacy)
{
    if (legacy)
        return countContentWords(body.value(u"prompt"));
    int words = 0;
    for (const QJsonValue& message : body.value(u"messages").toArray())
        words += countContentWords(message[u"content"]);
    return words;
}

// Numbers may arrive as JSON numbers.
QString valueText(const QJsonValue& value)
{
    if (value.isString())
        return value.toString();
    if (value.isDouble())
        return QString::number(value.toDouble(), 'g', 15);
    return {};
}

void appendHex(QByteArray& out, qsizetype n)
{
    char digits[16];
    int count = 0;
    do {
        digits[count++] = "0123456789abcdef"[n & 0xf];
        n >>= 4;
    } while (n > 0);
    while (count > 0)
        out += digits[--count];
}

} // namespace

SimulatorConnection::SimulatorConnection(QTcpSocket* socket, SimulatorState* state, QObject* parent)
    : QObject(parent)
    , m_socket(socket)
    , m_state(state)
    , m_timer(new QTimer(this))
{
    m_socket->setParent(this);
    // Tokens go out as they are produced, not when Nagle decides.
    m_socket->setSocketOption(QAbstractSocket::LowDelayOption, 1);
    m_timer->setSingleShot(true);
    m_timer->setTimerType(Qt::PreciseTimer);
    connect(m_timer, &QTimer::timeout, this, &SimulatorConnection::advance);
    connect(m_socket, &QTcpSocket::readyRead, this, &SimulatorConnection::onReadyRead);
    connect(m_socket, &QTcpSocket::disconnected, this, &SimulatorConnection::onDisconnected);
    m_state->connectionOpened();
}

SimulatorConnection::~SimulatorConnection()
{
    m_socket->disconnect(this);
    if (!m_closed) {
        m_closed = true;
        if (m_responding)
            m_state->responseFinished();
        m_state->connectionClosed();
    }
}

void SimulatorConnection::onReadyRead()
{
    const QByteArray data = m_socket->readAll();
    if (m_closing || m_closed)
        return;
    m_parser.feed(data);
    if (m_phase == Phase::Idle && !m_serving)
        serveQueued();
}

void SimulatorConnection::onDisconnected()
{
    if (m_closed)
        return;
    m_closed = true;
    m_closing = true;
    m_timer->stop();
    m_phase = Phase::Idle;
    if (m_responding) {
        m_responding = false;
        m_state->responseFinished();
    }
    m_state->connectionClosed();
    deleteLater();
}

void SimulatorConnection::serveQueued()
{
    m_serving = true;
    while (!m_closing && m_phase == Phase::Idle) {
        HttpRequest request;
        const HttpRequestParser::Status status = m_parser.next(&request);
        if (status == HttpRequestParser::Status::NeedMore)
            break;
        if (status == HttpRequestParser::Status::Error) {
            // The stream has lost its framing: answer and close.
            m_state->requestReceived();
            m_responding = true;
            m_state->responseStarted();
            m_closeAfter = true;
            sendError(m_parser.errorStatus(), "invalid_request_error", "bad_request",
                QString::fromLatin1(m_parser.errorMessage()));
            break;
        }
        serve(request);
    }
    m_serving = false;
}

void SimulatorConnection::serve(const HttpRequest& request)
{
    m_state->requestReceived();
    m_responding = true;
    m_state->responseStarted();
    m_closeAfter = !request.keepAlive;
    m_chunked = request.minorVersion >= 1;

    const bool chat = request.path == "/v1/chat/completions";
    if (chat || request.path == "/v1/completions") {
        if (request.method == "POST")
            serveCompletion(request, !chat);
        else
            sendError(
                405, "invalid_request_error", "method_not_allowed", u"Use POST for this path."_s, "Allow: POST\r\n");
    } else if (request.path == "/v1/models") {
        if (request.method == "GET")
            sendBody(200, simulatorwire::modelsBody(QDateTime::currentSecsSinceEpoch()));
        else
            sendError(
                405, "invalid_request_error", "method_not_allowed", u"Use GET for this path."_s, "Allow: GET\r\n");
    } else {
        sendError(404, "invalid_request_error", "not_found",
            u"Unknown path %1: the simulator serves /v1/models, /v1/chat/completions and /v1/completions."_s.arg(
                QString::fromUtf8(request.path)));
    }
}

void SimulatorConnection::serveCompletion(const HttpRequest& request, bool legacy)
{
    m_state->completionReceived();
    const SimulatorBehaviour& behaviour = m_state->behaviour();

    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(request.body, &parseError);
    if (parseError.error != QJsonParseError::NoError || !document.isObject()) {
        sendError(400, "invalid_request_error", "invalid_json",
            u"The body is not a JSON object: %1"_s.arg(parseError.errorString()));
        return;
    }
    const QJsonObject body = document.object();

    bool forced = false;
    SimulatorFault fault = SimulatorFault::None;
    if (const QByteArray name = request.header("x-sim-fault"); !name.isEmpty()) {
        fault = simulatorFaultFromName(QString::fromLatin1(name), &forced);
        if (!forced) {
            sendError(400, "invalid_request_error", "invalid_fault",
                u"Unknown X-Sim-Fault %1; use none, http_429, http_5xx, stall, reset, malformed or truncated."_s.arg(
                    QString::fromLatin1(name)));
            return;
        }
    }

    const QJsonObject sim = body.value(u"sim").toObject();
    SimulatorSample sample;
    sample.expected = valueText(sim.value(u"expected"));
    for (const QJsonValue& choice : sim.value(u"choices").toArray())
        sample.choices.append(valueText(choice));
    sample.key = sim.value(u"key").toString();
    if (sample.key.isEmpty())
        sample.key = u"body:"_s + QString::number(SimulatorBehaviour::hashBytes(request.body), 16);
    const int occurrence = m_state->nextOccurrence(sample.key);
    if (!forced)
        fault = behaviour.fault(sample.key, occurrence);
    if (fault != SimulatorFault::None)
        m_state->faultInjected(fault);

    switch (fault) {
    case SimulatorFault::Http429: {
        QByteArray retryAfter = request.header("x-sim-retry-after");
        if (retryAfter.isEmpty())
            retryAfter = QByteArray::number(behaviour.settings().retryAfterS);
        sendError(429, "rate_limit_error", "rate_limit_exceeded",
            u"Rate limit reached (simulated). Please try again in %1s."_s.arg(QString::fromLatin1(retryAfter)),
            QByteArray("Retry-After: " + retryAfter + "\r\n"));
        return;
    }
    case SimulatorFault::Http5xx:
        sendError(503, "server_error", "service_unavailable", u"The server is overloaded (simulated)."_s);
        return;
    case SimulatorFault::Reset:
        resetConnection();
        return;
    case SimulatorFault::Stall:
        m_phase = Phase::Stall;
        m_timer->start(std::max(0, behaviour.settings().stallMs));
        return;
    default:
        break;
    }

    m_fault = fault;
    // A response that will be cut says so in its headers, so that the client does not reuse the connection
    // and see a second, unrelated failure on it.
    if (fault == SimulatorFault::Truncated)
        m_closeAfter = true;
    const bool stream = body.value(u"stream").toBool();
    QString model = body.value(u"model").toString();
    if (model.isEmpty())
        model = u"sim-1"_s;
    m_shape.legacy = legacy;
    m_shape.includeUsage = stream && body.value(u"stream_options")[u"include_usage"].toBool();
    m_shape.model = simulatorwire::jsonString(model);
    m_shape.created = QDateTime::currentSecsSinceEpoch();
    m_shape.id = (legacy ? "cmpl-sim" : "chatcmpl-sim")
        + QByteArray::number(
            SimulatorBehaviour::hashKey(sample.key) ^ (quint64(occurrence) * 0x9E3779B97F4A7C15ULL) ^ behaviour.seed(),
            16);

    m_text = behaviour.answerText(sample);
    m_tokenEnds = SimulatorBehaviour::tokenEnds(m_text);
    m_finishReason = "stop";
    int maxTokens = body.value(u"max_completion_tokens").toInt(0);
    if (maxTokens <= 0)
        maxTokens = body.value(u"max_tokens").toInt(0);
    if (maxTokens > 0 && m_tokenEnds.size() > maxTokens) {
        m_tokenEnds.resize(maxTokens);
        m_text.truncate(m_tokenEnds.last());
        m_finishReason = "length";
    }
    m_promptTokens = promptWords(body, legacy);
    m_sent = 0;
    m_stopAt = m_tokenEnds.size();
    if (fault == SimulatorFault::Truncated)
        m_stopAt = std::max<qsizetype>(1, std::min<qsizetype>(3, m_tokenEnds.size() - 1));
    m_ttftMs = behaviour.timeToFirstTokenMs(sample.key, occurrence);
    m_tokenMs = std::max(0.0, behaviour.settings().tokenMs);
    m_clock.start();

    if (stream) {
        m_phase = Phase::Stream;
        if (!m_chunked)
            m_closeAfter = true; // HTTP/1.0: the end of the stream is the end of the connection
        // Headers (and the role chunk) go out at once, as vLLM does; the first token follows after the TTFT.
        appendHead(200, "text/event-stream", -1, "Cache-Control: no-cache\r\n");
        if (!legacy) {
            m_event.resize(0);
            simulatorwire::appendRoleEvent(m_event, m_shape);
            appendEvent();
        }
    } else {
        m_phase = Phase::Whole;
    }
    advance();
}

double SimulatorConnection::elapsedMs() const
{
    return double(m_clock.nsecsElapsed()) / 1e6;
}

void SimulatorConnection::scheduleAt(double dueMs)
{
    m_timer->start(std::max(0, int(std::ceil(dueMs - elapsedMs()))));
}

void SimulatorConnection::advance()
{
    switch (m_phase) {
    case Phase::Idle:
        return;
    case Phase::Stall:
        // The stall ends with the connection closed and nothing sent.
        m_closeAfter = true;
        finishResponse();
        return;
    case Phase::Whole: {
        const double dueMs = m_ttftMs + double(m_tokenEnds.size()) * m_tokenMs;
        if (elapsedMs() < dueMs) {
            scheduleAt(dueMs);
            return;
        }
        sendWhole();
        return;
    }
    case Phase::Stream:
        break;
    }

    // Send every token that is due; one token per event even when catching up.
    const double nowMs = elapsedMs();
    const qsizetype count = m_tokenEnds.size();
    while (m_sent < m_stopAt && m_ttftMs + double(m_sent) * m_tokenMs <= nowMs) {
        const qsizetype start = m_sent == 0 ? 0 : m_tokenEnds.at(m_sent - 1);
        const QStringView token = QStringView(m_text).sliced(start, m_tokenEnds.at(m_sent) - start);
        const bool last = m_sent == count - 1 && m_fault != SimulatorFault::Truncated;
        m_event.resize(0);
        simulatorwire::appendContentEvent(
            m_event, m_shape, token, (m_shape.legacy && last) ? QByteArrayView(m_finishReason) : QByteArrayView());
        if (m_fault == SimulatorFault::Malformed && m_sent == 0) {
            // Cut the first content event in half: the event is framed, its JSON is not.
            m_event.truncate((m_event.size() - 2) / 2);
            m_event += "\n\n";
        }
        appendEvent();
        ++m_sent;
    }
    if (m_sent < m_stopAt) {
        flush();
        scheduleAt(m_ttftMs + double(m_sent) * m_tokenMs);
        return;
    }
    if (m_fault == SimulatorFault::Truncated) {
        // No finish, no [DONE], no last chunk: the client must see a cut stream.
        flush();
        m_closeAfter = true;
        finishResponse();
        return;
    }
    m_event.resize(0);
    if (!m_shape.legacy)
        simulatorwire::appendFinishEvent(m_event, m_shape, m_finishReason);
    if (m_shape.includeUsage)
        simulatorwire::appendUsageEvent(m_event, m_shape, m_promptTokens, int(count));
    simulatorwire::appendDoneEvent(m_event);
    appendEvent();
    if (m_chunked)
        m_out += "0\r\n\r\n";
    flush();
    finishResponse();
}

void SimulatorConnection::sendWhole()
{
    QByteArray body
        = simulatorwire::wholeBody(m_shape, m_text, m_finishReason, m_promptTokens, int(m_tokenEnds.size()));
    if (m_fault == SimulatorFault::Malformed) {
        body.truncate(body.size() / 2);
    } else if (m_fault == SimulatorFault::Truncated) {
        // Promise the whole body, deliver half, close.
        appendHead(200, "application/json", body.size(), {});
        m_out += QByteArrayView(body).first(body.size() / 2);
        flush();
        m_closeAfter = true;
        finishResponse();
        return;
    }
    sendBody(200, body);
}

void SimulatorConnection::appendEvent()
{
    if (m_chunked) {
        appendHex(m_out, m_event.size());
        m_out += "\r\n";
        m_out += m_event;
        m_out += "\r\n";
    } else {
        m_out += m_event;
    }
}

void SimulatorConnection::flush()
{
    if (m_out.isEmpty())
        return;
    m_socket->write(m_out);
    m_out.resize(0);
}

void SimulatorConnection::appendHead(
    int status, QByteArrayView contentType, qsizetype contentLength, QByteArrayView extraHeaders)
{
    m_out += "HTTP/1.1 ";
    m_out += QByteArray::number(status);
    m_out += ' ';
    m_out += reasonPhrase(status);
    m_out += "\r\nServer: evalsandbox-sim\r\nContent-Type: ";
    m_out += contentType;
    if (contentLength >= 0) {
        m_out += "\r\nContent-Length: ";
        m_out += QByteArray::number(contentLength);
    } else if (m_chunked) {
        m_out += "\r\nTransfer-Encoding: chunked";
    }
    m_out += m_closeAfter ? "\r\nConnection: close\r\n" : "\r\nConnection: keep-alive\r\n";
    m_out += extraHeaders;
    m_out += "\r\n";
}

void SimulatorConnection::sendBody(int status, const QByteArray& body, QByteArrayView extraHeaders)
{
    appendHead(status, "application/json", body.size(), extraHeaders);
    m_out += body;
    flush();
    finishResponse();
}

void SimulatorConnection::sendError(
    int status, QByteArrayView type, QByteArrayView code, const QString& message, QByteArrayView extraHeaders)
{
    sendBody(status, simulatorwire::errorBody(type, code, message), extraHeaders);
}

void SimulatorConnection::finishResponse()
{
    m_phase = Phase::Idle;
    m_timer->stop();
    if (m_responding) {
        m_responding = false;
        m_state->responseFinished();
    }
    if (m_closeAfter) {
        closeGracefully();
        return;
    }
    if (!m_serving)
        serveQueued();
}

void SimulatorConnection::closeGracefully()
{
    m_closing = true;
    // Sends what is buffered, then FIN; disconnected() follows (possibly right away).
    m_socket->disconnectFromHost();
}

void SimulatorConnection::resetConnection()
{
#ifdef Q_OS_UNIX
    // A zero linger turns the close into an RST, the way a crashed server looks to its clients.
    const qintptr fd = m_socket->socketDescriptor();
    if (fd >= 0) {
        const linger abortive { 1, 0 };
        ::setsockopt(int(fd), SOL_SOCKET, SO_LINGER, &abortive, sizeof abortive);
    }
#endif
    m_socket->abort();
    onDisconnected(); // in case abort() did not emit disconnected()
}

} // namespace evs
