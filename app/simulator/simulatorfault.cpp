#include "app/simulator/simulatorfault.h"

using namespace Qt::StringLiterals;

namespace evs {

QString simulatorFaultName(SimulatorFault fault)
{
    switch (fault) {
    case SimulatorFault::None:
        return u"none"_s;
    case SimulatorFault::Http429:
        return u"http_429"_s;
    case SimulatorFault::Http5xx:
        return u"http_5xx"_s;
    case SimulatorFault::Stall:
        return u"stall"_s;
    case SimulatorFault::Reset:
        return u"reset"_s;
    case SimulatorFault::Malformed:
        return u"malformed"_s;
    case SimulatorFault::Truncated:
        return u"truncated"_s;
    }
    return u"none"_s;
}

SimulatorFault simulatorFaultFromName(QStringView name, bool* ok)
{
    const QStringView trimmed = name.trimmed();
    *ok = true;
    if (trimmed.compare(u"none", Qt::CaseInsensitive) == 0)
        return SimulatorFault::None;
    for (SimulatorFault fault : kSimulatorFaults) {
        if (trimmed.compare(simulatorFaultName(fault), Qt::CaseInsensitive) == 0)
            return fault;
    }
    *ok = false;
    return SimulatorFault::None;
}

} // namespace evs
