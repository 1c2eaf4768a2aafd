#include "models/plan/planparser.h"

#include "models/plan/jsonlocator.h"
#include "models/plan/scoreroptions.h"
#include "models/plan/scorerregistry.h"
#include "models/plan/suggestion.h"
#include "models/plan/templategrammar.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QRegularExpression>
#include <QSet>
#include <QUrl>

#include <cmath>
#include <limits>

using namespace Qt::StringLiterals;

namespace evs {

namespace {

constexpr qint64 kMaxPlanBytes = 16 * 1024 * 1024;
constexpr qint64 kMaxInt = std::numeric_limits<int>::max();
constexpr qint64 kMaxExactInteger = qint64(1) << 53; // doubles hold integers exactly up to here

const QStringList kRootKeys = { u"name"_s, u"seed"_s, u"models"_s, u"benchmarks"_s, u"run"_s, u"thresholds"_s };
const QStringList kModelKeys = { u"id"_s, u"provider"_s, u"base_url"_s, u"model"_s, u"api_key"_s, u"stream"_s,
    u"http2"_s, u"tls_verify"_s, u"params"_s, u"concurrency"_s, u"connect_timeout_ms"_s, u"timeout_ms"_s,
    u"idle_timeout_ms"_s, u"retries"_s, u"rate_limit"_s, u"circuit_breaker"_s, u"price_per_mtok"_s, u"simulate"_s };
const QStringList kProviders = { u"openai"_s, u"openai-completions"_s, u"anthropic"_s, u"ollama"_s, u"simulator"_s };
const QStringList kSimulateKeys = { u"accuracy"_s, u"latency_ms"_s, u"tail_ms"_s, u"token_ms"_s, u"output_tokens"_s,
    u"retry_after_s"_s, u"stall_ms"_s, u"faults"_s };
const QStringList kFaults = { u"http_429"_s, u"http_5xx"_s, u"stall"_s, u"reset"_s, u"malformed"_s, u"truncated"_s };
const QStringList kBenchmarkKeys = { u"id"_s, u"dataset"_s, u"format"_s, u"fields"_s, u"system"_s, u"template"_s,
    u"messages"_s, u"fewshot"_s, u"scorer"_s, u"limit"_s, u"repeats"_s };
const QStringList kFieldKeys = { u"input"_s, u"choices"_s, u"target"_s, u"id"_s, u"category"_s, u"metadata"_s };
const QStringList kDatasetFormats = { u"jsonl"_s, u"json"_s, u"csv"_s, u"tsv"_s, u"mmlu_csv"_s };
const QStringList kMessageRoles = { u"system"_s, u"user"_s, u"assistant"_s };
const QStringList kRunKeys = { u"mode"_s, u"concurrency"_s, u"cache"_s, u"cache_ttl_s"_s };
const QStringList kThresholdKeys = { u"metric"_s, u"op"_s, u"value"_s, u"model"_s, u"benchmark"_s };
const QStringList kThresholdOps = { u"<"_s, u"<="_s, u">"_s, u">="_s };
const QStringList kPlainMetrics = { u"error_rate"_s, u"score"_s, u"output_tokens_per_s"_s, u"requests_per_s"_s };

QStringList metricSuggestions()
{
    QStringList all = kPlainMetrics;
    for (const QString& p : { u"50"_s, u"90"_s, u"95"_s, u"99"_s, u"999"_s }) {
        all << u"latency_p"_s + p + u"_ms"_s << u"ttft_p"_s + p + u"_ms"_s;
    }
    return all;
}

bool isKnownMetric(const QString& metric)
{
    static const QRegularExpression percentile(u"^(latency|ttft)_p([1-9][0-9]?|999)_ms$"_s);
    return kPlainMetrics.contains(metric) || percentile.match(metric).hasMatch();
}

QString member(const QString& path, const QString& key)
{
    return path.isEmpty() ? key : path + u'.' + key;
}
QString element(const QString& path, qsizetype i)
{
    return path + u'[' + QString::number(i) + u']';
}

QString parentPath(const QString& path)
{
    const qsizetype cut = std::max(path.lastIndexOf(u'.'), path.lastIndexOf(u'['));
    return cut < 0 ? QString() : path.left(cut);
}

QString typeName(const QJsonValue& v)
{
    switch (v.type()) {
    case QJsonValue::Null:
        return u"null"_s;
    case QJsonValue::Bool:
        return u"a boolean"_s;
    case QJsonValue::Double:
        return u"a number"_s;
    case QJsonValue::String:
        return u"a string"_s;
    case QJsonValue::Array:
        return u"an array"_s;
    case QJsonValue::Object:
        return u"an object"_s;
    case QJsonValue::Undefined:
        break;
    }
    return u"undefined"_s;
}

QString quoted(const QString& s)
{
    return u'"' + s + u'"';
}

// Placeholders are "{{name|filter|...}}": TemplateGrammar, the grammar PromptRenderer renders with, checks the
// syntax; whether a name exists is known only once records are read (PromptRenderer::checkSample).
QString templateSyntaxError(const QString& text)
{
    return TemplateGrammar::error(text);
}

// Walks a parsed plan in schema order and stops at the first problem.
class PlanReader {
public:
    PlanReader(const QByteArray& json, const QString& baseDir)
        : m_locator(json)
        , m_baseDir(baseDir.isEmpty() ? QDir::currentPath() : baseDir)
    {
    }

    std::optional<RunPlan> read(const QJsonObject& root);
    PlanError error;

private:
    bool fail(const QString& field, const QString& message, bool atKey = false)
    {
        error.field = field;
        error.message = message;
        JsonLocator::Position p;
        // A missing key has no position: point at the object that lacks it.
        for (QString at = field;; at = parentPath(at)) {
            p = atKey ? m_locator.keyPosition(at) : m_locator.valuePosition(at);
            if (p.line > 0 || at.isEmpty())
                break;
        }
        error.line = p.line;
        error.column = p.column;
        return false;
    }

    bool checkKeys(const QJsonObject& o, const QString& path, const QStringList& known)
    {
        for (auto it = o.begin(); it != o.end(); ++it) {
            if (!known.contains(it.key()))
                return fail(member(path, it.key()), u"unknown key"_s + didYouMean(it.key(), known), true);
        }
        return true;
    }

    bool wrongType(const QString& path, const QJsonValue& v, const QString& expected)
    {
        return fail(path, u"must be "_s + expected + u", not "_s + typeName(v));
    }

    bool require(const QJsonObject& o, const QString& path, const QString& key, const QString& why = {})
    {
        if (o.contains(key))
            return true;
        return fail(member(path, key), why.isEmpty() ? u"required"_s : why);
    }

    bool optString(const QJsonObject& o, const QString& path, const QString& key, QString* out)
    {
        const auto it = o.find(key);
        if (it == o.end())
            return true;
        if (!it->isString())
            return wrongType(member(path, key), *it, u"a string"_s);
        *out = it->toString();
        return true;
    }

    bool nonEmptyString(const QJsonObject& o, const QString& path, const QString& key, QString* out)
    {
        if (!require(o, path, key) || !optString(o, path, key, out))
            return false;
        if (out->trimmed().isEmpty())
            return fail(member(path, key), u"must not be empty"_s);
        return true;
    }

    bool optBool(const QJsonObject& o, const QString& path, const QString& key, bool* out)
    {
        const auto it = o.find(key);
        if (it == o.end())
            return true;
        if (!it->isBool())
            return wrongType(member(path, key), *it, u"true or false"_s);
        *out = it->toBool();
        return true;
    }

    bool rangeError(const QString& path, double v, double min, double max)
    {
        if (min == 0 && max == 1)
            return fail(path, u"must be between 0 and 1"_s);
        if (v < min)
            return fail(path, u"must be >= "_s + QString::number(min, 'g', 17));
        return fail(path, u"must be <= "_s + QString::number(max, 'g', 17));
    }

    bool optDouble(const QJsonObject& o, const QString& path, const QString& key, double* out, double min,
        double max = std::numeric_limits<double>::max())
    {
        const auto it = o.find(key);
        if (it == o.end())
            return true;
        if (!it->isDouble())
            return wrongType(member(path, key), *it, u"a number"_s);
        const double v = it->toDouble();
        if (!std::isfinite(v) || v < min || v > max)
            return rangeError(member(path, key), v, min, max);
        *out = v;
        return true;
    }

    template<typename T>
    bool optInt(const QJsonObject& o, const QString& path, const QString& key, T* out, qint64 min, qint64 max)
    {
        const auto it = o.find(key);
        if (it == o.end())
            return true;
        if (!it->isDouble())
            return wrongType(member(path, key), *it, u"an integer"_s);
        const double v = it->toDouble();
        if (!std::isfinite(v) || v != std::floor(v))
            return fail(member(path, key), u"must be an integer"_s);
        if (v < double(min) || v > double(max))
            return rangeError(member(path, key), v, double(min), double(max));
        *out = T(v);
        return true;
    }

    bool optObject(const QJsonObject& o, const QString& path, const QString& key, QJsonObject* out)
    {
        const auto it = o.find(key);
        if (it == o.end())
            return true;
        if (!it->isObject())
            return wrongType(member(path, key), *it, u"an object"_s);
        *out = it->toObject();
        return true;
    }

    bool optArray(const QJsonObject& o, const QString& path, const QString& key, QJsonArray* out)
    {
        const auto it = o.find(key);
        if (it == o.end())
            return true;
        if (!it->isArray())
            return wrongType(member(path, key), *it, u"an array"_s);
        *out = it->toArray();
        return true;
    }

    bool objectElement(const QJsonArray& a, qsizetype i, const QString& path, QJsonObject* out)
    {
        const QJsonValue v = a.at(i);
        if (!v.isObject())
            return wrongType(element(path, i), v, u"an object"_s);
        *out = v.toObject();
        return true;
    }

    bool readModel(const QJsonObject& o, const QString& path, ModelSpec* m);
    bool readApiKey(const QString& path, const QString& value);
    bool readSimulate(const QJsonObject& o, const QString& path, SimulatorSettings* s);
    bool readBenchmark(const QJsonObject& o, const QString& path, BenchmarkSpec* b);
    bool readDataset(const QString& path, const QString& value, QString* resolved);
    bool readMessages(const QJsonObject& o, const QString& path, BenchmarkSpec* b);
    bool readScorer(const QJsonObject& o, const QString& path, ScorerSpec* s);
    bool readRun(const QJsonObject& o, const QString& path, RunSettings* r);
    bool readThreshold(const QJsonObject& o, const QString& path, const RunPlan& plan, Threshold* t);

    JsonLocator m_locator;
    QString m_baseDir;
};

std::optional<RunPlan> PlanReader::read(const QJsonObject& root)
{
    if (!m_locator.duplicateKeys().isEmpty()) {
        fail(m_locator.duplicateKeys().constFirst(), u"duplicate key"_s, true);
        return std::nullopt;
    }
    RunPlan plan;
    if (!checkKeys(root, {}, kRootKeys) || !optString(root, {}, u"name"_s, &plan.name)
        || !optInt(root, {}, u"seed"_s, &plan.seed, 0, kMaxExactInteger))
        return std::nullopt;

    QJsonObject run;
    if (!optObject(root, {}, u"run"_s, &run) || !readRun(run, u"run"_s, &plan.run))
        return std::nullopt;

    QJsonArray models;
    if (!require(root, {}, u"models"_s) || !optArray(root, {}, u"models"_s, &models))
        return std::nullopt;
    if (models.isEmpty()) {
        fail(u"models"_s, u"needs at least one model"_s);
        return std::nullopt;
    }
    QHash<QString, QString> modelPaths; // id -> path of its first use
    for (qsizetype i = 0; i < models.size(); ++i) {
        const QString path = element(u"models"_s, i);
        QJsonObject o;
        ModelSpec m;
        if (!objectElement(models, i, u"models"_s, &o) || !readModel(o, path, &m))
            return std::nullopt;
        if (modelPaths.contains(m.id)) {
            fail(member(path, u"id"_s), u"duplicate id "_s + quoted(m.id) + u" (also "_s + modelPaths[m.id] + u')');
            return std::nullopt;
        }
        modelPaths.insert(m.id, path);
        plan.models.append(m);
    }

    QJsonArray benchmarks;
    if (!require(root, {}, u"benchmarks"_s) || !optArray(root, {}, u"benchmarks"_s, &benchmarks))
        return std::nullopt;
    if (benchmarks.isEmpty()) {
        fail(u"benchmarks"_s, u"needs at least one benchmark"_s);
        return std::nullopt;
    }
    QHash<QString, QString> benchmarkPaths;
    for (qsizetype i = 0; i < benchmarks.size(); ++i) {
        const QString path = element(u"benchmarks"_s, i);
        QJsonObject o;
        BenchmarkSpec b;
        if (!objectElement(benchmarks, i, u"benchmarks"_s, &o) || !readBenchmark(o, path, &b))
            return std::nullopt;
        if (benchmarkPaths.contains(b.id)) {
            fail(member(path, u"id"_s), u"duplicate id "_s + quoted(b.id) + u" (also "_s + benchmarkPaths[b.id] + u')');
            return std::nullopt;
        }
        for (const JudgeModelRef& judge : ScorerOptions::judgeModels(b.scorer.options)) {
            if (!modelPaths.contains(judge.modelId)) {
                fail(ScorerOptions::joinPath(member(path, u"scorer"_s), judge.path),
                    u"no model with id "_s + quoted(judge.modelId) + didYouMean(judge.modelId, modelPaths.keys()));
                return std::nullopt;
            }
        }
        b.fewshot.seed = plan.seed; // examples are drawn with the run's seed
        benchmarkPaths.insert(b.id, path);
        plan.benchmarks.append(b);
    }

    QJsonArray thresholds;
    if (!optArray(root, {}, u"thresholds"_s, &thresholds))
        return std::nullopt;
    for (qsizetype i = 0; i < thresholds.size(); ++i) {
        QJsonObject o;
        Threshold t;
        if (!objectElement(thresholds, i, u"thresholds"_s, &o)
            || !readThreshold(o, element(u"thresholds"_s, i), plan, &t))
            return std::nullopt;
        plan.thresholds.append(t);
    }
    return plan;
}

bool PlanReader::readModel(const QJsonObject& o, const QString& path, ModelSpec* m)
{
    if (!checkKeys(o, path, kModelKeys) || !nonEmptyString(o, path, u"id"_s, &m->id)
        || !nonEmptyString(o, path, u"provider"_s, &m->provider))
        return false;
    if (!kProviders.contains(m->provider))
        return fail(member(path, u"provider"_s),
            u"unknown provider "_s + quoted(m->provider) + didYouMean(m->provider, kProviders) + u"; known: "_s
                + kProviders.join(u", "_s));
    const bool simulator = m->provider == u"simulator"_s;

    if (!optString(o, path, u"base_url"_s, &m->baseUrl))
        return false;
    if (o.contains(u"base_url"_s)) {
        const QUrl url(m->baseUrl, QUrl::StrictMode);
        if (!url.isValid() || (url.scheme() != u"http"_s && url.scheme() != u"https"_s) || url.host().isEmpty())
            return fail(member(path, u"base_url"_s), u"must be an http:// or https:// URL"_s);
    } else if (!simulator) {
        return fail(member(path, u"base_url"_s), u"required for provider "_s + quoted(m->provider));
    }
    if (!optString(o, path, u"model"_s, &m->model))
        return false;
    if (m->model.trimmed().isEmpty()) {
        if (!simulator)
            return fail(member(path, u"model"_s),
                o.contains(u"model"_s) ? u"must not be empty"_s : u"required: the server's model name"_s);
        m->model = m->id;
    }
    if (!optString(o, path, u"api_key"_s, &m->apiKeyRef)
        || (o.contains(u"api_key"_s) && !readApiKey(member(path, u"api_key"_s), m->apiKeyRef)))
        return false;
    if (!optBool(o, path, u"stream"_s, &m->stream) || !optBool(o, path, u"http2"_s, &m->http2)
        || !optBool(o, path, u"tls_verify"_s, &m->tlsVerify) || !optObject(o, path, u"params"_s, &m->params))
        return false;
    if (!optInt(o, path, u"concurrency"_s, &m->concurrency, 0, 100000)
        || !optInt(o, path, u"connect_timeout_ms"_s, &m->connectTimeoutMs, 0, kMaxInt)
        || !optInt(o, path, u"timeout_ms"_s, &m->timeoutMs, 0, kMaxInt)
        || !optInt(o, path, u"idle_timeout_ms"_s, &m->idleTimeoutMs, 0, kMaxInt))
        return false;

    QJsonObject retries;
    const QString retriesPath = member(path, u"retries"_s);
    if (!optObject(o, path, u"retries"_s, &retries)
        || !checkKeys(retries, retriesPath, { u"max_attempts"_s, u"base_ms"_s, u"max_ms"_s })
        || !optInt(retries, retriesPath, u"max_attempts"_s, &m->retries.maxAttempts, 1, 100)
        || !optInt(retries, retriesPath, u"base_ms"_s, &m->retries.baseMs, 0, kMaxInt)
        || !optInt(retries, retriesPath, u"max_ms"_s, &m->retries.maxMs, 0, kMaxInt))
        return false;
    if (m->retries.maxMs < m->retries.baseMs)
        return fail(member(retriesPath, retries.contains(u"max_ms"_s) ? u"max_ms"_s : u"base_ms"_s),
            u"max_ms must be >= base_ms"_s);

    QJsonObject rate;
    const QString ratePath = member(path, u"rate_limit"_s);
    if (!optObject(o, path, u"rate_limit"_s, &rate) || !checkKeys(rate, ratePath, { u"rpm"_s, u"tpm"_s })
        || !optDouble(rate, ratePath, u"rpm"_s, &m->rateLimit.rpm, 0)
        || !optDouble(rate, ratePath, u"tpm"_s, &m->rateLimit.tpm, 0))
        return false;

    QJsonObject breaker;
    const QString breakerPath = member(path, u"circuit_breaker"_s);
    if (!optObject(o, path, u"circuit_breaker"_s, &breaker)
        || !checkKeys(breaker, breakerPath, { u"failure_threshold"_s, u"cooldown_ms"_s })
        || !optInt(breaker, breakerPath, u"failure_threshold"_s, &m->circuitBreaker.failureThreshold, 0, kMaxInt)
        || !optInt(breaker, breakerPath, u"cooldown_ms"_s, &m->circuitBreaker.cooldownMs, 0, kMaxInt))
        return false;

    QJsonObject price;
    const QString pricePath = member(path, u"price_per_mtok"_s);
    if (!optObject(o, path, u"price_per_mtok"_s, &price) || !checkKeys(price, pricePath, { u"input"_s, u"output"_s })
        || !optDouble(price, pricePath, u"input"_s, &m->priceInputPerMTok, 0)
        || !optDouble(price, pricePath, u"output"_s, &m->priceOutputPerMTok, 0))
        return false;

    if (o.contains(u"simulate"_s)) {
        if (!simulator)
            return fail(member(path, u"simulate"_s), u"only for provider \"simulator\""_s, true);
        QJsonObject simulate;
        if (!optObject(o, path, u"simulate"_s, &simulate)
            || !readSimulate(simulate, member(path, u"simulate"_s), &m->simulate))
            return false;
    }
    return true;
}

bool PlanReader::readApiKey(const QString& path, const QString& value)
{
    static const QRegularExpression envName(u"^[A-Za-z_][A-Za-z0-9_]*$"_s);
    // Never echo the value: it may be a real key.
    if (value.startsWith(u"env:"_s)) {
        if (!envName.match(value.mid(4)).hasMatch())
            return fail(path, u"\"env:NAME\" needs an environment variable name (letters, digits, '_')"_s);
        return true;
    }
    if (value.startsWith(u"keychain:"_s)) {
        if (value.mid(9).trimmed().isEmpty())
            return fail(path, u"\"keychain:NAME\" needs the name of a keychain entry"_s);
        return true;
    }
    return fail(path,
        u"must be a reference, \"env:NAME\" or \"keychain:NAME\": API keys never go in plan files "
        "(put the key in an environment variable or the keychain)"_s);
}

bool PlanReader::readSimulate(const QJsonObject& o, const QString& path, SimulatorSettings* s)
{
    if (!checkKeys(o, path, kSimulateKeys) || !optDouble(o, path, u"accuracy"_s, &s->accuracy, 0, 1)
        || !optDouble(o, path, u"latency_ms"_s, &s->latencyMs, 0) || !optDouble(o, path, u"tail_ms"_s, &s->tailMs, 0)
        || !optDouble(o, path, u"token_ms"_s, &s->tokenMs, 0)
        || !optInt(o, path, u"output_tokens"_s, &s->outputTokens, 0, 1000000)
        || !optInt(o, path, u"retry_after_s"_s, &s->retryAfterS, 0, 3600)
        || !optInt(o, path, u"stall_ms"_s, &s->stallMs, 0, kMaxInt))
        return false;
    if (o.contains(u"latency_ms"_s) && o.contains(u"tail_ms"_s) && s->tailMs < s->latencyMs)
        return fail(member(path, u"tail_ms"_s), u"must be >= latency_ms (it is the p99, latency_ms the median)"_s);
    QJsonObject faults;
    const QString faultsPath = member(path, u"faults"_s);
    if (!optObject(o, path, u"faults"_s, &faults) || !checkKeys(faults, faultsPath, kFaults))
        return false;
    double sum = 0;
    for (const QString& name : kFaults) {
        double p = 0;
        if (!optDouble(faults, faultsPath, name, &p, 0, 1))
            return false;
        if (faults.contains(name))
            s->faults.insert(name, p);
        sum += p;
    }
    if (sum > 1 + 1e-9)
        return fail(faultsPath, u"the fault probabilities add up to more than 1"_s);
    return true;
}

bool PlanReader::readDataset(const QString& path, const QString& value, QString* resolved)
{
    if (value.startsWith(u"builtin:"_s)) {
        const QString name = value.mid(8);
        const QStringList builtins = PlanParser::builtinDatasetNames();
        if (!builtins.contains(name))
            return fail(path,
                u"unknown builtin dataset "_s + quoted(name) + didYouMean(name, builtins) + u"; builtins: "_s
                    + (builtins.isEmpty() ? u"none"_s : builtins.join(u", "_s)));
        *resolved = value;
        return true;
    }
    if (value.trimmed().isEmpty())
        return fail(path, u"must not be empty"_s);
    const QFileInfo info(QDir(m_baseDir).absoluteFilePath(value));
    const QString absolute = QDir::cleanPath(info.absoluteFilePath());
    if (!info.exists())
        return fail(path, u"file not found: "_s + absolute);
    if (!info.isFile())
        return fail(path, u"not a file: "_s + absolute);
    if (!info.isReadable())
        return fail(path, u"cannot read "_s + absolute);
    *resolved = absolute;
    return true;
}

bool PlanReader::readBenchmark(const QJsonObject& o, const QString& path, BenchmarkSpec* b)
{
    if (!checkKeys(o, path, kBenchmarkKeys) || !nonEmptyString(o, path, u"id"_s, &b->id))
        return false;
    QString dataset;
    if (!require(o, path, u"dataset"_s) || !optString(o, path, u"dataset"_s, &dataset)
        || !readDataset(member(path, u"dataset"_s), dataset, &b->dataset))
        return false;

    if (!optString(o, path, u"format"_s, &b->format))
        return false;
    if (o.contains(u"format"_s)) {
        if (!kDatasetFormats.contains(b->format))
            return fail(member(path, u"format"_s),
                u"unknown format "_s + quoted(b->format) + didYouMean(b->format, kDatasetFormats) + u"; formats: "_s
                    + kDatasetFormats.join(u", "_s));
    } else if (!b->dataset.startsWith(u"builtin:"_s)) {
        static const QStringList known
            = { u"jsonl"_s, u"ndjson"_s, u"jsonlines"_s, u"json"_s, u"csv"_s, u"tsv"_s, u"tab"_s };
        const QString suffix = QFileInfo(b->dataset).suffix().toLower();
        if (!known.contains(suffix))
            return fail(member(path, u"dataset"_s),
                u"cannot tell the format from the file name (.jsonl, .ndjson, .json, .csv, .tsv are known); "
                "set \"format\" to one of "_s
                    + kDatasetFormats.join(u", "_s));
    }

    QJsonObject fields;
    const QString fieldsPath = member(path, u"fields"_s);
    if (!optObject(o, path, u"fields"_s, &fields) || !checkKeys(fields, fieldsPath, kFieldKeys))
        return false;
    for (auto it = fields.begin(); it != fields.end(); ++it) {
        // choices and metadata may also name several keys: choices spread over columns, metadata kept.
        const bool listAllowed = it.key() == u"choices"_s || it.key() == u"metadata"_s;
        if (listAllowed && it->isArray()) {
            const QJsonArray keys = it->toArray();
            if (keys.isEmpty())
                return fail(member(fieldsPath, it.key()), u"must not be empty"_s);
            for (qsizetype k = 0; k < keys.size(); ++k) {
                if (!keys[k].isString() || keys[k].toString().isEmpty())
                    return fail(element(member(fieldsPath, it.key()), k), u"must be a non-empty string (a key)"_s);
            }
            continue;
        }
        if (!it->isString())
            return wrongType(member(fieldsPath, it.key()), *it,
                listAllowed ? u"a string or an array of strings (keys of the dataset's records)"_s
                            : u"a string (a key of the dataset's records)"_s);
        if (it->toString().isEmpty())
            return fail(member(fieldsPath, it.key()), u"must not be empty"_s);
    }
    b->fields = fields;

    if (!optString(o, path, u"system"_s, &b->system) || !optString(o, path, u"template"_s, &b->promptTemplate))
        return false;
    if (const QString e = templateSyntaxError(b->promptTemplate); !e.isEmpty())
        return fail(member(path, u"template"_s), e);
    if (const QString e = templateSyntaxError(b->system); !e.isEmpty())
        return fail(member(path, u"system"_s), e);
    if (!readMessages(o, path, b))
        return false;

    QJsonObject fewshot;
    const QString fewshotPath = member(path, u"fewshot"_s);
    if (!optObject(o, path, u"fewshot"_s, &fewshot) || !checkKeys(fewshot, fewshotPath, { u"k"_s, u"from"_s })
        || !optInt(fewshot, fewshotPath, u"k"_s, &b->fewshot.k, 0, 100))
        return false;
    if (fewshot.contains(u"from"_s)) {
        QString from;
        if (!optString(fewshot, fewshotPath, u"from"_s, &from)
            || !readDataset(member(fewshotPath, u"from"_s), from, &b->fewshot.from))
            return false;
    }

    b->scorer.type = PlanParser::defaultScorerType(b->dataset);
    b->scorer.options = QJsonObject { { u"type"_s, b->scorer.type } };
    if (o.contains(u"scorer"_s)) {
        QJsonObject scorer;
        if (!optObject(o, path, u"scorer"_s, &scorer) || !readScorer(scorer, member(path, u"scorer"_s), &b->scorer))
            return false;
    }
    return optInt(o, path, u"limit"_s, &b->limit, 0, kMaxExactInteger)
        && optInt(o, path, u"repeats"_s, &b->repeats, 1, 1000);
}

bool PlanReader::readMessages(const QJsonObject& o, const QString& path, BenchmarkSpec* b)
{
    QJsonArray messages;
    const QString messagesPath = member(path, u"messages"_s);
    if (!optArray(o, path, u"messages"_s, &messages))
        return false;
    if (!o.contains(u"messages"_s))
        return true;
    // One way to write the prompt: a list of messages already holds the system prompt and the user template.
    for (const QString& other : { u"system"_s, u"template"_s }) {
        if (o.contains(other))
            return fail(member(path, other),
                u"cannot be combined with \"messages\" (put it in a message of the list instead)"_s, true);
    }
    if (messages.isEmpty())
        return fail(messagesPath, u"needs at least one message"_s);
    bool hasUser = false;
    for (qsizetype i = 0; i < messages.size(); ++i) {
        const QString messagePath = element(messagesPath, i);
        QJsonObject m;
        ChatMessage message;
        if (!objectElement(messages, i, messagesPath, &m) || !checkKeys(m, messagePath, { u"role"_s, u"content"_s })
            || !require(m, messagePath, u"role"_s) || !require(m, messagePath, u"content"_s)
            || !nonEmptyString(m, messagePath, u"role"_s, &message.role)
            || !optString(m, messagePath, u"content"_s, &message.content))
            return false;
        if (!kMessageRoles.contains(message.role))
            return fail(member(messagePath, u"role"_s),
                u"unknown role "_s + quoted(message.role) + didYouMean(message.role, kMessageRoles) + u"; roles: "_s
                    + kMessageRoles.join(u", "_s));
        if (const QString e = templateSyntaxError(message.content); !e.isEmpty())
            return fail(member(messagePath, u"content"_s), e);
        hasUser = hasUser || message.role == u"user"_s;
        b->messages.append(message);
    }
    if (!hasUser)
        return fail(messagesPath, u"needs a message with the role \"user\""_s);
    return true;
}

bool PlanReader::readScorer(const QJsonObject& o, const QString& path, ScorerSpec* s)
{
    // The option schema is ScorerOptions's, shared with Scorer::create: one source of truth.
    if (const auto e = ScorerOptions::validate(o))
        return fail(ScorerOptions::joinPath(path, e->path), e->message, e->atKey);
    s->type = o.value(u"type"_s).toString();
    s->options = o;
    return true;
}

bool PlanReader::readRun(const QJsonObject& o, const QString& path, RunSettings* r)
{
    if (!checkKeys(o, path, kRunKeys) || !optString(o, path, u"mode"_s, &r->mode))
        return false;
    if (r->mode == u"load"_s)
        return fail(member(path, u"mode"_s), u"\"load\" is not yet supported; use \"eval\""_s);
    if (r->mode != u"eval"_s)
        return fail(member(path, u"mode"_s),
            u"unknown mode "_s + quoted(r->mode) + didYouMean(r->mode, { u"eval"_s }) + u"; use \"eval\""_s);
    return optInt(o, path, u"concurrency"_s, &r->concurrency, 1, 100000) && optBool(o, path, u"cache"_s, &r->cache)
        && optInt(o, path, u"cache_ttl_s"_s, &r->cacheTtlS, 0, kMaxExactInteger);
}

bool PlanReader::readThreshold(const QJsonObject& o, const QString& path, const RunPlan& plan, Threshold* t)
{
    if (!checkKeys(o, path, kThresholdKeys) || !nonEmptyString(o, path, u"metric"_s, &t->metric))
        return false;
    if (!isKnownMetric(t->metric))
        return fail(member(path, u"metric"_s),
            u"unknown metric "_s + quoted(t->metric) + didYouMean(t->metric, metricSuggestions())
                + u"; known: latency_pNN_ms, ttft_pNN_ms (NN = 1..99, or 999 for p99.9), "_s
                + kPlainMetrics.join(u", "_s));
    if (!nonEmptyString(o, path, u"op"_s, &t->op))
        return false;
    if (!kThresholdOps.contains(t->op))
        return fail(member(path, u"op"_s), u"must be one of < <= > >="_s);
    if (!require(o, path, u"value"_s)
        || !optDouble(o, path, u"value"_s, &t->value, -std::numeric_limits<double>::max()))
        return false;
    if ((t->metric == u"error_rate"_s || t->metric == u"score"_s) && (t->value < 0 || t->value > 1))
        return fail(member(path, u"value"_s), t->metric + u" is a fraction: must be between 0 and 1"_s);
    if (!optString(o, path, u"model"_s, &t->model) || !optString(o, path, u"benchmark"_s, &t->benchmark))
        return false;
    if (o.contains(u"model"_s)) {
        QStringList ids;
        for (const ModelSpec& m : plan.models)
            ids << m.id;
        if (!ids.contains(t->model))
            return fail(
                member(path, u"model"_s), u"no model with id "_s + quoted(t->model) + didYouMean(t->model, ids));
    }
    if (o.contains(u"benchmark"_s)) {
        QStringList ids;
        for (const BenchmarkSpec& b : plan.benchmarks)
            ids << b.id;
        if (!ids.contains(t->benchmark))
            return fail(member(path, u"benchmark"_s),
                u"no benchmark with id "_s + quoted(t->benchmark) + didYouMean(t->benchmark, ids));
    }
    return true;
}

} // namespace

QString PlanError::toString(const QString& fileName) const
{
    QString out;
    if (!fileName.isEmpty())
        out += fileName + u':';
    if (line > 0)
        out += QString::number(line) + u':' + QString::number(column) + u':';
    if (!out.isEmpty())
        out += u' ';
    if (!field.isEmpty())
        out += field + u": "_s;
    return out + message;
}

std::optional<RunPlan> PlanParser::parse(const QByteArray& input, const QString& baseDir, PlanError* error)
{
    PlanError ignored;
    if (!error)
        error = &ignored;
    *error = PlanError {};
    const QByteArray json = input.startsWith("\xEF\xBB\xBF") ? input.mid(3) : input;

    QJsonParseError parseError;
    const QJsonDocument doc = QJsonDocument::fromJson(json, &parseError);
    if (parseError.error != QJsonParseError::NoError) {
        qsizetype offset = parseError.offset;
        if (parseError.error == QJsonParseError::UnterminatedString) {
            // Qt reports the end of the text: point at the quote that opened the string instead.
            bool inString = false;
            qsizetype opened = 0;
            const qsizetype end = std::min(offset, json.size());
            for (qsizetype i = 0; i < end; ++i) {
                if (inString && json[i] == '\\') {
                    ++i;
                } else if (json[i] == '"') {
                    inString = !inString;
                    opened = i;
                }
            }
            if (inString)
                offset = opened;
        }
        const auto p = JsonLocator::positionOfOffset(json, offset);
        error->line = p.line;
        error->column = p.column;
        error->message = u"invalid JSON: "_s + parseError.errorString();
        return std::nullopt;
    }
    if (!doc.isObject()) {
        error->line = 1;
        error->column = 1;
        error->message = u"a plan must be a JSON object"_s;
        return std::nullopt;
    }
    PlanReader reader(json, baseDir);
    auto plan = reader.read(doc.object());
    if (!plan)
        *error = reader.error;
    return plan;
}

std::optional<RunPlan> PlanParser::parseFile(const QString& path, PlanError* error)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        if (error)
            *error = PlanError { {}, 0, 0, u"cannot open plan file "_s + path + u": "_s + file.errorString() };
        return std::nullopt;
    }
    if (file.size() > kMaxPlanBytes) {
        if (error)
            *error = PlanError { {}, 0, 0, u"plan file too large (over 16 MiB): "_s + path };
        return std::nullopt;
    }
    const QFileInfo info(path);
    auto plan = parse(file.readAll(), info.absolutePath(), error);
    if (plan) {
        plan->sourcePath = info.absoluteFilePath();
        if (plan->name.isEmpty())
            plan->name = info.completeBaseName();
    }
    return plan;
}

QByteArray PlanParser::toJson(const RunPlan& plan)
{
    QJsonArray models;
    for (const ModelSpec& m : plan.models) {
        QJsonObject o {
            { u"id"_s, m.id },
            { u"provider"_s, m.provider },
            { u"model"_s, m.model },
            { u"stream"_s, m.stream },
            { u"http2"_s, m.http2 },
            { u"tls_verify"_s, m.tlsVerify },
            { u"params"_s, m.params },
            { u"concurrency"_s, m.concurrency },
            { u"connect_timeout_ms"_s, m.connectTimeoutMs },
            { u"timeout_ms"_s, m.timeoutMs },
            { u"idle_timeout_ms"_s, m.idleTimeoutMs },
            { u"retries"_s,
                QJsonObject { { u"max_attempts"_s, m.retries.maxAttempts }, { u"base_ms"_s, m.retries.baseMs },
                    { u"max_ms"_s, m.retries.maxMs } } },
            { u"rate_limit"_s, QJsonObject { { u"rpm"_s, m.rateLimit.rpm }, { u"tpm"_s, m.rateLimit.tpm } } },
            { u"circuit_breaker"_s,
                QJsonObject { { u"failure_threshold"_s, m.circuitBreaker.failureThreshold },
                    { u"cooldown_ms"_s, m.circuitBreaker.cooldownMs } } },
            { u"price_per_mtok"_s,
                QJsonObject { { u"input"_s, m.priceInputPerMTok }, { u"output"_s, m.priceOutputPerMTok } } },
        };
        if (!m.baseUrl.isEmpty())
            o.insert(u"base_url"_s, m.baseUrl);
        if (!m.apiKeyRef.isEmpty())
            o.insert(u"api_key"_s, m.apiKeyRef); // a reference, never a key (the parser rejects literals)
        if (m.provider == u"simulator"_s) {
            const SimulatorSettings& s = m.simulate;
            QJsonObject faults;
            for (auto it = s.faults.cbegin(); it != s.faults.cend(); ++it)
                faults.insert(it.key(), it.value());
            o.insert(u"simulate"_s,
                QJsonObject { { u"accuracy"_s, s.accuracy }, { u"latency_ms"_s, s.latencyMs },
                    { u"tail_ms"_s, s.tailMs }, { u"token_ms"_s, s.tokenMs }, { u"output_tokens"_s, s.outputTokens },
                    { u"retry_after_s"_s, s.retryAfterS }, { u"stall_ms"_s, s.stallMs }, { u"faults"_s, faults } });
        }
        models.append(o);
    }

    QJsonArray benchmarks;
    for (const BenchmarkSpec& b : plan.benchmarks) {
        QJsonObject scorer = b.scorer.options;
        scorer.insert(u"type"_s, b.scorer.type);
        QJsonObject fewshot { { u"k"_s, b.fewshot.k } };
        if (!b.fewshot.from.isEmpty())
            fewshot.insert(u"from"_s, b.fewshot.from);
        QJsonObject o {
            { u"id"_s, b.id },
            { u"dataset"_s, b.dataset },
            { u"fields"_s, b.fields },
            { u"fewshot"_s, fewshot },
            { u"scorer"_s, scorer },
            { u"limit"_s, double(b.limit) },
            { u"repeats"_s, b.repeats },
        };
        if (!b.format.isEmpty())
            o.insert(u"format"_s, b.format);
        if (!b.system.isEmpty())
            o.insert(u"system"_s, b.system);
        if (!b.promptTemplate.isEmpty())
            o.insert(u"template"_s, b.promptTemplate);
        if (!b.messages.isEmpty()) {
            QJsonArray messages;
            for (const ChatMessage& m : b.messages)
                messages.append(QJsonObject { { u"role"_s, m.role }, { u"content"_s, m.content } });
            o.insert(u"messages"_s, messages);
        }
        benchmarks.append(o);
    }

    QJsonArray thresholds;
    for (const Threshold& t : plan.thresholds) {
        QJsonObject o { { u"metric"_s, t.metric }, { u"op"_s, t.op }, { u"value"_s, t.value } };
        if (!t.model.isEmpty())
            o.insert(u"model"_s, t.model);
        if (!t.benchmark.isEmpty())
            o.insert(u"benchmark"_s, t.benchmark);
        thresholds.append(o);
    }

    const QJsonObject root {
        { u"name"_s, plan.name },
        { u"seed"_s, double(plan.seed) },
        { u"models"_s, models },
        { u"benchmarks"_s, benchmarks },
        { u"run"_s,
            QJsonObject { { u"mode"_s, plan.run.mode }, { u"concurrency"_s, plan.run.concurrency },
                { u"cache"_s, plan.run.cache }, { u"cache_ttl_s"_s, double(plan.run.cacheTtlS) } } },
        { u"thresholds"_s, thresholds },
    };
    // QJsonObject keeps its keys sorted, so compact output is canonical.
    return QJsonDocument(root).toJson(QJsonDocument::Compact);
}

QStringList PlanParser::builtinDatasetNames()
{
    QStringList names;
    const QStringList files = QDir(u":/benchmarks"_s).entryList({ u"*.jsonl"_s }, QDir::Files, QDir::Name);
    for (const QString& f : files)
        names << f.chopped(6);
    return names;
}

QString PlanParser::defaultScorerType(const QString& dataset)
{
    // Each bundled benchmark's card (docs/benchmarks/NAME.md) names the scorer it is meant for.
    if (dataset == u"builtin:multiple-choice"_s)
        return u"multiple_choice"_s;
    if (dataset == u"builtin:arithmetic"_s)
        return u"numeric"_s;
    if (dataset == u"builtin:json-output"_s)
        return u"json"_s; // each record's "schema" field (the scorer's default schema_field)
    if (dataset == u"builtin:latency"_s)
        return u"contains"_s; // the record's target word, case-insensitive
    return ScorerRegistry::defaultType();
}

} // namespace evs
