#include "ui/pages.h"

#include <QDialog>
#include <QLabel>
#include <QVBoxLayout>

#if __has_include("ui/benchmarkspage.h")
#include "ui/benchmarkspage.h"
#define EVS_HAVE_BENCHMARKS_PAGE 1
#endif
#if __has_include("ui/runspage.h")
#include "ui/runspage.h"
#define EVS_HAVE_RUNS_PAGE 1
#endif
#if __has_include("ui/runlauncher.h")
#include "ui/runlauncher.h"
#define EVS_HAVE_RUN_LAUNCHER 1
#endif

using namespace Qt::StringLiterals;

namespace evs {

namespace {

[[maybe_unused]] QWidget* placeholder(const QString& objectName, const QString& text, QWidget* parent)
{
    auto* w = new QWidget(parent);
    w->setObjectName(objectName);
    w->setProperty("placeholder", true);
    auto* label = new QLabel(text);
    label->setWordWrap(true);
    label->setAlignment(Qt::AlignCenter);
    auto* layout = new QVBoxLayout(w);
    layout->addWidget(label);
    return w;
}

} // namespace

QWidget* createBenchmarksPage([[maybe_unused]] AppContext* context, QWidget* parent)
{
#ifdef EVS_HAVE_BENCHMARKS_PAGE
    auto* page = new BenchmarksPage(context, parent);
    page->setObjectName(u"benchmarksPage"_s);
    return page;
#else
    return placeholder(u"benchmarksPage"_s,
        QObject::tr("The benchmarks page is not part of this build yet. The workspace's benchmarks run as they are "
                    "configured in its plan file."),
        parent);
#endif
}

QWidget* createRunsPage([[maybe_unused]] AppContext* context, QWidget* parent)
{
#ifdef EVS_HAVE_RUNS_PAGE
    auto* page = new RunsPage(context, parent);
    page->setObjectName(u"runsPage"_s);
    return page;
#else
    return placeholder(u"runsPage"_s,
        QObject::tr("The runs page is not part of this build yet: runs still run and are stored, and the status "
                    "bar shows the active one's progress."),
        parent);
#endif
}

void showRunOnRunsPage([[maybe_unused]] QWidget* runsPage, [[maybe_unused]] qint64 runId)
{
#ifdef EVS_HAVE_RUNS_PAGE
    if (auto* page = qobject_cast<RunsPage*>(runsPage))
        page->showRun(runId);
#endif
}

QDialog* createRunLauncher([[maybe_unused]] AppContext* context, [[maybe_unused]] QWidget* parent)
{
#ifdef EVS_HAVE_RUN_LAUNCHER
    auto* launcher = new RunLauncher(context, parent);
    launcher->setObjectName(u"runLauncher"_s);
    return launcher;
#else
    return nullptr;
#endif
}

bool hasBenchmarksPage()
{
#ifdef EVS_HAVE_BENCHMARKS_PAGE
    return true;
#else
    return false;
#endif
}

bool hasRunsPage()
{
#ifdef EVS_HAVE_RUNS_PAGE
    return true;
#else
    return false;
#endif
}

bool hasRunLauncher()
{
#ifdef EVS_HAVE_RUN_LAUNCHER
    return true;
#else
    return false;
#endif
}

} // namespace evs
