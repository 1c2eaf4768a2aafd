#pragma once

#include <QString>
#include <QStringList>
#include <QVector>

namespace evs {

struct ChatMessage {
    QString role; // system | user | assistant
    QString content;
};

// A rendered prompt, ready for a provider to put on the wire.
struct PromptRequest {
    QVector<ChatMessage> messages; // chat APIs
    QString prompt; // completion APIs: the messages flattened
    int maxTokens = 0; // a per-sample output budget (the dataset's "max_tokens"); 0 = none. The model's params win.
    // Passed only to the simulator provider, so that it can answer any dataset (docs/architecture.md section 6).
    QString expected;
    QStringList choices;
    QString sampleKey; // stable per sample and repeat: the simulator hashes it
};

} // namespace evs
