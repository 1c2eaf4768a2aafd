#include "app/engine/runestimate.h"

#include "app/benchmarks/promptrenderer.h"
#include "app/benchmarks/samplesource.h"

#include <QLocale>

using namespace Qt::StringLiterals;

namespace evs {

RunEstimate::Benchmark RunEstimate::measure(
    const BenchmarkSpec& spec, int promptSample, const std::atomic_bool* canceled)
{
    Benchmark b;
    b.id = spec.id;
    b.repeats = std::max(1, spec.repeats);
    QString error;
    auto source = SampleSource::open(spec, &error);
    if (!source) {
        b.error = spec.id + u": "_s + error;
        return b;
    }
    const PromptRenderer renderer(spec);
    double chars = 0;
    Sample sample;
    while (source->next(&sample)) {
        if (canceled && canceled->load(std::memory_order_relaxed))
            return b;
        if (b.promptsMeasured < promptSample) {
            const PromptRequest request = renderer.render(sample);
            for (const ChatMessage& m : request.messages)
                chars += m.content.size();
            ++b.promptsMeasured;
        }
        ++b.samples;
    }
    if (!source->error().isEmpty())
        b.error = spec.id + u": "_s + source->error();
    b.meanPromptChars = b.promptsMeasured > 0 ? chars / double(b.promptsMeasured) : 0;
    return b;
}

double RunEstimate::outputTokensPerRequest(const ModelSpec& model, QString* source)
{
    QString ignored;
    if (!source)
        source = &ignored;
    const double maxTokens = model.params.value(u"max_tokens"_s).toDouble(0);
    if (maxTokens > 0) {
        *source = u"params.max_tokens"_s;
        return maxTokens;
    }
    if (model.provider == u"simulator"_s && model.simulate.outputTokens > 0) {
        *source = u"simulate.output_tokens"_s;
        return model.simulate.outputTokens;
    }
    *source = u"default"_s;
    return kDefaultOutputTokens;
}

RunEstimate RunEstimate::compute(const RunPlan& plan, const QVector<Benchmark>& measured)
{
    RunEstimate e;
    qint64 requestsPerModel = 0;
    double inputTokensPerModel = 0;
    for (const BenchmarkSpec& spec : plan.benchmarks) {
        auto it = std::find_if(measured.begin(), measured.end(), [&](const Benchmark& b) { return b.id == spec.id; });
        if (it == measured.end()) {
            e.errors << spec.id + u": not measured"_s;
            continue;
        }
        Benchmark b = *it;
        b.repeats = std::max(1, spec.repeats);
        if (!b.error.isEmpty())
            e.errors << b.error;
        const qint64 requests = b.samples * b.repeats;
        requestsPerModel += requests;
        inputTokensPerModel += double(requests) * b.inputTokensPerRequest();
        e.benchmarks << b;
    }
    for (const ModelSpec& model : plan.models) {
        Model m;
        m.id = model.id;
        m.requests = requestsPerModel;
        m.outputTokensPerRequest = outputTokensPerRequest(model, &m.outputTokensSource);
        m.inputTokens = inputTokensPerModel;
        m.outputTokens = double(requestsPerModel) * m.outputTokensPerRequest;
        m.priced = model.priceInputPerMTok > 0 || model.priceOutputPerMTok > 0;
        m.cost = m.inputTokens * model.priceInputPerMTok / 1e6 + m.outputTokens * model.priceOutputPerMTok / 1e6;
        e.requests += m.requests;
        e.inputTokens += m.inputTokens;
        e.outputTokens += m.outputTokens;
        e.cost += m.cost;
        e.anyPriced = e.anyPriced || m.priced;
        e.models << m;
    }

    const QLocale locale;
    e.assumptions << u"Requests = models × samples × repeats (%1 × %2 per model)."_s.arg(plan.models.size())
                         .arg(locale.toString(requestsPerModel));
    for (const Benchmark& b : std::as_const(e.benchmarks)) {
        e.assumptions << u"%1: %2 samples × %3 repeats; input ≈ %4 tokens per request (mean of %5 rendered prompts, "
                         u"characters / %6)."_s.arg(b.id, locale.toString(b.samples), QString::number(b.repeats),
                             locale.toString(b.inputTokensPerRequest(), 'f', 1), QString::number(b.promptsMeasured),
                             QString::number(kCharsPerToken));
    }
    for (const Model& m : std::as_const(e.models)) {
        const QString source = m.outputTokensSource == u"default"_s
            ? u"no max_tokens set: default %1"_s.arg(kDefaultOutputTokens)
            : m.outputTokensSource;
        e.assumptions << u"%1: output ≤ %2 tokens per request (%3)%4."_s.arg(m.id,
            locale.toString(m.outputTokensPerRequest, 'f', 0), source,
            m.priced ? QString() : u"; no price set, costs 0"_s);
    }
    e.assumptions << u"Not counted: retries, judge requests, cache hits; output is an upper bound."_s;
    return e;
}

RunEstimate RunEstimate::estimate(const RunPlan& plan)
{
    QVector<Benchmark> measured;
    for (const BenchmarkSpec& spec : plan.benchmarks)
        measured << measure(spec);
    return compute(plan, measured);
}

} // namespace evs
