#pragma once

#include "models/core/sample.h"

namespace evs {

// One unit of work: a sample x repeat for one model on one benchmark.
struct WorkItem {
    int modelIndex = 0;
    int benchmarkIndex = 0;
    int repeat = 0;
    Sample sample;
    qint64 schedNs = -1; // intended start (closed loop: when the slot became free)
};

// A key that names a work item within a model: benchmark, repeat and sample packed in 64 bits.
inline quint64 workKey(int benchmarkIndex, int repeat, qint64 sampleIndex)
{
    return (quint64(quint8(benchmarkIndex)) << 56) | (quint64(quint16(repeat)) << 40)
        | (quint64(sampleIndex) & 0xFFFFFFFFFFull);
}

} // namespace evs
