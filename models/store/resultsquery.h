#pragma once

#include <QString>
#include <QStringList>
#include <QVariant>
#include <QVector>

#include <atomic>
#include <functional>
#include <memory>
#include <optional>

struct sqlite3;

namespace evs {

// What the results browser narrows a run to. Every condition is applied in SQL (never over loaded rows).
struct ResultsFilter {
    bool failedOnly = false; // the final outcome is an error
    bool wrongOnly = false; // scored below full credit (score < 1); unscored rows are not "wrong"
    int modelIndex = -1; // -1 = every model
    int benchmarkIndex = -1;
    QString category {}; // empty = every category
    QString text {}; // substring of the response or the expected answer (ASCII case-insensitive, like SQL LIKE)

    bool operator==(const ResultsFilter&) const = default;
};

// Sort keys the browser offers. Sample and Benchmark are unique composite keys (the store's natural key, resp. the
// same led by the benchmark); the others are one value with the rowid breaking ties.
enum class ResultsSortKey { Sample, Benchmark, Status, Score, Latency, Ttft };

struct ResultsSort {
    ResultsSortKey key = ResultsSortKey::Sample;
    bool descending = false;
    bool operator==(const ResultsSort&) const = default;
};

// A row's position in a sort order: the key values and the rowid.
struct RowKey {
    QVariantList values;
    qint64 id = 0;
};

// One row of the results table: the short columns only (texts are cut to a preview).
struct ResultRow {
    qint64 id = 0;
    int modelIndex = 0;
    int benchmarkIndex = 0;
    qint64 sampleIndex = 0;
    int repeat = 0;
    QString sampleId;
    QString category;
    QString errorClass; // empty = ok
    int httpStatus = 0;
    int attempts = 0;
    double score = qQNaN(); // NaN = not scored
    bool scoreError = false;
    qint64 latencyNs = -1;
    qint64 ttftNs = -1;
    qint64 outputTokens = -1;
    bool cached = false;
    QString responsePreview;
    QString expectedPreview;
    RowKey key; // in the sort order it was read with
};

struct AttemptInfo {
    int attempt = 0;
    QString errorClass; // empty = ok (the final attempt of a successful sample)
    int httpStatus = 0;
    qint64 sendNs = -1;
    qint64 endNs = -1;
    QString errorMessage;
    bool final = false; // the record's own outcome rather than a retried attempt
};

// Everything stored about one sample, for the detail pane.
struct ResultDetail {
    ResultRow row;
    QString prompt; // from the texts table
    QString response;
    QString reasoning;
    QString expected;
    QString finishReason;
    QString scoreExplanation;
    QString judgePrompt;
    QString judgeResponse;
    QString errorMessage;
    QString tokenSource;
    qint64 inputTokens = -1;
    int tokenEvents = 0;
    // ns on the run's clock, -1 = did not happen
    qint64 tSched = -1, tSend = -1, tWire = -1, tHeaders = -1, tFirstToken = -1, tFirstContent = -1, tLastToken = -1,
           tEnd = -1;
    QVector<AttemptInfo> attempts; // retried attempts first, then the final one
};

// Names the filters offer for a run.
struct RunFacets {
    QStringList models; // by model index, from the run's plan
    QStringList benchmarks;
    QStringList categories; // distinct, sorted (at most kMaxCategories)
    bool categoriesKnown = false; // false: the run has no summary naming them; categories() scans the run
    qint64 total = 0; // stored records
    static constexpr int kMaxCategories = 1000;
};

// Sparse index of a filtered, sorted run: every stride-th key, so that any page starts with a keyset seek.
struct ResultsIndex {
    qint64 count = 0;
    int stride = 0;
    QVector<RowKey> anchors; // anchors[p] = key of row p * stride
};

// Paged read queries of the results browser (docs/architecture.md section 5: keyset pagination on the sort key, rowid
// breaking ties; views never load a whole run). Its own read-only connection, used by the thread that opened it.
class ResultsQuery {
public:
    ResultsQuery();
    ~ResultsQuery();
    ResultsQuery(const ResultsQuery&) = delete;
    ResultsQuery& operator=(const ResultsQuery&) = delete;

    bool open(const QString& path, QString* error);
    void close();
    bool isOpen() const;
    QString path() const;

    // Cheap: names from the run's plan, categories from its saved summary, the count from the key index.
    RunFacets facets(qint64 runId, QString* error = nullptr) const;
    // Distinct categories by a scan of the run's rows (seconds on a million): for runs without a summary. Stops early
    // (returning what it has) once keepGoing says false.
    QStringList categories(qint64 runId, const std::function<bool()>& keepGoing = {}) const;
    qint64 count(qint64 runId, const ResultsFilter& filter, QString* error = nullptr) const; // -1 on error

    // Up to `limit` rows in sort order starting at `from` (included, or excluded when !inclusive); from the first row
    // when `from` is empty.
    QVector<ResultRow> page(qint64 runId, const ResultsFilter& filter, const ResultsSort& sort,
        const std::optional<RowKey>& from, bool inclusive, int limit, QString* error = nullptr) const;

    // Walks every matching row's key in sort order once (a worker thread's job: with a text filter it reads every
    // response of the run). progress(examined, total) is called every few thousand rows; returning false cancels
    // (the result is then empty, and so is error).
    std::optional<ResultsIndex> buildIndex(qint64 runId, const ResultsFilter& filter, const ResultsSort& sort,
        int stride, const std::function<bool(qint64 examined, qint64 total)>& progress, QString* error) const;

    std::optional<ResultDetail> detail(qint64 resultId, QString* error = nullptr) const;

    // The SQL expressions of a sort key, as its index spells them (models/store/storesql.h); unique = the key has no
    // ties.
    static QStringList keyExpressions(ResultsSortKey key, bool* unique = nullptr);

private:
    struct Private;
    std::unique_ptr<Private> d;
};

} // namespace evs
