#include "models/store/runqueries.h"

#include "models/store/resultsstore.h"
#include "models/store/sqliteconnection.h"
#include "models/store/sqlitestatement.h"
#include "models/store/storesql.h"

#include <sqlite3.h>

#include <cmath>

using namespace Qt::StringLiterals;

namespace evs {

namespace {

using storesql::kPairWhere;
using storesql::sql;

// A statement over one pair's records: ?1 run, ?2 model, ?3 benchmark.
SqliteStatement pairStatement(const ResultsStore& store, const char* text, qint64 runId, int model, int benchmark)
{
    SqliteStatement s(store.connection().get(), text);
    s.bindInt(1, runId);
    s.bindInt(2, model);
    s.bindInt(3, benchmark);
    return s;
}

template<class T> std::optional<T> failed(const ResultsStore& store, QString* error, const QString& doing)
{
    if (error)
        *error = u"%1 while %2"_s.arg(store.connection().errorMessage(), doing);
    return std::nullopt;
}

QString pairName(const QString& doing, int model, int benchmark)
{
    return u"%1 (model %2, benchmark %3)"_s.arg(doing).arg(model).arg(benchmark);
}

} // namespace

std::optional<QVector<std::pair<int, int>>> readRunPairs(const ResultsStore& store, qint64 runId, QString* error)
{
    SqliteStatement s(store.connection().get(),
        "SELECT DISTINCT model_idx, benchmark_idx FROM results WHERE run_id = ? ORDER BY 1, 2");
    s.bindInt(1, runId);
    QVector<std::pair<int, int>> out;
    int rc = SQLITE_ERROR;
    while (s.isValid() && (rc = s.step()) == SQLITE_ROW)
        out.push_back({ int(s.int64(0)), int(s.int64(1)) });
    if (rc != SQLITE_DONE)
        return failed<QVector<std::pair<int, int>>>(
            store, error, u"listing the models and benchmarks of run %1"_s.arg(runId));
    return out;
}

std::optional<QVector<int>> readRunModels(const ResultsStore& store, qint64 runId, QString* error)
{
    SqliteStatement s(store.connection().get(), "SELECT DISTINCT model_idx FROM results WHERE run_id = ? ORDER BY 1");
    s.bindInt(1, runId);
    QVector<int> out;
    int rc = SQLITE_ERROR;
    while (s.isValid() && (rc = s.step()) == SQLITE_ROW)
        out.push_back(int(s.int64(0)));
    if (rc != SQLITE_DONE)
        return failed<QVector<int>>(store, error, u"listing the models of run %1"_s.arg(runId));
    return out;
}

std::optional<int> readScoringBenchmark(const ResultsStore& store, qint64 runId, qint64 scoringId)
{
    SqliteStatement s(store.connection().get(), "SELECT benchmark_idx FROM scorings WHERE id = ? AND run_id = ?");
    s.bindInt(1, scoringId);
    s.bindInt(2, runId);
    if (s.step() != SQLITE_ROW)
        return std::nullopt;
    return s.isNull(0) ? -1 : int(s.int64(0));
}

std::optional<PairCounts> readPairCounts(
    const ResultsStore& store, qint64 runId, int model, int benchmark, QString* error)
{
    // Cached responses cost nothing and were not measured: they are left out of the billed tokens and the time span.
    static constexpr auto kSql = sql("SELECT COUNT(*), COUNT(*) - COUNT(error_class), "
                                     "TOTAL(input_tokens), TOTAL(output_tokens), "
                                     "TOTAL(CASE WHEN cached = 0 THEN input_tokens END), "
                                     "TOTAL(CASE WHEN cached = 0 THEN output_tokens END), "
                                     "MIN(CASE WHEN cached = 0 THEN t_send END), "
                                     "MAX(CASE WHEN cached = 0 THEN t_end END), "
                                     "TOTAL(cached), TOTAL(CASE WHEN cached = 0 AND cache_key IS NOT NULL "
                                     "THEN 1 END) FROM results WHERE ",
        kPairWhere);
    auto st = pairStatement(store, kSql.c_str(), runId, model, benchmark);
    if (!st.isValid() || st.step() != SQLITE_ROW)
        return failed<PairCounts>(store, error, pairName(u"counting records"_s, model, benchmark));
    PairCounts c;
    c.records = st.int64(0);
    c.ok = st.int64(1);
    c.inputTokens = st.real(2);
    c.outputTokens = st.real(3);
    c.billedInputTokens = st.real(4);
    c.billedOutputTokens = st.real(5);
    if (!st.isNull(6))
        c.firstSendNs = st.int64(6);
    if (!st.isNull(7))
        c.lastEndNs = st.int64(7);
    c.cacheHits = st.real(8);
    c.cacheMisses = st.real(9);
    return c;
}

std::optional<QMap<QString, qint64>> readPairErrorsByClass(
    const ResultsStore& store, qint64 runId, int model, int benchmark, QString* error)
{
    static constexpr auto kSql = sql("SELECT error_class, COUNT(*) FROM results WHERE ", kPairWhere,
        " AND error_class IS NOT NULL GROUP BY error_class");
    auto st = pairStatement(store, kSql.c_str(), runId, model, benchmark);
    QMap<QString, qint64> out;
    int rc = SQLITE_ERROR;
    while (st.isValid() && (rc = st.step()) == SQLITE_ROW)
        out.insert(st.text(0), st.int64(1));
    if (rc != SQLITE_DONE)
        return failed<QMap<QString, qint64>>(store, error, pairName(u"counting errors"_s, model, benchmark));
    return out;
}

std::optional<qint64> readPairRetriedAttempts(
    const ResultsStore& store, qint64 runId, int model, int benchmark, QString* error)
{
    static constexpr auto kSql = sql("SELECT COUNT(*) FROM attempts WHERE ", kPairWhere);
    auto st = pairStatement(store, kSql.c_str(), runId, model, benchmark);
    if (!st.isValid() || st.step() != SQLITE_ROW)
        return failed<qint64>(store, error, pairName(u"counting retried attempts"_s, model, benchmark));
    return st.int64(0);
}

bool forEachPairScore(const ResultsStore& store, qint64 runId, int model, int benchmark, qint64 scoringId,
    const std::function<void(const PairScore&)>& f, QString* error)
{
    static constexpr auto kOwn = sql("SELECT sample_idx, repeat, category, score, score_error FROM results WHERE ",
        kPairWhere, " ORDER BY sample_idx, repeat");
    static constexpr auto kRescored = sql("SELECT r.sample_idx, r.repeat, r.category, sr.score, sr.score_error "
                                          "FROM results r JOIN scoring_results sr ON sr.result_id = r.id AND "
                                          "sr.scoring_id = ?4 WHERE r.run_id = ?1 AND r.model_idx = ?2 AND "
                                          "r.benchmark_idx = ?3 ORDER BY r.sample_idx, r.repeat");
    auto st = pairStatement(store, scoringId > 0 ? kRescored.c_str() : kOwn.c_str(), runId, model, benchmark);
    if (scoringId > 0)
        st.bindInt(4, scoringId);
    PairScore p;
    int rc = SQLITE_ERROR;
    while (st.isValid() && (rc = st.step()) == SQLITE_ROW) {
        p.sampleIndex = st.int64(0);
        p.repeat = int(st.int64(1));
        p.category = st.text(2);
        p.score = st.isNull(3) ? std::nan("") : st.real(3);
        p.scoreError = st.int64(4) != 0;
        f(p);
    }
    if (rc != SQLITE_DONE) {
        failed<bool>(store, error, pairName(u"reading scores"_s, model, benchmark));
        return false;
    }
    return true;
}

bool forEachMeasuredTiming(const ResultsStore& store, qint64 runId, int model, int benchmark,
    const std::function<void(const MeasuredTiming&)>& f, QString* error)
{
    static constexpr auto kSql = sql("SELECT ", storesql::kLatencyNs, ", ", storesql::kTtftNs,
        ", t_last_token - t_first_token, output_tokens FROM results WHERE ", kPairWhere, " AND ", storesql::kMeasured,
        " AND t_send IS NOT NULL");
    auto st = pairStatement(store, kSql.c_str(), runId, model, benchmark);
    auto value = [&st](int col) { return st.isNull(col) ? std::nullopt : std::optional<qint64>(st.int64(col)); };
    MeasuredTiming t;
    int rc = SQLITE_ERROR;
    while (st.isValid() && (rc = st.step()) == SQLITE_ROW) {
        t.latencyNs = value(0);
        t.ttftNs = value(1);
        t.firstToLastTokenNs = value(2);
        t.outputTokens = st.isNull(3) ? -1 : st.int64(3);
        f(t);
    }
    if (rc != SQLITE_DONE) {
        failed<bool>(store, error, pairName(u"reading timings of run %1"_s.arg(runId), model, benchmark));
        return false;
    }
    return true;
}

bool forEachMeasuredLatency(
    const ResultsStore& store, qint64 runId, const std::function<void(int model, qint64 latencyNs)>& f, QString* error)
{
    static constexpr auto kSql = sql("SELECT model_idx, ", storesql::kLatencyNs, " FROM results WHERE run_id = ? AND ",
        storesql::kMeasured, " AND ", storesql::kLatencyNs, " IS NOT NULL ORDER BY model_idx");
    SqliteStatement st(store.connection().get(), kSql.c_str());
    st.bindInt(1, runId);
    int rc = SQLITE_ERROR;
    while (st.isValid() && (rc = st.step()) == SQLITE_ROW)
        f(int(st.int64(0)), st.int64(1));
    if (rc != SQLITE_DONE) {
        failed<bool>(store, error, u"reading latencies of run %1"_s.arg(runId));
        return false;
    }
    return true;
}

} // namespace evs
