#include "models/store/resultsstore.h"

#include "models/store/sqliteconnection.h"
#include "models/store/sqlitestatement.h"
#include "models/store/storesql.h"

#include <QCryptographicHash>
#include <QDir>
#include <QFileInfo>
#include <QJsonDocument>
#include <QStandardPaths>

#include <spdlog/spdlog.h>
#include <sqlite3.h>

#include <mutex>
#include <vector>

using namespace Qt::StringLiterals;

namespace evs {

namespace {

// Migration N brings a store from user_version N-1 to N. Append new ones; never edit a released one.
constexpr const char* kMigration1 = R"sql(
CREATE TABLE runs (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    name TEXT NOT NULL,
    status TEXT NOT NULL,
    started_at INTEGER NOT NULL,
    finished_at INTEGER,
    plan_json TEXT NOT NULL,
    plan_hash TEXT NOT NULL,
    seed INTEGER NOT NULL,
    app_version TEXT NOT NULL,
    planned_samples INTEGER NOT NULL DEFAULT -1,
    summary_json TEXT
);
CREATE TABLE texts (
    hash INTEGER PRIMARY KEY,
    body TEXT NOT NULL
);
CREATE TABLE results (
    id INTEGER PRIMARY KEY,
    run_id INTEGER NOT NULL,
    model_idx INTEGER NOT NULL,
    benchmark_idx INTEGER NOT NULL,
    sample_idx INTEGER NOT NULL,
    repeat INTEGER NOT NULL,
    sample_id TEXT,
    category TEXT,
    attempts INTEGER NOT NULL,
    error_class TEXT,
    http_status INTEGER NOT NULL,
    error_message TEXT,
    t_sched INTEGER,
    t_send INTEGER,
    t_wire INTEGER,
    t_headers INTEGER,
    t_first_token INTEGER,
    t_first_content INTEGER,
    t_last_token INTEGER,
    t_end INTEGER,
    input_tokens INTEGER,
    output_tokens INTEGER,
    token_source TEXT,
    token_events INTEGER NOT NULL,
    prompt_hash INTEGER,
    response TEXT,
    reasoning TEXT,
    finish_reason TEXT,
    expected TEXT,
    score REAL,
    score_explanation TEXT,
    cached INTEGER NOT NULL
);
CREATE UNIQUE INDEX results_key ON results (run_id, model_idx, benchmark_idx, sample_idx, repeat);
CREATE INDEX results_model_time ON results (run_id, model_idx, t_send);
CREATE INDEX results_benchmark_score ON results (run_id, benchmark_idx, score);
CREATE TABLE attempts (
    id INTEGER PRIMARY KEY,
    result_id INTEGER NOT NULL,
    run_id INTEGER NOT NULL,
    model_idx INTEGER NOT NULL,
    benchmark_idx INTEGER NOT NULL,
    attempt INTEGER NOT NULL,
    error_class TEXT,
    http_status INTEGER NOT NULL,
    t_send INTEGER,
    t_end INTEGER,
    error_message TEXT
);
CREATE INDEX attempts_result ON attempts (result_id);
CREATE INDEX attempts_pair ON attempts (run_id, model_idx, benchmark_idx);
)sql";

// Judge and cache fields on results; the response cache; re-scorings (scoring 0 is the results' own columns).
constexpr const char* kMigration2 = R"sql(
ALTER TABLE results ADD COLUMN score_error INTEGER NOT NULL DEFAULT 0;
ALTER TABLE results ADD COLUMN judge_prompt TEXT;
ALTER TABLE results ADD COLUMN judge_response TEXT;
ALTER TABLE results ADD COLUMN cache_key TEXT;
CREATE TABLE response_cache (
    key TEXT PRIMARY KEY,
    family TEXT NOT NULL,
    request_json TEXT NOT NULL,
    provider TEXT NOT NULL,
    base_url TEXT NOT NULL,
    model TEXT NOT NULL,
    content TEXT,
    reasoning TEXT,
    finish_reason TEXT,
    input_tokens INTEGER,
    output_tokens INTEGER,
    token_source TEXT,
    token_events INTEGER NOT NULL DEFAULT 0,
    created_at INTEGER NOT NULL,
    replaced_created_at INTEGER,
    run_id INTEGER
);
CREATE INDEX response_cache_family ON response_cache (family, created_at);
CREATE INDEX response_cache_created ON response_cache (created_at);
CREATE TABLE scorings (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    run_id INTEGER NOT NULL,
    created_at INTEGER NOT NULL,
    scorer_json TEXT NOT NULL,
    label TEXT,
    benchmark_idx INTEGER,
    summary_json TEXT
);
CREATE INDEX scorings_run ON scorings (run_id);
CREATE TABLE scoring_results (
    scoring_id INTEGER NOT NULL,
    result_id INTEGER NOT NULL,
    score REAL,
    score_error INTEGER NOT NULL DEFAULT 0,
    explanation TEXT,
    PRIMARY KEY (scoring_id, result_id)
) WITHOUT ROWID;
)sql";

// "CREATE INDEX name ON results (run_id, expression);" for one of the browser's sort keys.
template<std::size_t N, std::size_t M>
consteval auto browseIndex(const storesql::Text<N>& name, const storesql::Text<M>& expression)
{
    return storesql::sql("CREATE INDEX ", name, " ON results (run_id, ", expression, ");\n");
}

// Indexes for the results browser's sort orders. Keyset pages seek on these exact expressions, so both this migration
// and the queries take them from storesql.h (the text is the one this migration has always had).
constexpr auto kMigration3 = storesql::sql("\nCREATE INDEX ", storesql::kBrowseBenchmarkIndex,
    " ON results (run_id, benchmark_idx, model_idx, sample_idx, repeat);\n",
    browseIndex(storesql::kBrowseStatusIndex, storesql::kStatusKey),
    browseIndex(storesql::kBrowseScoreIndex, storesql::kScoreKey),
    browseIndex(storesql::kBrowseLatencyIndex, storesql::kLatencyKey),
    browseIndex(storesql::kBrowseTtftIndex, storesql::kTtftKey));

std::mutex g_migrationsMutex;
std::vector<QByteArray> g_testMigrations;
int g_migrationLimit = 0;

std::vector<QByteArray> migrations()
{
    std::vector<QByteArray> all { QByteArray(kMigration1), QByteArray(kMigration2), QByteArray(kMigration3.c_str()) };
    std::lock_guard lock(g_migrationsMutex);
    if (g_migrationLimit > 0 && size_t(g_migrationLimit) < all.size())
        all.resize(size_t(g_migrationLimit));
    all.insert(all.end(), g_testMigrations.begin(), g_testMigrations.end());
    return all;
}

QDateTime fromMs(const SqliteStatement& s, int col)
{
    return s.isNull(col) ? QDateTime() : QDateTime::fromMSecsSinceEpoch(s.int64(col), Qt::UTC);
}

constexpr const char* kRunColumns
    = "id, name, status, started_at, finished_at, plan_json, plan_hash, seed, app_version, "
      "planned_samples, summary_json, "
      "(SELECT COUNT(*) FROM results r WHERE r.run_id = runs.id)";

RunInfo readRun(const SqliteStatement& s)
{
    RunInfo r;
    r.id = s.int64(0);
    r.name = s.text(1);
    r.status = runStatusFromName(s.text(2)).value_or(RunStatus::Failed);
    r.startedAt = fromMs(s, 3);
    r.finishedAt = fromMs(s, 4);
    r.planJson = s.utf8(5);
    r.planHash = s.text(6);
    r.seed = quint64(s.int64(7));
    r.appVersion = s.text(8);
    r.plannedSamples = s.int64(9);
    if (!s.isNull(10))
        r.summary = QJsonDocument::fromJson(s.utf8(10)).object();
    r.storedRecords = s.int64(11);
    return r;
}

} // namespace

QString runStatusName(RunStatus s)
{
    switch (s) {
    case RunStatus::Running:
        return u"running"_s;
    case RunStatus::Completed:
        return u"completed"_s;
    case RunStatus::Interrupted:
        return u"interrupted"_s;
    case RunStatus::Failed:
        return u"failed"_s;
    }
    return {};
}

std::optional<RunStatus> runStatusFromName(QStringView name)
{
    for (auto s : { RunStatus::Running, RunStatus::Completed, RunStatus::Interrupted, RunStatus::Failed }) {
        if (name == runStatusName(s))
            return s;
    }
    return std::nullopt;
}

struct ResultsStore::Private {
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
        return fail(error, u"%1 while %2"_s.arg(SqliteStatement::errorMessage(db), doing));
    }
    bool migrate(int from, QString* error);
};

ResultsStore::ResultsStore()
    : d(std::make_unique<Private>())
{
}

ResultsStore::~ResultsStore()
{
    close();
}

QString ResultsStore::defaultPath()
{
    const QString env = qEnvironmentVariable("EVALSANDBOX_DB");
    if (!env.isEmpty())
        return env;
    const QString dir = QStandardPaths::writableLocation(QStandardPaths::AppDataLocation);
    QDir().mkpath(dir);
    return dir + u"/results.sqlite"_s;
}

int ResultsStore::schemaVersion()
{
    return int(migrations().size());
}

void ResultsStore::appendMigrationForTesting(const QByteArray& sql)
{
    std::lock_guard lock(g_migrationsMutex);
    g_testMigrations.push_back(sql);
}

void ResultsStore::clearMigrationsForTesting()
{
    std::lock_guard lock(g_migrationsMutex);
    g_testMigrations.clear();
    g_migrationLimit = 0;
}

void ResultsStore::limitMigrationsForTesting(int version)
{
    std::lock_guard lock(g_migrationsMutex);
    g_migrationLimit = version;
}

quint64 ResultsStore::textHash(QStringView text)
{
    quint64 h = 14695981039346656037ull;
    for (const QChar c : text) {
        const char16_t u = c.unicode();
        h = (h ^ (u & 0xff)) * 1099511628211ull;
        h = (h ^ (u >> 8)) * 1099511628211ull;
    }
    return h;
}

bool ResultsStore::open(const QString& path, QString* error)
{
    close();
    d->path = path;
    if (path.isEmpty())
        return d->fail(error, u"no path given"_s);

    QString why;
    auto connection = SqliteConnection::open(path, SqliteConnection::Mode::Create, &why);
    if (!connection)
        return d->fail(error, why);
    d->connection = std::move(*connection);
    d->db = d->connection.get();

    int version = 0;
    {
        SqliteStatement s(d->db, "PRAGMA user_version");
        if (!s.isValid() || s.step() != SQLITE_ROW) {
            d->failSql(&why, u"reading the schema version"_s);
            close();
            if (error)
                *error = why;
            return false;
        }
        version = int(s.int64(0));
    }
    if (version > schemaVersion()) {
        close();
        return d->fail(error,
            u"created by a newer evalsandbox (schema version %1; this version reads up to %2)"_s.arg(version).arg(
                schemaVersion()));
    }
    if (version < schemaVersion() && !d->migrate(version, error)) {
        close();
        return false;
    }
    return true;
}

bool ResultsStore::Private::migrate(int from, QString* error)
{
    const auto all = migrations();
    for (int v = from + 1; v <= int(all.size()); ++v) {
        QString msg;
        if (!SqliteStatement::exec(db, "BEGIN IMMEDIATE", &msg))
            return fail(error, u"%1 while migrating to schema version %2"_s.arg(msg).arg(v));
        // Another process may have migrated while we waited for the write lock.
        int current = 0;
        {
            SqliteStatement s(db, "PRAGMA user_version");
            if (s.isValid() && s.step() == SQLITE_ROW)
                current = int(s.int64(0));
        }
        bool ok = true;
        if (current < v) {
            const QByteArray setVersion = "PRAGMA user_version = " + QByteArray::number(v);
            ok = SqliteStatement::exec(db, all[size_t(v - 1)].constData(), &msg)
                && SqliteStatement::exec(db, setVersion.constData(), &msg);
        }
        if (ok)
            ok = SqliteStatement::exec(db, "COMMIT", &msg);
        if (!ok) {
            SqliteStatement::exec(db, "ROLLBACK", nullptr);
            return fail(error, u"%1 while migrating to schema version %2"_s.arg(msg).arg(v));
        }
        if (current < v && from > 0)
            spdlog::info("results store {}: upgraded to schema version {}", path.toStdString(), v);
    }
    return true;
}

void ResultsStore::close()
{
    d->connection.close();
    d->db = nullptr;
}

bool ResultsStore::isOpen() const
{
    return d->db != nullptr;
}

QString ResultsStore::path() const
{
    return d->path;
}

sqlite3* ResultsStore::handle() const
{
    return d->db;
}

const SqliteConnection& ResultsStore::connection() const
{
    return d->connection;
}

std::optional<qint64> ResultsStore::createRun(
    const QString& name, const QByteArray& planJson, quint64 seed, qint64 plannedSamples, QString* error)
{
    if (!d->db) {
        d->fail(error, u"not open"_s);
        return std::nullopt;
    }
    SqliteStatement s(d->db,
        "INSERT INTO runs (name, status, started_at, plan_json, plan_hash, seed, app_version, planned_samples) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
    if (!s.isValid()) {
        d->fail(error, s.prepareError());
        return std::nullopt;
    }
    s.bindText(1, name.isEmpty() ? u"unnamed"_s : name);
    s.bindText(2, runStatusName(RunStatus::Running));
    s.bindInt(3, QDateTime::currentMSecsSinceEpoch());
    s.bindUtf8(4, planJson);
    s.bindUtf8(5, QCryptographicHash::hash(planJson, QCryptographicHash::Sha256).toHex());
    s.bindInt(6, qint64(seed));
    s.bindUtf8(7, QByteArrayLiteral(EVS_VERSION));
    s.bindInt(8, plannedSamples);
    if (s.step() != SQLITE_DONE) {
        d->failSql(error, u"creating a run"_s);
        return std::nullopt;
    }
    return d->connection.lastInsertRowId();
}

bool ResultsStore::setRunStatus(qint64 runId, RunStatus status, QString* error)
{
    if (!d->db)
        return d->fail(error, u"not open"_s);
    SqliteStatement s(d->db, "UPDATE runs SET status = ?, finished_at = ? WHERE id = ?");
    s.bindText(1, runStatusName(status));
    if (status == RunStatus::Running)
        s.bindNull(2);
    else
        s.bindInt(2, QDateTime::currentMSecsSinceEpoch());
    s.bindInt(3, runId);
    if (s.step() != SQLITE_DONE)
        return d->failSql(error, u"setting the status of run %1"_s.arg(runId));
    if (d->connection.changes() == 0)
        return d->fail(error, u"no run %1"_s.arg(runId));
    return true;
}

bool ResultsStore::saveSummary(qint64 runId, const QJsonObject& summary, QString* error)
{
    if (!d->db)
        return d->fail(error, u"not open"_s);
    SqliteStatement s(d->db, "UPDATE runs SET summary_json = ? WHERE id = ?");
    s.bindUtf8(1, QJsonDocument(summary).toJson(QJsonDocument::Compact));
    s.bindInt(2, runId);
    if (s.step() != SQLITE_DONE)
        return d->failSql(error, u"saving the summary of run %1"_s.arg(runId));
    if (d->connection.changes() == 0)
        return d->fail(error, u"no run %1"_s.arg(runId));
    return true;
}

bool ResultsStore::deleteRun(qint64 runId, QString* error)
{
    if (!d->db)
        return d->fail(error, u"not open"_s);
    QString msg;
    if (!SqliteStatement::exec(d->db, "BEGIN IMMEDIATE", &msg))
        return d->fail(error, u"%1 while deleting run %2"_s.arg(msg).arg(runId));
    bool ok = true;
    qint64 deletedRuns = 0;
    for (const char* sql :
        { "DELETE FROM scoring_results WHERE scoring_id IN (SELECT id FROM scorings WHERE run_id = ?)",
            "DELETE FROM scorings WHERE run_id = ?", "DELETE FROM attempts WHERE run_id = ?",
            "DELETE FROM results WHERE run_id = ?", "DELETE FROM runs WHERE id = ?" }) {
        SqliteStatement s(d->db, sql);
        s.bindInt(1, runId);
        if (s.step() != SQLITE_DONE) {
            ok = false;
            msg = SqliteStatement::errorMessage(d->db);
            break;
        }
        deletedRuns = d->connection.changes();
    }
    // Prompts no other result refers to go too; NOT IN builds one temporary index rather than a scan per text.
    if (ok) {
        ok = SqliteStatement::exec(d->db,
            "DELETE FROM texts WHERE hash NOT IN (SELECT prompt_hash FROM results WHERE prompt_hash IS NOT NULL)",
            &msg);
    }
    if (ok)
        ok = SqliteStatement::exec(d->db, "COMMIT", &msg);
    if (!ok) {
        SqliteStatement::exec(d->db, "ROLLBACK", nullptr);
        return d->fail(error, u"%1 while deleting run %2"_s.arg(msg).arg(runId));
    }
    if (deletedRuns == 0)
        return d->fail(error, u"no run %1"_s.arg(runId));
    return true;
}

std::optional<RunInfo> ResultsStore::run(qint64 runId) const
{
    if (!d->db)
        return std::nullopt;
    const QByteArray sql = QByteArray("SELECT ") + kRunColumns + " FROM runs WHERE id = ?";
    SqliteStatement s(d->db, sql.constData());
    s.bindInt(1, runId);
    if (s.step() != SQLITE_ROW)
        return std::nullopt;
    return readRun(s);
}

QVector<RunInfo> ResultsStore::runs() const
{
    QVector<RunInfo> out;
    if (!d->db)
        return out;
    const QByteArray sql = QByteArray("SELECT ") + kRunColumns + " FROM runs ORDER BY id DESC";
    SqliteStatement s(d->db, sql.constData());
    while (s.step() == SQLITE_ROW)
        out.push_back(readRun(s));
    return out;
}

bool ResultsStore::forEachStoredKey(qint64 runId,
    const std::function<void(int model, int benchmark, qint64 sample, int repeat)>& f, QString* error) const
{
    if (!d->db)
        return d->fail(error, u"not open"_s);
    SqliteStatement s(d->db,
        "SELECT model_idx, benchmark_idx, sample_idx, repeat FROM results WHERE run_id = ? "
        "ORDER BY model_idx, benchmark_idx, sample_idx, repeat");
    s.bindInt(1, runId);
    int rc;
    while ((rc = s.step()) == SQLITE_ROW)
        f(int(s.int64(0)), int(s.int64(1)), s.int64(2), int(s.int64(3)));
    if (rc != SQLITE_DONE)
        return d->failSql(error, u"reading the stored samples of run %1"_s.arg(runId));
    return true;
}

qint64 ResultsStore::storedRecordCount(qint64 runId) const
{
    if (!d->db)
        return 0;
    SqliteStatement s(d->db, "SELECT COUNT(*) FROM results WHERE run_id = ?");
    s.bindInt(1, runId);
    return s.step() == SQLITE_ROW ? s.int64(0) : 0;
}

qint64 ResultsStore::maxEndNs(qint64 runId) const
{
    if (!d->db)
        return 0;
    SqliteStatement s(d->db,
        "SELECT MAX(m) FROM (SELECT MAX(t_end) AS m FROM results WHERE run_id = ?1 "
        "UNION ALL SELECT MAX(t_end) FROM attempts WHERE run_id = ?1)");
    s.bindInt(1, runId);
    return s.step() == SQLITE_ROW && !s.isNull(0) ? s.int64(0) : 0;
}

std::optional<QString> ResultsStore::text(quint64 hash) const
{
    if (!d->db)
        return std::nullopt;
    SqliteStatement s(d->db, "SELECT body FROM texts WHERE hash = ?");
    s.bindInt(1, qint64(hash));
    if (s.step() != SQLITE_ROW)
        return std::nullopt;
    return s.text(0);
}

} // namespace evs
