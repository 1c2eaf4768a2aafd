#pragma once

#include <QString>
#include <QStringView>

namespace evs {

// Faults the simulator injects (docs/architecture.md section 6). The names are those of SimulatorSettings::faults and
// of the X-Sim-Fault request header.
enum class SimulatorFault {
    None,
    Http429, // 429 with Retry-After and an OpenAI rate_limit_error body
    Http5xx, // 503 with an OpenAI server_error body
    Stall, // nothing at all for stallMs, then the connection is closed
    Reset, // the TCP connection is aborted (RST) with no response
    Malformed, // 200 whose body (or one stream event) is not valid JSON
    Truncated, // the answer stops after a few tokens and the connection is closed
};

// Every injectable fault, in the order probabilities are stacked when one request draws its fault.
inline constexpr SimulatorFault kSimulatorFaults[] = { SimulatorFault::Http429, SimulatorFault::Http5xx,
    SimulatorFault::Stall, SimulatorFault::Reset, SimulatorFault::Malformed, SimulatorFault::Truncated };

QString simulatorFaultName(SimulatorFault fault); // "http_429" …; "none" for None
// Accepts the names above and "none"; *ok is false for anything else.
SimulatorFault simulatorFaultFromName(QStringView name, bool* ok);

} // namespace evs
