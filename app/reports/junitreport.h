#pragma once

#include <QByteArray>

namespace evs {

struct ReportData;

// JUnit XML for CI: a "thresholds" suite with one test case per threshold check (a failed check is a <failure>),
// and a "benchmarks" suite with one test case per model x benchmark carrying its pass rate (score) and CI; that
// case fails when a threshold on the pair failed.
class JunitReport {
public:
    static QByteArray render(const ReportData& d);
};

} // namespace evs
