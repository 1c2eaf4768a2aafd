#pragma once

#include "ui/appcontext.h"
#include "ui/workspace.h"

#include <QApplication>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>
#include <QWidget>

#include <memory>

// A demo workspace and an app context in a temporary folder, so that a test never touches the user's data.
struct GuiFixture {
    QTemporaryDir dir;
    std::unique_ptr<evs::Workspace> workspace;
    std::unique_ptr<evs::AppContext> context;

    GuiFixture()
    {
        workspace = std::make_unique<evs::Workspace>();
        QString error;
        if (!workspace->load(dir.filePath(QStringLiteral("workspace.json")), &error))
            qFatal("cannot create the workspace: %s", qPrintable(error));
        context = std::make_unique<evs::AppContext>(workspace.get(), dir.filePath(QStringLiteral("results.db")));
    }
    QString path(const QString& name) const { return dir.filePath(name); }
};

// With EVS_SCREENSHOT_DIR set (e.g. under Xvfb), saves what a widget looks like, for a person to look at.
inline void saveScreenshot(QWidget* widget, const QString& name)
{
    const QString dir = qEnvironmentVariable("EVS_SCREENSHOT_DIR");
    if (dir.isEmpty())
        return;
    QCoreApplication::processEvents();
    widget->grab().save(dir + QLatin1Char('/') + name + QStringLiteral(".png"));
}

// Offscreen unless told otherwise; settings (QSettings) go to a throwaway folder.
#define EVS_GUI_TEST_MAIN(TestClass)                                                                                   \
    int main(int argc, char** argv)                                                                                    \
    {                                                                                                                  \
        if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))                                                            \
            qputenv("QT_QPA_PLATFORM", "offscreen");                                                                   \
        QTemporaryDir config;                                                                                          \
        qputenv("XDG_CONFIG_HOME", config.path().toUtf8());                                                            \
        QStandardPaths::setTestModeEnabled(true);                                                                      \
        QApplication app(argc, argv);                                                                                  \
        QCoreApplication::setOrganizationName(QStringLiteral("evalsandbox-test"));                                     \
        QCoreApplication::setApplicationName(QStringLiteral("evalsandbox-test"));                                      \
        TestClass test;                                                                                                \
        return QTest::qExec(&test, argc, argv);                                                                        \
    }
