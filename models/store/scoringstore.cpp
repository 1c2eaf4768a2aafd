#include "models/store/scoringstore.h"

#include "models/store/resultsstore.h"
#include "models/store/runqueries.h"
#include "models/store/sqliteconnection.h"
#include "models/store/sqlitestatement.h"

#include <QJsonDocument>

#include <sqlite3.h>

#include <memory>

using namespace Qt::StringLiterals;

namespace evs {

namespace {

constexpr const char* kScoringColumns = "id, run_id, created_at, scorer_json, label, benchmark_idx, summary_json, "
                                        "(SELECT COUNT(*) FROM scoring_results sr WHERE sr.scoring_id = scorings.id)";

ScoringInfo readScoring(const SqliteStatement& s)
{
    ScoringInfo i;
    i.id = s.int64(0);
    i.runId = s.int64(1);
    i.createdAt = QDateTime::fromMSecsSinceEpoch(s.int64(2), Qt::UTC);
    i.scorer = QJsonDocument::fromJson(s.utf8(3)).object();
    i.label = s.text(4);
    i.benchmarkIndex = s.isNull(5) ? -1 : int(s.int64(5));
    if (!s.isNull(6))
        i.summary = QJsonDocument::fromJson(s.utf8(6)).object();
    i.scoredResults = s.int64(7);
    return i;
}

} // namespace

struct ScoringStore::Private {
    ResultsStore* store = nullptr;
    SqliteStatement insert;
    bool inTransaction = false;

    sqlite3* db() const { return store->connection().get(); }
    bool failSql(QString* error, const QString& doing) const
    {
        if (error)
            *error = u"results store %1: %2 while %3"_s.arg(store->path(), SqliteStatement::errorMessage(db()), doing);
        return false;
    }
};

ScoringStore::ScoringStore(ResultsStore& store)
    : d(std::make_unique<Private>())
{
    d->store = &store;
}

ScoringStore::~ScoringStore()
{
    rollback();
}

QVector<ScoringInfo> ScoringStore::scorings(qint64 runId) const
{
    QVector<ScoringInfo> out;
    if (!d->db())
        return out;
    const QByteArray sql = QByteArray("SELECT ") + kScoringColumns + " FROM scorings WHERE run_id = ? ORDER BY id";
    SqliteStatement s(d->db(), sql.constData());
    s.bindInt(1, runId);
    while (s.step() == SQLITE_ROW)
        out.push_back(readScoring(s));
    return out;
}

std::optional<ScoringInfo> ScoringStore::scoring(qint64 scoringId) const
{
    if (!d->db())
        return std::nullopt;
    const QByteArray sql = QByteArray("SELECT ") + kScoringColumns + " FROM scorings WHERE id = ?";
    SqliteStatement s(d->db(), sql.constData());
    s.bindInt(1, scoringId);
    if (s.step() != SQLITE_ROW)
        return std::nullopt;
    return readScoring(s);
}

QVector<std::pair<int, int>> ScoringStore::pairs(qint64 runId, QString* error) const
{
    if (!d->db()) {
        if (error)
            *error = u"results store: not open"_s;
        return {};
    }
    QString why;
    auto pairs = readRunPairs(*d->store, runId, &why);
    if (!pairs) {
        if (error)
            *error = u"results store %1: %2"_s.arg(d->store->path(), why);
        return {};
    }
    return *pairs;
}

bool ScoringStore::forEachResponse(
    qint64 runId, int model, int benchmark, const std::function<bool(const StoredResponse&)>& f, QString* error) const
{
    if (!d->db())
        return d->failSql(error, u"reading responses"_s);
    SqliteStatement s(d->db(),
        "SELECT id, sample_idx, repeat, error_class IS NULL, response, expected, sample_id FROM results "
        "WHERE run_id = ? AND model_idx = ? AND benchmark_idx = ? ORDER BY sample_idx, repeat");
    s.bindInt(1, runId);
    s.bindInt(2, model);
    s.bindInt(3, benchmark);
    int rc = SQLITE_ERROR;
    StoredResponse r;
    r.modelIndex = model;
    r.benchmarkIndex = benchmark;
    while (s.isValid() && (rc = s.step()) == SQLITE_ROW) {
        r.resultId = s.int64(0);
        r.sampleIndex = s.int64(1);
        r.repeat = int(s.int64(2));
        r.ok = s.int64(3) != 0;
        r.response = s.text(4);
        r.expected = s.text(5);
        r.sampleId = s.text(6);
        if (!f(r))
            return true;
    }
    if (rc != SQLITE_DONE)
        return d->failSql(error, u"reading the responses of run %1"_s.arg(runId));
    return true;
}

std::optional<qint64> ScoringStore::begin(
    qint64 runId, const QJsonObject& scorer, const QString& label, int benchmarkIndex, QString* error)
{
    rollback();
    QString msg;
    if (!d->db() || !SqliteStatement::exec(d->db(), "BEGIN IMMEDIATE", &msg)) {
        d->failSql(error, u"starting a scoring of run %1"_s.arg(runId));
        return std::nullopt;
    }
    d->inTransaction = true;
    SqliteStatement s(
        d->db(), "INSERT INTO scorings (run_id, created_at, scorer_json, label, benchmark_idx) VALUES (?, ?, ?, ?, ?)");
    s.bindInt(1, runId);
    s.bindInt(2, QDateTime::currentMSecsSinceEpoch());
    s.bindUtf8(3, QJsonDocument(scorer).toJson(QJsonDocument::Compact));
    s.bindText(4, label);
    if (benchmarkIndex >= 0)
        s.bindInt(5, benchmarkIndex);
    else
        s.bindNull(5);
    if (s.step() != SQLITE_DONE) {
        d->failSql(error, u"creating a scoring of run %1"_s.arg(runId));
        rollback();
        return std::nullopt;
    }
    d->insert = SqliteStatement(d->db(),
        "INSERT INTO scoring_results (scoring_id, result_id, score, score_error, explanation) VALUES (?, ?, ?, ?, ?)");
    const qint64 id = d->store->connection().lastInsertRowId();
    d->insert.bindInt(1, id);
    return id;
}

bool ScoringStore::add(qint64 resultId, double score, bool scoreError, const QString& explanation, QString* error)
{
    if (!d->inTransaction)
        return d->failSql(error, u"adding to a scoring that was not begun"_s);
    auto& s = d->insert;
    s.bindInt(2, resultId);
    s.bindDouble(3, score);
    s.bindInt(4, scoreError ? 1 : 0);
    s.bindText(5, explanation);
    const int rc = s.step();
    sqlite3_reset(s.get()); // keeps the scoring id bound
    if (rc != SQLITE_DONE)
        return d->failSql(error, u"storing a score"_s);
    return true;
}

bool ScoringStore::commit(QString* error)
{
    d->insert = {};
    if (!d->inTransaction)
        return true;
    QString msg;
    if (!SqliteStatement::exec(d->db(), "COMMIT", &msg)) {
        d->failSql(error, u"committing a scoring"_s);
        rollback();
        return false;
    }
    d->inTransaction = false;
    return true;
}

void ScoringStore::rollback()
{
    d->insert = {};
    if (d->inTransaction && d->db())
        SqliteStatement::exec(d->db(), "ROLLBACK", nullptr);
    d->inTransaction = false;
}

bool ScoringStore::saveSummary(qint64 scoringId, const QJsonObject& summary, QString* error)
{
    SqliteStatement s(d->db(), "UPDATE scorings SET summary_json = ? WHERE id = ?");
    s.bindUtf8(1, QJsonDocument(summary).toJson(QJsonDocument::Compact));
    s.bindInt(2, scoringId);
    if (s.step() != SQLITE_DONE)
        return d->failSql(error, u"saving the summary of scoring %1"_s.arg(scoringId));
    return true;
}

} // namespace evs
