#pragma once

#include "models/store/storedrecord.h"

#include <QString>
#include <QVector>

#include <functional>
#include <optional>

namespace evs {

class ResultsStore;

// Which parts of the records forEachRecord reads, and in which order. The fewer parts, the less it reads.
struct RecordScan {
    enum class Order {
        Stored, // the row id: the order the records were committed in (exports)
        End, // t_end (a stored run's dashboard, rebuilt in the order the requests ended)
    };
    Order order = Order::Stored;
    // The key, outcome, timings, tokens, score and flags are always read. texts adds the sample's id and category,
    // the error message, token source, response, reasoning, finish reason, expected answer, scorer explanation, judge
    // exchange and cache key.
    bool texts = true;
    bool prompt = false; // the prompt, from the texts table
    bool attempts = false; // the failed attempts before the final one
};

// Streams a run's final records, one at a time (memory does not grow with the run). f returns false to stop early
// (that is not an error). False on an SQL error, which error describes.
bool forEachRecord(const ResultsStore& store, qint64 runId, const RecordScan& scan,
    const std::function<bool(const StoredRecord&)>& f, QString* error);

// Up to `limit` records of one model x benchmark pair for a report: failed ones first, then the wrong or unscored
// ones, then the right ones, each group in sample and repeat order. Reads the key, outcome, score and texts (not the
// timings, the prompt or the attempts).
std::optional<QVector<StoredRecord>> readPairSamples(
    const ResultsStore& store, qint64 runId, int model, int benchmark, int limit, QString* error);

} // namespace evs
