#include "app/simulator/simulatorserver.h"

#include "app/simulator/simulatorconnection.h"
#include "app/simulator/simulatorstate.h"

#include <QTcpServer>
#include <QTcpSocket>

using namespace Qt::StringLiterals;

namespace evs {

struct SimulatorServer::Private {
    Private(const SimulatorSettings& settings, quint64 seed)
        : state(settings, seed)
    {
    }

    SimulatorState state;
    QTcpServer* tcp = nullptr;
    QString errorString;
    std::atomic<quint16> port { 0 }; // read from other threads
};

SimulatorServer::SimulatorServer(const SimulatorSettings& settings, quint64 seed, QObject* parent)
    : QObject(parent)
    , d(std::make_unique<Private>(settings, seed))
{
    d->tcp = new QTcpServer(this);
    // The engine opens 64+ connections at once; don't let the kernel queue or Qt's pending list refuse them.
    d->tcp->setListenBacklogSize(1024);
    d->tcp->setMaxPendingConnections(1 << 20);
    connect(d->tcp, &QTcpServer::newConnection, this, [this] {
        while (QTcpSocket* socket = d->tcp->nextPendingConnection())
            new SimulatorConnection(socket, &d->state, this);
    });
}

SimulatorServer::~SimulatorServer()
{
    // Connections refer to d->state: they go before it does.
    delete d->tcp;
    qDeleteAll(findChildren<SimulatorConnection*>(Qt::FindDirectChildrenOnly));
}

bool SimulatorServer::listen(const QHostAddress& address, quint16 port)
{
    if (!d->tcp->listen(address, port)) {
        d->errorString = u"The simulator could not listen on %1 port %2: %3"_s.arg(address.toString())
                             .arg(port)
                             .arg(d->tcp->errorString());
        return false;
    }
    d->errorString.clear();
    d->port = d->tcp->serverPort();
    return true;
}

quint16 SimulatorServer::port() const
{
    return d->port;
}

QString SimulatorServer::errorString() const
{
    return d->errorString;
}

SimulatorCounters SimulatorServer::counters() const
{
    return d->state.counters();
}

void SimulatorServer::resetCounters()
{
    d->state.resetCounters();
}

} // namespace evs
