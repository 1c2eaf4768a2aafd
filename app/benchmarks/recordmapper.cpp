#include "app/benchmarks/recordmapper.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QRegularExpression>

#include <functional>

using namespace Qt::StringLiterals;

namespace evs {

namespace {

QStringList fallbackKeys(const QString& field)
{
    if (field == u"input"_s)
        return { u"input"_s, u"question"_s, u"prompt"_s };
    if (field == u"target"_s)
        return { u"target"_s, u"answer"_s, u"expected"_s };
    if (field == u"choices"_s)
        return { u"choices"_s, u"options"_s };
    if (field == u"category"_s)
        return { u"category"_s, u"subject"_s };
    return { field };
}

// Scalars as text; numbers without a trailing ".0".
bool scalarText(const QJsonValue& v, QString* out)
{
    switch (v.type()) {
    case QJsonValue::String:
        *out = v.toString();
        return true;
    case QJsonValue::Double:
        *out = QString::number(v.toDouble(), 'g', 15);
        return true;
    case QJsonValue::Bool:
        *out = v.toBool() ? u"true"_s : u"false"_s;
        return true;
    default:
        return false;
    }
}

QStringList keyList(const QJsonValue& v)
{
    if (v.isString())
        return { v.toString() };
    QStringList keys;
    for (const QJsonValue& k : v.toArray())
        keys << k.toString();
    return keys;
}

} // namespace

RecordMapper::RecordMapper(const QJsonObject& fields)
    : m_fields(fields)
{
}

QString RecordMapper::finalAnswer(const QString& workedAnswer)
{
    static const QRegularExpression marker(u"####\\s*([-+]?[0-9][0-9,]*(?:\\.[0-9]+)?|[-+]?\\.[0-9]+)\\s*$"_s);
    const QRegularExpressionMatch m = marker.match(workedAnswer);
    if (!m.hasMatch())
        return {};
    QString n = m.captured(1);
    n.remove(u',');
    if (n.startsWith(u'+'))
        n.remove(0, 1);
    return n;
}

QJsonValue RecordMapper::lookup(const QJsonObject& record, const QString& field, QString* keyUsed) const
{
    if (m_fields.contains(field) && m_fields.value(field).isString()) {
        *keyUsed = m_fields.value(field).toString();
        return record.value(*keyUsed);
    }
    for (const QString& key : fallbackKeys(field)) {
        if (record.contains(key)) {
            *keyUsed = key;
            return record.value(key);
        }
    }
    keyUsed->clear();
    return QJsonValue(QJsonValue::Undefined);
}

QStringList RecordMapper::choiceKeys(const QJsonObject& record) const
{
    const QJsonValue mapped = m_fields.value(u"choices"_s);
    if (mapped.isArray())
        return keyList(mapped);
    if (mapped.isString())
        return {};
    for (const QString& key : fallbackKeys(u"choices"_s)) {
        if (record.contains(key))
            return {};
    }
    // Choices spread over columns: A, B, C, D (MMLU with a header), option_a..., choice1...
    static const std::function<QString(int)> patterns[] = {
        [](int i) -> QString { return QString(QChar(u'A' + i)); },
        [](int i) -> QString { return QString(QChar(u'a' + i)); },
        [](int i) -> QString { return u"option_"_s + QChar(u'a' + i); },
        [](int i) -> QString { return u"choice_"_s + QChar(u'a' + i); },
        [](int i) -> QString { return u"option"_s + QString::number(i + 1); },
        [](int i) -> QString { return u"choice"_s + QString::number(i + 1); },
        [](int i) -> QString { return u"option_"_s + QString::number(i + 1); },
        [](int i) -> QString { return u"choice_"_s + QString::number(i + 1); },
    };
    for (const auto& name : patterns) {
        QStringList keys;
        for (int i = 0; i < 26 && record.contains(name(i)); ++i)
            keys << name(i);
        if (keys.size() >= 2)
            return keys;
    }
    return {};
}

bool RecordMapper::map(const QJsonObject& record, qint64 index, Sample* out, QString* reason) const
{
    Sample s;
    s.index = index;
    s.record = record;
    QString key;

    const QJsonValue input = lookup(record, u"input"_s, &key);
    if (input.isUndefined()) {
        *reason = m_fields.contains(u"input"_s)
            ? u"missing input (no key \""_s + key + u"\", set by fields.input)"_s
            : u"missing input (looked for \"input\", \"question\", \"prompt\"; map another key with fields.input)"_s;
        return false;
    }
    if (!scalarText(input, &s.input) || s.input.trimmed().isEmpty()) {
        *reason = u"input \""_s + key + u"\" must be a non-empty string"_s;
        return false;
    }

    const QStringList columns = choiceKeys(record);
    if (!columns.isEmpty()) {
        for (const QString& column : columns) {
            QString text;
            if (!record.contains(column)) {
                *reason = u"missing choice \""_s + column + u"\" (set by fields.choices)"_s;
                return false;
            }
            if (!scalarText(record.value(column), &text)) {
                *reason = u"choice \""_s + column + u"\" must be a string"_s;
                return false;
            }
            s.choices << text;
        }
    } else {
        const QJsonValue choices = lookup(record, u"choices"_s, &key);
        if (!choices.isUndefined() && !choices.isNull()) {
            if (!choices.isArray()) {
                *reason = u"choices \""_s + key + u"\" must be an array of strings"_s;
                return false;
            }
            for (const QJsonValue& c : choices.toArray()) {
                QString text;
                if (!scalarText(c, &text)) {
                    *reason = u"choices \""_s + key + u"\" must be an array of strings"_s;
                    return false;
                }
                s.choices << text;
            }
        }
    }

    const QJsonValue target = lookup(record, u"target"_s, &key);
    if (target.isDouble() && !s.choices.isEmpty()) {
        // With choices, a number is a 0-based index into them (the MMLU convention).
        const double i = target.toDouble();
        if (i >= 0 && i < s.choices.size() && i == double(qint64(i)) && s.choices.size() <= 26)
            s.target = QChar(u'A' + int(i));
        else
            scalarText(target, &s.target);
    } else if (!target.isUndefined() && !target.isNull() && !scalarText(target, &s.target)) {
        *reason = u"target \""_s + key + u"\" must be a string or a number"_s;
        return false;
    }
    if (s.choices.isEmpty() && target.isString()) {
        if (const QString n = finalAnswer(s.target); !n.isEmpty())
            s.target = n;
    } else if (!s.choices.isEmpty() && s.target.size() == 1 && s.target.at(0).isLower()) {
        s.target = s.target.toUpper(); // "b" is the letter B
    }

    const QJsonValue id = lookup(record, u"id"_s, &key);
    if (!scalarText(id, &s.id) || s.id.isEmpty())
        s.id = QString::number(index);
    scalarText(lookup(record, u"category"_s, &key), &s.category);

    *out = std::move(s);
    return true;
}

QJsonObject RecordMapper::describe(const QJsonObject& record) const
{
    QJsonObject mapping;
    QString key;
    for (const QString& field : { u"input"_s, u"target"_s, u"id"_s, u"category"_s }) {
        lookup(record, field, &key);
        if (!key.isEmpty() && (m_fields.contains(field) || record.contains(key)))
            mapping.insert(field, key);
    }
    const QStringList columns = choiceKeys(record);
    if (!columns.isEmpty()) {
        mapping.insert(u"choices"_s, QJsonArray::fromStringList(columns));
    } else {
        lookup(record, u"choices"_s, &key);
        if (!key.isEmpty())
            mapping.insert(u"choices"_s, key);
    }
    if (m_fields.contains(u"metadata"_s))
        mapping.insert(u"metadata"_s, QJsonArray::fromStringList(keyList(m_fields.value(u"metadata"_s))));
    else
        mapping.insert(u"metadata"_s, QJsonArray::fromStringList(metadata(record).keys()));
    return mapping;
}

QJsonObject RecordMapper::metadata(const QJsonObject& record) const
{
    QJsonObject meta;
    if (m_fields.contains(u"metadata"_s)) {
        for (const QString& key : keyList(m_fields.value(u"metadata"_s))) {
            if (record.contains(key))
                meta.insert(key, record.value(key));
        }
        return meta;
    }
    QStringList used;
    QString key;
    for (const QString& field : { u"input"_s, u"target"_s, u"id"_s, u"category"_s, u"choices"_s }) {
        lookup(record, field, &key);
        used << key;
    }
    used << choiceKeys(record);
    for (auto it = record.begin(); it != record.end(); ++it) {
        if (!used.contains(it.key()))
            meta.insert(it.key(), it.value());
    }
    return meta;
}

} // namespace evs
