#pragma once

#include <QString>
#include <QVector>

namespace evs {

// The one text source of what the reported numbers mean (docs/metrics.md), shared by every export format so
// that HTML, PDF, Markdown, JSON, JUnit and Prometheus state the same definitions.
struct MetricDefinition {
    QString key; // stable identifier (JSON keys, Prometheus HELP lookups)
    QString term; // as shown to a reader
    QString definition; // one or two sentences, plain text
};

class MetricDefinitions {
public:
    static const QVector<MetricDefinition>& all();
    static QString definition(QStringView key); // empty for an unknown key
    static QString preamble(); // one paragraph: where the numbers come from
};

} // namespace evs
