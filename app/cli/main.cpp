#include "app/cli/clicommands.h"

#include <QCoreApplication>
#include <QGuiApplication>

#include <cstring>
#include <memory>

namespace {

// The command word, skipping the global options that may precede it (see evs::cli::run).
bool isReportCommand(int argc, char** argv)
{
    for (int i = 1; i < argc; ++i) {
        if (std::strcmp(argv[i], "--log-level") == 0) {
            ++i;
            continue;
        }
        if (std::strncmp(argv[i], "--", 2) == 0)
            continue;
        return std::strcmp(argv[i], "report") == 0;
    }
    return false;
}

} // namespace

int main(int argc, char** argv)
{
    // Reports paint charts (PDF, SVG), which needs a QGuiApplication; on a machine without a display it runs on
    // the offscreen platform (docs/architecture.md section 2). Every other command stays a QCoreApplication.
    std::unique_ptr<QCoreApplication> app;
    if (isReportCommand(argc, argv)) {
        if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
            qputenv("QT_QPA_PLATFORM", "offscreen");
        app = std::make_unique<QGuiApplication>(argc, argv);
    } else {
        app = std::make_unique<QCoreApplication>(argc, argv);
    }
    QCoreApplication::setOrganizationName(QStringLiteral("evalsandbox"));
    QCoreApplication::setApplicationName(QStringLiteral("evalsandbox"));
    QCoreApplication::setApplicationVersion(QStringLiteral(EVS_VERSION));
    return evs::cli::run(QCoreApplication::arguments().mid(1));
}
