#include "models/browse/resultstablemodel.h"

#include <QPointer>
#include <QThread>

#include <cmath>

using namespace Qt::StringLiterals;

namespace evs {

namespace {

// Pages further than this from the one the view asked for last are not read: the user has scrolled past them.
constexpr int kFocusWindowPages = 6;

QString oneLine(const QString& text)
{
    QString s = text;
    s.replace(u"\r\n"_s, u" ⏎ "_s).replace(u'\n', u" ⏎ "_s).replace(u'\t', u' ');
    return s;
}

QString formatMs(qint64 ns)
{
    return ns < 0 ? QString() : QString::number(double(ns) / 1e6, 'f', 1);
}

QString formatScore(const ResultRow& r)
{
    if (r.scoreError)
        return u"error"_s; // the scorer could not score it
    if (std::isnan(r.score))
        return u"—"_s;
    return QString::number(r.score, 'g', 4);
}

} // namespace

// Worker-thread state: the read connection, opened on first use there.
struct ResultsTableModel::Worker {
    ResultsQuery query;
    bool ensureOpen(const QString& path, QString* error)
    {
        if (query.isOpen() && query.path() == path)
            return true;
        return query.open(path, error);
    }
};

ResultsTableModel::ResultsTableModel(QObject* parent)
    : QAbstractTableModel(parent)
    , m_thread(new QThread)
    , m_workerContext(new QObject)
    , m_worker(std::make_shared<Worker>())
    , m_generation(std::make_shared<std::atomic<quint64>>(0))
    , m_focusPage(std::make_shared<std::atomic<int>>(0))
{
    m_thread->setObjectName(u"resultsBrowse"_s);
    m_workerContext->moveToThread(m_thread);
    m_thread->start();
}

ResultsTableModel::~ResultsTableModel()
{
    ++*m_generation; // running jobs see they are stale and stop
    for (const QPointer<QThread>& scan : std::as_const(m_scans)) {
        if (scan) {
            scan->wait();
            delete scan.data();
        }
    }
    // The connection is closed on the thread that used it.
    QMetaObject::invokeMethod(m_workerContext, [w = m_worker] { w->query.close(); });
    QMetaObject::invokeMethod(m_workerContext, [ctx = m_workerContext] { delete ctx; });
    m_thread->quit();
    m_thread->wait();
    delete m_thread;
}

void ResultsTableModel::setQuery(
    const QString& dbPath, qint64 runId, const ResultsFilter& filter, const ResultsSort& sort)
{
    const bool newRun = dbPath != m_dbPath || runId != m_runId;
    m_dbPath = dbPath;
    m_runId = runId;
    m_filter = filter;
    m_sort = sort;
    restart(newRun);
}

void ResultsTableModel::setFilter(const ResultsFilter& filter)
{
    if (filter == m_filter)
        return;
    m_filter = filter;
    restart(false);
}

void ResultsTableModel::setSortOrder(const ResultsSort& sort)
{
    if (sort == m_sort)
        return;
    m_sort = sort;
    restart(false);
}

void ResultsTableModel::reload()
{
    restart(true);
}

void ResultsTableModel::cancel()
{
    if (!m_loading)
        return;
    ++*m_generation;
    m_loading = false;
    Q_EMIT loadCanceled();
}

void ResultsTableModel::clear()
{
    ++*m_generation;
    beginResetModel();
    m_dbPath.clear();
    m_runId = 0;
    m_index = {};
    m_pages.clear();
    m_pending.clear();
    m_facets = {};
    m_facetsLoaded = false;
    m_loading = false;
    endResetModel();
    Q_EMIT facetsChanged();
}

void ResultsTableModel::restart(bool newRun)
{
    Q_ASSERT(QThread::currentThread() == thread());
    const quint64 gen = ++*m_generation;
    beginResetModel();
    m_index = {};
    m_pages.clear();
    m_pending.clear();
    if (newRun) {
        m_facets = {};
        m_facetsLoaded = false;
    }
    m_loading = !m_dbPath.isEmpty() && m_runId > 0;
    endResetModel();
    if (newRun)
        Q_EMIT facetsChanged();
    if (!m_loading)
        return;
    Q_EMIT loadingStarted();

    // A job superseded before it delivered the facets leaves them to the next one.
    const bool needFacets = newRun || !m_facetsLoaded;
    const bool needCategories = needFacets || !m_facets.categoriesKnown;
    QPointer<ResultsTableModel> self(this);
    const QString path = m_dbPath;
    const qint64 runId = m_runId;
    const ResultsFilter filter = m_filter;
    const ResultsSort sort = m_sort;
    auto latest = m_generation;
    auto worker = m_worker;
    QMetaObject::invokeMethod(m_workerContext, [=] {
        if (*latest != gen)
            return;
        QString error;
        if (!worker->ensureOpen(path, &error)) {
            QMetaObject::invokeMethod(self.data(), [=] {
                if (self)
                    self->onIndexed(gen, std::nullopt, error);
            });
            return;
        }
        bool categoriesKnown = !needCategories;
        if (needFacets) {
            const RunFacets facets = worker->query.facets(runId);
            categoriesKnown = facets.categoriesKnown;
            QMetaObject::invokeMethod(self.data(), [=] {
                if (self && *latest == gen) {
                    self->m_facets = facets;
                    self->m_facetsLoaded = true;
                    Q_EMIT self->facetsChanged();
                }
            });
        }
        auto index = worker->query.buildIndex(
            runId, filter, sort, kPageRows,
            [&](qint64 examined, qint64 total) {
                if (*latest != gen)
                    return false;
                QMetaObject::invokeMethod(self.data(), [=] {
                    if (self && *latest == gen)
                        Q_EMIT self->loadProgress(examined, total);
                });
                return true;
            },
            &error);
        if (*latest != gen)
            return;
        QMetaObject::invokeMethod(self.data(), [=] {
            if (self)
                self->onIndexed(gen, index, error);
        });
        if (!categoriesKnown) {
            QMetaObject::invokeMethod(self.data(), [=] {
                if (self && *latest == gen)
                    self->scanCategories(gen);
            });
        }
    });
}

// The categories of a run without a summary take a scan of its rows (seconds on a million): on a thread of their
// own with their own connection, so that the pages the view asks for meanwhile do not wait behind it.
void ResultsTableModel::scanCategories(quint64 generation)
{
    QPointer<ResultsTableModel> self(this);
    auto latest = m_generation;
    const QString path = m_dbPath;
    const qint64 runId = m_runId;
    QThread* scan = QThread::create([=] {
        ResultsQuery query;
        if (!query.open(path, nullptr))
            return;
        const QStringList categories = query.categories(runId, [&] { return *latest == generation; });
        QMetaObject::invokeMethod(self.data(), [=] {
            if (self && *latest == generation && !categories.isEmpty()) {
                self->m_facets.categories = categories;
                self->m_facets.categoriesKnown = true;
                Q_EMIT self->facetsChanged();
            }
        });
    });
    scan->setObjectName(u"resultsCategories"_s);
    connect(scan, &QThread::finished, scan, &QObject::deleteLater);
    m_scans.removeIf([](const QPointer<QThread>& t) { return t.isNull(); });
    m_scans.append(scan);
    scan->start(QThread::LowPriority);
}

void ResultsTableModel::onIndexed(quint64 generation, std::optional<ResultsIndex> index, const QString& error)
{
    if (generation != *m_generation)
        return;
    m_loading = false;
    if (!index) {
        Q_EMIT loadFailed(error.isEmpty() ? u"indexing stopped"_s : error);
        return;
    }
    beginResetModel();
    m_index = std::move(*index);
    m_pages.clear();
    m_pending.clear();
    endResetModel();
    Q_EMIT loaded(m_index.count);
}

void ResultsTableModel::requestPage(int page) const
{
    if (page < 0 || page >= m_index.anchors.size() || m_pages.contains(page) || m_pending.contains(page))
        return;
    m_pending.insert(page);
    *m_focusPage = page;
    auto* self = const_cast<ResultsTableModel*>(this);
    QPointer<ResultsTableModel> guard(self);
    const quint64 gen = *m_generation;
    auto latest = m_generation;
    auto focus = m_focusPage;
    auto worker = m_worker;
    const QString path = m_dbPath;
    const qint64 runId = m_runId;
    const ResultsFilter filter = m_filter;
    const ResultsSort sort = m_sort;
    const RowKey anchor = m_index.anchors.at(page);
    QMetaObject::invokeMethod(m_workerContext, [=] {
        if (*latest != gen)
            return;
        QVector<ResultRow> rows;
        QString error;
        const bool skipped = std::abs(page - focus->load()) > kFocusWindowPages;
        if (!skipped && worker->ensureOpen(path, &error))
            rows = worker->query.page(runId, filter, sort, anchor, true, kPageRows, &error);
        QMetaObject::invokeMethod(guard.data(), [=] {
            if (guard)
                guard->onPage(gen, page, rows, skipped, error);
        });
    });
}

void ResultsTableModel::onPage(
    quint64 generation, int page, QVector<ResultRow> rows, bool skipped, const QString& error)
{
    if (generation != *m_generation)
        return;
    m_pending.remove(page);
    const int first = page * kPageRows;
    const int last = int(qMin<qint64>(m_index.count, qint64(first) + kPageRows)) - 1;
    if (!skipped && error.isEmpty()) {
        // Bounded cache: drop the least recently used pages.
        while (m_pages.size() >= kMaxCachedPages) {
            auto oldest = m_pages.begin();
            for (auto it = m_pages.begin(); it != m_pages.end(); ++it) {
                if (it->lastUsed < oldest->lastUsed)
                    oldest = it;
            }
            m_pages.erase(oldest);
        }
        m_pages.insert(page, Page { std::move(rows), ++m_useClock });
        ++m_pagesRead;
    }
    // Also after a skip: a page still on screen is asked for again when the view repaints it.
    if (last >= first)
        Q_EMIT dataChanged(index(first, 0), index(last, NUM_COLUMNS - 1));
    if (!skipped && error.isEmpty())
        Q_EMIT pageLoaded(page);
    else if (!error.isEmpty())
        Q_EMIT loadFailed(error);
}

const ResultRow* ResultsTableModel::rowAt(int row) const
{
    if (row < 0 || row >= m_index.count)
        return nullptr;
    const int page = row / kPageRows;
    const int offset = row % kPageRows;
    auto it = m_pages.find(page);
    if (it == m_pages.end()) {
        requestPage(page);
        // Read ahead in both directions, so that scrolling rarely waits.
        requestPage(page + 1);
        if (page > 0)
            requestPage(page - 1);
        return nullptr;
    }
    it->lastUsed = ++m_useClock;
    // Read ahead of the direction the view is heading, two pages: on a busy machine the worker may wait for a core.
    if (offset >= kPageRows / 2) {
        requestPage(page + 1);
        requestPage(page + 2);
    } else if (page > 0) {
        requestPage(page - 1);
        if (page > 1)
            requestPage(page - 2);
    }
    // A page can hold fewer rows than the index promised when the run changed since (rows deleted).
    return offset < it->rows.size() ? &it->rows.at(offset) : nullptr;
}

bool ResultsTableModel::isRowLoaded(int row) const
{
    if (row < 0 || row >= m_index.count)
        return false;
    auto it = m_pages.constFind(row / kPageRows);
    return it != m_pages.cend() && row % kPageRows < it->rows.size();
}

qint64 ResultsTableModel::resultId(int row) const
{
    if (!isRowLoaded(row))
        return 0;
    return m_pages.value(row / kPageRows).rows.at(row % kPageRows).id;
}

QString ResultsTableModel::modelName(int i) const
{
    const QString n = m_facets.models.value(i);
    return n.isEmpty() ? u"#%1"_s.arg(i) : n;
}

QString ResultsTableModel::benchmarkName(int i) const
{
    const QString n = m_facets.benchmarks.value(i);
    return n.isEmpty() ? u"#%1"_s.arg(i) : n;
}

std::optional<ResultsSortKey> ResultsTableModel::sortKeyForColumn(int column)
{
    switch (column) {
    case SampleColumn:
    case ModelColumn:
        return ResultsSortKey::Sample; // the natural key leads with the model
    case BenchmarkColumn:
        return ResultsSortKey::Benchmark;
    case StatusColumn:
        return ResultsSortKey::Status;
    case ScoreColumn:
        return ResultsSortKey::Score;
    case LatencyColumn:
        return ResultsSortKey::Latency;
    case TtftColumn:
        return ResultsSortKey::Ttft;
    default:
        return std::nullopt;
    }
}

int ResultsTableModel::columnForSortKey(ResultsSortKey key)
{
    switch (key) {
    case ResultsSortKey::Sample:
        return SampleColumn;
    case ResultsSortKey::Benchmark:
        return BenchmarkColumn;
    case ResultsSortKey::Status:
        return StatusColumn;
    case ResultsSortKey::Score:
        return ScoreColumn;
    case ResultsSortKey::Latency:
        return LatencyColumn;
    case ResultsSortKey::Ttft:
        return TtftColumn;
    }
    return SampleColumn;
}

int ResultsTableModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : int(m_index.count);
}

int ResultsTableModel::columnCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : NUM_COLUMNS;
}

QVariant ResultsTableModel::data(const QModelIndex& index, int role) const
{
    if (!index.isValid() || index.row() >= m_index.count || index.column() >= NUM_COLUMNS)
        return {};
    if (role == LoadedRole)
        return isRowLoaded(index.row());
    if (role != Qt::DisplayRole && role != Qt::ToolTipRole && role != Qt::TextAlignmentRole && role < Qt::UserRole)
        return {};
    const ResultRow* r = rowAt(index.row());
    if (role == Qt::TextAlignmentRole) {
        switch (index.column()) {
        case ScoreColumn:
        case LatencyColumn:
        case TtftColumn:
        case OutputTokensColumn:
        case AttemptsColumn:
            return int(Qt::AlignRight | Qt::AlignVCenter);
        default:
            return int(Qt::AlignLeft | Qt::AlignVCenter);
        }
    }
    if (!r)
        return role == Qt::DisplayRole && index.column() == SampleColumn ? QVariant(u"…"_s) : QVariant();

    switch (role) {
    case ResultIdRole:
        return r->id;
    case ScoreRole:
        return std::isnan(r->score) ? QVariant() : QVariant(r->score);
    case LatencyMsRole:
        return r->latencyNs < 0 ? QVariant() : QVariant(double(r->latencyNs) / 1e6);
    case ErrorClassRole:
        return r->errorClass;
    default:
        break;
    }

    const bool tip = role == Qt::ToolTipRole;
    switch (index.column()) {
    case SampleColumn: {
        const QString id = r->sampleId.isEmpty() ? u"#%1"_s.arg(r->sampleIndex) : r->sampleId;
        return r->repeat > 0 ? u"%1 (repeat %2)"_s.arg(id).arg(r->repeat + 1) : id;
    }
    case ModelColumn:
        return modelName(r->modelIndex);
    case BenchmarkColumn:
        return benchmarkName(r->benchmarkIndex);
    case CategoryColumn:
        return r->category;
    case StatusColumn: {
        QString s = r->errorClass.isEmpty() ? u"ok"_s : r->errorClass;
        if (r->httpStatus != 0 && r->httpStatus != 200)
            s += u" (%1)"_s.arg(r->httpStatus);
        if (r->cached)
            s += u" · cached"_s;
        return s;
    }
    case ScoreColumn:
        return formatScore(*r);
    case LatencyColumn:
        return formatMs(r->latencyNs);
    case TtftColumn:
        return formatMs(r->ttftNs);
    case OutputTokensColumn:
        return r->outputTokens < 0 ? QString() : QString::number(r->outputTokens);
    case AttemptsColumn:
        return r->attempts;
    case ResponseColumn:
        return tip ? r->responsePreview : oneLine(r->responsePreview);
    case ExpectedColumn:
        return tip ? r->expectedPreview : oneLine(r->expectedPreview);
    default:
        return {};
    }
}

QVariant ResultsTableModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal)
        return role == Qt::DisplayRole ? QVariant(section + 1) : QVariant();
    if (role == Qt::DisplayRole) {
        switch (section) {
        case SampleColumn:
            return u"Sample"_s;
        case ModelColumn:
            return u"Model"_s;
        case BenchmarkColumn:
            return u"Benchmark"_s;
        case CategoryColumn:
            return u"Category"_s;
        case StatusColumn:
            return u"Status"_s;
        case ScoreColumn:
            return u"Score"_s;
        case LatencyColumn:
            return u"Latency ms"_s;
        case TtftColumn:
            return u"TTFT ms"_s;
        case OutputTokensColumn:
            return u"Out tok"_s;
        case AttemptsColumn:
            return u"Attempts"_s;
        case ResponseColumn:
            return u"Response"_s;
        case ExpectedColumn:
            return u"Expected"_s;
        }
    }
    if (role == Qt::ToolTipRole) {
        switch (section) {
        case StatusColumn:
            return u"How the final attempt ended: ok, or the error class (timeout, connect, tls, http_4xx, "
                   "http_429, http_5xx, parse, canceled) with the HTTP status"_s;
        case ScoreColumn:
            return u"The scorer's score (1 = full credit); — when not scored"_s;
        case LatencyColumn:
            return u"End-to-end latency: t_last_token − t_send (whole responses: t_end − t_send)"_s;
        case TtftColumn:
            return u"Time to first token: t_first_token − t_send (first non-empty content, reasoning or tool-call "
                   "delta)"_s;
        case OutputTokensColumn:
            return u"Output tokens: the server's usage when reported, else token-bearing stream events"_s;
        case AttemptsColumn:
            return u"Attempts sent for this sample, retries included"_s;
        }
    }
    return {};
}

void ResultsTableModel::sort(int column, Qt::SortOrder order)
{
    const auto key = sortKeyForColumn(column);
    if (!key)
        return; // not a sortable column: the order stays
    setSortOrder(ResultsSort { *key, order == Qt::DescendingOrder });
}

} // namespace evs
