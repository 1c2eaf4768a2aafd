#pragma once

#include "app/providers/provider.h"

namespace evs {

// Anthropic Messages: POST {base}/messages (base like https://api.anthropic.com/v1).
class AnthropicProvider : public Provider {
public:
    QString name() const override;
    QNetworkRequest buildRequest(
        const ModelSpec& model, const PromptRequest& prompt, const QString& apiKey, QByteArray* body) const override;
    std::unique_ptr<ResponseParser> createParser(bool stream) const override;

    static constexpr int kDefaultMaxTokens = 1024; // the API requires max_tokens
};

} // namespace evs
