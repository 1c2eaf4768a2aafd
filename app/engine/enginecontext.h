#pragma once

#include "app/benchmarks/promptrenderer.h"
#include "app/benchmarks/scorer.h"
#include "app/engine/circuitbreaker.h"
#include "app/engine/liveaggregator.h"
#include "app/engine/livecounters.h"
#include "app/engine/ratelimiter.h"
#include "app/engine/runclock.h"
#include "app/engine/worksource.h"
#include "app/providers/provider.h"
#include "models/core/runplan.h"
#include "models/store/responsecache.h"

#include <atomic>
#include <memory>
#include <mutex>
#include <vector>

namespace evs {

class ResultsWriter;

struct ModelRuntime {
    ModelSpec spec; // base URL resolved (in-process simulator)
    std::unique_ptr<Provider> provider;
    QString apiKey; // resolved from the reference; lives in memory only
    std::unique_ptr<RateLimiter> rateLimiter;
    std::unique_ptr<CircuitBreaker> breaker;
    std::unique_ptr<WorkSource> work;
    double maxTokensEstimate = 256; // per request, for the TPM bucket
    QString cacheBaseUrl; // the base URL as the cache keys it (stable for an in-process simulator)
    QJsonObject cacheParams; // every parameter that changes the answer
};

struct BenchmarkRuntime {
    BenchmarkSpec spec;
    std::unique_ptr<PromptRenderer> renderer;
    std::unique_ptr<Scorer> scorer;
};

// What every worker of one run shares. Built by the RunController before the workers start, then read-only
// except for the thread-safe members.
struct EngineContext {
    qint64 runId = 0;
    quint64 seed = 0;
    std::vector<std::unique_ptr<ModelRuntime>> models;
    std::vector<std::unique_ptr<BenchmarkRuntime>> benchmarks;
    ResultsWriter* writer = nullptr;
    RunClock clock;
    LiveCounters counters;
    std::unique_ptr<LiveAggregator> aggregator;
    // Response cache (run.cache): lookups on the shared reader, entries written through the writer.
    std::unique_ptr<ResponseCache> cache;
    qint64 cacheTtlS = 0;
    std::atomic<bool> paused { false };
    std::atomic<bool> canceled { false };

    std::mutex fatalMutex;
    QString fatalError; // set once: the run cannot go on (store failed)
    void fail(const QString& error)
    {
        std::lock_guard lock(fatalMutex);
        if (fatalError.isEmpty())
            fatalError = error;
        canceled = true;
    }
};

} // namespace evs
