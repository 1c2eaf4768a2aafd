#pragma once

#include "models/core/modelspec.h"

#include <QHostAddress>
#include <QObject>

#include <atomic>
#include <memory>

class QThread;

namespace evs {

// What the simulator counted at the server: tests check the engine against these.
struct SimulatorCounters {
    qint64 requests = 0; // HTTP requests received (any path)
    qint64 completions = 0; // chat/completions requests answered (any outcome)
    qint64 connectionsAccepted = 0;
    int maxOpenConnections = 0;
    int maxInFlight = 0; // most requests being answered at the same moment
    qint64 faults429 = 0, faults5xx = 0, faultsStall = 0, faultsReset = 0, faultsMalformed = 0, faultsTruncated = 0;
};

// The built-in OpenAI-compatible simulated endpoint (docs/architecture.md section 6): HTTP/1.1 keep-alive on loopback,
// POST /v1/chat/completions (streamed or whole), POST /v1/completions, GET /v1/models. Deterministic for a seed.
// Lives on the thread that calls listen(); use SimulatorHost to run it on a thread of its own.
class SimulatorServer : public QObject {
    Q_OBJECT
public:
    explicit SimulatorServer(const SimulatorSettings& settings, quint64 seed, QObject* parent = nullptr);
    ~SimulatorServer() override;

    bool listen(const QHostAddress& address = QHostAddress::LocalHost, quint16 port = 0);
    quint16 port() const;
    QString errorString() const;
    SimulatorCounters counters() const; // thread-safe
    void resetCounters(); // thread-safe

private:
    struct Private;
    std::unique_ptr<Private> d;
};

// Runs a SimulatorServer on its own thread; start() returns once it listens.
class SimulatorHost {
public:
    SimulatorHost(const SimulatorSettings& settings, quint64 seed);
    ~SimulatorHost();
    bool start(quint16 port, QString* error); // port 0 = any free port
    quint16 port() const;
    QString baseUrl() const; // "http://127.0.0.1:PORT/v1"
    SimulatorCounters counters() const;
    void resetCounters();

private:
    SimulatorSettings m_settings;
    quint64 m_seed;
    QThread* m_thread = nullptr;
    SimulatorServer* m_server = nullptr;
};

} // namespace evs
