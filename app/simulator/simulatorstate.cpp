#include "app/simulator/simulatorstate.h"

namespace evs {

SimulatorState::SimulatorState(const SimulatorSettings& settings, quint64 seed)
    : m_behaviour(settings, seed)
{
}

int SimulatorState::nextOccurrence(const QString& key)
{
    // Keyed by a 64-bit hash and bounded, so that a run of millions of samples does not grow the server's memory
    // (a QString per sample cost ~140 bytes). Retries come seconds after their first try, well inside the window;
    // a key forgotten after 131,072 newer ones simply counts from zero again.
    if (m_occurrences.size() >= kMaxRememberedKeys)
        m_occurrences.clear();
    return m_occurrences[SimulatorBehaviour::hashKey(key)]++;
}

void SimulatorState::raiseMax(std::atomic<int>& max, int value)
{
    int seen = max.load(std::memory_order_relaxed);
    while (value > seen && !max.compare_exchange_weak(seen, value, std::memory_order_relaxed)) { }
}

void SimulatorState::connectionOpened()
{
    m_connectionsAccepted.fetch_add(1, std::memory_order_relaxed);
    raiseMax(m_maxOpenConnections, m_openConnections.fetch_add(1, std::memory_order_relaxed) + 1);
}

void SimulatorState::connectionClosed()
{
    m_openConnections.fetch_sub(1, std::memory_order_relaxed);
}

void SimulatorState::responseStarted()
{
    raiseMax(m_maxInFlight, m_inFlight.fetch_add(1, std::memory_order_relaxed) + 1);
}

void SimulatorState::faultInjected(SimulatorFault fault)
{
    for (size_t i = 0; i < std::size(kSimulatorFaults); ++i) {
        if (kSimulatorFaults[i] == fault)
            m_faults[i].fetch_add(1, std::memory_order_relaxed);
    }
}

SimulatorCounters SimulatorState::counters() const
{
    SimulatorCounters c;
    c.requests = m_requests.load(std::memory_order_relaxed);
    c.completions = m_completions.load(std::memory_order_relaxed);
    c.connectionsAccepted = m_connectionsAccepted.load(std::memory_order_relaxed);
    c.maxOpenConnections = m_maxOpenConnections.load(std::memory_order_relaxed);
    c.maxInFlight = m_maxInFlight.load(std::memory_order_relaxed);
    qint64* faults[]
        = { &c.faults429, &c.faults5xx, &c.faultsStall, &c.faultsReset, &c.faultsMalformed, &c.faultsTruncated };
    static_assert(std::size(faults) == std::size(kSimulatorFaults));
    for (size_t i = 0; i < std::size(faults); ++i)
        *faults[i] = m_faults[i].load(std::memory_order_relaxed);
    return c;
}

void SimulatorState::resetCounters()
{
    m_requests.store(0, std::memory_order_relaxed);
    m_completions.store(0, std::memory_order_relaxed);
    m_connectionsAccepted.store(0, std::memory_order_relaxed);
    // The maxima restart from what is open now, not from zero, so they stay true after a reset.
    m_maxOpenConnections.store(m_openConnections.load(std::memory_order_relaxed), std::memory_order_relaxed);
    m_maxInFlight.store(m_inFlight.load(std::memory_order_relaxed), std::memory_order_relaxed);
    for (auto& fault : m_faults)
        fault.store(0, std::memory_order_relaxed);
}

} // namespace evs
