#pragma once

#include <QJsonObject>
#include <QString>
#include <QStringList>

namespace evs {

// One record of a benchmark's dataset, mapped to the fields the engine knows.
struct Sample {
    qint64 index = -1; // position in the dataset, 0-based, counting good records only
    QString id; // the dataset's id, or the index as text
    QString input;
    QStringList choices; // multiple choice: the options, in order (A, B, C, ...)
    QString target; // expected answer (a letter for multiple choice)
    QString category;
    QJsonObject record; // the raw record, for templates and metadata
};

} // namespace evs
