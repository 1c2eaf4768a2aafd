#pragma once

#include "app/simulator/simulatorbehaviour.h"
#include "app/simulator/simulatorserver.h"

#include <QHash>

#include <atomic>

namespace evs {

// What the server's connections share: the behaviour, the per-key occurrence counts, and the counters.
// Everything but counters()/resetCounters() is called on the server's thread only.
class SimulatorState {
public:
    SimulatorState(const SimulatorSettings& settings, quint64 seed);

    const SimulatorBehaviour& behaviour() const { return m_behaviour; }
    // 0 the first time a key is seen, 1 the next time, …: a retry gets a fresh latency and fault draw.
    int nextOccurrence(const QString& key);

    void connectionOpened();
    void connectionClosed();
    void requestReceived() { m_requests.fetch_add(1, std::memory_order_relaxed); }
    void completionReceived() { m_completions.fetch_add(1, std::memory_order_relaxed); }
    void responseStarted();
    void responseFinished() { m_inFlight.fetch_sub(1, std::memory_order_relaxed); }
    void faultInjected(SimulatorFault fault);

    SimulatorCounters counters() const; // any thread
    void resetCounters(); // any thread

private:
    static void raiseMax(std::atomic<int>& max, int value);

    SimulatorBehaviour m_behaviour;
    static constexpr qsizetype kMaxRememberedKeys = 1 << 17;
    QHash<quint64, int> m_occurrences; // hash of the sample key -> requests seen for it

    std::atomic<qint64> m_requests { 0 };
    std::atomic<qint64> m_completions { 0 };
    std::atomic<qint64> m_connectionsAccepted { 0 };
    std::atomic<int> m_openConnections { 0 };
    std::atomic<int> m_maxOpenConnections { 0 };
    std::atomic<int> m_inFlight { 0 };
    std::atomic<int> m_maxInFlight { 0 };
    std::atomic<qint64> m_faults[std::size(kSimulatorFaults)] {};
};

} // namespace evs
