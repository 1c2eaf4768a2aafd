#include "app/providers/ssesplitter.h"

namespace evs {

bool SseSplitter::processLine(QByteArrayView line)
{
    if (line.isEmpty()) {
        if (m_hasData)
            return true;
        // A blank line without data dispatches nothing and forgets the event name (per the spec).
        m_eventName.resize(0);
        return false;
    }
    if (line.front() == ':') {
        m_sawSseLine = true;
        return false;
    }
    const qsizetype colon = line.indexOf(':');
    const QByteArrayView field = colon < 0 ? line : line.first(colon);
    QByteArrayView value = colon < 0 ? QByteArrayView() : line.sliced(colon + 1);
    if (!value.isEmpty() && value.front() == ' ')
        value = value.sliced(1);

    if (field == "data") {
        if (m_data.capacity() == 0)
            m_data.reserve(1024); // one allocation for a typical event instead of a few regrowths
        if (m_hasData)
            m_data.append('\n');
        m_data.append(value);
        m_hasData = true;
        m_sawSseLine = true;
    } else if (field == "event") {
        m_eventName.resize(0);
        m_eventName.append(value);
        m_sawSseLine = true;
    } else if (field == "id" || field == "retry") {
        m_sawSseLine = true;
    }
    // Other field names are ignored, as the spec says.
    return false;
}

} // namespace evs
