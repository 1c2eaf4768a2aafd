#include "app/simulator/simulatorserver.h"

#include <QElapsedTimer>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QSignalSpy>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTest>

#include <memory>

using namespace Qt::StringLiterals;
using namespace evs;

namespace {

// Settings that answer at once, so that only the tests about time wait.
SimulatorSettings instant(double accuracy = 1.0)
{
    SimulatorSettings settings;
    settings.accuracy = accuracy;
    settings.latencyMs = 0;
    settings.tailMs = 0;
    settings.tokenMs = 0;
    settings.stallMs = 150;
    return settings;
}

std::unique_ptr<SimulatorHost> startHost(const SimulatorSettings& settings, quint64 seed = 7)
{
    auto host = std::make_unique<SimulatorHost>(settings, seed);
    QString error;
    if (!host->start(0, &error)) {
        qWarning("%s", qPrintable(error));
        return nullptr;
    }
    return host;
}

QJsonObject chatRequest(const QString& key, const QString& expected = u"B"_s,
    const QStringList& choices = { u"one"_s, u"two"_s, u"three"_s, u"four"_s })
{
    QJsonObject sim { { u"expected"_s, expected }, { u"key"_s, key } };
    if (!choices.isEmpty())
        sim.insert(u"choices"_s, QJsonArray::fromStringList(choices));
    return QJsonObject {
        { u"model"_s, u"sim-1"_s },
        { u"messages"_s,
            QJsonArray { QJsonObject { { u"role"_s, u"system"_s }, { u"content"_s, u"Be brief."_s } },
                QJsonObject {
                    { u"role"_s, u"user"_s }, { u"content"_s, u"Which one is right? Answer A B C or D."_s } } } },
        { u"sim"_s, sim },
    };
}

QByteArray toJson(const QJsonObject& object)
{
    return QJsonDocument(object).toJson(QJsonDocument::Compact);
}

QByteArray post(QByteArrayView path, const QByteArray& body, QByteArrayView extraHeaders = {})
{
    return "POST " + path.toByteArray() + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
        + "Content-Length: " + QByteArray::number(body.size()) + "\r\n" + extraHeaders.toByteArray() + "\r\n" + body;
}

struct RawResponse {
    int status = 0;
    QList<QPair<QByteArray, QByteArray>> headers;
    QByteArray body;
    QByteArray header(QByteArrayView name) const
    {
        for (const auto& [key, value] : headers) {
            if (key.compare(name, Qt::CaseInsensitive) == 0)
                return value;
        }
        return {};
    }
};

// Takes one complete response off the front of buffer (Content-Length or chunked); false while incomplete.
bool takeResponse(QByteArray& buffer, RawResponse* response)
{
    const qsizetype headEnd = buffer.indexOf("\r\n\r\n");
    if (headEnd < 0)
        return false;
    RawResponse r;
    const QList<QByteArray> lines = buffer.left(headEnd).split('\n');
    r.status = lines.first().split(' ').value(1).toInt();
    for (qsizetype i = 1; i < lines.size(); ++i) {
        const qsizetype colon = lines[i].indexOf(':');
        r.headers.append({ lines[i].left(colon).trimmed(), lines[i].mid(colon + 1).trimmed() });
    }
    qsizetype pos = headEnd + 4;
    if (r.header("transfer-encoding") == "chunked") {
        for (;;) {
            const qsizetype lineEnd = buffer.indexOf("\r\n", pos);
            if (lineEnd < 0)
                return false;
            bool ok = false;
            const qsizetype size = buffer.mid(pos, lineEnd - pos).toLongLong(&ok, 16);
            if (!ok || buffer.size() < lineEnd + 2 + size + 2)
                return false;
            r.body += buffer.mid(lineEnd + 2, size);
            pos = lineEnd + 2 + size + 2;
            if (size == 0)
                break;
        }
    } else {
        const qsizetype length = r.header("content-length").toLongLong();
        if (buffer.size() < pos + length)
            return false;
        r.body = buffer.mid(pos, length);
        pos += length;
    }
    buffer.remove(0, pos);
    *response = r;
    return true;
}

// The "data:" payloads of a server-sent event stream.
QList<QByteArray> sseData(const QByteArray& body)
{
    QList<QByteArray> data;
    for (const QByteArray& event : body.split('\n')) {
        if (event.startsWith("data: "))
            data.append(event.mid(6));
    }
    return data;
}

QJsonObject parseObject(const QByteArray& json)
{
    QJsonParseError error;
    const QJsonDocument document = QJsonDocument::fromJson(json, &error);
    return error.error == QJsonParseError::NoError ? document.object() : QJsonObject();
}

bool isValidJson(const QByteArray& json)
{
    QJsonParseError error;
    QJsonDocument::fromJson(json, &error);
    return error.error == QJsonParseError::NoError;
}

// A bare HTTP client on one connection, for what QNetworkAccessManager hides: pipelining, resets, cut streams.
class RawClient {
public:
    explicit RawClient(quint16 port) { m_socket.connectToHost(QHostAddress::LocalHost, port); }

    bool waitConnected()
    {
        return waitFor([this] { return m_socket.state() == QAbstractSocket::ConnectedState; });
    }
    void send(const QByteArray& data) { m_socket.write(data); }
    bool readResponse(RawResponse* response, int timeoutMs = 5000)
    {
        return waitFor([&] { return takeResponse(m_buffer, response); }, timeoutMs);
    }
    bool waitClosed(int timeoutMs = 5000)
    {
        return waitFor([this] { return m_socket.state() == QAbstractSocket::UnconnectedState; }, timeoutMs);
    }
    bool waitForBytes(qsizetype n, int timeoutMs = 5000)
    {
        return waitFor([&] { return m_buffer.size() >= n; }, timeoutMs);
    }
    bool waitForText(QByteArrayView text, int timeoutMs = 5000)
    {
        return waitFor([&] { return m_buffer.contains(text); }, timeoutMs);
    }
    QByteArray& buffer() { return m_buffer; }
    QTcpSocket& socket() { return m_socket; }

private:
    template<class Done> bool waitFor(Done done, int timeoutMs = 5000)
    {
        QElapsedTimer timer;
        timer.start();
        for (;;) {
            m_buffer += m_socket.readAll();
            if (done())
                return true;
            if (timer.elapsed() > timeoutMs)
                return false;
            if (m_socket.state() == QAbstractSocket::UnconnectedState && m_socket.bytesAvailable() == 0)
                return done();
            QSignalSpy activity(&m_socket, &QIODevice::readyRead);
            activity.wait(20);
        }
    }

    QTcpSocket m_socket;
    QByteArray m_buffer;
};

} // namespace

class TestSimulator : public QObject {
    Q_OBJECT
private slots:
    void modelsList();
    void wholeChatAnswer();
    void wholeLegacyAnswer();
    void streamShape_data();
    void streamShape();
    void outputTokensAndMaxTokens();
    void sameKeySameAnswer();
    void accuracyOverTheWire_data();
    void accuracyOverTheWire();
    void faults_data();
    void faults();
    void retryAfterHeader();
    void faultRedrawnPerAttempt();
    void unknownForcedFault();
    void keepAlive();
    void pipelined();
    void http10ClosesAfterResponse();
    void http10StreamEndsWithTheConnection();
    void clientLeavesMidStream();
    void maxInFlightReachesConcurrency();
    void latencyIsHonoured();
    void errors_data();
    void errors();
    void hostReportsBusyPort();
    void resetCounters();

private:
    QByteArray fetch(const SimulatorHost& host, const QString& path, const QByteArray& body, int* status = nullptr,
        QNetworkReply::NetworkError* error = nullptr, QByteArray* retryAfter = nullptr, const QByteArray& fault = {});
    QNetworkAccessManager m_nam;
};

QByteArray TestSimulator::fetch(const SimulatorHost& host, const QString& path, const QByteArray& body, int* status,
    QNetworkReply::NetworkError* error, QByteArray* retryAfter, const QByteArray& fault)
{
    QNetworkRequest request(QUrl(host.baseUrl() + path));
    request.setHeader(QNetworkRequest::ContentTypeHeader, u"application/json"_s);
    if (!fault.isEmpty())
        request.setRawHeader("X-Sim-Fault", fault);
    QNetworkReply* reply = body.isNull() ? m_nam.get(request) : m_nam.post(request, body);
    QSignalSpy finished(reply, &QNetworkReply::finished);
    if (!reply->isFinished() && !finished.wait(10000))
        qWarning("no reply for %s", qPrintable(path));
    if (status)
        *status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    if (error)
        *error = reply->error();
    if (retryAfter)
        *retryAfter = reply->rawHeader("Retry-After");
    const QByteArray data = reply->readAll();
    reply->deleteLater();
    return data;
}

void TestSimulator::modelsList()
{
    auto host = startHost(instant());
    QVERIFY(host);
    QVERIFY(host->baseUrl().startsWith(u"http://127.0.0.1:"_s));
    int status = 0;
    const QJsonObject list = parseObject(fetch(*host, u"/models"_s, QByteArray(), &status));
    QCOMPARE(status, 200);
    QCOMPARE(list[u"object"_s].toString(), u"list"_s);
    const QJsonArray data = list[u"data"_s].toArray();
    QCOMPARE(data.size(), 1);
    QCOMPARE(data[0][u"id"_s].toString(), u"sim-1"_s);
    QCOMPARE(data[0][u"object"_s].toString(), u"model"_s);
    QCOMPARE(host->counters().requests, 1);
    QCOMPARE(host->counters().completions, 0);
}

void TestSimulator::wholeChatAnswer()
{
    auto host = startHost(instant(1.0));
    QVERIFY(host);
    int status = 0;
    const QJsonObject answer = parseObject(fetch(*host, u"/chat/completions"_s, toJson(chatRequest(u"q1"_s)), &status));
    QCOMPARE(status, 200);
    QCOMPARE(answer[u"object"_s].toString(), u"chat.completion"_s);
    QVERIFY(answer[u"id"_s].toString().startsWith(u"chatcmpl-"_s));
    QCOMPARE(answer[u"model"_s].toString(), u"sim-1"_s);
    QVERIFY(answer[u"created"_s].toInteger() > 0);
    const QJsonObject choice = answer[u"choices"_s][0].toObject();
    QCOMPARE(choice[u"index"_s].toInt(), 0);
    QCOMPARE(choice[u"finish_reason"_s].toString(), u"stop"_s);
    QCOMPARE(choice[u"message"_s][u"role"_s].toString(), u"assistant"_s);
    QCOMPARE(choice[u"message"_s][u"content"_s].toString(), u"The answer is B."_s);
    const QJsonObject usage = answer[u"usage"_s].toObject();
    QCOMPARE(usage[u"prompt_tokens"_s].toInt(), 12); // words of both messages
    QCOMPARE(usage[u"completion_tokens"_s].toInt(), 5);
    QCOMPARE(usage[u"total_tokens"_s].toInt(), 17);
    QCOMPARE(host->counters().completions, 1);
}

void TestSimulator::wholeLegacyAnswer()
{
    auto host = startHost(instant(1.0));
    QVERIFY(host);
    const QJsonObject request { { u"model"_s, u"sim-legacy"_s }, { u"prompt"_s, u"2 + 40 ="_s },
        { u"sim"_s, QJsonObject { { u"expected"_s, 42 }, { u"key"_s, u"arith/1"_s } } } };
    int status = 0;
    const QJsonObject answer = parseObject(fetch(*host, u"/completions"_s, toJson(request), &status));
    QCOMPARE(status, 200);
    QCOMPARE(answer[u"object"_s].toString(), u"text_completion"_s);
    QCOMPARE(answer[u"model"_s].toString(), u"sim-legacy"_s);
    QCOMPARE(answer[u"choices"_s][0][u"text"_s].toString(), u"42"_s);
    QCOMPARE(answer[u"choices"_s][0][u"finish_reason"_s].toString(), u"stop"_s);
    QCOMPARE(answer[u"usage"_s][u"prompt_tokens"_s].toInt(), 4);
    QCOMPARE(answer[u"usage"_s][u"completion_tokens"_s].toInt(), 1);
}

void TestSimulator::streamShape_data()
{
    QTest::addColumn<bool>("legacy");
    QTest::addColumn<bool>("includeUsage");
    QTest::addColumn<double>("tokenMs");
    QTest::addRow("chat") << false << false << 0.0;
    QTest::addRow("chat with usage") << false << true << 0.0;
    QTest::addRow("chat paced") << false << true << 2.0;
    QTest::addRow("legacy") << true << false << 0.0;
    QTest::addRow("legacy with usage") << true << true << 1.0;
}

void TestSimulator::streamShape()
{
    QFETCH(bool, legacy);
    QFETCH(bool, includeUsage);
    QFETCH(double, tokenMs);
    SimulatorSettings settings = instant(1.0);
    settings.tokenMs = tokenMs;
    settings.outputTokens = 12;
    auto host = startHost(settings);
    QVERIFY(host);

    QJsonObject request = chatRequest(u"s1"_s, u"Paris"_s, {});
    if (legacy) {
        request.remove(u"messages"_s);
        request.insert(u"prompt"_s, u"The capital of France is"_s);
    }
    request.insert(u"stream"_s, true);
    if (includeUsage)
        request.insert(u"stream_options"_s, QJsonObject { { u"include_usage"_s, true } });
    const QString path = legacy ? u"/completions"_s : u"/chat/completions"_s;
    int status = 0;
    QNetworkReply::NetworkError error = QNetworkReply::UnknownNetworkError;
    const QList<QByteArray> events = sseData(fetch(*host, path, toJson(request), &status, &error));
    QCOMPARE(status, 200);
    QCOMPARE(error, QNetworkReply::NoError);
    QVERIFY(events.size() > 3);
    QCOMPARE(events.last(), "[DONE]");

    QList<QJsonObject> chunks;
    for (qsizetype i = 0; i < events.size() - 1; ++i) {
        QVERIFY2(isValidJson(events[i]), events[i].constData());
        chunks.append(parseObject(events[i]));
    }
    const QString object = legacy ? u"text_completion"_s : u"chat.completion.chunk"_s;
    const QString id = chunks.first()[u"id"_s].toString();
    for (const QJsonObject& chunk : chunks) {
        QCOMPARE(chunk[u"object"_s].toString(), object);
        QCOMPARE(chunk[u"id"_s].toString(), id);
    }

    QJsonObject usage;
    if (includeUsage) {
        usage = chunks.takeLast();
        QVERIFY(usage[u"choices"_s].toArray().isEmpty());
        QVERIFY(usage[u"usage"_s].isObject());
        for (const QJsonObject& chunk : chunks)
            QVERIFY(chunk[u"usage"_s].isNull() && chunk.contains(u"usage"_s));
    }

    QString content;
    int tokenEvents = 0;
    if (legacy) {
        for (qsizetype i = 0; i < chunks.size(); ++i) {
            const QJsonObject choice = chunks[i][u"choices"_s][0].toObject();
            content += choice[u"text"_s].toString();
            ++tokenEvents;
            const bool last = i == chunks.size() - 1;
            QCOMPARE(choice[u"finish_reason"_s].toString(), last ? u"stop"_s : QString());
        }
    } else {
        const QJsonObject role = chunks.takeFirst()[u"choices"_s][0][u"delta"_s].toObject();
        QCOMPARE(role[u"role"_s].toString(), u"assistant"_s);
        QVERIFY(role.contains(u"content"_s) && role[u"content"_s].toString().isEmpty());
        const QJsonObject finish = chunks.takeLast()[u"choices"_s][0].toObject();
        QVERIFY(finish[u"delta"_s].toObject().isEmpty());
        QCOMPARE(finish[u"finish_reason"_s].toString(), u"stop"_s);
        for (const QJsonObject& chunk : chunks) {
            const QJsonObject delta = chunk[u"choices"_s][0][u"delta"_s].toObject();
            QCOMPARE(delta.keys(), QStringList { u"content"_s });
            QVERIFY(!delta[u"content"_s].toString().isEmpty());
            QVERIFY(chunk[u"choices"_s][0][u"finish_reason"_s].isNull());
            content += delta[u"content"_s].toString();
            ++tokenEvents;
        }
    }
    QCOMPARE(tokenEvents, 12);
    QVERIFY2(content.endsWith(u" Paris"_s), qPrintable(content));
    if (includeUsage) {
        QCOMPARE(usage[u"usage"_s][u"completion_tokens"_s].toInt(), tokenEvents);
        QCOMPARE(
            usage[u"usage"_s][u"total_tokens"_s].toInt(), tokenEvents + usage[u"usage"_s][u"prompt_tokens"_s].toInt());
    }
}

void TestSimulator::outputTokensAndMaxTokens()
{
    SimulatorSettings settings = instant(1.0);
    settings.outputTokens = 64;
    auto host = startHost(settings);
    QVERIFY(host);
    QJsonObject answer = parseObject(fetch(*host, u"/chat/completions"_s, toJson(chatRequest(u"pad"_s, u"42"_s, {}))));
    QCOMPARE(answer[u"usage"_s][u"completion_tokens"_s].toInt(), 64);
    QVERIFY(answer[u"choices"_s][0][u"message"_s][u"content"_s].toString().endsWith(u" 42"_s));

    QJsonObject limited = chatRequest(u"pad"_s, u"42"_s, {});
    limited.insert(u"max_tokens"_s, 10);
    answer = parseObject(fetch(*host, u"/chat/completions"_s, toJson(limited)));
    QCOMPARE(answer[u"usage"_s][u"completion_tokens"_s].toInt(), 10);
    QCOMPARE(answer[u"choices"_s][0][u"finish_reason"_s].toString(), u"length"_s);
}

void TestSimulator::sameKeySameAnswer()
{
    auto first = startHost(instant(0.5), 99);
    auto second = startHost(instant(0.5), 99);
    QVERIFY(first && second);
    for (int i = 0; i < 20; ++i) {
        const QByteArray body = toJson(chatRequest(u"det/%1"_s.arg(i), u"17"_s, {}));
        const QJsonObject a = parseObject(fetch(*first, u"/chat/completions"_s, body));
        const QJsonObject b = parseObject(fetch(*first, u"/chat/completions"_s, body)); // a retry
        const QJsonObject c = parseObject(fetch(*second, u"/chat/completions"_s, body)); // another run
        const QString content = a[u"choices"_s][0][u"message"_s][u"content"_s].toString();
        QVERIFY(!content.isEmpty());
        QCOMPARE(b[u"choices"_s][0][u"message"_s][u"content"_s].toString(), content);
        QCOMPARE(c[u"choices"_s][0][u"message"_s][u"content"_s].toString(), content);
    }
}

void TestSimulator::accuracyOverTheWire_data()
{
    QTest::addColumn<double>("accuracy");
    QTest::addColumn<int>("low");
    QTest::addColumn<int>("high");
    QTest::addRow("1.0") << 1.0 << 500 << 500;
    QTest::addRow("0.0") << 0.0 << 0 << 0;
    QTest::addRow("0.8") << 0.8 << 370 << 430; // 500 keys, about +-3.4 standard deviations
}

void TestSimulator::accuracyOverTheWire()
{
    QFETCH(double, accuracy);
    QFETCH(int, low);
    QFETCH(int, high);
    auto host = startHost(instant(accuracy));
    QVERIFY(host);
    // All 500 pipelined on one connection: also a check that pipelining keeps order under load.
    RawClient client(host->port());
    QVERIFY(client.waitConnected());
    QByteArray wire;
    for (int i = 0; i < 500; ++i)
        wire += post("/v1/chat/completions", toJson(chatRequest(u"mc/%1"_s.arg(i), u"C"_s)));
    client.send(wire);
    int right = 0;
    for (int i = 0; i < 500; ++i) {
        RawResponse response;
        QVERIFY(client.readResponse(&response));
        QCOMPARE(response.status, 200);
        const QString content = parseObject(response.body)[u"choices"_s][0][u"message"_s][u"content"_s].toString();
        QVERIFY2(content.startsWith(u"The answer is "_s), qPrintable(content));
        right += content == u"The answer is C."_s;
    }
    QVERIFY2(right >= low && right <= high, qPrintable(QString::number(right)));
    QCOMPARE(host->counters().connectionsAccepted, 1);
}

void TestSimulator::faults_data()
{
    QTest::addColumn<QString>("fault");
    QTest::addColumn<bool>("byHeader");
    QTest::addColumn<bool>("stream");
    const QStringList faults = { u"http_429"_s, u"http_5xx"_s, u"stall"_s, u"reset"_s, u"malformed"_s, u"truncated"_s };
    for (const QString& fault : faults) {
        for (bool byHeader : { true, false }) {
            for (bool stream : { false, true }) {
                QTest::addRow(
                    "%s %s %s", qPrintable(fault), byHeader ? "header" : "probability", stream ? "stream" : "whole")
                    << fault << byHeader << stream;
            }
        }
    }
}

void TestSimulator::faults()
{
    QFETCH(QString, fault);
    QFETCH(bool, byHeader);
    QFETCH(bool, stream);
    SimulatorSettings settings = instant(1.0);
    settings.retryAfterS = 3;
    settings.outputTokens = 10;
    if (!byHeader)
        settings.faults.insert(fault, 1.0);
    auto host = startHost(settings);
    QVERIFY(host);

    RawClient client(host->port());
    QVERIFY(client.waitConnected());
    QJsonObject request = chatRequest(u"f1"_s);
    if (stream)
        request.insert(u"stream"_s, true);
    client.send(post("/v1/chat/completions", toJson(request),
        byHeader ? QByteArray("X-Sim-Fault: " + fault.toLatin1() + "\r\n") : QByteArray()));

    const SimulatorCounters before = host->counters();
    Q_UNUSED(before);
    RawResponse response;
    if (fault == u"http_429"_s || fault == u"http_5xx"_s) {
        QVERIFY(client.readResponse(&response));
        const bool rateLimited = fault == u"http_429"_s;
        QCOMPARE(response.status, rateLimited ? 429 : 503);
        const QJsonObject error = parseObject(response.body)[u"error"_s].toObject();
        QCOMPARE(error[u"type"_s].toString(), rateLimited ? u"rate_limit_error"_s : u"server_error"_s);
        QVERIFY(!error[u"message"_s].toString().isEmpty());
        QCOMPARE(response.header("retry-after"), rateLimited ? QByteArray("3") : QByteArray());
        // An error answer keeps the connection usable.
        client.send(post("/v1/chat/completions", toJson(chatRequest(u"f2"_s)), "X-Sim-Fault: none\r\n"));
        QVERIFY(client.readResponse(&response));
        QCOMPARE(response.status, 200);
    } else if (fault == u"stall"_s || fault == u"reset"_s) {
        QVERIFY(client.waitClosed());
        QVERIFY2(client.buffer().isEmpty(), client.buffer().constData());
    } else if (fault == u"malformed"_s) {
        QVERIFY(client.readResponse(&response));
        QCOMPARE(response.status, 200);
        if (stream) {
            const QList<QByteArray> events = sseData(response.body);
            QCOMPARE(events.last(), "[DONE]");
            QCOMPARE(
                std::count_if(events.begin(), events.end() - 1, [](const QByteArray& e) { return !isValidJson(e); }),
                1);
        } else {
            QVERIFY(!response.body.isEmpty());
            QVERIFY(!isValidJson(response.body));
        }
    } else if (fault == u"truncated"_s) {
        QVERIFY(client.waitClosed());
        QByteArray& received = client.buffer();
        QVERIFY(received.startsWith("HTTP/1.1 200 "));
        QVERIFY(!takeResponse(received, &response)); // never complete
        if (stream) {
            QVERIFY(!received.contains("[DONE]"));
            QVERIFY(!received.contains("\"finish_reason\":\"stop\""));
            QVERIFY(received.contains("\"delta\":{\"content\":"));
        } else {
            const qsizetype headEnd = received.indexOf("\r\n\r\n");
            const QByteArray head = received.left(headEnd).toLower();
            const qsizetype promised
                = head.mid(head.indexOf("content-length:") + 15).split('\r').first().trimmed().toLongLong();
            QVERIFY(promised > received.size() - headEnd - 4);
        }
    }

    const SimulatorCounters counters = host->counters();
    const qint64 counted = fault == u"http_429"_s ? counters.faults429
        : fault == u"http_5xx"_s                  ? counters.faults5xx
        : fault == u"stall"_s                     ? counters.faultsStall
        : fault == u"reset"_s                     ? counters.faultsReset
        : fault == u"malformed"_s                 ? counters.faultsMalformed
                                                  : counters.faultsTruncated;
    QCOMPARE(counted, 1);
    QVERIFY(counters.completions >= 1);
}

void TestSimulator::retryAfterHeader()
{
    auto host = startHost(instant());
    QVERIFY(host);
    RawClient client(host->port());
    QVERIFY(client.waitConnected());
    client.send(
        post("/v1/chat/completions", toJson(chatRequest(u"r"_s)), "X-Sim-Fault: http_429\r\nX-Sim-Retry-After: 7\r\n"));
    RawResponse response;
    QVERIFY(client.readResponse(&response));
    QCOMPARE(response.status, 429);
    QCOMPARE(response.header("retry-after"), "7");

    // And through QNAM, with the default from the settings.
    int status = 0;
    QByteArray retryAfter;
    fetch(*host, u"/chat/completions"_s, toJson(chatRequest(u"r"_s)), &status, nullptr, &retryAfter, "http_429");
    QCOMPARE(status, 429);
    QCOMPARE(retryAfter, "1");
}

void TestSimulator::faultRedrawnPerAttempt()
{
    SimulatorSettings settings = instant();
    settings.faults.insert(u"http_5xx"_s, 0.5);
    const auto outcomes = [&settings] {
        auto host = startHost(settings, 3);
        RawClient client(host->port());
        client.waitConnected();
        QString statuses;
        for (int attempt = 0; attempt < 40; ++attempt) {
            client.send(post("/v1/chat/completions", toJson(chatRequest(u"same-sample"_s))));
            RawResponse response;
            if (!client.readResponse(&response))
                return QString();
            statuses += response.status == 200 ? u'.' : u'x';
        }
        return statuses;
    };
    const QString run = outcomes();
    QCOMPARE(run.size(), 40);
    QVERIFY2(run.contains(u'.') && run.contains(u'x'), qPrintable(run)); // retries draw afresh
    QCOMPARE(outcomes(), run); // and the sequence reproduces
}

void TestSimulator::unknownForcedFault()
{
    auto host = startHost(instant());
    QVERIFY(host);
    int status = 0;
    const QJsonObject body = parseObject(
        fetch(*host, u"/chat/completions"_s, toJson(chatRequest(u"u"_s)), &status, nullptr, nullptr, "teapot"));
    QCOMPARE(status, 400);
    QVERIFY(body[u"error"_s][u"message"_s].toString().contains(u"teapot"_s));
}

void TestSimulator::keepAlive()
{
    auto host = startHost(instant());
    QVERIFY(host);
    RawClient client(host->port());
    QVERIFY(client.waitConnected());
    for (int i = 0; i < 5; ++i) {
        QJsonObject request = chatRequest(u"ka/%1"_s.arg(i));
        request.insert(u"stream"_s, i % 2 == 1);
        client.send(post("/v1/chat/completions", toJson(request)));
        RawResponse response;
        QVERIFY(client.readResponse(&response));
        QCOMPARE(response.status, 200);
        QCOMPARE(response.header("connection"), "keep-alive");
    }
    client.send("GET /v1/models HTTP/1.1\r\nHost: x\r\n\r\n");
    RawResponse response;
    QVERIFY(client.readResponse(&response));
    QCOMPARE(response.status, 200);
    QCOMPARE(host->counters().connectionsAccepted, 1);
    QCOMPARE(host->counters().requests, 6);
}

void TestSimulator::pipelined()
{
    SimulatorSettings settings = instant();
    settings.latencyMs = 20; // the first answer is still pending when the others arrive
    settings.tokenMs = 1;
    auto host = startHost(settings);
    QVERIFY(host);
    RawClient client(host->port());
    QVERIFY(client.waitConnected());
    QByteArray wire;
    const QStringList expected = { u"11"_s, u"22"_s, u"33"_s, u"44"_s };
    for (qsizetype i = 0; i < expected.size(); ++i) {
        QJsonObject request = chatRequest(u"p/%1"_s.arg(i), expected[i], {});
        request.insert(u"stream"_s, i % 2 == 0);
        wire += post("/v1/chat/completions", toJson(request));
    }
    wire += "GET /v1/models HTTP/1.1\r\nHost: x\r\n\r\n";
    client.send(wire);
    for (qsizetype i = 0; i < expected.size(); ++i) {
        RawResponse response;
        QVERIFY(client.readResponse(&response));
        QCOMPARE(response.status, 200);
        QString content;
        if (i % 2 == 0) {
            for (const QByteArray& event : sseData(response.body))
                content += parseObject(event)[u"choices"_s][0][u"delta"_s][u"content"_s].toString();
        } else {
            content = parseObject(response.body)[u"choices"_s][0][u"message"_s][u"content"_s].toString();
        }
        QCOMPARE(content, expected[i]);
    }
    RawResponse models;
    QVERIFY(client.readResponse(&models));
    QVERIFY(models.body.contains("\"sim-1\""));
}

void TestSimulator::http10ClosesAfterResponse()
{
    auto host = startHost(instant());
    QVERIFY(host);
    RawClient client(host->port());
    QVERIFY(client.waitConnected());
    client.send("GET /v1/models HTTP/1.0\r\n\r\n");
    RawResponse response;
    QVERIFY(client.readResponse(&response));
    QCOMPARE(response.status, 200);
    QCOMPARE(response.header("connection"), "close");
    QVERIFY(client.waitClosed());
}

void TestSimulator::http10StreamEndsWithTheConnection()
{
    auto host = startHost(instant());
    QVERIFY(host);
    RawClient client(host->port());
    QVERIFY(client.waitConnected());
    QJsonObject request = chatRequest(u"old"_s);
    request.insert(u"stream"_s, true);
    const QByteArray body = toJson(request);
    client.send(
        "POST /v1/chat/completions HTTP/1.0\r\nContent-Length: " + QByteArray::number(body.size()) + "\r\n\r\n" + body);
    QVERIFY(client.waitClosed());
    const QByteArray received = client.buffer();
    const qsizetype headEnd = received.indexOf("\r\n\r\n");
    QVERIFY(headEnd > 0);
    const QByteArray head = received.left(headEnd).toLower();
    QVERIFY(!head.contains("transfer-encoding"));
    QVERIFY(head.contains("connection: close"));
    QCOMPARE(sseData(received.mid(headEnd + 4)).last(), "[DONE]");
}

void TestSimulator::clientLeavesMidStream()
{
    SimulatorSettings settings = instant();
    settings.tokenMs = 5;
    settings.outputTokens = 400;
    auto host = startHost(settings);
    QVERIFY(host);
    for (int i = 0; i < 5; ++i) {
        RawClient client(host->port());
        QVERIFY(client.waitConnected());
        QJsonObject request = chatRequest(u"leave/%1"_s.arg(i));
        request.insert(u"stream"_s, true);
        client.send(post("/v1/chat/completions", toJson(request)));
        QVERIFY(client.waitForBytes(600)); // headers, the role chunk and a few tokens
        if (i % 2)
            client.socket().abort();
        else
            client.socket().disconnectFromHost();
    }
    // The server is still healthy.
    int status = 0;
    fetch(*host, u"/models"_s, QByteArray(), &status);
    QCOMPARE(status, 200);
    QTRY_COMPARE(host->counters().requests, 6);
}

void TestSimulator::maxInFlightReachesConcurrency()
{
    SimulatorSettings settings = instant();
    settings.latencyMs = 200;
    settings.tailMs = 200;
    auto host = startHost(settings);
    QVERIFY(host);
    const int clients = 64;
    std::vector<std::unique_ptr<RawClient>> raw;
    for (int i = 0; i < clients; ++i)
        raw.push_back(std::make_unique<RawClient>(host->port()));
    for (auto& client : raw) {
        QVERIFY(client->waitConnected());
        client->send(post("/v1/chat/completions", toJson(chatRequest(u"c/%1"_s.arg(quintptr(client.get()))))));
    }
    for (auto& client : raw) {
        RawResponse response;
        QVERIFY(client->readResponse(&response));
        QCOMPARE(response.status, 200);
    }
    const SimulatorCounters counters = host->counters();
    QCOMPARE(counters.maxInFlight, clients);
    QCOMPARE(counters.maxOpenConnections, clients);
    QCOMPARE(counters.connectionsAccepted, clients);
    QCOMPARE(counters.completions, clients);
}

void TestSimulator::latencyIsHonoured()
{
    SimulatorSettings settings = instant();
    settings.latencyMs = 100;
    settings.tailMs = 0;
    settings.tokenMs = 10;
    auto host = startHost(settings);
    QVERIFY(host);
    // Lower bounds only: timers never fire early, but a loaded machine may be late.
    QElapsedTimer timer;
    timer.start();
    fetch(*host, u"/chat/completions"_s, toJson(chatRequest(u"t"_s))); // 5 tokens: 100 + 5 * 10 ms
    QVERIFY2(timer.elapsed() >= 145, qPrintable(QString::number(timer.elapsed())));

    RawClient client(host->port());
    QVERIFY(client.waitConnected());
    QJsonObject request = chatRequest(u"t2"_s);
    request.insert(u"stream"_s, true);
    timer.restart();
    client.send(post("/v1/chat/completions", toJson(request)));
    QVERIFY(client.waitForBytes(1)); // headers and the role chunk come at once
    QVERIFY(!client.buffer().contains("\"content\":\"The\""));
    QVERIFY(client.waitForText("\"content\":\"The\""));
    QVERIFY2(timer.elapsed() >= 95, qPrintable(QString::number(timer.elapsed())));
}

void TestSimulator::errors_data()
{
    QTest::addColumn<QByteArray>("wire");
    QTest::addColumn<int>("status");
    QTest::addColumn<bool>("closes");
    QTest::addRow("unknown path") << QByteArray("GET /v1/embeddings HTTP/1.1\r\nHost: x\r\n\r\n") << 404 << false;
    QTest::addRow("root") << QByteArray("GET / HTTP/1.1\r\nHost: x\r\n\r\n") << 404 << false;
    QTest::addRow("GET chat") << QByteArray("GET /v1/chat/completions HTTP/1.1\r\nHost: x\r\n\r\n") << 405 << false;
    QTest::addRow("POST models") << post("/v1/models", "{}") << 405 << false;
    QTest::addRow("invalid JSON") << post("/v1/chat/completions", "{\"model\":") << 400 << false;
    QTest::addRow("JSON array") << post("/v1/chat/completions", "[1,2]") << 400 << false;
    QTest::addRow("no body") << QByteArray("POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\n\r\n") << 400 << false;
    QTest::addRow("chunked body") << QByteArray(
        "POST /v1/chat/completions HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n2\r\n{}\r\n0\r\n\r\n")
                                  << 411 << true;
    QTest::addRow("huge header") << QByteArray("GET /v1/models HTTP/1.1\r\nX-Big: " + QByteArray(100000, 'b')
        + "\r\n\r\n") << 431 << true;
    QTest::addRow("bad request line") << QByteArray("HELLO\r\n\r\n") << 400 << true;
}

void TestSimulator::errors()
{
    QFETCH(QByteArray, wire);
    QFETCH(int, status);
    QFETCH(bool, closes);
    auto host = startHost(instant());
    QVERIFY(host);
    RawClient client(host->port());
    QVERIFY(client.waitConnected());
    client.send(wire);
    RawResponse response;
    QVERIFY(client.readResponse(&response));
    QCOMPARE(response.status, status);
    QVERIFY(!parseObject(response.body)[u"error"_s][u"message"_s].toString().isEmpty());
    if (status == 405)
        QVERIFY(!response.header("allow").isEmpty());
    if (closes) {
        QCOMPARE(response.header("connection"), "close");
        QVERIFY(client.waitClosed());
    } else {
        client.send("GET /v1/models HTTP/1.1\r\nHost: x\r\n\r\n");
        QVERIFY(client.readResponse(&response));
        QCOMPARE(response.status, 200);
    }
}

void TestSimulator::hostReportsBusyPort()
{
    QTcpServer squatter;
    QVERIFY(squatter.listen(QHostAddress::LocalHost, 0));
    SimulatorHost host(instant(), 1);
    QString error;
    QVERIFY(!host.start(squatter.serverPort(), &error));
    QVERIFY2(error.contains(QString::number(squatter.serverPort())), qPrintable(error));
}

void TestSimulator::resetCounters()
{
    auto host = startHost(instant());
    QVERIFY(host);
    fetch(*host, u"/chat/completions"_s, toJson(chatRequest(u"c"_s)), nullptr, nullptr, nullptr, "http_5xx");
    QCOMPARE(host->counters().faults5xx, 1);
    host->resetCounters();
    const SimulatorCounters counters = host->counters();
    QCOMPARE(counters.requests, 0);
    QCOMPARE(counters.completions, 0);
    QCOMPARE(counters.faults5xx, 0);
    QCOMPARE(counters.maxInFlight, 0);
}

QTEST_GUILESS_MAIN(TestSimulator)
#include "tst_simulator.moc"
