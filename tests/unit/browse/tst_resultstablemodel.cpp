#include "models/browse/resultstablemodel.h"
#include "models/browse/runlistmodel.h"

#include "browsefixture.h"
#include "tests/testsupport.h"

#include <QAbstractItemModelTester>
#include <QJsonArray>
#include <QJsonObject>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;

Q_DECLARE_METATYPE(evs::ResultsFilter)

namespace evs {

class TestResultsTableModel : public QObject {
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
    // Touches every row (so that each page is asked for) and waits until all are read.
    static bool loadAll(ResultsTableModel& model)
    {
        for (int guard = 0; guard < 200; ++guard) {
            bool all = true;
            for (int r = 0; r < model.rowCount(); ++r) {
                if (!model.isRowLoaded(r)) {
                    all = false;
                    model.data(model.index(r, 0));
                }
            }
            if (all)
                return true;
            QSignalSpy spy(&model, &ResultsTableModel::pageLoaded);
            spy.wait(2000);
        }
        return false;
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        QString error;
        // 70 samples x 4 = 280 rows: two pages of 256, so page boundaries are crossed.
        QVERIFY2(test::writeBrowseFixture(m_dir.filePath(u"browse.sqlite"_s), 70, &m_fx, &error), qPrintable(error));
    }

    void rowsAndFilters_data()
    {
        QTest::addColumn<ResultsFilter>("filter");
        QTest::addColumn<QString>("where");
        QTest::addRow("all") << ResultsFilter {} << QString();
        QTest::addRow("failed") << ResultsFilter { .failedOnly = true } << u"error_class IS NOT NULL"_s;
        QTest::addRow("wrong") << ResultsFilter { .wrongOnly = true } << u"score < 1"_s;
        QTest::addRow("model") << ResultsFilter { .modelIndex = 0 } << u"model_idx = 0"_s;
        QTest::addRow("benchmark") << ResultsFilter { .benchmarkIndex = 1 } << u"benchmark_idx = 1"_s;
        QTest::addRow("category") << ResultsFilter { .category = u"geometry"_s } << u"category = 'geometry'"_s;
        QTest::addRow("text") << ResultsFilter { .text = u"sure"_s } << u"response LIKE '%sure%'"_s;
        QTest::addRow("nothing") << ResultsFilter { .text = u"zebra"_s } << u"0"_s;
    }
    void rowsAndFilters()
    {
        QFETCH(ResultsFilter, filter);
        QFETCH(QString, where);
        ResultsTableModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        QSignalSpy loaded(&model, &ResultsTableModel::loaded);
        model.setQuery(m_fx.path, m_fx.runId);
        QVERIFY(loaded.wait(5000));
        QCOMPARE(model.rowCount(), int(m_fx.records));
        QCOMPARE(model.columnCount(), int(ResultsTableModel::NUM_COLUMNS));

        model.setFilter(filter);
        if (!model.isLoading() && filter == ResultsFilter {}) {
            QCOMPARE(model.rowCount(), int(m_fx.records));
        } else {
            QVERIFY(loaded.wait(5000));
            QCOMPARE(model.rowCount(), int(sqlCount(where)));
        }
        QVERIFY(loadAll(model));
        // Every row satisfies the filter.
        for (int r = 0; r < model.rowCount(); ++r) {
            const QModelIndex i = model.index(r, 0);
            if (filter.failedOnly)
                QVERIFY(!model.data(i, ResultsTableModel::ErrorClassRole).toString().isEmpty());
            if (filter.wrongOnly)
                QVERIFY(model.data(i, ResultsTableModel::ScoreRole).toDouble() < 1);
            if (filter.modelIndex >= 0)
                QCOMPARE(model.data(model.index(r, ResultsTableModel::ModelColumn)).toString(), u"alpha"_s);
            if (filter.benchmarkIndex >= 0)
                QCOMPARE(model.data(model.index(r, ResultsTableModel::BenchmarkColumn)).toString(), u"mc"_s);
            if (!filter.category.isEmpty())
                QCOMPARE(model.data(model.index(r, ResultsTableModel::CategoryColumn)).toString(), filter.category);
        }
        QCOMPARE(model.facets().models, QStringList({ u"alpha"_s, u"beta"_s }));
        QTRY_COMPARE(model.facets().categories, QStringList({ u"algebra"_s, u"geometry"_s }));
    }

    void sortMatchesSql_data()
    {
        QTest::addColumn<int>("column");
        QTest::addColumn<int>("order");
        QTest::addColumn<QString>("sqlOrder");
        QTest::addRow("score asc") << int(ResultsTableModel::ScoreColumn) << int(Qt::AscendingOrder)
                                   << u"IFNULL(score, -1), id"_s;
        QTest::addRow("score desc") << int(ResultsTableModel::ScoreColumn) << int(Qt::DescendingOrder)
                                    << u"IFNULL(score, -1) DESC, id DESC"_s;
        QTest::addRow("latency desc") << int(ResultsTableModel::LatencyColumn) << int(Qt::DescendingOrder)
                                      << u"IFNULL(COALESCE(t_last_token, t_end) - t_send, -1) DESC, id DESC"_s;
        QTest::addRow("sample asc") << int(ResultsTableModel::SampleColumn) << int(Qt::AscendingOrder)
                                    << u"model_idx, benchmark_idx, sample_idx, repeat"_s;
        QTest::addRow("status desc") << int(ResultsTableModel::StatusColumn) << int(Qt::DescendingOrder)
                                     << u"IFNULL(error_class, '') DESC, id DESC"_s;
    }
    void sortMatchesSql()
    {
        QFETCH(int, column);
        QFETCH(int, order);
        QFETCH(QString, sqlOrder);
        ResultsTableModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        QSignalSpy loaded(&model, &ResultsTableModel::loaded);
        model.setQuery(m_fx.path, m_fx.runId);
        QVERIFY(loaded.wait(5000));
        model.sort(column, Qt::SortOrder(order));
        if (model.isLoading())
            QVERIFY(loaded.wait(5000));
        QVERIFY(loadAll(model));
        test::SqlReader sql(m_fx.path);
        const auto rows = sql.rows(u"SELECT id FROM results WHERE run_id = %1 ORDER BY %2"_s.arg(m_fx.runId)
                                       .arg(sqlOrder)
                                       .toUtf8()
                                       .constData());
        QCOMPARE(model.rowCount(), rows.size());
        for (int r = 0; r < model.rowCount(); ++r)
            QCOMPARE(model.resultId(r), rows.at(r).first().toLongLong());
    }

    void unsortableColumnKeepsOrder()
    {
        ResultsTableModel model;
        QSignalSpy loaded(&model, &ResultsTableModel::loaded);
        model.setQuery(m_fx.path, m_fx.runId, {}, ResultsSort { ResultsSortKey::Score, true });
        QVERIFY(loaded.wait(5000));
        model.sort(ResultsTableModel::ResponseColumn);
        QVERIFY(!model.isLoading());
        QCOMPARE(model.sortOrder(), (ResultsSort { ResultsSortKey::Score, true }));
    }

    void placeholderUntilLoaded()
    {
        ResultsTableModel model;
        QSignalSpy loaded(&model, &ResultsTableModel::loaded);
        QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
        model.setQuery(m_fx.path, m_fx.runId);
        QVERIFY(loaded.wait(5000));
        QVERIFY(!model.isRowLoaded(270));
        QCOMPARE(model.data(model.index(270, 0)).toString(), u"…"_s);
        QTRY_VERIFY(model.isRowLoaded(270));
        QVERIFY(changed.count() >= 1);
        QVERIFY(model.data(model.index(270, 0)).toString().startsWith(u's'));
        QVERIFY(model.data(model.index(270, 0), ResultsTableModel::ResultIdRole).toLongLong() > 0);
        QVERIFY(model.cachedPageCount() <= ResultsTableModel::kMaxCachedPages);
    }

    void cancelAndClear()
    {
        ResultsTableModel model;
        QSignalSpy canceled(&model, &ResultsTableModel::loadCanceled);
        model.setQuery(m_fx.path, m_fx.runId, ResultsFilter { .text = u"answer"_s });
        model.cancel();
        QCOMPARE(canceled.count(), 1);
        QCOMPARE(model.rowCount(), 0);
        QSignalSpy loaded(&model, &ResultsTableModel::loaded);
        QVERIFY(!loaded.wait(300)); // the stale result is dropped
        model.clear();
        QCOMPARE(model.rowCount(), 0);
    }

    void badStore()
    {
        ResultsTableModel model;
        QSignalSpy failed(&model, &ResultsTableModel::loadFailed);
        model.setQuery(m_dir.filePath(u"nope.sqlite"_s), 1);
        QVERIFY(failed.wait(5000));
        QCOMPARE(model.rowCount(), 0);
    }

    void runList()
    {
        ResultsStore store;
        QString error;
        QVERIFY(store.open(m_fx.path, &error));
        RunListModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        auto runs = store.runs();
        QCOMPARE(runs.size(), 2);
        QJsonObject summary { { u"run_id"_s, double(m_fx.runId) },
            { u"pairs"_s,
                QJsonArray { QJsonObject { { u"model"_s, u"alpha"_s }, { u"benchmark"_s, u"arith"_s }, { u"n"_s, 10 },
                                 { u"score"_s, QJsonObject { { u"scored"_s, 10 }, { u"mean"_s, 0.5 } } },
                                 { u"latency_ms"_s, QJsonObject { { u"n"_s, 10 }, { u"p95"_s, 120.0 } } } },
                    QJsonObject { { u"model"_s, u"beta"_s }, { u"benchmark"_s, u"arith"_s }, { u"n"_s, 30 },
                        { u"score"_s, QJsonObject { { u"scored"_s, 30 }, { u"mean"_s, 0.9 } } },
                        { u"latency_ms"_s, QJsonObject { { u"n"_s, 30 }, { u"p95"_s, 80.0 } } } } } } };
        for (auto& r : runs) {
            if (r.id == m_fx.runId)
                r.summary = summary;
        }
        model.setRuns(runs);
        QCOMPARE(model.rowCount(), 2);
        const int row = model.rowOfRun(m_fx.runId);
        QVERIFY(row >= 0);
        QCOMPARE(model.data(model.index(row, RunListModel::StatusColumn)).toString(), u"completed"_s);
        QCOMPARE(model.data(model.index(row, RunListModel::ModelsColumn)).toString(), u"alpha, beta"_s);
        QCOMPARE(model.data(model.index(row, RunListModel::BenchmarksColumn)).toString(), u"arith, mc"_s);
        QCOMPARE(model.data(model.index(row, RunListModel::SamplesColumn)).toString(), QString::number(m_fx.records));
        QCOMPARE(model.data(model.index(row, 0), RunListModel::ScoreRole).toDouble(), 0.8); // (5 + 27) / 40
        QCOMPARE(model.data(model.index(row, 0), RunListModel::LatencyP95MsRole).toDouble(), 120.0);
        const int other = model.rowOfRun(m_fx.otherRunId);
        QCOMPARE(model.data(model.index(other, RunListModel::StatusColumn)).toString(), u"running"_s);
        QCOMPARE(model.data(model.index(other, RunListModel::SamplesColumn)).toString(), u"10 / 10"_s);
        QVERIFY(!model.data(model.index(other, 0), RunListModel::ScoreRole).isValid());
        model.setActiveRunId(m_fx.otherRunId);
        QCOMPARE(model.data(model.index(other, RunListModel::StatusColumn)).toString(), u"running (live)"_s);
        runs.removeLast();
        model.setRuns(runs);
        QCOMPARE(model.rowCount(), 1);
    }
};

} // namespace evs

QTEST_GUILESS_MAIN(evs::TestResultsTableModel)
#include "tst_resultstablemodel.moc"
