#include "app/cli/clicommands.h"

#include <QCoreApplication>

int main(int argc, char** argv)
{
    QCoreApplication app(argc, argv);
    QCoreApplication::setOrganizationName(QStringLiteral("evalsandbox"));
    QCoreApplication::setApplicationName(QStringLiteral("evalsandbox"));
    QCoreApplication::setApplicationVersion(QStringLiteral(EVS_VERSION));
    return evs::cli::run(QCoreApplication::arguments().mid(1));
}
