#include "models/store/resultswriter.h"

#include "models/store/responsecache.h"
#include "models/store/resultsstore.h"
#include "models/store/sqliteconnection.h"
#include "models/store/sqlitestatement.h"

#include <spdlog/spdlog.h>
#include <sqlite3.h>

#include <array>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <thread>
#include <unordered_set>
#include <variant>

using namespace Qt::StringLiterals;

namespace evs {

namespace {

constexpr const char* kInsertResult
    = "INSERT OR IGNORE INTO results (run_id, model_idx, benchmark_idx, sample_idx, repeat, sample_id, category, "
      "attempts, error_class, http_status, error_message, t_sched, t_send, t_wire, t_headers, t_first_token, "
      "t_first_content, t_last_token, t_end, input_tokens, output_tokens, token_source, token_events, prompt_hash, "
      "response, reasoning, finish_reason, expected, score, score_explanation, cached, score_error, judge_prompt, "
      "judge_response, cache_key) "
      "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, "
      "?)";
constexpr const char* kInsertAttempt = "INSERT INTO attempts (result_id, run_id, model_idx, benchmark_idx, "
                                       "attempt, error_class, http_status, t_send, "
                                       "t_end, error_message) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
constexpr const char* kInsertText = "INSERT OR IGNORE INTO texts (hash, body) VALUES (?, ?)";
// A replaced entry remembers when its predecessor was made, so that `cache explain` can say it had expired.
constexpr const char* kUpsertCache
    = "INSERT INTO response_cache (key, family, request_json, provider, base_url, model, content, reasoning, "
      "finish_reason, input_tokens, output_tokens, token_source, token_events, created_at, run_id) "
      "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
      "ON CONFLICT (key) DO UPDATE SET family = excluded.family, request_json = excluded.request_json, "
      "provider = excluded.provider, base_url = excluded.base_url, model = excluded.model, "
      "content = excluded.content, reasoning = excluded.reasoning, finish_reason = excluded.finish_reason, "
      "input_tokens = excluded.input_tokens, output_tokens = excluded.output_tokens, "
      "token_source = excluded.token_source, token_events = excluded.token_events, "
      "replaced_created_at = response_cache.created_at, created_at = excluded.created_at, run_id = excluded.run_id";

using QueueItem = std::variant<RequestRecord, CacheEntry>;

// Bounded so that a run with millions of distinct prompts does not grow the cache without end.
constexpr size_t kKnownTextsMax = 1 << 16; // ~4 MB; a forgotten hash only costs an INSERT OR IGNORE

} // namespace

struct ResultsWriter::Private {
    QString path;
    std::function<void(sqlite3*)> connectionHook;

    mutable std::mutex mutex;
    std::condition_variable workAvailable; // the writer waits on it
    std::condition_variable spaceAvailable; // producers wait on it
    std::condition_variable progressed; // flush() waits on it
    std::deque<QueueItem> queue;
    std::function<void(qint64)> commitCallback;
    qint64 enqueued = 0;
    qint64 processed = 0;
    int flushWaiters = 0;
    bool running = false;
    bool stopping = false;
    bool failed = false;
    QString error;
    std::thread thread;

    std::atomic<qint64> committed { 0 };
    std::atomic<qint64> inserted { 0 };
    std::atomic<qint64> ignored { 0 };
    std::atomic<qint64> cacheWritten { 0 };

    // Writer thread only (after start()).
    SqliteConnection connection;
    sqlite3* db = nullptr; // connection.get()
    SqliteStatement insertResult;
    SqliteStatement insertAttempt;
    SqliteStatement insertText;
    SqliteStatement upsertCache;
    std::unordered_set<quint64> knownTexts;
    std::array<QString, size_t(ErrorClass::Count)> errorNames;
    qint64 batchInserted = 0;
    qint64 batchIgnored = 0;
    qint64 batchRecords = 0;
    qint64 batchCache = 0;

    void run();
    bool push(QueueItem&& item);
    bool insert(const RequestRecord& r);
    bool insertCache(const CacheEntry& e);
    bool execSql(const char* sql) { return connection.exec(sql); }
    void failLocked(const QString& doing);
    void closeConnection();
};

ResultsWriter::ResultsWriter(QString dbPath)
    : d(std::make_unique<Private>())
{
    d->path = std::move(dbPath);
    for (size_t i = 0; i < d->errorNames.size(); ++i)
        d->errorNames[i] = errorClassName(ErrorClass(i));
}

ResultsWriter::~ResultsWriter()
{
    stop();
}

void ResultsWriter::setConnectionHookForTesting(std::function<void(sqlite3*)> hook)
{
    d->connectionHook = std::move(hook);
}

void ResultsWriter::setCommitCallback(std::function<void(qint64 committedTotal)> cb)
{
    std::lock_guard lock(d->mutex);
    // The writer thread calls it without the lock, so it may only change while the thread is not running.
    Q_ASSERT(!d->running);
    d->commitCallback = std::move(cb);
}

bool ResultsWriter::start(QString* error)
{
    std::lock_guard lock(d->mutex);
    if (d->running)
        return true;
    auto fail = [&](const QString& what) {
        d->closeConnection();
        if (error)
            *error = u"results store %1: %2"_s.arg(d->path, what);
        return false;
    };

    // Opening through the store creates and migrates it, so the writer may be started on a new path.
    {
        ResultsStore store;
        if (!store.open(d->path, error))
            return false;
    }
    QString why;
    auto connection = SqliteConnection::open(d->path, SqliteConnection::Mode::Write, &why);
    if (!connection)
        return fail(why);
    d->connection = std::move(*connection);
    d->db = d->connection.get();
    if (d->connectionHook)
        d->connectionHook(d->db);

    d->insertResult = SqliteStatement(d->db, kInsertResult);
    d->insertAttempt = SqliteStatement(d->db, kInsertAttempt);
    d->insertText = SqliteStatement(d->db, kInsertText);
    d->upsertCache = SqliteStatement(d->db, kUpsertCache);
    for (const auto* s : { &d->insertResult, &d->insertAttempt, &d->insertText, &d->upsertCache }) {
        if (!s->isValid())
            return fail(u"cannot prepare statements (%1)"_s.arg(s->prepareError()));
    }

    d->queue.clear();
    d->knownTexts.clear();
    d->enqueued = d->processed = 0;
    d->stopping = d->failed = false;
    d->error.clear();
    d->running = true;
    d->thread = std::thread([p = d.get()] { p->run(); });
    return true;
}

bool ResultsWriter::enqueue(RequestRecord&& record)
{
    return d->push(QueueItem(std::in_place_type<RequestRecord>, std::move(record)));
}

bool ResultsWriter::enqueueCacheEntry(
    const RequestRecord& record, const QJsonObject& canonicalRequest, qint64 nowUnixS, QString* whyNot)
{
    auto entry = ResponseCache::entryFor(record, canonicalRequest, nowUnixS, whyNot);
    if (!entry)
        return false;
    if (!d->push(QueueItem(std::in_place_type<CacheEntry>, std::move(*entry)))) {
        if (whyNot)
            *whyNot = u"the results writer has stopped or failed"_s;
        return false;
    }
    return true;
}

bool ResultsWriter::Private::push(QueueItem&& item)
{
    std::unique_lock lock(mutex);
    spaceAvailable.wait(
        lock, [this] { return queue.size() < size_t(kQueueCapacity) || failed || stopping || !running; });
    if (failed || stopping || !running)
        return false;
    queue.push_back(std::move(item));
    ++enqueued;
    // The writer only ever sleeps on an empty queue.
    if (queue.size() == 1)
        workAvailable.notify_one();
    return true;
}

bool ResultsWriter::flush()
{
    std::unique_lock lock(d->mutex);
    if (!d->running)
        return !d->failed;
    const qint64 target = d->enqueued;
    ++d->flushWaiters;
    d->workAvailable.notify_one();
    d->progressed.wait(lock, [&] { return d->processed >= target || d->failed; });
    --d->flushWaiters;
    return !d->failed;
}

void ResultsWriter::stop()
{
    {
        std::lock_guard lock(d->mutex);
        if (!d->running)
            return;
        d->stopping = true;
    }
    d->workAvailable.notify_all();
    d->spaceAvailable.notify_all();
    d->thread.join();
    std::lock_guard lock(d->mutex);
    d->closeConnection();
    d->running = false;
    d->progressed.notify_all();
}

qint64 ResultsWriter::committedCount() const
{
    return d->committed.load();
}

qint64 ResultsWriter::insertedCount() const
{
    return d->inserted.load();
}

qint64 ResultsWriter::ignoredDuplicateCount() const
{
    return d->ignored.load();
}

qint64 ResultsWriter::cacheEntriesWritten() const
{
    return d->cacheWritten.load();
}

bool ResultsWriter::failed() const
{
    std::lock_guard lock(d->mutex);
    return d->failed;
}

QString ResultsWriter::error() const
{
    std::lock_guard lock(d->mutex);
    return d->error;
}

void ResultsWriter::Private::closeConnection()
{
    insertResult = {};
    insertAttempt = {};
    insertText = {};
    upsertCache = {};
    connection.close();
    db = nullptr;
}

void ResultsWriter::Private::failLocked(const QString& doing)
{
    failed = true;
    error = u"results store %1: %2 while %3"_s.arg(path, SqliteStatement::errorMessage(db), doing);
    spdlog::error("{}", error.toStdString());
    // Records still queued cannot be stored any more; their producers learn it from enqueue() and flush().
    queue.clear();
    spaceAvailable.notify_all();
    progressed.notify_all();
}

void ResultsWriter::Private::run()
{
    using Clock = std::chrono::steady_clock;
    std::vector<QueueItem> taken;
    taken.reserve(kBatchRecords);
    std::unique_lock lock(mutex);
    for (;;) {
        workAvailable.wait(lock, [this] { return !queue.empty() || stopping; });
        if (queue.empty())
            break; // stopping, and everything is stored

        lock.unlock();
        const bool begun = execSql("BEGIN");
        lock.lock();
        if (!begun) {
            failLocked(u"starting a transaction"_s);
            break;
        }
        const auto deadline = Clock::now() + std::chrono::milliseconds(kBatchMs);
        batchInserted = batchIgnored = batchRecords = batchCache = 0;
        qint64 n = 0;
        bool ok = true;
        // Fill the transaction until it holds a batch, the batch time is up, or someone waits for it.
        for (;;) {
            if (!queue.empty()) {
                const size_t take = std::min(queue.size(), size_t(kBatchRecords - n));
                std::move(queue.begin(), queue.begin() + qsizetype(take), std::back_inserter(taken));
                queue.erase(queue.begin(), queue.begin() + qsizetype(take));
                spaceAvailable.notify_all();
                lock.unlock();
                for (const auto& item : taken) {
                    ++n;
                    if (const auto* r = std::get_if<RequestRecord>(&item)) {
                        ++batchRecords;
                        ok = insert(*r);
                    } else {
                        ++batchCache;
                        ok = insertCache(std::get<CacheEntry>(item));
                    }
                    if (!ok)
                        break;
                }
                taken.clear();
                lock.lock();
                if (!ok || n >= kBatchRecords)
                    break;
                continue;
            }
            if (stopping || flushWaiters > 0)
                break;
            if (!workAvailable.wait_until(
                    lock, deadline, [this] { return !queue.empty() || stopping || flushWaiters > 0; }))
                break;
        }

        lock.unlock();
        if (ok)
            ok = execSql("COMMIT");
        if (ok) {
            committed += batchRecords;
            cacheWritten += batchCache;
            inserted += batchInserted;
            ignored += batchIgnored;
            // Before waking flush(): whoever flushed has seen the callback for its records.
            if (commitCallback)
                commitCallback(committed.load());
        }
        lock.lock();
        if (!ok) {
            failLocked(u"committing %1 records"_s.arg(batchRecords));
            // SQLite may already have rolled back on some errors (SQLITE_FULL among them).
            if (connection.inTransaction())
                execSql("ROLLBACK");
            // The rolled-back texts are no longer known to be stored.
            knownTexts.clear();
            break;
        }
        processed += n;
        progressed.notify_all();
    }
}

bool ResultsWriter::Private::insert(const RequestRecord& r)
{
    qint64 promptHash = 0;
    if (!r.prompt.isEmpty()) {
        promptHash = qint64(ResultsStore::textHash(r.prompt));
        if (!knownTexts.contains(quint64(promptHash))) {
            insertText.bindInt(1, promptHash);
            insertText.bindTextNoCopy(2, r.prompt);
            const int rc = insertText.step();
            insertText.reset();
            if (rc != SQLITE_DONE)
                return false;
            if (knownTexts.size() >= kKnownTextsMax)
                knownTexts.clear();
            knownTexts.insert(quint64(promptHash));
        }
    }

    auto& s = insertResult;
    s.bindInt(1, r.runId);
    s.bindInt(2, r.modelIndex);
    s.bindInt(3, r.benchmarkIndex);
    s.bindInt(4, r.sampleIndex);
    s.bindInt(5, r.repeat);
    s.bindTextNoCopy(6, r.sampleId);
    s.bindTextNoCopy(7, r.category);
    s.bindInt(8, r.attempts);
    s.bindTextNoCopy(9, errorNames[size_t(r.errorClass)]);
    s.bindInt(10, r.httpStatus);
    s.bindTextNoCopy(11, r.errorMessage);
    s.bindIntOrNull(12, r.t.schedNs);
    s.bindIntOrNull(13, r.t.sendNs);
    s.bindIntOrNull(14, r.t.wireNs);
    s.bindIntOrNull(15, r.t.headersNs);
    s.bindIntOrNull(16, r.t.firstTokenNs);
    s.bindIntOrNull(17, r.t.firstContentNs);
    s.bindIntOrNull(18, r.t.lastTokenNs);
    s.bindIntOrNull(19, r.t.endNs);
    s.bindIntOrNull(20, r.inputTokens);
    s.bindIntOrNull(21, r.outputTokens);
    switch (r.tokenSource) {
    case TokenSource::Usage:
        sqlite3_bind_text(s.get(), 22, "usage", 5, SQLITE_STATIC);
        break;
    case TokenSource::Events:
        sqlite3_bind_text(s.get(), 22, "events", 6, SQLITE_STATIC);
        break;
    case TokenSource::None:
        s.bindNull(22);
        break;
    }
    s.bindInt(23, r.tokenEvents);
    if (r.prompt.isEmpty())
        s.bindNull(24);
    else
        s.bindInt(24, promptHash);
    s.bindTextNoCopy(25, r.response);
    s.bindTextNoCopy(26, r.reasoning);
    s.bindTextNoCopy(27, r.finishReason);
    s.bindTextNoCopy(28, r.expected);
    s.bindDouble(29, r.score);
    s.bindTextNoCopy(30, r.scoreExplanation);
    s.bindInt(31, r.cached ? 1 : 0);
    s.bindInt(32, r.scoreError ? 1 : 0);
    s.bindTextNoCopy(33, r.judgePrompt);
    s.bindTextNoCopy(34, r.judgeResponse);
    if (r.cacheKey.isEmpty())
        s.bindNull(35);
    else
        s.bindUtf8(35, r.cacheKey);
    const int rc = s.step();
    s.reset();
    if (rc != SQLITE_DONE)
        return false;
    if (connection.changes() == 0) {
        ++batchIgnored; // this key is already stored: so are its attempts
        return true;
    }
    ++batchInserted;

    const qint64 resultId = connection.lastInsertRowId();
    for (const auto& a : r.failedAttempts) {
        auto& as = insertAttempt;
        as.bindInt(1, resultId);
        as.bindInt(2, r.runId);
        as.bindInt(3, r.modelIndex);
        as.bindInt(4, r.benchmarkIndex);
        as.bindInt(5, a.attempt);
        as.bindTextNoCopy(6, errorNames[size_t(a.errorClass)]);
        as.bindInt(7, a.httpStatus);
        as.bindIntOrNull(8, a.sendNs);
        as.bindIntOrNull(9, a.endNs);
        as.bindTextNoCopy(10, a.errorMessage);
        const int arc = as.step();
        as.reset();
        if (arc != SQLITE_DONE)
            return false;
    }
    return true;
}

bool ResultsWriter::Private::insertCache(const CacheEntry& e)
{
    auto& s = upsertCache;
    const CachedResponse& r = e.response;
    s.bindUtf8(1, e.key);
    s.bindUtf8(2, e.family);
    s.bindUtf8(3, e.requestJson);
    // NOT NULL columns: an empty provider or URL is stored as "", not NULL.
    sqlite3_bind_text(s.get(), 4, "", 0, SQLITE_STATIC);
    sqlite3_bind_text(s.get(), 5, "", 0, SQLITE_STATIC);
    sqlite3_bind_text(s.get(), 6, "", 0, SQLITE_STATIC);
    if (!e.provider.isEmpty())
        s.bindTextNoCopy(4, e.provider);
    if (!e.baseUrl.isEmpty())
        s.bindTextNoCopy(5, e.baseUrl);
    if (!e.model.isEmpty())
        s.bindTextNoCopy(6, e.model);
    s.bindTextNoCopy(7, r.content);
    s.bindTextNoCopy(8, r.reasoning);
    s.bindTextNoCopy(9, r.finishReason);
    s.bindIntOrNull(10, r.inputTokens);
    s.bindIntOrNull(11, r.outputTokens);
    switch (r.tokenSource) {
    case TokenSource::Usage:
        sqlite3_bind_text(s.get(), 12, "usage", 5, SQLITE_STATIC);
        break;
    case TokenSource::Events:
        sqlite3_bind_text(s.get(), 12, "events", 6, SQLITE_STATIC);
        break;
    case TokenSource::None:
        s.bindNull(12);
        break;
    }
    s.bindInt(13, r.tokenEvents);
    s.bindInt(14, r.createdAtS);
    s.bindInt(15, r.runId);
    const int rc = s.step();
    s.reset();
    return rc == SQLITE_DONE;
}

} // namespace evs
