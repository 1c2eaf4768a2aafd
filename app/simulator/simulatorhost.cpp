#include "app/simulator/simulatorserver.h"

#include <QThread>

using namespace Qt::StringLiterals;

namespace evs {

SimulatorHost::SimulatorHost(const SimulatorSettings& settings, quint64 seed)
    : m_settings(settings)
    , m_seed(seed)
{
}

SimulatorHost::~SimulatorHost()
{
    if (!m_thread)
        return;
    // The server and its sockets belong to the thread: delete them there, then stop it.
    SimulatorServer* server = m_server;
    QMetaObject::invokeMethod(
        server, [server] { delete server; }, Qt::BlockingQueuedConnection);
    m_thread->quit();
    m_thread->wait();
    delete m_thread;
}

bool SimulatorHost::start(quint16 port, QString* error)
{
    if (m_thread) {
        if (error)
            *error = u"The simulator is already started."_s;
        return false;
    }
    m_thread = new QThread;
    m_thread->setObjectName(u"evs-simulator"_s);
    m_server = new SimulatorServer(m_settings, m_seed);
    m_server->moveToThread(m_thread);
    m_thread->start();

    bool listening = false;
    QString message;
    SimulatorServer* server = m_server;
    QMetaObject::invokeMethod(
        server,
        [server, port, &listening, &message] {
            listening = server->listen(QHostAddress::LocalHost, port);
            message = server->errorString();
        },
        Qt::BlockingQueuedConnection);
    if (!listening && error)
        *error = message;
    return listening;
}

quint16 SimulatorHost::port() const
{
    return m_server ? m_server->port() : 0;
}

QString SimulatorHost::baseUrl() const
{
    return u"http://127.0.0.1:%1/v1"_s.arg(port());
}

SimulatorCounters SimulatorHost::counters() const
{
    return m_server ? m_server->counters() : SimulatorCounters();
}

void SimulatorHost::resetCounters()
{
    if (m_server)
        m_server->resetCounters();
}

} // namespace evs
