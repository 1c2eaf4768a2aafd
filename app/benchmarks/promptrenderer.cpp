#include "app/benchmarks/promptrenderer.h"

#include "app/benchmarks/samplesource.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QRegularExpression>

using namespace Qt::StringLiterals;

namespace evs
{

namespace
{

    QString jsonText(const QJsonValue& v)
    {
        switch (v.type()) {
        case QJsonValue::String:
            return v.toString();
        case QJsonValue::Double:
            return QString::number(v.toDouble(), 'g', 15);
        case QJsonValue::Bool:
            return v.toBool() ? u"true"_s : u"false"_s;
        case QJsonValue::Array:
            return QString::fromUtf8(QJsonDocument(v.toArray()).toJson(QJsonDocument::Compact));
        case QJsonValue::Object:
            return QString::fromUtf8(QJsonDocument(v.toObject()).toJson(QJsonDocument::Compact));
        default:
            return {};
        }
    }

} // namespace

PromptRenderer::PromptRenderer(const BenchmarkSpec& spec)
{
    QString ignored;
    m_plainDefault = parseTemplate(defaultTemplate(false), &ignored);
    m_choicesDefault = parseTemplate(defaultTemplate(true), &ignored);
    m_hasTemplate = !spec.promptTemplate.isEmpty();
    QString error;
    if (m_hasTemplate) {
        m_template = parseTemplate(spec.promptTemplate, &error);
        if (!error.isEmpty()) {
            m_error = u"template: "_s + error;
            return;
        }
    }
    m_system = parseTemplate(spec.system, &error);
    if (!error.isEmpty()) {
        m_error = u"system: "_s + error;
        return;
    }

    if (spec.fewshot.k > 0) {
        BenchmarkSpec shots = spec;
        m_shotsFromOwnDataset = spec.fewshot.from.isEmpty() || spec.fewshot.from == spec.dataset;
        if (!m_shotsFromOwnDataset) {
            shots.dataset = spec.fewshot.from;
            shots.format.clear();
        }
        // One spare, so that a sample never serves as its own example.
        shots.limit = spec.fewshot.k + (m_shotsFromOwnDataset ? 1 : 0);
        m_shotCount = spec.fewshot.k;
        auto source = SampleSource::open(shots, &error);
        if (!source) {
            m_error = u"fewshot: "_s + error;
            return;
        }
        Sample s;
        while (source->next(&s))
            m_shots.append(s);
    }
}

bool PromptRenderer::isValid(QString* error) const
{
    if (error)
        *error = m_error;
    return m_error.isEmpty();
}

QString PromptRenderer::defaultTemplate(bool withChoices)
{
    return withChoices ? u"{{input}}\n\n{{choices}}\n\nAnswer with the letter of the correct option."_s
                       : u"{{input}}"_s;
}

QString PromptRenderer::letteredChoices(const QStringList& choices)
{
    QStringList lines;
    for (qsizetype i = 0; i < choices.size(); ++i) {
        const QString label = i < 26 ? QString(QChar(u'A' + int(i))) : QString::number(i + 1);
        lines << label + u". "_s + choices[i];
    }
    return lines.join(u'\n');
}

QVector<PromptRenderer::Segment> PromptRenderer::parseTemplate(const QString& text, QString* error)
{
    static const QRegularExpression validName(u"^[A-Za-z0-9_.\\-]+$"_s);
    QVector<Segment> segments;
    qsizetype pos = 0;
    while (pos < text.size()) {
        const qsizetype open = text.indexOf(u"{{"_s, pos);
        if (open < 0) {
            segments.append({ false, text.mid(pos) });
            break;
        }
        if (open > pos)
            segments.append({ false, text.mid(pos, open - pos) });
        const qsizetype close = text.indexOf(u"}}"_s, open + 2);
        if (close < 0) {
            *error = u"unclosed \"{{\" at character "_s + QString::number(open + 1);
            return {};
        }
        const QString name = text.mid(open + 2, close - open - 2).trimmed();
        if (!validName.match(name).hasMatch()) {
            *error = u"bad placeholder \"{{"_s + name + u"}}\" at character "_s + QString::number(open + 1);
            return {};
        }
        segments.append({ true, name });
        pos = close + 2;
    }
    return segments;
}

bool PromptRenderer::resolve(const QString& name, const Sample& sample, QString* value) const
{
    if (name == u"input"_s)
        *value = sample.input;
    else if (name == u"target"_s)
        *value = sample.target;
    else if (name == u"id"_s)
        *value = sample.id;
    else if (name == u"category"_s)
        *value = sample.category;
    else if (name == u"choices"_s)
        *value = letteredChoices(sample.choices);
    else if (name.startsWith(u"record."_s) && sample.record.contains(name.mid(7)))
        *value = jsonText(sample.record.value(name.mid(7)));
    else if (sample.record.contains(name))
        *value = jsonText(sample.record.value(name));
    else
        return false;
    return true;
}

QString PromptRenderer::expand(const QVector<Segment>& segments, const Sample& sample, QString* unknown) const
{
    QString out;
    for (const Segment& s : segments) {
        QString value;
        if (!s.placeholder) {
            out += s.text;
        } else if (resolve(s.text, sample, &value)) {
            out += value;
        } else {
            if (unknown && unknown->isEmpty())
                *unknown = s.text;
            out += u"{{"_s + s.text + u"}}"_s;
        }
    }
    return out;
}

const QVector<PromptRenderer::Segment>& PromptRenderer::userTemplate(const Sample& sample) const
{
    if (m_hasTemplate)
        return m_template;
    return sample.choices.isEmpty() ? m_plainDefault : m_choicesDefault;
}

bool PromptRenderer::checkSample(const Sample& sample, QString* error) const
{
    if (!m_error.isEmpty()) {
        if (error)
            *error = m_error;
        return false;
    }
    QString unknown;
    expand(userTemplate(sample), sample, &unknown);
    const bool inSystem = unknown.isEmpty();
    if (inSystem)
        expand(m_system, sample, &unknown);
    if (unknown.isEmpty())
        return true;
    if (error) {
        *error = (inSystem ? u"system"_s : u"template"_s) + u": unknown placeholder {{"_s + unknown
            + u"}}: not input, target, id, category or choices, nor a key of record "_s + sample.id + u" ("_s
            + sample.record.keys().join(u", "_s) + u')';
    }
    return false;
}

PromptRequest PromptRenderer::render(const Sample& sample) const
{
    PromptRequest r;
    QStringList flat;
    const QString system = expand(m_system, sample);
    if (!system.isEmpty()) {
        r.messages.append({ u"system"_s, system });
        flat << system;
    }
    int used = 0;
    for (const Sample& shot : m_shots) {
        if (used == m_shotCount)
            break;
        if (m_shotsFromOwnDataset && shot.index == sample.index)
            continue;
        const QString question = expand(userTemplate(shot), shot);
        r.messages.append({ u"user"_s, question });
        r.messages.append({ u"assistant"_s, shot.target });
        flat << question + u'\n' + shot.target;
        ++used;
    }
    const QString user = expand(userTemplate(sample), sample);
    r.messages.append({ u"user"_s, user });
    flat << user;
    r.prompt = flat.join(u"\n\n"_s);
    r.expected = sample.target;
    r.choices = sample.choices;
    return r;
}

} // namespace evs
