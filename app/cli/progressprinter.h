#pragma once

#include "app/engine/livecounters.h"

#include <QElapsedTimer>

#include <cstdio>

namespace evs::cli {

// The CLI's progress line: redrawn in place on a terminal, one line every few seconds into a file or pipe.
class ProgressPrinter {
public:
    explicit ProgressPrinter(FILE* stream);
    void update(const RunProgress& p);
    void finish(const RunProgress& p);
    static QString format(const RunProgress& p);

private:
    FILE* m_stream;
    bool m_tty;
    bool m_drawn = false;
    QElapsedTimer m_lastLine;
};

} // namespace evs::cli
