#pragma once

#include "app/providers/responseparser.h"
#include "models/core/modelspec.h"
#include "models/core/promptrequest.h"

#include <QByteArray>
#include <QNetworkRequest>
#include <QUrl>

#include <memory>

class QJsonObject;

namespace evs {

// The parts of a non-2xx error body: OpenAI {"error":{"message","type","code"}}, Anthropic
// {"type":"error","error":{"type","message"}}, Ollama {"error":"..."}. Empty fields when not found.
struct ProviderError {
    QString message;
    QString type;
    QString code; // string or integer code as text
    QString param; // OpenAI: the request parameter at fault
};

// One adapter per API family: builds the request and makes the parser for its answer.
// Implementations are stateless and thread-safe (one instance is shared by all worker threads).
class Provider {
public:
    virtual ~Provider() = default;

    // "openai", "openai-completions", "anthropic", "ollama", "simulator"; nullptr for an unknown name.
    static std::unique_ptr<Provider> create(const QString& name);
    static QStringList names();

    virtual QString name() const = 0;
    // The URL, headers (auth from apiKey, which may be empty) and JSON body of one request.
    virtual QNetworkRequest buildRequest(
        const ModelSpec& model, const PromptRequest& prompt, const QString& apiKey, QByteArray* body) const = 0;
    // A parser for a 2xx body; stream = the request asked for a stream.
    virtual std::unique_ptr<ResponseParser> createParser(bool stream) const = 0;
    // A human-readable message from a non-2xx body (the server's error message when it sends one).
    virtual QString errorMessage(int httpStatus, QByteArrayView body) const;
    // Where "Test connection" lists the server's models.
    virtual QUrl modelsUrl(const ModelSpec& model) const;

    // The error object of a JSON error body in any of the shapes above (for retry decisions: a 429 with
    // type insufficient_quota is not worth retrying).
    static ProviderError parseErrorBody(QByteArrayView body);

protected:
    // {base}{path}, with one slash between them whatever the base ends with.
    static QUrl endpointUrl(const QString& baseUrl, QStringView path);
    // A JSON POST request to url with the model's HTTP/2 and TLS choices, and no timeout (the engine runs its own).
    static QNetworkRequest jsonRequest(const ModelSpec& model, const QUrl& url);
    // The model's params over body: the user's values win.
    static void mergeParams(QJsonObject& body, const QJsonObject& params);
};

} // namespace evs
