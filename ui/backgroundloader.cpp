#include "ui/backgroundloader.h"

#include <QThread>

namespace evs {

BackgroundLoader::BackgroundLoader(QObject* parent)
    : QObject(parent)
{
}

BackgroundLoader::~BackgroundLoader() = default;

void BackgroundLoader::cancel()
{
    ++m_generation;
    if (m_busy) {
        m_busy = false;
        Q_EMIT busyChanged(false);
    }
}

quint64 BackgroundLoader::beginJob()
{
    Q_ASSERT(QThread::currentThread() == thread());
    if (!m_busy) {
        m_busy = true;
        Q_EMIT busyChanged(true);
    }
    return ++m_generation;
}

bool BackgroundLoader::finishJob(quint64 generation)
{
    Q_ASSERT(QThread::currentThread() == thread());
    if (generation != m_generation)
        return false;
    m_busy = false;
    Q_EMIT busyChanged(false);
    return true;
}

} // namespace evs
