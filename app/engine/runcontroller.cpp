#include "app/engine/runcontroller.h"

#include "app/benchmarks/samplesource.h"
#include "app/engine/enginecontext.h"
#include "app/engine/worker.h"
#include "app/simulator/simulatorserver.h"
#include "models/plan/planparser.h"
#include "models/store/resultswriter.h"

#include <QElapsedTimer>
#include <QJsonArray>
#include <QMetaMethod>
#include <QThread>
#include <QTimer>

#include <spdlog/spdlog.h>
#include <sqlite3.h>

#include <algorithm>
#include <atomic>
#include <mutex>

using namespace Qt::StringLiterals;

namespace evs {

namespace {

// The end of a run, on the finaliser thread: what it needs (copied before it starts) and what it found (read once
// it has ended). abandon() may be called from the controller's thread at any time.
struct Finalization {
    // In.
    std::vector<QThread*> threads; // joined here, deleted on the controller's thread
    ResultsWriter* writer = nullptr;
    QString dbPath;
    qint64 runId = 0;
    QVector<Threshold> thresholds;
    QMap<int, qint64> badRecordsByBenchmark;
    QString fatal;
    bool userCanceled = false;
    // Out.
    RunStatus status = RunStatus::Completed;
    QString failure;
    std::optional<RunSummary> summary;
    ThresholdReport thresholdReport;

    void abandon()
    {
        std::lock_guard lock(mutex);
        abandoned = true;
        if (db)
            sqlite3_interrupt(db); // thread-safe: the running query returns SQLITE_INTERRUPT
    }
    bool isAbandoned() const { return abandoned.load(); }
    void attach(sqlite3* handle)
    {
        std::lock_guard lock(mutex);
        db = handle;
    }
    void run();

private:
    std::mutex mutex;
    sqlite3* db = nullptr; // the finaliser's connection while a query may be interrupted
    std::atomic_bool abandoned = false;
};

void Finalization::run()
{
    for (QThread* t : threads) {
        t->quit();
        t->wait();
    }
    const bool flushed = writer->flush();
    writer->stop();
    if (!flushed && fatal.isEmpty())
        fatal = writer->error();

    ResultsStore store; // a connection of this thread
    QString error;
    if (!store.open(dbPath, &error)) {
        status = RunStatus::Failed;
        failure = u"results store: %1"_s.arg(error);
        spdlog::error("could not record the end of run {}: {}", runId, error.toStdString());
        return;
    }
    attach(store.handle());
    if (!fatal.isEmpty()) {
        failure = fatal;
        status = RunStatus::Failed;
    } else if (userCanceled) {
        status = RunStatus::Interrupted;
    } else {
        if (!isAbandoned())
            summary = computeRunSummary(store, runId, &error);
        QJsonObject saved;
        if (summary) {
            for (auto it = badRecordsByBenchmark.cbegin(); it != badRecordsByBenchmark.cend(); ++it)
                summary->setBadRecords(it.key(), it.value());
            thresholdReport = evaluateThresholds(thresholds, *summary, &store, runId);
            saved = summary->toJson();
            if (!thresholdReport.results.isEmpty())
                saved.insert(u"thresholds"_s, thresholdReport.toJson());
        }
        // An interrupted query (abandon() sets the flag first) may have left a figure out: never save such a summary.
        if (summary && !isAbandoned() && store.saveSummary(runId, saved, &error)) {
            status = RunStatus::Completed;
        } else if (isAbandoned()) {
            // Quitting while the summary was computed: every record is stored, the summary is not. A resume sends
            // nothing and computes it.
            status = RunStatus::Interrupted;
            summary.reset();
            thresholdReport = {};
        } else {
            failure = u"summary of run %1: %2"_s.arg(runId).arg(error);
            status = RunStatus::Failed;
        }
    }
    attach(nullptr); // the status must be written whatever happens now
    // A failed store leaves the run resumable: mark it interrupted, not failed, when records may be missing.
    const RunStatus stored = status == RunStatus::Failed ? RunStatus::Interrupted : status;
    QString statusError;
    if (!store.setRunStatus(runId, stored, &statusError) && !store.setRunStatus(runId, stored, &statusError))
        spdlog::error("could not record the status of run {}: {}", runId, statusError.toStdString());
}

} // namespace

struct RunController::Private {
    ResultsStore store;
    std::unique_ptr<ResultsWriter> writer;
    std::unique_ptr<EngineContext> ctx;
    std::vector<std::unique_ptr<SimulatorHost>> simulators;
    std::vector<QThread*> threads;
    std::vector<Worker*> workers;
    int drainedWorkers = 0;
    QTimer progressTimer;
    QElapsedTimer sessionTimer;
    qint64 planned = -1;
    qint64 doneBefore = 0;
    bool userCanceled = false;
    // While the run finalises: the finaliser thread and what it shares with this one.
    QThread* finalizer = nullptr;
    std::shared_ptr<Finalization> finalization;
};

namespace {

// Resolves "env:NAME" (and reports "keychain:NAME", which only the desktop app can read).
bool resolveApiKey(const ModelSpec& m, int index, const RunController::Options& options, QString* key, QString* error)
{
    key->clear();
    if (m.apiKeyRef.isEmpty())
        return true;
    const QString where = u"models[%1].api_key"_s.arg(index);
    if (m.apiKeyRef.startsWith(u"env:"_s)) {
        const QString name = m.apiKeyRef.mid(4);
        const QByteArray value = qgetenv(name.toLocal8Bit().constData());
        if (value.isEmpty()) {
            *error = u"%1: environment variable %2 is not set (model '%3')"_s.arg(where, name, m.id);
            return false;
        }
        *key = QString::fromLocal8Bit(value);
        return true;
    }
    if (m.apiKeyRef.startsWith(u"keychain:"_s) && options.keychainLookup) {
        const QString name = m.apiKeyRef.mid(9);
        const auto value = options.keychainLookup(name);
        if (!value || value->isEmpty()) {
            *error = u"%1: no secret '%2' in the keychain (model '%3')"_s.arg(where, name, m.id);
            return false;
        }
        *key = *value;
        return true;
    }
    if (m.apiKeyRef.startsWith(u"keychain:"_s)) {
        *error = u"%1: keychain references are read by the desktop app; the CLI takes env:NAME (model '%2')"_s.arg(
            where, m.id);
        return false;
    }
    *error = u"%1: must be env:NAME or keychain:NAME"_s.arg(where);
    return false;
}

// What decides a simulated model's answers and so belongs in its cache key.
QJsonObject simulatorIdentity(const SimulatorSettings& s)
{
    QJsonObject faults;
    for (auto it = s.faults.cbegin(); it != s.faults.cend(); ++it)
        faults.insert(it.key(), it.value());
    return QJsonObject { { u"accuracy"_s, s.accuracy }, { u"output_tokens"_s, s.outputTokens },
        { u"faults"_s, faults } };
}

int chooseWorkerThreads(int totalSlots, int requested)
{
    if (requested <= 0) {
        bool ok = false;
        requested = qEnvironmentVariableIntValue("EVALSANDBOX_WORKERS", &ok);
        if (!ok || requested <= 0)
            requested = std::clamp((totalSlots + 15) / 16, 1, std::max(1, QThread::idealThreadCount()));
    }
    return std::clamp(requested, 1, std::max(1, totalSlots));
}

} // namespace

RunController::RunController(QObject* parent)
    : QObject(parent)
    , d(std::make_unique<Private>())
{
    d->progressTimer.setInterval(100);
    connect(&d->progressTimer, &QTimer::timeout, this, [this] {
        Q_EMIT progressed(progress());
        if (isSignalConnected(QMetaMethod::fromSignal(&RunController::snapshotAvailable)))
            Q_EMIT snapshotAvailable(snapshot());
    });
}

RunController::~RunController()
{
    if (d->finalizer) {
        spdlog::warn("run {} is still finalising: its records are flushed, its summary is left for a resume", m_runId);
        disconnect(d->finalizer, nullptr, this, nullptr);
        d->finalization->abandon();
        d->finalizer->wait();
        delete d->finalizer;
        d->finalizer = nullptr;
        cleanupThreads();
    } else if (m_running) {
        cancel();
        cleanupThreads();
    }
}

bool RunController::start(const RunPlan& plan, const Options& options, QString* error, bool* errorIsUsage)
{
    if (errorIsUsage)
        *errorIsUsage = false;
    if (m_running) {
        *error = u"a run is already active"_s;
        return false;
    }
    m_options = options;
    m_dbPath = options.dbPath.isEmpty() ? ResultsStore::defaultPath() : options.dbPath;
    if (!d->store.open(m_dbPath, error))
        return false;

    qint64 planned = 0;
    for (const BenchmarkSpec& b : plan.benchmarks) {
        QString countError;
        const qint64 n = WorkSource::countWork(b, &countError);
        if (n < 0) {
            *error = u"benchmark '%1': %2"_s.arg(b.id, countError);
            if (errorIsUsage)
                *errorIsUsage = true;
            return false;
        }
        planned += n * plan.models.size();
    }
    const auto runId = d->store.createRun(plan.name, PlanParser::toJson(plan), plan.seed, planned, error);
    if (!runId)
        return false;
    QVector<std::unordered_set<quint64>> stored(plan.models.size());
    if (!launch(plan, *runId, stored, 0, 0, planned, error, errorIsUsage)) {
        d->store.setRunStatus(*runId, RunStatus::Failed, nullptr);
        return false;
    }
    return true;
}

bool RunController::resumeRun(qint64 runId, const Options& options, QString* error, bool* errorIsUsage)
{
    if (errorIsUsage)
        *errorIsUsage = false;
    m_options = options;
    m_dbPath = options.dbPath.isEmpty() ? ResultsStore::defaultPath() : options.dbPath;
    if (!d->store.open(m_dbPath, error))
        return false;
    const auto info = d->store.run(runId);
    if (!info) {
        *error = u"no run %1 in %2"_s.arg(runId).arg(m_dbPath);
        if (errorIsUsage)
            *errorIsUsage = true;
        return false;
    }
    if (info->status == RunStatus::Completed) {
        *error = u"run %1 already completed; nothing to resume"_s.arg(runId);
        if (errorIsUsage)
            *errorIsUsage = true;
        return false;
    }
    PlanError planError;
    const auto plan = PlanParser::parse(info->planJson, QString(), &planError);
    if (!plan) {
        *error = u"run %1: its stored plan no longer validates: %2"_s.arg(runId).arg(planError.toString());
        return false;
    }
    QVector<std::unordered_set<quint64>> stored(plan->models.size());
    qint64 doneBefore = 0;
    const bool ok = d->store.forEachStoredKey(
        runId,
        [&](int model, int benchmark, qint64 sample, int repeat) {
            if (model >= 0 && model < stored.size()) {
                stored[model].insert(workKey(benchmark, repeat, sample));
                ++doneBefore;
            }
        },
        error);
    if (!ok)
        return false;
    const qint64 offsetNs = d->store.maxEndNs(runId) + 1000000000; // one second of gap marks the restart
    if (!d->store.setRunStatus(runId, RunStatus::Running, error))
        return false;
    spdlog::info("resuming run {}: {} records already stored", runId, doneBefore);
    return launch(*plan, runId, stored, offsetNs, doneBefore, info->plannedSamples, error, errorIsUsage);
}

bool RunController::launch(const RunPlan& plan, qint64 runId, const QVector<std::unordered_set<quint64>>& stored,
    qint64 clockOffsetNs, qint64 doneBefore, qint64 planned, QString* error, bool* errorIsUsage)
{
    m_plan = plan;
    m_runId = runId;
    m_summary.reset();
    m_thresholds = {};
    m_failure.clear();
    d->planned = planned;
    d->doneBefore = doneBefore;
    d->drainedWorkers = 0;
    d->userCanceled = false;
    d->ctx = std::make_unique<EngineContext>();
    EngineContext& ctx = *d->ctx;
    ctx.runId = runId;
    ctx.seed = plan.seed;
    ctx.aggregator = std::make_unique<LiveAggregator>(plan);
    auto usageError = [&](const QString& message) {
        *error = message;
        if (errorIsUsage)
            *errorIsUsage = true;
        d->simulators.clear();
        return false;
    };

    for (int i = 0; i < plan.benchmarks.size(); ++i) {
        auto b = std::make_unique<BenchmarkRuntime>();
        b->spec = plan.benchmarks[i];
        b->spec.fewshot.seed = plan.seed; // few-shot examples are drawn with the run's seed, however the plan was made
        b->renderer = std::make_unique<PromptRenderer>(b->spec);
        QString why;
        if (!b->renderer->isValid(&why))
            return usageError(u"benchmarks[%1].template: %2"_s.arg(i).arg(why));
        // Placeholders are checked against a real record before anything is sent.
        if (auto source = SampleSource::open(b->spec, &why)) {
            Sample first;
            if (source->next(&first) && !b->renderer->checkSample(first, &why))
                return usageError(u"benchmarks[%1].template: %2"_s.arg(i).arg(why));
        }
        b->scorer = Scorer::create(b->spec.scorer, &why);
        if (!b->scorer)
            return usageError(u"benchmarks[%1].scorer: %2"_s.arg(i).arg(why));
        ctx.benchmarks.push_back(std::move(b));
    }

    for (int i = 0; i < plan.models.size(); ++i) {
        auto m = std::make_unique<ModelRuntime>();
        m->spec = plan.models[i];
        m->provider = Provider::create(m->spec.provider);
        if (!m->provider)
            return usageError(u"models[%1].provider: unknown provider '%2'"_s.arg(i).arg(m->spec.provider));
        QString why;
        if (!resolveApiKey(m->spec, i, m_options, &m->apiKey, &why))
            return usageError(why);
        if (m->spec.provider == u"simulator"_s && m->spec.baseUrl.isEmpty()) {
            // In-process simulated endpoint on its own thread; its seed mixes the run's seed and the model.
            const quint64 seed = plan.seed ^ (quint64(qHash(m->spec.id)) << 1);
            auto host = std::make_unique<SimulatorHost>(m->spec.simulate, seed);
            if (!host->start(0, &why)) {
                *error = u"models[%1]: the simulated endpoint could not start: %2"_s.arg(i).arg(why);
                d->simulators.clear();
                return false;
            }
            m->spec.baseUrl = host->baseUrl();
            d->simulators.push_back(std::move(host));
        }
        m->cacheBaseUrl = m->spec.baseUrl;
        m->cacheParams = m->spec.params;
        m->cacheParams.insert(u"stream"_s, m->spec.stream);
        if (m->spec.provider == u"simulator"_s && plan.models[i].baseUrl.isEmpty()) {
            // An in-process simulator gets a new port each run: key it by what decides its answers instead.
            m->cacheBaseUrl = u"in-process-simulator"_s;
            m->cacheParams.insert(u"simulate"_s, simulatorIdentity(m->spec.simulate));
            m->cacheParams.insert(u"simulate_seed"_s, QString::number(plan.seed));
        }
        m->rateLimiter = std::make_unique<RateLimiter>(m->spec.rateLimit.rpm, m->spec.rateLimit.tpm);
        m->breaker = std::make_unique<CircuitBreaker>(m->spec.circuitBreaker);
        m->maxTokensEstimate = m->spec.params.value(u"max_tokens"_s).toDouble(256);
        m->work = std::make_unique<WorkSource>(i, plan.benchmarks, stored.value(i));
        ctx.models.push_back(std::move(m));
    }

    d->writer = std::make_unique<ResultsWriter>(m_dbPath);
    if (!d->writer->start(error)) {
        d->simulators.clear();
        return false;
    }
    if (plan.run.cache) {
        ctx.cache = std::make_unique<ResponseCache>();
        ctx.cacheTtlS = plan.run.cacheTtlS;
        if (!ctx.cache->open(m_dbPath, error)) {
            d->simulators.clear();
            return false;
        }
    }
    ctx.writer = d->writer.get();

    // Slots: each model's concurrency, interleaved across the worker threads.
    std::vector<int> slotModels;
    int maxConcurrency = 0;
    for (int i = 0; i < plan.models.size(); ++i)
        maxConcurrency = std::max(maxConcurrency, plan.effectiveConcurrency(plan.models[i]));
    for (int k = 0; k < maxConcurrency; ++k) {
        for (int i = 0; i < plan.models.size(); ++i) {
            if (k < plan.effectiveConcurrency(plan.models[i]))
                slotModels.push_back(i);
        }
    }
    const int threads = chooseWorkerThreads(int(slotModels.size()), 0);
    std::vector<std::vector<int>> perWorker(static_cast<size_t>(threads));
    for (size_t k = 0; k < slotModels.size(); ++k)
        perWorker[k % size_t(threads)].push_back(slotModels[k]);

    ctx.clock.start(clockOffsetNs);
    d->sessionTimer.start();
    m_running = true;
    for (int w = 0; w < threads; ++w) {
        auto* thread = new QThread;
        thread->setObjectName(u"evs-worker-%1"_s.arg(w));
        auto* worker = new Worker(&ctx, perWorker[size_t(w)], plan.seed * 1000003ull + quint64(w));
        worker->moveToThread(thread);
        connect(thread, &QThread::finished, worker, &QObject::deleteLater);
        connect(worker, &Worker::drained, this, &RunController::onWorkerDrained, Qt::QueuedConnection);
        d->threads.push_back(thread);
        d->workers.push_back(worker);
        thread->start();
        QMetaObject::invokeMethod(worker, &Worker::start, Qt::QueuedConnection);
    }
    spdlog::info("run {} started: {} models, {} benchmarks, {} slots on {} worker threads, {} planned", runId,
        plan.models.size(), plan.benchmarks.size(), slotModels.size(), threads, planned);
    d->progressTimer.start();
    Q_EMIT runStarted(runId);
    return true;
}

void RunController::pause()
{
    if (d->ctx)
        d->ctx->paused = true;
}

void RunController::resume()
{
    if (!d->ctx || !d->ctx->paused)
        return;
    d->ctx->paused = false;
    for (Worker* w : d->workers)
        QMetaObject::invokeMethod(w, &Worker::resumeDispatch, Qt::QueuedConnection);
}

bool RunController::isFinalizing() const
{
    return d->finalizer != nullptr;
}

bool RunController::isPaused() const
{
    return d->ctx && d->ctx->paused;
}

void RunController::cancel()
{
    if (!m_running || !d->ctx || d->finalizer)
        return; // nothing is in flight once the workers have drained
    d->userCanceled = true;
    d->ctx->canceled = true;
    d->ctx->paused = false;
    for (Worker* w : d->workers)
        QMetaObject::invokeMethod(w, &Worker::abortAll, Qt::QueuedConnection);
}

LiveSnapshotPtr RunController::snapshot() const
{
    if (!d->ctx)
        return {};
    return d->ctx->aggregator->snapshot(m_runId, progress(), d->ctx->clock.nowNs(), !m_running);
}

RunProgress RunController::progress() const
{
    if (!d->ctx)
        return {};
    return d->ctx->counters.read(d->planned, d->doneBefore, double(d->sessionTimer.nsecsElapsed()) / 1e9);
}

QStringList RunController::badRecordReports() const
{
    QStringList reports;
    if (d->ctx && !d->ctx->models.empty())
        reports = d->ctx->models.front()->work->badRecordReports();
    return reports;
}

qint64 RunController::badRecordCount() const
{
    return (d->ctx && !d->ctx->models.empty()) ? d->ctx->models.front()->work->badRecords() : 0;
}

void RunController::onWorkerDrained()
{
    if (++d->drainedWorkers == int(d->workers.size()))
        finalize();
}

void RunController::cleanupThreads()
{
    for (QThread* t : d->threads) {
        t->quit();
        t->wait();
        delete t;
    }
    d->threads.clear();
    d->workers.clear();
}

void RunController::finalize()
{
    Q_ASSERT(QThread::currentThread() == thread());
    d->progressTimer.stop();
    // Joining the workers, flushing the writer and reading every record back for the exact summary take seconds
    // at the end of a large run: a finaliser thread does them, and onFinalized() reports on this thread.
    auto f = std::make_shared<Finalization>();
    f->threads = d->threads;
    f->writer = d->writer.get();
    f->dbPath = m_dbPath;
    f->runId = m_runId;
    f->thresholds = m_plan.thresholds;
    if (!d->ctx->models.empty())
        f->badRecordsByBenchmark = d->ctx->models.front()->work->badRecordsByBenchmark();
    {
        std::lock_guard lock(d->ctx->fatalMutex);
        f->fatal = d->ctx->fatalError;
    }
    f->userCanceled = d->userCanceled;
    d->workers.clear(); // they delete themselves as their threads end
    d->finalization = f;
    d->finalizer = QThread::create([f] { f->run(); });
    d->finalizer->setObjectName(u"evs-finalizer"_s);
    connect(d->finalizer, &QThread::finished, this, &RunController::onFinalized);
    d->finalizer->start();
    Q_EMIT drained();
}

void RunController::onFinalized()
{
    Q_ASSERT(QThread::currentThread() == thread());
    d->finalizer->wait();
    d->finalizer->deleteLater();
    d->finalizer = nullptr;
    const std::shared_ptr<Finalization> f = std::move(d->finalization);
    cleanupThreads(); // already joined: only deleted here
    d->simulators.clear();
    m_summary = f->summary;
    m_thresholds = f->thresholdReport;
    m_failure = f->failure;
    m_running = false;
    Q_EMIT progressed(progress());
    Q_EMIT snapshotAvailable(snapshot());
    spdlog::info("run {} ended: {}", m_runId, runStatusName(f->status).toStdString());
    Q_EMIT runFinished(f->status);
}

} // namespace evs
