// The one table of stored runs (Runs, Compare and Reports pages): RunListModel filled in one call from RunListLoader
// under QAbstractItemModelTester on a small store; the selection survives a refresh; an unreadable store empties
// the table and says why.

#include "models/browse/runlistmodel.h"
#include "models/plan/planparser.h"
#include "models/store/resultsstore.h"
#include "ui/appcontext.h"
#include "ui/runlistloader.h"
#include "ui/runtable.h"
#include "ui/workspace.h"

#include <QAbstractItemModelTester>
#include <QApplication>
#include <QDir>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;

namespace evs {

class TestRunTable : public QObject {
    Q_OBJECT
    QTemporaryDir m_dir;
    QString m_db;
    QVector<qint64> m_ids; // oldest first

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        m_db = m_dir.filePath(u"runs.sqlite"_s);
        ResultsStore store;
        QString error;
        QVERIFY2(store.open(m_db, &error), qPrintable(error));
        RunPlan plan = Workspace::demoPlan();
        for (auto& b : plan.benchmarks)
            b.limit = 4;
        for (int i = 0; i < 3; ++i) {
            const auto id = store.createRun(u"run%1"_s.arg(i), PlanParser::toJson(plan), 1, 16, &error);
            QVERIFY2(id, qPrintable(error));
            m_ids.append(*id);
        }
        QVERIFY(store.setRunStatus(m_ids[0], RunStatus::Completed, &error));
    }

    void loadsTheStoresRuns()
    {
        Workspace workspace;
        AppContext context(&workspace, m_db);
        RunTable table(&context);
        QAbstractItemModelTester tester(table.runs(), QAbstractItemModelTester::FailureReportingMode::QtTest);
        QSignalSpy refreshed(&table, &RunTable::refreshed);
        table.refresh();
        QVERIFY(refreshed.wait(10000));
        RunListModel* m = table.runs();
        QCOMPARE(m->rowCount(), 3);
        QCOMPARE(m->columnCount(), int(RunListModel::NUM_COLUMNS));
        QCOMPARE(m->index(0, RunListModel::NameColumn).data().toString(), u"run2"_s); // newest first
        QCOMPARE(m->index(0, RunListModel::IdColumn).data().toString(), u"#%1"_s.arg(m_ids[2]));
        QCOMPARE(m->index(0, RunListModel::ModelsColumn).data().toString(), u"sim-fast, sim-steady"_s);
        QCOMPARE(m->index(0, RunListModel::StatusColumn).data().toString(), u"running"_s);
        QCOMPARE(m->index(0, RunListModel::SamplesColumn).data().toString(), u"0 / 16"_s);
        QCOMPARE(m->index(2, RunListModel::SamplesColumn).data().toString(), u"0"_s); // completed: stored only
        QCOMPARE(m->index(2, 0).data(RunListModel::RunIdRole).toLongLong(), m_ids[0]);
        QVERIFY(!m->index(0, 0).data(RunListModel::ScoreRole).isValid()); // no summary yet
        for (int c = 0; c < RunListModel::NUM_COLUMNS; ++c)
            QVERIFY2(!m->headerData(c, Qt::Horizontal).toString().isEmpty(), qPrintable(QString::number(c)));
    }

    void selectionSurvivesARefresh_data()
    {
        QTest::addColumn<bool>("extended");
        QTest::addRow("single selection (runs, reports)") << false;
        QTest::addRow("extended selection (compare)") << true;
    }

    void selectionSurvivesARefresh()
    {
        QFETCH(bool, extended);
        Workspace workspace;
        AppContext context(&workspace, m_db);
        RunTable table(&context);
        if (extended)
            table.setSelectionMode(QAbstractItemView::ExtendedSelection);
        QSignalSpy refreshed(&table, &RunTable::refreshed);
        table.refresh();
        QVERIFY(refreshed.wait(10000));
        const QSet<qint64> chosen = extended ? QSet<qint64> { m_ids[0], m_ids[2] } : QSet<qint64> { m_ids[1] };
        table.selectRuns(chosen);
        const QVector<qint64> before = table.selectedRunIds();
        QCOMPARE(QSet<qint64>(before.cbegin(), before.cend()), chosen);

        // Another run appears: the model is reset, and the same runs are selected again.
        ResultsStore store;
        QString error;
        QVERIFY(store.open(m_db, &error));
        const auto added = store.createRun(u"run3"_s, "{}", 1, -1, &error);
        QVERIFY2(added, qPrintable(error));
        table.refresh();
        QVERIFY(refreshed.wait(10000));
        QCOMPARE(table.runs()->rowCount(), 4);
        QCOMPARE(table.selectedRunIds(), before);
        QVERIFY(store.deleteRun(*added, &error));
    }

    void unreadableStoreEmptiesTheTable()
    {
        Workspace workspace;
        // A folder is no SQLite file.
        AppContext context(&workspace, m_dir.path());
        RunTable table(&context);
        QSignalSpy refreshed(&table, &RunTable::refreshed);
        QSignalSpy failed(&table, &RunTable::refreshFailed);
        table.refresh();
        QVERIFY(failed.wait(10000));
        QCOMPARE(refreshed.count(), 1);
        QVERIFY(!failed.first().at(0).toString().isEmpty());
        QCOMPARE(table.runs()->rowCount(), 0);
    }

    void runsChangedRefreshesTheTable()
    {
        Workspace workspace;
        AppContext context(&workspace, m_db);
        RunTable table(&context);
        QSignalSpy refreshed(&table, &RunTable::refreshed);
        Q_EMIT context.runsChanged();
        QVERIFY(refreshed.wait(10000));
        QCOMPARE(table.runs()->rowCount(), 3);
    }
};

} // namespace evs

int main(int argc, char** argv)
{
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
    QApplication app(argc, argv);
    evs::TestRunTable t;
    return QTest::qExec(&t, argc, argv);
}

#include "tst_runtable.moc"
