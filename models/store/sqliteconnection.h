#pragma once

#include <QString>

#include <optional>

struct sqlite3;

namespace evs {

// One SQLite connection to a results store, owned by value: open() sets every pragma the store relies on (this is the
// only place that does), the destructor closes it. Move-only. Like SqliteStatement, it is used by one thread at a
// time: the one that opened it, except where a mode says otherwise.
class SqliteConnection {
public:
    enum class Mode {
        // The store itself (ResultsStore): read-write, creates the file; switches it to WAL with synchronous=NORMAL
        // (an application crash loses no committed transaction); waits up to 5 s for a lock.
        Create,
        // The writer thread (ResultsWriter): read-write, the file must exist; no SQLite mutex (one thread only);
        // synchronous=NORMAL; waits up to 10 s for a lock, since a busy writer would fail the run.
        Write,
        // The response cache (ResponseCache): opened read-write so that it sees the WAL like any writer does, but
        // query_only, so it never writes; serialised by SQLite's mutex (workers share it); waits up to 5 s.
        QueryOnly,
        // Readers that never write (the results browser, tests reading a store back): read-only; waits up to 5 s.
        ReadOnly,
    };

    SqliteConnection() = default;
    ~SqliteConnection();
    SqliteConnection(SqliteConnection&& other) noexcept;
    SqliteConnection& operator=(SqliteConnection&& other) noexcept;
    SqliteConnection(const SqliteConnection&) = delete;
    SqliteConnection& operator=(const SqliteConnection&) = delete;

    // Opens `path` and applies the mode's pragmas. The first read happens here, so a file that is not SQLite is
    // refused here ("not an SQLite database (file is not a database)") and never written. On failure, error says
    // what went wrong (without the path: callers name the store).
    static std::optional<SqliteConnection> open(const QString& path, Mode mode, QString* error);

    bool isOpen() const { return m_db != nullptr; }
    sqlite3* get() const { return m_db; } // for SqliteStatement and the store's own code, same thread only
    Mode mode() const { return m_mode; }
    void close();

    // Runs one or more statements with no result rows; error gets SQLite's message.
    bool exec(const char* sql, QString* error = nullptr) const;
    QString errorMessage() const;
    qint64 lastInsertRowId() const;
    qint64 changes() const; // rows changed by the last statement
    bool inTransaction() const;

private:
    sqlite3* m_db = nullptr;
    Mode m_mode = Mode::ReadOnly;
};

} // namespace evs
