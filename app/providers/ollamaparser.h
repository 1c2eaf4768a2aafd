#pragma once

#include "app/providers/parserbase.h"

namespace evs {

// Ollama answers: NDJSON lines of /api/chat (message.content, message.thinking, message.tool_calls) or
// /api/generate (response, thinking), ending with done:true and the metrics; a whole body has the same shape.
class OllamaParser : public ParserBase {
public:
    explicit OllamaParser(bool stream);

protected:
    void handleEvent(QByteArrayView eventName, const QJsonObject& event, qint64 nowNs) override;
    void handleWhole(const QJsonObject& body, qint64 nowNs) override;

private:
    int m_toolCallCount = 0;
};

} // namespace evs
