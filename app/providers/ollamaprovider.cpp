#include "app/providers/ollamaprovider.h"

#include "app/providers/ollamaparser.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

using namespace Qt::StringLiterals;

namespace evs {

QString OllamaProvider::name() const
{
    return u"ollama"_s;
}

QNetworkRequest OllamaProvider::buildRequest(
    const ModelSpec& model, const PromptRequest& prompt, const QString& apiKey, QByteArray* body) const
{
    QNetworkRequest request = jsonRequest(model, endpointUrl(model.baseUrl, u"/api/chat"));
    // A local Ollama needs no key; a proxy or Ollama's cloud in front of it takes a bearer token.
    if (!apiKey.trimmed().isEmpty())
        request.setRawHeader(QByteArrayLiteral("Authorization"), "Bearer " + apiKey.trimmed().toUtf8());
    if (!body)
        return request;

    QJsonObject json;
    json.insert("model"_L1, model.model);
    QJsonArray messages;
    for (const ChatMessage& message : prompt.messages)
        messages.append(QJsonObject { { "role"_L1, message.role }, { "content"_L1, message.content } });
    json.insert("messages"_L1, messages);
    // Ollama streams unless told otherwise, so the choice is always explicit.
    json.insert("stream"_L1, model.stream);
    if (prompt.maxTokens > 0)
        json.insert("options"_L1, QJsonObject { { "num_predict"_L1, prompt.maxTokens } });
    mergeParams(json, model.params);
    *body = QJsonDocument(json).toJson(QJsonDocument::Compact);
    return request;
}

std::unique_ptr<ResponseParser> OllamaProvider::createParser(bool stream) const
{
    return std::make_unique<OllamaParser>(stream);
}

QUrl OllamaProvider::modelsUrl(const ModelSpec& model) const
{
    return endpointUrl(model.baseUrl, u"/api/tags");
}

} // namespace evs
