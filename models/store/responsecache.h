#pragma once

#include "models/core/requestrecord.h"

#include <QByteArray>
#include <QJsonObject>
#include <QString>
#include <QStringList>
#include <QVector>

#include <memory>
#include <optional>

namespace evs {

// A stored response, as the engine replays it on a hit (docs/architecture.md section 5).
struct CachedResponse {
    QByteArray key;
    QString content;
    QString reasoning;
    QString finishReason;
    qint64 inputTokens = -1;
    qint64 outputTokens = -1;
    TokenSource tokenSource = TokenSource::None;
    int tokenEvents = 0;
    qint64 createdAtS = 0; // unix seconds
    qint64 runId = 0; // the run whose response this is
};

// What the writer stores for one key; built by ResponseCache::entryFor from a successful record.
struct CacheEntry {
    QByteArray key;
    QByteArray family; // hash of the identity fields only: lets `cache explain` find near misses
    QByteArray requestJson; // the canonical request, secrets removed
    QString provider;
    QString baseUrl;
    QString model;
    CachedResponse response;
};

struct CacheStats {
    qint64 entries = 0;
    qint64 bytes = 0; // request and response texts, UTF-8
    qint64 oldestS = 0; // unix seconds; 0 when empty
    qint64 newestS = 0;
    qint64 expired = 0; // older than the TTL passed to stats()
};

struct RunCacheCounts {
    qint64 runId = 0;
    QString runName;
    qint64 hits = 0;
    qint64 misses = 0; // looked up (a cache key was recorded) and not served from the cache
};

// One stored record's lookup, for `cache explain`.
struct CacheLookupRecord {
    int modelIndex = 0;
    int benchmarkIndex = 0;
    qint64 sampleIndex = 0;
    QString sampleId;
    int repeat = 0;
    bool ok = true;
    bool cached = false;
    QByteArray key; // empty: the cache was off
};

class ResultsStore;

// Why one lookup hit or missed, for `cache explain`.
struct CacheExplanation {
    enum class Outcome { Off, Hit, MissNoEntry, MissExpired, MissParametersDiffer, MissNotCachedError };
    Outcome outcome = Outcome::Off;
    QString text; // one human-readable paragraph
    QStringList differingPaths; // MissParametersDiffer: JSON paths that differ from the nearest entry
};

// The response cache: a table keyed by the hash of the canonical request. Reads go through this class on its own
// connection; writes go through ResultsWriter::enqueueCacheEntry (the single writer).
//
// The canonical request is a JSON object with the identity keys "provider", "base_url", "model" and "messages"
// (or "prompt"), and anything else that changes the response as further keys: "params" (every parameter sent),
// "repeat" (the repeat index), "stream", ... Build it with canonicalRequest() and add keys as needed. Keys named
// like secrets (api_key, authorization, ...) are removed before hashing or storing.
class ResponseCache {
public:
    ResponseCache();
    ~ResponseCache();
    ResponseCache(const ResponseCache&) = delete;
    ResponseCache& operator=(const ResponseCache&) = delete;

    static QJsonObject canonicalRequest(const QString& provider, const QString& baseUrl, const QString& model,
        const QJsonValue& messages, const QJsonObject& params, int repeat);
    // Hex sha256 of the canonical serialisation (keys sorted at every level, compact, secrets removed).
    static QByteArray requestKey(const QJsonObject& canonicalRequest);
    static QByteArray familyKey(const QJsonObject& canonicalRequest);
    static QByteArray canonicalJson(const QJsonObject& canonicalRequest);
    // The entry the writer stores for a record, or nullopt (with why) when it must not be cached: errors,
    // scoring does not matter; a record served from the cache is not stored again (that would extend its life).
    static std::optional<CacheEntry> entryFor(
        const RequestRecord& record, const QJsonObject& canonicalRequest, qint64 nowUnixS, QString* whyNot);
    // JSON paths where a and b differ ("params.temperature", "messages[1].content", "repeat").
    static QStringList differingPaths(const QJsonValue& a, const QJsonValue& b);

    // Opens its own connection (migrating the store first if needed); query_only, so it never writes.
    bool open(const QString& path, QString* error);
    void close();
    bool isOpen() const;

    // Thread-safe (one connection, serialised by a mutex): workers may share one instance.
    // An entry older than ttlS is a miss; ttlS <= 0 means entries never expire.
    std::optional<CachedResponse> lookup(const QByteArray& key, qint64 nowUnixS, qint64 ttlS) const;

    CacheStats stats(qint64 nowUnixS, qint64 ttlS) const;
    QVector<RunCacheCounts> recentRuns(int count) const; // newest first; runs that looked the cache up
    // The records of one sample of a run, by its dataset id or (when numeric) its index, in key order.
    QVector<CacheLookupRecord> recordsOfSample(qint64 runId, const QString& sample) const;

    // Deletes every entry, or (olderThanS > 0) those created before nowUnixS - olderThanS. Returns how many went.
    // On the store's own connection: a CLI action, not the engine's path.
    static std::optional<qint64> clear(ResultsStore& store, qint64 nowUnixS, qint64 olderThanS, QString* error);
    // Explains the lookup of one stored record (its run, cached flag and cache_key). runStartS is the run's start
    // (unix s), ttlS the run's TTL.
    CacheExplanation explain(
        qint64 runId, bool cached, const QByteArray& key, bool recordOk, qint64 runStartS, qint64 ttlS) const;

private:
    struct Private;
    std::unique_ptr<Private> d;
};

} // namespace evs
