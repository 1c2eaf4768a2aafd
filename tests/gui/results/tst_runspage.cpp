// The runs page against real runs: a run of the demo against the in-process simulator through AppContext, the
// list's figures, opening a run (dashboard rebuilt from the store), deleting with the confirmation answered here.
#include "models/browse/resultstablemodel.h"
#include "models/browse/runlistmodel.h"
#include "models/store/resultsstore.h"
#include "ui/appcontext.h"
#include "ui/dashboardview.h"
#include "ui/resultsbrowser.h"
#include "ui/runspage.h"
#include "ui/sampledetailpane.h"
#include "ui/workspace.h"

#include "tests/testsupport.h"

#include <QApplication>
#include <QLabel>
#include <QMessageBox>
#include <QPushButton>
#include <QSignalSpy>
#include <QTabWidget>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;

namespace evs {

class TestRunsPage : public QObject {
    Q_OBJECT
private:
    QTemporaryDir m_dir;

    static RunPlan smallPlan(qint64 limit)
    {
        RunPlan plan = Workspace::demoPlan();
        plan.models.resize(1);
        plan.benchmarks.resize(1);
        plan.benchmarks[0].limit = limit;
        plan.name = u"runs-page-test"_s;
        return plan;
    }
    static QString cellText(RunsPage& page, qint64 runId, int column)
    {
        RunListModel* m = page.runListModel();
        const int row = m->rowOfRun(runId);
        return row < 0 ? QString() : m->data(m->index(row, column)).toString();
    }
    static void grab(QWidget* w, const QString& name)
    {
        const QString dir = qEnvironmentVariable("EVS_SCREENSHOT_DIR");
        if (!dir.isEmpty())
            w->grab().save(dir + u'/' + name + u".png"_s);
    }
    // Answers the delete confirmation with the button `which` (it is opened without exec(), so it is there or not).
    static bool answerConfirmation(RunsPage& page, QMessageBox::StandardButton which)
    {
        QMessageBox* box = nullptr;
        const bool shown = QTest::qWaitFor(
            [&] {
                box = page.findChild<QMessageBox*>(u"confirmDeleteRun"_s);
                return box && box->isVisible();
            },
            1000);
        if (!shown)
            return false;
        box->button(which)->click();
        return true;
    }

private Q_SLOTS:
    void initTestCase() { QVERIFY(m_dir.isValid()); }

    void simulatorRunAppearsOpensAndDeletes()
    {
        const QString db = m_dir.filePath(u"runs.db"_s);
        Workspace workspace;
        AppContext context(&workspace, db);
        RunsPage page(&context);
        page.resize(1400, 950);
        page.show();
        QVERIFY(QTest::qWaitForWindowExposed(&page));
        QSignalSpy refreshed(&page, &RunsPage::runsRefreshed);
        QTRY_VERIFY(refreshed.count() >= 1);
        QCOMPARE(page.runListModel()->rowCount(), 0);

        QSignalSpy finished(&context, &AppContext::runFinished);
        QString error;
        QVERIFY2(context.startRun(smallPlan(40), &error), qPrintable(error));
        const qint64 runId = context.activeRun()->runId();
        // It is listed at once, as the live run.
        QTRY_VERIFY(page.runListModel()->rowOfRun(runId) >= 0);
        QVERIFY(finished.wait(120000));
        QCOMPARE(finished.first().at(0).toLongLong(), runId);

        // The list shows the finished run's status, n, score and p95 from the saved summary.
        QTRY_COMPARE(cellText(page, runId, RunListModel::StatusColumn), u"completed"_s);
        QTRY_COMPARE(cellText(page, runId, RunListModel::SamplesColumn), u"40"_s);
        QCOMPARE(cellText(page, runId, RunListModel::ModelsColumn), workspace.demoPlan().models.first().id);
        QVERIFY(!cellText(page, runId, RunListModel::ScoreColumn).isEmpty());
        QVERIFY(!cellText(page, runId, RunListModel::LatencyP95Column).isEmpty());

        // Opening it rebuilds the dashboard from the store and shows the saved summary.
        QSignalSpy opened(&page, &RunsPage::runOpened);
        page.showRun(runId);
        QTRY_VERIFY(opened.count() >= 1);
        QCOMPARE(page.shownRunId(), runId);
        QObject* done = page.dashboard()->findChild<QObject*>(u"kpi_done"_s);
        QVERIFY(done);
        QTRY_COMPARE(done->property("value").toDouble(), 40.0);
        for (const char* chart : { "chart_latency", "chart_throughput", "chart_score", "chart_distribution" }) {
            QObject* c = page.dashboard()->findChild<QObject*>(QString::fromLatin1(chart));
            QVERIFY2(c, chart);
            QTRY_VERIFY2(c->property("pointCount").toInt() > 0, chart);
        }
        // The samples tab holds the run's samples.
        ResultsTableModel* samples = page.resultsBrowser()->model();
        QTRY_COMPARE(samples->rowCount(), 40);
        grab(&page, u"runs-page-dashboard"_s);
        page.findChild<QTabWidget*>(u"runTabs"_s)->setCurrentIndex(1);
        QTRY_VERIFY(samples->isRowLoaded(0));
        page.resultsBrowser()->table()->selectRow(0);
        QTRY_VERIFY(page.resultsBrowser()->detailPane()->resultId() > 0);
        grab(&page, u"runs-page-samples"_s);

        // Delete: Cancel keeps the run, Delete removes it.
        auto* del = page.findChild<QPushButton*>(u"deleteRunButton"_s);
        QVERIFY(del->isEnabled());
        del->click();
        QSignalSpy deleted(&page, &RunsPage::runDeleted);
        QVERIFY(answerConfirmation(page, QMessageBox::Cancel));
        // Cancel starts nothing: a deletion would have disabled the button at once.
        QVERIFY(del->isEnabled());
        QVERIFY(!page.findChild<QLabel*>(u"runsStatusLabel"_s)->text().contains(u"Deleting"_s));
        QVERIFY(page.runListModel()->rowOfRun(runId) >= 0);
        QCOMPARE(deleted.count(), 0);
        del->click();
        QVERIFY(answerConfirmation(page, QMessageBox::Yes));
        QVERIFY(deleted.wait(30000));
        QTRY_COMPARE(page.runListModel()->rowOfRun(runId), -1);
        QCOMPARE(page.shownRunId(), 0);
        QCOMPARE(samples->rowCount(), 0);
        test::SqlReader sql(db);
        QCOMPARE(sql.scalar("SELECT COUNT(*) FROM runs"), 0);
        QCOMPARE(sql.scalar("SELECT COUNT(*) FROM results"), 0);
    }

    void liveRunShownLiveThenResumed()
    {
        const QString db = m_dir.filePath(u"live.db"_s);
        Workspace workspace;
        AppContext context(&workspace, db);
        RunsPage page(&context);
        page.resize(1400, 950);
        page.show();
        QSignalSpy finished(&context, &AppContext::runFinished);
        QSignalSpy snapshots(&context, &AppContext::snapshotAvailable);
        QString error;
        RunPlan plan = smallPlan(0);
        plan.models[0].concurrency = 1;
        plan.models[0].simulate.latencyMs = 50;
        QVERIFY2(context.startRun(plan, &error), qPrintable(error));
        const qint64 runId = context.activeRun()->runId();
        page.showRun(runId);
        QCOMPARE(page.shownRunId(), runId);
        QTRY_COMPARE(cellText(page, runId, RunListModel::StatusColumn), u"running (live)"_s);
        // The active run can be neither deleted nor resumed.
        QVERIFY(!page.findChild<QPushButton*>(u"deleteRunButton"_s)->isEnabled());
        QVERIFY(!page.findChild<QPushButton*>(u"resumeRunButton"_s)->isEnabled());
        QVERIFY(snapshots.wait(10000));
        QObject* done = page.dashboard()->findChild<QObject*>(u"kpi_done"_s);
        QTRY_VERIFY(done->property("value").toDouble() > 0);
        context.stopActiveRun();
        QVERIFY(finished.wait(30000));
        QCOMPARE(finished.first().at(1).value<RunStatus>(), RunStatus::Interrupted);
        QTRY_COMPARE(cellText(page, runId, RunListModel::StatusColumn), u"interrupted"_s);

        // Resume from the page: the same run becomes the active one again.
        auto* resume = page.findChild<QPushButton*>(u"resumeRunButton"_s);
        QTRY_VERIFY(resume->isEnabled());
        QSignalSpy started(&context, &AppContext::runStarted);
        resume->click();
        QCOMPARE(started.count(), 1);
        QCOMPARE(started.first().at(0).toLongLong(), runId);
        context.stopActiveRun();
        QVERIFY(finished.wait(30000));
    }
};

} // namespace evs

int main(int argc, char** argv)
{
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
    QApplication app(argc, argv);
    evs::TestRunsPage t;
    return QTest::qExec(&t, argc, argv);
}

#include "tst_runspage.moc"
