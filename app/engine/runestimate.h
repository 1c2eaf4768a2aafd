#pragma once

#include "models/core/benchmarkspec.h"
#include "models/core/runplan.h"

#include <QString>
#include <QStringList>
#include <QVector>

#include <atomic>

namespace evs {

// An estimate of what a plan will cost before it runs: requests, input and output tokens, and money.
// requests = models x samples x repeats; input tokens ~ rendered prompt characters / 4, measured on the first
// kPromptSampleSize prompts of each benchmark and scaled to its sample count; output tokens per request from the
// model's params.max_tokens (an upper bound), else its simulator's output_tokens, else kDefaultOutputTokens;
// cost from price_per_mtok. Judge requests, retries and cache hits are not counted (said in assumptions).
struct RunEstimate {
    static constexpr double kCharsPerToken = 4.0;
    static constexpr int kDefaultOutputTokens = 256; // what the engine's token-rate limiter assumes, too
    static constexpr int kPromptSampleSize = 50;

    // What one benchmark contributes, measured by reading its dataset (can be slow: call off the GUI thread).
    struct Benchmark {
        QString id;
        qint64 samples = 0; // good samples, the benchmark's limit applied
        int repeats = 1;
        qint64 promptsMeasured = 0;
        double meanPromptChars = 0; // over the measured prompts: every message's content, few-shot included
        QString error; // the dataset could not be read; counts as 0 samples
        double inputTokensPerRequest() const { return meanPromptChars / kCharsPerToken; }
    };
    struct Model {
        QString id;
        qint64 requests = 0;
        double outputTokensPerRequest = 0;
        QString outputTokensSource; // "params.max_tokens", "simulate.output_tokens" or "default"
        double inputTokens = 0;
        double outputTokens = 0;
        double cost = 0; // in the currency of the model's prices
        bool priced = false; // the model has a non-zero input or output price
    };

    qint64 requests = 0;
    double inputTokens = 0;
    double outputTokens = 0;
    double cost = 0;
    bool anyPriced = false;
    QVector<Benchmark> benchmarks;
    QVector<Model> models;
    QStringList assumptions; // human-readable, shown next to the figures
    QStringList errors; // benchmarks that could not be measured

    // Reads spec's dataset once (bounded memory) and renders its first promptSample prompts. canceled, when set,
    // is polled between samples so that stale work ends early.
    static Benchmark measure(
        const BenchmarkSpec& spec, int promptSample = kPromptSampleSize, const std::atomic_bool* canceled = nullptr);
    // Pure arithmetic over measured benchmarks (matched to plan.benchmarks by id, in any order).
    static RunEstimate compute(const RunPlan& plan, const QVector<Benchmark>& measured);
    // measure() every benchmark of the plan, then compute().
    static RunEstimate estimate(const RunPlan& plan);

    static double outputTokensPerRequest(const ModelSpec& model, QString* source = nullptr);
};

} // namespace evs
