#pragma once

#include <QByteArray>
#include <QString>
#include <QStringView>

#include <functional>

struct sqlite3;
struct sqlite3_stmt;

namespace evs {

// A prepared statement owned by value: finalized on destruction. Used by the store, the writer and the stats
// queries; every call is on the thread that owns the connection.
class SqliteStatement {
public:
    SqliteStatement() = default;
    SqliteStatement(sqlite3* db, const char* sql);
    ~SqliteStatement();
    SqliteStatement(SqliteStatement&& other) noexcept;
    SqliteStatement& operator=(SqliteStatement&& other) noexcept;
    SqliteStatement(const SqliteStatement&) = delete;
    SqliteStatement& operator=(const SqliteStatement&) = delete;

    bool isValid() const { return m_stmt != nullptr; }
    QString prepareError() const { return m_prepareError; }
    sqlite3_stmt* get() const { return m_stmt; }

    // Parameters are 1-based, as in SQLite.
    void bindInt(int i, qint64 v);
    void bindDouble(int i, double v); // NaN binds NULL
    void bindNull(int i);
    void bindIntOrNull(int i, qint64 v); // negative ("did not happen", "unknown") binds NULL
    void bindText(int i, QStringView v); // copied; empty binds NULL
    // Not copied: `v` must stay alive until the statement is stepped and reset (the writer's hot path).
    void bindTextNoCopy(int i, QStringView v);
    void bindUtf8(int i, const QByteArray& v); // copied

    int step(); // SQLITE_ROW, SQLITE_DONE or an error code
    void reset(); // also clears bindings

    // Columns are 0-based, as in SQLite.
    bool isNull(int col) const;
    qint64 int64(int col) const;
    double real(int col) const;
    QString text(int col) const; // QString() for NULL only: a stored empty text is an empty, non-null QString
    QByteArray utf8(int col) const;

    // Runs one or more statements with no result rows; error gets SQLite's message.
    static bool exec(sqlite3* db, const char* sql, QString* error);
    static QString errorMessage(sqlite3* db);

    // Tests only: from now on, every statement prepared (on any thread) is passed to `observer` first, so that a test
    // can look at the query plans of what a function really runs. An empty function stops it.
    static void setPrepareObserverForTesting(std::function<void(const char* sql)> observer);

private:
    sqlite3_stmt* m_stmt = nullptr;
    QString m_prepareError;
};

} // namespace evs
