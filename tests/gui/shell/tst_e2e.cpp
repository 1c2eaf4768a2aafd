// End to end through the main window, as a user would: create a model in the models editor and a benchmark in the
// import wizard, start a run of them through the launcher against the built-in simulator, wait for it to end, then
// check that the dashboard shows the store's exact figures and every chart has data, and that the results browser
// lists every sample and its filters narrow the table as the store says.

#include "../../testsupport.h"
#include "models/stats/runsummary.h"
#include "models/store/resultsstore.h"
#include "shelltestsupport.h"
#include "ui/benchmarkspage.h"
#include "ui/importwizard.h"
#include "ui/mainwindow.h"
#include "ui/modeleditor.h"
#include "ui/modelspage.h"

#include <QAbstractButton>
#include <QAction>
#include <QCheckBox>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QLineEdit>
#include <QListWidget>
#include <QPushButton>
#include <QSignalSpy>
#include <QSpinBox>
#include <QTableView>
#include <QWizard>

#include <cmath>

using namespace Qt::StringLiterals;

namespace evs {

class TestEndToEnd : public QObject {
    Q_OBJECT

    template<typename T> static T* child(QObject* parent, const QString& name)
    {
        auto* w = parent->findChild<T*>(name);
        if (!w)
            qFatal("no %s", qPrintable(name));
        return w;
    }

    static void type(QLineEdit* edit, const QString& text)
    {
        edit->selectAll();
        QTest::keyClicks(edit, text);
    }

    static constexpr int kSamples = 40;

private Q_SLOTS:
    void modelBenchmarkRunDashboardAndResults()
    {
        test::ShellFixture f;
        MainWindow w(f.context.get(), f.secrets.get());
        w.show();

        // 1. A model, through the models editor: a simulator that is fast and fails now and then without retries.
        w.findChild<QAction*>(u"pageAction0"_s)->trigger();
        ModelsPage* models = w.modelsPage();
        child<QPushButton>(models, u"addModelButton"_s)->click();
        type(child<QLineEdit>(models, u"idEdit"_s), u"e2e-sim"_s);
        child<QComboBox>(models, u"providerCombo"_s)->setCurrentText(u"simulator"_s);
        type(child<QLineEdit>(models, u"modelEdit"_s), u"sim-e2e-1"_s);
        child<QSpinBox>(models, u"concurrencySpin"_s)->setValue(8);
        child<QSpinBox>(models, u"maxAttemptsSpin"_s)->setValue(1);
        child<QDoubleSpinBox>(models, u"simAccuracySpin"_s)->setValue(0.7);
        child<QDoubleSpinBox>(models, u"simLatencySpin"_s)->setValue(5);
        child<QDoubleSpinBox>(models, u"simTailSpin"_s)->setValue(20);
        child<QDoubleSpinBox>(models, u"simTokenSpin"_s)->setValue(1);
        child<QDoubleSpinBox>(models, u"simFault_http_5xx"_s)->setValue(0.15);
        child<QDoubleSpinBox>(models, u"priceInputSpin"_s)->setValue(1.0);
        child<QDoubleSpinBox>(models, u"priceOutputSpin"_s)->setValue(2.0);
        child<QPushButton>(models, u"applyButton"_s)->click();
        QCOMPARE(f.workspace->models().last().id, u"e2e-sim"_s);

        // 2. A benchmark, through the import wizard.
        const QString dataset = f.path(u"sums.jsonl"_s);
        {
            QFile out(dataset);
            QVERIFY(out.open(QIODevice::WriteOnly));
            for (int i = 0; i < kSamples; ++i) {
                const bool add = i % 2 == 0;
                const int a = 3 + i, b = 11 + 2 * i;
                out.write(u"{\"question\": \"What is %1 %2 %3?\", \"answer\": \"%4\", \"subject\": \"%5\"}\n"_s.arg(a)
                              .arg(add ? u"+"_s : u"*"_s)
                              .arg(b)
                              .arg(add ? a + b : a * b)
                              .arg(add ? u"addition"_s : u"multiplication"_s)
                              .toUtf8());
            }
        }
        w.findChild<QAction*>(u"pageAction1"_s)->trigger();
        auto* benchmarksPage = qobject_cast<BenchmarksPage*>(w.page(MainWindow::BenchmarksPageIndex));
        QVERIFY(benchmarksPage);
        ImportWizard* wizard = benchmarksPage->openImportWizard();
        QVERIFY(wizard);
        QTest::keyClicks(child<QLineEdit>(wizard, u"filePathEdit"_s), dataset);
        QVERIFY(wizard->currentPage()->isComplete());
        wizard->next();
        QTRY_VERIFY(!wizard->property("scanning").toBool());
        QCOMPARE(wizard->property("goodRecords").toLongLong(), qint64(kSamples));
        wizard->next();
        type(child<QLineEdit>(wizard, u"benchmarkIdEdit"_s), u"e2e-sums"_s);
        wizard->button(QWizard::FinishButton)->click();
        QCOMPARE(f.workspace->benchmarks().last().id, u"e2e-sums"_s);

        // 3. The launcher (Ctrl+R), narrowed to the new model and benchmark.
        w.findChild<QAction*>(u"newRunAction"_s)->trigger();
        QDialog* launcher = nullptr;
        QTRY_VERIFY((launcher = test::visibleDialog(u"runLauncher"_s)));
        const auto keepOnly = [](QListWidget* list, const QString& id) {
            int kept = 0;
            for (int i = 0; i < list->count(); ++i) {
                const bool keep = list->item(i)->data(Qt::UserRole).toString() == id;
                list->item(i)->setCheckState(keep ? Qt::Checked : Qt::Unchecked);
                kept += keep;
            }
            return kept;
        };
        QCOMPARE(keepOnly(child<QListWidget>(launcher, u"modelList"_s), u"e2e-sim"_s), 1);
        QCOMPARE(keepOnly(child<QListWidget>(launcher, u"benchmarkList"_s), u"e2e-sums"_s), 1);
        child<QSpinBox>(launcher, u"limitSpin"_s)->setValue(0);
        child<QSpinBox>(launcher, u"repeatsSpin"_s)->setValue(1);
        QTRY_VERIFY_WITH_TIMEOUT(launcher->property("estimateReady").toBool(), 10000);
        QCOMPARE(launcher->property("estimatedRequests").toLongLong(), qint64(kSamples));
        QSignalSpy started(f.context.get(), &AppContext::runStarted);
        QSignalSpy finished(f.context.get(), &AppContext::runFinished);
        child<QPushButton>(launcher, u"startButton"_s)->click();
        QCOMPARE(started.count(), 1);
        const qint64 runId = started.first().at(0).toLongLong();
        QCOMPARE(w.currentPage(), int(MainWindow::RunsPageIndex));
        QVERIFY(finished.wait(120000));
        QCOMPARE(finished.first().at(1).value<RunStatus>(), RunStatus::Completed);

        // 4. The dashboard shows the store's exact summary.
        ResultsStore store;
        QString error;
        QVERIFY2(store.open(f.context->databasePath(), &error), qPrintable(error));
        const auto summary = computeRunSummary(store, runId, &error);
        QVERIFY2(summary, qPrintable(error));
        QCOMPARE(summary->pairs.size(), 1);
        const PairSummary& p = summary->pairs.first();
        QCOMPARE(p.n, qint64(kSamples));
        QVERIFY2(p.failed > 0 && p.failed < p.n, "the injected faults should fail some requests, not all");
        QWidget* runsPage = w.page(MainWindow::RunsPageIndex);
        const auto tile = [&](const char* name) {
            return child<QWidget>(runsPage, QString::fromLatin1(name))->property("value").toDouble();
        };
        const auto near = [](double a, double b) {
            return (std::isnan(a) && std::isnan(b)) || std::abs(a - b) <= 1e-9 * std::max(1.0, std::abs(b));
        };
        QTRY_COMPARE_WITH_TIMEOUT(tile("kpi_done"), double(p.n), 10000);
        QTRY_VERIFY(near(tile("kpi_p50"), p.latencyMs.p50));
        QCOMPARE(tile("kpi_failed"), double(p.failed));
        QVERIFY(near(tile("kpi_reqps"), p.requestsPerS));
        QVERIFY(near(tile("kpi_tokps"), p.outputTokensPerS));
        QVERIFY(near(tile("kpi_p95"), p.latencyMs.p95));
        QVERIFY(near(tile("kpi_p99"), p.latencyMs.p99));
        QVERIFY(near(tile("kpi_ttft_p50"), p.ttftMs.p50));
        QVERIFY(near(tile("kpi_ttft_p99"), p.ttftMs.p99));
        QVERIFY(near(tile("kpi_error_rate"), 100.0 * double(p.failed) / double(p.n)));
        QVERIFY(near(tile("kpi_score"), p.scoreMean));
        QVERIFY(near(tile("kpi_cost"), p.costUsd));
        for (const char* chart :
            { "chart_latency", "chart_throughput", "chart_errors", "chart_score", "chart_distribution" })
            QTRY_VERIFY2(
                child<QObject>(runsPage, QString::fromLatin1(chart))->property("pointCount").toInt() > 0, chart);

        // 5. The results browser: one row per sample, and filters that narrow it as the store says.
        w.findChild<QAction*>(u"showSamplesAction"_s)->trigger();
        auto* table = child<QTableView>(runsPage, u"resultsTable"_s);
        QTRY_COMPARE_WITH_TIMEOUT(table->model()->rowCount(), kSamples, 10000);
        test::SqlReader sql(f.context->databasePath());
        const auto count = [&](const QString& where) {
            return int(sql.scalar(
                u"SELECT COUNT(*) FROM results WHERE run_id = %1 AND %2"_s.arg(runId).arg(where).toUtf8().constData()));
        };
        QCOMPARE(count(u"1"_s), kSamples);
        auto* failedOnly = child<QCheckBox>(runsPage, u"failedOnlyCheck"_s);
        failedOnly->click();
        QTRY_COMPARE(table->model()->rowCount(), int(p.failed));
        QCOMPARE(count(u"error_class IS NOT NULL"_s), int(p.failed));
        failedOnly->click();
        QTRY_COMPARE(table->model()->rowCount(), kSamples);
        auto* wrongOnly = child<QCheckBox>(runsPage, u"wrongOnlyCheck"_s);
        wrongOnly->click();
        const int wrong = count(u"score < 1"_s);
        QVERIFY(wrong > 0 && wrong < kSamples);
        QTRY_COMPARE(table->model()->rowCount(), wrong);
        wrongOnly->click();
        // The wizard mapped "subject" to the category.
        QCOMPARE(f.workspace->benchmarks().last().fields.value(u"category"_s).toString(), u"subject"_s);
        QCOMPARE(count(u"category = 'addition'"_s), kSamples / 2);
        auto* category = child<QComboBox>(runsPage, u"categoryFilter"_s);
        const bool categoryListed = QTest::qWaitFor([&] { return category->findText(u"addition"_s) >= 0; }, 5000);
        // The categories of a run watched live are listed once it has ended.
        QVERIFY(categoryListed);
        category->setCurrentIndex(category->findText(u"addition"_s));
        QTRY_COMPARE(table->model()->rowCount(), kSamples / 2);
        category->setCurrentIndex(0);
        QTRY_COMPARE(table->model()->rowCount(), kSamples);
        auto* search = child<QLineEdit>(runsPage, u"searchEdit"_s);
        // The search reads responses and expected answers: "20" is the answer to 5 + 15 (and may be in others).
        const int matches = count(u"(response LIKE '%20%' OR expected LIKE '%20%')"_s);
        QVERIFY(matches >= 1 && matches < kSamples);
        type(search, u"20"_s);
        QTest::keyClick(search, Qt::Key_Return);
        QTRY_COMPARE_WITH_TIMEOUT(table->model()->rowCount(), matches, 10000);
        search->clear();
        QTest::keyClick(search, Qt::Key_Return);
        QTRY_COMPARE(table->model()->rowCount(), kSamples);
    }
};

} // namespace evs

EVS_SHELL_TEST_MAIN(evs::TestEndToEnd)
#include "tst_e2e.moc"
