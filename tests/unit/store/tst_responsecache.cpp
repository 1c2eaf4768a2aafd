// Schema migration 2, the response cache (key, TTL, refusal of errors, explanations, stats, clear) and re-scorings
// as stored. Stored values are checked with the test's own SQL (tests/testsupport.h).
#include "models/store/responsecache.h"
#include "models/store/resultsstore.h"
#include "models/store/resultswriter.h"
#include "models/store/scoringstore.h"
#include "tests/testsupport.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QScopeGuard>
#include <QTemporaryDir>
#include <QTest>

#include <sqlite3.h>

#include <atomic>
#include <cmath>
#include <thread>

using namespace Qt::StringLiterals;
using namespace evs;

namespace {

QJsonObject request(const QJsonObject& params = { { u"temperature"_s, 0 }, { u"max_tokens"_s, 64 } },
    const QString& question = u"What is 2+2?"_s, int repeat = 0)
{
    const QJsonArray messages { QJsonObject { { u"role"_s, u"user"_s }, { u"content"_s, question } } };
    return ResponseCache::canonicalRequest(
        u"openai"_s, u"http://127.0.0.1:8000/v1"_s, u"qwen2.5-7b"_s, messages, params, repeat);
}

QJsonObject parse(const char* json)
{
    return QJsonDocument::fromJson(json).object();
}

RequestRecord okRecord(qint64 runId, qint64 sample, const QJsonObject& canonical, int repeat = 0)
{
    RequestRecord r;
    r.runId = runId;
    r.sampleIndex = sample;
    r.repeat = repeat;
    r.httpStatus = 200;
    r.t.sendNs = 1000 * sample;
    r.t.endNs = r.t.sendNs + 500;
    r.response = u"4"_s;
    r.reasoning = u"two and two"_s;
    r.finishReason = u"stop"_s;
    r.inputTokens = 12;
    r.outputTokens = 1;
    r.tokenSource = TokenSource::Usage;
    r.tokenEvents = 1;
    r.cacheKey = ResponseCache::requestKey(canonical);
    return r;
}

QString text(const test::SqlReader& raw, const char* sql)
{
    const auto rows = raw.rows(sql);
    return rows.isEmpty() || rows.first().isEmpty() ? u"<none>"_s : rows.first().first().toString();
}

bool exec(const QString& path, const char* sql)
{
    return test::execSql(path, sql);
}

} // namespace

class TestResponseCache : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void migrationFromVersion1KeepsData();

    void keyIgnoresKeyOrderAndSecrets_data();
    void keyIgnoresKeyOrderAndSecrets();
    void keyChangesWithAnyField_data();
    void keyChangesWithAnyField();
    void differingPaths();

    void lookupHonoursTtl_data();
    void lookupHonoursTtl();
    void writerRefusesWhatIsNotASuccess_data();
    void writerRefusesWhatIsNotASuccess();
    void entryRoundTripsAndIsReplaced();
    void lookupFromManyThreads();
    void explainOutcomes();
    void statsAndClear();

    void scoringsStoreAndDelete();
};

void TestResponseCache::migrationFromVersion1KeepsData()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(u"v1.sqlite"_s);
    {
        ResultsStore::limitMigrationsForTesting(1);
        const auto cleanup = qScopeGuard([] { ResultsStore::clearMigrationsForTesting(); });
        ResultsStore store;
        QString error;
        QVERIFY2(store.open(path, &error), qPrintable(error));
        QVERIFY(store.createRun(u"old run"_s, R"({"benchmarks":[{"id":"b"}]})", 5, 2, &error));
    }
    // Rows as a version 1 build wrote them (its writer had no judge or cache columns).
    QVERIFY(exec(path,
        "INSERT INTO texts (hash, body) VALUES (7, 'prompt');"
        "INSERT INTO results (run_id, model_idx, benchmark_idx, sample_idx, repeat, sample_id, attempts, http_status, "
        "token_events, prompt_hash, response, score, cached) VALUES "
        "(1, 0, 0, 0, 0, 's0', 1, 200, 3, 7, 'A', 1.0, 0), (1, 0, 0, 1, 0, 's1', 2, 200, 3, 7, 'B', 0.0, 0);"
        "INSERT INTO attempts (result_id, run_id, model_idx, benchmark_idx, attempt, http_status) "
        "VALUES (2, 1, 0, 0, 1, 503);"));
    {
        test::SqlReader raw(path);
        QCOMPARE(raw.scalar("PRAGMA user_version"), 1);
    }

    ResultsStore store;
    QString error;
    QVERIFY2(store.open(path, &error), qPrintable(error));
    test::SqlReader raw(path);
    QCOMPARE(raw.scalar("PRAGMA user_version"), ResultsStore::schemaVersion());
    QCOMPARE(store.run(1)->name, u"old run"_s);
    QCOMPARE(store.storedRecordCount(1), 2);
    QCOMPARE(raw.scalar("SELECT COUNT(*) FROM attempts"), 1);
    QCOMPARE(*store.text(7), u"prompt"_s);
    // Old rows get the defaults of the new columns.
    const auto rows = raw.rows("SELECT response, score, score_error, judge_prompt, judge_response, cache_key "
                               "FROM results ORDER BY sample_idx");
    QCOMPARE(rows.size(), 2);
    QCOMPARE(rows[0][0].toString(), u"A"_s);
    QCOMPARE(rows[0][1].toDouble(), 1.0);
    QCOMPARE(rows[0][2].toLongLong(), 0);
    QVERIFY(!rows[0][3].isValid() && !rows[0][4].isValid() && !rows[0][5].isValid());
    for (const char* table : { "response_cache", "scorings", "scoring_results" }) {
        const QByteArray sql
            = "SELECT COUNT(*) FROM sqlite_schema WHERE type = 'table' AND name = '" + QByteArray(table) + "'";
        QCOMPARE(raw.scalar(sql.constData()), 1);
    }

    // The upgraded store takes new records with the new fields, and resume keys still see the old ones.
    ResultsWriter writer(path);
    QVERIFY2(writer.start(&error), qPrintable(error));
    RequestRecord r = okRecord(1, 2, request());
    r.scoreError = true;
    r.judgeResponse = u"no verdict"_s;
    QVERIFY(writer.enqueue(std::move(r)));
    QVERIFY(writer.flush());
    QCOMPARE(store.storedRecordCount(1), 3);
    QCOMPARE(raw.scalar("SELECT score_error FROM results WHERE sample_idx = 2"), 1);
    QCOMPARE(text(raw, "SELECT judge_response FROM results WHERE sample_idx = 2"), u"no verdict"_s);
}

void TestResponseCache::keyIgnoresKeyOrderAndSecrets_data()
{
    QTest::addColumn<QByteArray>("a");
    QTest::addColumn<QByteArray>("b");
    QTest::addRow("top-level order") << QByteArray(R"({"model":"m","provider":"p","params":{"t":1}})")
                                     << QByteArray(R"({"params":{"t":1},"provider":"p","model":"m"})");
    QTest::addRow("nested order") << QByteArray(R"({"params":{"a":1,"b":{"x":[1,{"q":2,"p":3}],"y":2}}})")
                                  << QByteArray(R"({"params":{"b":{"y":2,"x":[1,{"p":3,"q":2}]},"a":1}})");
    QTest::addRow("whitespace") << QByteArray("{ \"a\" : 1 ,\n \"b\" : [ 1 , 2 ] }")
                                << QByteArray(R"({"a":1,"b":[1,2]})");
    QTest::addRow("integer as double") << QByteArray(R"({"t":1})") << QByteArray(R"({"t":1.0})");
    QTest::addRow("secret keys") << QByteArray(R"({"m":"x","api_key":"sk-1","params":{"Authorization":"B"}})")
                                 << QByteArray(R"({"m":"x","params":{}})");
}

void TestResponseCache::keyIgnoresKeyOrderAndSecrets()
{
    QFETCH(QByteArray, a);
    QFETCH(QByteArray, b);
    const QJsonObject oa = QJsonDocument::fromJson(a).object();
    const QJsonObject ob = QJsonDocument::fromJson(b).object();
    QCOMPARE(ResponseCache::requestKey(oa), ResponseCache::requestKey(ob));
    QCOMPARE(ResponseCache::requestKey(oa).size(), 64); // hex sha256
    QVERIFY(!ResponseCache::canonicalJson(oa).contains("sk-1"));
}

void TestResponseCache::keyChangesWithAnyField_data()
{
    QTest::addColumn<QJsonObject>("changed");
    const QJsonObject base = request();
    auto with = [&](const QString& key, const QJsonValue& v) {
        QJsonObject o = base;
        o.insert(key, v);
        return o;
    };
    QJsonObject params = base.value(u"params"_s).toObject();
    QTest::addRow("provider") << with(u"provider"_s, u"vllm"_s);
    QTest::addRow("base url") << with(u"base_url"_s, u"http://127.0.0.1:8001/v1"_s);
    QTest::addRow("model") << with(u"model"_s, u"qwen2.5-14b"_s);
    QTest::addRow("repeat") << with(u"repeat"_s, 1);
    QTest::addRow("message") << request(base.value(u"params"_s).toObject(), u"What is 2+3?"_s);
    QJsonObject warmer = params;
    warmer.insert(u"temperature"_s, 0.7);
    QTest::addRow("temperature") << with(u"params"_s, warmer);
    QJsonObject added = params;
    added.insert(u"top_p"_s, 0.9);
    QTest::addRow("added parameter") << with(u"params"_s, added);
    QJsonObject removed = params;
    removed.remove(u"max_tokens"_s);
    QTest::addRow("removed parameter") << with(u"params"_s, removed);
    QTest::addRow("stream flag") << with(u"stream"_s, true);
    QTest::addRow("string vs number") << with(
        u"params"_s, QJsonObject { { u"temperature"_s, u"0"_s }, { u"max_tokens"_s, 64 } });
}

void TestResponseCache::keyChangesWithAnyField()
{
    QFETCH(QJsonObject, changed);
    const QJsonObject base = request();
    QVERIFY(!changed.isEmpty());
    QVERIFY(ResponseCache::requestKey(changed) != ResponseCache::requestKey(base));
}

void TestResponseCache::differingPaths()
{
    const QJsonObject a = parse(R"({"params":{"temperature":0,"max_tokens":64,"stop":["x"]},"repeat":0,
        "messages":[{"role":"user","content":"hi"}]})");
    const QJsonObject b = parse(R"({"params":{"temperature":0.7,"max_tokens":64},"repeat":1,
        "messages":[{"role":"user","content":"hi"}]})");
    QCOMPARE(
        ResponseCache::differingPaths(a, b), (QStringList { u"params.stop"_s, u"params.temperature"_s, u"repeat"_s }));
    QCOMPARE(ResponseCache::differingPaths(a, a), QStringList());
    QCOMPARE(ResponseCache::differingPaths(parse(R"({"m":[1,2]})"), parse(R"({"m":[1,2,3]})")),
        QStringList { u"m (length 2 vs 3)"_s });
}

void TestResponseCache::lookupHonoursTtl_data()
{
    QTest::addColumn<qint64>("ageS");
    QTest::addColumn<qint64>("ttlS");
    QTest::addColumn<bool>("hit");
    QTest::addRow("fresh") << qint64(0) << qint64(60) << true;
    QTest::addRow("exactly the ttl") << qint64(60) << qint64(60) << true;
    QTest::addRow("one second past") << qint64(61) << qint64(60) << false;
    QTest::addRow("two weeks default, 13 days") << qint64(13 * 86400) << qint64(1209600) << true;
    QTest::addRow("two weeks default, 15 days") << qint64(15 * 86400) << qint64(1209600) << false;
    QTest::addRow("no ttl") << qint64(10 * 365 * 86400) << qint64(0) << true;
}

void TestResponseCache::lookupHonoursTtl()
{
    QFETCH(qint64, ageS);
    QFETCH(qint64, ttlS);
    QFETCH(bool, hit);
    QTemporaryDir dir;
    const QString path = dir.filePath(u"c.sqlite"_s);
    const qint64 created = 1'800'000'000;
    const QJsonObject req = request();
    QString error;
    {
        ResultsWriter writer(path);
        QVERIFY2(writer.start(&error), qPrintable(error));
        QVERIFY2(writer.enqueueCacheEntry(okRecord(1, 0, req), req, created, &error), qPrintable(error));
    }
    ResponseCache cache;
    QVERIFY2(cache.open(path, &error), qPrintable(error));
    const auto r = cache.lookup(ResponseCache::requestKey(req), created + ageS, ttlS);
    QCOMPARE(r.has_value(), hit);
    // Another key never hits.
    QVERIFY(!cache.lookup(ResponseCache::requestKey(request({}, u"other"_s)), created, 0));
}

void TestResponseCache::writerRefusesWhatIsNotASuccess_data()
{
    QTest::addColumn<int>("errorClass");
    QTest::addColumn<int>("httpStatus");
    QTest::addColumn<bool>("cached");
    QTest::addColumn<bool>("wrongKey");
    QTest::addColumn<QString>("why");
    QTest::addRow("timeout") << int(ErrorClass::Timeout) << 0 << false << false << u"timeout"_s;
    QTest::addRow("http 429") << int(ErrorClass::Http429) << 429 << false << false << u"http_429"_s;
    QTest::addRow("http 500") << int(ErrorClass::Http5xx) << 500 << false << false << u"http_5xx"_s;
    QTest::addRow("parse") << int(ErrorClass::Parse) << 200 << false << false << u"parse"_s;
    QTest::addRow("canceled") << int(ErrorClass::Canceled) << 0 << false << false << u"canceled"_s;
    QTest::addRow("ok class but 404") << int(ErrorClass::None) << 404 << false << false << u"404"_s;
    QTest::addRow("served from cache") << int(ErrorClass::None) << 200 << true << false << u"from the cache"_s;
    QTest::addRow("key mismatch") << int(ErrorClass::None) << 200 << false << true << u"does not match"_s;
}

void TestResponseCache::writerRefusesWhatIsNotASuccess()
{
    QFETCH(int, errorClass);
    QFETCH(int, httpStatus);
    QFETCH(bool, cached);
    QFETCH(bool, wrongKey);
    QFETCH(QString, why);
    QTemporaryDir dir;
    const QString path = dir.filePath(u"c.sqlite"_s);
    const QJsonObject req = request();
    RequestRecord r = okRecord(1, 0, req);
    r.errorClass = ErrorClass(errorClass);
    r.httpStatus = httpStatus;
    r.cached = cached;
    if (wrongKey)
        r.cacheKey = ResponseCache::requestKey(request({}, u"another question"_s));
    QString error;
    ResultsWriter writer(path);
    QVERIFY2(writer.start(&error), qPrintable(error));
    QString whyNot;
    QVERIFY(!writer.enqueueCacheEntry(r, req, 1'800'000'000, &whyNot));
    QVERIFY2(whyNot.contains(why), qPrintable(whyNot));
    // A success next to it is stored: the refusal did not break the writer.
    QVERIFY(writer.enqueueCacheEntry(okRecord(1, 1, request({}, u"q2"_s)), request({}, u"q2"_s), 1'800'000'000));
    QVERIFY(writer.flush());
    QCOMPARE(writer.cacheEntriesWritten(), 1);
    test::SqlReader raw(path);
    QCOMPARE(raw.scalar("SELECT COUNT(*) FROM response_cache"), 1);
    QCOMPARE(raw.scalar("SELECT COUNT(*) FROM results"), 0); // cache entries are not records
}

void TestResponseCache::entryRoundTripsAndIsReplaced()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(u"c.sqlite"_s);
    const QJsonObject req = request();
    const QByteArray key = ResponseCache::requestKey(req);
    QString error;
    ResultsWriter writer(path);
    QVERIFY2(writer.start(&error), qPrintable(error));
    QVERIFY(writer.enqueueCacheEntry(okRecord(3, 0, req), req, 1000));
    QVERIFY(writer.flush());

    ResponseCache cache;
    QVERIFY2(cache.open(path, &error), qPrintable(error));
    auto hit = cache.lookup(key, 1000, 60);
    QVERIFY(hit);
    QCOMPARE(hit->key, key);
    QCOMPARE(hit->content, u"4"_s);
    QCOMPARE(hit->reasoning, u"two and two"_s);
    QCOMPARE(hit->finishReason, u"stop"_s);
    QCOMPARE(hit->inputTokens, 12);
    QCOMPARE(hit->outputTokens, 1);
    QCOMPARE(hit->tokenSource, TokenSource::Usage);
    QCOMPARE(hit->tokenEvents, 1);
    QCOMPARE(hit->createdAtS, 1000);
    QCOMPARE(hit->runId, 3);

    test::SqlReader raw(path);
    QCOMPARE(text(raw, "SELECT provider || ' ' || base_url || ' ' || model FROM response_cache"),
        u"openai http://127.0.0.1:8000/v1 qwen2.5-7b"_s);
    const QJsonObject stored
        = QJsonDocument::fromJson(text(raw, "SELECT request_json FROM response_cache").toUtf8()).object();
    QCOMPARE(stored, req);

    // A later run that missed (expired) stores a new response under the same key: one row, the newer one.
    RequestRecord newer = okRecord(4, 0, req);
    newer.response = u"four"_s;
    QVERIFY(writer.enqueueCacheEntry(newer, req, 5000));
    QVERIFY(writer.flush());
    QCOMPARE(raw.scalar("SELECT COUNT(*) FROM response_cache"), 1);
    QCOMPARE(raw.scalar("SELECT replaced_created_at FROM response_cache"), 1000);
    hit = cache.lookup(key, 5000, 60);
    QVERIFY(hit);
    QCOMPARE(hit->content, u"four"_s);
    QCOMPARE(hit->runId, 4);
}

void TestResponseCache::lookupFromManyThreads()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(u"c.sqlite"_s);
    QString error;
    {
        ResultsWriter writer(path);
        QVERIFY2(writer.start(&error), qPrintable(error));
        for (int i = 0; i < 50; ++i) {
            const QJsonObject req = request({}, u"q%1"_s.arg(i));
            QVERIFY(writer.enqueueCacheEntry(okRecord(1, i, req), req, 100));
        }
    }
    ResponseCache cache;
    QVERIFY(cache.open(path, &error));
    std::atomic<int> hits { 0 };
    std::vector<std::thread> threads;
    for (int t = 0; t < 4; ++t) {
        threads.emplace_back([&] {
            for (int i = 0; i < 100; ++i) {
                if (cache.lookup(ResponseCache::requestKey(request({}, u"q%1"_s.arg(i))), 100, 0))
                    ++hits;
            }
        });
    }
    for (auto& t : threads)
        t.join();
    QCOMPARE(hits.load(), 4 * 50);
}

void TestResponseCache::explainOutcomes()
{
    using Outcome = CacheExplanation::Outcome;
    QTemporaryDir dir;
    const QString path = dir.filePath(u"c.sqlite"_s);
    QString error;
    const QJsonObject cold = request();
    QJsonObject warmParams { { u"temperature"_s, 0.7 }, { u"max_tokens"_s, 64 } };
    const QJsonObject warm = request(warmParams);
    const QJsonObject fresh = request({}, u"a question nobody asked"_s);
    const QJsonObject old = request({}, u"old question"_s);
    {
        ResultsWriter writer(path);
        QVERIFY2(writer.start(&error), qPrintable(error));
        // Run 1 (at t=1000) stored cold and old; run 2 (t=2000) missed on warm (temperature changed), on fresh (new)
        // and on old (expired: replaced).
        QVERIFY(writer.enqueueCacheEntry(okRecord(1, 0, cold), cold, 1000));
        QVERIFY(writer.enqueueCacheEntry(okRecord(1, 1, old), old, 1000));
        QVERIFY(writer.enqueueCacheEntry(okRecord(2, 0, warm), warm, 2000));
        QVERIFY(writer.enqueueCacheEntry(okRecord(2, 1, fresh), fresh, 2000));
        QVERIFY(writer.enqueueCacheEntry(okRecord(2, 2, old), old, 2000));
    }
    ResponseCache cache;
    QVERIFY(cache.open(path, &error));
    const auto key = [](const QJsonObject& o) { return ResponseCache::requestKey(o); };

    auto e = cache.explain(2, false, QByteArray(), true, 2000, 600);
    QCOMPARE(e.outcome, Outcome::Off);

    e = cache.explain(2, true, key(cold), true, 2000, 3600);
    QCOMPARE(e.outcome, Outcome::Hit);
    QVERIFY2(e.text.contains(u"run 1"_s) && e.text.contains(u"1000 s"_s), qPrintable(e.text));

    e = cache.explain(2, false, key(warm), true, 2000, 3600);
    QCOMPARE(e.outcome, Outcome::MissParametersDiffer);
    QCOMPARE(e.differingPaths, QStringList { u"params.temperature"_s });
    QVERIFY2(e.text.contains(u"params.temperature"_s), qPrintable(e.text));

    e = cache.explain(2, false, key(fresh), true, 2000, 3600);
    QCOMPARE(e.outcome, Outcome::MissNoEntry);

    e = cache.explain(2, false, key(old), true, 2000, 600);
    QCOMPARE(e.outcome, Outcome::MissExpired);
    QVERIFY2(e.text.contains(u"1000 s"_s) && e.text.contains(u"600 s"_s), qPrintable(e.text));

    // Run 3 at t=3000 with a 100 s TTL missed on cold: the entry (from run 1) is older than its TTL.
    e = cache.explain(3, false, key(cold), true, 3000, 100);
    QCOMPARE(e.outcome, Outcome::MissExpired);
    QVERIFY2(e.text.contains(u"2000 s"_s), qPrintable(e.text));

    // An error is never stored: the explanation says so.
    e = cache.explain(3, false, key(request({}, u"failed"_s)), false, 3000, 100);
    QCOMPARE(e.outcome, Outcome::MissNotCachedError);
    QVERIFY2(e.text.contains(u"never cached"_s), qPrintable(e.text));
}

void TestResponseCache::statsAndClear()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(u"c.sqlite"_s);
    QString error;
    ResultsStore store;
    QVERIFY(store.open(path, &error));
    const qint64 runId = *store.createRun(u"r"_s, "{}", 1, -1, &error);
    {
        ResultsWriter writer(path);
        QVERIFY2(writer.start(&error), qPrintable(error));
        for (int i = 0; i < 6; ++i) {
            const QJsonObject req = request({}, u"q%1"_s.arg(i));
            QVERIFY(writer.enqueueCacheEntry(okRecord(runId, i, req), req, 1000 + 100 * i));
            RequestRecord rec = okRecord(runId, i, req);
            rec.cached = i % 3 == 0;
            QVERIFY(writer.enqueue(std::move(rec)));
        }
        RequestRecord off = okRecord(runId, 99, request());
        off.cacheKey.clear(); // cache off: neither a hit nor a miss
        QVERIFY(writer.enqueue(std::move(off)));
    }
    ResponseCache cache;
    QVERIFY(cache.open(path, &error));
    CacheStats st = cache.stats(1600, 300); // entries made before 1300 are expired
    QCOMPARE(st.entries, 6);
    QCOMPARE(st.oldestS, 1000);
    QCOMPARE(st.newestS, 1500);
    QCOMPARE(st.expired, 3);
    QVERIFY(st.bytes > 6 * 100);
    const auto recent = cache.recentRuns(5);
    QCOMPARE(recent.size(), 1);
    QCOMPARE(recent[0].hits, 2);
    QCOMPARE(recent[0].misses, 4);

    QCOMPARE(ResponseCache::clear(store, 1600, 300, &error).value_or(-1), 3);
    QCOMPARE(cache.stats(1600, 300).entries, 3);
    QCOMPARE(cache.stats(1600, 300).expired, 0);
    QCOMPARE(ResponseCache::clear(store, 1600, 0, &error).value_or(-1), 3);
    QCOMPARE(cache.stats(1600, 300).entries, 0);
    // Records are not touched by clearing the cache.
    QCOMPARE(store.storedRecordCount(runId), 7);
}

void TestResponseCache::scoringsStoreAndDelete()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(u"s.sqlite"_s);
    QString error;
    ResultsStore store;
    QVERIFY(store.open(path, &error));
    const qint64 runA = *store.createRun(u"a"_s, "{}", 1, -1, &error);
    const qint64 runB = *store.createRun(u"b"_s, "{}", 1, -1, &error);
    {
        ResultsWriter writer(path);
        QVERIFY(writer.start(&error));
        for (qint64 run : { runA, runB }) {
            for (int i = 0; i < 4; ++i) {
                RequestRecord r = okRecord(run, i, request());
                r.errorClass = i == 3 ? ErrorClass::Timeout : ErrorClass::None;
                QVERIFY(writer.enqueue(std::move(r)));
            }
        }
    }
    ScoringStore scorings(store);
    QCOMPARE(scorings.pairs(runA, &error), (QVector<std::pair<int, int>> { { 0, 0 } }));
    QVector<StoredResponse> seen;
    QVERIFY(scorings.forEachResponse(
        runA, 0, 0,
        [&](const StoredResponse& r) {
            seen.push_back(r);
            return true;
        },
        &error));
    QCOMPARE(seen.size(), 4);
    QCOMPARE(seen[2].sampleIndex, 2);
    QVERIFY(seen[2].ok && !seen[3].ok);

    // An abandoned scoring leaves nothing.
    {
        ScoringStore abandoned(store);
        QVERIFY(abandoned.begin(runA, QJsonObject { { u"type"_s, u"exact_match"_s } }, u"x"_s, -1, &error));
        QVERIFY(abandoned.add(seen[0].resultId, 1.0, false, u"e"_s, &error));
    }
    QCOMPARE(scorings.scorings(runA).size(), 0);

    for (qint64 run : { runA, runB }) {
        const auto id = scorings.begin(run, QJsonObject { { u"type"_s, u"exact_match"_s } }, u"strict"_s, 0, &error);
        QVERIFY2(id, qPrintable(error));
        QVERIFY(scorings.forEachResponse(
            run, 0, 0,
            [&](const StoredResponse& r) {
                return scorings.add(r.resultId, r.ok ? 0.5 : std::nan(""), false, u"half"_s, &error);
            },
            &error));
        QVERIFY2(scorings.commit(&error), qPrintable(error));
        QVERIFY(scorings.saveSummary(*id, QJsonObject { { u"run_id"_s, double(run) } }, &error));
    }
    const auto list = scorings.scorings(runA);
    QCOMPARE(list.size(), 1);
    QCOMPARE(list[0].label, u"strict"_s);
    QCOMPARE(list[0].benchmarkIndex, 0);
    QCOMPARE(list[0].scoredResults, 4);
    QCOMPARE(list[0].scorer.value(u"type"_s).toString(), u"exact_match"_s);
    QCOMPARE(list[0].summary.value(u"run_id"_s).toInteger(), runA);
    test::SqlReader raw(path);
    QCOMPARE(raw.scalar("SELECT COUNT(*) FROM scoring_results WHERE score IS NULL"), 2);
    // The original scores are untouched.
    QCOMPARE(raw.scalar("SELECT COUNT(*) FROM results WHERE score IS NOT NULL"), 0);

    QVERIFY(store.deleteRun(runA, &error));
    QCOMPARE(raw.scalar("SELECT COUNT(*) FROM scorings"), 1);
    QCOMPARE(raw.scalar("SELECT COUNT(*) FROM scoring_results"), 4);
}

QTEST_GUILESS_MAIN(TestResponseCache)
#include "tst_responsecache.moc"
