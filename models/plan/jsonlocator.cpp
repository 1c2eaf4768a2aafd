#include "models/plan/jsonlocator.h"

#include <QJsonArray>
#include <QJsonDocument>

namespace evs {

JsonLocator::JsonLocator(const QByteArray& json)
    : m_json(json)
{
    skipSpace();
    scanValue(QString());
}

JsonLocator::Position JsonLocator::valuePosition(const QString& path) const
{
    const auto it = m_values.constFind(path);
    return it == m_values.cend() ? Position {} : positionOfOffset(m_json, *it);
}

JsonLocator::Position JsonLocator::keyPosition(const QString& path) const
{
    const auto it = m_keys.constFind(path);
    return it == m_keys.cend() ? valuePosition(path) : positionOfOffset(m_json, *it);
}

JsonLocator::Position JsonLocator::positionOfOffset(const QByteArray& text, qsizetype offset)
{
    offset = qBound(qsizetype(0), offset, text.size());
    Position p { 1, 1 };
    for (qsizetype i = 0; i < offset; ++i) {
        const auto c = static_cast<unsigned char>(text[i]);
        if (c == '\n') {
            ++p.line;
            p.column = 1;
        } else if ((c & 0xC0) != 0x80) { // count characters, not UTF-8 continuation bytes
            ++p.column;
        }
    }
    return p;
}

void JsonLocator::skipSpace()
{
    while (m_pos < m_json.size()) {
        const char c = m_json[m_pos];
        if (c != ' ' && c != '\t' && c != '\n' && c != '\r')
            break;
        ++m_pos;
    }
}

bool JsonLocator::scanValue(const QString& path)
{
    if (m_pos >= m_json.size())
        return false;
    m_values.insert(path, m_pos);
    const char c = m_json[m_pos];
    if (c == '{')
        return scanObject(path);
    if (c == '[')
        return scanArray(path);
    if (c == '"')
        return scanString(nullptr);
    // number, true, false, null
    while (m_pos < m_json.size()) {
        const char d = m_json[m_pos];
        if (d == ',' || d == '}' || d == ']' || d == ' ' || d == '\t' || d == '\n' || d == '\r')
            break;
        ++m_pos;
    }
    return true;
}

bool JsonLocator::scanString(QString* decoded)
{
    const qsizetype start = m_pos;
    bool escaped = false;
    ++m_pos; // opening quote
    while (m_pos < m_json.size()) {
        const char c = m_json[m_pos++];
        if (c == '\\') {
            escaped = true;
            ++m_pos;
        } else if (c == '"') {
            if (decoded) {
                const QByteArray token = m_json.mid(start, m_pos - start);
                if (escaped)
                    *decoded = QJsonDocument::fromJson("[" + token + "]").array().at(0).toString();
                else
                    *decoded = QString::fromUtf8(token.mid(1, token.size() - 2));
            }
            return true;
        }
    }
    return false;
}

bool JsonLocator::scanObject(const QString& path)
{
    ++m_pos; // {
    skipSpace();
    if (m_pos < m_json.size() && m_json[m_pos] == '}') {
        ++m_pos;
        return true;
    }
    while (m_pos < m_json.size()) {
        skipSpace();
        if (m_pos >= m_json.size() || m_json[m_pos] != '"')
            return false;
        const qsizetype keyStart = m_pos;
        QString key;
        if (!scanString(&key))
            return false;
        const QString memberPath = path.isEmpty() ? key : path + u'.' + key;
        if (m_keys.contains(memberPath))
            m_duplicateKeys.append(memberPath);
        m_keys.insert(memberPath, keyStart);
        skipSpace();
        if (m_pos >= m_json.size() || m_json[m_pos] != ':')
            return false;
        ++m_pos;
        skipSpace();
        if (!scanValue(memberPath))
            return false;
        skipSpace();
        if (m_pos >= m_json.size())
            return false;
        if (m_json[m_pos] == '}') {
            ++m_pos;
            return true;
        }
        if (m_json[m_pos] != ',')
            return false;
        ++m_pos;
    }
    return false;
}

bool JsonLocator::scanArray(const QString& path)
{
    ++m_pos; // [
    skipSpace();
    if (m_pos < m_json.size() && m_json[m_pos] == ']') {
        ++m_pos;
        return true;
    }
    for (int index = 0; m_pos < m_json.size(); ++index) {
        skipSpace();
        if (!scanValue(path + u'[' + QString::number(index) + u']'))
            return false;
        skipSpace();
        if (m_pos >= m_json.size())
            return false;
        if (m_json[m_pos] == ']') {
            ++m_pos;
            return true;
        }
        if (m_json[m_pos] != ',')
            return false;
        ++m_pos;
    }
    return false;
}

} // namespace evs
