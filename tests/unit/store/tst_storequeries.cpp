#include "models/stats/runsummary.h"
#include "models/stats/thresholds.h"
#include "models/store/recordqueries.h"
#include "models/store/resultsquery.h"
#include "models/store/resultsstore.h"
#include "models/store/resultswriter.h"
#include "models/store/sqliteconnection.h"
#include "models/store/sqlitestatement.h"
#include "models/store/storesql.h"

#include "../../testsupport.h"

#include <QFile>
#include <QTemporaryDir>
#include <QTest>

#include <cmath>
#include <type_traits>

using namespace Qt::StringLiterals;
using namespace evs;

namespace {

constexpr int kModels = 2;
constexpr int kBenchmarks = 2;
constexpr int kSamples = 40;

// Sample s of every pair: every 7th fails after a retried attempt, every 5th is served from the cache, every 3rd is a
// whole (non-streamed) response; an empty text is stored as NULL.
RequestRecord makeRecord(qint64 runId, int model, int benchmark, qint64 sample)
{
    RequestRecord r;
    r.runId = runId;
    r.modelIndex = model;
    r.benchmarkIndex = benchmark;
    r.sampleIndex = sample;
    r.sampleId = u"m%1b%2s%3"_s.arg(model).arg(benchmark).arg(sample);
    r.category = sample % 2 ? u"odd"_s : u"even"_s;
    r.t.schedNs = 1000000 * sample;
    r.t.sendNs = r.t.schedNs + 10;
    r.t.headersNs = r.t.sendNs + 100;
    r.t.endNs = r.t.sendNs + 5000 + 37 * sample;
    if (sample % 3 != 0) {
        r.t.firstTokenNs = r.t.sendNs + 200 + 11 * sample;
        r.t.lastTokenNs = r.t.endNs - 50;
    }
    r.inputTokens = 20;
    r.outputTokens = 2 + sample % 4;
    r.tokenSource = TokenSource::Usage;
    r.prompt = u"question %1"_s.arg(sample % 5);
    r.response = u"answer %1"_s.arg(sample);
    r.expected = u"answer"_s;
    r.score = double(sample % 2);
    if (sample % 7 == 0) {
        r.errorClass = ErrorClass::Http5xx;
        r.httpStatus = 503;
        r.attempts = 2;
        r.errorMessage = u"unavailable"_s;
        r.score = std::nan("");
        r.failedAttempts.push_back({ 1, ErrorClass::Http429, 429, r.t.sendNs - 5, r.t.sendNs - 1, u"slow down"_s });
    } else if (sample % 5 == 0) {
        r.cached = true;
        r.t = Timings {};
    }
    return r;
}

// The query plan of one statement, its detail lines joined by newlines.
QString queryPlan(const test::SqlReader& raw, const QByteArray& sql)
{
    QStringList lines;
    const QByteArray explain = "EXPLAIN QUERY PLAN " + sql;
    for (const auto& row : raw.rows(explain.constData()))
        lines << row.value(3).toString();
    return lines.join(u'\n');
}

// Collects the text of every query (SELECT) prepared while it lives.
class PreparedStatements {
public:
    PreparedStatements()
    {
        SqliteStatement::setPrepareObserverForTesting([this](const char* sql) {
            if (QByteArray(sql).startsWith("SELECT"))
                m_sql.append(QByteArray(sql));
        });
    }
    ~PreparedStatements() { SqliteStatement::setPrepareObserverForTesting({}); }
    const QList<QByteArray>& sql() const { return m_sql; }

private:
    QList<QByteArray> m_sql;
};

} // namespace

class TestStoreQueries : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();

    void connectionModesSetTheirPragmas_data();
    void connectionModesSetTheirPragmas();
    void connectionIsMoveOnlyAndCloses();
    void connectionRefusesNonDatabase();

    void indexesAreBuiltFromTheQueryExpressions_data();
    void indexesAreBuiltFromTheQueryExpressions();
    void browseQueriesUseTheirIndex_data();
    void browseQueriesUseTheirIndex();
    void summaryQueriesUseAnIndex();

    void forEachRecordReadsWhatWasWritten_data();
    void forEachRecordReadsWhatWasWritten();
    void forEachRecordStopsWhenAsked();

private:
    QTemporaryDir m_dir;
    QString m_path;
    qint64 m_runId = 0;
};

void TestStoreQueries::initTestCase()
{
    QVERIFY(m_dir.isValid());
    m_path = m_dir.filePath(u"results.sqlite"_s);
    ResultsStore store;
    QString error;
    QVERIFY2(store.open(m_path, &error), qPrintable(error));
    const QByteArray plan
        = R"({"models":[{"id":"m0"},{"id":"m1"}],"benchmarks":[{"id":"b0"},{"id":"b1"}],"thresholds":[]})";
    const auto runId = store.createRun(u"queries"_s, plan, 1, kModels * kBenchmarks * kSamples, &error);
    QVERIFY2(runId, qPrintable(error));
    m_runId = *runId;
    ResultsWriter writer(m_path);
    QVERIFY2(writer.start(&error), qPrintable(error));
    for (int m = 0; m < kModels; ++m) {
        for (int b = 0; b < kBenchmarks; ++b) {
            for (int s = 0; s < kSamples; ++s)
                QVERIFY(writer.enqueue(makeRecord(m_runId, m, b, s)));
        }
    }
    QVERIFY(writer.flush());
    writer.stop();
    QCOMPARE(store.storedRecordCount(m_runId), kModels * kBenchmarks * kSamples);
}

void TestStoreQueries::connectionModesSetTheirPragmas_data()
{
    QTest::addColumn<SqliteConnection::Mode>("mode");
    QTest::addColumn<qint64>("busyTimeoutMs");
    QTest::addColumn<qint64>("synchronous"); // 1 = NORMAL, 2 = FULL (SQLite's default)
    QTest::addColumn<qint64>("queryOnly");
    QTest::addColumn<bool>("canWrite");
    QTest::addRow("create") << SqliteConnection::Mode::Create << qint64(5000) << qint64(1) << qint64(0) << true;
    QTest::addRow("write") << SqliteConnection::Mode::Write << qint64(10000) << qint64(1) << qint64(0) << true;
    QTest::addRow("query only") << SqliteConnection::Mode::QueryOnly << qint64(5000) << qint64(2) << qint64(1) << false;
    QTest::addRow("read only") << SqliteConnection::Mode::ReadOnly << qint64(5000) << qint64(2) << qint64(0) << false;
}

void TestStoreQueries::connectionModesSetTheirPragmas()
{
    QFETCH(SqliteConnection::Mode, mode);
    QFETCH(qint64, busyTimeoutMs);
    QFETCH(qint64, synchronous);
    QFETCH(qint64, queryOnly);
    QFETCH(bool, canWrite);
    QString error;
    auto c = SqliteConnection::open(m_path, mode, &error);
    QVERIFY2(c, qPrintable(error));
    QCOMPARE(c->mode(), mode);
    auto scalar = [&](const char* sql) {
        SqliteStatement s(c->get(), sql);
        return s.step() == 100 /* SQLITE_ROW */ ? s.int64(0) : qint64(-1);
    };
    QCOMPARE(scalar("PRAGMA busy_timeout"), busyTimeoutMs);
    QCOMPARE(scalar("PRAGMA synchronous"), synchronous);
    QCOMPARE(scalar("PRAGMA query_only"), queryOnly);
    {
        SqliteStatement s(c->get(), "PRAGMA journal_mode");
        QCOMPARE(s.step(), 100);
        QCOMPARE(s.text(0), u"wal"_s);
    }
    QCOMPARE(c->exec("UPDATE runs SET name = name WHERE id = -1"), canWrite);
}

void TestStoreQueries::connectionIsMoveOnlyAndCloses()
{
    static_assert(!std::is_copy_constructible_v<SqliteConnection>);
    static_assert(!std::is_copy_assignable_v<SqliteConnection>);
    static_assert(std::is_nothrow_move_constructible_v<SqliteConnection>);
    QString error;
    auto opened = SqliteConnection::open(m_path, SqliteConnection::Mode::ReadOnly, &error);
    QVERIFY2(opened, qPrintable(error));
    sqlite3* handle = opened->get();
    SqliteConnection moved = std::move(*opened);
    QVERIFY(!opened->isOpen());
    QCOMPARE(moved.get(), handle);
    SqliteConnection other;
    other = std::move(moved);
    QVERIFY(!moved.isOpen());
    QCOMPARE(other.get(), handle);
    other.close();
    QVERIFY(!other.isOpen());
    QCOMPARE(other.errorMessage(), u"not open"_s);
}

void TestStoreQueries::connectionRefusesNonDatabase()
{
    const QString path = m_dir.filePath(u"notes.txt"_s);
    QFile f(path);
    QVERIFY(f.open(QIODevice::WriteOnly));
    const QByteArray content = QByteArray("not a database\n").repeated(300);
    f.write(content);
    f.close();
    for (auto mode : { SqliteConnection::Mode::Create, SqliteConnection::Mode::Write, SqliteConnection::Mode::QueryOnly,
             SqliteConnection::Mode::ReadOnly }) {
        QString error;
        QVERIFY(!SqliteConnection::open(path, mode, &error));
        QVERIFY2(error.contains(u"not an SQLite database"_s), qPrintable(error));
    }
    QVERIFY(f.open(QIODevice::ReadOnly));
    QCOMPARE(f.readAll(), content); // never written to
}

void TestStoreQueries::indexesAreBuiltFromTheQueryExpressions_data()
{
    QTest::addColumn<ResultsSortKey>("key");
    QTest::addColumn<QString>("index");
    QTest::addRow("status") << ResultsSortKey::Status << QString::fromLatin1(storesql::kBrowseStatusIndex.c_str());
    QTest::addRow("score") << ResultsSortKey::Score << QString::fromLatin1(storesql::kBrowseScoreIndex.c_str());
    QTest::addRow("latency") << ResultsSortKey::Latency << QString::fromLatin1(storesql::kBrowseLatencyIndex.c_str());
    QTest::addRow("ttft") << ResultsSortKey::Ttft << QString::fromLatin1(storesql::kBrowseTtftIndex.c_str());
}

void TestStoreQueries::indexesAreBuiltFromTheQueryExpressions()
{
    QFETCH(ResultsSortKey, key);
    QFETCH(QString, index);
    const test::SqlReader raw(m_path);
    const QByteArray sql = "SELECT sql FROM sqlite_schema WHERE type = 'index' AND name = '" + index.toLatin1() + "'";
    const auto rows = raw.rows(sql.constData());
    QCOMPARE(rows.size(), 1);
    const QStringList keys = ResultsQuery::keyExpressions(key);
    QCOMPARE(keys.size(), 1);
    QCOMPARE(rows.first().first().toString(), u"CREATE INDEX %1 ON results (run_id, %2)"_s.arg(index, keys.first()));
}

void TestStoreQueries::browseQueriesUseTheirIndex_data()
{
    QTest::addColumn<ResultsSortKey>("key");
    QTest::addColumn<bool>("descending");
    QTest::addColumn<bool>("seek"); // a page after a key, rather than the first page
    QTest::addColumn<QString>("index");
    const struct {
        const char* name;
        ResultsSortKey key;
        const char* index;
    } keys[] = {
        { "sample", ResultsSortKey::Sample, storesql::kKeyIndex.c_str() },
        { "benchmark", ResultsSortKey::Benchmark, storesql::kBrowseBenchmarkIndex.c_str() },
        { "status", ResultsSortKey::Status, storesql::kBrowseStatusIndex.c_str() },
        { "score", ResultsSortKey::Score, storesql::kBrowseScoreIndex.c_str() },
        { "latency", ResultsSortKey::Latency, storesql::kBrowseLatencyIndex.c_str() },
        { "ttft", ResultsSortKey::Ttft, storesql::kBrowseTtftIndex.c_str() },
    };
    for (const auto& k : keys) {
        for (const bool descending : { false, true }) {
            for (const bool seek : { false, true }) {
                QTest::addRow("%s %s %s", k.name, descending ? "desc" : "asc", seek ? "seek" : "first")
                    << k.key << descending << seek << QString::fromLatin1(k.index);
            }
        }
    }
}

// The page queries must walk their sort key's index: no scan of the run, no sort in a temporary b-tree. A change to
// an expression on one side only (query or index) fails here.
void TestStoreQueries::browseQueriesUseTheirIndex()
{
    QFETCH(ResultsSortKey, key);
    QFETCH(bool, descending);
    QFETCH(bool, seek);
    QFETCH(QString, index);
    ResultsQuery query;
    QString error;
    QVERIFY2(query.open(m_path, &error), qPrintable(error));
    const ResultsSort sort { key, descending };
    std::optional<RowKey> from;
    if (seek) {
        const auto first = query.page(m_runId, {}, sort, std::nullopt, true, 25, &error);
        QVERIFY2(first.size() == 25, qPrintable(error));
        from = first.last().key;
    }
    PreparedStatements prepared;
    const auto rows = query.page(m_runId, {}, sort, from, false, 50, &error);
    QVERIFY2(!rows.isEmpty(), qPrintable(error));
    QVERIFY(!prepared.sql().isEmpty());

    const test::SqlReader raw(m_path);
    for (const QByteArray& sql : prepared.sql()) {
        const QString plan = queryPlan(raw, sql);
        QVERIFY2(plan.contains(u"USING INDEX "_s + index) || plan.contains(u"USING COVERING INDEX "_s + index),
            qPrintable(u"%1\n-> %2"_s.arg(QString::fromUtf8(sql), plan)));
        QVERIFY2(!plan.contains(u"SCAN"_s), qPrintable(u"%1\n-> %2"_s.arg(QString::fromUtf8(sql), plan)));
        QVERIFY2(!plan.contains(u"TEMP B-TREE"_s), qPrintable(u"%1\n-> %2"_s.arg(QString::fromUtf8(sql), plan)));
    }
}

// Every query behind the exact summary and the thresholds seeks an index of its run or pair: none scans a table.
void TestStoreQueries::summaryQueriesUseAnIndex()
{
    ResultsStore store;
    QString error;
    QVERIFY2(store.open(m_path, &error), qPrintable(error));
    PreparedStatements prepared;
    const auto summary = computeRunSummary(store, m_runId, &error);
    QVERIFY2(summary, qPrintable(error));
    QCOMPARE(summary->pairs.size(), kModels * kBenchmarks);
    const QVector<Threshold> thresholds { { u"latency_p75_ms"_s, u"<"_s, 1000, {}, {} },
        { u"ttft_p80_ms"_s, u"<"_s, 1000, {}, {} } };
    const ThresholdReport report = evaluateThresholds(thresholds, *summary, &store, m_runId);
    QCOMPARE(report.results.size(), 2 * kModels * kBenchmarks);
    QVERIFY(!std::isnan(report.results.first().actual));
    QVERIFY(prepared.sql().size() > 5 * kModels * kBenchmarks);

    const test::SqlReader raw(m_path);
    for (const QByteArray& sql : prepared.sql()) {
        const QString plan = queryPlan(raw, sql);
        const QString what = u"%1\n-> %2"_s.arg(QString::fromUtf8(sql), plan);
        QVERIFY2(!plan.contains(u"SCAN"_s), qPrintable(what));
        if (sql.contains(" results") || sql.contains(" attempts"))
            QVERIFY2(plan.contains(u"INDEX "_s), qPrintable(what));
    }
}

void TestStoreQueries::forEachRecordReadsWhatWasWritten_data()
{
    QTest::addColumn<int>("order");
    QTest::addColumn<bool>("texts");
    QTest::addColumn<bool>("prompt");
    QTest::addColumn<bool>("attempts");
    QTest::addRow("stored, everything") << int(RecordScan::Order::Stored) << true << true << true;
    QTest::addRow("stored, no attempts") << int(RecordScan::Order::Stored) << true << true << false;
    QTest::addRow("end, everything") << int(RecordScan::Order::End) << true << true << true;
    QTest::addRow("end, numbers only") << int(RecordScan::Order::End) << false << false << false;
}

void TestStoreQueries::forEachRecordReadsWhatWasWritten()
{
    QFETCH(int, order);
    QFETCH(bool, texts);
    QFETCH(bool, prompt);
    QFETCH(bool, attempts);
    ResultsStore store;
    QString error;
    QVERIFY2(store.open(m_path, &error), qPrintable(error));
    RecordScan scan;
    scan.order = RecordScan::Order(order);
    scan.texts = texts;
    scan.prompt = prompt;
    scan.attempts = attempts;
    qint64 seen = 0;
    qint64 lastId = 0;
    qint64 lastEnd = -2;
    bool ok = true;
    const bool read = forEachRecord(
        store, m_runId, scan,
        [&](const StoredRecord& r) {
            ++seen;
            const RequestRecord w = makeRecord(m_runId, r.modelIndex, r.benchmarkIndex, r.sampleIndex);
            auto check = [&](bool condition) { ok = ok && condition; };
            if (scan.order == RecordScan::Order::Stored) {
                check(r.id > lastId);
                lastId = r.id;
            } else {
                check(r.t.endNs >= lastEnd);
                lastEnd = r.t.endNs;
            }
            check(r.runId == m_runId);
            check(r.attempts == w.attempts && r.httpStatus == w.httpStatus);
            check(r.ok() == w.ok());
            check(r.errorClass == (w.ok() ? QString() : errorClassName(w.errorClass)));
            check(r.t.sendNs == w.t.sendNs && r.t.firstTokenNs == w.t.firstTokenNs && r.t.endNs == w.t.endNs);
            check(r.outputTokens == w.outputTokens && r.cached == w.cached);
            check(std::isnan(r.score) == std::isnan(w.score) && (std::isnan(w.score) || r.score == w.score));
            check(r.sampleId == (texts ? w.sampleId : QString()));
            check(r.response == (texts ? w.response : QString()));
            check(r.errorMessage.isNull() == (!texts || w.errorMessage.isEmpty()));
            check(r.prompt == (prompt ? w.prompt : QString()));
            check(r.failedAttempts.size() == (attempts ? w.failedAttempts.size() : 0));
            if (attempts && !w.failedAttempts.empty()) {
                const StoredAttempt& a = r.failedAttempts.front();
                check(a.attempt == 1 && a.errorClass == u"http_429"_s && a.httpStatus == 429);
                check(a.sendNs == w.failedAttempts.front().sendNs && a.errorMessage == u"slow down"_s);
            }
            return true;
        },
        &error);
    QVERIFY2(read, qPrintable(error));
    QVERIFY(ok);
    QCOMPARE(seen, kModels * kBenchmarks * kSamples);
}

void TestStoreQueries::forEachRecordStopsWhenAsked()
{
    ResultsStore store;
    QString error;
    QVERIFY2(store.open(m_path, &error), qPrintable(error));
    int seen = 0;
    QVERIFY(forEachRecord(
        store, m_runId, RecordScan {}, [&](const StoredRecord&) { return ++seen < 3; }, &error));
    QCOMPARE(seen, 3);
    seen = 0;
    QVERIFY(forEachRecord(
        store, m_runId + 1, RecordScan {}, [&](const StoredRecord&) { return ++seen > 0; }, &error));
    QCOMPARE(seen, 0); // no such run: no records, no error
}

QTEST_GUILESS_MAIN(TestStoreQueries)
#include "tst_storequeries.moc"
