#pragma once

#include "models/store/sqlitestatement.h"

#include <QString>

#include <utility>

namespace evs {

class ResultsStore;

// The scored records of one model x benchmark pair in (sample index, repeat) order, the unique key's order, read one
// at a time: two cursors merge-join two sides of a comparison in bounded memory.
class PairScoreCursor {
public:
    PairScoreCursor(const ResultsStore& store, qint64 runId, int model, int benchmark);

    bool atEnd() const { return m_rc != kStepRow; }
    bool failed() const { return m_rc != kStepRow && m_rc != kStepDone; }
    std::pair<qint64, qint64> key() const { return { m_stmt.int64(0), m_stmt.int64(1) }; } // (sample index, repeat)
    double score() const { return m_stmt.real(2); }
    void advance();
    QString error() const; // after failed(): SQLite's message

private:
    static constexpr int kStepRow = 100; // SQLITE_ROW, without including sqlite3.h here
    static constexpr int kStepDone = 101; // SQLITE_DONE
    const ResultsStore* m_store = nullptr;
    SqliteStatement m_stmt;
    int m_rc = 1; // SQLITE_ERROR
};

} // namespace evs
