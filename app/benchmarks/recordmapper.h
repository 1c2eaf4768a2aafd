#pragma once

#include "models/core/sample.h"

#include <QJsonObject>
#include <QString>

namespace evs
{

// Maps a dataset record to a Sample through a benchmark's "fields" object; unmapped fields fall back to the
// usual key names (input <- input|question|prompt, target <- target|answer|expected, choices <- choices|options,
// id <- id, category <- category|subject).
class RecordMapper
{
public:
    explicit RecordMapper(const QJsonObject& fields);
    // False with a reason when the record cannot be a sample (no input, choices not a list).
    bool map(const QJsonObject& record, qint64 index, Sample* out, QString* reason) const;

private:
    QJsonValue lookup(const QJsonObject& record, const QString& field, QString* keyUsed) const;

    QJsonObject m_fields;
};

} // namespace evs
