#pragma once

#include <QJsonObject>
#include <QJsonValue>
#include <QList>
#include <QString>
#include <QStringList>

#include <optional>

namespace evs {

struct ScorerOptionError {
    QString path; // relative to the scorer object: "" (the object), "tolerance", "scorers[1].weight"
    QString message;
    bool atKey = false; // an unknown key: point at the key, not its value
};

struct JudgeModelRef {
    QString path; // relative to the scorer object, e.g. "model" or "scorers[2].model"
    QString modelId;
};

// The one validation of scorer objects (docs/scorers.md), driven by ScorerRegistry's option specs plus the rules
// that tie options together (a capture group of the pattern, a scale only for scores, composite children). The plan
// parser uses it to name the offending field; Scorer::create (app/) and the GUI's scorer editor use it too, so all
// reject the same things. It checks everything that needs no plan context; that a judge's model exists is the plan
// parser's part.
class ScorerOptions {
public:
    static const QStringList& types(); // ScorerRegistry::names()
    // The first problem in one scorer object (its "type" included), or nullopt when it is valid.
    static std::optional<ScorerOptionError> validate(const QJsonObject& scorer);
    // Every judge model the scorer (or its composite children) names.
    static QList<JudgeModelRef> judgeModels(const QJsonObject& scorer);
    // Checks that a value is a schema in the supported JSON Schema subset; paths are relative to the schema.
    static std::optional<ScorerOptionError> validateSchema(const QJsonValue& schema);
    // "tolerance" under "benchmarks[0].scorer" -> "benchmarks[0].scorer.tolerance"; "[1]" joins without a dot.
    static QString joinPath(const QString& base, const QString& relative);
    // The placeholders a judge rubric may use.
    static const QStringList& rubricPlaceholders();
};

} // namespace evs
