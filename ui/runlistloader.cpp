#include "ui/runlistloader.h"

namespace evs {

void RunListLoader::load(const QString& databasePath)
{
    start(
        [databasePath](QString* error) {
            ResultsStore store; // a connection of the worker thread
            return store.open(databasePath, error) ? store.runs() : QVector<RunInfo>();
        },
        [this](const QVector<RunInfo>& runs) { Q_EMIT loaded(runs); });
}

} // namespace evs
