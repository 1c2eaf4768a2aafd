#include "app/cli/progressprinter.h"

#include <QString>

#include <unistd.h>

using namespace Qt::StringLiterals;

namespace evs::cli {

namespace {
QString formatDuration(double s)
{
    if (s < 0)
        return u"--"_s;
    const qint64 t = qint64(s + 0.5);
    if (t >= 3600)
        return u"%1h%2m"_s.arg(t / 3600).arg((t / 60) % 60, 2, 10, QChar(u'0'));
    if (t >= 60)
        return u"%1m%2s"_s.arg(t / 60).arg(t % 60, 2, 10, QChar(u'0'));
    return u"%1s"_s.arg(t);
}
} // namespace

ProgressPrinter::ProgressPrinter(FILE* stream)
    : m_stream(stream)
    , m_tty(::isatty(fileno(stream)) == 1)
{
    m_lastLine.start();
}

QString ProgressPrinter::format(const RunProgress& p)
{
    const QString total = p.planned >= 0 ? QString::number(p.planned) : u"?"_s;
    const double pct = p.planned > 0 ? 100.0 * double(p.done) / double(p.planned) : 0;
    QString line = u"[%1/%2] %3%  %4 req/s  %5 errors  %6 retries  %7 in flight  ETA %8"_s.arg(p.done)
                       .arg(total)
                       .arg(pct, 0, 'f', 1)
                       .arg(p.requestsPerS(), 0, 'f', 1)
                       .arg(p.failed)
                       .arg(p.retries)
                       .arg(p.inFlight)
                       .arg(formatDuration(p.etaS()));
    if (p.scored > 0)
        line += u"  score %1"_s.arg(p.scoreSum / double(p.scored), 0, 'f', 3);
    return line;
}

void ProgressPrinter::update(const RunProgress& p)
{
    if (m_tty) {
        std::fprintf(m_stream, "\r\033[K%s", format(p).toLocal8Bit().constData());
        std::fflush(m_stream);
        m_drawn = true;
    } else if (m_lastLine.elapsed() >= 2000) {
        std::fprintf(m_stream, "%s\n", format(p).toLocal8Bit().constData());
        std::fflush(m_stream);
        m_lastLine.restart();
    }
}

void ProgressPrinter::finish(const RunProgress& p)
{
    const QByteArray line = format(p).toLocal8Bit();
    if (m_tty)
        std::fprintf(m_stream, "\r\033[K%s\n", line.constData());
    else
        std::fprintf(m_stream, "%s\n", line.constData());
    std::fflush(m_stream);
}

} // namespace evs::cli
