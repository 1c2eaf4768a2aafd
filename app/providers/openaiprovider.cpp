#include "app/providers/openaiprovider.h"

#include "app/providers/openaiparser.h"

#include <QJsonArray>
#include <QJsonDocument>

using namespace Qt::StringLiterals;

namespace evs {

OpenAiProvider::OpenAiProvider(Api api)
    : m_api(api)
{
}

QString OpenAiProvider::name() const
{
    return m_api == Api::Chat ? u"openai"_s : u"openai-completions"_s;
}

QJsonObject OpenAiProvider::requestBody(const ModelSpec& model, const PromptRequest& prompt) const
{
    QJsonObject body;
    body.insert("model"_L1, model.model);
    if (m_api == Api::Chat) {
        QJsonArray messages;
        for (const ChatMessage& message : prompt.messages)
            messages.append(QJsonObject { { "role"_L1, message.role }, { "content"_L1, message.content } });
        body.insert("messages"_L1, messages);
    } else {
        QString text = prompt.prompt;
        if (text.isEmpty()) {
            QStringList parts;
            for (const ChatMessage& message : prompt.messages)
                parts.append(message.content);
            text = parts.join(u"\n\n"_s);
        }
        body.insert("prompt"_L1, text);
    }
    if (prompt.maxTokens > 0)
        body.insert("max_tokens"_L1, prompt.maxTokens);
    if (model.stream) {
        body.insert("stream"_L1, true);
        // Without it the server sends no token counts in a stream.
        if (!model.params.contains("stream_options"_L1))
            body.insert("stream_options"_L1, QJsonObject { { "include_usage"_L1, true } });
    }
    return body;
}

QNetworkRequest OpenAiProvider::buildRequest(
    const ModelSpec& model, const PromptRequest& prompt, const QString& apiKey, QByteArray* body) const
{
    QNetworkRequest request
        = jsonRequest(model, endpointUrl(model.baseUrl, m_api == Api::Chat ? u"/chat/completions" : u"/completions"));
    if (model.stream)
        request.setRawHeader(QByteArrayLiteral("Accept"), QByteArrayLiteral("text/event-stream"));
    if (!apiKey.trimmed().isEmpty())
        request.setRawHeader(QByteArrayLiteral("Authorization"), "Bearer " + apiKey.trimmed().toUtf8());
    if (body) {
        QJsonObject json = requestBody(model, prompt);
        mergeParams(json, model.params);
        *body = QJsonDocument(json).toJson(QJsonDocument::Compact);
    }
    return request;
}

std::unique_ptr<ResponseParser> OpenAiProvider::createParser(bool stream) const
{
    return std::make_unique<OpenAiParser>(
        m_api == Api::Chat ? OpenAiParser::Api::Chat : OpenAiParser::Api::Completions, stream);
}

} // namespace evs
