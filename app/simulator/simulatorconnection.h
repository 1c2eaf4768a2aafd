#pragma once

#include "app/simulator/httprequestparser.h"
#include "app/simulator/simulatorfault.h"
#include "app/simulator/simulatorwire.h"

#include <QElapsedTimer>
#include <QObject>

class QTcpSocket;
class QTimer;

namespace evs {

class SimulatorState;

// One client connection of the simulator: parses requests in order and answers them one at a time (so pipelined
// requests keep their order), pacing each answer with one reusable timer. Deletes itself when the client goes.
class SimulatorConnection : public QObject {
    Q_OBJECT
public:
    SimulatorConnection(QTcpSocket* socket, SimulatorState* state, QObject* parent = nullptr);
    ~SimulatorConnection() override;

private:
    enum class Phase { Idle, Whole, Stream, Stall };

    void onReadyRead();
    void onDisconnected();
    void serveQueued();
    void serve(const HttpRequest& request);
    void serveCompletion(const HttpRequest& request, bool legacy);
    void advance();
    void sendWhole();
    void appendEvent(); // frames m_event into m_out
    void flush();
    void scheduleAt(double dueMs);
    double elapsedMs() const;
    void appendHead(int status, QByteArrayView contentType, qsizetype contentLength, QByteArrayView extraHeaders);
    void sendBody(int status, const QByteArray& body, QByteArrayView extraHeaders = {});
    void sendError(
        int status, QByteArrayView type, QByteArrayView code, const QString& message, QByteArrayView extraHeaders = {});
    void finishResponse();
    void closeGracefully();
    void resetConnection();

    QTcpSocket* m_socket;
    SimulatorState* m_state;
    QTimer* m_timer;
    HttpRequestParser m_parser;
    bool m_closed = false; // disconnected; waiting for deleteLater
    bool m_closing = false; // closing after the current response; ignore further requests
    bool m_serving = false; // inside serveQueued(): finishing a response must not re-enter it
    bool m_responding = false; // counted in the server's in-flight requests
    bool m_closeAfter = false;
    bool m_chunked = true;

    // The answer being sent.
    Phase m_phase = Phase::Idle;
    SimulatorFault m_fault = SimulatorFault::None;
    simulatorwire::CompletionShape m_shape;
    QString m_text;
    QList<qsizetype> m_tokenEnds;
    qsizetype m_sent = 0; // tokens sent so far
    qsizetype m_stopAt = 0; // tokens to send before finishing (or cutting, when truncated)
    QByteArray m_finishReason;
    int m_promptTokens = 0;
    double m_ttftMs = 0;
    double m_tokenMs = 0;
    QElapsedTimer m_clock;
    QByteArray m_out; // reused write buffer
    QByteArray m_event; // reused event buffer
};

} // namespace evs
