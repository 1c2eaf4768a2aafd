// Unit tests of the execution policies: backoff and Retry-After, token buckets, circuit breaker.
#include "app/engine/backoff.h"
#include "app/engine/circuitbreaker.h"
#include "app/engine/ratelimiter.h"

#include <QDateTime>
#include <QtTest>

using namespace evs;

class TestEnginePolicies : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void backoffGrowsWithJitterAndCap_data()
    {
        QTest::addColumn<int>("failures");
        QTest::addColumn<qint64>("lo");
        QTest::addColumn<qint64>("hi");
        // base 100, max 1000: exponential 100, 200, 400, 800, 1000 (capped); equal jitter gives [exp/2, exp].
        QTest::addRow("1st") << 1 << qint64(50) << qint64(100);
        QTest::addRow("2nd") << 2 << qint64(100) << qint64(200);
        QTest::addRow("3rd") << 3 << qint64(200) << qint64(400);
        QTest::addRow("4th") << 4 << qint64(400) << qint64(800);
        QTest::addRow("capped") << 9 << qint64(500) << qint64(1000);
    }
    void backoffGrowsWithJitterAndCap()
    {
        QFETCH(int, failures);
        QFETCH(qint64, lo);
        QFETCH(qint64, hi);
        RetryPolicy p { 5, 100, 1000 };
        std::mt19937_64 rng(42);
        qint64 seenMin = hi, seenMax = lo;
        for (int i = 0; i < 2000; ++i) {
            const qint64 d = retryDelayMs(p, failures, -1, rng);
            QVERIFY2(d >= lo && d <= hi, qPrintable(QString::number(d)));
            seenMin = std::min(seenMin, d);
            seenMax = std::max(seenMax, d);
        }
        // The jitter really spreads the delays over its range.
        QVERIFY(seenMin < lo + (hi - lo) / 10);
        QVERIFY(seenMax > hi - (hi - lo) / 10);
    }
    void retryAfterIsAFloor()
    {
        RetryPolicy p { 5, 100, 1000 };
        std::mt19937_64 rng(1);
        QCOMPARE(retryDelayMs(p, 1, 3000, rng), qint64(3000));
        QVERIFY(retryDelayMs(p, 1, 10, rng) >= 50);
    }
    void parseRetryAfter_data()
    {
        QTest::addColumn<QByteArray>("header");
        QTest::addColumn<QByteArray>("headerMs");
        QTest::addColumn<qint64>("expected");
        QTest::addRow("seconds") << QByteArray("2") << QByteArray() << qint64(2000);
        QTest::addRow("fraction") << QByteArray(" 0.5 ") << QByteArray() << qint64(500);
        QTest::addRow("ms header wins") << QByteArray("2") << QByteArray("120") << qint64(120);
        QTest::addRow("absent") << QByteArray() << QByteArray() << qint64(-1);
        QTest::addRow("garbage") << QByteArray("soon") << QByteArray() << qint64(-1);
        QTest::addRow("negative") << QByteArray("-3") << QByteArray() << qint64(-1);
    }
    void parseRetryAfter()
    {
        QFETCH(QByteArray, header);
        QFETCH(QByteArray, headerMs);
        QFETCH(qint64, expected);
        QCOMPARE(parseRetryAfterMs(header, headerMs), expected);
    }
    void parseRetryAfterHttpDate()
    {
        const QDateTime when = QDateTime::currentDateTimeUtc().addSecs(30);
        const QByteArray header = when.toString(Qt::RFC2822Date).toLatin1();
        const qint64 ms = parseRetryAfterMs(header, {});
        QVERIFY2(ms > 28000 && ms <= 30000, qPrintable(QString::number(ms)));
    }
    void retryableClasses()
    {
        QVERIFY(isRetryable(ErrorClass::Http429));
        QVERIFY(isRetryable(ErrorClass::Http5xx));
        QVERIFY(isRetryable(ErrorClass::Timeout));
        QVERIFY(isRetryable(ErrorClass::Connect));
        QVERIFY(!isRetryable(ErrorClass::Http4xx));
        QVERIFY(!isRetryable(ErrorClass::Tls));
        QVERIFY(!isRetryable(ErrorClass::Canceled));
    }
    void rpmBucket()
    {
        RateLimiter rl(120, 0); // 2 per second, bucket of 2
        const qint64 s = 1000000000;
        QCOMPARE(rl.acquireOrDelayMs(0, 0), 0);
        QCOMPARE(rl.acquireOrDelayMs(0, 0), 0);
        const int wait = rl.acquireOrDelayMs(0, 0);
        QVERIFY2(wait >= 499 && wait <= 501, qPrintable(QString::number(wait)));
        QCOMPARE(rl.acquireOrDelayMs(0, s / 2), 0); // refilled one
        QVERIFY(rl.acquireOrDelayMs(0, s / 2) > 0);
        // Over 60 simulated seconds, at most rpm + bucket requests pass.
        int passed = 0;
        for (qint64 t = s; t <= 61 * s; t += s / 100)
            passed += rl.acquireOrDelayMs(0, t) == 0;
        QVERIFY2(passed >= 119 && passed <= 122, qPrintable(QString::number(passed)));
    }
    void tpmBucket()
    {
        RateLimiter rl(0, 6000); // 100 tokens a second
        QCOMPARE(rl.acquireOrDelayMs(80, 0), 0);
        const int wait = rl.acquireOrDelayMs(80, 0); // 20 left, needs 60 more: 600 ms
        QVERIFY2(wait >= 599 && wait <= 601, qPrintable(QString::number(wait)));
        // A request larger than the bucket still passes once the bucket is full.
        QCOMPARE(rl.acquireOrDelayMs(500, 2000000000), 0);
    }
    void circuitBreaker()
    {
        CircuitBreaker cb({ 3, 1000 });
        const qint64 ms = 1000000;
        QCOMPARE(cb.admitOrDelayMs(0), 0);
        cb.recordFailure(0);
        cb.recordFailure(0);
        QVERIFY(!cb.isOpen());
        cb.recordSuccess(); // resets the consecutive count
        cb.recordFailure(0);
        cb.recordFailure(0);
        QVERIFY(!cb.isOpen());
        cb.recordFailure(10 * ms);
        QVERIFY(cb.isOpen());
        QCOMPARE(cb.timesOpened(), qint64(1));
        const int wait = cb.admitOrDelayMs(500 * ms);
        QVERIFY2(wait >= 509 && wait <= 511, qPrintable(QString::number(wait)));
        QCOMPARE(cb.admitOrDelayMs(1011 * ms), 0); // the probe
        QVERIFY(cb.admitOrDelayMs(1012 * ms) > 0); // others wait for the probe
        cb.recordFailure(1100 * ms); // probe failed: open again
        QVERIFY(cb.admitOrDelayMs(1200 * ms) > 0);
        QCOMPARE(cb.timesOpened(), qint64(2));
        QCOMPARE(cb.admitOrDelayMs(2101 * ms), 0);
        cb.recordSuccess();
        QVERIFY(!cb.isOpen());
        QCOMPARE(cb.admitOrDelayMs(2102 * ms), 0);
    }
};

QTEST_GUILESS_MAIN(TestEnginePolicies)
#include "tst_engine_policies.moc"
