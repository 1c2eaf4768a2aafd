// The Compare page offscreen on a small store: select two runs, the summary, matrix and charts fill, the
// disagreement list holds as many rows as the store has disagreements; each item model under
// QAbstractItemModelTester; light and dark palettes.
#include "models/browse/runlistmodel.h"
#include "ui/appcontext.h"
#include "ui/chartadapter.h"
#include "ui/comparedisagreementmodel.h"
#include "ui/comparematrixmodel.h"
#include "ui/comparepage.h"
#include "ui/comparesummarymodel.h"
#include "ui/runtable.h"
#include "ui/workspace.h"

#include "tests/testsupport.h"
#include "tests/unit/browse/browsefixture.h"

#include <QAbstractItemModelTester>
#include <QApplication>
#include <QComboBox>
#include <QItemSelectionModel>
#include <QLabel>
#include <QListWidget>
#include <QPlainTextEdit>
#include <QSignalSpy>
#include <QTabWidget>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>

#include <cmath>

using namespace Qt::StringLiterals;

namespace evs {

class TestComparePage : public QObject {
    Q_OBJECT
    QTemporaryDir m_dir;
    test::BrowseFixture m_fx;

    static void grab(QWidget* w, const QString& name)
    {
        const QString dir = qEnvironmentVariable("EVS_SCREENSHOT_DIR");
        if (!dir.isEmpty())
            w->grab().save(dir + u'/' + name + u".png"_s);
    }

    // Selects the runs in the page's table once the list has been read (off the GUI thread), and waits for their
    // sides.
    static void selectRuns(ComparePage& page, const QSet<qint64>& runIds, int expectedSides)
    {
        QTRY_COMPARE(page.runsModel()->rowCount(), 2);
        auto* table = page.findChild<QTableView*>(u"runsTable"_s);
        QItemSelection selection;
        for (int r = 0; r < page.runsModel()->rowCount(); ++r) {
            const QModelIndex i = page.runsModel()->index(r, 0);
            if (runIds.contains(i.data(RunListModel::RunIdRole).toLongLong()))
                selection.select(i, page.runsModel()->index(r, RunListModel::NUM_COLUMNS - 1));
        }
        table->selectionModel()->select(selection, QItemSelectionModel::ClearAndSelect);
        QTRY_COMPARE(page.findChild<QListWidget*>(u"sidesList"_s)->count(), expectedSides);
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        QString error;
        QVERIFY2(test::writeBrowseFixture(m_dir.filePath(u"compare.sqlite"_s), 150, &m_fx, &error), qPrintable(error));
    }

    void twoRunsFillTableChartsAndDisagreements()
    {
        Workspace workspace;
        AppContext context(&workspace, m_fx.path);
        ComparePage page(&context);
        QAbstractItemModelTester summaryTester(page.summaryModel());
        QAbstractItemModelTester matrixTester(page.matrixModel());
        QAbstractItemModelTester disagreementTester(page.disagreementModel());
        page.resize(1400, 900);
        page.show();
        QTRY_COMPARE(page.runsModel()->rowCount(), 2);
        QSignalSpy updated(&page, &ComparePage::comparisonUpdated);
        // Run 1 has models alpha and beta, run 2 alpha only: three sides.
        selectRuns(page, { m_fx.runId, m_fx.otherRunId }, 3);
        QTRY_COMPARE_WITH_TIMEOUT(page.sideCount(), 3, 60000);
        // arith: all three sides; mc: the first run's two.
        QCOMPARE(page.summaryRowCount(), 5);
        QCOMPARE(page.property("summaryRowCount").toInt(), 5);
        QCOMPARE(page.matrixModel()->rowCount(), 3);
        QCOMPARE(page.matrixModel()->columnCount(), 2);
        QVERIFY(std::isnan(page.matrixModel()->index(2, 1).data(CompareMatrixModel::ScoreRole).toDouble()));
        QVERIFY(page.matrixModel()->index(0, 0).data(Qt::BackgroundRole).value<QColor>().isValid());
        for (const char* name : { "latencyCdfChart", "ttftCdfChart", "scoreChart" }) {
            auto* chart = page.findChild<ChartAdapter*>(QString::fromLatin1(name));
            QVERIFY(chart);
            QVERIFY2(chart->property("pointCount").toInt() > 0, name);
        }
        // Up to 3 sides x 101 CDF points (fewer after decimation); a bar (4 points) and a whisker for each side.
        QVERIFY(page.findChild<ChartAdapter*>(u"latencyCdfChart"_s)->pointCount() <= 3 * Comparison::kCdfPoints);
        QVERIFY(page.findChild<ChartAdapter*>(u"scoreChart"_s)->pointCount() >= 3 * 6);

        // Disagreements of beta against alpha (the baseline) on arith, counted independently.
        auto* pairs = page.findChild<QComboBox*>(u"disagreementPairCombo"_s);
        QCOMPARE(pairs->count(), 2);
        pairs->setCurrentIndex(0);
        test::SqlReader sql(m_fx.path);
        const QByteArray count = "SELECT COUNT(*) FROM results a JOIN results b ON a.sample_idx = b.sample_idx AND "
                                 "a.repeat = b.repeat AND a.benchmark_idx = b.benchmark_idx AND a.run_id = b.run_id "
                                 "WHERE a.run_id = "
            + QByteArray::number(m_fx.runId)
            + " AND a.model_idx = 0 AND b.model_idx = 1 AND a.benchmark_idx = 0 AND a.score IS NOT NULL AND "
              "b.score IS NOT NULL AND (a.score = 1) <> (b.score = 1)";
        const qint64 expected = sql.scalar(count.constData());
        QVERIFY(expected > CompareDisagreementModel::kPageSize / 4);
        QCOMPARE(page.disagreementModel()->totalCount(), expected);
        auto* table = page.findChild<QTableView*>(u"disagreementTable"_s);
        for (int guard = 0; guard < 100 && page.disagreementModel()->canFetchMore({}); ++guard)
            page.disagreementModel()->fetchMore({});
        QCOMPARE(qint64(page.disagreementModel()->rowCount()), expected);
        table->selectRow(1);
        const Disagreement* d = page.disagreementModel()->disagreement(1);
        QVERIFY(d);
        QVERIFY(page.findChild<QPlainTextEdit*>(u"baselineResponse"_s)->toPlainText().contains(d->baseResponse));
        QVERIFY(page.findChild<QPlainTextEdit*>(u"sideResponse"_s)->toPlainText().contains(d->otherResponse));

        auto* tabs = page.findChild<QTabWidget*>(u"compareTabs"_s);
        grab(&page, u"compare-summary"_s);
        tabs->setCurrentIndex(1);
        grab(&page, u"compare-charts"_s);
        tabs->setCurrentIndex(2);
        grab(&page, u"compare-disagreements"_s);

        // Another baseline: the comparison is redone against it.
        auto* baseline = page.findChild<QComboBox*>(u"baselineCombo"_s);
        QCOMPARE(baseline->count(), 3);
        const int before = int(updated.count());
        baseline->setCurrentIndex(1);
        QTRY_VERIFY_WITH_TIMEOUT(
            updated.count() > before && page.comparison() && page.comparison()->baseline == 1, 60000);
    }

    void darkPaletteKeepsTextReadable()
    {
        Workspace workspace;
        AppContext context(&workspace, m_fx.path);
        ComparePage page(&context);
        QPalette dark;
        dark.setColor(QPalette::Window, QColor(0x2b, 0x2b, 0x2b));
        dark.setColor(QPalette::Base, QColor(0x1e, 0x1e, 0x1e));
        dark.setColor(QPalette::AlternateBase, QColor(0x26, 0x26, 0x26));
        dark.setColor(QPalette::Text, QColor(0xee, 0xee, 0xee));
        dark.setColor(QPalette::WindowText, QColor(0xee, 0xee, 0xee));
        dark.setColor(QPalette::Button, QColor(0x33, 0x33, 0x33));
        dark.setColor(QPalette::ButtonText, QColor(0xee, 0xee, 0xee));
        page.setPalette(dark);
        page.resize(1400, 900);
        page.show();
        selectRuns(page, { m_fx.runId }, 2);
        QTRY_COMPARE_WITH_TIMEOUT(page.sideCount(), 2, 60000);
        for (int r = 0; r < 2; ++r) {
            const QModelIndex i = page.matrixModel()->index(r, 0);
            const QColor bg = i.data(Qt::BackgroundRole).value<QColor>();
            const QColor fg = i.data(Qt::ForegroundRole).value<QColor>();
            QVERIFY(bg.lightness() < 110); // deep tint under light text
            QVERIFY(fg.lightness() - bg.lightness() > 100);
        }
        grab(&page, u"compare-dark"_s);
    }

    void oneSideAsksForMore()
    {
        Workspace workspace;
        AppContext context(&workspace, m_fx.path);
        ComparePage page(&context);
        page.show();
        selectRuns(page, { m_fx.otherRunId }, 1);
        QTRY_VERIFY(page.findChild<QLabel*>(u"compareStatus"_s)->text().contains(u"two or more"_s));
        QCOMPARE(page.summaryRowCount(), 0);
    }
};

} // namespace evs

int main(int argc, char** argv)
{
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
    QApplication app(argc, argv);
    evs::TestComparePage t;
    return QTest::qExec(&t, argc, argv);
}

#include "tst_comparepage.moc"
