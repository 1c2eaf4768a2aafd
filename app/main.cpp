// The desktop app's composition root (docs/architecture.md section 2): the one file of app/ that includes ui/.
//
// Environment: EVALSANDBOX_DB (results store), EVALSANDBOX_WORKSPACE (workspace plan file), EVALSANDBOX_LOG_LEVEL;
// test hooks: EVALSANDBOX_AUTORUN=demo starts the bundled demo run at launch (screenshots, demos);
// EVALSANDBOX_LAUNCH_PROBE=1 prints "launch-ms: N" when the main window is first exposed (=exit also quits then).

#include "models/core/logsetup.h"
#include "models/store/resultsstore.h"
#include "ui/appcontext.h"
#include "ui/mainwindow.h"
#include "ui/secretstore.h"
#include "ui/workspace.h"

#include <QApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QMessageBox>
#include <QStandardPaths>
#include <QTimer>

#include <spdlog/spdlog.h>

#include <chrono>
#include <cstdio>

using namespace Qt::StringLiterals;

int main(int argc, char** argv)
{
    QElapsedTimer launch;
    launch.start();
    QApplication app(argc, argv);
    QApplication::setOrganizationName(u"evalsandbox"_s);
    QApplication::setApplicationName(u"evalsandbox"_s);
    QApplication::setApplicationDisplayName(u"AGI Evaluation Sandbox"_s);
    QApplication::setApplicationVersion(QStringLiteral(EVS_VERSION));
    QApplication::setDesktopFileName(u"io.github.evalsandbox.Evalsandbox"_s);

    const QString dataFolder = QStandardPaths::writableLocation(QStandardPaths::AppDataLocation);
    QDir().mkpath(dataFolder);
    QString logError;
    const QString logFile = evs::setUpFileLogging(dataFolder, QString(), &logError);
    if (logFile.isEmpty())
        std::fprintf(stderr, "evalsandbox: %s\n", qPrintable(logError));
    // The file logger flushes at once only warnings; info lines follow within a second (scripts wait on them).
    spdlog::flush_every(std::chrono::seconds(1));
    spdlog::info("evalsandbox {} starting (Qt {})", EVS_VERSION, qVersion());

    // ResultsStore::defaultPath() honours EVALSANDBOX_DB.
    const QString databasePath = evs::ResultsStore::defaultPath();
    evs::Workspace workspace;
    QString workspaceError;
    const bool workspaceOk = workspace.load(evs::Workspace::defaultPath(), &workspaceError);
    if (!workspaceOk)
        spdlog::error("workspace: {}", workspaceError.toStdString());

    evs::SecretStore secrets(evs::SecretStore::Backend::Keychain);
    evs::AppContext context(&workspace, databasePath);
    context.setKeychainLookup([&secrets](const QString& name) { return secrets.lookup(name); });

    evs::MainWindow window(&context, &secrets);
    const QByteArray probe = qgetenv("EVALSANDBOX_LAUNCH_PROBE");
    QObject::connect(&window, &evs::MainWindow::firstExposed, &app, [&launch, &probe] {
        const double ms = double(launch.nsecsElapsed()) / 1e6;
        spdlog::info("main window shown {:.1f} ms after main()", ms);
        if (!probe.isEmpty()) {
            std::printf("launch-ms: %.1f\n", ms);
            std::fflush(stdout);
            if (probe == "exit")
                QTimer::singleShot(0, qApp, &QCoreApplication::quit);
        }
    });
    window.show();

    if (!workspaceOk) {
        // The broken file is kept as it is (not saved over) so that the user can repair it.
        auto* box = new QMessageBox(QMessageBox::Warning, window.tr("Workspace not loaded"),
            window
                .tr("The workspace file could not be read, so the demo workspace is shown and your file is left "
                    "untouched:\n%1")
                .arg(workspaceError),
            QMessageBox::Ok, &window);
        box->setAttribute(Qt::WA_DeleteOnClose);
        box->open();
    }

    if (qEnvironmentVariable("EVALSANDBOX_AUTORUN") == u"demo"_s) {
        QTimer::singleShot(0, &context, [&context] {
            QString error;
            if (!context.startRun(evs::Workspace::demoPlan(), &error))
                spdlog::error("EVALSANDBOX_AUTORUN: {}", error.toStdString());
        });
    }
    return app.exec();
}
