#include "models/store/sqlitestatement.h"

#include <sqlite3.h>

#include <atomic>
#include <cmath>
#include <mutex>
#include <utility>

using namespace Qt::StringLiterals;

namespace evs {

namespace {

std::atomic<bool> g_observed { false };
std::mutex g_observerMutex;
std::function<void(const char*)> g_observer;

} // namespace

void SqliteStatement::setPrepareObserverForTesting(std::function<void(const char* sql)> observer)
{
    std::lock_guard lock(g_observerMutex);
    g_observed = bool(observer);
    g_observer = std::move(observer);
}

SqliteStatement::SqliteStatement(sqlite3* db, const char* sql)
{
    if (g_observed.load(std::memory_order_relaxed)) {
        std::lock_guard lock(g_observerMutex);
        if (g_observer)
            g_observer(sql);
    }
    if (sqlite3_prepare_v3(db, sql, -1, SQLITE_PREPARE_PERSISTENT, &m_stmt, nullptr) != SQLITE_OK) {
        m_prepareError = errorMessage(db);
        sqlite3_finalize(m_stmt);
        m_stmt = nullptr;
    }
}

SqliteStatement::~SqliteStatement()
{
    sqlite3_finalize(m_stmt);
}

SqliteStatement::SqliteStatement(SqliteStatement&& other) noexcept
    : m_stmt(std::exchange(other.m_stmt, nullptr))
    , m_prepareError(std::move(other.m_prepareError))
{
}

SqliteStatement& SqliteStatement::operator=(SqliteStatement&& other) noexcept
{
    if (this != &other) {
        sqlite3_finalize(m_stmt);
        m_stmt = std::exchange(other.m_stmt, nullptr);
        m_prepareError = std::move(other.m_prepareError);
    }
    return *this;
}

void SqliteStatement::bindInt(int i, qint64 v)
{
    sqlite3_bind_int64(m_stmt, i, v);
}

void SqliteStatement::bindDouble(int i, double v)
{
    if (std::isnan(v))
        sqlite3_bind_null(m_stmt, i);
    else
        sqlite3_bind_double(m_stmt, i, v);
}

void SqliteStatement::bindNull(int i)
{
    sqlite3_bind_null(m_stmt, i);
}

void SqliteStatement::bindIntOrNull(int i, qint64 v)
{
    if (v < 0)
        sqlite3_bind_null(m_stmt, i);
    else
        sqlite3_bind_int64(m_stmt, i, v);
}

void SqliteStatement::bindText(int i, QStringView v)
{
    if (v.isEmpty())
        sqlite3_bind_null(m_stmt, i);
    else
        sqlite3_bind_text16(m_stmt, i, v.utf16(), int(v.size() * 2), SQLITE_TRANSIENT);
}

void SqliteStatement::bindTextNoCopy(int i, QStringView v)
{
    if (v.isEmpty())
        sqlite3_bind_null(m_stmt, i);
    else
        sqlite3_bind_text16(m_stmt, i, v.utf16(), int(v.size() * 2), SQLITE_STATIC);
}

void SqliteStatement::bindUtf8(int i, const QByteArray& v)
{
    sqlite3_bind_text(m_stmt, i, v.constData(), int(v.size()), SQLITE_TRANSIENT);
}

int SqliteStatement::step()
{
    return sqlite3_step(m_stmt);
}

void SqliteStatement::reset()
{
    sqlite3_reset(m_stmt);
    sqlite3_clear_bindings(m_stmt);
}

bool SqliteStatement::isNull(int col) const
{
    return sqlite3_column_type(m_stmt, col) == SQLITE_NULL;
}

qint64 SqliteStatement::int64(int col) const
{
    return sqlite3_column_int64(m_stmt, col);
}

double SqliteStatement::real(int col) const
{
    return sqlite3_column_double(m_stmt, col);
}

QString SqliteStatement::text(int col) const
{
    if (sqlite3_column_type(m_stmt, col) == SQLITE_NULL)
        return {};
    const auto* p = static_cast<const char16_t*>(sqlite3_column_text16(m_stmt, col));
    const int units = sqlite3_column_bytes16(m_stmt, col) / 2;
    return p && units > 0 ? QString::fromUtf16(p, units) : u""_s;
}

QByteArray SqliteStatement::utf8(int col) const
{
    const auto* p = reinterpret_cast<const char*>(sqlite3_column_text(m_stmt, col));
    if (!p)
        return {};
    return QByteArray(p, sqlite3_column_bytes(m_stmt, col));
}

bool SqliteStatement::exec(sqlite3* db, const char* sql, QString* error)
{
    char* msg = nullptr;
    if (sqlite3_exec(db, sql, nullptr, nullptr, &msg) == SQLITE_OK)
        return true;
    if (error)
        *error = msg ? QString::fromUtf8(msg) : errorMessage(db);
    sqlite3_free(msg);
    return false;
}

QString SqliteStatement::errorMessage(sqlite3* db)
{
    return QString::fromUtf8(sqlite3_errmsg(db));
}

} // namespace evs
