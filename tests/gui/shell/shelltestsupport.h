#pragma once

#include "ui/appcontext.h"
#include "ui/secretstore.h"
#include "ui/workspace.h"

#include <QApplication>
#include <QDialog>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

#include <memory>

namespace evs::test {

// A demo workspace, a results store path and a secret store, all in a temporary folder: a test never touches the
// user's data or keychain.
struct ShellFixture {
    QTemporaryDir dir;
    std::unique_ptr<Workspace> workspace;
    std::unique_ptr<SecretStore> secrets;
    std::unique_ptr<AppContext> context;

    explicit ShellFixture(SecretStore::Backend backend = SecretStore::Backend::Memory)
    {
        workspace = std::make_unique<Workspace>();
        QString error;
        if (!workspace->load(path(QStringLiteral("workspace.json")), &error))
            qFatal("cannot create the workspace: %s", qPrintable(error));
        secrets = std::make_unique<SecretStore>(backend);
        context = std::make_unique<AppContext>(workspace.get(), path(QStringLiteral("results.sqlite")));
        context->setKeychainLookup([s = secrets.get()](const QString& name) { return s->lookup(name); });
    }
    QString path(const QString& name) const { return dir.filePath(name); }
    QByteArray workspaceFile() const
    {
        QFile f(workspace->path());
        return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
    }
};

// The top-level dialog with this object name that is visible, or nullptr (dialogs are opened with open(), never a
// blocking exec(), so a test finds and answers them).
template<typename T = QDialog> T* visibleDialog(const QString& objectName)
{
    for (QWidget* w : QApplication::topLevelWidgets()) {
        if (w->objectName() == objectName && w->isVisible()) {
            if (auto* d = qobject_cast<T*>(w))
                return d;
        }
    }
    return nullptr;
}

} // namespace evs::test

// Offscreen unless told otherwise; QSettings and the data folder go to a throwaway place.
#define EVS_SHELL_TEST_MAIN(TestClass)                                                                                 \
    int main(int argc, char** argv)                                                                                    \
    {                                                                                                                  \
        if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))                                                            \
            qputenv("QT_QPA_PLATFORM", "offscreen");                                                                   \
        QTemporaryDir home;                                                                                            \
        qputenv("XDG_CONFIG_HOME", home.filePath(QStringLiteral("config")).toUtf8());                                  \
        qputenv("XDG_DATA_HOME", home.filePath(QStringLiteral("data")).toUtf8());                                      \
        QStandardPaths::setTestModeEnabled(true);                                                                      \
        QApplication app(argc, argv);                                                                                  \
        QCoreApplication::setOrganizationName(QStringLiteral("evalsandbox-test"));                                     \
        QCoreApplication::setApplicationName(QStringLiteral("evalsandbox-test"));                                      \
        TestClass test;                                                                                                \
        return QTest::qExec(&test, argc, argv);                                                                        \
    }
