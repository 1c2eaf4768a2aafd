#include "app/benchmarks/jsonscorer.h"

#include "app/benchmarks/scorertext.h"
#include "models/plan/scoreroptions.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QRegularExpression>

#include <cmath>

using namespace Qt::StringLiterals;

namespace evs {

namespace {

// Parses any JSON value, scalars included (QJsonDocument takes only objects and arrays).
std::optional<QJsonValue> parseValue(const QString& text)
{
    const QString t = text.trimmed();
    if (t.isEmpty())
        return std::nullopt;
    QJsonParseError error;
    const QJsonDocument doc = QJsonDocument::fromJson((u'[' + t + u']').toUtf8(), &error);
    if (error.error != QJsonParseError::NoError || !doc.isArray() || doc.array().size() != 1)
        return std::nullopt;
    return doc.array().first();
}

// The end (exclusive) of the object or array opening at start, strings and escapes respected; -1 if unclosed.
qsizetype matchingEnd(const QString& text, qsizetype start)
{
    QString stack;
    bool inString = false;
    for (qsizetype i = start; i < text.size(); ++i) {
        const QChar c = text[i];
        if (inString) {
            if (c == u'\\')
                ++i;
            else if (c == u'"')
                inString = false;
            continue;
        }
        if (c == u'"') {
            inString = true;
        } else if (c == u'{' || c == u'[') {
            stack.append(c == u'{' ? u'}' : u']');
        } else if (c == u'}' || c == u']') {
            if (stack.isEmpty() || stack.back() != c)
                return -1;
            stack.chop(1);
            if (stack.isEmpty())
                return i + 1;
        }
    }
    return -1;
}

QString compact(const QJsonValue& v)
{
    if (v.isObject())
        return QString::fromUtf8(QJsonDocument(v.toObject()).toJson(QJsonDocument::Compact));
    if (v.isArray())
        return QString::fromUtf8(QJsonDocument(v.toArray()).toJson(QJsonDocument::Compact));
    const QString inArray = QString::fromUtf8(QJsonDocument(QJsonArray { v }).toJson(QJsonDocument::Compact));
    return inArray.mid(1, inArray.size() - 2);
}

QString memberPath(const QString& path, const QString& key)
{
    static const QRegularExpression identifier(u"^[A-Za-z_][A-Za-z0-9_]*$"_s);
    if (identifier.match(key).hasMatch())
        return path + u'.' + key;
    return path + u"[\""_s + key + u"\"]"_s;
}

QString jsonTypeOf(const QJsonValue& v)
{
    switch (v.type()) {
    case QJsonValue::Null:
        return u"null"_s;
    case QJsonValue::Bool:
        return u"boolean"_s;
    case QJsonValue::Double:
        return v.toDouble() == std::floor(v.toDouble()) ? u"integer"_s : u"number"_s;
    case QJsonValue::String:
        return u"string"_s;
    case QJsonValue::Array:
        return u"array"_s;
    case QJsonValue::Object:
        return u"object"_s;
    case QJsonValue::Undefined:
        break;
    }
    return u"undefined"_s;
}

bool hasType(const QJsonValue& v, const QString& type)
{
    const QString actual = jsonTypeOf(v);
    return actual == type || (type == u"number"_s && actual == u"integer"_s);
}

QString shownValue(const QJsonValue& v)
{
    return ScorerText::quote(compact(v), 60).mid(1).chopped(1);
}

} // namespace

JsonScorer::JsonScorer(const QJsonObject& options)
    : m_schema(options.value(u"schema"_s))
    , m_schemaField(options.value(u"schema_field"_s).toString(u"schema"_s))
    , m_matchTarget(options.value(u"match_target"_s).toBool(false))
{
}

std::optional<JsonScorer::Extracted> JsonScorer::extract(const QString& response)
{
    const QString text = ScorerText::withoutReasoning(response);
    if (auto v = parseValue(text))
        return Extracted { *v, u"the whole response"_s };
    static const QRegularExpression fence(
        u"```[ \\t]*([A-Za-z0-9_-]*)[^\\n]*\\n(.*?)```"_s, QRegularExpression::DotMatchesEverythingOption);
    for (auto it = fence.globalMatch(text); it.hasNext();) {
        const auto m = it.next();
        if (auto v = parseValue(m.captured(2)))
            return Extracted { *v,
                m.captured(1).isEmpty() ? u"a ``` fence"_s : u"a ```"_s + m.captured(1) + u" fence"_s };
    }
    for (qsizetype i = 0; i < text.size(); ++i) {
        if (text[i] != u'{' && text[i] != u'[')
            continue;
        const qsizetype end = matchingEnd(text, i);
        if (end < 0)
            continue;
        if (auto v = parseValue(text.mid(i, end - i)))
            return Extracted { *v, v->isObject() ? u"an object in the text"_s : u"an array in the text"_s };
    }
    return std::nullopt;
}

QString JsonScorer::violation(const QJsonValue& value, const QJsonValue& schemaValue, const QString& path)
{
    if (schemaValue.isBool())
        return schemaValue.toBool() ? QString() : path + u": not allowed (the schema is false)"_s;
    const QJsonObject schema = schemaValue.toObject();
    if (schema.contains(u"type"_s)) {
        const QJsonValue t = schema.value(u"type"_s);
        const QJsonArray types = t.isArray() ? t.toArray() : QJsonArray { t };
        bool ok = false;
        QStringList names;
        for (const QJsonValue& type : types) {
            names << type.toString();
            ok = ok || hasType(value, type.toString());
        }
        if (!ok)
            return path + u": expected "_s + names.join(u" or "_s) + u", got "_s + jsonTypeOf(value) + u' '
                + shownValue(value);
    }
    if (schema.contains(u"const"_s) && value != schema.value(u"const"_s))
        return path + u": "_s + shownValue(value) + u" is not the constant "_s + shownValue(schema.value(u"const"_s));
    if (schema.contains(u"enum"_s)) {
        const QJsonArray allowed = schema.value(u"enum"_s).toArray();
        if (!allowed.contains(value)) {
            QStringList shown;
            for (const QJsonValue& a : allowed)
                shown << compact(a);
            return path + u": "_s + shownValue(value) + u" is not one of "_s + shown.join(u", "_s);
        }
    }
    if (value.isDouble()) {
        const double v = value.toDouble();
        const auto bound = [&](const QString& key) { return schema.value(key).toDouble(); };
        if (schema.contains(u"minimum"_s) && v < bound(u"minimum"_s))
            return path + u": "_s + compact(value) + u" is below the minimum "_s + compact(schema.value(u"minimum"_s));
        if (schema.contains(u"maximum"_s) && v > bound(u"maximum"_s))
            return path + u": "_s + compact(value) + u" is above the maximum "_s + compact(schema.value(u"maximum"_s));
        if (schema.contains(u"exclusiveMinimum"_s) && v <= bound(u"exclusiveMinimum"_s))
            return path + u": "_s + compact(value) + u" is not above the exclusive minimum "_s
                + compact(schema.value(u"exclusiveMinimum"_s));
        if (schema.contains(u"exclusiveMaximum"_s) && v >= bound(u"exclusiveMaximum"_s))
            return path + u": "_s + compact(value) + u" is not below the exclusive maximum "_s
                + compact(schema.value(u"exclusiveMaximum"_s));
    }
    if (value.isString()) {
        const qsizetype length = value.toString().toUcs4().size();
        if (schema.contains(u"minLength"_s) && length < schema.value(u"minLength"_s).toInteger())
            return path + u": "_s + shownValue(value) + u" is shorter than minLength "_s
                + QString::number(schema.value(u"minLength"_s).toInteger()) + u" ("_s + QString::number(length)
                + u" characters)"_s;
        if (schema.contains(u"maxLength"_s) && length > schema.value(u"maxLength"_s).toInteger())
            return path + u": "_s + shownValue(value) + u" is longer than maxLength "_s
                + QString::number(schema.value(u"maxLength"_s).toInteger()) + u" ("_s + QString::number(length)
                + u" characters)"_s;
    }
    if (value.isArray()) {
        const QJsonArray a = value.toArray();
        if (schema.contains(u"minItems"_s) && a.size() < schema.value(u"minItems"_s).toInteger())
            return path + u": "_s + QString::number(a.size()) + u" items, fewer than minItems "_s
                + QString::number(schema.value(u"minItems"_s).toInteger());
        if (schema.contains(u"maxItems"_s) && a.size() > schema.value(u"maxItems"_s).toInteger())
            return path + u": "_s + QString::number(a.size()) + u" items, more than maxItems "_s
                + QString::number(schema.value(u"maxItems"_s).toInteger());
        if (schema.contains(u"items"_s)) {
            for (qsizetype i = 0; i < a.size(); ++i) {
                const QString v = violation(a[i], schema.value(u"items"_s), path + u'[' + QString::number(i) + u']');
                if (!v.isEmpty())
                    return v;
            }
        }
    }
    if (value.isObject()) {
        const QJsonObject o = value.toObject();
        for (const QJsonValue& name : schema.value(u"required"_s).toArray()) {
            if (!o.contains(name.toString()))
                return memberPath(path, name.toString()) + u": required property is missing"_s;
        }
        const QJsonObject properties = schema.value(u"properties"_s).toObject();
        for (auto it = o.begin(); it != o.end(); ++it) {
            const QString at = memberPath(path, it.key());
            QString v;
            if (properties.contains(it.key()))
                v = violation(it.value(), properties.value(it.key()), at);
            else if (schema.contains(u"additionalProperties"_s))
                v = schema.value(u"additionalProperties"_s) == QJsonValue(false)
                    ? at + u": property not allowed (additionalProperties is false)"_s
                    : violation(it.value(), schema.value(u"additionalProperties"_s), at);
            if (!v.isEmpty())
                return v;
        }
    }
    return {};
}

ScoreResult JsonScorer::score(const Sample& sample, const QString& response) const
{
    ScoreResult r;
    QJsonValue schema = m_schema;
    QString schemaSource = u"the scorer's schema"_s;
    if (schema.isUndefined() && sample.record.contains(m_schemaField)) {
        schema = sample.record.value(m_schemaField);
        schemaSource = u"the record's \""_s + m_schemaField + u"\" schema"_s;
        if (schema.isString()) {
            if (const auto parsed = parseValue(schema.toString()))
                schema = *parsed;
        }
        if (const auto bad = ScorerOptions::validateSchema(schema)) {
            r.error = true;
            r.explanation = u"json: the record's field \""_s + m_schemaField + u"\" is not a usable schema: "_s
                + ScorerOptions::joinPath(m_schemaField, bad->path) + u": "_s + bad->message;
            return r;
        }
    }
    std::optional<QJsonValue> expected;
    if (m_matchTarget) {
        expected = parseValue(sample.target);
        if (!expected) {
            r.error = true;
            r.explanation
                = u"json: match_target is on but the target "_s + ScorerText::quote(sample.target) + u" is not JSON"_s;
            return r;
        }
    }
    const auto got = extract(response);
    if (!got) {
        r.score = 0;
        r.explanation = u"json: no JSON value found in the response "_s + ScorerText::quote(response, 80) + u": fail"_s;
        return r;
    }
    QString explanation
        = u"json: extracted "_s + ScorerText::quote(compact(got->value), 100) + u" ("_s + got->how + u")"_s;
    if (!schema.isUndefined()) {
        if (const QString v = violation(got->value, schema); !v.isEmpty()) {
            r.score = 0;
            r.explanation = explanation + u"; violates "_s + schemaSource + u" at "_s + v + u": fail"_s;
            return r;
        }
        explanation += u"; conforms to "_s + schemaSource;
    } else {
        explanation += u"; valid JSON"_s;
    }
    if (expected) {
        const bool same = got->value == *expected;
        r.score = same ? 1.0 : 0.0;
        r.explanation = explanation + (same ? u"; equals"_s : u"; differs from"_s) + u" the target "_s
            + ScorerText::quote(compact(*expected), 100) + (same ? u": pass"_s : u": fail"_s);
        return r;
    }
    r.score = 1;
    r.explanation = explanation + u": pass"_s;
    return r;
}

} // namespace evs
