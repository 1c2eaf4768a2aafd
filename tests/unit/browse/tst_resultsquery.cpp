#include "models/browse/resultsquery.h"

#include "browsefixture.h"
#include "tests/testsupport.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;

Q_DECLARE_METATYPE(evs::ResultsFilter)
Q_DECLARE_METATYPE(evs::ResultsSort)

namespace evs {

class TestResultsQuery : public QObject {
    Q_OBJECT
private:
    QTemporaryDir m_dir;
    test::BrowseFixture m_fx;
    static constexpr int kSamples = 150; // x 2 models x 2 benchmarks = 600 rows

    QVector<qint64> expectedIds(const QString& where, const QString& order) const
    {
        test::SqlReader sql(m_fx.path);
        const QString q = u"SELECT id FROM results WHERE run_id = %1%2 ORDER BY %3"_s.arg(m_fx.runId)
                              .arg(where.isEmpty() ? QString() : u" AND "_s + where, order);
        QVector<qint64> ids;
        for (const auto& row : sql.rows(q.toUtf8().constData()))
            ids.append(row.first().toLongLong());
        return ids;
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        QString error;
        QVERIFY2(
            test::writeBrowseFixture(m_dir.filePath(u"browse.sqlite"_s), kSamples, &m_fx, &error), qPrintable(error));
    }

    void facets()
    {
        ResultsQuery q;
        QString error;
        QVERIFY2(q.open(m_fx.path, &error), qPrintable(error));
        const RunFacets f = q.facets(m_fx.runId);
        QCOMPARE(f.models, QStringList({ u"alpha"_s, u"beta"_s }));
        QCOMPARE(f.benchmarks, QStringList({ u"arith"_s, u"mc"_s }));
        // No summary: the categories come from a scan.
        QVERIFY(!f.categoriesKnown);
        QVERIFY(f.categories.isEmpty());
        QCOMPARE(q.categories(m_fx.runId), QStringList({ u"algebra"_s, u"geometry"_s }));
        QCOMPARE(f.total, m_fx.records);
        QCOMPARE(q.facets(m_fx.otherRunId).total, 10);
    }

    void facetsFromSummary()
    {
        QTemporaryDir dir;
        test::BrowseFixture fx;
        QString error;
        QVERIFY2(test::writeBrowseFixture(dir.filePath(u"s.sqlite"_s), 5, &fx, &error), qPrintable(error));
        {
            ResultsStore store;
            QVERIFY(store.open(fx.path, &error));
            const QJsonObject summary { { u"run_id"_s, double(fx.runId) },
                { u"pairs"_s,
                    QJsonArray { QJsonObject { { u"categories"_s,
                                     QJsonArray { QJsonObject { { u"category"_s, u"geometry"_s } },
                                         QJsonObject { { u"category"_s, u"(none)"_s } },
                                         QJsonObject { { u"category"_s, u"algebra"_s } } } } },
                        QJsonObject {
                            { u"categories"_s, QJsonArray { QJsonObject { { u"category"_s, u"algebra"_s } } } } } } } };
            QVERIFY(store.saveSummary(fx.runId, summary, &error));
        }
        ResultsQuery q;
        QVERIFY(q.open(fx.path, &error));
        const RunFacets f = q.facets(fx.runId);
        QVERIFY(f.categoriesKnown);
        QCOMPARE(f.categories, QStringList({ u"algebra"_s, u"geometry"_s }));
    }

    void count_data()
    {
        QTest::addColumn<ResultsFilter>("filter");
        QTest::addColumn<QString>("where");
        QTest::addRow("all") << ResultsFilter {} << QString();
        QTest::addRow("failed") << ResultsFilter { .failedOnly = true } << u"error_class IS NOT NULL"_s;
        QTest::addRow("wrong") << ResultsFilter { .wrongOnly = true } << u"score IS NOT NULL AND score < 1"_s;
        QTest::addRow("model beta") << ResultsFilter { .modelIndex = 1 } << u"model_idx = 1"_s;
        QTest::addRow("benchmark mc") << ResultsFilter { .benchmarkIndex = 1 } << u"benchmark_idx = 1"_s;
        QTest::addRow("category") << ResultsFilter { .category = u"algebra"_s } << u"category = 'algebra'"_s;
        QTest::addRow("text") << ResultsFilter { .text = u"answer is 1"_s }
                              << u"(instr(lower(response), 'answer is 1') > 0 OR instr(lower(expected), "
                                 "'answer is 1') > 0)"_s;
        QTest::addRow("text case") << ResultsFilter { .text = u"THE ANSWER"_s }
                                   << u"instr(lower(response), 'the answer') > 0"_s;
        // LIKE's wildcards are searched for literally.
        QTest::addRow("text percent") << ResultsFilter { .text = u"100% sure_"_s }
                                      << u"instr(response, '100% sure_') > 0"_s;
        QTest::addRow("text wildcard only") << ResultsFilter { .text = u"_"_s } << u"instr(response, '_') > 0"_s;
        QTest::addRow("text expected") << ResultsFilter { .text = u"298"_s }
                                       << u"(instr(response, '298') > 0 OR instr(expected, '298') > 0)"_s;
        QTest::addRow("no match") << ResultsFilter { .text = u"zebra"_s } << u"0"_s;
        QTest::addRow("wrong beta mc") << ResultsFilter { .wrongOnly = true, .modelIndex = 1, .benchmarkIndex = 1 }
                                       << u"score < 1 AND model_idx = 1 AND benchmark_idx = 1"_s;
        QTest::addRow("failed geometry") << ResultsFilter { .failedOnly = true, .category = u"geometry"_s }
                                         << u"error_class IS NOT NULL AND category = 'geometry'"_s;
    }
    void count()
    {
        QFETCH(ResultsFilter, filter);
        QFETCH(QString, where);
        ResultsQuery q;
        QString error;
        QVERIFY(q.open(m_fx.path, &error));
        const qint64 expected = expectedIds(where, u"id"_s).size();
        QCOMPARE(q.count(m_fx.runId, filter, &error), expected);
        // The index pass counts the same rows.
        const auto index = q.buildIndex(m_fx.runId, filter, {}, 64, {}, &error);
        QVERIFY2(index, qPrintable(error));
        QCOMPARE(index->count, expected);
        QCOMPARE(index->anchors.size(), (expected + 63) / 64);
    }

    void keysetPages_data()
    {
        QTest::addColumn<ResultsSort>("sort");
        QTest::addColumn<ResultsFilter>("filter");
        QTest::addColumn<QString>("order"); // written independently of the query layer
        QTest::addColumn<int>("pageRows");
        const QString natural = u"model_idx, benchmark_idx, sample_idx, repeat"_s;
        const QString score = u"CASE WHEN score IS NULL THEN -1 ELSE score END"_s;
        const QString latency = u"CASE WHEN t_send IS NULL THEN -1 WHEN t_last_token IS NOT NULL THEN "
                                "t_last_token - t_send ELSE t_end - t_send END"_s;
        const QString ttft = u"CASE WHEN t_first_token IS NULL THEN -1 ELSE t_first_token - t_send END"_s;
        const QString status = u"CASE WHEN error_class IS NULL THEN '' ELSE error_class END"_s;
        const auto add = [&](const char* name, ResultsSortKey key, bool desc, const QString& order, int rows,
                             ResultsFilter f = {}) {
            QTest::addRow("%s", name) << ResultsSort { key, desc } << f << order << rows;
        };
        add("sample asc", ResultsSortKey::Sample, false, natural, 37);
        add("sample desc", ResultsSortKey::Sample, true,
            u"model_idx DESC, benchmark_idx DESC, sample_idx DESC, repeat DESC"_s, 50);
        add("benchmark asc", ResultsSortKey::Benchmark, false, u"benchmark_idx, model_idx, sample_idx, repeat"_s, 64);
        // Scores tie in long runs (0, 0.5, 1, unscored): page boundaries fall inside tie groups.
        add("score asc", ResultsSortKey::Score, false, score + u", id"_s, 37);
        add("score desc", ResultsSortKey::Score, true, score + u" DESC, id DESC"_s, 37);
        add("score asc page 1", ResultsSortKey::Score, false, score + u", id"_s, 1);
        add("score asc big page", ResultsSortKey::Score, false, score + u", id"_s, 1000);
        add("latency asc", ResultsSortKey::Latency, false, latency + u", id"_s, 45);
        add("latency desc", ResultsSortKey::Latency, true, latency + u" DESC, id DESC"_s, 45);
        add("ttft asc", ResultsSortKey::Ttft, false, ttft + u", id"_s, 29);
        add("status desc", ResultsSortKey::Status, true, status + u" DESC, id DESC"_s, 23);
        add("status asc", ResultsSortKey::Status, false, status + u", id"_s, 23);
        add("score asc failed", ResultsSortKey::Score, false, score + u", id"_s, 7,
            ResultsFilter { .failedOnly = true });
        add("score desc beta text", ResultsSortKey::Score, true, score + u" DESC, id DESC"_s, 9,
            ResultsFilter { .modelIndex = 1, .text = u"answer"_s });
        add("sample asc wrong", ResultsSortKey::Sample, false, natural, 16, ResultsFilter { .wrongOnly = true });
    }
    void keysetPages()
    {
        QFETCH(ResultsSort, sort);
        QFETCH(ResultsFilter, filter);
        QFETCH(QString, order);
        QFETCH(int, pageRows);
        ResultsQuery q;
        QString error;
        QVERIFY(q.open(m_fx.path, &error));

        // The independent expectation: the same rows through plain SQL (filter spelt by hand).
        QStringList where;
        if (filter.failedOnly)
            where << u"error_class IS NOT NULL"_s;
        if (filter.wrongOnly)
            where << u"score < 1"_s;
        if (filter.modelIndex >= 0)
            where << u"model_idx = %1"_s.arg(filter.modelIndex);
        if (!filter.text.isEmpty())
            where << u"(instr(lower(response), '%1') > 0 OR instr(lower(expected), '%1') > 0)"_s.arg(
                filter.text.toLower());
        const QVector<qint64> expected = expectedIds(where.join(u" AND "_s), order);
        QVERIFY(!expected.isEmpty());

        // Sequential keyset: each page starts after the last key of the one before.
        QVector<qint64> walked;
        std::optional<RowKey> last;
        for (int guard = 0; guard < 5000; ++guard) {
            const auto rows = q.page(m_fx.runId, filter, sort, last, false, pageRows, &error);
            QVERIFY2(error.isEmpty(), qPrintable(error));
            if (rows.isEmpty())
                break;
            QVERIFY(rows.size() <= pageRows);
            for (const auto& r : rows)
                walked.append(r.id);
            last = rows.last().key;
        }
        QCOMPARE(walked, expected);

        // Random access: a page starting at any anchor of the index, inclusive.
        const auto index = q.buildIndex(m_fx.runId, filter, sort, pageRows, {}, &error);
        QVERIFY2(index, qPrintable(error));
        QCOMPARE(index->count, expected.size());
        QVector<qint64> byAnchor;
        for (int p = int(index->anchors.size()) - 1; p >= 0; --p) {
            const auto rows = q.page(m_fx.runId, filter, sort, index->anchors.at(p), true, pageRows, &error);
            QVERIFY2(error.isEmpty(), qPrintable(error));
            QCOMPARE(rows.first().id, index->anchors.at(p).id);
            QVector<qint64> ids;
            for (const auto& r : rows)
                ids.append(r.id);
            byAnchor = ids + byAnchor;
        }
        QCOMPARE(byAnchor, expected);
    }

    void cancel()
    {
        ResultsQuery q;
        QString error;
        QVERIFY(q.open(m_fx.path, &error));
        int calls = 0;
        const auto index = q.buildIndex(
            m_fx.runId, ResultsFilter { .text = u"answer"_s }, {}, 10,
            [&](qint64, qint64) {
                ++calls;
                return false;
            },
            &error);
        QVERIFY(!index);
        QVERIFY(error.isEmpty());
        QVERIFY(calls >= 1);
    }

    void detail()
    {
        ResultsQuery q;
        QString error;
        QVERIFY(q.open(m_fx.path, &error));
        test::SqlReader sql(m_fx.path);
        // A failed sample with a retried attempt.
        const qint64 failedId = sql.scalar(
            u"SELECT id FROM results WHERE run_id = %1 AND model_idx = 1 AND benchmark_idx = 0 AND sample_idx = 14"_s
                .arg(m_fx.runId)
                .toUtf8()
                .constData());
        auto d = q.detail(failedId, &error);
        QVERIFY2(d, qPrintable(error));
        QCOMPARE(d->row.errorClass, u"timeout"_s);
        QCOMPARE(d->errorMessage, u"upstream said no for sample 14"_s);
        QCOMPARE(d->attempts.size(), 2);
        QCOMPARE(d->attempts.at(0).errorClass, u"http_429"_s);
        QCOMPARE(d->attempts.at(0).httpStatus, 429);
        QCOMPARE(d->attempts.at(0).errorMessage, u"rate limited"_s);
        QVERIFY(d->attempts.at(1).final);
        QCOMPARE(d->attempts.at(1).errorClass, u"timeout"_s);
        QCOMPARE(d->prompt, u"[{\"role\":\"user\",\"content\":\"What is 14 + 14?\"}]"_s);
        QCOMPARE(d->expected, u"28"_s);
        QVERIFY(std::isnan(d->row.score));

        const qint64 okId = sql.scalar(
            u"SELECT id FROM results WHERE run_id = %1 AND model_idx = 0 AND benchmark_idx = 1 AND sample_idx = 7"_s
                .arg(m_fx.runId)
                .toUtf8()
                .constData());
        d = q.detail(okId, &error);
        QVERIFY2(d, qPrintable(error));
        const auto rec = test::browseRecord(m_fx.runId, 0, 1, 7);
        QCOMPARE(d->response, rec.response);
        QCOMPARE(d->row.score, rec.score);
        QCOMPARE(d->scoreExplanation, rec.scoreExplanation);
        QCOMPARE(d->row.latencyNs, rec.latencyNs());
        QCOMPARE(d->row.ttftNs, rec.ttftNs());
        QCOMPARE(d->tSend, rec.t.sendNs);
        QCOMPARE(d->tEnd, rec.t.endNs);
        QCOMPARE(d->row.outputTokens, rec.outputTokens);
        QCOMPARE(d->tokenSource, u"usage"_s);
        QCOMPARE(d->attempts.size(), 1);
        QVERIFY(!q.detail(-5, &error));
    }

    void notAStore()
    {
        ResultsQuery q;
        QString error;
        QVERIFY(!q.open(m_dir.filePath(u"missing.sqlite"_s), &error));
        QVERIFY(error.contains(u"missing.sqlite"_s));
    }
};

} // namespace evs

QTEST_GUILESS_MAIN(evs::TestResultsQuery)
#include "tst_resultsquery.moc"
