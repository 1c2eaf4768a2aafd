#pragma once

#include "app/providers/provider.h"

#include <QJsonObject>

namespace evs {

// OpenAI-compatible servers: POST {base}/chat/completions, or {base}/completions for the legacy API.
class OpenAiProvider : public Provider {
public:
    enum class Api { Chat, Completions };
    explicit OpenAiProvider(Api api = Api::Chat);

    QString name() const override;
    QNetworkRequest buildRequest(
        const ModelSpec& model, const PromptRequest& prompt, const QString& apiKey, QByteArray* body) const override;
    std::unique_ptr<ResponseParser> createParser(bool stream) const override;

protected:
    // The JSON body before the model's params are merged over it.
    virtual QJsonObject requestBody(const ModelSpec& model, const PromptRequest& prompt) const;

private:
    const Api m_api;
};

} // namespace evs
