#include "models/store/pairscorecursor.h"

#include "models/store/resultsstore.h"
#include "models/store/sqliteconnection.h"
#include "models/store/storesql.h"

#include <sqlite3.h>

namespace evs {

static_assert(SQLITE_ROW == 100 && SQLITE_DONE == 101 && SQLITE_ERROR == 1);

PairScoreCursor::PairScoreCursor(const ResultsStore& store, qint64 runId, int model, int benchmark)
    : m_store(&store)
{
    static constexpr auto kSql = storesql::sql("SELECT sample_idx, repeat, score FROM results WHERE ",
        storesql::kPairWhere, " AND score IS NOT NULL ORDER BY sample_idx, repeat");
    m_stmt = SqliteStatement(store.connection().get(), kSql.c_str());
    m_stmt.bindInt(1, runId);
    m_stmt.bindInt(2, model);
    m_stmt.bindInt(3, benchmark);
    advance();
}

void PairScoreCursor::advance()
{
    m_rc = m_stmt.isValid() ? m_stmt.step() : SQLITE_ERROR;
}

QString PairScoreCursor::error() const
{
    return m_store->connection().errorMessage();
}

} // namespace evs
