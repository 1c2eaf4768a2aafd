// Core value helpers: error classes and the logging set-up (levels, rotating file).
#include "models/core/errorclass.h"
#include "models/core/logsetup.h"

#include <QFile>
#include <QTemporaryDir>
#include <QtTest>

#include <spdlog/spdlog.h>

using namespace evs;
using namespace Qt::StringLiterals;

class TestCore : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void errorClassNamesRoundTrip()
    {
        for (int i = 1; i < int(ErrorClass::Count); ++i) {
            const QString name = errorClassName(ErrorClass(i));
            QVERIFY(!name.isEmpty());
            QCOMPARE(errorClassFromName(name), ErrorClass(i));
        }
        QCOMPARE(errorClassFromName(u"nonsense"_s), ErrorClass::None);
        QCOMPARE(errorClassForHttpStatus(429), ErrorClass::Http429);
        QCOMPARE(errorClassForHttpStatus(404), ErrorClass::Http4xx);
        QCOMPARE(errorClassForHttpStatus(529), ErrorClass::Http5xx);
        QCOMPARE(errorClassForHttpStatus(200), ErrorClass::None);
    }

    void logLevels_data()
    {
        QTest::addColumn<QString>("name");
        QTest::addColumn<bool>("valid");
        QTest::addColumn<int>("level");
        QTest::addRow("trace") << u"trace"_s << true << int(spdlog::level::trace);
        QTest::addRow("WARN") << u"WARN"_s << true << int(spdlog::level::warn);
        QTest::addRow("warning") << u"warning"_s << true << int(spdlog::level::warn);
        QTest::addRow("off") << u" off "_s << true << int(spdlog::level::off);
        QTest::addRow("bogus") << u"loud"_s << false << 0;
    }
    void logLevels()
    {
        QFETCH(QString, name);
        QFETCH(bool, valid);
        QFETCH(int, level);
        int parsed = -1;
        QCOMPARE(parseLogLevel(name, &parsed), valid);
        if (valid)
            QCOMPARE(parsed, level);
    }

    void fileLoggingWritesToTheDataFolder()
    {
        QTemporaryDir dir;
        QString error;
        const QString path = setUpFileLogging(dir.filePath(u"logs"_s), u"debug"_s, &error);
        QVERIFY2(!path.isEmpty(), qPrintable(error));
        spdlog::debug("a debug line {}", 42);
        spdlog::trace("a trace line that the level hides");
        spdlog::default_logger()->flush();
        QFile f(path);
        QVERIFY(f.open(QIODevice::ReadOnly));
        const QByteArray text = f.readAll();
        QVERIFY(text.contains("a debug line 42"));
        QVERIFY(!text.contains("a trace line"));
    }

    void environmentSetsTheLevel()
    {
        qputenv("EVALSANDBOX_LOG_LEVEL", "error");
        QString error;
        QVERIFY(setUpStderrLogging(QString(), &error));
        QCOMPARE(spdlog::default_logger()->level(), spdlog::level::err);
        qputenv("EVALSANDBOX_LOG_LEVEL", "shouty");
        QVERIFY(!setUpStderrLogging(QString(), &error));
        QVERIFY(error.contains(u"shouty"_s));
        QVERIFY(setUpStderrLogging(u"info"_s, &error)); // an explicit level wins over the environment
        QCOMPARE(spdlog::default_logger()->level(), spdlog::level::info);
        qunsetenv("EVALSANDBOX_LOG_LEVEL");
    }
};

QTEST_GUILESS_MAIN(TestCore)
#include "tst_core.moc"
