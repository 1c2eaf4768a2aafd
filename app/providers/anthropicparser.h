#pragma once

#include "app/providers/parserbase.h"

namespace evs {

// Anthropic Messages answers: typed SSE events (message_start, content_block_*, message_delta, message_stop,
// ping, error) or a whole message object. Tool-use blocks become tool calls indexed by their block index.
class AnthropicParser : public ParserBase {
public:
    explicit AnthropicParser(bool stream);

protected:
    void handleEvent(QByteArrayView eventName, const QJsonObject& event, qint64 nowNs) override;
    void handleWhole(const QJsonObject& body, qint64 nowNs) override;

private:
    void readUsage(const QJsonObject& usage, bool withOutput, qint64 nowNs);
};

} // namespace evs
