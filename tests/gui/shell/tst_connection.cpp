// "Test connection" against the built-in simulator on loopback: status, latency and the server's model list.

#include "app/simulator/simulatorserver.h"
#include "shelltestsupport.h"
#include "ui/connectiontester.h"
#include "ui/modeleditor.h"
#include "ui/modelspage.h"

#include <QComboBox>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QPushButton>
#include <QSignalSpy>
#include <QTcpServer>

using namespace Qt::StringLiterals;

namespace evs {

class TestConnection : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void testerAgainstSimulator_data()
    {
        QTest::addColumn<QString>("provider");
        QTest::addColumn<bool>("stream");
        QTest::addRow("openai streamed") << u"openai"_s << true;
        QTest::addRow("openai whole") << u"openai"_s << false;
        QTest::addRow("simulator streamed") << u"simulator"_s << true;
    }

    void testerAgainstSimulator()
    {
        QFETCH(QString, provider);
        QFETCH(bool, stream);
        SimulatorSettings settings;
        settings.latencyMs = 5;
        settings.tailMs = 10;
        settings.tokenMs = 1;
        SimulatorHost host(settings, 7);
        QString error;
        QVERIFY2(host.start(0, &error), qPrintable(error));

        ModelSpec spec;
        spec.id = u"sim"_s;
        spec.provider = provider;
        spec.baseUrl = host.baseUrl();
        spec.model = u"sim-1"_s;
        spec.stream = stream;
        ConnectionTester tester;
        QSignalSpy finished(&tester, &ConnectionTester::finished);
        QVERIFY2(tester.start(spec, u"not-a-real-key"_s, &error), qPrintable(error));
        QVERIFY(finished.wait(10000));
        const auto r = finished.first().at(0).value<ConnectionTestResult>();
        QVERIFY2(r.ok(), qPrintable(r.error));
        QCOMPARE(r.status, 200);
        QCOMPARE(r.modelsStatus, 200);
        QVERIFY(!r.models.isEmpty());
        QVERIFY(r.latencyMs > 0);
        QVERIFY(!r.reply.isEmpty());
        if (stream)
            QVERIFY(r.ttftMs >= 0 && r.ttftMs <= r.latencyMs);
        QCOMPARE(host.counters().completions, 1);
    }

    void editorShowsStatusAndModels()
    {
        SimulatorSettings settings;
        settings.latencyMs = 5;
        settings.tailMs = 10;
        SimulatorHost host(settings, 7);
        QString error;
        QVERIFY2(host.start(0, &error), qPrintable(error));

        test::ShellFixture f;
        ModelsPage page(f.context.get(), f.secrets.get());
        page.show();
        ModelSpec spec;
        spec.id = u"remote-sim"_s;
        spec.provider = u"openai"_s;
        spec.baseUrl = host.baseUrl();
        spec.model = u"sim-1"_s;
        page.editor()->editNewModel(spec);
        page.findChild<QPushButton*>(u"testButton"_s)->click();
        auto* status = page.findChild<QLabel*>(u"testStatus"_s);
        QTRY_COMPARE_WITH_TIMEOUT(status->property("httpStatus").toInt(), 200, 10000);
        QVERIFY2(status->text().contains(u"HTTP 200"_s), qPrintable(status->text()));
        QVERIFY2(status->text().contains(u"latency"_s), qPrintable(status->text()));
        auto* models = page.findChild<QListWidget*>(u"testModels"_s);
        QVERIFY(models->count() > 0);
        QVERIFY(page.findChild<QPushButton*>(u"testButton"_s)->isEnabled());
    }

    void builtInSimulatorNeedsNoUrl()
    {
        // The demo's simulator models have no base URL: the test starts a simulator of their settings.
        test::ShellFixture f;
        ModelsPage page(f.context.get(), f.secrets.get());
        page.selectModel(0);
        QCOMPARE(f.workspace->models().first().provider, u"simulator"_s);
        QVERIFY(f.workspace->models().first().baseUrl.isEmpty());
        QSignalSpy tested(page.editor(), &ModelEditor::connectionTested);
        page.editor()->testConnection();
        QVERIFY(tested.wait(15000));
        const auto r = tested.first().at(0).value<ConnectionTestResult>();
        QVERIFY2(r.ok(), qPrintable(r.error));
        QVERIFY(r.url.startsWith(u"http://127.0.0.1:"_s));
    }

    void refusedConnectionIsReported()
    {
        // A port that was just free: nothing listens there.
        QTcpServer probe;
        QVERIFY(probe.listen(QHostAddress::LocalHost));
        const quint16 port = probe.serverPort();
        probe.close();
        ModelSpec spec;
        spec.id = u"nowhere"_s;
        spec.provider = u"openai"_s;
        spec.baseUrl = u"http://127.0.0.1:%1/v1"_s.arg(port);
        spec.model = u"x"_s;
        ConnectionTester tester;
        QSignalSpy finished(&tester, &ConnectionTester::finished);
        QString error;
        QVERIFY(tester.start(spec, QString(), &error));
        QVERIFY(finished.wait(10000));
        const auto r = finished.first().at(0).value<ConnectionTestResult>();
        QVERIFY(!r.ok());
        QCOMPARE(r.status, 0);
        QVERIFY(!r.error.isEmpty());
        QVERIFY(!r.modelsError.isEmpty());
    }

    void unknownProviderCannotStart()
    {
        ModelSpec spec;
        spec.provider = u"carrier-pigeon"_s;
        ConnectionTester tester;
        QString error;
        QVERIFY(!tester.start(spec, QString(), &error));
        QVERIFY(error.contains(u"carrier-pigeon"_s));
    }
};

} // namespace evs

EVS_SHELL_TEST_MAIN(evs::TestConnection)
#include "tst_connection.moc"
