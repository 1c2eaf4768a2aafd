#pragma once

#include <QtGlobal>

class QDialog;
class QWidget;

namespace evs {

class AppContext;

// The main window builds the pages other areas of the GUI own through these factories, so that it compiles and
// runs whichever of them exist yet. A page that is not built yet comes back as a placeholder that says so (the
// launcher as nullptr).
QWidget* createBenchmarksPage(AppContext* context, QWidget* parent); // objectName "benchmarksPage"
QWidget* createRunsPage(AppContext* context, QWidget* parent); // objectName "runsPage"
void showRunOnRunsPage(QWidget* runsPage, qint64 runId);
QDialog* createRunLauncher(AppContext* context, QWidget* parent); // objectName "runLauncher"; nullptr if not built

// Which of the above are real (not placeholders).
bool hasBenchmarksPage();
bool hasRunsPage();
bool hasRunLauncher();

} // namespace evs
