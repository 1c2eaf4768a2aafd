#include "app/simulator/httprequestparser.h"

#include <QTest>

using namespace evs;

class TestHttpRequestParser : public QObject {
    Q_OBJECT
private slots:
    void simpleGet();
    void bodyFedByteByByte();
    void pipelined();
    void keepAlive_data();
    void keepAlive();
    void errors_data();
    void errors();
    void headerJustUnderTheLimit();
};

void TestHttpRequestParser::simpleGet()
{
    HttpRequestParser parser;
    HttpRequest request;
    parser.feed("\r\nGET /v1/models?x=1 HTTP/1.1\r\nHost: a\r\nX-Sim-Fault:  reset \r\n");
    QCOMPARE(parser.next(&request), HttpRequestParser::Status::NeedMore);
    parser.feed("\r\n");
    QCOMPARE(parser.next(&request), HttpRequestParser::Status::Ready);
    QCOMPARE(request.method, "GET");
    QCOMPARE(request.path, "/v1/models");
    QCOMPARE(request.target, "/v1/models?x=1");
    QCOMPARE(request.header("x-sim-fault"), "reset");
    QCOMPARE(request.header("host"), "a");
    QVERIFY(request.body.isEmpty());
    QCOMPARE(parser.next(&request), HttpRequestParser::Status::NeedMore);
    QCOMPARE(parser.bufferedBytes(), 0);
}

void TestHttpRequestParser::bodyFedByteByByte()
{
    const QByteArray wire = "POST /v1/chat/completions HTTP/1.1\r\nContent-Length: 11\r\n\r\n{\"a\":\"b c\"}";
    HttpRequestParser parser;
    HttpRequest request;
    for (qsizetype i = 0; i < wire.size() - 1; ++i) {
        parser.feed(wire.sliced(i, 1));
        QCOMPARE(parser.next(&request), HttpRequestParser::Status::NeedMore);
    }
    parser.feed(wire.last(1));
    QCOMPARE(parser.next(&request), HttpRequestParser::Status::Ready);
    QCOMPARE(request.body, "{\"a\":\"b c\"}");
}

void TestHttpRequestParser::pipelined()
{
    HttpRequestParser parser;
    QByteArray wire;
    for (int i = 0; i < 50; ++i) {
        const QByteArray body = QByteArray::number(i);
        wire += "POST /p" + QByteArray::number(i) + " HTTP/1.1\r\nContent-Length: " + QByteArray::number(body.size())
            + "\r\n\r\n" + body;
    }
    wire += "GET /tail HTTP/1.1\r\n"; // incomplete head stays buffered
    parser.feed(wire);
    HttpRequest request;
    for (int i = 0; i < 50; ++i) {
        QCOMPARE(parser.next(&request), HttpRequestParser::Status::Ready);
        QCOMPARE(request.path, "/p" + QByteArray::number(i));
        QCOMPARE(request.body, QByteArray::number(i));
    }
    QCOMPARE(parser.next(&request), HttpRequestParser::Status::NeedMore);
    parser.feed("\r\n");
    QCOMPARE(parser.next(&request), HttpRequestParser::Status::Ready);
    QCOMPARE(request.path, "/tail");
}

void TestHttpRequestParser::keepAlive_data()
{
    QTest::addColumn<QByteArray>("head");
    QTest::addColumn<bool>("keepAlive");
    QTest::addRow("1.1 default") << QByteArray("GET / HTTP/1.1\r\nHost: a") << true;
    QTest::addRow("1.1 close") << QByteArray("GET / HTTP/1.1\r\nConnection: Close") << false;
    QTest::addRow("1.1 list with close") << QByteArray("GET / HTTP/1.1\r\nConnection: upgrade, close") << false;
    QTest::addRow("1.0 default") << QByteArray("GET / HTTP/1.0\r\nHost: a") << false;
    QTest::addRow("1.0 keep-alive") << QByteArray("GET / HTTP/1.0\r\nConnection: Keep-Alive") << true;
}

void TestHttpRequestParser::keepAlive()
{
    QFETCH(QByteArray, head);
    QFETCH(bool, keepAlive);
    HttpRequestParser parser;
    parser.feed(QByteArray(head + "\r\n\r\n"));
    HttpRequest request;
    QCOMPARE(parser.next(&request), HttpRequestParser::Status::Ready);
    QCOMPARE(request.keepAlive, keepAlive);
}

void TestHttpRequestParser::errors_data()
{
    QTest::addColumn<QByteArray>("wire");
    QTest::addColumn<int>("status");
    QTest::addRow("chunked body") << QByteArray(
        "POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n")
                                  << 411;
    QTest::addRow("huge header") << QByteArray("GET / HTTP/1.1\r\nX-Big: " + QByteArray(40000, 'a')) << 431;
    QTest::addRow("huge complete header")
        << QByteArray("GET / HTTP/1.1\r\nX-Big: " + QByteArray(40000, 'a') + "\r\n\r\n") << 431;
    QTest::addRow("no version") << QByteArray("GET /\r\n\r\n") << 400;
    QTest::addRow("garbage") << QByteArray("\x16\x03\x01 hello there\r\n\r\n") << 400;
    QTest::addRow("relative target") << QByteArray("GET v1 HTTP/1.1\r\n\r\n") << 400;
    QTest::addRow("header without colon") << QByteArray("GET / HTTP/1.1\r\nBroken\r\n\r\n") << 400;
    QTest::addRow("space before colon") << QByteArray("GET / HTTP/1.1\r\nHost : a\r\n\r\n") << 400;
    QTest::addRow("negative length") << QByteArray("POST / HTTP/1.1\r\nContent-Length: -1\r\n\r\n") << 400;
    QTest::addRow("non-numeric length") << QByteArray("POST / HTTP/1.1\r\nContent-Length: 1x\r\n\r\n") << 400;
    QTest::addRow("conflicting lengths") << QByteArray(
        "POST / HTTP/1.1\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n")
                                         << 400;
    QTest::addRow("body too large") << QByteArray("POST / HTTP/1.1\r\nContent-Length: 999999999999\r\n\r\n") << 413;
    QTest::addRow("HTTP/2") << QByteArray("GET / HTTP/2.0\r\n\r\n") << 505;
}

void TestHttpRequestParser::errors()
{
    QFETCH(QByteArray, wire);
    QFETCH(int, status);
    HttpRequestParser parser;
    parser.feed(wire);
    HttpRequest request;
    QCOMPARE(parser.next(&request), HttpRequestParser::Status::Error);
    QCOMPARE(parser.errorStatus(), status);
    QVERIFY(!parser.errorMessage().isEmpty());
    // An error is final: later bytes are not parsed as a new request.
    parser.feed("GET / HTTP/1.1\r\n\r\n");
    QCOMPARE(parser.next(&request), HttpRequestParser::Status::Error);
}

void TestHttpRequestParser::headerJustUnderTheLimit()
{
    HttpRequestParser parser(1024);
    const QByteArray head = "GET / HTTP/1.1\r\nX-Pad: ";
    parser.feed(QByteArray(head + QByteArray(1024 - head.size(), 'p') + "\r\n\r\n"));
    HttpRequest request;
    QCOMPARE(parser.next(&request), HttpRequestParser::Status::Ready);
    QCOMPARE(request.header("x-pad").size(), 1024 - head.size());
}

QTEST_GUILESS_MAIN(TestHttpRequestParser)
#include "tst_httprequestparser.moc"
