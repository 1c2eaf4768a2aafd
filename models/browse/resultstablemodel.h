#pragma once

#include "models/browse/resultsquery.h"

#include <QAbstractTableModel>
#include <QHash>
#include <QList>
#include <QPointer>
#include <QSet>

#include <atomic>
#include <memory>

class QThread;

namespace evs {

// Every sample of a run, virtualised over the store: rowCount comes from an index built on a worker thread (one pass
// over the sort key: the count and every page's first key), and rows are read a page at a time, on the worker thread,
// by a keyset seek when the view asks for them. A bounded cache keeps the pages around the visible rows; a row not
// read yet shows a placeholder until its page arrives (dataChanged). Filtering and sorting happen in SQL.
class ResultsTableModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Columns {
        SampleColumn,
        ModelColumn,
        BenchmarkColumn,
        CategoryColumn,
        StatusColumn,
        ScoreColumn,
        LatencyColumn,
        TtftColumn,
        OutputTokensColumn,
        AttemptsColumn,
        ResponseColumn,
        ExpectedColumn,
        NUM_COLUMNS
    };
    enum Roles {
        ResultIdRole = Qt::UserRole, // qint64; invalid while the row's page is not read
        LoadedRole, // bool
        ScoreRole, // double, invalid when not scored
        LatencyMsRole, // double, invalid when unknown
        ErrorClassRole, // QString, empty = ok
    };

    static constexpr int kPageRows = 256;
    static constexpr int kMaxCachedPages = 40; // ~10k rows

    explicit ResultsTableModel(QObject* parent = nullptr);
    ~ResultsTableModel() override;

    // One call sets what is shown; the old rows go at once and the new ones come when indexed (loaded()).
    void setQuery(const QString& dbPath, qint64 runId, const ResultsFilter& filter = {}, const ResultsSort& sort = {});
    void setFilter(const ResultsFilter& filter);
    void setSortOrder(const ResultsSort& sort);
    void reload(); // the run may have grown (a live run)
    void cancel(); // stops indexing; the table stays empty until the next change
    void clear();

    QString databasePath() const { return m_dbPath; }
    qint64 runId() const { return m_runId; }
    ResultsFilter filter() const { return m_filter; }
    ResultsSort sortOrder() const { return m_sort; }
    const RunFacets& facets() const { return m_facets; }
    bool isLoading() const { return m_loading; }
    bool isRowLoaded(int row) const;
    qint64 resultId(int row) const; // 0 while its page is not read
    int cachedPageCount() const { return int(m_pages.size()); }
    qint64 pagesRead() const { return m_pagesRead; }

    static std::optional<ResultsSortKey> sortKeyForColumn(int column);
    static int columnForSortKey(ResultsSortKey key);

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;
    void sort(int column, Qt::SortOrder order = Qt::AscendingOrder) override;

Q_SIGNALS:
    void loadingStarted();
    void loadProgress(qint64 examined, qint64 total); // total -1 when unknown; throttled at the source
    void loaded(qint64 rowCount);
    void loadFailed(const QString& error);
    void loadCanceled();
    void facetsChanged();
    void pageLoaded(int page);

private:
    struct Page {
        QVector<ResultRow> rows;
        quint64 lastUsed = 0;
    };
    struct Worker;
    void restart(bool newRun);
    void requestPage(int page) const;
    void scanCategories(quint64 generation);
    void onIndexed(quint64 generation, std::optional<ResultsIndex> index, const QString& error);
    void onPage(quint64 generation, int page, QVector<ResultRow> rows, bool skipped, const QString& error);
    const ResultRow* rowAt(int row) const;
    QString modelName(int index) const;
    QString benchmarkName(int index) const;

    QThread* m_thread = nullptr;
    QObject* m_workerContext = nullptr; // lives on m_thread: jobs are invoked on it
    QList<QPointer<QThread>> m_scans; // category scans still running
    std::shared_ptr<Worker> m_worker;
    std::shared_ptr<std::atomic<quint64>> m_generation;
    std::shared_ptr<std::atomic<int>> m_focusPage; // the page the view asked for last: far-off requests are skipped

    QString m_dbPath;
    qint64 m_runId = 0;
    ResultsFilter m_filter;
    ResultsSort m_sort;
    RunFacets m_facets;
    bool m_facetsLoaded = false;
    ResultsIndex m_index;
    bool m_loading = false;
    mutable QHash<int, Page> m_pages;
    mutable QSet<int> m_pending;
    mutable quint64 m_useClock = 0;
    qint64 m_pagesRead = 0;
};

} // namespace evs
