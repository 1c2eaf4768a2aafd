#pragma once

// Subcommands of evalsandbox-cli that live in their own files. Each takes the arguments after its name and
// returns an exit status (docs/architecture.md section 11). clicommands.cpp dispatches to them.

#include <QStringList>
#include <QTextStream>

namespace evs::cli {

// Shared by the commands: print "evalsandbox-cli: MESSAGE" to stderr and return status.
int fail(int status, const QString& message);
// The one stream on stdout that every command writes to.
QTextStream& out();

// datasetcommand.cpp: `dataset inspect FILE ...`; and `run PLAN --dry-run [N]` (extra: the positional
// arguments after the plan, i.e. the optional N).
int cmdDataset(const QStringList& args);
int runDryRun(const QString& planPath, const QStringList& extra);

// cachecommand.cpp: `cache stats | clear | explain RUN SAMPLE`; rescorecommand.cpp: `rescore RUN --scorer ...`.
int cmdCache(const QStringList& args);
int cmdRescore(const QStringList& args);

// reportcommand.cpp: `report RUN --format F -o FILE` (needs a QGuiApplication for html and pdf: see main.cpp).
int cmdReport(const QStringList& args);

// comparecommand.cpp: `compare RUN_A RUN_B [more] ...` and `compare RUN --models a,b`.
int cmdCompare(const QStringList& args);

} // namespace evs::cli
