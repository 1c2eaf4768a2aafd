#include "ui/connectiontester.h"

#include "app/providers/provider.h"
#include "app/simulator/simulatorserver.h"

#include <QElapsedTimer>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace evs {

namespace {

qint64 nowNs()
{
    static QElapsedTimer clock = [] {
        QElapsedTimer t;
        t.start();
        return t;
    }();
    return clock.nsecsElapsed();
}

// OpenAI and Anthropic: {"data":[{"id":…}]}; Ollama: {"models":[{"name":…}]}.
QStringList parseModelList(const QByteArray& body)
{
    QStringList ids;
    const QJsonObject o = QJsonDocument::fromJson(body).object();
    for (const auto& v : o.value(u"data"_s).toArray())
        ids << v.toObject().value(u"id"_s).toString();
    for (const auto& v : o.value(u"models"_s).toArray()) {
        const QJsonObject m = v.toObject();
        ids << (m.contains(u"name"_s) ? m.value(u"name"_s) : m.value(u"model"_s)).toString();
    }
    ids.removeAll(QString());
    return ids;
}

int httpStatus(QNetworkReply* reply)
{
    return reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
}

QString networkError(QNetworkReply* reply)
{
    if (reply->error() == QNetworkReply::OperationCanceledError)
        return u"timed out"_s;
    return reply->errorString();
}

} // namespace

ConnectionTester::ConnectionTester(QObject* parent)
    : QObject(parent)
    , m_nam(new QNetworkAccessManager(this))
{
    qRegisterMetaType<ConnectionTestResult>();
}

ConnectionTester::~ConnectionTester()
{
    cancel();
}

void ConnectionTester::cancel()
{
    ++m_generation;
    if (m_reply) {
        m_reply->disconnect(this);
        m_reply->abort();
        m_reply->deleteLater();
    }
    m_reply = nullptr;
    m_parser.reset();
    m_simulator.reset();
}

bool ConnectionTester::start(const ModelSpec& spec, const QString& apiKey, QString* error)
{
    cancel();
    m_provider = Provider::create(spec.provider);
    if (!m_provider) {
        *error = u"unknown provider '%1'"_s.arg(spec.provider);
        return false;
    }
    m_spec = spec;
    m_apiKey = apiKey;
    m_result = {};
    if (spec.provider == u"simulator"_s && spec.baseUrl.trimmed().isEmpty()) {
        m_simulator = std::make_unique<SimulatorHost>(spec.simulate, 1);
        if (!m_simulator->start(0, error)) {
            m_simulator.reset();
            return false;
        }
        m_spec.baseUrl = m_simulator->baseUrl();
    }
    if (m_spec.baseUrl.trimmed().isEmpty()) {
        *error = u"the model has no base URL"_s;
        return false;
    }
    // One token is enough to prove the endpoint answers; the user's other parameters are kept.
    m_spec.params.insert(u"max_tokens"_s, 1);
    m_result.url = m_spec.baseUrl;

    PromptRequest prompt;
    prompt.messages = { { u"user"_s, u"Reply with one word: ok"_s } };
    prompt.prompt = prompt.messages.first().content;
    prompt.expected = u"ok"_s;
    prompt.sampleKey = u"connection-test"_s;
    QByteArray body;
    QNetworkRequest request = m_provider->buildRequest(m_spec, prompt, m_apiKey, &body);
    // The model list goes with the same authentication headers and HTTP/2 and TLS choices.
    QNetworkRequest list = request;
    list.setUrl(m_provider->modelsUrl(m_spec));
    list.setHeader(QNetworkRequest::ContentTypeHeader, QVariant());
    list.setTransferTimeout(std::clamp(m_spec.connectTimeoutMs + 5000, 1000, 60000));
    m_reply = m_nam->get(list);
    const quint64 generation = m_generation;
    connect(m_reply, &QNetworkReply::finished, this, [this, generation] {
        if (generation == m_generation)
            onModelsFinished();
    });
    return true;
}

void ConnectionTester::onModelsFinished()
{
    QNetworkReply* reply = m_reply;
    m_reply = nullptr;
    reply->deleteLater();
    m_result.modelsStatus = httpStatus(reply);
    const QByteArray body = reply->readAll();
    if (m_result.modelsStatus >= 200 && m_result.modelsStatus < 300) {
        m_result.models = parseModelList(body);
        if (m_result.models.isEmpty())
            m_result.modelsError = u"the server listed no models"_s;
    } else if (m_result.modelsStatus > 0) {
        m_result.modelsError = m_provider->errorMessage(m_result.modelsStatus, body);
    } else {
        m_result.modelsError = networkError(reply);
    }
    sendChat();
}

void ConnectionTester::sendChat()
{
    PromptRequest prompt;
    prompt.messages = { { u"user"_s, u"Reply with one word: ok"_s } };
    prompt.prompt = prompt.messages.first().content;
    prompt.expected = u"ok"_s;
    prompt.sampleKey = u"connection-test"_s;
    QByteArray body;
    QNetworkRequest request = m_provider->buildRequest(m_spec, prompt, m_apiKey, &body);
    request.setTransferTimeout(std::clamp(m_spec.timeoutMs, 1000, 120000));
    m_parser = m_provider->createParser(m_spec.stream);
    m_sentNs = nowNs();
    m_reply = m_nam->post(request, body);
    const quint64 generation = m_generation;
    connect(m_reply, &QNetworkReply::readyRead, this, [this, generation] {
        if (generation != m_generation || !m_reply)
            return;
        const int status = httpStatus(m_reply);
        // Error bodies are read whole at the end; only 2xx bytes go to the parser.
        if (status >= 200 && status < 300)
            m_parser->feed(m_reply->readAll(), nowNs());
    });
    connect(m_reply, &QNetworkReply::finished, this, [this, generation] {
        if (generation == m_generation)
            onChatFinished();
    });
}

void ConnectionTester::onChatFinished()
{
    QNetworkReply* reply = m_reply;
    m_reply = nullptr;
    reply->deleteLater();
    const qint64 endNs = nowNs();
    m_result.status = httpStatus(reply);
    m_result.latencyMs = double(endNs - m_sentNs) / 1e6;
    const QByteArray rest = reply->readAll();
    if (m_result.status >= 200 && m_result.status < 300) {
        m_parser->feed(rest, endNs);
        m_parser->finish(endNs);
        const ParsedResponse& r = m_parser->result();
        m_result.reply = r.content.isEmpty() ? r.reasoning : r.content;
        if (r.firstTokenNs >= 0)
            m_result.ttftMs = double(r.firstTokenNs - m_sentNs) / 1e6;
        if (r.error)
            m_result.error = r.errorMessage.isEmpty() ? u"the server sent an error"_s : r.errorMessage;
        else if (r.malformed)
            m_result.error = u"malformed response: %1"_s.arg(r.errorMessage);
    } else if (m_result.status > 0) {
        m_result.error = u"HTTP %1: %2"_s.arg(m_result.status).arg(m_provider->errorMessage(m_result.status, rest));
    } else {
        m_result.error = networkError(reply);
    }
    finish();
}

void ConnectionTester::finish()
{
    m_parser.reset();
    m_simulator.reset();
    const ConnectionTestResult result = m_result;
    Q_EMIT finished(result);
}

} // namespace evs
