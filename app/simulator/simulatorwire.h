#pragma once

#include <QByteArray>
#include <QString>

// The simulator's bodies in OpenAI's wire shapes, written straight into byte arrays (no QJsonDocument per token).
namespace evs::simulatorwire {

// The parts of one answer that every chunk repeats.
struct CompletionShape {
    bool legacy = false; // /v1/completions ("text_completion") rather than chat
    bool includeUsage = false; // stream_options.include_usage: chunks carry "usage":null, then a usage chunk
    QByteArray id;
    QByteArray model; // already a JSON string, quotes included
    qint64 created = 0;
};

void appendJsonString(QByteArray& out, QStringView text);
QByteArray jsonString(QStringView text);

QByteArray errorBody(QByteArrayView type, QByteArrayView code, const QString& message);
QByteArray modelsBody(qint64 created);
QByteArray wholeBody(const CompletionShape& shape, QStringView content, QByteArrayView finishReason, int promptTokens,
    int completionTokens);

// Each appends one server-sent event: "data: {…}\n\n".
void appendRoleEvent(QByteArray& out, const CompletionShape& shape); // chat only
// finishReason empty: null (legacy streams put the finish reason on the last text chunk).
void appendContentEvent(QByteArray& out, const CompletionShape& shape, QStringView token, QByteArrayView finishReason);
void appendFinishEvent(QByteArray& out, const CompletionShape& shape, QByteArrayView finishReason); // chat only
void appendUsageEvent(QByteArray& out, const CompletionShape& shape, int promptTokens, int completionTokens);
void appendDoneEvent(QByteArray& out);

} // namespace evs::simulatorwire
