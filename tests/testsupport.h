#pragma once

// Small helpers shared by test suites: read the store back with plain SQL, independently of the code under test
// (only the connection is the product's, so that it has the same pragmas as every reader of the store).

#include "models/store/sqliteconnection.h"

#include <QString>
#include <QVariant>
#include <QVector>

#include <sqlite3.h>

#include <algorithm>
#include <cmath>
#include <vector>

namespace evs::test {

class SqlReader {
public:
    explicit SqlReader(const QString& path)
    {
        if (auto c = SqliteConnection::open(path, SqliteConnection::Mode::ReadOnly, nullptr))
            m_connection = std::move(*c);
        m_db = m_connection.get();
    }
    bool ok() const { return m_db != nullptr; }

    // All rows of a query, each a vector of column values (NULL = invalid QVariant).
    QVector<QVector<QVariant>> rows(const char* sql) const
    {
        QVector<QVector<QVariant>> out;
        sqlite3_stmt* st = nullptr;
        if (!m_db || sqlite3_prepare_v2(m_db, sql, -1, &st, nullptr) != SQLITE_OK)
            return out;
        while (sqlite3_step(st) == SQLITE_ROW) {
            QVector<QVariant> row;
            for (int c = 0; c < sqlite3_column_count(st); ++c) {
                switch (sqlite3_column_type(st, c)) {
                case SQLITE_INTEGER:
                    row.append(qint64(sqlite3_column_int64(st, c)));
                    break;
                case SQLITE_FLOAT:
                    row.append(sqlite3_column_double(st, c));
                    break;
                case SQLITE_NULL:
                    row.append(QVariant());
                    break;
                default:
                    row.append(QString::fromUtf8(reinterpret_cast<const char*>(sqlite3_column_text(st, c))));
                }
            }
            out.append(row);
        }
        sqlite3_finalize(st);
        return out;
    }
    qint64 scalar(const char* sql) const
    {
        const auto r = rows(sql);
        return r.isEmpty() || r.first().isEmpty() ? -1 : r.first().first().toLongLong();
    }

private:
    SqliteConnection m_connection;
    sqlite3* m_db = nullptr;
};

// Runs fixture SQL (planting data a test needs) on a connection of its own, opened like the store's writer.
inline bool execSql(const QString& path, const char* sql)
{
    const auto c = SqliteConnection::open(path, SqliteConnection::Mode::Write, nullptr);
    return c && c->exec(sql);
}

// numpy.percentile's default ("linear") method, written out from its definition: h = (n-1)q.
inline double numpyPercentile(std::vector<double> v, double q)
{
    std::sort(v.begin(), v.end());
    if (v.empty())
        return std::nan("");
    const double h = (double(v.size()) - 1) * q;
    const auto lo = size_t(std::floor(h));
    const auto hi = std::min(v.size() - 1, lo + 1);
    return v[lo] + (h - double(lo)) * (v[hi] - v[lo]);
}

} // namespace evs::test
