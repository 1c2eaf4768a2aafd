#include "app/providers/anthropicprovider.h"

#include "app/providers/anthropicparser.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

using namespace Qt::StringLiterals;

namespace evs {

QString AnthropicProvider::name() const
{
    return u"anthropic"_s;
}

QNetworkRequest AnthropicProvider::buildRequest(
    const ModelSpec& model, const PromptRequest& prompt, const QString& apiKey, QByteArray* body) const
{
    QNetworkRequest request = jsonRequest(model, endpointUrl(model.baseUrl, u"/messages"));
    request.setRawHeader(QByteArrayLiteral("anthropic-version"), QByteArrayLiteral("2023-06-01"));
    if (!apiKey.trimmed().isEmpty())
        request.setRawHeader(QByteArrayLiteral("x-api-key"), apiKey.trimmed().toUtf8());
    if (model.stream)
        request.setRawHeader(QByteArrayLiteral("Accept"), QByteArrayLiteral("text/event-stream"));
    if (!body)
        return request;

    QJsonObject json;
    json.insert("model"_L1, model.model);
    json.insert("max_tokens"_L1, prompt.maxTokens > 0 ? prompt.maxTokens : kDefaultMaxTokens);
    // The Messages API has no system role: system text goes in the top-level "system".
    QStringList system;
    QJsonArray messages;
    for (const ChatMessage& message : prompt.messages) {
        if (message.role == "system"_L1)
            system.append(message.content);
        else
            messages.append(QJsonObject { { "role"_L1, message.role }, { "content"_L1, message.content } });
    }
    if (!system.isEmpty())
        json.insert("system"_L1, system.join(u"\n\n"_s));
    json.insert("messages"_L1, messages);
    if (model.stream)
        json.insert("stream"_L1, true);
    mergeParams(json, model.params);
    *body = QJsonDocument(json).toJson(QJsonDocument::Compact);
    return request;
}

std::unique_ptr<ResponseParser> AnthropicProvider::createParser(bool stream) const
{
    return std::make_unique<AnthropicParser>(stream);
}

} // namespace evs
