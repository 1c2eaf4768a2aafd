#pragma once

#include "models/core/requestrecord.h"

#include <QJsonObject>

#include <QString>

#include <atomic>
#include <functional>
#include <memory>

struct sqlite3;

namespace evs {

// The single writer (docs/architecture.md section 3, step 8): records go through a bounded queue to one thread that
// commits batched transactions with prepared statements on its own connection. A record whose key is already stored is
// ignored, so a resumed run never duplicates a sample.
class ResultsWriter {
public:
    explicit ResultsWriter(QString dbPath);
    ~ResultsWriter(); // stops and flushes

    bool start(QString* error);
    // Thread-safe. Blocks the caller while the queue is full (back-pressure keeps memory bounded).
    // Returns false once the writer has failed (see error()).
    bool enqueue(RequestRecord&& record);
    // Thread-safe. Stores the response of a successful record in the response cache under the key of its
    // canonical request (see ResponseCache), through the same queue and batches as records. Refuses (returns false,
    // whyNot says why) an error, a non-2xx status or a record that was itself served from the cache; also false
    // once the writer has failed. An existing entry for the key is replaced.
    bool enqueueCacheEntry(
        const RequestRecord& record, const QJsonObject& canonicalRequest, qint64 nowUnixS, QString* whyNot = nullptr);
    // Blocks until everything enqueued before the call is committed. False if the writer failed.
    bool flush();
    void stop();

    qint64 committedCount() const; // records committed so far (duplicates that were ignored included)
    qint64 insertedCount() const; // new rows among them
    qint64 ignoredDuplicateCount() const; // records whose key was already stored
    qint64 cacheEntriesWritten() const;
    bool failed() const;
    // What failed and where, e.g. "results store /path: database or disk is full while committing 500 records".
    QString error() const;
    // Called on the writer thread after each committed batch (cheap callbacks only), before flush() returns.
    // Set it before start().
    void setCommitCallback(std::function<void(qint64 committedTotal)> cb);

    static constexpr int kQueueCapacity = 4096;
    static constexpr int kBatchRecords = 500;
    static constexpr int kBatchMs = 50;

    // Tests only: called in start() on the writer's connection, before any record is written (a test sets
    // PRAGMA max_page_count there to simulate a full disk).
    void setConnectionHookForTesting(std::function<void(sqlite3*)> hook);

private:
    struct Private;
    std::unique_ptr<Private> d;
};

} // namespace evs
