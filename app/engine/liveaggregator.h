#pragma once

#include "app/engine/livesnapshot.h"
#include "models/core/requestrecord.h"
#include "models/core/runplan.h"

#include <mutex>

namespace evs {

class ResultsStore;

// Keeps per-second buckets of every model's finished requests and builds LiveSnapshots. Workers call record()
// (short lock, no allocation in the common case); the controller calls snapshot() on a timer.
class LiveAggregator {
public:
    explicit LiveAggregator(const RunPlan& plan);

    void record(const RequestRecord& rec);
    LiveSnapshotPtr snapshot(qint64 runId, const RunProgress& progress, qint64 nowNs, bool final) const;

    // The same picture for a stored run, read in t_end order (a finished run opened from the Runs page).
    static LiveSnapshotPtr fromStore(const ResultsStore& store, qint64 runId, QString* error);

    struct ScoreAcc {
        qint64 scored = 0;
        double sum = 0;
        double sqSum = 0;
        bool binary = true;
        void add(const ScoreAcc& other);
    };

private:
    struct Open {
        qint64 second = -1;
        LogHistogram latency { 0.02 };
        LogHistogram ttft { 0.02 };
        LivePoint point;
        ScoreAcc scores; // of the records that ended in this second
    };
    struct ModelState {
        LiveSeries series;
        Open open[2]; // the current second and the one before (records may finish slightly out of order)
        ScoreAcc closed; // scores of every closed second
        double priceIn = 0;
        double priceOut = 0;
    };
    void closeUpTo(ModelState& m, qint64 second);
    void recordInto(ModelState& m, const RequestRecord& rec);

    mutable std::mutex m_mutex;
    std::vector<ModelState> m_models;
};

} // namespace evs
