#pragma once

#include <QString>
#include <QVector>

#include <optional>

namespace evs {

class ResultsStore;

// Disagreements between two sides on one benchmark: samples (index and repeat) both scored where exactly one got
// full credit. Read in keyset pages ordered by (sample index, repeat).
struct DisagreementPair {
    qint64 baseRun = 0;
    int baseModel = 0;
    int baseBenchmark = 0;
    qint64 otherRun = 0;
    int otherModel = 0;
    int otherBenchmark = 0;
};
struct Disagreement {
    qint64 sampleIndex = 0;
    int repeat = 0;
    QString sampleId;
    QString expected;
    double baseScore = 0;
    double otherScore = 0;
    QString baseResponse;
    QString otherResponse;
};
std::optional<qint64> countDisagreements(const ResultsStore& store, const DisagreementPair& pair, QString* error);
// The page after (afterSample, afterRepeat); pass -1, -1 for the first page.
std::optional<QVector<Disagreement>> disagreementPage(const ResultsStore& store, const DisagreementPair& pair,
    qint64 afterSample, int afterRepeat, int limit, QString* error);

} // namespace evs
