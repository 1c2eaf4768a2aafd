#pragma once

#include "app/benchmarks/scorer.h"

#include <QJsonObject>
#include <QJsonValue>

#include <optional>

namespace evs {

// 1 when the response holds a JSON value that satisfies the schema (if any) and, with match_target, equals the
// target's JSON. The value is the whole response, else the first ```json fence that parses, else the first
// object or array in the prose. The schema (a JSON Schema subset, see docs/scorers.md) comes from the "schema"
// option, else from the sample record's field named by schema_field ("schema"). The explanation names the first
// violation with its JSON path ("$.items[2].price").
class JsonScorer : public Scorer {
public:
    struct Extracted {
        QJsonValue value;
        QString how; // "the whole response", "a ```json fence", "an object in the text"
    };

    explicit JsonScorer(const QJsonObject& options);
    ScoreResult score(const Sample& sample, const QString& response) const override;

    static std::optional<Extracted> extract(const QString& text);
    // The first violation of schema by value as "$.path: reason", or an empty string when the value conforms.
    static QString violation(
        const QJsonValue& value, const QJsonValue& schema, const QString& path = QStringLiteral("$"));

private:
    QJsonValue m_schema; // undefined = none in the options
    QString m_schemaField;
    bool m_matchTarget = false;
};

} // namespace evs
