#pragma once

#include "app/providers/linesplitter.h"

#include <QByteArray>
#include <QByteArrayView>

namespace evs {

// Server-sent events framing (WHATWG HTML, "event stream interpretation"): `event:` names, `data:` lines joined
// with LF, `:` comments ignored, an event dispatched on a blank line or, when the body ends without one, at finish().
// onEvent(QByteArrayView eventName, const QByteArray& data) is called once per event.
class SseSplitter {
public:
    template<typename OnEvent> void feed(QByteArrayView bytes, OnEvent&& onEvent)
    {
        m_lines.feed(bytes, [&](QByteArrayView line) {
            if (processLine(line))
                dispatch(onEvent);
        });
    }

    template<typename OnEvent> void finish(OnEvent&& onEvent)
    {
        m_lines.finish([&](QByteArrayView line) {
            if (processLine(line))
                dispatch(onEvent);
        });
        if (m_hasData)
            dispatch(onEvent);
    }

    // True once a `data:`, `event:`, `id:`, `retry:` or comment line was seen: the body really is SSE.
    bool sawSseLine() const { return m_sawSseLine; }

private:
    // Returns true when the line completes an event that has data.
    bool processLine(QByteArrayView line);

    template<typename OnEvent> void dispatch(OnEvent& onEvent)
    {
        onEvent(QByteArrayView(m_eventName), m_data);
        m_eventName.resize(0);
        m_data.resize(0);
        m_hasData = false;
    }

    LineSplitter m_lines;
    QByteArray m_eventName;
    QByteArray m_data;
    bool m_hasData = false;
    bool m_sawSseLine = false;
};

} // namespace evs
