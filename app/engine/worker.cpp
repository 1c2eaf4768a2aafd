#include "app/engine/worker.h"

#include "app/engine/backoff.h"
#include "app/engine/enginecontext.h"
#include "models/store/resultswriter.h"

#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>

#include <map>

using namespace Qt::StringLiterals;

namespace evs {

namespace {

constexpr int kConnectionsPerNam = 6; // Qt 6.4: HTTP/1.1 connections per host and QNAM
constexpr int kMaxErrorBody = 64 * 1024;

ErrorClass classifyNetworkError(QNetworkReply::NetworkError e)
{
    switch (e) {
    case QNetworkReply::SslHandshakeFailedError:
        return ErrorClass::Tls;
    case QNetworkReply::OperationCanceledError:
        return ErrorClass::Canceled;
    case QNetworkReply::ProtocolUnknownError:
    case QNetworkReply::ProtocolInvalidOperationError:
    case QNetworkReply::ProtocolFailure:
    case QNetworkReply::UnknownContentError:
        return ErrorClass::Parse;
    default:
        return ErrorClass::Connect;
    }
}

QJsonValue messagesValue(const PromptRequest& p)
{
    QJsonArray messages;
    for (const ChatMessage& m : p.messages)
        messages.append(QJsonObject { { u"role"_s, m.role }, { u"content"_s, m.content } });
    if (messages.isEmpty())
        return p.prompt;
    return messages;
}

QString messagesJson(const PromptRequest& p)
{
    const QJsonValue v = messagesValue(p);
    return v.isString() ? v.toString() : QString::fromUtf8(QJsonDocument(v.toArray()).toJson(QJsonDocument::Compact));
}

qint64 unixNowS()
{
    return QDateTime::currentSecsSinceEpoch();
}

// The share of TPM a request costs: a prompt estimate (4 characters a token) plus the output budget.
double tokenEstimate(const PromptRequest& p, double maxTokens)
{
    qsizetype chars = p.prompt.size();
    for (const ChatMessage& m : p.messages)
        chars += m.content.size();
    return double(chars) / 4.0 + maxTokens;
}

} // namespace

Worker::Worker(EngineContext* context, std::vector<int> slotModels, quint64 seed, QObject* parent)
    : QObject(parent)
    , m_ctx(context)
    , m_slotModels(std::move(slotModels))
    , m_rng(seed)
{
}

Worker::~Worker()
{
    for (Slot& s : m_slots) {
        if (s.reply) {
            s.reply->disconnect(this);
            s.reply->abort();
            delete s.reply;
        }
    }
}

void Worker::start()
{
    // QNAMs must live on this thread; each slot keeps its QNAM, so none carries more than 6 connections per host.
    std::map<int, int> slotsPerModel;
    std::map<int, int> currentNam;
    m_slots.resize(m_slotModels.size());
    for (size_t i = 0; i < m_slotModels.size(); ++i) {
        const int model = m_slotModels[i];
        if (slotsPerModel[model]++ % kConnectionsPerNam == 0) {
            auto nam = std::make_unique<QNetworkAccessManager>();
            nam->setRedirectPolicy(QNetworkRequest::ManualRedirectPolicy);
            m_nams.push_back(std::move(nam));
            currentNam[model] = int(m_nams.size()) - 1;
        }
        m_slots[i].model = model;
        m_slots[i].nam = currentNam[model];
    }
    m_sweep = new QTimer(this);
    m_sweep->setInterval(20);
    connect(m_sweep, &QTimer::timeout, this, &Worker::sweepTimeouts);
    m_sweep->start();
    for (size_t i = 0; i < m_slots.size(); ++i)
        dispatch(int(i));
    checkDrained();
}

void Worker::resumeDispatch()
{
    for (size_t i = 0; i < m_slots.size(); ++i) {
        if (m_slots[i].waitingForResume) {
            m_slots[i].waitingForResume = false;
            dispatch(int(i));
        }
    }
}

void Worker::abortAll()
{
    for (size_t i = 0; i < m_slots.size(); ++i) {
        Slot& s = m_slots[i];
        if (s.reply) {
            s.abortedByCancel = true;
            s.reply->abort(); // finishes the slot through onFinished
        } else {
            s.done = true;
            s.busy = false;
        }
    }
    checkDrained();
}

bool Worker::takeNext(Slot& s)
{
    ModelRuntime& m = *m_ctx->models[s.model];
    WorkItem item;
    if (!m.work->next(&item)) {
        const QString error = m.work->error();
        if (!error.isEmpty())
            m_ctx->fail(error);
        return false;
    }
    const BenchmarkRuntime& b = *m_ctx->benchmarks[item.benchmarkIndex];
    s.item = std::move(item);
    s.item.schedNs = m_ctx->clock.nowNs();
    s.attempt = 0;
    s.freeAttempts = 0;
    s.failedAttempts.clear();
    s.prompt = b.renderer->render(s.item.sample);
    s.prompt.sampleKey = m.spec.id % u'/' % b.spec.id % u'/' % s.item.sample.id % u'/' % QString::number(s.item.repeat);
    s.promptJson = messagesJson(s.prompt);
    s.body.clear();
    s.request = m.provider->buildRequest(m.spec, s.prompt, m.apiKey, &s.body);
    s.busy = true;
    if (m_ctx->cache) {
        s.cacheRequest = ResponseCache::canonicalRequest(
            m.spec.provider, m.cacheBaseUrl, m.spec.model, messagesValue(s.prompt), m.cacheParams, s.item.repeat);
        s.cacheKey = ResponseCache::requestKey(s.cacheRequest);
    } else {
        s.cacheKey.clear();
    }
    return true;
}

bool Worker::serveFromCache(int index)
{
    Slot& s = m_slots[size_t(index)];
    const auto hit = m_ctx->cache->lookup(s.cacheKey, unixNowS(), m_ctx->cacheTtlS);
    if (!hit)
        return false;
    // No request is sent: the record says so (cached) and carries no timings to skew the latency figures.
    RequestRecord rec;
    fillRecordKey(s, &rec);
    const qint64 now = m_ctx->clock.nowNs();
    rec.t.schedNs = s.item.schedNs;
    rec.t.sendNs = now;
    rec.t.endNs = now;
    rec.attempts = 0;
    rec.cached = true;
    rec.response = hit->content;
    rec.reasoning = hit->reasoning;
    rec.finishReason = hit->finishReason;
    rec.inputTokens = hit->inputTokens;
    rec.outputTokens = hit->outputTokens;
    rec.tokenSource = hit->tokenSource;
    rec.tokenEvents = hit->tokenEvents;
    // Completed on the next turn of the event loop, so that a run of hits never recurses.
    QTimer::singleShot(0, this, [this, index, rec = std::move(rec)]() mutable {
        if (!m_drainedSent) // a cancel that drained the worker meanwhile: the sample stays unstored
            scoreAndComplete(index, std::move(rec));
    });
    return true;
}

void Worker::dispatch(int index)
{
    Slot& s = m_slots[size_t(index)];
    if (s.done || s.reply)
        return;
    if (m_ctx->canceled.load(std::memory_order_relaxed)) {
        s.done = true;
        s.busy = false;
        checkDrained();
        return;
    }
    if (!s.busy) {
        if (m_ctx->paused.load(std::memory_order_relaxed)) {
            s.waitingForResume = true;
            return;
        }
        if (!takeNext(s)) {
            s.done = true;
            checkDrained();
            return;
        }
        if (!s.cacheKey.isEmpty() && serveFromCache(index))
            return;
    }
    ModelRuntime& m = *m_ctx->models[activeModel(s)];
    const qint64 now = m_ctx->clock.nowNs();
    const PromptRequest& prompt = s.judging ? s.judgePrompt : s.prompt;
    int delayMs = m.rateLimiter->acquireOrDelayMs(tokenEstimate(prompt, m.maxTokensEstimate), now);
    if (delayMs == 0)
        delayMs = m.breaker->admitOrDelayMs(now);
    if (delayMs > 0) {
        QTimer::singleShot(delayMs, this, [this, index] { dispatch(index); });
        return;
    }
    send(index);
}

void Worker::send(int index)
{
    Slot& s = m_slots[size_t(index)];
    ++s.attempt;
    s.t = Timings {};
    s.t.schedNs = s.item.schedNs;
    s.lastByteNs = -1;
    s.httpStatus = 0;
    s.errorBody.clear();
    s.bodyBytes = 0;
    s.timedOut = TimeoutKind::None;
    s.abortedByCancel = false;
    s.parser.reset();
    m_ctx->counters.inFlight.fetch_add(1, std::memory_order_relaxed);

    s.t.sendNs = m_ctx->clock.nowNs();
    QNetworkReply* reply = m_nams[size_t(s.nam)]->post(s.request, s.body);
    s.reply = reply;
    connect(reply, &QNetworkReply::requestSent, this, [this, index] {
        Slot& slot = m_slots[size_t(index)];
        if (slot.t.wireNs < 0)
            slot.t.wireNs = m_ctx->clock.nowNs();
    });
    connect(reply, &QNetworkReply::metaDataChanged, this, [this, index] { onMetaData(index); });
    connect(reply, &QNetworkReply::readyRead, this, [this, index] { onReadyRead(index); });
    connect(reply, &QNetworkReply::finished, this, [this, index] { onFinished(index); });
}

void Worker::onMetaData(int index)
{
    Slot& s = m_slots[size_t(index)];
    if (!s.reply || s.t.headersNs >= 0)
        return;
    const QVariant status = s.reply->attribute(QNetworkRequest::HttpStatusCodeAttribute);
    if (!status.isValid())
        return;
    s.t.headersNs = m_ctx->clock.nowNs();
    s.httpStatus = status.toInt();
    if (s.httpStatus >= 200 && s.httpStatus < 300) {
        const ModelRuntime& m = *m_ctx->models[activeModel(s)];
        s.parser = m.provider->createParser(m.spec.stream);
    }
}

void Worker::onReadyRead(int index)
{
    Slot& s = m_slots[size_t(index)];
    if (!s.reply)
        return;
    if (s.t.headersNs < 0)
        onMetaData(index);
    const QByteArray data = s.reply->readAll();
    if (data.isEmpty())
        return;
    const qint64 now = m_ctx->clock.nowNs();
    s.lastByteNs = now;
    s.bodyBytes += data.size();
    if (s.parser)
        s.parser->feed(data, now);
    else if (s.errorBody.size() < kMaxErrorBody)
        s.errorBody.append(data.left(kMaxErrorBody - s.errorBody.size()));
}

void Worker::onFinished(int index)
{
    Slot& s = m_slots[size_t(index)];
    QNetworkReply* reply = s.reply;
    if (!reply)
        return;
    if (reply->bytesAvailable() > 0)
        onReadyRead(index);
    if (s.t.headersNs < 0)
        onMetaData(index);
    s.reply = nullptr;
    reply->disconnect(this);
    reply->deleteLater();
    m_ctx->counters.inFlight.fetch_sub(1, std::memory_order_relaxed);

    const qint64 now = m_ctx->clock.nowNs();
    s.t.endNs = now;
    if (s.parser)
        s.parser->finish(now);

    ModelRuntime& m = *m_ctx->models[activeModel(s)];
    const QNetworkReply::NetworkError netError = reply->error();
    ErrorClass cls = ErrorClass::None;
    QString message;
    qint64 retryAfterMs = -1;
    bool noRetry = false;

    if (s.abortedByCancel) {
        cls = ErrorClass::Canceled;
    } else if (s.timedOut != TimeoutKind::None) {
        cls = ErrorClass::Timeout;
        switch (s.timedOut) {
        case TimeoutKind::Connect:
            message = u"connect timeout: request not sent within %1 ms"_s.arg(m.spec.connectTimeoutMs);
            break;
        case TimeoutKind::Idle:
            message = u"idle timeout: no bytes for %1 ms (after %2 bytes)"_s.arg(m.spec.idleTimeoutMs).arg(s.bodyBytes);
            break;
        default:
            message = u"total timeout: no complete response within %1 ms"_s.arg(m.spec.timeoutMs);
            break;
        }
    } else if (s.httpStatus >= 400) {
        cls = errorClassForHttpStatus(s.httpStatus);
        message = u"HTTP %1: %2"_s.arg(s.httpStatus).arg(m.provider->errorMessage(s.httpStatus, s.errorBody));
        retryAfterMs = parseRetryAfterMs(reply->rawHeader("retry-after"), reply->rawHeader("retry-after-ms"));
        // An exhausted quota answers 429 too, but waiting will not help: do not retry it.
        if (cls == ErrorClass::Http429 && Provider::parseErrorBody(s.errorBody).code == u"insufficient_quota"_s)
            noRetry = true;
    } else if (netError != QNetworkReply::NoError && s.httpStatus == 0) {
        cls = classifyNetworkError(netError);
        message = reply->errorString();
    } else if (netError != QNetworkReply::NoError) {
        cls = ErrorClass::Parse;
        message = u"response broken off after %1 bytes: %2"_s.arg(s.bodyBytes).arg(reply->errorString());
    } else if (!s.parser) {
        cls = ErrorClass::Parse;
        message = u"HTTP %1 with no response body to parse"_s.arg(s.httpStatus);
    } else {
        const ParsedResponse& r = s.parser->result();
        if (r.error) {
            const bool rateLimited = r.errorType.contains(u"rate"_s, Qt::CaseInsensitive);
            cls = rateLimited ? ErrorClass::Http429 : ErrorClass::Http5xx;
            message = u"error inside the HTTP %1 response: %2"_s.arg(s.httpStatus)
                          .arg(r.errorType.isEmpty() ? r.errorMessage : r.errorType % u": "_s % r.errorMessage);
        } else if (r.malformed) {
            cls = ErrorClass::Parse;
            message = r.errorMessage;
        } else if (!r.done && r.finishReason.isEmpty()) {
            cls = ErrorClass::Parse;
            message = u"response ended before its end marker or finish reason (truncated after %1 bytes)"_s.arg(
                s.bodyBytes);
        }
    }

    if (cls == ErrorClass::Canceled && m_ctx->canceled.load()) {
        // Stopped by the user: not a result. The sample stays unstored, so resume runs it again.
        s.busy = false;
        s.done = true;
        checkDrained();
        return;
    }

    // QNAM can hand a request to a keep-alive connection the server has just closed; it then fails before a byte
    // of it was sent. The server never saw it, so it is sent again at once (once per sample), without using the
    // retry budget or counting against the endpoint. The failed attempt is still recorded.
    if (cls == ErrorClass::Connect && netError == QNetworkReply::RemoteHostClosedError && s.t.wireNs < 0
        && s.freeAttempts == 0 && !m_ctx->canceled.load()) {
        ++s.freeAttempts;
        s.failedAttempts.push_back({ s.attempt, cls, 0, s.t.sendNs, now,
            u"connection closed before the request was sent (stale keep-alive connection); sent again"_s });
        QTimer::singleShot(0, this, [this, index] { dispatch(index); });
        return;
    }

    if (cls == ErrorClass::None)
        m.breaker->recordSuccess();
    else if (isRetryable(cls))
        m.breaker->recordFailure(now);

    if (cls != ErrorClass::None && isRetryable(cls) && !noRetry
        && s.attempt < std::max(1, m.spec.retries.maxAttempts) + s.freeAttempts && !m_ctx->canceled.load()) {
        s.failedAttempts.push_back({ s.attempt, cls, s.httpStatus, s.t.sendNs, now, message });
        m_ctx->counters.retries.fetch_add(1, std::memory_order_relaxed);
        const qint64 delayMs = retryDelayMs(m.spec.retries, s.attempt, retryAfterMs, m_rng);
        QTimer::singleShot(std::chrono::milliseconds(delayMs), this, [this, index] { dispatch(index); });
        return;
    }

    if (s.judging) {
        finishJudge(index, cls, message);
        return;
    }

    RequestRecord rec;
    fillRecordKey(s, &rec);
    rec.attempts = s.attempt;
    rec.errorClass = cls;
    rec.httpStatus = s.httpStatus;
    rec.errorMessage = message;
    rec.t = s.t;
    rec.failedAttempts = std::move(s.failedAttempts);
    if (s.parser) {
        const ParsedResponse& r = s.parser->result();
        rec.t.firstTokenNs = r.firstTokenNs;
        rec.t.firstContentNs = r.firstContentNs;
        rec.t.lastTokenNs = r.lastTokenNs;
        rec.response = r.content;
        rec.reasoning = r.reasoning;
        rec.finishReason = r.finishReason;
        rec.inputTokens = r.inputTokens;
        rec.tokenEvents = r.tokenEvents;
        if (r.usageReported && r.outputTokens >= 0) {
            rec.outputTokens = r.outputTokens;
            rec.tokenSource = TokenSource::Usage;
        } else if (r.tokenEvents > 0 && m.spec.stream) {
            rec.outputTokens = r.tokenEvents;
            rec.tokenSource = TokenSource::Events;
        }
    }
    if (cls == ErrorClass::None && m_ctx->cache) {
        QString whyNot;
        if (!m_ctx->writer->enqueueCacheEntry(rec, s.cacheRequest, unixNowS(), &whyNot) && m_ctx->writer->failed())
            m_ctx->fail(m_ctx->writer->error());
    }
    scoreAndComplete(index, std::move(rec));
}

void Worker::fillRecordKey(const Slot& s, RequestRecord* rec) const
{
    rec->runId = m_ctx->runId;
    rec->modelIndex = s.model;
    rec->benchmarkIndex = s.item.benchmarkIndex;
    rec->sampleIndex = s.item.sample.index;
    rec->repeat = s.item.repeat;
    rec->sampleId = s.item.sample.id;
    rec->category = s.item.sample.category;
    rec->prompt = s.promptJson;
    rec->expected = s.item.sample.target;
    rec->cacheKey = s.cacheKey;
}

void Worker::scoreAndComplete(int index, RequestRecord&& rec)
{
    Slot& s = m_slots[size_t(index)];
    if (rec.ok()) {
        const Scorer& scorer = *m_ctx->benchmarks[size_t(rec.benchmarkIndex)]->scorer;
        if (scorer.needsJudge()) {
            startJudge(index, std::move(rec));
            return;
        }
        const ScoreResult score = scorer.score(s.item.sample, rec.response);
        rec.score = score.error ? std::nan("") : score.score;
        rec.scoreError = score.error;
        rec.scoreExplanation = score.explanation;
    }
    complete(index, std::move(rec));
}

int Worker::activeModel(const Slot& s) const
{
    return s.judging ? s.judgeModel : s.model;
}

void Worker::startJudge(int index, RequestRecord&& rec)
{
    Slot& s = m_slots[size_t(index)];
    const Scorer& scorer = *m_ctx->benchmarks[size_t(rec.benchmarkIndex)]->scorer;
    const QString judgeId = scorer.judgeModelId();
    int judge = -1;
    for (size_t i = 0; i < m_ctx->models.size(); ++i) {
        if (m_ctx->models[i]->spec.id == judgeId)
            judge = int(i);
    }
    if (judge < 0) {
        rec.scoreError = true;
        rec.scoreExplanation = u"judge model '%1' is not in the plan"_s.arg(judgeId);
        complete(index, std::move(rec));
        return;
    }
    // The judge's request goes through the same slot with the judge model's own limits, retries and timeouts.
    const ModelRuntime& m = *m_ctx->models[size_t(judge)];
    s.pending = std::move(rec);
    s.judging = true;
    s.judgeModel = judge;
    s.judgePrompt = scorer.judgePrompt(s.item.sample, s.pending.response);
    if (s.judgePrompt.sampleKey.isEmpty())
        s.judgePrompt.sampleKey = u"judge/"_s + s.prompt.sampleKey;
    s.pending.judgePrompt = messagesJson(s.judgePrompt);
    s.attempt = 0;
    s.freeAttempts = 0;
    s.failedAttempts.clear();
    s.body.clear();
    s.request = m.provider->buildRequest(m.spec, s.judgePrompt, m.apiKey, &s.body);
    dispatch(index);
}

void Worker::finishJudge(int index, ErrorClass cls, const QString& message)
{
    Slot& s = m_slots[size_t(index)];
    RequestRecord rec = std::move(s.pending);
    s.judging = false;
    s.failedAttempts.clear();
    rec.score = std::nan("");
    if (cls != ErrorClass::None) {
        rec.scoreError = true;
        rec.scoreExplanation = u"the judge request failed after %1 attempt(s): %2: %3"_s.arg(s.attempt).arg(
            errorClassName(cls), message);
    } else {
        rec.judgeResponse = s.parser ? s.parser->result().content : QString();
        const Scorer& scorer = *m_ctx->benchmarks[size_t(rec.benchmarkIndex)]->scorer;
        const ScoreResult score = scorer.scoreWithVerdict(s.item.sample, rec.response, rec.judgeResponse);
        rec.score = score.error ? std::nan("") : score.score;
        rec.scoreError = score.error;
        rec.scoreExplanation = score.explanation;
    }
    complete(index, std::move(rec));
}

void Worker::complete(int index, RequestRecord&& rec)
{
    LiveCounters& c = m_ctx->counters;
    const bool failed = !rec.ok();
    c.done.fetch_add(1, std::memory_order_relaxed);
    if (!rec.ok()) {
        c.failed.fetch_add(1, std::memory_order_relaxed);
        c.errors[size_t(rec.errorClass)].fetch_add(1, std::memory_order_relaxed);
    }
    if (rec.outputTokens > 0)
        c.outputTokens.fetch_add(rec.outputTokens, std::memory_order_relaxed);
    if (!std::isnan(rec.score)) {
        c.scored.fetch_add(1, std::memory_order_relaxed);
        c.scoreMicroSum.fetch_add(qint64(rec.score * 1e6), std::memory_order_relaxed);
    }
    m_ctx->aggregator->record(rec);
    if (!m_ctx->writer->enqueue(std::move(rec)))
        m_ctx->fail(m_ctx->writer->error());
    Slot& s = m_slots[size_t(index)];
    s.busy = false;
    if (failed) {
        // After a broken connection QNAM is still tearing the channel down inside this finished() call; a request
        // posted now can land on it and fail unsent. Let the event loop turn once first.
        QTimer::singleShot(0, this, [this, index] { dispatch(index); });
        return;
    }
    dispatch(index);
}

void Worker::sweepTimeouts()
{
    const qint64 now = m_ctx->clock.nowNs();
    for (size_t i = 0; i < m_slots.size(); ++i) {
        Slot& s = m_slots[i];
        if (!s.reply)
            continue;
        const ModelSpec& spec = m_ctx->models[activeModel(s)]->spec;
        TimeoutKind kind = TimeoutKind::None;
        const qint64 sinceSendMs = (now - s.t.sendNs) / 1000000;
        if (spec.timeoutMs > 0 && sinceSendMs > spec.timeoutMs) {
            kind = TimeoutKind::Total;
        } else if (s.t.wireNs < 0 && s.t.headersNs < 0) {
            if (spec.connectTimeoutMs > 0 && sinceSendMs > spec.connectTimeoutMs)
                kind = TimeoutKind::Connect;
        } else if (spec.idleTimeoutMs > 0) {
            const qint64 last = std::max({ s.lastByteNs, s.t.wireNs, s.t.headersNs });
            if ((now - last) / 1000000 > spec.idleTimeoutMs)
                kind = TimeoutKind::Idle;
        }
        if (kind != TimeoutKind::None) {
            s.timedOut = kind;
            s.reply->abort(); // ends in onFinished, classified as our timeout
        }
    }
}

void Worker::checkDrained()
{
    if (m_drainedSent)
        return;
    for (const Slot& s : m_slots) {
        if (!s.done || s.reply)
            return;
    }
    m_drainedSent = true;
    if (m_sweep)
        m_sweep->stop();
    Q_EMIT drained();
}

} // namespace evs
