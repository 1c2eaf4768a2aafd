#pragma once

#include "models/core/sample.h"

#include <QJsonObject>
#include <QString>
#include <QStringList>

namespace evs {

// Maps a dataset record to a Sample through a benchmark's "fields" object; unmapped fields fall back to the
// usual key names (input <- input|question|prompt, target <- target|answer|expected, choices <- choices|options
// or a run of columns A, B, C, D..., id <- id, category <- category|subject). fields.choices and fields.metadata
// may also be arrays of keys (choices spread over columns, as in CSV files).
// A target that ends in "#### <number>" (GSM8K's worked answers) becomes the number; the record keeps the
// whole worked answer.
class RecordMapper {
public:
    explicit RecordMapper(const QJsonObject& fields);
    // False with a reason when the record cannot be a sample (no input, choices not a list).
    bool map(const QJsonObject& record, qint64 index, Sample* out, QString* reason) const;

    // The mapping this record is read with: field -> key (a string), or an array of keys (choices from columns,
    // metadata). Fields found nowhere are absent. Shown by `dataset inspect`, so that a guess is never silent.
    QJsonObject describe(const QJsonObject& record) const;
    // The record's metadata: fields.metadata's keys, else every key no other field uses.
    QJsonObject metadata(const QJsonObject& record) const;
    // The number after a final "#### " in a GSM8K-style worked answer (commas dropped), or empty.
    static QString finalAnswer(const QString& workedAnswer);

private:
    QJsonValue lookup(const QJsonObject& record, const QString& field, QString* keyUsed) const;
    QStringList choiceKeys(const QJsonObject& record) const; // the columns that hold choices, if spread out

    QJsonObject m_fields;
};

} // namespace evs
