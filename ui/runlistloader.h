#pragma once

#include "models/store/resultsstore.h"
#include "ui/backgroundloader.h"

#include <QVector>

namespace evs {

// Reads the store's list of runs on a worker thread: ResultsStore::runs() counts each run's records, which takes a
// while in a store of millions. The newest load() answers with loaded(runs), newest first, or failed(error).
class RunListLoader : public BackgroundLoader {
    Q_OBJECT
public:
    using BackgroundLoader::BackgroundLoader;

    void load(const QString& databasePath);

Q_SIGNALS:
    void loaded(const QVector<evs::RunInfo>& runs);
};

} // namespace evs
