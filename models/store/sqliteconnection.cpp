#include "models/store/sqliteconnection.h"

#include "models/store/sqlitestatement.h"

#include <spdlog/spdlog.h>
#include <sqlite3.h>

#include <utility>

using namespace Qt::StringLiterals;

namespace evs {

namespace {

struct ModeSettings {
    int flags;
    int busyTimeoutMs;
    bool wal; // switch the file to WAL (persistent: the other modes find it so)
    bool synchronousNormal;
    bool queryOnly;
    const char16_t* cannotOpen;
};

// Every pragma a store connection gets, by mode (docs/architecture.md section 5).
ModeSettings settings(SqliteConnection::Mode mode)
{
    switch (mode) {
    case SqliteConnection::Mode::Create:
        return { SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, 5000, true, true, false, u"cannot open" };
    case SqliteConnection::Mode::Write:
        return { SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, 10000, false, true, false, u"cannot open for writing" };
    case SqliteConnection::Mode::QueryOnly:
        return { SQLITE_OPEN_READWRITE | SQLITE_OPEN_FULLMUTEX, 5000, false, false, true, u"cannot open for reading" };
    case SqliteConnection::Mode::ReadOnly:
        break;
    }
    return { SQLITE_OPEN_READONLY, 5000, false, false, false, u"cannot open for reading" };
}

} // namespace

SqliteConnection::~SqliteConnection()
{
    close();
}

SqliteConnection::SqliteConnection(SqliteConnection&& other) noexcept
    : m_db(std::exchange(other.m_db, nullptr))
    , m_mode(other.m_mode)
{
}

SqliteConnection& SqliteConnection::operator=(SqliteConnection&& other) noexcept
{
    if (this != &other) {
        close();
        m_db = std::exchange(other.m_db, nullptr);
        m_mode = other.m_mode;
    }
    return *this;
}

void SqliteConnection::close()
{
    if (m_db) {
        // v2: statements still alive (a bug elsewhere) keep the handle until they are finalized, instead of failing.
        sqlite3_close_v2(m_db);
        m_db = nullptr;
    }
}

std::optional<SqliteConnection> SqliteConnection::open(const QString& path, Mode mode, QString* error)
{
    const ModeSettings s = settings(mode);
    auto fail = [&](const QString& what) -> std::optional<SqliteConnection> {
        if (error)
            *error = what;
        return std::nullopt;
    };
    SqliteConnection c;
    c.m_mode = mode;
    const int rc = sqlite3_open_v2(path.toUtf8().constData(), &c.m_db, s.flags, nullptr);
    if (rc != SQLITE_OK) {
        const QString msg = c.m_db ? c.errorMessage() : QString::fromUtf8(sqlite3_errstr(rc));
        return fail(QString::fromUtf16(s.cannotOpen) + u" ("_s + msg + u')');
    }
    sqlite3_extended_result_codes(c.m_db, 1);
    sqlite3_busy_timeout(c.m_db, s.busyTimeoutMs);

    // The first read is where a file that is not SQLite shows itself, before anything could write to it.
    {
        SqliteStatement probe(c.m_db, "PRAGMA schema_version");
        const int stepRc = probe.isValid() ? probe.step() : sqlite3_errcode(c.m_db);
        if (stepRc != SQLITE_ROW) {
            if ((stepRc & 0xff) == SQLITE_NOTADB)
                return fail(u"not an SQLite database (file is not a database)"_s);
            return fail(u"cannot read (%1)"_s.arg(c.errorMessage()));
        }
    }

    if (s.wal) {
        SqliteStatement wal(c.m_db, "PRAGMA journal_mode=WAL");
        if (!wal.isValid() || wal.step() != SQLITE_ROW)
            return fail(u"%1 while switching to WAL"_s.arg(c.errorMessage()));
        if (wal.text(0) != u"wal"_s)
            spdlog::warn(
                "results store {}: journal mode is {}, not WAL", path.toStdString(), wal.text(0).toStdString());
    }
    // In WAL mode NORMAL loses no committed transaction on an application crash, only on power loss.
    if (s.synchronousNormal)
        c.exec("PRAGMA synchronous=NORMAL");
    if (s.queryOnly)
        c.exec("PRAGMA query_only=1");
    return c;
}

bool SqliteConnection::exec(const char* sql, QString* error) const
{
    return SqliteStatement::exec(m_db, sql, error);
}

QString SqliteConnection::errorMessage() const
{
    return m_db ? SqliteStatement::errorMessage(m_db) : u"not open"_s;
}

qint64 SqliteConnection::lastInsertRowId() const
{
    return sqlite3_last_insert_rowid(m_db);
}

qint64 SqliteConnection::changes() const
{
    return sqlite3_changes64(m_db);
}

bool SqliteConnection::inTransaction() const
{
    return m_db && !sqlite3_get_autocommit(m_db);
}

} // namespace evs
