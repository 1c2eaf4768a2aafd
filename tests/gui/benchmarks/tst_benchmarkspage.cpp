#include "guitestsupport.h"

#include "app/benchmarks/samplesource.h"
#include "ui/benchmarklistmodel.h"
#include "ui/benchmarkspage.h"
#include "ui/importwizard.h"
#include "ui/scoreroptionseditor.h"
#include "ui/templateeditor.h"

#include <QAbstractItemModelTester>
#include <QComboBox>
#include <QDropEvent>
#include <QFile>
#include <QJsonDocument>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QMimeData>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QTableView>
#include <QTest>
#include <QTreeView>

using namespace Qt::StringLiterals;
using namespace evs;

namespace {

// Seven lines: five good records, one that is not JSON (line 3), one without the input key (line 6).
const char* const kDataset
    = R"({"question": "2 + 2?", "choices": ["3", "4"], "answer": "B", "subject": "maths", "uid": "q1"}
{"question": "Capital of France?", "choices": ["Paris", "Rome"], "answer": "A", "subject": "geo", "uid": "q2"}
{"question": "broken", "choices": [
{"question": "Largest planet?", "choices": ["Mars", "Jupiter"], "answer": "B", "subject": "science", "uid": "q3"}
{"question": "H2O is?", "choices": ["water", "salt"], "answer": "A", "subject": "science", "uid": "q4"}
{"prompt_text": "no input key here", "choices": ["a", "b"], "answer": "A", "uid": "q5"}
{"question": "Opposite of hot?", "choices": ["cold", "warm"], "answer": "A", "subject": "words", "uid": "q6"}
)";

template<typename T> T* child(QObject* parent, const QString& name)
{
    T* w = parent->findChild<T*>(name);
    if (!w)
        qWarning("no %s named %s", T::staticMetaObject.className(), qPrintable(name));
    return w;
}

void choose(QComboBox* combo, const QString& key)
{
    const int index = combo->findData(QStringList { key });
    QVERIFY2(index >= 0, qPrintable(key));
    combo->setCurrentIndex(index);
    Q_EMIT combo->activated(index); // what a user's choice emits
}

} // namespace

class TestBenchmarksPage : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void pageListsWorkspaceAndBundled();
    void importWizardCreatesBenchmark();
    void dropOpensWizard();
    void templateEditorRendersLive();
    void scorerOptionsEditor_data();
    void scorerOptionsEditor();
};

void TestBenchmarksPage::pageListsWorkspaceAndBundled()
{
    GuiFixture f;
    BenchmarksPage page(f.context.get());
    QAbstractItemModelTester tester(page.model(), QAbstractItemModelTester::FailureReportingMode::QtTest);
    page.resize(900, 500);
    page.show();
    QCOMPARE(page.objectName(), u"benchmarksPage"_s);
    const int workspaceCount = int(f.workspace->benchmarks().size());
    QCOMPARE(page.model()->rowCount(), int(workspaceCount + SampleSource::builtinNames().size() - 2));
    // Sample counts are read in the background.
    const int row = page.model()->rowOfWorkspaceIndex(0); // builtin:multiple-choice (60 questions)
    QTRY_COMPARE(page.model()->index(row, 0).data(BenchmarkListModel::SampleCountRole).toLongLong(), 60);
    QCOMPARE(page.model()->index(row, BenchmarkListModel::Format).data().toString(), u"jsonl"_s);
    page.selectWorkspaceBenchmark(0);
    QTRY_VERIFY(child<QLabel>(&page, u"benchmarkCard"_s)->text().contains(u"60"_s));
    QTRY_VERIFY(
        page.model()->index(page.model()->rowCount() - 1, 0).data(BenchmarkListModel::SampleCountRole).toLongLong()
        > 0);
    saveScreenshot(&page, u"benchmarks-page"_s);

    // Adding a bundled benchmark puts it in the workspace.
    const int bundledRow = page.model()->rowOfBundled(u"builtin:arithmetic"_s);
    QVERIFY(bundledRow >= 0);
    child<QTreeView>(&page, u"benchmarkTable"_s)->setCurrentIndex(page.model()->index(bundledRow, 0));
    child<QPushButton>(&page, u"addBundledButton"_s)->click();
    QCOMPARE(f.workspace->benchmarks().size(), workspaceCount + 1);
    QCOMPARE(f.workspace->benchmarks().last().dataset, u"builtin:arithmetic"_s);
    QCOMPARE(f.workspace->benchmarks().last().scorer.type, u"numeric"_s);
    QCOMPARE(page.model()->rowOfBundled(u"builtin:arithmetic"_s), -1);
}

void TestBenchmarksPage::importWizardCreatesBenchmark()
{
    GuiFixture f;
    const QString file = f.path(u"quiz.jsonl"_s);
    {
        QFile out(file);
        QVERIFY(out.open(QIODevice::WriteOnly));
        out.write(kDataset);
    }
    BenchmarksPage page(f.context.get());
    page.show();
    ImportWizard* wizard = page.openImportWizard();
    QVERIFY(wizard);
    QCOMPARE(wizard->objectName(), u"importWizard"_s);
    auto* preview = child<QTableView>(wizard, u"previewTable"_s);
    QAbstractItemModelTester tester(preview->model(), QAbstractItemModelTester::FailureReportingMode::QtTest);

    QTest::keyClicks(child<QLineEdit>(wizard, u"filePathEdit"_s), file);
    QVERIFY(wizard->currentPage()->isComplete());
    wizard->next();
    QCOMPARE(wizard->currentId(), int(ImportWizard::MappingPage));
    QTRY_VERIFY(!wizard->property("scanning").toBool());
    QCOMPARE(wizard->property("goodRecords").toLongLong(), 5);
    QCOMPARE(wizard->property("badRecords").toLongLong(), 2);
    auto* bad = child<QListWidget>(wizard, u"badLinesList"_s);
    QCOMPARE(bad->count(), 2);
    QVERIFY2(bad->item(0)->text().startsWith(u"line 3:"_s), qPrintable(bad->item(0)->text()));
    QVERIFY2(bad->item(1)->text().startsWith(u"line 6:"_s), qPrintable(bad->item(1)->text()));
    QVERIFY(bad->item(1)->text().contains(u"missing input"_s));
    QVERIFY(child<QLabel>(wizard, u"badLinesLabel"_s)->text().contains(u"2"_s));

    // Auto-detected mapping is shown; the id is not detected ("uid" is no usual name) until chosen.
    QCOMPARE(child<QComboBox>(wizard, u"mapInput"_s)->currentData().toStringList(), QStringList { u"question"_s });
    QCOMPARE(child<QComboBox>(wizard, u"mapChoices"_s)->currentData().toStringList(), QStringList { u"choices"_s });
    QCOMPARE(child<QComboBox>(wizard, u"mapTarget"_s)->currentData().toStringList(), QStringList { u"answer"_s });
    QCOMPARE(child<QComboBox>(wizard, u"mapCategory"_s)->currentData().toStringList(), QStringList { u"subject"_s });
    QVERIFY(!child<QComboBox>(wizard, u"mapId"_s)->currentData().isValid());
    QCOMPARE(preview->model()->rowCount(), 5);
    QCOMPARE(preview->model()->columnCount(), 5); // question, choices, answer, subject, uid
    QCOMPARE(preview->model()->index(1, 0).data().toString(), u"Capital of France?"_s);
    QCOMPARE(preview->model()->headerData(0, Qt::Horizontal).toString(), u"question → input"_s);

    saveScreenshot(wizard, u"import-wizard-mapping"_s);
    choose(child<QComboBox>(wizard, u"mapId"_s), u"uid"_s);
    QTRY_VERIFY(wizard->property("scanning").toBool() == false
        && preview->model()->headerData(3, Qt::Horizontal).toString() == u"uid → id"_s);
    QCOMPARE(wizard->property("goodRecords").toLongLong(), 5);

    wizard->next();
    QCOMPARE(wizard->currentId(), int(ImportWizard::ScorerPage));
    QCOMPARE(child<QComboBox>(wizard, u"scorerTypeCombo"_s)->currentText(), u"multiple_choice"_s);
    saveScreenshot(wizard, u"import-wizard-scorer"_s);
    auto* id = child<QLineEdit>(wizard, u"benchmarkIdEdit"_s);
    QCOMPARE(id->text(), u"quiz"_s);
    id->clear();
    QTest::keyClicks(id, u"my-quiz"_s);

    const int before = int(f.workspace->benchmarks().size());
    wizard->button(QWizard::FinishButton)->click();
    QCOMPARE(f.workspace->benchmarks().size(), before + 1);
    const BenchmarkSpec added = f.workspace->benchmarks().last();
    QCOMPARE(added.id, u"my-quiz"_s);
    QCOMPARE(added.dataset, QFileInfo(file).absoluteFilePath());
    QCOMPARE(added.fields.value(u"input"_s).toString(), u"question"_s);
    QCOMPARE(added.fields.value(u"id"_s).toString(), u"uid"_s);
    QCOMPARE(added.scorer.type, u"multiple_choice"_s);
    // The benchmark reads back as the wizard showed it.
    QString error;
    QCOMPARE(SampleSource::countSamples(added, &error), 5);
    auto source = SampleSource::open(added, &error);
    Sample s;
    QVERIFY(source && source->next(&s));
    QCOMPARE(s.id, u"q1"_s);
    QCOMPARE(s.category, u"maths"_s);
    // The page shows and selects it.
    const int row = page.model()->rowOfWorkspaceIndex(before);
    QVERIFY(row >= 0);
    QCOMPARE(page.model()->index(row, 0).data().toString(), u"my-quiz"_s);
    QTRY_COMPARE(page.model()->index(row, 0).data(BenchmarkListModel::SampleCountRole).toLongLong(), 5);
}

void TestBenchmarksPage::dropOpensWizard()
{
    GuiFixture f;
    const QString file = f.path(u"dropped.jsonl"_s);
    {
        QFile out(file);
        QVERIFY(out.open(QIODevice::WriteOnly));
        out.write(kDataset);
    }
    BenchmarksPage page(f.context.get());
    page.show();
    QMimeData mime;
    mime.setUrls({ QUrl::fromLocalFile(file) });
    QDragEnterEvent enter(QPoint(10, 10), Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
    QApplication::sendEvent(&page, &enter);
    QVERIFY(enter.isAccepted());
    QDropEvent drop(QPointF(10, 10), Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
    QApplication::sendEvent(&page, &drop);
    auto* wizard = page.findChild<ImportWizard*>();
    QVERIFY(wizard);
    QTRY_VERIFY(wizard->isVisible());
    QCOMPARE(child<QLineEdit>(wizard, u"filePathEdit"_s)->text(), QFileInfo(file).absoluteFilePath());

    // Something that is not a dataset is refused.
    QMimeData other;
    other.setUrls({ QUrl::fromLocalFile(f.path(u"workspace.json.txt"_s)) });
    QDragEnterEvent refused(QPoint(10, 10), Qt::CopyAction, &other, Qt::LeftButton, Qt::NoModifier);
    refused.setAccepted(false);
    QApplication::sendEvent(&page, &refused);
    QVERIFY(!refused.isAccepted());
}

void TestBenchmarksPage::templateEditorRendersLive()
{
    GuiFixture f;
    // Independently: the first sample of the demo's first benchmark.
    const BenchmarkSpec spec = f.workspace->benchmarks().at(0);
    QString error;
    auto source = SampleSource::open(spec, &error);
    Sample first;
    QVERIFY(source && source->next(&first));

    BenchmarksPage page(f.context.get());
    page.show();
    TemplateEditor* editor = page.openTemplateEditor(0);
    QVERIFY(editor);
    QCOMPARE(editor->objectName(), u"templateEditor"_s);
    auto* rendered = child<QPlainTextEdit>(editor, u"renderedView"_s);
    // The default template renders the question and its lettered choices.
    QTRY_VERIFY(editor->property("renders").toInt() >= 1);
    QVERIFY2(rendered->toPlainText().contains(first.input), qPrintable(rendered->toPlainText()));
    QVERIFY(rendered->toPlainText().contains(u"A. "_s + first.choices.at(0)));

    auto* templ = child<QPlainTextEdit>(editor, u"templateEdit"_s);
    templ->setFocus();
    QTest::keyClicks(templ, u"Q: {{input|upper}} [{{category}}]"_s);
    QTRY_VERIFY(rendered->toPlainText().contains(u"Q: "_s + first.input.toUpper() + u" ["_s + first.category + u']'));
    QVERIFY(!editor->property("hasError").toBool());

    QTest::keyClicks(templ, u" {{nonsense}}"_s);
    QTRY_VERIFY(editor->property("hasError").toBool());
    saveScreenshot(editor, u"template-editor-error"_s);
    auto* errorLabel = child<QLabel>(editor, u"templateErrorLabel"_s);
    QVERIFY2(errorLabel->text().contains(u"nonsense"_s), qPrintable(errorLabel->text()));
    QVERIFY(errorLabel->isVisible());

    // Fixing it clears the error; Save writes the template back.
    for (int i = 0; i < int(QStringLiteral(" {{nonsense}}").size()); ++i)
        QTest::keyClick(templ, Qt::Key_Backspace);
    QTRY_VERIFY(!editor->property("hasError").toBool());
    QTest::keyClicks(child<QPlainTextEdit>(editor, u"systemEdit"_s), u"Be brief."_s);
    QTRY_VERIFY(rendered->toPlainText().startsWith(u"── system ──\nBe brief."_s));
    child<QPushButton>(editor, u"saveTemplateButton"_s)->click();
    QCOMPARE(f.workspace->benchmarks().at(0).promptTemplate, u"Q: {{input|upper}} [{{category}}]"_s);
    QCOMPARE(f.workspace->benchmarks().at(0).system, u"Be brief."_s);
}

void TestBenchmarksPage::scorerOptionsEditor_data()
{
    QTest::addColumn<QString>("json");
    QTest::addColumn<bool>("valid");
    QTest::addRow("exact_match default") << u"{\"type\":\"exact_match\"}"_s << true;
    QTest::addRow("exact_match options") << u"{\"type\":\"exact_match\",\"strip_punctuation\":true}"_s << true;
    QTest::addRow("numeric tolerance") << u"{\"type\":\"numeric\",\"tolerance\":0.5}"_s << true;
    QTest::addRow("contains values") << u"{\"type\":\"contains\",\"values\":[\"a\",\"b\"],\"mode\":\"all\"}"_s << true;
    QTest::addRow("regex without pattern") << u"{\"type\":\"regex\"}"_s << false;
    QTest::addRow("judge kept scale")
        << u"{\"type\":\"judge\",\"model\":\"sim-fast\",\"rubric\":\"Rate {{response}}\",\"scale\":{\"min\":0,\"max\":10}}"_s
        << true;
}

void TestBenchmarksPage::scorerOptionsEditor()
{
    QFETCH(QString, json);
    QFETCH(bool, valid);
    const QJsonObject options = QJsonDocument::fromJson(json.toUtf8()).object();
    ScorerOptionsEditor editor;
    editor.setJudgeModels({ u"sim-fast"_s });
    editor.setSpec({ options.value(u"type"_s).toString(), options });
    QCOMPARE(editor.validationError().isEmpty(), valid);
    if (valid)
        QCOMPARE(editor.spec().options, options); // a round trip keeps exactly what was given
    QCOMPARE(editor.findChild<QComboBox*>(u"scorerTypeCombo"_s)->currentText(), options.value(u"type"_s).toString());
    editor.resize(520, 420);
    editor.show();
    saveScreenshot(&editor, u"scorer-"_s + QString::fromLatin1(QTest::currentDataTag()).replace(u' ', u'-'));
}

EVS_GUI_TEST_MAIN(TestBenchmarksPage)
#include "tst_benchmarkspage.moc"
