#include "models/store/responsecache.h"

#include "models/store/resultsstore.h"
#include "models/store/sqliteconnection.h"
#include "models/store/sqlitestatement.h"

#include <QCryptographicHash>
#include <QJsonArray>
#include <QJsonDocument>

#include <sqlite3.h>

#include <algorithm>
#include <mutex>

using namespace Qt::StringLiterals;

namespace evs {

namespace {

bool isSecretKey(const QString& key)
{
    const QString k = key.toLower();
    return k == u"api_key"_s || k == u"apikey"_s || k == u"authorization"_s || k == u"x-api-key"_s || k == u"api-key"_s
        || k == u"password"_s || k == u"secret"_s || k == u"token"_s;
}

// Serialises with keys sorted at every level and no secrets, independently of QJsonObject's internal order.
void appendCanonical(QByteArray& out, const QJsonValue& v)
{
    if (v.isObject()) {
        const QJsonObject o = v.toObject();
        QStringList keys = o.keys();
        std::sort(keys.begin(), keys.end());
        out += '{';
        bool first = true;
        for (const QString& k : keys) {
            if (isSecretKey(k))
                continue;
            if (!first)
                out += ',';
            first = false;
            appendCanonical(out, QJsonValue(k));
            out += ':';
            appendCanonical(out, o.value(k));
        }
        out += '}';
    } else if (v.isArray()) {
        const QJsonArray a = v.toArray();
        out += '[';
        for (qsizetype i = 0; i < a.size(); ++i) {
            if (i > 0)
                out += ',';
            appendCanonical(out, a.at(i));
        }
        out += ']';
    } else {
        // Scalars as Qt writes them (shortest round-trip doubles, escaped strings).
        const QByteArray one = QJsonDocument(QJsonArray { v }).toJson(QJsonDocument::Compact);
        out += one.mid(1, one.size() - 2);
    }
}

QByteArray sha256Hex(const QByteArray& data)
{
    return QCryptographicHash::hash(data, QCryptographicHash::Sha256).toHex();
}

void diff(const QJsonValue& a, const QJsonValue& b, const QString& path, QStringList& out)
{
    if (a.isObject() && b.isObject()) {
        const QJsonObject oa = a.toObject();
        const QJsonObject ob = b.toObject();
        QStringList keys = oa.keys();
        for (const QString& k : ob.keys()) {
            if (!oa.contains(k))
                keys << k;
        }
        std::sort(keys.begin(), keys.end());
        for (const QString& k : keys) {
            const QString sub = path.isEmpty() ? k : path + u'.' + k;
            diff(oa.value(k), ob.value(k), sub, out);
        }
        return;
    }
    if (a.isArray() && b.isArray()) {
        const QJsonArray aa = a.toArray();
        const QJsonArray ab = b.toArray();
        if (aa.size() != ab.size()) {
            out << path + u" (length %1 vs %2)"_s.arg(aa.size()).arg(ab.size());
            return;
        }
        for (qsizetype i = 0; i < aa.size(); ++i)
            diff(aa.at(i), ab.at(i), path + u"[%1]"_s.arg(i), out);
        return;
    }
    if (a != b)
        out << (path.isEmpty() ? u"(root)"_s : path);
}

TokenSource tokenSourceFromName(const QString& s)
{
    if (s == u"usage"_s)
        return TokenSource::Usage;
    if (s == u"events"_s)
        return TokenSource::Events;
    return TokenSource::None;
}

constexpr const char* kEntryColumns = "key, content, reasoning, finish_reason, input_tokens, output_tokens, "
                                      "token_source, token_events, created_at, run_id";

CachedResponse readEntry(const SqliteStatement& s)
{
    CachedResponse r;
    r.key = s.utf8(0);
    r.content = s.text(1);
    r.reasoning = s.text(2);
    r.finishReason = s.text(3);
    r.inputTokens = s.isNull(4) ? -1 : s.int64(4);
    r.outputTokens = s.isNull(5) ? -1 : s.int64(5);
    r.tokenSource = tokenSourceFromName(s.text(6));
    r.tokenEvents = int(s.int64(7));
    r.createdAtS = s.int64(8);
    r.runId = s.isNull(9) ? 0 : s.int64(9);
    return r;
}

QString duration(qint64 s)
{
    if (s < 120)
        return u"%1 s"_s.arg(s);
    if (s < 7200)
        return u"%1 s (%2 min)"_s.arg(s).arg(s / 60);
    if (s < 2 * 86400)
        return u"%1 s (%2 h)"_s.arg(s).arg(QString::number(double(s) / 3600, 'f', 1));
    return u"%1 s (%2 days)"_s.arg(s).arg(QString::number(double(s) / 86400, 'f', 1));
}

} // namespace

struct ResponseCache::Private {
    mutable std::mutex mutex;
    SqliteConnection connection;
    sqlite3* db = nullptr; // connection.get()
    mutable SqliteStatement lookup;
};

ResponseCache::ResponseCache()
    : d(std::make_unique<Private>())
{
}

ResponseCache::~ResponseCache()
{
    close();
}

QJsonObject ResponseCache::canonicalRequest(const QString& provider, const QString& baseUrl, const QString& model,
    const QJsonValue& messages, const QJsonObject& params, int repeat)
{
    return QJsonObject { { u"provider"_s, provider }, { u"base_url"_s, baseUrl }, { u"model"_s, model },
        { u"messages"_s, messages }, { u"params"_s, params }, { u"repeat"_s, repeat } };
}

QByteArray ResponseCache::canonicalJson(const QJsonObject& canonicalRequest)
{
    QByteArray out;
    appendCanonical(out, canonicalRequest);
    return out;
}

QByteArray ResponseCache::requestKey(const QJsonObject& canonicalRequest)
{
    return sha256Hex(canonicalJson(canonicalRequest));
}

QByteArray ResponseCache::familyKey(const QJsonObject& canonicalRequest)
{
    QJsonObject identity;
    for (const QString& k : { u"provider"_s, u"base_url"_s, u"model"_s, u"messages"_s, u"prompt"_s }) {
        if (canonicalRequest.contains(k))
            identity.insert(k, canonicalRequest.value(k));
    }
    return sha256Hex(canonicalJson(identity));
}

QStringList ResponseCache::differingPaths(const QJsonValue& a, const QJsonValue& b)
{
    QStringList out;
    diff(a, b, QString(), out);
    return out;
}

std::optional<CacheEntry> ResponseCache::entryFor(
    const RequestRecord& r, const QJsonObject& canonicalRequest, qint64 nowUnixS, QString* whyNot)
{
    auto refuse = [&](const QString& why) -> std::optional<CacheEntry> {
        if (whyNot)
            *whyNot = why;
        return std::nullopt;
    };
    if (!r.ok())
        return refuse(u"the response is an error (%1): errors are never cached"_s.arg(errorClassName(r.errorClass)));
    if (r.httpStatus != 0 && (r.httpStatus < 200 || r.httpStatus > 299))
        return refuse(u"HTTP status %1 is not a success: not cached"_s.arg(r.httpStatus));
    if (r.cached)
        return refuse(u"the record was served from the cache: it is not stored again"_s);
    CacheEntry e;
    e.requestJson = canonicalJson(canonicalRequest);
    e.key = sha256Hex(e.requestJson);
    if (!r.cacheKey.isEmpty() && r.cacheKey != e.key)
        return refuse(u"the record's cache key does not match its canonical request"_s);
    e.family = familyKey(canonicalRequest);
    e.provider = canonicalRequest.value(u"provider"_s).toString();
    e.baseUrl = canonicalRequest.value(u"base_url"_s).toString();
    e.model = canonicalRequest.value(u"model"_s).toString();
    e.response.key = e.key;
    e.response.content = r.response;
    e.response.reasoning = r.reasoning;
    e.response.finishReason = r.finishReason;
    e.response.inputTokens = r.inputTokens;
    e.response.outputTokens = r.outputTokens;
    e.response.tokenSource = r.tokenSource;
    e.response.tokenEvents = r.tokenEvents;
    e.response.createdAtS = nowUnixS;
    e.response.runId = r.runId;
    return e;
}

bool ResponseCache::open(const QString& path, QString* error)
{
    close();
    {
        ResultsStore store; // creates and migrates, so a cache may be opened on any store
        if (!store.open(path, error))
            return false;
    }
    std::lock_guard lock(d->mutex);
    QString why;
    auto connection = SqliteConnection::open(path, SqliteConnection::Mode::QueryOnly, &why);
    if (!connection) {
        if (error)
            *error = u"results store %1: %2"_s.arg(path, why);
        return false;
    }
    d->connection = std::move(*connection);
    d->db = d->connection.get();
    const QByteArray sql = QByteArray("SELECT ") + kEntryColumns + " FROM response_cache WHERE key = ?";
    d->lookup = SqliteStatement(d->db, sql.constData());
    if (!d->lookup.isValid()) {
        if (error)
            *error = u"results store %1: %2"_s.arg(path, d->lookup.prepareError());
        d->lookup = {};
        d->connection.close();
        d->db = nullptr;
        return false;
    }
    return true;
}

void ResponseCache::close()
{
    std::lock_guard lock(d->mutex);
    d->lookup = {};
    d->connection.close();
    d->db = nullptr;
}

bool ResponseCache::isOpen() const
{
    std::lock_guard lock(d->mutex);
    return d->db != nullptr;
}

std::optional<CachedResponse> ResponseCache::lookup(const QByteArray& key, qint64 nowUnixS, qint64 ttlS) const
{
    std::lock_guard lock(d->mutex);
    if (!d->db || key.isEmpty())
        return std::nullopt;
    d->lookup.bindUtf8(1, key);
    std::optional<CachedResponse> out;
    if (d->lookup.step() == SQLITE_ROW) {
        CachedResponse r = readEntry(d->lookup);
        if (ttlS <= 0 || nowUnixS - r.createdAtS <= ttlS)
            out = std::move(r);
    }
    d->lookup.reset();
    return out;
}

CacheStats ResponseCache::stats(qint64 nowUnixS, qint64 ttlS) const
{
    std::lock_guard lock(d->mutex);
    CacheStats st;
    if (!d->db)
        return st;
    SqliteStatement s(d->db,
        "SELECT COUNT(*), TOTAL(LENGTH(CAST(request_json AS BLOB)) + IFNULL(LENGTH(CAST(content AS BLOB)), 0) "
        "+ IFNULL(LENGTH(CAST(reasoning AS BLOB)), 0)), IFNULL(MIN(created_at), 0), IFNULL(MAX(created_at), 0), "
        "TOTAL(CASE WHEN ?1 > 0 AND ?2 - created_at > ?1 THEN 1 END) FROM response_cache");
    s.bindInt(1, ttlS);
    s.bindInt(2, nowUnixS);
    if (s.step() == SQLITE_ROW) {
        st.entries = s.int64(0);
        st.bytes = qint64(s.real(1));
        st.oldestS = s.int64(2);
        st.newestS = s.int64(3);
        st.expired = qint64(s.real(4));
    }
    return st;
}

QVector<RunCacheCounts> ResponseCache::recentRuns(int count) const
{
    std::lock_guard lock(d->mutex);
    QVector<RunCacheCounts> out;
    if (!d->db)
        return out;
    // Newest runs first, one index range per run: no scan of the whole results table.
    SqliteStatement runs(d->db, "SELECT id, name FROM runs ORDER BY id DESC");
    SqliteStatement counts(d->db,
        "SELECT TOTAL(cached), TOTAL(CASE WHEN cached = 0 AND cache_key IS NOT NULL THEN 1 END) FROM results "
        "WHERE run_id = ?");
    while (out.size() < count && runs.step() == SQLITE_ROW) {
        counts.bindInt(1, runs.int64(0));
        if (counts.step() == SQLITE_ROW && counts.real(0) + counts.real(1) > 0)
            out.push_back({ runs.int64(0), runs.text(1), qint64(counts.real(0)), qint64(counts.real(1)) });
        counts.reset();
    }
    return out;
}

QVector<CacheLookupRecord> ResponseCache::recordsOfSample(qint64 runId, const QString& sample) const
{
    std::lock_guard lock(d->mutex);
    QVector<CacheLookupRecord> out;
    if (!d->db)
        return out;
    bool numeric = false;
    const qint64 index = sample.toLongLong(&numeric);
    SqliteStatement s(d->db,
        "SELECT model_idx, benchmark_idx, sample_idx, sample_id, repeat, error_class IS NULL, cached, cache_key "
        "FROM results WHERE run_id = ?1 AND (sample_id = ?2 OR (?3 AND sample_idx = ?4)) "
        "ORDER BY model_idx, benchmark_idx, sample_idx, repeat");
    s.bindInt(1, runId);
    s.bindText(2, sample);
    s.bindInt(3, numeric ? 1 : 0);
    s.bindInt(4, numeric ? index : -1);
    while (s.step() == SQLITE_ROW) {
        out.push_back({ int(s.int64(0)), int(s.int64(1)), s.int64(2), s.text(3), int(s.int64(4)), s.int64(5) != 0,
            s.int64(6) != 0, s.utf8(7) });
    }
    return out;
}

std::optional<qint64> ResponseCache::clear(ResultsStore& store, qint64 nowUnixS, qint64 olderThanS, QString* error)
{
    sqlite3* db = store.connection().get();
    if (!db) {
        if (error)
            *error = u"results store %1: not open"_s.arg(store.path());
        return std::nullopt;
    }
    SqliteStatement s(
        db, olderThanS > 0 ? "DELETE FROM response_cache WHERE created_at < ?" : "DELETE FROM response_cache");
    if (olderThanS > 0)
        s.bindInt(1, nowUnixS - olderThanS);
    if (s.step() != SQLITE_DONE) {
        if (error)
            *error = u"results store %1: %2 while clearing the response cache"_s.arg(
                store.path(), SqliteStatement::errorMessage(db));
        return std::nullopt;
    }
    return store.connection().changes();
}

CacheExplanation ResponseCache::explain(
    qint64 runId, bool cached, const QByteArray& key, bool recordOk, qint64 runStartS, qint64 ttlS) const
{
    using Outcome = CacheExplanation::Outcome;
    CacheExplanation e;
    if (key.isEmpty()) {
        e.outcome = Outcome::Off;
        e.text = u"the cache was off for this request"_s;
        return e;
    }
    std::lock_guard lock(d->mutex);
    if (!d->db) {
        e.text = u"the response cache is not open"_s;
        return e;
    }
    SqliteStatement s(d->db,
        "SELECT created_at, run_id, replaced_created_at, family, request_json FROM response_cache WHERE key = ?");
    s.bindUtf8(1, key);
    const bool present = s.step() == SQLITE_ROW;
    const qint64 createdAt = present ? s.int64(0) : 0;
    const qint64 entryRun = present && !s.isNull(1) ? s.int64(1) : 0;
    const std::optional<qint64> replaced = present && !s.isNull(2) ? std::optional(s.int64(2)) : std::nullopt;
    const QByteArray family = present ? s.utf8(3) : QByteArray();
    const QByteArray requestJson = present ? s.utf8(4) : QByteArray();
    const QString ttlText = ttlS > 0 ? duration(ttlS) : u"none"_s;

    if (cached) {
        e.outcome = Outcome::Hit;
        e.text = present && entryRun != runId
            ? u"hit: served from the entry stored by run %1, %2 old at the run's start (TTL %3)"_s.arg(entryRun).arg(
                duration(std::max<qint64>(0, runStartS - createdAt)), ttlText)
            : u"hit: served from the cache (that entry has since been replaced or cleared)"_s;
        return e;
    }
    if (!present) {
        e.outcome = recordOk ? Outcome::MissNoEntry : Outcome::MissNotCachedError;
        e.text = recordOk ? u"miss: no entry for this key (nothing stored under it now either: cleared since?)"_s
                          : u"miss: no entry for this key; the response was an error, and errors are never cached"_s;
        return e;
    }
    if (entryRun != runId) {
        if (createdAt > runStartS) {
            e.outcome = Outcome::MissNoEntry;
            e.text = u"miss: no entry for this key at lookup; the entry present now was stored later by run %1"_s.arg(
                entryRun);
        } else {
            e.outcome = Outcome::MissExpired;
            e.text = u"miss: an entry existed but had expired: %1 old at the run's start, TTL %2"_s.arg(
                duration(runStartS - createdAt), ttlText);
        }
        return e;
    }
    // The entry was stored by this run after the miss: what was there before?
    if (replaced) {
        e.outcome = Outcome::MissExpired;
        e.text = u"miss: an entry existed but had expired: %1 old at lookup, TTL %2 (this run replaced it)"_s.arg(
            duration(std::max<qint64>(0, createdAt - *replaced)), ttlText);
        return e;
    }
    SqliteStatement near(d->db,
        "SELECT key, request_json, created_at, run_id FROM response_cache WHERE family = ? AND key <> ? "
        "AND created_at <= ? ORDER BY created_at DESC LIMIT 1");
    near.bindUtf8(1, family);
    near.bindUtf8(2, key);
    near.bindInt(3, createdAt);
    if (near.step() == SQLITE_ROW) {
        const QJsonValue mine = QJsonDocument::fromJson(requestJson).object();
        const QJsonValue theirs = QJsonDocument::fromJson(near.utf8(1)).object();
        e.outcome = Outcome::MissParametersDiffer;
        e.differingPaths = differingPaths(mine, theirs);
        e.text = u"miss: an entry for the same provider, base URL, model and messages exists (stored by run %1) but "
                 "differs in: %2"_s.arg(near.isNull(3) ? 0 : near.int64(3))
                     .arg(e.differingPaths.join(u", "_s));
        return e;
    }
    e.outcome = Outcome::MissNoEntry;
    e.text = u"miss: no entry for this key, nor for the same provider, base URL, model and messages"_s;
    return e;
}

} // namespace evs
