#pragma once

#include "app/providers/parserbase.h"

namespace evs {

// OpenAI-compatible answers (OpenAI, vLLM, llama.cpp, TGI, the simulator): chat completions (`delta`, `message`)
// or legacy completions (`text`), streamed as SSE or whole. Only the choice with index 0 is read.
class OpenAiParser : public ParserBase {
public:
    enum class Api { Chat, Completions };
    OpenAiParser(Api api, bool stream);

protected:
    void handleEvent(QByteArrayView eventName, const QJsonObject& event, qint64 nowNs) override;
    void handleWhole(const QJsonObject& body, qint64 nowNs) override;

private:
    bool handleError(QByteArrayView eventName, const QJsonObject& object, qint64 nowNs);
    void readUsage(const QJsonObject& object, qint64 nowNs);

    const Api m_api;
};

} // namespace evs
