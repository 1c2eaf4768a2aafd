#pragma once

#include <QByteArray>
#include <QHash>
#include <QString>
#include <QStringList>

namespace evs {

// Finds where values start in a JSON text, by JSON path ("models[1].retries.max_attempts"), so that validation
// errors can name a line and column. Expects text that QJsonDocument accepted; stops quietly on anything else.
class JsonLocator {
public:
    struct Position {
        int line = 0; // 1-based; 0 = unknown
        int column = 0; // 1-based, in characters
    };

    explicit JsonLocator(const QByteArray& json);
    Position valuePosition(const QString& path) const;
    // Where an object member's key starts (for unknown keys); the value's position for array elements.
    Position keyPosition(const QString& path) const;

    // Object keys that occur twice in one object (QJsonDocument silently keeps one of them).
    const QStringList& duplicateKeys() const { return m_duplicateKeys; }

    static Position positionOfOffset(const QByteArray& text, qsizetype offset);

private:
    void skipSpace();
    bool scanValue(const QString& path);
    bool scanString(QString* decoded);
    bool scanObject(const QString& path);
    bool scanArray(const QString& path);

    QByteArray m_json;
    qsizetype m_pos = 0;
    QHash<QString, qsizetype> m_values;
    QHash<QString, qsizetype> m_keys;
    QStringList m_duplicateKeys;
};

} // namespace evs
