#pragma once

#include "models/core/benchmarkspec.h"
#include "models/core/promptrequest.h"
#include "models/core/sample.h"
#include "models/plan/templategrammar.h"

#include <QString>
#include <QVector>

namespace evs {

// Renders a sample into the messages sent to a model: system prompt and {{field}} template, or a list of chat
// message templates, with few-shot examples. The grammar (placeholders, filters) is TemplateGrammar's, the same one
// the plan parser checks with: {{input}} {{target}} {{id}} {{category}} {{choices}} (lettered lines "A. text"),
// and {{record.KEY}} or {{KEY}} for any field of the raw record; filters follow a bar: {{input|trim|upper}}.
// Few-shot examples are drawn once, with the run's seed (spec.fewshot.seed), from the designated file or the
// dataset itself; a sample is never shown as its own example. Thread-safe after construction (render is const).
class PromptRenderer {
public:
    explicit PromptRenderer(const BenchmarkSpec& spec);
    bool isValid(QString* error) const; // template syntax errors name the position; few-shot read errors
    // False when the template names a placeholder that is neither a sample field nor a key of this sample's
    // record ("unknown placeholder {{foo}}"). render() leaves such placeholders as they are.
    bool checkSample(const Sample& sample, QString* error) const;
    PromptRequest render(const Sample& sample) const;

    static QString defaultTemplate(bool withChoices);
    static QString letteredChoices(const QStringList& choices); // "A. first\nB. second"
    static QStringList filterNames() { return TemplateGrammar::filterNames(); }
    // An empty string when text is a valid template, else what is wrong and where.
    static QString templateError(const QString& text) { return TemplateGrammar::error(text); }
    // How many examples a pool is drawn from, at most (the first good records of the shots' dataset).
    static constexpr qint64 kShotPoolLimit = 100000;

private:
    using Segment = TemplateGrammar::Segment;
    using Template = QVector<Segment>;
    struct MessageTemplate {
        QString role;
        Template content;
    };
    static Template parseTemplate(const QString& text, QString* error);
    bool resolve(const Segment& segment, const Sample& sample, QString* value) const;
    QString expand(const Template& segments, const Sample& sample, QString* unknown = nullptr) const;
    const Template& userTemplate(const Sample& sample) const;
    QString shotAnswer(const Sample& shot) const;
    void drawShots(const BenchmarkSpec& spec);

    Template m_template; // empty when the default applies
    Template m_plainDefault;
    Template m_choicesDefault;
    Template m_system;
    QVector<MessageTemplate> m_messages; // non-empty: chat message templates replace system + template
    int m_lastUserMessage = -1; // the message template few-shot questions are rendered with
    bool m_hasTemplate = false;
    QString m_error;
    QVector<Sample> m_shots; // k + 1 examples, so that one can be left out when it is the sample asked
    int m_shotCount = 0;
    bool m_shotsFromOwnDataset = false;
};

} // namespace evs
