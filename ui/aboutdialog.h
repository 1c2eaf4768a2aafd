#pragma once

#include <QDialog>

namespace evs {

// Help > About: the app's version and the versions of Qt, SQLite and spdlog it runs with.
// Object names: "aboutDialog", labels "appVersion", "qtVersion", "sqliteVersion", "spdlogVersion".
class AboutDialog : public QDialog {
    Q_OBJECT
public:
    explicit AboutDialog(const QString& databasePath, QWidget* parent = nullptr);

    static QString qtVersion(); // the runtime's (qVersion())
    static QString sqliteVersion(); // the linked library's (sqlite3_libversion())
    static QString spdlogVersion(); // compiled in (header-only parts)
};

} // namespace evs
