// Models page: creating and editing models through the editor, keys kept out of the workspace, the list model.

#include "models/plan/planparser.h"
#include "shelltestsupport.h"
#include "ui/modeleditor.h"
#include "ui/modellistmodel.h"
#include "ui/modelspage.h"

#include <QAbstractItemModelTester>
#include <QCheckBox>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QLabel>
#include <QLineEdit>
#include <QListView>
#include <QMessageBox>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QSpinBox>

Q_DECLARE_METATYPE(evs::SecretStore::Backend)

using namespace Qt::StringLiterals;

namespace evs {

class TestModelsPage : public QObject {
    Q_OBJECT

    template<typename T> static T* child(QWidget* parent, const QString& name)
    {
        auto* w = parent->findChild<T*>(name);
        if (!w)
            qFatal("no widget %s", qPrintable(name));
        return w;
    }

    static void setText(QLineEdit* edit, const QString& text)
    {
        edit->selectAll();
        QTest::keyClicks(edit, text); // typed, so that textEdited fires as for a user
        QCOMPARE(edit->text(), text);
    }

private Q_SLOTS:
    void createModelKeepsKeyOutOfWorkspace_data()
    {
        QTest::addColumn<SecretStore::Backend>("backend");
        QTest::addColumn<QString>("expectedRef");
        QTest::addRow("keychain") << SecretStore::Backend::Memory << u"keychain:LOCAL_VLLM_KEY"_s;
        QTest::addRow("no keychain") << SecretStore::Backend::None << u"env:LOCAL_VLLM_KEY"_s;
    }

    void createModelKeepsKeyOutOfWorkspace()
    {
        QFETCH(SecretStore::Backend, backend);
        QFETCH(QString, expectedRef);
        test::ShellFixture f(backend);
        ModelsPage page(f.context.get(), f.secrets.get());
        QAbstractItemModelTester tester(page.listModel(), QAbstractItemModelTester::FailureReportingMode::QtTest);
        page.show();
        const int before = int(f.workspace->models().size());

        child<QPushButton>(&page, u"addModelButton"_s)->click();
        QVERIFY(page.editor()->isNew());
        setText(child<QLineEdit>(&page, u"idEdit"_s), u"local-vllm"_s);
        child<QComboBox>(&page, u"providerCombo"_s)->setCurrentText(u"openai"_s);
        setText(child<QLineEdit>(&page, u"baseUrlEdit"_s), u"http://127.0.0.1:8000/v1"_s);
        setText(child<QLineEdit>(&page, u"modelEdit"_s), u"qwen2.5-7b"_s);
        auto* source = child<QComboBox>(&page, u"keySourceCombo"_s);
        source->setCurrentIndex(source->findData(int(ModelEditor::KeySource::Keychain)));
        setText(child<QLineEdit>(&page, u"keyNameEdit"_s), u"LOCAL_VLLM_KEY"_s);
        const QString key = u"sk-test-4f9a2c71d3e8b6a5"_s;
        setText(child<QLineEdit>(&page, u"apiKeyEdit"_s), key);
        child<QPlainTextEdit>(&page, u"paramsEdit"_s)->setPlainText(u"{\"temperature\": 0, \"max_tokens\": 64}"_s);
        child<QSpinBox>(&page, u"concurrencySpin"_s)->setValue(32);
        child<QDoubleSpinBox>(&page, u"priceOutputSpin"_s)->setValue(0.6);
        auto* apply = child<QPushButton>(&page, u"applyButton"_s);
        QVERIFY(apply->isEnabled());
        QSignalSpy applied(page.editor(), &ModelEditor::applied);
        apply->click();
        QCOMPARE(applied.count(), 1);

        QCOMPARE(f.workspace->models().size(), before + 1);
        const ModelSpec& m = f.workspace->models().last();
        QCOMPARE(m.id, u"local-vllm"_s);
        QCOMPARE(m.baseUrl, u"http://127.0.0.1:8000/v1"_s);
        QCOMPARE(m.model, u"qwen2.5-7b"_s);
        QCOMPARE(m.apiKeyRef, expectedRef);
        QCOMPARE(m.concurrency, 32);
        QCOMPARE(m.priceOutputPerMTok, 0.6);
        QCOMPARE(m.params.value(u"max_tokens"_s).toInt(), 64);
        // The list shows it, selected.
        QCOMPARE(page.listModel()->rowCount(), before + 1);
        QCOMPARE(page.currentModel(), before);
        QCOMPARE(page.listModel()->index(before).data().toString(), u"local-vllm"_s);

        // The saved file has the model and its reference, never the key.
        const QByteArray file = f.workspaceFile();
        QVERIFY(file.contains("local-vllm"));
        QVERIFY(file.contains(expectedRef.toUtf8()));
        QVERIFY(!file.contains(key.toUtf8()));
        QVERIFY(!file.contains("sk-test"));
        QVERIFY(child<QLineEdit>(&page, u"apiKeyEdit"_s)->text().isEmpty());

        const QString notice = child<QLabel>(&page, u"keyNotice"_s)->text();
        if (backend == SecretStore::Backend::Memory) {
            QCOMPARE(f.secrets->lookup(u"LOCAL_VLLM_KEY"_s), std::optional<QString>(key));
            QVERIFY2(notice.contains(u"keychain"_s), qPrintable(notice));
        } else {
            QVERIFY2(notice.contains(u"environment variable LOCAL_VLLM_KEY"_s), qPrintable(notice));
            QCOMPARE(f.secrets->lookup(u"LOCAL_VLLM_KEY"_s), std::nullopt);
        }

        // A reloaded workspace reads the same model back.
        Workspace reloaded;
        QString error;
        QVERIFY2(reloaded.load(f.workspace->path(), &error), qPrintable(error));
        QCOMPARE(reloaded.models().last().apiKeyRef, expectedRef);
    }

    void everyFieldRoundTrips()
    {
        test::ShellFixture f;
        ModelsPage page(f.context.get(), f.secrets.get());
        ModelSpec s;
        s.id = u"sim-custom"_s;
        s.provider = u"simulator"_s;
        s.model = u"sim-x"_s;
        s.apiKeyRef = u"env:SIM_KEY"_s;
        s.stream = false;
        s.http2 = true;
        s.tlsVerify = false;
        s.params = QJsonObject { { u"temperature"_s, 0.5 }, { u"top_p"_s, 0.9 } };
        s.concurrency = 12;
        s.connectTimeoutMs = 1500;
        s.timeoutMs = 25000;
        s.idleTimeoutMs = 7000;
        s.retries = { 5, 250, 4000 };
        s.rateLimit = { 600, 90000 };
        s.circuitBreaker = { 7, 2500 };
        s.priceInputPerMTok = 0.15;
        s.priceOutputPerMTok = 0.6;
        s.simulate.accuracy = 0.65;
        s.simulate.latencyMs = 80;
        s.simulate.tailMs = 900;
        s.simulate.tokenMs = 3;
        s.simulate.outputTokens = 40;
        s.simulate.retryAfterS = 2;
        s.simulate.stallMs = 30000;
        s.simulate.faults = { { u"http_429"_s, 0.02 }, { u"truncated"_s, 0.01 } };
        page.editor()->editNewModel(s);
        QVERIFY(page.editor()->apply());

        Workspace reloaded;
        QString error;
        QVERIFY2(reloaded.load(f.workspace->path(), &error), qPrintable(error));
        const ModelSpec& r = reloaded.models().last();
        QCOMPARE(r.id, s.id);
        QCOMPARE(r.provider, s.provider);
        QCOMPARE(r.model, s.model);
        QCOMPARE(r.apiKeyRef, s.apiKeyRef);
        QCOMPARE(r.stream, s.stream);
        QCOMPARE(r.http2, s.http2);
        QCOMPARE(r.tlsVerify, s.tlsVerify);
        QCOMPARE(r.params, s.params);
        QCOMPARE(r.concurrency, s.concurrency);
        QCOMPARE(r.connectTimeoutMs, s.connectTimeoutMs);
        QCOMPARE(r.timeoutMs, s.timeoutMs);
        QCOMPARE(r.idleTimeoutMs, s.idleTimeoutMs);
        QCOMPARE(r.retries.maxAttempts, 5);
        QCOMPARE(r.retries.baseMs, 250);
        QCOMPARE(r.retries.maxMs, 4000);
        QCOMPARE(r.rateLimit.rpm, 600.0);
        QCOMPARE(r.rateLimit.tpm, 90000.0);
        QCOMPARE(r.circuitBreaker.failureThreshold, 7);
        QCOMPARE(r.circuitBreaker.cooldownMs, 2500);
        QCOMPARE(r.priceInputPerMTok, 0.15);
        QCOMPARE(r.priceOutputPerMTok, 0.6);
        QCOMPARE(r.simulate.accuracy, 0.65);
        QCOMPARE(r.simulate.latencyMs, 80.0);
        QCOMPARE(r.simulate.tailMs, 900.0);
        QCOMPARE(r.simulate.tokenMs, 3.0);
        QCOMPARE(r.simulate.outputTokens, 40);
        QCOMPARE(r.simulate.retryAfterS, 2);
        QCOMPARE(r.simulate.stallMs, 30000);
        QCOMPARE(r.simulate.faults, s.simulate.faults);
        // The editor shows the simulator's settings only for the simulator.
        QVERIFY(!page.findChild<QWidget*>(u"simulatorGroup"_s)->isHidden());
    }

    void invalidInputIsRefused_data()
    {
        QTest::addColumn<QString>("params");
        QTest::addColumn<QString>("id");
        QTest::addColumn<QString>("errorContains");
        QTest::addRow("params not JSON") << u"{temperature: 0"_s << u"m1"_s << u"parameters"_s;
        QTest::addRow("params not an object") << u"[1, 2]"_s << u"m1"_s << u"object"_s;
        QTest::addRow("empty id") << QString() << QString() << u"id"_s;
        QTest::addRow("duplicate id") << QString() << u"sim-fast"_s << u"sim-fast"_s;
    }

    void invalidInputIsRefused()
    {
        QFETCH(QString, params);
        QFETCH(QString, id);
        QFETCH(QString, errorContains);
        test::ShellFixture f;
        ModelsPage page(f.context.get(), f.secrets.get());
        const QByteArray before = f.workspaceFile();
        ModelSpec s;
        s.id = id;
        s.provider = u"simulator"_s;
        s.model = u"sim"_s;
        page.editor()->editNewModel(s);
        page.findChild<QPlainTextEdit*>(u"paramsEdit"_s)->setPlainText(params);
        QString error;
        QVERIFY(!page.editor()->apply(&error));
        QVERIFY2(error.contains(errorContains, Qt::CaseInsensitive), qPrintable(error));
        QCOMPARE(page.findChild<QLabel*>(u"errorLabel"_s)->text(), error);
        QCOMPARE(f.workspaceFile(), before);
    }

    void listFollowsWorkspace()
    {
        test::ShellFixture f;
        ModelsPage page(f.context.get(), f.secrets.get());
        QAbstractItemModelTester tester(page.listModel(), QAbstractItemModelTester::FailureReportingMode::QtTest);
        const int n = int(f.workspace->models().size());
        QCOMPARE(page.listModel()->rowCount(), n);
        page.selectModel(0);
        page.duplicateModel();
        QVERIFY(page.editor()->apply());
        QCOMPARE(page.listModel()->rowCount(), n + 1);
        QCOMPARE(f.workspace->models().last().id, f.workspace->models().first().id + u"-copy"_s);
        page.removeModel();
        QCOMPARE(page.listModel()->rowCount(), n);
        QCOMPARE(page.listModel()->index(0).data(ModelListModel::ProviderRole).toString(), u"simulator"_s);
    }

    void unsavedChangesAreAskedAbout()
    {
        test::ShellFixture f;
        ModelsPage page(f.context.get(), f.secrets.get());
        page.show();
        page.selectModel(0);
        auto* id = page.findChild<QLineEdit*>(u"idEdit"_s);
        setText(id, u"renamed"_s);
        QVERIFY(page.editor()->isModified());
        auto* list = page.findChild<QListView*>(u"modelList"_s);
        list->setCurrentIndex(page.listModel()->index(1));
        QMessageBox* box = nullptr;
        QTRY_VERIFY((box = test::visibleDialog<QMessageBox>(u"unsavedChangesBox"_s)));
        QCOMPARE(page.currentModel(), 0); // still on the edited one
        box->button(QMessageBox::Save)->click();
        QCOMPARE(f.workspace->models().first().id, u"renamed"_s);
        QTRY_COMPARE(page.currentModel(), 1);
        QCOMPARE(page.editor()->modelIndex(), 1);
    }
};

} // namespace evs

EVS_SHELL_TEST_MAIN(evs::TestModelsPage)
#include "tst_modelspage.moc"
