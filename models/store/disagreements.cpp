#include "models/store/disagreements.h"

#include "models/store/resultsstore.h"
#include "models/store/sqliteconnection.h"
#include "models/store/sqlitestatement.h"
#include "models/store/storesql.h"

#include <sqlite3.h>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace evs {

namespace {

// a is the base side (?1 run, ?2 model, ?3 benchmark), b the other one (?4, ?5, ?6).
constexpr auto kDisagreements = storesql::sql("SELECT a.sample_idx, a.repeat, a.sample_id, a.expected, a.score, "
                                              "b.score, a.response, b.response FROM results a JOIN results b ON "
                                              "b.run_id = ?4 AND b.model_idx = ?5 AND b.benchmark_idx = ?6 AND "
                                              "b.sample_idx = a.sample_idx AND b.repeat = a.repeat "
                                              "WHERE a.run_id = ?1 AND a.model_idx = ?2 AND a.benchmark_idx = ?3 "
                                              "AND a.score IS NOT NULL AND b.score IS NOT NULL "
                                              "AND (a.score >= 1.0) <> (b.score >= 1.0) ");

void bindPair(SqliteStatement& s, const DisagreementPair& p)
{
    s.bindInt(1, p.baseRun);
    s.bindInt(2, p.baseModel);
    s.bindInt(3, p.baseBenchmark);
    s.bindInt(4, p.otherRun);
    s.bindInt(5, p.otherModel);
    s.bindInt(6, p.otherBenchmark);
}

QString sqlFailure(const ResultsStore& store, const QString& doing)
{
    return u"%1 while %2"_s.arg(store.connection().errorMessage(), doing);
}

} // namespace

std::optional<qint64> countDisagreements(const ResultsStore& store, const DisagreementPair& pair, QString* error)
{
    if (!store.isOpen()) {
        *error = u"the results store is not open"_s;
        return std::nullopt;
    }
    static constexpr auto kCount = storesql::sql("SELECT COUNT(*) FROM (", kDisagreements, ")");
    SqliteStatement s(store.connection().get(), kCount.c_str());
    bindPair(s, pair);
    if (!s.isValid() || s.step() != SQLITE_ROW) {
        *error = sqlFailure(store, u"counting disagreements"_s);
        return std::nullopt;
    }
    return s.int64(0);
}

std::optional<QVector<Disagreement>> disagreementPage(const ResultsStore& store, const DisagreementPair& pair,
    qint64 afterSample, int afterRepeat, int limit, QString* error)
{
    if (!store.isOpen()) {
        *error = u"the results store is not open"_s;
        return std::nullopt;
    }
    static constexpr auto kPage = storesql::sql(kDisagreements,
        "AND (a.sample_idx > ?7 OR (a.sample_idx = ?7 AND a.repeat > ?8)) ORDER BY a.sample_idx, a.repeat LIMIT ?9");
    SqliteStatement s(store.connection().get(), kPage.c_str());
    bindPair(s, pair);
    s.bindInt(7, afterSample);
    s.bindInt(8, afterRepeat);
    s.bindInt(9, std::max(1, limit));
    QVector<Disagreement> page;
    int rc = SQLITE_ERROR;
    while (s.isValid() && (rc = s.step()) == SQLITE_ROW) {
        Disagreement d;
        d.sampleIndex = s.int64(0);
        d.repeat = int(s.int64(1));
        d.sampleId = s.text(2);
        d.expected = s.text(3);
        d.baseScore = s.real(4);
        d.otherScore = s.real(5);
        d.baseResponse = s.text(6);
        d.otherResponse = s.text(7);
        page.append(std::move(d));
    }
    if (rc != SQLITE_DONE) {
        *error = sqlFailure(store, u"reading disagreements"_s);
        return std::nullopt;
    }
    return page;
}

} // namespace evs
