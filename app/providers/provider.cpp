#include "app/providers/provider.h"

#include "app/providers/anthropicprovider.h"
#include "app/providers/ollamaprovider.h"
#include "app/providers/openaiprovider.h"
#include "app/providers/simulatorprovider.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QJsonValue>
#include <QSslConfiguration>

using namespace Qt::StringLiterals;

namespace evs {

namespace {

constexpr qsizetype kErrorPrefixChars = 200;

QString codeText(const QJsonValue& code)
{
    if (code.isString())
        return code.toString();
    if (code.isDouble())
        return QString::number(code.toInteger());
    return {};
}

// A short, printable prefix of a body that is not a known error shape (HTML pages from proxies, plain text).
QString printablePrefix(QByteArrayView body)
{
    QString text = QString::fromUtf8(body.first(std::min(body.size(), kErrorPrefixChars * 4)));
    const bool truncated = text.size() > kErrorPrefixChars || body.size() > kErrorPrefixChars * 4;
    text.truncate(kErrorPrefixChars);
    for (QChar& c : text) {
        if (!c.isPrint())
            c = u' ';
    }
    text = text.simplified();
    if (truncated)
        text += u"…"_s;
    return text;
}

} // namespace

std::unique_ptr<Provider> Provider::create(const QString& name)
{
    if (name == "openai"_L1)
        return std::make_unique<OpenAiProvider>(OpenAiProvider::Api::Chat);
    if (name == "openai-completions"_L1)
        return std::make_unique<OpenAiProvider>(OpenAiProvider::Api::Completions);
    if (name == "anthropic"_L1)
        return std::make_unique<AnthropicProvider>();
    if (name == "ollama"_L1)
        return std::make_unique<OllamaProvider>();
    if (name == "simulator"_L1)
        return std::make_unique<SimulatorProvider>();
    return nullptr;
}

QStringList Provider::names()
{
    return { u"openai"_s, u"openai-completions"_s, u"anthropic"_s, u"ollama"_s, u"simulator"_s };
}

ProviderError Provider::parseErrorBody(QByteArrayView body)
{
    ProviderError result;
    const QJsonDocument doc = QJsonDocument::fromJson(QByteArray::fromRawData(body.data(), body.size()));
    if (!doc.isObject())
        return result;
    const QJsonObject object = doc.object();
    const QJsonValue error = object.value("error"_L1);
    if (error.isString()) {
        result.message = error.toString();
        result.type = object.value("error_type"_L1).toString(); // TGI
    } else if (error.isObject()) {
        const QJsonObject e = error.toObject();
        result.message = e.value("message"_L1).toString();
        result.type = e.value("type"_L1).toString();
        result.code = codeText(e.value("code"_L1));
        result.param = e.value("param"_L1).toString();
    } else {
        // Older vLLM and some gateways put the error at the top level; FastAPI servers say "detail".
        result.message = object.value("message"_L1).toString();
        if (result.message.isEmpty())
            result.message = object.value("detail"_L1).toString();
        result.type = object.value("type"_L1).toString();
        result.code = codeText(object.value("code"_L1));
    }
    return result;
}

QString Provider::errorMessage(int httpStatus, QByteArrayView body) const
{
    const ProviderError error = parseErrorBody(body);
    if (!error.message.isEmpty())
        return error.message;
    if (!error.type.isEmpty())
        return error.type;
    const QString prefix = printablePrefix(body);
    return prefix.isEmpty() ? u"HTTP %1"_s.arg(httpStatus) : prefix;
}

QUrl Provider::modelsUrl(const ModelSpec& model) const
{
    return endpointUrl(model.baseUrl, u"/models");
}

QUrl Provider::endpointUrl(const QString& baseUrl, QStringView path)
{
    QStringView base = QStringView(baseUrl).trimmed();
    while (base.endsWith(u'/'))
        base.chop(1);
    return QUrl(base.toString() + path);
}

QNetworkRequest Provider::jsonRequest(const ModelSpec& model, const QUrl& url)
{
    QNetworkRequest request(url);
    request.setHeader(QNetworkRequest::ContentTypeHeader, QByteArrayLiteral("application/json"));
    request.setAttribute(QNetworkRequest::Http2AllowedAttribute, model.http2);
    // Prior knowledge only makes sense in cleartext; on https HTTP/2 is negotiated by ALPN.
    request.setAttribute(QNetworkRequest::Http2DirectAttribute, model.http2 && url.scheme() == "http"_L1);
#if QT_CONFIG(ssl)
    if (!model.tlsVerify) {
        QSslConfiguration ssl = request.sslConfiguration();
        ssl.setPeerVerifyMode(QSslSocket::VerifyNone);
        request.setSslConfiguration(ssl);
    }
#endif
    return request;
}

void Provider::mergeParams(QJsonObject& body, const QJsonObject& params)
{
    for (auto it = params.begin(); it != params.end(); ++it)
        body.insert(it.key(), it.value());
}

} // namespace evs
