#include "models/store/resultsquery.h"

#include "models/store/resultsstore.h"
#include "models/store/sqliteconnection.h"
#include "models/store/sqlitestatement.h"
#include "models/store/storesql.h"

#include <QElapsedTimer>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <sqlite3.h>

using namespace Qt::StringLiterals;

namespace evs {

namespace {

// The table's short columns; the sort key's expressions follow them in every page query.
constexpr auto kRowColumnsSql = storesql::sql("id, model_idx, benchmark_idx, sample_idx, repeat, sample_id, category, "
                                              "error_class, http_status, attempts, score, score_error, ",
    storesql::kLatencyNs, ", ", storesql::kTtftNs,
    ", output_tokens, cached, substr(response, 1, 200), substr(expected, 1, 200)");
constexpr const char* kRowColumns = kRowColumnsSql.c_str();
constexpr int kRowColumnCount = 18;

// A WHERE clause with its parameters, bound in order.
struct Where {
    QString sql;
    QVariantList binds;
    void add(const QString& condition, const QVariantList& values = {})
    {
        sql += (sql.isEmpty() ? u""_s : u" AND "_s) + condition;
        binds += values;
    }
};

QString likePattern(const QString& text)
{
    QString escaped = text;
    escaped.replace(u'\\', u"\\\\"_s).replace(u'%', u"\\%"_s).replace(u'_', u"\\_"_s);
    return u'%' + escaped + u'%';
}

constexpr const char* kTextMatch = "(response LIKE ? ESCAPE '\\' OR expected LIKE ? ESCAPE '\\')";

Where filterWhere(qint64 runId, const ResultsFilter& f, bool withText)
{
    Where w;
    w.add(u"run_id = ?"_s, { runId });
    if (f.failedOnly)
        w.add(u"error_class IS NOT NULL"_s);
    if (f.wrongOnly)
        w.add(u"score < 1"_s);
    if (f.modelIndex >= 0)
        w.add(u"model_idx = ?"_s, { f.modelIndex });
    if (f.benchmarkIndex >= 0)
        w.add(u"benchmark_idx = ?"_s, { f.benchmarkIndex });
    if (!f.category.isEmpty())
        w.add(u"category = ?"_s, { f.category });
    if (withText && !f.text.isEmpty()) {
        const QString p = likePattern(f.text);
        w.add(QString::fromLatin1(kTextMatch), { p, p });
    }
    return w;
}

// Binds QVariants by their type; unlike SqliteStatement::bindText an empty string stays an empty string (the
// status key of a successful row is '').
void bindAll(SqliteStatement& s, const QVariantList& values, int first = 1)
{
    int i = first;
    for (const QVariant& v : values) {
        switch (v.typeId()) {
        case QMetaType::Double:
            sqlite3_bind_double(s.get(), i, v.toDouble());
            break;
        case QMetaType::QString: {
            const QByteArray u = v.toString().toUtf8();
            sqlite3_bind_text(s.get(), i, u.constData(), int(u.size()), SQLITE_TRANSIENT);
            break;
        }
        case QMetaType::UnknownType:
            sqlite3_bind_null(s.get(), i);
            break;
        default:
            sqlite3_bind_int64(s.get(), i, v.toLongLong());
        }
        ++i;
    }
}

QVariant columnValue(const SqliteStatement& s, int col)
{
    switch (sqlite3_column_type(s.get(), col)) {
    case SQLITE_INTEGER:
        return s.int64(col);
    case SQLITE_FLOAT:
        return s.real(col);
    case SQLITE_NULL:
        return {};
    default: {
        const QString t = s.text(col);
        return t.isNull() ? QString(u""_s) : t;
    }
    }
}

qint64 intOr(const SqliteStatement& s, int col, qint64 fallback = -1)
{
    return s.isNull(col) ? fallback : s.int64(col);
}

ResultRow readRow(const SqliteStatement& s, int keyCount)
{
    ResultRow r;
    r.id = s.int64(0);
    r.modelIndex = int(s.int64(1));
    r.benchmarkIndex = int(s.int64(2));
    r.sampleIndex = s.int64(3);
    r.repeat = int(s.int64(4));
    r.sampleId = s.text(5);
    r.category = s.text(6);
    r.errorClass = s.text(7);
    r.httpStatus = int(s.int64(8));
    r.attempts = int(s.int64(9));
    r.score = s.isNull(10) ? qQNaN() : s.real(10);
    r.scoreError = s.int64(11) != 0;
    r.latencyNs = intOr(s, 12);
    r.ttftNs = intOr(s, 13);
    r.outputTokens = intOr(s, 14);
    r.cached = s.int64(15) != 0;
    r.responsePreview = s.text(16);
    r.expectedPreview = s.text(17);
    r.key.id = r.id;
    for (int k = 0; k < keyCount; ++k)
        r.key.values.append(columnValue(s, kRowColumnCount + k));
    return r;
}

QString joined(const QStringList& exprs, const QString& suffix)
{
    QStringList parts;
    for (const QString& e : exprs)
        parts.append(e + suffix);
    return parts.join(u", "_s);
}

QString placeholders(int n)
{
    QStringList q;
    for (int i = 0; i < n; ++i)
        q.append(u"?"_s);
    return q.join(u", "_s);
}

} // namespace

struct ResultsQuery::Private {
    SqliteConnection connection;
    sqlite3* db = nullptr; // connection.get()
    QString path;

    bool fail(QString* error, const QString& what) const
    {
        if (error)
            *error = u"results store %1: %2"_s.arg(path, what);
        return false;
    }
    bool failSql(QString* error, const QString& doing) const
    {
        return fail(error, u"%1 while %2"_s.arg(db ? SqliteStatement::errorMessage(db) : u"not open"_s, doing));
    }
    // Runs a page query and appends its rows; false on an SQL error.
    bool collect(
        const QString& sql, const QVariantList& binds, int keyCount, QVector<ResultRow>& out, QString* error) const
    {
        SqliteStatement s(db, sql.toUtf8().constData());
        if (!s.isValid())
            return fail(error, s.prepareError());
        bindAll(s, binds);
        int rc;
        while ((rc = s.step()) == SQLITE_ROW)
            out.append(readRow(s, keyCount));
        if (rc != SQLITE_DONE)
            return failSql(error, u"reading a page of results"_s);
        return true;
    }
};

ResultsQuery::ResultsQuery()
    : d(std::make_unique<Private>())
{
}

ResultsQuery::~ResultsQuery()
{
    close();
}

bool ResultsQuery::open(const QString& path, QString* error)
{
    close();
    d->path = path;
    QString why;
    auto connection = SqliteConnection::open(path, SqliteConnection::Mode::ReadOnly, &why);
    if (!connection)
        return d->fail(error, why);
    d->connection = std::move(*connection);
    d->db = d->connection.get();
    SqliteStatement s(d->db, "SELECT COUNT(*) FROM results WHERE 0");
    if (!s.isValid() || s.step() != SQLITE_ROW) {
        const QString msg = s.isValid() ? SqliteStatement::errorMessage(d->db) : s.prepareError();
        close();
        return d->fail(error, u"not a results store (%1)"_s.arg(msg));
    }
    return true;
}

void ResultsQuery::close()
{
    d->connection.close();
    d->db = nullptr;
}

bool ResultsQuery::isOpen() const
{
    return d->db != nullptr;
}

QString ResultsQuery::path() const
{
    return d->path;
}

QStringList ResultsQuery::keyExpressions(ResultsSortKey key, bool* unique)
{
    const bool composite = key == ResultsSortKey::Sample || key == ResultsSortKey::Benchmark;
    if (unique)
        *unique = composite;
    switch (key) {
    case ResultsSortKey::Sample:
        return { u"model_idx"_s, u"benchmark_idx"_s, u"sample_idx"_s, u"repeat"_s };
    case ResultsSortKey::Benchmark:
        return { u"benchmark_idx"_s, u"model_idx"_s, u"sample_idx"_s, u"repeat"_s };
    // One value each: the expression of its index (migration 3), so that the seek uses it.
    case ResultsSortKey::Status:
        return { QString::fromLatin1(storesql::kStatusKey.c_str()) };
    case ResultsSortKey::Score:
        return { QString::fromLatin1(storesql::kScoreKey.c_str()) };
    case ResultsSortKey::Latency:
        return { QString::fromLatin1(storesql::kLatencyKey.c_str()) };
    case ResultsSortKey::Ttft:
        return { QString::fromLatin1(storesql::kTtftKey.c_str()) };
    }
    return {};
}

RunFacets ResultsQuery::facets(qint64 runId, QString* error) const
{
    RunFacets f;
    if (!d->db) {
        d->fail(error, u"not open"_s);
        return f;
    }
    {
        SqliteStatement s(d->db, "SELECT plan_json, summary_json FROM runs WHERE id = ?");
        s.bindInt(1, runId);
        if (s.step() == SQLITE_ROW) {
            const QJsonObject plan = QJsonDocument::fromJson(s.utf8(0)).object();
            for (const auto& m : plan.value(u"models"_s).toArray())
                f.models.append(m.toObject().value(u"id"_s).toString());
            for (const auto& b : plan.value(u"benchmarks"_s).toArray())
                f.benchmarks.append(b.toObject().value(u"id"_s).toString());
            // A summary lists the categories of every pair that has two or more.
            const QJsonObject summary = QJsonDocument::fromJson(s.utf8(1)).object();
            QStringList names;
            for (const auto& pair : summary.value(u"pairs"_s).toArray()) {
                for (const auto& c : pair.toObject().value(u"categories"_s).toArray()) {
                    const QString name = c.toObject().value(u"category"_s).toString();
                    if (!name.isEmpty() && name != u"(none)"_s && !names.contains(name))
                        names.append(name);
                }
            }
            names.sort();
            f.categories = names;
            f.categoriesKnown = !names.isEmpty();
        }
    }
    f.total = count(runId, {}, error);
    return f;
}

QStringList ResultsQuery::categories(qint64 runId, const std::function<bool()>& keepGoing) const
{
    QStringList out;
    if (!d->db)
        return out;
    // The scan happens inside one step: SQLite's progress handler is where it can be stopped.
    struct Handler {
        sqlite3* db;
        Handler(sqlite3* db, const std::function<bool()>* f)
            : db(db)
        {
            if (*f) {
                sqlite3_progress_handler(
                    db, 10000, [](void* p) { return (*static_cast<const std::function<bool()>*>(p))() ? 0 : 1; },
                    const_cast<std::function<bool()>*>(f));
            }
        }
        ~Handler() { sqlite3_progress_handler(db, 0, nullptr, nullptr); }
    } handler(d->db, &keepGoing);
    SqliteStatement s(d->db,
        "SELECT DISTINCT category FROM results WHERE run_id = ? AND category IS NOT NULL ORDER BY category LIMIT ?");
    s.bindInt(1, runId);
    s.bindInt(2, RunFacets::kMaxCategories);
    while (s.step() == SQLITE_ROW)
        out.append(s.text(0));
    return out;
}

qint64 ResultsQuery::count(qint64 runId, const ResultsFilter& filter, QString* error) const
{
    if (!d->db) {
        d->fail(error, u"not open"_s);
        return -1;
    }
    const Where w = filterWhere(runId, filter, true);
    SqliteStatement s(d->db, (u"SELECT COUNT(*) FROM results WHERE "_s + w.sql).toUtf8().constData());
    if (!s.isValid()) {
        d->fail(error, s.prepareError());
        return -1;
    }
    bindAll(s, w.binds);
    if (s.step() != SQLITE_ROW) {
        d->failSql(error, u"counting results"_s);
        return -1;
    }
    return s.int64(0);
}

QVector<ResultRow> ResultsQuery::page(qint64 runId, const ResultsFilter& filter, const ResultsSort& sort,
    const std::optional<RowKey>& from, bool inclusive, int limit, QString* error) const
{
    QVector<ResultRow> out;
    if (!d->db) {
        d->fail(error, u"not open"_s);
        return out;
    }
    if (limit <= 0)
        return out;
    bool unique = false;
    const QStringList keys = keyExpressions(sort.key, &unique);
    const QString dir = sort.descending ? u" DESC"_s : u" ASC"_s;
    const QString select
        = u"SELECT "_s + QString::fromLatin1(kRowColumns) + u", "_s + keys.join(u", "_s) + u" FROM results WHERE "_s;
    const QString fullOrder = u" ORDER BY "_s + joined(keys, dir) + (unique ? u""_s : u", id"_s + dir);
    const Where w = filterWhere(runId, filter, true);

    if (!from) {
        d->collect(
            select + w.sql + fullOrder + u" LIMIT ?"_s, w.binds + QVariantList { limit }, int(keys.size()), out, error);
        return out;
    }
    const QString after = sort.descending ? u"<"_s : u">"_s;
    const QString cmp = after + (inclusive ? u"="_s : u""_s);
    if (unique) {
        // The key has no ties: one row-value seek on the index.
        const QString seek
            = u" AND ("_s + keys.join(u", "_s) + u") "_s + cmp + u" ("_s + placeholders(int(keys.size())) + u")"_s;
        d->collect(select + w.sql + seek + fullOrder + u" LIMIT ?"_s, w.binds + from->values + QVariantList { limit },
            int(keys.size()), out, error);
        return out;
    }
    // One value with ties broken by the rowid. SQLite does not seek an index on (expr, rowid) > (?, ?), so this is two
    // seeks: the rest of the tie group (equality on the key, a rowid range), then the keys beyond it.
    const QString& k = keys.first();
    const QVariant keyValue = from->values.value(0);
    if (!d->collect(
            select + w.sql + u" AND "_s + k + u" = ? AND id "_s + cmp + u" ? ORDER BY id"_s + dir + u" LIMIT ?"_s,
            w.binds + QVariantList { keyValue, from->id, limit }, 1, out, error))
        return out;
    if (out.size() < limit) {
        d->collect(select + w.sql + u" AND "_s + k + u" "_s + after + u" ?"_s + fullOrder + u" LIMIT ?"_s,
            w.binds + QVariantList { keyValue, limit - int(out.size()) }, 1, out, error);
    }
    return out;
}

std::optional<ResultsIndex> ResultsQuery::buildIndex(qint64 runId, const ResultsFilter& filter, const ResultsSort& sort,
    int stride, const std::function<bool(qint64 examined, qint64 total)>& progress, QString* error) const
{
    if (!d->db) {
        d->fail(error, u"not open"_s);
        return std::nullopt;
    }
    if (error)
        error->clear();
    bool unique = false;
    const QStringList keys = keyExpressions(sort.key, &unique);
    const QString dir = sort.descending ? u" DESC"_s : u" ASC"_s;
    const bool text = !filter.text.isEmpty();
    // With a text filter every row is returned with a match flag, so that progress counts rows examined and a
    // cancel is seen even while nothing matches.
    const Where w = filterWhere(runId, filter, false);
    qint64 total = -1;
    if (text) {
        ResultsFilter noText = filter;
        noText.text.clear();
        total = count(runId, noText, error);
        if (total < 0)
            return std::nullopt;
    }
    QString sql = u"SELECT "_s + keys.join(u", "_s) + u", id"_s;
    QVariantList binds;
    if (text) {
        sql += u", "_s + QString::fromLatin1(kTextMatch);
        const QString p = likePattern(filter.text);
        binds = { p, p };
    }
    sql += u" FROM results WHERE "_s + w.sql + u" ORDER BY "_s + joined(keys, dir) + (unique ? u""_s : u", id"_s + dir);
    binds += w.binds;

    SqliteStatement s(d->db, sql.toUtf8().constData());
    if (!s.isValid()) {
        d->fail(error, s.prepareError());
        return std::nullopt;
    }
    bindAll(s, binds);
    ResultsIndex index;
    index.stride = qMax(1, stride);
    const int keyCount = int(keys.size());
    qint64 examined = 0;
    QElapsedTimer sinceProgress;
    sinceProgress.start();
    int rc;
    while ((rc = s.step()) == SQLITE_ROW) {
        ++examined;
        if (!text || s.int64(keyCount + 1) != 0) {
            if (index.count % index.stride == 0) {
                RowKey k;
                k.id = s.int64(keyCount);
                for (int i = 0; i < keyCount; ++i)
                    k.values.append(columnValue(s, i));
                index.anchors.append(std::move(k));
            }
            ++index.count;
        }
        if ((examined & 4095) == 0 && progress && sinceProgress.elapsed() >= 50) {
            sinceProgress.restart();
            if (!progress(examined, total))
                return std::nullopt;
        }
    }
    if (rc != SQLITE_DONE) {
        d->failSql(error, u"indexing the results of run %1"_s.arg(runId));
        return std::nullopt;
    }
    if (progress && !progress(examined, total < 0 ? examined : total))
        return std::nullopt;
    return index;
}

std::optional<ResultDetail> ResultsQuery::detail(qint64 resultId, QString* error) const
{
    if (!d->db) {
        d->fail(error, u"not open"_s);
        return std::nullopt;
    }
    const QString sql = u"SELECT "_s + QString::fromLatin1(kRowColumns)
        + u", (SELECT body FROM texts WHERE hash = prompt_hash), response, reasoning, expected, finish_reason, "
          "score_explanation, judge_prompt, judge_response, error_message, token_source, input_tokens, token_events, "
          "t_sched, t_send, t_wire, t_headers, t_first_token, t_first_content, t_last_token, t_end "
          "FROM results WHERE id = ?"_s;
    SqliteStatement s(d->db, sql.toUtf8().constData());
    if (!s.isValid()) {
        d->fail(error, s.prepareError());
        return std::nullopt;
    }
    s.bindInt(1, resultId);
    const int rc = s.step();
    if (rc != SQLITE_ROW) {
        if (rc == SQLITE_DONE)
            d->fail(error, u"no result %1"_s.arg(resultId));
        else
            d->failSql(error, u"reading result %1"_s.arg(resultId));
        return std::nullopt;
    }
    ResultDetail r;
    r.row = readRow(s, 0);
    int c = kRowColumnCount;
    r.prompt = s.text(c++);
    r.response = s.text(c++);
    r.reasoning = s.text(c++);
    r.expected = s.text(c++);
    r.finishReason = s.text(c++);
    r.scoreExplanation = s.text(c++);
    r.judgePrompt = s.text(c++);
    r.judgeResponse = s.text(c++);
    r.errorMessage = s.text(c++);
    r.tokenSource = s.text(c++);
    r.inputTokens = intOr(s, c++);
    r.tokenEvents = int(intOr(s, c++, 0));
    for (qint64* t :
        { &r.tSched, &r.tSend, &r.tWire, &r.tHeaders, &r.tFirstToken, &r.tFirstContent, &r.tLastToken, &r.tEnd })
        *t = intOr(s, c++);

    SqliteStatement a(d->db,
        "SELECT attempt, error_class, http_status, t_send, t_end, error_message FROM attempts WHERE result_id = ? "
        "ORDER BY attempt");
    a.bindInt(1, resultId);
    while (a.step() == SQLITE_ROW) {
        AttemptInfo info;
        info.attempt = int(a.int64(0));
        info.errorClass = a.text(1);
        info.httpStatus = int(a.int64(2));
        info.sendNs = intOr(a, 3);
        info.endNs = intOr(a, 4);
        info.errorMessage = a.text(5);
        r.attempts.append(info);
    }
    AttemptInfo last;
    last.attempt = r.row.attempts;
    last.errorClass = r.row.errorClass;
    last.httpStatus = r.row.httpStatus;
    last.sendNs = r.tSend;
    last.endNs = r.tEnd;
    last.errorMessage = r.errorMessage;
    last.final = true;
    r.attempts.append(last);
    return r;
}

} // namespace evs
