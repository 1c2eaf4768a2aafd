#include "app/benchmarks/recordmapper.h"

#include <QJsonArray>
#include <QJsonDocument>

using namespace Qt::StringLiterals;

namespace evs
{

namespace
{

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

} // namespace

RecordMapper::RecordMapper(const QJsonObject& fields)
    : m_fields(fields)
{
}

QJsonValue RecordMapper::lookup(const QJsonObject& record, const QString& field, QString* keyUsed) const
{
    if (m_fields.contains(field)) {
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

    const QJsonValue id = lookup(record, u"id"_s, &key);
    if (!scalarText(id, &s.id) || s.id.isEmpty())
        s.id = QString::number(index);
    scalarText(lookup(record, u"category"_s, &key), &s.category);

    *out = std::move(s);
    return true;
}

} // namespace evs
