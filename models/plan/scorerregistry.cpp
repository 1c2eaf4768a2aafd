#include "models/plan/scorerregistry.h"

#include <QJsonObject>

using namespace Qt::StringLiterals;

namespace evs {

namespace {

using Type = ScorerOptionSpec::Type;

ScorerOptionSpec boolean(const QString& key, const QString& label, const QString& description, bool defaultValue)
{
    ScorerOptionSpec o;
    o.key = key;
    o.type = Type::Boolean;
    o.label = label;
    o.description = description;
    o.defaultValue = defaultValue;
    return o;
}

ScorerOptionSpec number(const QString& key, const QString& label, const QString& description, double defaultValue,
    double minimum, double maximum = std::numeric_limits<double>::infinity())
{
    ScorerOptionSpec o;
    o.key = key;
    o.type = Type::Number;
    o.label = label;
    o.description = description;
    o.defaultValue = defaultValue;
    o.minimum = minimum;
    o.maximum = maximum;
    return o;
}

ScorerOptionSpec choice(
    const QString& key, const QString& label, const QString& description, const QStringList& allowed)
{
    ScorerOptionSpec o;
    o.key = key;
    o.type = Type::Choice;
    o.label = label;
    o.description = description;
    o.allowed = allowed;
    o.defaultValue = allowed.first(); // the first choice is the default
    return o;
}

ScorerOptionSpec other(Type type, const QString& key, const QString& label, const QString& description,
    bool required = false, const QJsonValue& defaultValue = QJsonValue::Undefined)
{
    ScorerOptionSpec o;
    o.key = key;
    o.type = type;
    o.label = label;
    o.description = description;
    o.required = required;
    o.defaultValue = defaultValue;
    return o;
}

ScorerOptionSpec caseSensitive()
{
    return boolean(u"case_sensitive"_s, u"Case sensitive"_s, u"Compare letters' case as well"_s, false);
}

QVector<ScorerOptionSpec> normalisation()
{
    return {
        caseSensitive(),
        boolean(u"normalize_whitespace"_s, u"Normalise white space"_s,
            u"Trim the ends and collapse runs of white space to one space"_s, true),
        boolean(u"strip_punctuation"_s, u"Strip punctuation"_s, u"Drop punctuation before comparing"_s, false),
        boolean(u"ignore_articles"_s, u"Ignore articles"_s, u"Drop the words \"a\", \"an\", \"the\""_s, false),
    };
}

QVector<ScorerOptionSpec> containsOptions()
{
    ScorerOptionSpec value
        = other(Type::String, u"value"_s, u"Text"_s, u"The text to look for; without it, the sample's target"_s);
    value.alternativeTo = u"values"_s;
    return {
        value,
        other(Type::StringList, u"values"_s, u"Texts"_s,
            u"Texts to look for, one per line; empty = the sample's target"_s),
        choice(u"mode"_s, u"Mode"_s, u"any: one of the texts is enough; all: every text must be there"_s,
            { u"any"_s, u"all"_s }),
        caseSensitive(),
    };
}

QVector<ScorerTypeSpec> build()
{
    ScorerOptionSpec system
        = other(Type::Text, u"system"_s, u"System prompt"_s, u"The judge's system prompt; empty = none"_s);
    system.allowEmpty = true;
    return {
        { u"exact_match"_s, u"Exact match"_s, u"1 when the whole response equals the target after normalisation."_s,
            normalisation() },
        { u"contains"_s, u"Contains"_s, u"1 when the response contains the text (or the target when none is given)."_s,
            containsOptions() },
        { u"not_contains"_s, u"Does not contain"_s, u"1 when the response does not contain the text."_s,
            containsOptions() },
        { u"regex"_s, u"Regular expression"_s, u"1 when the regular expression matches the response."_s,
            {
                other(Type::Regex, u"pattern"_s, u"Pattern"_s,
                    u"A regular expression (PCRE) searched for in the response"_s, true),
                caseSensitive(),
            } },
        { u"regex_extract"_s, u"Extract with a regular expression"_s,
            u"Extracts with a regular expression, then compares with the target."_s,
            QVector<ScorerOptionSpec> {
                other(Type::Regex, u"pattern"_s, u"Pattern"_s,
                    u"A regular expression (PCRE) whose match is extracted"_s, true),
                other(Type::CaptureGroup, u"group"_s, u"Group"_s,
                    u"The capture group compared: a number or a name; empty = group 1 if there is one, else the "
                    "whole match"_s),
                choice(u"occurrence"_s, u"Occurrence"_s, u"Which match is used when there are several"_s,
                    { u"last"_s, u"first"_s }),
            } + normalisation() },
        { u"multiple_choice"_s, u"Multiple choice"_s,
            u"Finds the chosen letter (\"B\", \"(B)\", \"Answer: b\", a choice's text); 1 when it is the target."_s,
            {} },
        { u"numeric"_s, u"Number"_s, u"Compares the response's final number with the target, within a tolerance."_s,
            {
                number(u"tolerance"_s, u"Tolerance"_s, u"Largest absolute difference that still passes"_s, 0, 0),
                number(u"relative_tolerance"_s, u"Relative tolerance"_s,
                    u"Largest difference relative to the target (0.01 = 1 %)"_s, 0, 0),
            } },
        { u"json"_s, u"JSON"_s, u"1 when the response is valid JSON (and fits the schema, when given)."_s,
            {
                other(Type::Schema, u"schema"_s, u"Schema"_s,
                    u"A JSON Schema (subset: type, properties, required, enum, items, min/max) the response must "
                    "fit; empty = any valid JSON"_s),
                other(Type::String, u"schema_field"_s, u"Schema field"_s,
                    u"Without a schema: the record key holding each sample's own schema"_s, false, u"schema"_s),
                boolean(u"match_target"_s, u"Match the target"_s,
                    u"The parsed response must also equal the target as JSON"_s, false),
            } },
        { u"judge"_s, u"Judge model"_s,
            u"Asks a judge model with a rubric; an unparseable verdict is a scoring error."_s,
            {
                other(Type::ModelRef, u"model"_s, u"Judge"_s, u"The model of the plan that judges the answers"_s, true),
                other(Type::Text, u"rubric"_s, u"Rubric"_s,
                    u"What the judge is asked; placeholders: {{input}}, {{response}}, {{target}}, {{choices}}"_s),
                system,
                choice(u"format"_s, u"Answer format"_s,
                    u"score: the judge replies \"SCORE: n\"; verdict: PASS or FAIL"_s, { u"score"_s, u"verdict"_s }),
                other(Type::Range, u"scale"_s, u"Scale"_s,
                    u"For format score: the range of n, { \"min\": 1, \"max\": 5 } unless given"_s, false,
                    QJsonObject { { u"min"_s, 1 }, { u"max"_s, 5 } }),
            } },
        { u"composite"_s, u"Composite"_s, u"Combines several scorers: weighted mean, all of, or any of."_s,
            {
                choice(u"mode"_s, u"Mode"_s,
                    u"weighted: weighted mean of the scores; all / any: pass when all / any pass"_s,
                    { u"weighted"_s, u"all"_s, u"any"_s }),
                number(u"pass_threshold"_s, u"Pass threshold"_s,
                    u"For all / any: the score from which a child scorer passes"_s, 1, 0, 1),
                other(Type::ScorerList, u"scorers"_s, u"Scorers"_s,
                    u"The child scorers: a JSON array of scorer objects (with \"weight\" in weighted mode)"_s, true),
            } },
    };
}

} // namespace

const ScorerOptionSpec* ScorerTypeSpec::option(QStringView key) const
{
    for (const ScorerOptionSpec& o : options) {
        if (o.key == key)
            return &o;
    }
    return nullptr;
}

QStringList ScorerTypeSpec::optionKeys() const
{
    QStringList keys;
    for (const ScorerOptionSpec& o : options)
        keys << o.key;
    return keys;
}

const QVector<ScorerTypeSpec>& ScorerRegistry::types()
{
    static const QVector<ScorerTypeSpec> all = build();
    return all;
}

QStringList ScorerRegistry::names()
{
    QStringList names;
    for (const ScorerTypeSpec& t : types())
        names << t.name;
    return names;
}

const ScorerTypeSpec* ScorerRegistry::find(QStringView name)
{
    for (const ScorerTypeSpec& t : types()) {
        if (t.name == name)
            return &t;
    }
    return nullptr;
}

QString ScorerRegistry::defaultType()
{
    return u"exact_match"_s;
}

QString ScorerRegistry::suggestFor(bool hasChoices, bool numericTargets)
{
    if (hasChoices)
        return u"multiple_choice"_s;
    return numericTargets ? u"numeric"_s : defaultType();
}

} // namespace evs
