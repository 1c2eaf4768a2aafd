#include "models/core/textescape.h"

using namespace Qt::StringLiterals;

namespace evs {

QString TextEscape::html(QStringView text)
{
    QString out;
    out.reserve(text.size() + text.size() / 8);
    for (const QChar c : text) {
        switch (c.unicode()) {
        case u'&':
            out += u"&amp;"_s;
            break;
        case u'<':
            out += u"&lt;"_s;
            break;
        case u'>':
            out += u"&gt;"_s;
            break;
        case u'"':
            out += u"&quot;"_s;
            break;
        case u'\'':
            out += u"&#39;"_s;
            break;
        default:
            out += c;
        }
    }
    return out;
}

QString TextEscape::markdown(QStringView text)
{
    QString out;
    out.reserve(text.size() + text.size() / 4);
    bool lastWasSpace = false;
    for (const QChar c : text) {
        const char16_t u = c.unicode();
        if (u == u'\r' || u == u'\n' || u == u'\t') {
            if (!lastWasSpace)
                out += u' ';
            lastWasSpace = true;
            continue;
        }
        lastWasSpace = u == u' ';
        switch (u) {
        case u'&':
            out += u"&amp;"_s;
            break;
        case u'<':
            out += u"&lt;"_s;
            break;
        case u'>':
            out += u"&gt;"_s;
            break;
        case u'\\':
        case u'`':
        case u'|':
        case u'[':
        case u']':
        case u'(':
        case u')':
        case u'*':
        case u'_':
        case u'~':
        case u'#':
        case u'!':
        case u'{':
        case u'}':
            out += u'\\';
            out += c;
            break;
        default:
            if (u < 0x20)
                out += u' '; // other control characters have no business in a document
            else
                out += c;
        }
    }
    return out;
}

QString TextEscape::csvField(QStringView text)
{
    bool quote = false;
    for (const QChar c : text) {
        if (c == u',' || c == u'"' || c == u'\r' || c == u'\n') {
            quote = true;
            break;
        }
    }
    if (!quote)
        return text.toString();
    QString out;
    out.reserve(text.size() + 8);
    out += u'"';
    for (const QChar c : text) {
        if (c == u'"')
            out += u'"';
        out += c;
    }
    out += u'"';
    return out;
}

QString TextEscape::prometheusLabel(QStringView text)
{
    QString out;
    out.reserve(text.size());
    for (const QChar c : text) {
        if (c == u'\\')
            out += u"\\\\"_s;
        else if (c == u'"')
            out += u"\\\""_s;
        else if (c == u'\n')
            out += u"\\n"_s;
        else
            out += c;
    }
    return out;
}

QString TextEscape::elide(QStringView text, qsizetype maxChars)
{
    if (text.size() <= maxChars)
        return text.toString();
    return text.left(maxChars).toString() + u'\u2026';
}

} // namespace evs
