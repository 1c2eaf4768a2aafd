#pragma once

#include <QDateTime>
#include <QJsonObject>
#include <QString>
#include <QVector>

#include <functional>
#include <memory>
#include <optional>

struct sqlite3;

namespace evs {

class SqliteConnection;

enum class RunStatus { Running, Completed, Interrupted, Failed };
QString runStatusName(RunStatus s);
std::optional<RunStatus> runStatusFromName(QStringView name);

struct RunInfo {
    qint64 id = 0;
    QString name;
    RunStatus status = RunStatus::Running;
    QDateTime startedAt;
    QDateTime finishedAt; // invalid while running
    QByteArray planJson; // the plan as run: dataset paths resolved, no secrets
    QString planHash; // sha256 of planJson, hex
    quint64 seed = 0;
    QString appVersion;
    qint64 plannedSamples = -1; // models x samples x repeats, when known at start
    qint64 storedRecords = 0; // final records stored so far
    QJsonObject summary; // exact figures saved at the end (empty until then)
};

// The SQLite results store (docs/architecture.md section 5): schema, migrations and the run queries, on a connection
// owned by the thread that opened it. Records are written by ResultsWriter on its own connection. The read queries of
// other parts (summary, exports, dashboard, browser) are the free functions of models/store/*queries.h, run on this
// store's connection.
class ResultsStore {
public:
    ResultsStore();
    ~ResultsStore();
    ResultsStore(const ResultsStore&) = delete;
    ResultsStore& operator=(const ResultsStore&) = delete;

    // EVALSANDBOX_DB, else <AppDataLocation>/results.sqlite (the folder is created).
    static QString defaultPath();
    static int schemaVersion(); // the version migrations bring a store to

    // Opens or creates the store, WAL mode, runs pending migrations. error says what and where.
    bool open(const QString& path, QString* error);
    void close();
    bool isOpen() const;
    QString path() const;
    // The connection, for the store's own queries (models/store/*queries.h) on the same thread. Nothing outside
    // models/store runs SQL: readers call those typed queries.
    const SqliteConnection& connection() const;
    sqlite3* handle() const; // connection().get(), for tests that check the store with their own SQL

    std::optional<qint64> createRun(
        const QString& name, const QByteArray& planJson, quint64 seed, qint64 plannedSamples, QString* error);
    bool setRunStatus(qint64 runId, RunStatus status, QString* error);
    bool saveSummary(qint64 runId, const QJsonObject& summary, QString* error);
    bool deleteRun(qint64 runId, QString* error);

    std::optional<RunInfo> run(qint64 runId) const;
    QVector<RunInfo> runs() const; // newest first

    // Every (model, benchmark, sample, repeat) that has its final record: resume skips these.
    bool forEachStoredKey(qint64 runId,
        const std::function<void(int model, int benchmark, qint64 sample, int repeat)>& f, QString* error) const;
    qint64 storedRecordCount(qint64 runId) const;
    // The latest end time among a run's records and attempts (ns on its clock), 0 if none: a resumed run's clock
    // continues after it.
    qint64 maxEndNs(qint64 runId) const;

    // Prompts are stored once in the texts table under this hash (FNV-1a 64 over the UTF-16 code units),
    // referenced by results.prompt_hash.
    static quint64 textHash(QStringView text);
    std::optional<QString> text(quint64 hash) const;

    // Tests only: migrations appended after the built-in ones (raising schemaVersion()), to exercise upgrades.
    static void appendMigrationForTesting(const QByteArray& sql);
    static void clearMigrationsForTesting(); // also lifts limitMigrationsForTesting()
    // Tests only: built-in migrations stop at `version` (0 = all), to create a store as an older release did.
    static void limitMigrationsForTesting(int version);

private:
    struct Private;
    std::unique_ptr<Private> d;
};

} // namespace evs
