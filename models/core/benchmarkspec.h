#pragma once

#include "models/core/promptrequest.h"

#include <QJsonObject>
#include <QString>
#include <QVector>

namespace evs {

struct ScorerSpec {
    QString type = QStringLiteral("exact_match"); // exact_match, multiple_choice, judge, ...: see docs/plan.md
    QJsonObject options; // the whole scorer object of the plan, type included
};

struct FewShotSpec {
    int k = 0;
    QString from; // dataset path (resolved) or empty = the benchmark's own dataset
    quint64 seed = 0; // the run's seed (RunPlan::seed; the plan parser copies it here): which examples are drawn
};

struct BenchmarkSpec {
    QString id;
    QString dataset; // absolute path after plan parsing, or "builtin:NAME"
    QString format; // jsonl | json | csv | tsv; empty = from the file name
    QJsonObject fields; // mapping: input, choices, target, id, category, metadata -> record keys
    QString system; // system prompt; empty = none
    QString promptTemplate; // "{{input}}" style; empty = the benchmark's default
    QVector<ChatMessage> messages; // chat templates (role, content template); non-empty replaces system+template
    FewShotSpec fewshot;
    ScorerSpec scorer;
    qint64 limit = 0; // 0 = all samples
    int repeats = 1;
};

} // namespace evs
