#pragma once

#include "app/providers/provider.h"

namespace evs {

// Ollama's native API: POST {base}/api/chat (base like http://127.0.0.1:11434), NDJSON when streaming.
class OllamaProvider : public Provider {
public:
    QString name() const override;
    QNetworkRequest buildRequest(
        const ModelSpec& model, const PromptRequest& prompt, const QString& apiKey, QByteArray* body) const override;
    std::unique_ptr<ResponseParser> createParser(bool stream) const override;
    QUrl modelsUrl(const ModelSpec& model) const override;
};

} // namespace evs
