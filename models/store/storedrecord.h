#pragma once

#include "models/core/requestrecord.h"

#include <QByteArray>
#include <QString>

#include <cmath>
#include <vector>

namespace evs {

// A retried attempt as stored (the attempts table).
struct StoredAttempt {
    int attempt = 1;
    QString errorClass; // as stored; QString() for NULL
    int httpStatus = 0;
    qint64 sendNs = -1; // -1 = NULL
    qint64 endNs = -1;
    QString errorMessage;
};

// One final record as the results table holds it, for readers that write it out as it is (exports) or rebuild
// figures from it. Values are the stored ones, not re-interpreted: an error class or token source is the stored text.
// A text column that is NULL is QString() (a stored empty text is an empty, non-null QString); an integer column that
// is NULL is -1 (the writer never stores a negative timing or token count); a NULL score is NaN. Which columns are
// read depends on the query (RecordScan): the others keep these defaults.
struct StoredRecord {
    qint64 id = 0; // the row id: the order records were committed in
    qint64 runId = 0;
    int modelIndex = 0;
    int benchmarkIndex = 0;
    qint64 sampleIndex = 0;
    int repeat = 0;
    QString sampleId;
    QString category;
    int attempts = 0;
    QString errorClass; // QString() = success
    int httpStatus = 0;
    QString errorMessage;
    Timings t;
    qint64 inputTokens = -1;
    qint64 outputTokens = -1;
    QString tokenSource;
    int tokenEvents = 0;
    QString prompt; // from the texts table
    QString response;
    QString reasoning;
    QString finishReason;
    QString expected;
    double score = std::nan("");
    QString scoreExplanation;
    bool scoreError = false;
    QString judgePrompt;
    QString judgeResponse;
    bool cached = false;
    QString cacheKey;
    std::vector<StoredAttempt> failedAttempts; // in attempt order

    bool ok() const { return errorClass.isNull(); }
};

} // namespace evs
