// The Reports page against a real run: a run of the demo against the in-process simulator through AppContext with
// one threshold that passes and one that fails; the page lists it, shows 1 PASS and 1 FAIL, and exports JSON (its
// summary equals the store's) and self-contained HTML through its own controls; light and dark palettes.
#include "models/browse/runlistmodel.h"
#include "models/stats/runsummary.h"
#include "models/store/resultsstore.h"
#include "ui/appcontext.h"
#include "ui/reportspage.h"
#include "ui/thresholdtablemodel.h"
#include "ui/workspace.h"

#include "tests/testsupport.h"

#include <QAbstractItemModelTester>
#include <QApplication>
#include <QComboBox>
#include <QFile>
#include <QFileDialog>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QLineEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QSignalSpy>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;

namespace evs {

class TestReportsPage : public QObject {
    Q_OBJECT
    QTemporaryDir m_dir;
    QString m_db;
    qint64 m_runId = 0;

    static void grab(QWidget* w, const QString& name)
    {
        const QString dir = qEnvironmentVariable("EVS_SCREENSHOT_DIR");
        if (dir.isEmpty())
            return;
        QApplication::processEvents(); // the layout settles on posted events: grab what a user would see
        w->grab().save(dir + u'/' + name + u".png"_s);
    }
    static int countResults(ThresholdTableModel* m, bool passed)
    {
        int n = 0;
        for (int r = 0; r < m->rowCount(); ++r) {
            const QModelIndex i = m->index(r, ThresholdTableModel::ResultColumn);
            if (i.data(ThresholdTableModel::PassedRole).toBool() == passed
                && i.data().toString().contains(passed ? u"PASS"_s : u"FAIL"_s))
                ++n;
        }
        return n;
    }
    // Exports through the page's controls: the format combo, the path field and the Export button.
    static QString exportThroughPage(ReportsPage& page, ReportFormat format, const QString& path)
    {
        auto* combo = page.findChild<QComboBox*>(u"formatCombo"_s);
        combo->setCurrentIndex(combo->findData(int(format)));
        auto* edit = page.findChild<QLineEdit*>(u"pathEdit"_s);
        edit->setText(path);
        auto* button = page.findChild<QPushButton*>(u"exportButton"_s);
        if (!button->isEnabled())
            return u"export button disabled"_s;
        QSignalSpy finished(&page, &ReportsPage::exportFinished);
        button->click();
        if (!finished.wait(120000))
            return u"no exportFinished"_s;
        return finished.first().at(1).toString();
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        m_db = m_dir.filePath(u"reports.db"_s);
    }

    void runIsListedWithThresholdsAndExports()
    {
        Workspace workspace;
        AppContext context(&workspace, m_db);
        ReportsPage page(&context);
        QAbstractItemModelTester thresholdTester(page.thresholdModel());
        page.resize(1400, 900);
        page.show();
        QVERIFY(QTest::qWaitForWindowExposed(&page));
        QSignalSpy refreshed(&page, &ReportsPage::runsRefreshed);
        QTRY_VERIFY(refreshed.count() >= 1);
        QCOMPARE(page.runsModel()->rowCount(), 0);

        RunPlan plan = Workspace::demoPlan();
        plan.models.resize(1);
        plan.benchmarks.resize(1);
        plan.benchmarks[0].limit = 30;
        plan.name = u"reports-page-test"_s;
        // One bound every run meets, one no run can: 1 PASS, 1 FAIL.
        plan.thresholds = { Threshold { u"error_rate"_s, u"<="_s, 1.0, {}, {} },
            Threshold { u"latency_p95_ms"_s, u"<"_s, 0.0, {}, {} } };
        QSignalSpy finished(&context, &AppContext::runFinished);
        QString error;
        QVERIFY2(context.startRun(plan, &error), qPrintable(error));
        m_runId = context.activeRun()->runId();
        QVERIFY(finished.wait(120000));

        // Listed once finished, with its status and n.
        QTRY_VERIFY(page.runsModel()->rowOfRun(m_runId) >= 0);
        const auto cell = [&](int column) {
            return page.runsModel()->index(page.runsModel()->rowOfRun(m_runId), column).data().toString();
        };
        QTRY_COMPARE(cell(RunListModel::StatusColumn), u"completed"_s);
        QCOMPARE(cell(RunListModel::SamplesColumn), u"30"_s);

        page.selectRun(m_runId);
        QCOMPARE(page.selectedRunId(), m_runId);
        QCOMPARE(page.thresholdModel()->rowCount(), 2);
        QCOMPARE(countResults(page.thresholdModel(), true), 1);
        QCOMPARE(countResults(page.thresholdModel(), false), 1);
        QVERIFY(page.findChild<QLabel*>(u"thresholdsSummary"_s)->text().contains(u"1 of 2"_s));
        const QModelIndex pass = page.thresholdModel()->index(0, ThresholdTableModel::ResultColumn);
        const QModelIndex fail = page.thresholdModel()->index(1, ThresholdTableModel::ResultColumn);
        QVERIFY(pass.data(Qt::BackgroundRole).value<QColor>() != fail.data(Qt::BackgroundRole).value<QColor>());
        // The saved figures are the table's.
        test::SqlReader sql(m_db);
        const QJsonArray saved
            = QJsonDocument::fromJson(sql.rows("SELECT summary_json FROM runs").first().first().toString().toUtf8())
                  .object()
                  .value(u"thresholds"_s)
                  .toArray();
        QCOMPARE(saved.size(), 2);
        for (int r = 0; r < 2; ++r)
            QCOMPARE(page.thresholdModel()->index(r, 0).data(ThresholdTableModel::ActualRole).toDouble(),
                saved.at(r).toObject().value(u"actual"_s).toDouble());
        grab(&page, u"reports-page"_s);

        // JSON: its summary is the store's, computed again here.
        const QString jsonPath = m_dir.filePath(u"out/run.json"_s);
        QVERIFY(QDir().mkpath(m_dir.filePath(u"out"_s)));
        error = exportThroughPage(page, ReportFormat::Json, jsonPath);
        QVERIFY2(error.isEmpty(), qPrintable(error));
        QFile json(jsonPath);
        QVERIFY(json.open(QIODevice::ReadOnly));
        const QJsonObject doc = QJsonDocument::fromJson(json.readAll()).object();
        ResultsStore store;
        QVERIFY2(store.open(m_db, &error), qPrintable(error));
        const auto summary = computeRunSummary(store, m_runId, &error);
        QVERIFY2(summary, qPrintable(error));
        QCOMPARE(doc.value(u"summary"_s).toObject().value(u"pairs"_s).toArray(),
            summary->toJson().value(u"pairs"_s).toArray());
        QVERIFY(page.findChild<QLabel*>(u"exportStatus"_s)->text().contains(QDir::toNativeSeparators(jsonPath)));
        QVERIFY(page.findChild<QPushButton*>(u"openFileButton"_s)->isEnabled());
        QVERIFY(page.findChild<QPushButton*>(u"openFolderButton"_s)->isEnabled());
        QVERIFY(page.findChild<QProgressBar*>(u"exportProgress"_s)->isHidden());

        // HTML: self-contained, nothing fetched when opened.
        const QString htmlPath = m_dir.filePath(u"out/run.html"_s);
        error = exportThroughPage(page, ReportFormat::Html, htmlPath);
        QVERIFY2(error.isEmpty(), qPrintable(error));
        QFile html(htmlPath);
        QVERIFY(html.open(QIODevice::ReadOnly));
        const QByteArray body = html.readAll();
        QVERIFY(body.size() > 1000);
        QVERIFY(!body.contains("http://"));
        QVERIFY(!body.contains("https://"));
        QVERIFY(body.contains("<svg"));
        grab(&page, u"reports-page-exported"_s);

        // A failed export says why and leaves the open buttons off.
        error = exportThroughPage(page, ReportFormat::Csv, m_dir.filePath(u"missing/dir/run.csv"_s));
        QVERIFY(!error.isEmpty());
        QVERIFY(page.findChild<QLabel*>(u"exportStatus"_s)->text().contains(u"failed"_s));
        QVERIFY(!page.findChild<QPushButton*>(u"openFileButton"_s)->isEnabled());
        grab(&page, u"reports-page-failed"_s);
    }

    void formatAndSuffixFollowEachOther()
    {
        Workspace workspace;
        AppContext context(&workspace, m_db);
        ReportsPage page(&context);
        page.show();
        QSignalSpy refreshed(&page, &ReportsPage::runsRefreshed);
        QTRY_VERIFY(refreshed.count() >= 1);
        page.selectRun(m_runId);
        QVERIFY(page.exportPath().endsWith(u"run-%1.html"_s.arg(m_runId)));
        page.setFormat(ReportFormat::Junit);
        QVERIFY(page.exportPath().endsWith(u"run-%1.xml"_s.arg(m_runId)));
        auto* edit = page.findChild<QLineEdit*>(u"pathEdit"_s);
        edit->setText(m_dir.filePath(u"x.prom"_s));
        Q_EMIT edit->editingFinished();
        QCOMPARE(page.format(), ReportFormat::Prometheus);

        // Browse opens a non-modal save dialog; choosing a file sets the path and the format.
        page.findChild<QPushButton*>(u"browseButton"_s)->click();
        QFileDialog* dialog = nullptr;
        QTRY_VERIFY((dialog = page.findChild<QFileDialog*>(u"exportFileDialog"_s)) != nullptr);
        QVERIFY(!dialog->isModal() || dialog->windowModality() != Qt::ApplicationModal);
        Q_EMIT dialog->fileSelected(m_dir.filePath(u"chosen.md"_s));
        dialog->close();
        QCOMPARE(page.exportPath(), m_dir.filePath(u"chosen.md"_s));
        QCOMPARE(page.format(), ReportFormat::Markdown);
    }

    void darkPaletteKeepsResultReadable()
    {
        Workspace workspace;
        AppContext context(&workspace, m_db);
        ReportsPage page(&context);
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
        QSignalSpy refreshed(&page, &ReportsPage::runsRefreshed);
        QTRY_VERIFY(refreshed.count() >= 1);
        page.selectRun(m_runId);
        QCOMPARE(page.thresholdModel()->rowCount(), 2);
        for (int r = 0; r < 2; ++r) {
            const QModelIndex i = page.thresholdModel()->index(r, ThresholdTableModel::ResultColumn);
            const QColor bg = i.data(Qt::BackgroundRole).value<QColor>();
            const QColor fg = i.data(Qt::ForegroundRole).value<QColor>();
            QVERIFY(fg.lightness() - bg.lightness() > 100);
        }
        grab(&page, u"reports-page-dark"_s);
    }
};

} // namespace evs

int main(int argc, char** argv)
{
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
    QApplication app(argc, argv);
    evs::TestReportsPage t;
    return QTest::qExec(&t, argc, argv);
}

#include "tst_reportspage.moc"
