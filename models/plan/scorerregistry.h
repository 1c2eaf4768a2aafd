#pragma once

#include <QJsonValue>
#include <QString>
#include <QStringList>
#include <QVector>

#include <limits>

namespace evs {

// One option of a scorer type, as data: the plan parser's and Scorer::create's validation (ScorerOptions), the
// GUI's scorer editor and the documentation (docs/scorers.md) all read it from here.
struct ScorerOptionSpec {
    enum class Type {
        Boolean,
        Number, // finite, within [minimum, maximum]
        String, // one line; not empty unless allowEmpty
        Text, // several lines; not empty unless allowEmpty
        StringList, // a non-empty array of non-empty strings
        Choice, // one of `allowed`
        Regex, // a regular expression that compiles
        CaptureGroup, // a group number >= 0 or a group name of the type's "pattern"
        Schema, // a JSON Schema in the supported subset
        Range, // { "min": n, "max": m } with max > min
        ModelRef, // the id of a model of the plan
        ScorerList, // a non-empty array of scorer objects
    };
    QString key;
    Type type = Type::String;
    QString label; // in words, for forms: "Case sensitive"
    QString description; // what it does, for tooltips
    QJsonValue defaultValue = QJsonValue::Undefined; // Undefined: none, or one that depends on other options
    double minimum = -std::numeric_limits<double>::infinity();
    double maximum = std::numeric_limits<double>::infinity();
    QStringList allowed; // Choice
    bool required = false;
    bool allowEmpty = false; // String, Text
    QString alternativeTo; // the key of an option this one is a short form of; giving both is an error
};

// One scorer type: its name in plans, a label and a description in words, and its options.
struct ScorerTypeSpec {
    QString name;
    QString label;
    QString description;
    QVector<ScorerOptionSpec> options;

    const ScorerOptionSpec* option(QStringView key) const;
    QStringList optionKeys() const;
};

// The scorer types (docs/scorers.md), in the order they are documented and offered.
class ScorerRegistry {
public:
    static const QVector<ScorerTypeSpec>& types();
    static QStringList names();
    static const ScorerTypeSpec* find(QStringView name);
    // What a benchmark is scored with when nothing says otherwise.
    static QString defaultType();
    // A first guess for an imported dataset: choices mean multiple_choice, targets that are all numbers numeric.
    static QString suggestFor(bool hasChoices, bool numericTargets);
};

} // namespace evs
