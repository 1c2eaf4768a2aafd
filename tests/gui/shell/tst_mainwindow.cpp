// The main window: pages and navigation, settings across restarts, plan import and recent files, the status bar
// during a run, the About dialog, and keychain references reaching a run.

#include "models/core/metricdefinitions.h"
#include "shelltestsupport.h"
#include "ui/aboutdialog.h"
#include "ui/mainwindow.h"

#include <QAction>
#include <QLabel>
#include <QListWidget>
#include <QSet>
#include <QSettings>
#include <QSignalSpy>
#include <QStackedWidget>
#include <QTextBrowser>

#include <spdlog/version.h>
#include <sqlite3.h>

using namespace Qt::StringLiterals;

namespace evs {

class TestMainWindow : public QObject {
    Q_OBJECT

    static RunPlan smallDemo()
    {
        RunPlan plan = Workspace::demoPlan();
        for (auto& b : plan.benchmarks)
            b.limit = 4;
        for (auto& m : plan.models) {
            m.simulate.latencyMs = 5;
            m.simulate.tailMs = 10;
            m.simulate.tokenMs = 0;
            m.simulate.faults.clear();
        }
        return plan;
    }

private Q_SLOTS:
    void init() { QSettings().clear(); }

    void pagesAndNavigation()
    {
        test::ShellFixture f;
        MainWindow w(f.context.get(), f.secrets.get());
        w.show();
        const QStringList names { u"modelsPage"_s, u"benchmarksPage"_s, u"runsPage"_s, u"comparePage"_s,
            u"reportsPage"_s };
        auto* stack = w.findChild<QStackedWidget*>(u"pages"_s);
        QCOMPARE(stack->count(), names.size());
        for (int i = 0; i < names.size(); ++i) {
            QCOMPARE(w.page(i)->objectName(), names[i]);
            w.findChild<QAction*>(u"pageAction%1"_s.arg(i))->trigger();
            QCOMPARE(w.currentPage(), i);
            QCOMPARE(stack->currentWidget()->objectName(), names[i]);
            QCOMPARE(w.findChild<QListWidget*>(u"navigation"_s)->currentRow(), i);
        }
        // Clicking the navigation list switches too.
        w.findChild<QListWidget*>(u"navigation"_s)->setCurrentRow(0);
        QCOMPARE(stack->currentWidget()->objectName(), u"modelsPage"_s);
        // Shortcuts: Ctrl+1..5, Ctrl+R, Ctrl+O, Ctrl+Q.
        QCOMPARE(w.findChild<QAction*>(u"pageAction2"_s)->shortcut(), QKeySequence(u"Ctrl+3"_s));
        QCOMPARE(w.findChild<QAction*>(u"newRunAction"_s)->shortcut(), QKeySequence(u"Ctrl+R"_s));
        QCOMPARE(w.findChild<QAction*>(u"openPlanAction"_s)->shortcut(), QKeySequence(QKeySequence::Open));
        QCOMPARE(w.findChild<QAction*>(u"quitAction"_s)->shortcut(), QKeySequence(u"Ctrl+Q"_s));
        if (QTest::qWaitForWindowActive(&w)) {
            QTest::keyClick(&w, Qt::Key_4, Qt::ControlModifier);
            QTRY_COMPARE(w.currentPage(), int(MainWindow::ComparePageIndex));
        }
        // The status bar names the store.
        QVERIFY(w.findChild<QLabel*>(u"storeLabel"_s)->text().contains(u"results.sqlite"_s));
    }

    void settingsPersistAcrossWindows()
    {
        test::ShellFixture f;
        QRect geometry;
        {
            MainWindow w(f.context.get(), f.secrets.get());
            w.show();
            QCOMPARE(w.currentPage(), int(MainWindow::RunsPageIndex)); // first launch: where the demo run starts
            w.showPage(MainWindow::ComparePageIndex);
            w.resize(900, 640);
            QTRY_COMPARE(w.size(), QSize(900, 640));
            w.close();
            geometry = w.geometry();
        }
        MainWindow again(f.context.get(), f.secrets.get());
        QCOMPARE(again.currentPage(), int(MainWindow::ComparePageIndex));
        again.show();
        QCOMPARE(again.size(), geometry.size());
        // The last page is kept even without a clean close.
        again.showPage(MainWindow::ModelsPageIndex);
        QCOMPARE(QSettings().value(u"mainWindow/lastPage"_s).toInt(), int(MainWindow::ModelsPageIndex));
    }

    void aboutShowsVersions()
    {
        test::ShellFixture f;
        MainWindow w(f.context.get(), f.secrets.get());
        w.show();
        w.findChild<QAction*>(u"aboutAction"_s)->trigger();
        QDialog* about = nullptr;
        QTRY_VERIFY((about = test::visibleDialog(u"aboutDialog"_s)));
        QCOMPARE(about->findChild<QLabel*>(u"qtVersion"_s)->text(), QString::fromLatin1(qVersion()));
        QCOMPARE(about->findChild<QLabel*>(u"sqliteVersion"_s)->text(), QString::fromLatin1(sqlite3_libversion()));
        QCOMPARE(about->findChild<QLabel*>(u"spdlogVersion"_s)->text(),
            u"%1.%2.%3"_s.arg(SPDLOG_VER_MAJOR).arg(SPDLOG_VER_MINOR).arg(SPDLOG_VER_PATCH));
        QCOMPARE(about->findChild<QLabel*>(u"appVersion"_s)->text(), QStringLiteral(EVS_VERSION));
        about->reject();
        QTRY_VERIFY(!test::visibleDialog(u"aboutDialog"_s));
    }

    void openPlanImportsAndIsRemembered()
    {
        test::ShellFixture f;
        MainWindow w(f.context.get(), f.secrets.get());
        const QString planPath = f.path(u"team.json"_s);
        QFile file(planPath);
        QVERIFY(file.open(QIODevice::WriteOnly));
        // An ordinary string: moc in Qt 6.4 mis-reads "//" inside a raw string literal.
        file.write("{ \"name\": \"team\", \"models\": [\n"
                   "  { \"id\": \"team-vllm\", \"provider\": \"openai\", \"base_url\": \"http://127.0.0.1:8000/v1\",\n"
                   "    \"model\": \"qwen\", \"api_key\": \"env:TEAM_KEY\" },\n"
                   "  { \"id\": \"sim-fast\", \"provider\": \"simulator\", \"model\": \"sim-fast-2\" } ],\n"
                   "  \"benchmarks\": [ { \"id\": \"arith\", \"dataset\": \"builtin:arithmetic\" } ] }");
        file.close();
        const int models = int(f.workspace->models().size());
        QString error;
        QVERIFY2(w.openPlanFile(planPath, &error), qPrintable(error));
        QCOMPARE(f.workspace->models().size(), models + 1); // sim-fast replaced, team-vllm added
        QCOMPARE(f.workspace->models().first().model, u"sim-fast-2"_s);
        QCOMPARE(f.workspace->models().last().id, u"team-vllm"_s);
        QCOMPARE(f.workspace->benchmarks().last().id, u"arith"_s);
        QCOMPARE(w.recentPlans().value(0), QFileInfo(planPath).absoluteFilePath());

        QFile bad(f.path(u"bad.json"_s));
        QVERIFY(bad.open(QIODevice::WriteOnly));
        bad.write("{ \"name\": \"x\",\n  \"models\": [ }");
        bad.close();
        QVERIFY(!w.openPlanFile(bad.fileName(), &error));
        QVERIFY2(error.contains(u"bad.json:2"_s), qPrintable(error));
        QCOMPARE(w.recentPlans().size(), 1);
    }

    void keychainReferenceReachesTheRun()
    {
        test::ShellFixture f;
        RunPlan plan = smallDemo();
        plan.models.resize(1);
        plan.models[0].apiKeyRef = u"keychain:SIM_SECRET"_s;
        QString error;
        QVERIFY(!f.context->startRun(plan, &error));
        QVERIFY2(error.contains(u"SIM_SECRET"_s), qPrintable(error));
        QVERIFY(f.secrets->store(u"SIM_SECRET"_s, u"s3cret-value"_s, &error));
        QSignalSpy finished(f.context.get(), &AppContext::runFinished);
        QVERIFY2(f.context->startRun(plan, &error), qPrintable(error));
        QVERIFY(finished.wait(60000));
        QCOMPARE(finished.first().at(1).value<RunStatus>(), RunStatus::Completed);
        // The secret went to the run, not to the store.
        QFile db(f.context->databasePath());
        QVERIFY(db.open(QIODevice::ReadOnly));
        QVERIFY(!db.readAll().contains("s3cret-value"));
    }

    void statusBarFollowsTheRun()
    {
        test::ShellFixture f;
        MainWindow w(f.context.get(), f.secrets.get());
        w.show();
        w.showPage(MainWindow::ModelsPageIndex);
        QSignalSpy finished(f.context.get(), &AppContext::runFinished);
        QString error;
        QVERIFY2(f.context->startRun(smallDemo(), &error), qPrintable(error));
        QCOMPARE(w.currentPage(), int(MainWindow::RunsPageIndex));
        QVERIFY(w.findChild<QAction*>(u"stopAction"_s)->isEnabled());
        QVERIFY(w.findChild<QAction*>(u"pauseAction"_s)->isEnabled());
        QVERIFY(!w.findChild<QAction*>(u"resumeAction"_s)->isEnabled());
        QVERIFY(finished.wait(60000));
        auto* label = w.findChild<QLabel*>(u"runStatusLabel"_s);
        QVERIFY2(label->text().contains(u"completed"_s), qPrintable(label->text()));
        QVERIFY(!w.findChild<QAction*>(u"stopAction"_s)->isEnabled());
    }

    void metricDefinitionsAreComplete()
    {
        QSet<QString> keys;
        for (const MetricDefinition& m : metricDefinitions()) {
            QVERIFY(!m.key.isEmpty());
            QVERIFY(!m.label.isEmpty());
            QVERIFY2(m.definition.size() > 10, qPrintable(m.key.toString()));
            QVERIFY2(!keys.contains(m.key.toString()), qPrintable(m.key.toString())); // one entry per key
            keys.insert(m.key.toString());
        }
        QVERIFY(metricDefinition(u"ttft").contains(u"t_first_token − t_send"_s));
        QVERIFY(metricToolTip(u"latency_p95").startsWith(u"<p><b>Latency p95</b>"_s));
        QVERIFY(metricDefinition(u"no-such-metric").isEmpty());
        // The dashboard tiles' metrics.
        for (const char* key : { "done", "failed", "requests_per_s", "output_tokens_per_s", "latency_p50",
                 "latency_p95", "latency_p99", "ttft_p50", "ttft_p99", "error_rate", "score", "cost" })
            QVERIFY2(findMetricDefinition(QString::fromLatin1(key)), key);
        // What the code does not compute is not defined (docs/metrics.md): no goodput, no steady window.
        QVERIFY(!findMetricDefinition(u"goodput"));
        for (const MetricDefinition& m : metricDefinitions())
            QVERIFY2(!m.definition.contains(u"steady window"_s), qPrintable(m.key.toString()));
    }

    // Help › Metric definitions shows the table's GUI list, nothing else.
    void metricDefinitionsDialogShowsTheTable()
    {
        test::ShellFixture f;
        MainWindow w(f.context.get(), f.secrets.get());
        w.show();
        QDialog* dialog = w.showMetricDefinitions();
        QVERIFY(dialog);
        QCOMPARE(dialog->objectName(), u"metricsDialog"_s);
        auto* text = dialog->findChild<QTextBrowser*>();
        QVERIFY(text);
        const QString shown = text->toPlainText();
        for (const MetricDefinition& m : metricDefinitions()) {
            const bool listed = m.lists & MetricDefinition::GuiList;
            QCOMPARE(shown.contains(m.definition.left(60).toString()), listed);
        }
        QVERIFY(shown.contains(u"No warm-up or cool-down is excluded"_s));
        dialog->close();
    }
};

} // namespace evs

EVS_SHELL_TEST_MAIN(evs::TestMainWindow)
#include "tst_mainwindow.moc"
