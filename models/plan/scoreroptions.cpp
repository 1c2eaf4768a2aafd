#include "models/plan/scoreroptions.h"

#include "models/plan/scorerregistry.h"
#include "models/plan/suggestion.h"

#include <QJsonArray>
#include <QRegularExpression>

#include <cmath>
#include <limits>

using namespace Qt::StringLiterals;

namespace evs {

namespace {

constexpr int kMaxCompositeDepth = 8;

const QStringList kSchemaKeywords = { u"type"_s, u"properties"_s, u"required"_s, u"enum"_s, u"const"_s, u"items"_s,
    u"minimum"_s, u"maximum"_s, u"exclusiveMinimum"_s, u"exclusiveMaximum"_s, u"minLength"_s, u"maxLength"_s,
    u"minItems"_s, u"maxItems"_s, u"additionalProperties"_s };
// Keywords that only annotate: accepted and ignored.
const QStringList kSchemaAnnotations
    = { u"$schema"_s, u"$id"_s, u"$comment"_s, u"title"_s, u"description"_s, u"default"_s, u"examples"_s };
const QStringList kSchemaTypes
    = { u"object"_s, u"array"_s, u"string"_s, u"number"_s, u"integer"_s, u"boolean"_s, u"null"_s };

QString typeName(const QJsonValue& v)
{
    switch (v.type()) {
    case QJsonValue::Null:
        return u"null"_s;
    case QJsonValue::Bool:
        return u"a boolean"_s;
    case QJsonValue::Double:
        return u"a number"_s;
    case QJsonValue::String:
        return u"a string"_s;
    case QJsonValue::Array:
        return u"an array"_s;
    case QJsonValue::Object:
        return u"an object"_s;
    case QJsonValue::Undefined:
        break;
    }
    return u"undefined"_s;
}

QString number(double v)
{
    return QString::number(v, 'g', 17);
}

// Walks one scorer object; the first problem wins.
class Checker {
public:
    std::optional<ScorerOptionError> error;
    int judges = 0;

    bool fail(const QString& path, const QString& message, bool atKey = false)
    {
        if (!error)
            error = ScorerOptionError { path, message, atKey };
        return false;
    }

    bool wrongType(const QString& path, const QJsonValue& v, const QString& expected)
    {
        return fail(path, u"must be "_s + expected + u", not "_s + typeName(v));
    }

    bool checkKeys(const QJsonObject& o, const QString& path, const QStringList& known)
    {
        for (auto it = o.begin(); it != o.end(); ++it) {
            if (!known.contains(it.key()))
                return fail(
                    ScorerOptions::joinPath(path, it.key()), u"unknown key"_s + didYouMean(it.key(), known), true);
        }
        return true;
    }

    bool optBool(const QJsonObject& o, const QString& path, const QString& key)
    {
        const auto it = o.find(key);
        if (it != o.end() && !it->isBool())
            return wrongType(ScorerOptions::joinPath(path, key), *it, u"true or false"_s);
        return true;
    }

    bool optNumber(const QJsonObject& o, const QString& path, const QString& key, double min, double* out = nullptr)
    {
        const auto it = o.find(key);
        if (it == o.end())
            return true;
        const QString at = ScorerOptions::joinPath(path, key);
        if (!it->isDouble() || !std::isfinite(it->toDouble()) || it->toDouble() < min)
            return fail(at,
                min == -std::numeric_limits<double>::max() ? u"must be a number"_s
                                                           : u"must be a number >= "_s + number(min));
        if (out)
            *out = it->toDouble();
        return true;
    }

    bool optString(const QJsonObject& o, const QString& path, const QString& key, QString* out, bool nonEmpty = true)
    {
        const auto it = o.find(key);
        if (it == o.end())
            return true;
        const QString at = ScorerOptions::joinPath(path, key);
        if (!it->isString())
            return wrongType(at, *it, u"a string"_s);
        if (nonEmpty && it->toString().trimmed().isEmpty())
            return fail(at, u"must not be empty"_s);
        *out = it->toString();
        return true;
    }

    bool optChoice(const QJsonObject& o, const QString& path, const QString& key, const QStringList& allowed)
    {
        QString value;
        if (!optString(o, path, key, &value))
            return false;
        if (o.contains(key) && !allowed.contains(value))
            return fail(ScorerOptions::joinPath(path, key),
                u"must be one of "_s + allowed.join(u", "_s) + didYouMean(value, allowed));
        return true;
    }

    bool required(const QJsonObject& o, const QString& path, const QString& key)
    {
        return o.contains(key) || fail(ScorerOptions::joinPath(path, key), u"required"_s);
    }

    bool regexPattern(const QJsonObject& o, const QString& path, const QString& key, QRegularExpression* re)
    {
        QString pattern;
        if (!required(o, path, key) || !optString(o, path, key, &pattern))
            return false;
        re->setPattern(pattern);
        if (!re->isValid())
            return fail(ScorerOptions::joinPath(path, key),
                u"invalid regular expression: "_s + re->errorString() + u" at character "_s
                    + QString::number(re->patternErrorOffset() + 1));
        return true;
    }

    bool scorer(const QJsonObject& o, const QString& path, bool inComposite, bool weighted, int depth);
    bool option(const QJsonObject& o, const QString& path, const ScorerOptionSpec& spec);
    bool captureGroup(const QJsonObject& o, const QString& path);
    bool judge(const QJsonObject& o, const QString& path);
    bool composite(const QJsonObject& o, const QString& path, int depth);
    bool schema(const QJsonValue& s, const QString& path, int depth);
};

bool Checker::scorer(const QJsonObject& o, const QString& path, bool inComposite, bool weighted, int depth)
{
    QString name;
    if (!required(o, path, u"type"_s) || !optString(o, path, u"type"_s, &name))
        return false;
    const ScorerTypeSpec* type = ScorerRegistry::find(name);
    if (!type)
        return fail(ScorerOptions::joinPath(path, u"type"_s),
            u"unknown scorer \""_s + name + u'"' + didYouMean(name, ScorerRegistry::names()) + u"; known: "_s
                + ScorerRegistry::names().join(u", "_s));
    QStringList known = QStringList { u"type"_s } + type->optionKeys();
    if (inComposite)
        known << u"weight"_s;
    if (!checkKeys(o, path, known))
        return false;
    if (o.contains(u"weight"_s)) {
        const QString at = ScorerOptions::joinPath(path, u"weight"_s);
        if (!weighted)
            return fail(at, u"only a composite with mode \"weighted\" weighs its scorers"_s);
        const QJsonValue w = o.value(u"weight"_s);
        if (!w.isDouble() || !std::isfinite(w.toDouble()) || w.toDouble() <= 0)
            return fail(at, u"must be a number > 0"_s);
    }
    for (const ScorerOptionSpec& option : type->options) {
        if (!this->option(o, path, option))
            return false;
    }
    // What one option cannot say alone.
    if (type->name == u"regex_extract"_s)
        return captureGroup(o, path);
    if (type->name == u"judge"_s)
        return judge(o, path);
    if (type->name == u"composite"_s) {
        if (depth >= kMaxCompositeDepth)
            return fail(path, u"composites nest at most "_s + QString::number(kMaxCompositeDepth) + u" deep"_s);
        return composite(o, path, depth);
    }
    return true;
}

// The checks of one option that its spec in ScorerRegistry describes.
bool Checker::option(const QJsonObject& o, const QString& path, const ScorerOptionSpec& spec)
{
    const QString at = ScorerOptions::joinPath(path, spec.key);
    if (!spec.alternativeTo.isEmpty() && o.contains(spec.key) && o.contains(spec.alternativeTo))
        return fail(ScorerOptions::joinPath(path, spec.alternativeTo),
            u"give \""_s + spec.key + u"\" or \""_s + spec.alternativeTo + u"\", not both"_s);
    if (spec.required && !required(o, path, spec.key))
        return false;
    const auto it = o.find(spec.key);
    if (it == o.end())
        return true;
    const QJsonValue v = *it;
    switch (spec.type) {
    case ScorerOptionSpec::Type::Boolean:
        return optBool(o, path, spec.key);
    case ScorerOptionSpec::Type::Number: {
        const bool finite = v.isDouble() && std::isfinite(v.toDouble());
        if (std::isfinite(spec.maximum) && (!finite || v.toDouble() < spec.minimum || v.toDouble() > spec.maximum))
            return fail(at, u"must be between "_s + number(spec.minimum) + u" and "_s + number(spec.maximum));
        if (!finite || v.toDouble() < spec.minimum)
            return fail(at,
                std::isfinite(spec.minimum) ? u"must be a number >= "_s + number(spec.minimum) : u"must be a number"_s);
        return true;
    }
    case ScorerOptionSpec::Type::String:
    case ScorerOptionSpec::Type::Text:
    case ScorerOptionSpec::Type::ModelRef: {
        QString ignored;
        return optString(o, path, spec.key, &ignored, !spec.allowEmpty);
    }
    case ScorerOptionSpec::Type::Choice:
        return optChoice(o, path, spec.key, spec.allowed);
    case ScorerOptionSpec::Type::StringList: {
        if (!v.isArray())
            return wrongType(at, v, u"an array of strings"_s);
        const QJsonArray a = v.toArray();
        if (a.isEmpty())
            return fail(at, u"needs at least one string"_s);
        for (qsizetype i = 0; i < a.size(); ++i) {
            const QString e = ScorerOptions::joinPath(at, u'[' + QString::number(i) + u']');
            if (!a[i].isString())
                return wrongType(e, a[i], u"a string"_s);
            if (a[i].toString().isEmpty())
                return fail(e, u"must not be empty"_s);
        }
        return true;
    }
    case ScorerOptionSpec::Type::Regex: {
        QRegularExpression re;
        return regexPattern(o, path, spec.key, &re);
    }
    case ScorerOptionSpec::Type::Schema:
        return schema(v, at, 0);
    case ScorerOptionSpec::Type::Range: {
        if (!v.isObject())
            return wrongType(at, v, u"an object { \"min\": n, \"max\": m }"_s);
        const QJsonObject range = v.toObject();
        const QJsonObject defaults = spec.defaultValue.toObject();
        double min = defaults.value(u"min"_s).toDouble();
        double max = defaults.value(u"max"_s).toDouble();
        if (!checkKeys(range, at, { u"min"_s, u"max"_s })
            || !optNumber(range, at, u"min"_s, -std::numeric_limits<double>::max(), &min)
            || !optNumber(range, at, u"max"_s, -std::numeric_limits<double>::max(), &max))
            return false;
        if (max <= min)
            return fail(ScorerOptions::joinPath(at, u"max"_s), u"must be greater than min ("_s + number(min) + u')');
        return true;
    }
    case ScorerOptionSpec::Type::CaptureGroup: // needs the pattern: captureGroup()
    case ScorerOptionSpec::Type::ScorerList: // needs the mode: composite()
        return true;
    }
    return true;
}

bool Checker::captureGroup(const QJsonObject& o, const QString& path)
{
    QRegularExpression re;
    if (!regexPattern(o, path, u"pattern"_s, &re))
        return false;
    const QString at = ScorerOptions::joinPath(path, u"group"_s);
    const QJsonValue g = o.value(u"group"_s);
    if (g.isUndefined())
        return true;
    if (g.isString()) {
        if (!re.namedCaptureGroups().contains(g.toString()) || g.toString().isEmpty())
            return fail(at, u"the pattern has no group named \""_s + g.toString() + u'"');
        return true;
    }
    if (!g.isDouble() || g.toDouble() != std::floor(g.toDouble()) || g.toDouble() < 0)
        return fail(at, u"must be a group number >= 0 or a group name"_s);
    if (g.toDouble() > re.captureCount())
        return fail(at,
            u"the pattern has "_s + QString::number(re.captureCount()) + u" capture group(s), not "_s
                + QString::number(g.toInt()));
    return true;
}

bool Checker::judge(const QJsonObject& o, const QString& path)
{
    ++judges;
    const QString rubric = o.value(u"rubric"_s).toString();
    static const QRegularExpression placeholder(u"\\{\\{\\s*([^}]*?)\\s*\\}\\}"_s);
    for (auto it = placeholder.globalMatch(rubric); it.hasNext();) {
        const QString name = it.next().captured(1);
        if (!ScorerOptions::rubricPlaceholders().contains(name))
            return fail(ScorerOptions::joinPath(path, u"rubric"_s),
                u"unknown placeholder \"{{"_s + name + u"}}\""_s + didYouMean(name, ScorerOptions::rubricPlaceholders())
                    + u"; known: "_s + ScorerOptions::rubricPlaceholders().join(u", "_s));
    }
    if (o.contains(u"scale"_s) && o.value(u"format"_s).toString() == u"verdict"_s)
        return fail(ScorerOptions::joinPath(path, u"scale"_s), u"a scale applies to format \"score\" only"_s);
    return true;
}

bool Checker::composite(const QJsonObject& o, const QString& path, int depth)
{
    const bool weighted = o.value(u"mode"_s).toString(u"weighted"_s) == u"weighted"_s;
    if (weighted && o.contains(u"pass_threshold"_s))
        return fail(ScorerOptions::joinPath(path, u"pass_threshold"_s), u"applies to modes \"all\" and \"any\" only"_s);
    const QString at = ScorerOptions::joinPath(path, u"scorers"_s);
    const QJsonValue v = o.value(u"scorers"_s);
    if (!v.isArray())
        return wrongType(at, v, u"an array of scorer objects"_s);
    const QJsonArray children = v.toArray();
    if (children.isEmpty())
        return fail(at, u"needs at least one scorer"_s);
    const int judgesBefore = judges;
    for (qsizetype i = 0; i < children.size(); ++i) {
        const QString child = ScorerOptions::joinPath(at, u'[' + QString::number(i) + u']');
        if (!children[i].isObject())
            return wrongType(child, children[i], u"a scorer object"_s);
        if (!scorer(children[i].toObject(), child, true, weighted, depth + 1))
            return false;
        if (judges - judgesBefore > 1)
            return fail(child, u"a composite may contain at most one judge"_s);
    }
    return true;
}

bool Checker::schema(const QJsonValue& value, const QString& path, int depth)
{
    if (depth > 64)
        return fail(path, u"schema nested too deep"_s);
    if (value.isBool())
        return true; // true accepts anything, false nothing
    if (!value.isObject())
        return wrongType(path, value, u"a schema object"_s);
    const QJsonObject s = value.toObject();
    for (auto it = s.begin(); it != s.end(); ++it) {
        if (!kSchemaKeywords.contains(it.key()) && !kSchemaAnnotations.contains(it.key()))
            return fail(ScorerOptions::joinPath(path, it.key()),
                u"unsupported schema keyword"_s + didYouMean(it.key(), kSchemaKeywords) + u"; supported: "_s
                    + kSchemaKeywords.join(u", "_s),
                true);
    }
    const auto at = [&](const QString& key) { return ScorerOptions::joinPath(path, key); };
    if (s.contains(u"type"_s)) {
        const QJsonValue t = s.value(u"type"_s);
        const QJsonArray types = t.isArray() ? t.toArray() : QJsonArray { t };
        if (types.isEmpty())
            return fail(at(u"type"_s), u"needs at least one type"_s);
        for (const QJsonValue& name : types) {
            if (!name.isString() || !kSchemaTypes.contains(name.toString()))
                return fail(
                    at(u"type"_s), u"must be one of "_s + kSchemaTypes.join(u", "_s) + u", or an array of them"_s);
        }
    }
    if (s.contains(u"properties"_s)) {
        const QJsonValue p = s.value(u"properties"_s);
        if (!p.isObject())
            return wrongType(at(u"properties"_s), p, u"an object"_s);
        const QJsonObject props = p.toObject();
        for (auto it = props.begin(); it != props.end(); ++it) {
            if (!schema(it.value(), ScorerOptions::joinPath(at(u"properties"_s), it.key()), depth + 1))
                return false;
        }
    }
    if (s.contains(u"required"_s)) {
        const QJsonValue r = s.value(u"required"_s);
        if (!r.isArray())
            return wrongType(at(u"required"_s), r, u"an array of strings"_s);
        for (const QJsonValue& name : r.toArray()) {
            if (!name.isString())
                return fail(at(u"required"_s), u"must be an array of strings"_s);
        }
    }
    if (s.contains(u"enum"_s) && (!s.value(u"enum"_s).isArray() || s.value(u"enum"_s).toArray().isEmpty()))
        return fail(at(u"enum"_s), u"must be a non-empty array"_s);
    if (s.contains(u"items"_s) && !schema(s.value(u"items"_s), at(u"items"_s), depth + 1))
        return false;
    if (s.contains(u"additionalProperties"_s)
        && !schema(s.value(u"additionalProperties"_s), at(u"additionalProperties"_s), depth + 1))
        return false;
    for (const QString& key : { u"minimum"_s, u"maximum"_s, u"exclusiveMinimum"_s, u"exclusiveMaximum"_s }) {
        if (!optNumber(s, path, key, -std::numeric_limits<double>::max()))
            return false;
    }
    for (const QString& key : { u"minLength"_s, u"maxLength"_s, u"minItems"_s, u"maxItems"_s }) {
        double n = 0;
        if (!optNumber(s, path, key, 0, &n))
            return false;
        if (n != std::floor(n))
            return fail(at(key), u"must be an integer >= 0"_s);
    }
    return true;
}

void collectJudges(const QJsonObject& o, const QString& path, QList<JudgeModelRef>* out, int depth)
{
    const QString type = o.value(u"type"_s).toString();
    if (type == u"judge"_s)
        out->append({ ScorerOptions::joinPath(path, u"model"_s), o.value(u"model"_s).toString() });
    if (type != u"composite"_s || depth > kMaxCompositeDepth)
        return;
    const QJsonArray children = o.value(u"scorers"_s).toArray();
    for (qsizetype i = 0; i < children.size(); ++i)
        collectJudges(children[i].toObject(), ScorerOptions::joinPath(path, u"scorers["_s + QString::number(i) + u']'),
            out, depth + 1);
}

} // namespace

const QStringList& ScorerOptions::types()
{
    static const QStringList types = ScorerRegistry::names();
    return types;
}

const QStringList& ScorerOptions::rubricPlaceholders()
{
    static const QStringList names = { u"input"_s, u"response"_s, u"target"_s, u"choices"_s };
    return names;
}

std::optional<ScorerOptionError> ScorerOptions::validate(const QJsonObject& scorer)
{
    Checker c;
    c.scorer(scorer, QString(), false, false, 0);
    return c.error;
}

QList<JudgeModelRef> ScorerOptions::judgeModels(const QJsonObject& scorer)
{
    QList<JudgeModelRef> refs;
    collectJudges(scorer, QString(), &refs, 0);
    return refs;
}

std::optional<ScorerOptionError> ScorerOptions::validateSchema(const QJsonValue& schema)
{
    Checker c;
    c.schema(schema, QString(), 0);
    return c.error;
}

QString ScorerOptions::joinPath(const QString& base, const QString& relative)
{
    if (relative.isEmpty())
        return base;
    if (base.isEmpty() || relative.startsWith(u'['))
        return base + relative;
    return base + u'.' + relative;
}

} // namespace evs
