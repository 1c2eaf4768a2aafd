#include "models/store/resultsstore.h"
#include "models/store/resultswriter.h"
#include "models/store/sqliteconnection.h"

#include <QFile>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>

#include <sqlite3.h>

#include <atomic>
#include <cmath>
#include <set>
#include <thread>
#include <tuple>

using namespace Qt::StringLiterals;
using namespace evs;

namespace {

// A plain connection of the test's own, so that what the store wrote is checked with independent SQL.
// Opened like the writer's (the same pragmas), but every query here is the test's own.
class RawDb {
public:
    explicit RawDb(const QString& path)
    {
        if (auto c = SqliteConnection::open(path, SqliteConnection::Mode::Write, nullptr))
            m_connection = std::move(*c);
        m_db = m_connection.get();
    }
    sqlite3* get() const { return m_db; }
    qint64 scalar(const char* sql) const
    {
        sqlite3_stmt* s = nullptr;
        qint64 v = -999;
        if (sqlite3_prepare_v2(m_db, sql, -1, &s, nullptr) == SQLITE_OK && sqlite3_step(s) == SQLITE_ROW)
            v = sqlite3_column_int64(s, 0);
        sqlite3_finalize(s);
        return v;
    }
    QString text(const char* sql) const
    {
        sqlite3_stmt* s = nullptr;
        QString v;
        if (sqlite3_prepare_v2(m_db, sql, -1, &s, nullptr) == SQLITE_OK && sqlite3_step(s) == SQLITE_ROW
            && sqlite3_column_type(s, 0) != SQLITE_NULL)
            v = QString::fromUtf8(reinterpret_cast<const char*>(sqlite3_column_text(s, 0)));
        else
            v = u"<null>"_s;
        sqlite3_finalize(s);
        return v;
    }
    // The first row's columns joined by '|', NULL as "NULL"; rows joined by ';'.
    QString rows(const char* sql) const
    {
        sqlite3_stmt* s = nullptr;
        QStringList out;
        if (sqlite3_prepare_v2(m_db, sql, -1, &s, nullptr) != SQLITE_OK)
            return u"<error>"_s;
        while (sqlite3_step(s) == SQLITE_ROW) {
            QStringList cols;
            for (int i = 0; i < sqlite3_column_count(s); ++i) {
                cols << (sqlite3_column_type(s, i) == SQLITE_NULL
                        ? u"NULL"_s
                        : QString::fromUtf8(reinterpret_cast<const char*>(sqlite3_column_text(s, i))));
            }
            out << cols.join(u'|');
        }
        sqlite3_finalize(s);
        return out.join(u';');
    }
    bool exec(const char* sql) const { return sqlite3_exec(m_db, sql, nullptr, nullptr, nullptr) == SQLITE_OK; }

private:
    SqliteConnection m_connection;
    sqlite3* m_db = nullptr;
};

RequestRecord makeRecord(qint64 runId, int model, int benchmark, qint64 sample, int repeat = 0)
{
    RequestRecord r;
    r.runId = runId;
    r.modelIndex = model;
    r.benchmarkIndex = benchmark;
    r.sampleIndex = sample;
    r.repeat = repeat;
    r.sampleId = u"s%1"_s.arg(sample);
    r.t.sendNs = sample * 1000;
    r.t.firstTokenNs = r.t.sendNs + 200;
    r.t.lastTokenNs = r.t.sendNs + 900;
    r.t.endNs = r.t.sendNs + 950;
    r.inputTokens = 20;
    r.outputTokens = 8;
    r.tokenSource = TokenSource::Usage;
    r.prompt = u"[{\"role\":\"user\",\"content\":\"question %1\"}]"_s.arg(sample % 7);
    r.response = u"answer %1"_s.arg(sample);
    r.score = sample % 2;
    return r;
}

QString storePath(const QTemporaryDir& dir, const QString& name = u"results.sqlite"_s)
{
    return dir.filePath(name);
}

} // namespace

class TestStore : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void freshStoreIsMigrated();
    void upgradeFromOlderVersionKeepsData();
    void refusesNewerVersion();
    void refusesNonDatabase_data();
    void refusesNonDatabase();
    void unopenablePathIsNamed();
    void defaultPathHonoursEnvironment();
    void runStatusNames();

    void runsLifecycle();
    void deleteRunRemovesOnlyThatRun();
    void forEachStoredKey();

    void writerManyThreadsStoreEachRecordOnce();
    void writerIgnoresDuplicates_data();
    void writerIgnoresDuplicates();
    void writerFlushMakesRecordsVisible();
    void writerStoresEveryField();
    void writerStoresFailedAttempts();
    void writerStoresPromptOnce();
    void writerDiskFull();
    void writerEnqueueAfterStopFails();
};

void TestStore::freshStoreIsMigrated()
{
    QTemporaryDir dir;
    const QString path = storePath(dir);
    ResultsStore store;
    QString error;
    QVERIFY2(store.open(path, &error), qPrintable(error));
    QCOMPARE(ResultsStore::schemaVersion(), 3);
    store.close();

    RawDb raw(path);
    QCOMPARE(raw.scalar("PRAGMA user_version"), 3);
    QCOMPARE(raw.text("PRAGMA journal_mode"), u"wal"_s);
    for (const char* table :
        { "runs", "results", "attempts", "texts", "response_cache", "scorings", "scoring_results" }) {
        const QByteArray sql
            = "SELECT COUNT(*) FROM sqlite_schema WHERE type = 'table' AND name = '" + QByteArray(table) + "'";
        QCOMPARE(raw.scalar(sql.constData()), 1);
    }
    for (const char* index : { "results_key", "results_model_time", "results_benchmark_score" }) {
        const QByteArray sql
            = "SELECT COUNT(*) FROM sqlite_schema WHERE type = 'index' AND name = '" + QByteArray(index) + "'";
        QCOMPARE(raw.scalar(sql.constData()), 1);
    }
    // The per-pair queries must use an index, not scan the table.
    QVERIFY(raw.rows("EXPLAIN QUERY PLAN SELECT t_send FROM results WHERE run_id = 1 AND model_idx = 0 "
                     "ORDER BY t_send")
                .contains(u"results_model_time"_s));

    // Opening again is a no-op.
    QVERIFY2(store.open(path, &error), qPrintable(error));
}

void TestStore::upgradeFromOlderVersionKeepsData()
{
    QTemporaryDir dir;
    const QString path = storePath(dir);
    qint64 runId = 0;
    {
        ResultsStore store;
        QString error;
        QVERIFY2(store.open(path, &error), qPrintable(error));
        runId = store.createRun(u"old"_s, "{}", 3, 10, &error).value_or(0);
        QVERIFY(runId > 0);
        ResultsWriter writer(path);
        QVERIFY(writer.start(&error));
        for (int i = 0; i < 10; ++i)
            QVERIFY(writer.enqueue(makeRecord(runId, 0, 0, i)));
        QVERIFY(writer.flush());
    }
    const int current = ResultsStore::schemaVersion();
    QCOMPARE(RawDb(path).scalar("PRAGMA user_version"), current);

    // A later build appends a migration.
    ResultsStore::appendMigrationForTesting("ALTER TABLE runs ADD COLUMN note TEXT NOT NULL DEFAULT 'kept';"
                                            "CREATE INDEX results_category ON results (run_id, category);");
    const auto cleanup = qScopeGuard([] { ResultsStore::clearMigrationsForTesting(); });
    QCOMPARE(ResultsStore::schemaVersion(), current + 1);

    ResultsStore store;
    QString error;
    QVERIFY2(store.open(path, &error), qPrintable(error));
    QCOMPARE(store.storedRecordCount(runId), 10);
    QCOMPARE(store.run(runId)->name, u"old"_s);
    RawDb raw(path);
    QCOMPARE(raw.scalar("PRAGMA user_version"), current + 1);
    QCOMPARE(raw.text("SELECT note FROM runs"), u"kept"_s);
    QCOMPARE(raw.scalar("SELECT COUNT(*) FROM sqlite_schema WHERE name = 'results_category'"), 1);

    // A writer started on the upgraded store works as before.
    ResultsWriter writer(path);
    QVERIFY2(writer.start(&error), qPrintable(error));
    QVERIFY(writer.enqueue(makeRecord(runId, 0, 0, 10)));
    QVERIFY(writer.flush());
    QCOMPARE(store.storedRecordCount(runId), 11);
}

void TestStore::refusesNewerVersion()
{
    QTemporaryDir dir;
    const QString path = storePath(dir);
    {
        ResultsStore store;
        QVERIFY(store.open(path, nullptr));
    }
    QVERIFY(RawDb(path).exec("PRAGMA user_version = 42"));

    ResultsStore store;
    QString error;
    QVERIFY(!store.open(path, &error));
    QVERIFY2(error.contains(u"created by a newer evalsandbox"_s), qPrintable(error));
    QVERIFY2(error.contains(path), qPrintable(error));
    QVERIFY(!store.isOpen());
    QCOMPARE(RawDb(path).scalar("PRAGMA user_version"), 42); // untouched
}

void TestStore::refusesNonDatabase_data()
{
    QTest::addColumn<QByteArray>("content");
    QTest::addRow("text") << QByteArray("name,score\nalpha,1\nbeta,0\n").repeated(200);
    QByteArray noise(8192, '\0');
    for (int i = 0; i < noise.size(); ++i)
        noise[i] = char((i * 131 + 7) % 251);
    QTest::addRow("binary") << noise;
    QTest::addRow("damaged header") << QByteArray("SQLite format 2\0", 16) + QByteArray(4080, 'x');
}

void TestStore::refusesNonDatabase()
{
    QFETCH(QByteArray, content);
    QTemporaryDir dir;
    const QString path = storePath(dir, u"notes.sqlite"_s);
    {
        QFile f(path);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(content);
    }
    ResultsStore store;
    QString error;
    QVERIFY(!store.open(path, &error));
    QVERIFY2(error.contains(path), qPrintable(error));
    QVERIFY2(error.contains(u"not an SQLite database"_s), qPrintable(error));

    ResultsWriter writer(path);
    QVERIFY(!writer.start(&error));
    QVERIFY2(error.contains(path), qPrintable(error));

    QFile f(path);
    QVERIFY(f.open(QIODevice::ReadOnly));
    QCOMPARE(f.readAll(), content); // never overwritten
}

void TestStore::unopenablePathIsNamed()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(u"missing/folder/results.sqlite"_s);
    ResultsStore store;
    QString error;
    QVERIFY(!store.open(path, &error));
    QVERIFY2(error.contains(path), qPrintable(error));
}

void TestStore::defaultPathHonoursEnvironment()
{
    const QByteArray old = qgetenv("EVALSANDBOX_DB");
    const auto restore = qScopeGuard([&] {
        if (old.isEmpty())
            qunsetenv("EVALSANDBOX_DB");
        else
            qputenv("EVALSANDBOX_DB", old);
    });
    qputenv("EVALSANDBOX_DB", "/tmp/somewhere/else.sqlite");
    QCOMPARE(ResultsStore::defaultPath(), u"/tmp/somewhere/else.sqlite"_s);
    qunsetenv("EVALSANDBOX_DB");
    QVERIFY(ResultsStore::defaultPath().endsWith(u"/results.sqlite"_s));
}

void TestStore::runStatusNames()
{
    for (auto s : { RunStatus::Running, RunStatus::Completed, RunStatus::Interrupted, RunStatus::Failed })
        QCOMPARE(runStatusFromName(runStatusName(s)), s);
    QCOMPARE(runStatusName(RunStatus::Interrupted), u"interrupted"_s);
    QVERIFY(!runStatusFromName(u"paused"_s));
}

void TestStore::runsLifecycle()
{
    QTemporaryDir dir;
    ResultsStore store;
    QString error;
    QVERIFY(store.open(storePath(dir), &error));
    const QByteArray plan = R"({"name":"p","seed":7})";
    const auto first = store.createRun(u"first"_s, plan, 7, 100, &error);
    const auto second = store.createRun(u"second"_s, "{}", 0xfedcba9876543210ull, -1, &error);
    QVERIFY(first && second);

    const auto list = store.runs();
    QCOMPARE(list.size(), 2);
    QCOMPARE(list[0].id, *second); // newest first
    QCOMPARE(list[1].name, u"first"_s);

    auto r = store.run(*first);
    QVERIFY(r);
    QCOMPARE(r->status, RunStatus::Running);
    QCOMPARE(r->planJson, plan);
    QCOMPARE(r->planHash.size(), 64);
    QCOMPARE(r->seed, 7u);
    QCOMPARE(r->appVersion, QStringLiteral(EVS_VERSION));
    QCOMPARE(r->plannedSamples, 100);
    QVERIFY(r->startedAt.isValid());
    QVERIFY(!r->finishedAt.isValid());
    QVERIFY(r->summary.isEmpty());
    QCOMPARE(store.run(*second)->seed, 0xfedcba9876543210ull);

    QVERIFY2(store.setRunStatus(*first, RunStatus::Completed, &error), qPrintable(error));
    QVERIFY2(store.saveSummary(*first, QJsonObject { { u"pairs"_s, 3 } }, &error), qPrintable(error));
    r = store.run(*first);
    QCOMPARE(r->status, RunStatus::Completed);
    QVERIFY(r->finishedAt.isValid());
    QVERIFY(r->finishedAt >= r->startedAt);
    QCOMPARE(r->summary.value(u"pairs"_s).toInt(), 3);

    QVERIFY(!store.setRunStatus(9999, RunStatus::Failed, &error));
    QVERIFY2(error.contains(u"9999"_s), qPrintable(error));
    QVERIFY(!store.run(9999));
}

void TestStore::deleteRunRemovesOnlyThatRun()
{
    QTemporaryDir dir;
    const QString path = storePath(dir);
    ResultsStore store;
    QString error;
    QVERIFY(store.open(path, &error));
    const qint64 a = *store.createRun(u"a"_s, "{}", 1, -1, &error);
    const qint64 b = *store.createRun(u"b"_s, "{}", 1, -1, &error);
    {
        ResultsWriter writer(path);
        QVERIFY(writer.start(&error));
        for (int i = 0; i < 50; ++i) {
            auto ra = makeRecord(a, 0, 0, i);
            ra.prompt = u"only in a %1"_s.arg(i);
            ra.failedAttempts.push_back({ 1, ErrorClass::Http5xx, 503, 0, 10, u"busy"_s });
            QVERIFY(writer.enqueue(std::move(ra)));
            auto rb = makeRecord(b, 0, 0, i);
            rb.prompt = u"shared"_s;
            rb.failedAttempts.push_back({ 1, ErrorClass::Timeout, 0, 0, 10, {} });
            QVERIFY(writer.enqueue(std::move(rb)));
        }
        QVERIFY(writer.flush());
    }
    RawDb raw(path);
    QCOMPARE(raw.scalar("SELECT COUNT(*) FROM texts"), 51);
    QVERIFY2(store.deleteRun(a, &error), qPrintable(error));
    QVERIFY(!store.run(a));
    QCOMPARE(store.runs().size(), 1);
    QCOMPARE(store.storedRecordCount(a), 0);
    QCOMPARE(store.storedRecordCount(b), 50);
    QCOMPARE(raw.scalar("SELECT COUNT(*) FROM attempts"), 50);
    QCOMPARE(raw.scalar("SELECT COUNT(*) FROM texts"), 1);
    QCOMPARE(raw.text("SELECT body FROM texts"), u"shared"_s);
    QVERIFY(!store.deleteRun(a, &error));
}

void TestStore::forEachStoredKey()
{
    QTemporaryDir dir;
    const QString path = storePath(dir);
    ResultsStore store;
    QString error;
    QVERIFY(store.open(path, &error));
    const qint64 runId = *store.createRun(u"r"_s, "{}", 1, -1, &error);
    const qint64 other = *store.createRun(u"other"_s, "{}", 1, -1, &error);
    using Key = std::tuple<int, int, qint64, int>;
    std::set<Key> expected;
    {
        ResultsWriter writer(path);
        QVERIFY(writer.start(&error));
        for (int m = 0; m < 2; ++m)
            for (int b = 0; b < 3; ++b)
                for (int s = 0; s < 20; s += 3)
                    for (int rep = 0; rep < 2; ++rep) {
                        auto r = makeRecord(runId, m, b, s, rep);
                        if (s % 2)
                            r.errorClass = ErrorClass::Timeout; // failed outcomes are final records too
                        QVERIFY(writer.enqueue(std::move(r)));
                        expected.insert({ m, b, qint64(s), rep });
                    }
        QVERIFY(writer.enqueue(makeRecord(other, 5, 5, 5)));
        QVERIFY(writer.flush());
    }
    std::set<Key> seen;
    int calls = 0;
    QVERIFY(store.forEachStoredKey(
        runId,
        [&](int m, int b, qint64 s, int rep) {
            seen.insert({ m, b, s, rep });
            ++calls;
        },
        &error));
    QCOMPARE(size_t(calls), expected.size());
    QCOMPARE(seen, expected);
    QCOMPARE(store.storedRecordCount(runId), qint64(expected.size()));
    QCOMPARE(store.run(runId)->storedRecords, qint64(expected.size()));
}

void TestStore::writerManyThreadsStoreEachRecordOnce()
{
    QTemporaryDir dir;
    const QString path = storePath(dir);
    ResultsStore store;
    QString error;
    QVERIFY(store.open(path, &error));
    const qint64 runId = *store.createRun(u"threads"_s, "{}", 1, -1, &error);

    ResultsWriter writer(path);
    std::atomic<qint64> callbackTotal { 0 };
    writer.setCommitCallback([&](qint64 total) { callbackTotal = total; });
    QVERIFY(writer.start(&error));
    constexpr int kThreads = 4;
    constexpr int kPerThread = 5000; // more than the queue holds, so producers block
    std::vector<std::thread> producers;
    std::atomic<int> rejected { 0 };
    for (int t = 0; t < kThreads; ++t) {
        producers.emplace_back([&, t] {
            for (int i = 0; i < kPerThread; ++i) {
                if (!writer.enqueue(makeRecord(runId, t, i % 3, i)))
                    ++rejected;
            }
        });
    }
    for (auto& p : producers)
        p.join();
    QVERIFY(writer.flush());
    QCOMPARE(rejected.load(), 0);
    QCOMPARE(writer.committedCount(), kThreads * kPerThread);
    QCOMPARE(writer.insertedCount(), kThreads * kPerThread);
    QCOMPARE(callbackTotal.load(), kThreads * kPerThread);
    QCOMPARE(store.storedRecordCount(runId), kThreads * kPerThread);
    std::set<std::tuple<int, int, qint64, int>> keys;
    QVERIFY(store.forEachStoredKey(
        runId,
        [&](int m, int b, qint64 s, int r) {
            keys.insert({ m, b, s, r });
        },
        &error));
    QCOMPARE(keys.size(), size_t(kThreads * kPerThread));
    for (int t = 0; t < kThreads; ++t)
        QVERIFY(keys.count({ t, 4999 % 3, 4999, 0 }) == 1);
    writer.stop();
    QVERIFY(!writer.failed());
}

void TestStore::writerIgnoresDuplicates_data()
{
    QTest::addColumn<bool>("flushBetween");
    QTest::addColumn<bool>("newWriter");
    QTest::addRow("same batch") << false << false;
    QTest::addRow("after a commit") << true << false;
    QTest::addRow("resumed run, new writer") << true << true;
}

void TestStore::writerIgnoresDuplicates()
{
    QFETCH(bool, flushBetween);
    QFETCH(bool, newWriter);
    QTemporaryDir dir;
    const QString path = storePath(dir);
    ResultsStore store;
    QString error;
    QVERIFY(store.open(path, &error));
    const qint64 runId = *store.createRun(u"dups"_s, "{}", 1, -1, &error);

    auto writer = std::make_unique<ResultsWriter>(path);
    QVERIFY(writer->start(&error));
    for (int i = 0; i < 100; ++i) {
        auto r = makeRecord(runId, 0, 0, i);
        r.failedAttempts.push_back({ 1, ErrorClass::Http429, 429, 0, 5, {} });
        QVERIFY(writer->enqueue(std::move(r)));
    }
    if (flushBetween)
        QVERIFY(writer->flush());
    if (newWriter) {
        writer = std::make_unique<ResultsWriter>(path);
        QVERIFY(writer->start(&error));
    }
    for (int i = 50; i < 150; ++i) {
        auto r = makeRecord(runId, 0, 0, i);
        r.response = u"second"_s;
        r.failedAttempts.push_back({ 1, ErrorClass::Http429, 429, 0, 5, {} });
        QVERIFY(writer->enqueue(std::move(r)));
    }
    QVERIFY(writer->flush());
    QCOMPARE(store.storedRecordCount(runId), 150);
    QCOMPARE(writer->ignoredDuplicateCount(), 50);
    RawDb raw(path);
    // The first record of a key is the one kept, and its attempts are not doubled.
    QCOMPARE(raw.text("SELECT response FROM results WHERE sample_idx = 60"), u"answer 60"_s);
    QCOMPARE(raw.text("SELECT response FROM results WHERE sample_idx = 120"), u"second"_s);
    QCOMPARE(raw.scalar("SELECT COUNT(*) FROM attempts"), 150);
}

void TestStore::writerFlushMakesRecordsVisible()
{
    QTemporaryDir dir;
    const QString path = storePath(dir);
    ResultsStore store;
    QString error;
    QVERIFY(store.open(path, &error));
    const qint64 runId = *store.createRun(u"flush"_s, "{}", 1, -1, &error);
    ResultsWriter writer(path);
    QVERIFY(writer.start(&error));
    QVERIFY(writer.flush()); // nothing to do: returns at once

    // Fewer records than a batch: without flush they would wait for the batch timer.
    for (int round = 1; round <= 5; ++round) {
        for (int i = 0; i < 7; ++i)
            QVERIFY(writer.enqueue(makeRecord(runId, 0, 0, round * 100 + i)));
        QVERIFY(writer.flush());
        QCOMPARE(writer.committedCount(), round * 7);
        QCOMPARE(store.storedRecordCount(runId), round * 7); // visible on another connection
    }
    // Without flush, the batch timer commits within about kBatchMs.
    QVERIFY(writer.enqueue(makeRecord(runId, 0, 0, 1)));
    QTRY_COMPARE_WITH_TIMEOUT(store.storedRecordCount(runId), 36, 2000);

    // stop() flushes what is queued.
    for (int i = 0; i < 10; ++i)
        QVERIFY(writer.enqueue(makeRecord(runId, 1, 0, i)));
    writer.stop();
    QCOMPARE(store.storedRecordCount(runId), 46);
}

void TestStore::writerStoresEveryField()
{
    QTemporaryDir dir;
    const QString path = storePath(dir);
    ResultsStore store;
    QString error;
    QVERIFY(store.open(path, &error));
    const qint64 runId = *store.createRun(u"fields"_s, "{}", 1, -1, &error);

    RequestRecord r;
    r.runId = runId;
    r.modelIndex = 2;
    r.benchmarkIndex = 3;
    r.sampleIndex = 1234567890123;
    r.repeat = 4;
    r.sampleId = u"gsm8k-17"_s;
    r.category = u"algebra"_s;
    r.attempts = 3;
    r.errorClass = ErrorClass::Http5xx;
    r.httpStatus = 502;
    r.errorMessage = u"Bad gateway – upstream"_s;
    r.t = { 10, 20, 30, 40, -1, -1, -1, 90 };
    r.inputTokens = 55;
    r.outputTokens = -1;
    r.tokenSource = TokenSource::Events;
    r.tokenEvents = 6;
    r.prompt = u"prompt ü"_s;
    r.response = u"response 日本"_s;
    r.reasoning = u"thinking"_s;
    r.finishReason = u"length"_s;
    r.expected = u"42"_s;
    r.score = std::nan("");
    r.scoreExplanation = u"not scored"_s;
    r.scoreError = true;
    r.judgePrompt = u"[{\"role\":\"user\",\"content\":\"grade\"}]"_s;
    r.judgeResponse = u"SCORE: ?"_s;
    r.cached = true;
    r.cacheKey = "abc123";
    {
        ResultsWriter writer(path);
        QVERIFY(writer.start(&error));
        QVERIFY(writer.enqueue(std::move(r)));
    }
    RawDb raw(path);
    QCOMPARE(raw.rows("SELECT run_id, model_idx, benchmark_idx, sample_idx, repeat FROM results"),
        u"1|2|3|1234567890123|4"_s);
    QCOMPARE(raw.rows("SELECT sample_id, category, attempts, error_class, http_status, error_message FROM results"),
        u"gsm8k-17|algebra|3|http_5xx|502|Bad gateway – upstream"_s);
    QCOMPARE(raw.rows("SELECT t_sched, t_send, t_wire, t_headers, t_first_token, t_first_content, t_last_token, t_end "
                      "FROM results"),
        u"10|20|30|40|NULL|NULL|NULL|90"_s);
    QCOMPARE(raw.rows("SELECT input_tokens, output_tokens, token_source, token_events, response, reasoning, "
                      "finish_reason, expected, score, score_explanation, cached FROM results"),
        u"55|NULL|events|6|response 日本|thinking|length|42|NULL|not scored|1"_s);
    QCOMPARE(raw.rows("SELECT score_error, judge_prompt, judge_response, cache_key FROM results"),
        u"1|[{\"role\":\"user\",\"content\":\"grade\"}]|SCORE: ?|abc123"_s);
    QCOMPARE(raw.text("SELECT t.body FROM results r JOIN texts t ON t.hash = r.prompt_hash"), u"prompt ü"_s);
}

void TestStore::writerStoresFailedAttempts()
{
    QTemporaryDir dir;
    const QString path = storePath(dir);
    ResultsStore store;
    QString error;
    QVERIFY(store.open(path, &error));
    const qint64 runId = *store.createRun(u"attempts"_s, "{}", 1, -1, &error);
    {
        ResultsWriter writer(path);
        QVERIFY(writer.start(&error));
        auto r = makeRecord(runId, 1, 2, 9);
        r.attempts = 3;
        r.failedAttempts.push_back({ 1, ErrorClass::Http429, 429, 100, 150, u"rate limited"_s });
        r.failedAttempts.push_back({ 2, ErrorClass::Timeout, 0, 1200, 61200, u"total timeout"_s });
        QVERIFY(writer.enqueue(std::move(r)));
        QVERIFY(writer.enqueue(makeRecord(runId, 1, 2, 10))); // no retries
        QVERIFY(writer.flush());
    }
    RawDb raw(path);
    QCOMPARE(raw.scalar("SELECT COUNT(*) FROM attempts"), 2);
    QCOMPARE(raw.rows("SELECT a.attempt, a.error_class, a.http_status, a.t_send, a.t_end, a.error_message, a.run_id, "
                      "a.model_idx, a.benchmark_idx, r.sample_idx "
                      "FROM attempts a JOIN results r ON r.id = a.result_id ORDER BY a.attempt"),
        u"1|http_429|429|100|150|rate limited|1|1|2|9;2|timeout|0|1200|61200|total timeout|1|1|2|9"_s);
}

void TestStore::writerStoresPromptOnce()
{
    QTemporaryDir dir;
    const QString path = storePath(dir);
    ResultsStore store;
    QString error;
    QVERIFY(store.open(path, &error));
    const qint64 runId = *store.createRun(u"texts"_s, "{}", 1, -1, &error);
    const QString longPrompt = u"You are a careful calculator. "_s.repeated(200);
    {
        ResultsWriter writer(path);
        QVERIFY(writer.start(&error));
        for (int i = 0; i < 300; ++i) {
            auto r = makeRecord(runId, i % 3, 0, i);
            r.prompt = longPrompt + QString::number(i % 4); // 4 distinct prompts, each sent 75 times
            if (i == 299)
                r.prompt.clear();
            QVERIFY(writer.enqueue(std::move(r)));
            if (i == 150)
                QVERIFY(writer.flush()); // across batches and transactions too
        }
        QVERIFY(writer.flush());
    }
    RawDb raw(path);
    QCOMPARE(raw.scalar("SELECT COUNT(*) FROM texts"), 4);
    QCOMPARE(raw.scalar("SELECT COUNT(*) FROM results WHERE prompt_hash IS NULL"), 1);
    QCOMPARE(raw.scalar("SELECT COUNT(*) FROM results r JOIN texts t ON t.hash = r.prompt_hash"), 299);
    QCOMPARE(raw.scalar("SELECT COUNT(*) FROM results r JOIN texts t ON t.hash = r.prompt_hash "
                        "WHERE substr(t.body, -1) <> CAST(r.sample_idx % 4 AS TEXT)"),
        0);
    const quint64 h = ResultsStore::textHash(QString(longPrompt + u"2"_s));
    QCOMPARE(store.text(h).value_or(QString()), longPrompt + u"2"_s);
    QVERIFY(ResultsStore::textHash(u"a"_s) != ResultsStore::textHash(u"b"_s));
    QCOMPARE(ResultsStore::textHash(u""_s), 14695981039346656037ull); // FNV-1a offset basis: the hash is stable
}

void TestStore::writerDiskFull()
{
    QTemporaryDir dir;
    const QString path = storePath(dir);
    ResultsStore store;
    QString error;
    QVERIFY(store.open(path, &error));
    const qint64 runId = *store.createRun(u"full"_s, "{}", 1, -1, &error);

    ResultsWriter writer(path);
    // The writer's connection may grow the file by only a few pages: small rows fit, big ones do not.
    writer.setConnectionHookForTesting([](sqlite3* db) {
        sqlite3_stmt* s = nullptr;
        sqlite3_prepare_v2(db, "PRAGMA page_count", -1, &s, nullptr);
        sqlite3_step(s);
        const qint64 pages = sqlite3_column_int64(s, 0);
        sqlite3_finalize(s);
        const QByteArray sql = "PRAGMA max_page_count = " + QByteArray::number(pages + 2);
        sqlite3_exec(db, sql.constData(), nullptr, nullptr, nullptr);
    });
    QVERIFY2(writer.start(&error), qPrintable(error));
    for (int i = 0; i < 5; ++i)
        QVERIFY(writer.enqueue(makeRecord(runId, 0, 0, i)));
    QVERIFY(writer.flush());
    QCOMPARE(store.storedRecordCount(runId), 5);

    bool rejected = false;
    for (int i = 5; i < 2000 && !rejected; ++i) {
        auto r = makeRecord(runId, 0, 0, i);
        r.response = u"a long answer "_s.repeated(300);
        rejected = !writer.enqueue(std::move(r));
        if (i % 100 == 0 && !rejected)
            rejected = !writer.flush();
    }
    QVERIFY(rejected);
    QVERIFY(writer.failed());
    QVERIFY(!writer.flush());
    QVERIFY(!writer.enqueue(makeRecord(runId, 0, 0, 9999)));
    const QString message = writer.error();
    QVERIFY2(message.contains(u"database or disk is full"_s), qPrintable(message));
    QVERIFY2(message.contains(path), qPrintable(message));
    QVERIFY2(message.contains(u"records"_s), qPrintable(message));
    writer.stop();

    // What was committed before is intact and the store still opens and reads.
    ResultsStore reopened;
    QVERIFY2(reopened.open(path, &error), qPrintable(error));
    QCOMPARE(reopened.storedRecordCount(runId), 5);
    QCOMPARE(RawDb(path).text("PRAGMA integrity_check"), u"ok"_s);
    QCOMPARE(RawDb(path).scalar("SELECT COUNT(*) FROM results WHERE sample_idx >= 5"), 0);
}

void TestStore::writerEnqueueAfterStopFails()
{
    QTemporaryDir dir;
    const QString path = storePath(dir);
    ResultsWriter writer(path);
    QString error;
    QVERIFY(!writer.enqueue(makeRecord(1, 0, 0, 0))); // not started
    QVERIFY(writer.start(&error));
    QVERIFY(writer.enqueue(makeRecord(1, 0, 0, 0)));
    writer.stop();
    QVERIFY(!writer.enqueue(makeRecord(1, 0, 0, 1)));
    QVERIFY(!writer.failed());
    QCOMPARE(writer.committedCount(), 1);
}

QTEST_GUILESS_MAIN(TestStore)
#include "tst_store.moc"
