// The results browser on a fixture store: row count equals the run's samples, each filter narrows it to what plain
// SQL counts, sorting by a header click, and selecting a row fills the detail pane.
#include "models/browse/resultstablemodel.h"
#include "ui/resultsbrowser.h"
#include "ui/sampledetailpane.h"

#include "tests/testsupport.h"
#include "tests/unit/browse/browsefixture.h"

#include <QAbstractItemModelTester>
#include <QApplication>
#include <QCheckBox>
#include <QComboBox>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QSignalSpy>
#include <QTableView>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;

namespace evs {

class TestResultsBrowser : public QObject {
    Q_OBJECT
private:
    QTemporaryDir m_dir;
    test::BrowseFixture m_fx;

    qint64 sqlCount(const QString& where) const
    {
        test::SqlReader sql(m_fx.path);
        return sql.scalar(u"SELECT COUNT(*) FROM results WHERE run_id = %1%2"_s.arg(m_fx.runId)
                              .arg(where.isEmpty() ? QString() : u" AND "_s + where)
                              .toUtf8()
                              .constData());
    }
    static void grab(QWidget* w, const QString& name)
    {
        const QString dir = qEnvironmentVariable("EVS_SCREENSHOT_DIR");
        if (!dir.isEmpty())
            w->grab().save(dir + u'/' + name + u".png"_s);
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        QString error;
        QVERIFY2(test::writeBrowseFixture(m_dir.filePath(u"browse.sqlite"_s), 120, &m_fx, &error), qPrintable(error));
    }

    void filtersNarrowAndDetailFills()
    {
        ResultsBrowser browser;
        browser.resize(1400, 800);
        browser.show();
        QVERIFY(QTest::qWaitForWindowExposed(&browser));
        QAbstractItemModelTester tester(browser.model(), QAbstractItemModelTester::FailureReportingMode::QtTest);
        auto* table = browser.findChild<QTableView*>(u"resultsTable"_s);
        QVERIFY(table);
        browser.setRun(m_fx.path, m_fx.runId);
        QTRY_COMPARE(table->model()->rowCount(), int(m_fx.records));
        auto* count = browser.findChild<QLabel*>(u"countLabel"_s);
        QTRY_COMPARE(count->text(), u"480 samples"_s);
        // The visible rows get their pages.
        QTRY_VERIFY(browser.model()->isRowLoaded(0));
        QCOMPARE(table->model()->data(table->model()->index(0, ResultsTableModel::ModelColumn)).toString(), u"alpha"_s);

        auto* failed = browser.findChild<QCheckBox*>(u"failedOnlyCheck"_s);
        failed->click();
        const qint64 failedCount = sqlCount(u"error_class IS NOT NULL"_s);
        QVERIFY(failedCount > 0 && failedCount < m_fx.records);
        QTRY_COMPARE(table->model()->rowCount(), int(failedCount));
        QTRY_VERIFY(count->text().contains(u"of 480"_s));
        failed->click();
        QTRY_COMPARE(table->model()->rowCount(), int(m_fx.records));

        auto* wrong = browser.findChild<QCheckBox*>(u"wrongOnlyCheck"_s);
        auto* model = browser.findChild<QComboBox*>(u"modelFilter"_s);
        QTRY_COMPARE(model->count(), 3);
        wrong->click();
        model->setCurrentIndex(model->findText(u"beta"_s));
        QTRY_COMPARE(table->model()->rowCount(), int(sqlCount(u"score < 1 AND model_idx = 1"_s)));
        wrong->click();
        auto* benchmark = browser.findChild<QComboBox*>(u"benchmarkFilter"_s);
        benchmark->setCurrentIndex(benchmark->findText(u"mc"_s));
        QTRY_COMPARE(table->model()->rowCount(), int(sqlCount(u"model_idx = 1 AND benchmark_idx = 1"_s)));
        auto* category = browser.findChild<QComboBox*>(u"categoryFilter"_s);
        QTRY_COMPARE(category->count(), 3); // scanned after the table is shown (the fixture has no summary)
        category->setCurrentIndex(category->findText(u"algebra"_s));
        QTRY_COMPARE(table->model()->rowCount(),
            int(sqlCount(u"model_idx = 1 AND benchmark_idx = 1 AND category = 'algebra'"_s)));
        model->setCurrentIndex(0);
        benchmark->setCurrentIndex(0);
        category->setCurrentIndex(0);
        QTRY_COMPARE(table->model()->rowCount(), int(m_fx.records));

        // Text search starts on Enter.
        auto* search = browser.findChild<QLineEdit*>(u"searchEdit"_s);
        search->setFocus();
        QTest::keyClicks(search, u"100% SURE"_s);
        QTest::keyClick(search, Qt::Key_Return);
        QTRY_COMPARE(table->model()->rowCount(), int(sqlCount(u"response LIKE '%100\\% sure%' ESCAPE '\\'"_s)));
        QVERIFY(table->model()->rowCount() > 0);
        search->clear();
        QTRY_COMPARE(table->model()->rowCount(), int(m_fx.records));

        // Sorting by a header click: latency, longest first.
        table->horizontalHeader()->setSortIndicator(ResultsTableModel::LatencyColumn, Qt::DescendingOrder);
        QTRY_COMPARE(browser.model()->sortOrder(), (ResultsSort { ResultsSortKey::Latency, true }));
        QTRY_VERIFY(browser.model()->isRowLoaded(0));
        test::SqlReader sql(m_fx.path);
        const qint64 slowest
            = sql.scalar(u"SELECT id FROM results WHERE run_id = %1 ORDER BY "
                         "IFNULL(COALESCE(t_last_token, t_end) - t_send, -1) DESC, id DESC LIMIT 1"_s.arg(m_fx.runId)
                             .toUtf8()
                             .constData());
        QCOMPARE(browser.model()->resultId(0), slowest);
        // An unsortable column keeps the order.
        table->horizontalHeader()->setSortIndicator(ResultsTableModel::ResponseColumn, Qt::AscendingOrder);
        QTRY_COMPARE(table->horizontalHeader()->sortIndicatorSection(), int(ResultsTableModel::LatencyColumn));
        QCOMPARE(browser.model()->sortOrder(), (ResultsSort { ResultsSortKey::Latency, true }));

        // Selecting a row fills the detail pane with what the store holds.
        QSignalSpy shown(&browser, &ResultsBrowser::detailShown);
        table->selectRow(0);
        QTRY_COMPARE(shown.count(), 1);
        const qint64 id = shown.first().at(0).toLongLong();
        QCOMPARE(id, slowest);
        const auto stored
            = sql.rows(u"SELECT response, expected, sample_id, error_message FROM results WHERE id = %1"_s.arg(id)
                           .toUtf8()
                           .constData());
        auto* pane = browser.findChild<SampleDetailPane*>(u"sampleDetailPane"_s);
        QCOMPARE(pane->resultId(), id);
        QCOMPARE(pane->findChild<QPlainTextEdit*>(u"detailResponse"_s)->toPlainText(), stored.first().at(0).toString());
        QCOMPARE(pane->findChild<QPlainTextEdit*>(u"detailExpected"_s)->toPlainText(), stored.first().at(1).toString());
        QVERIFY(pane->findChild<QLabel*>(u"detailTitle"_s)->text().startsWith(stored.first().at(2).toString()));
        QVERIFY(pane->findChild<QPlainTextEdit*>(u"detailPrompt"_s)->toPlainText().contains(u"[user]"_s));
        QCOMPARE(pane->findChild<QTableWidget*>(u"detailTimings"_s)->rowCount(), 8);
        QVERIFY(!pane->findChild<QLabel*>(u"detailLatency"_s)->text().isEmpty());
        grab(&browser, u"results-browser"_s);

        // A failed sample: its attempts with their classes and the raw error.
        failed->click();
        QTRY_COMPARE(table->model()->rowCount(), int(failedCount));
        QTRY_VERIFY(browser.model()->isRowLoaded(0));
        table->selectRow(0);
        QTRY_COMPARE(shown.count(), 2);
        auto* attempts = pane->findChild<QTableWidget*>(u"detailAttempts"_s);
        QCOMPARE(attempts->rowCount(), 2);
        QCOMPARE(attempts->item(0, 1)->text(), u"http_429"_s);
        QVERIFY(pane->findChild<QPlainTextEdit*>(u"detailError"_s)->toPlainText().contains(u"upstream said no"_s));
        pane->findChild<QTabWidget*>(u"detailTabs"_s)->setCurrentIndex(4);
        grab(&browser, u"results-browser-failed"_s);
    }
};

} // namespace evs

int main(int argc, char** argv)
{
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
    QApplication app(argc, argv);
    evs::TestResultsBrowser t;
    return QTest::qExec(&t, argc, argv);
}

#include "tst_resultsbrowser.moc"
