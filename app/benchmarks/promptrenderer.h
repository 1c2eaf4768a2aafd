#pragma once

#include "models/core/benchmarkspec.h"
#include "models/core/promptrequest.h"
#include "models/core/sample.h"

#include <QString>
#include <QVector>

namespace evs
{

// Renders a sample into the messages sent to a model: system prompt, {{field}} template, few-shot examples.
// Placeholders: {{input}} {{target}} {{id}} {{category}} {{choices}} (lettered lines "A. text"), and
// {{record.KEY}} or {{KEY}} for any field of the raw record. Thread-safe after construction (render is const).
class PromptRenderer
{
public:
    explicit PromptRenderer(const BenchmarkSpec& spec);
    bool isValid(QString* error) const; // template syntax errors name the position; few-shot read errors
    // False when the template names a placeholder that is neither a sample field nor a key of this sample's
    // record ("unknown placeholder {{foo}}"). render() leaves such placeholders as they are.
    bool checkSample(const Sample& sample, QString* error) const;
    PromptRequest render(const Sample& sample) const;

    static QString defaultTemplate(bool withChoices);
    static QString letteredChoices(const QStringList& choices); // "A. first\nB. second"

private:
    struct Segment {
        bool placeholder = false;
        QString text; // literal text, or the placeholder's name
    };
    static QVector<Segment> parseTemplate(const QString& text, QString* error);
    bool resolve(const QString& name, const Sample& sample, QString* value) const;
    QString expand(const QVector<Segment>& segments, const Sample& sample, QString* unknown = nullptr) const;
    const QVector<Segment>& userTemplate(const Sample& sample) const;

    QVector<Segment> m_template; // empty when the default applies
    QVector<Segment> m_plainDefault;
    QVector<Segment> m_choicesDefault;
    QVector<Segment> m_system;
    bool m_hasTemplate = false;
    QString m_error;
    QVector<Sample> m_shots; // few-shot examples, k + 1 when drawn from the benchmark's own dataset
    int m_shotCount = 0;
    bool m_shotsFromOwnDataset = false;
};

} // namespace evs
