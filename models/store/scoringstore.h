#pragma once

#include <QDateTime>
#include <QJsonObject>
#include <QString>
#include <QVector>

#include <functional>
#include <optional>

namespace evs {

class ResultsStore;

// A re-scoring of a run's stored responses. Scoring 0 is the run's own (the results table's score columns).
struct ScoringInfo {
    qint64 id = 0;
    qint64 runId = 0;
    QDateTime createdAt;
    QJsonObject scorer; // the scorer spec used
    QString label;
    int benchmarkIndex = -1; // -1 = every benchmark of the run
    qint64 scoredResults = 0;
    QJsonObject summary; // the RunSummary of this scoring, saved when it was made
};

// One stored response to score again.
struct StoredResponse {
    qint64 resultId = 0;
    int modelIndex = 0;
    int benchmarkIndex = 0;
    qint64 sampleIndex = 0;
    int repeat = 0;
    QString sampleId; // as stored: checks that the dataset read again is the one that was run
    bool ok = true; // the request succeeded (else it is not scored)
    QString response;
    QString expected;
};

// Reads and writes re-scorings on the store's connection (same thread as the store).
class ScoringStore {
public:
    explicit ScoringStore(ResultsStore& store);
    ~ScoringStore();
    ScoringStore(const ScoringStore&) = delete;
    ScoringStore& operator=(const ScoringStore&) = delete;

    QVector<ScoringInfo> scorings(qint64 runId) const; // oldest first
    std::optional<ScoringInfo> scoring(qint64 scoringId) const;

    // (model, benchmark) pairs of a run, in key order.
    QVector<std::pair<int, int>> pairs(qint64 runId, QString* error) const;
    // Streams one pair's final records in sample and repeat order (index order: bounded memory).
    bool forEachResponse(qint64 runId, int model, int benchmark, const std::function<bool(const StoredResponse&)>& f,
        QString* error) const;

    // Writing a scoring: begin() opens a transaction and creates the scoring row, add() stores one result's
    // score, commit() makes it all visible at once (a failed or abandoned scoring leaves nothing behind).
    std::optional<qint64> begin(
        qint64 runId, const QJsonObject& scorer, const QString& label, int benchmarkIndex, QString* error);
    bool add(qint64 resultId, double score, bool scoreError, const QString& explanation, QString* error);
    bool commit(QString* error);
    void rollback();
    bool saveSummary(qint64 scoringId, const QJsonObject& summary, QString* error);

private:
    struct Private;
    std::unique_ptr<Private> d;
};

} // namespace evs
