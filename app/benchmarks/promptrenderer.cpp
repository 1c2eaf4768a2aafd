#include "app/benchmarks/promptrenderer.h"

#include "app/benchmarks/recordmapper.h"
#include "app/benchmarks/samplesource.h"

#include <QJsonArray>
#include <QJsonDocument>

#include <random>

using namespace Qt::StringLiterals;

namespace evs {

namespace {

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

QString compactJson(const QJsonValue& v)
{
    if (v.isArray() || v.isObject())
        return jsonText(v);
    // Scalars through an array, so that strings come out quoted and escaped.
    const QByteArray a = QJsonDocument(QJsonArray { v }).toJson(QJsonDocument::Compact);
    return QString::fromUtf8(a.mid(1, a.size() - 2));
}

QStringList listOf(const QJsonValue& v)
{
    QStringList items;
    for (const QJsonValue& item : v.toArray())
        items << jsonText(item);
    return items;
}

} // namespace

PromptRenderer::PromptRenderer(const BenchmarkSpec& spec)
{
    QString ignored;
    m_plainDefault = parseTemplate(defaultTemplate(false), &ignored);
    m_choicesDefault = parseTemplate(defaultTemplate(true), &ignored);
    QString error;
    if (!spec.messages.isEmpty()) {
        for (qsizetype i = 0; i < spec.messages.size(); ++i) {
            const ChatMessage& m = spec.messages[i];
            if (m.role != u"system"_s && m.role != u"user"_s && m.role != u"assistant"_s) {
                m_error = u"messages[%1].role: must be system, user or assistant"_s.arg(i);
                return;
            }
            m_messages.append({ m.role, parseTemplate(m.content, &error) });
            if (!error.isEmpty()) {
                m_error = u"messages[%1].content: "_s.arg(i) + error;
                return;
            }
            if (m.role == u"user"_s)
                m_lastUserMessage = int(i);
        }
        if (m_lastUserMessage < 0) {
            m_error = u"messages: at least one message must have the role \"user\""_s;
            return;
        }
    }
    m_hasTemplate = !spec.promptTemplate.isEmpty();
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
    if (spec.fewshot.k > 0)
        drawShots(spec);
}

void PromptRenderer::drawShots(const BenchmarkSpec& spec)
{
    BenchmarkSpec shots = spec;
    m_shotsFromOwnDataset = spec.fewshot.from.isEmpty() || spec.fewshot.from == spec.dataset;
    if (!m_shotsFromOwnDataset) {
        shots.dataset = spec.fewshot.from;
        shots.format.clear();
    }
    shots.limit = kShotPoolLimit;
    m_shotCount = spec.fewshot.k;
    QString error;
    auto source = SampleSource::open(shots, &error);
    if (!source) {
        m_error = u"fewshot: "_s + error;
        return;
    }
    // Reservoir sampling: k + 1 examples drawn uniformly in one streaming pass, the same ones for the same seed
    // and dataset. The spare replaces an example that is the sample being asked.
    const qsizetype want = m_shotCount + 1;
    std::mt19937_64 rng(spec.fewshot.seed);
    Sample s;
    qint64 seen = 0;
    while (source->next(&s)) {
        if (m_shots.size() < want) {
            m_shots.append(s);
        } else {
            const qint64 j = qint64(std::uniform_int_distribution<quint64>(0, quint64(seen))(rng));
            if (j < want)
                m_shots[j] = s;
        }
        ++seen;
    }
    if (!source->error().isEmpty())
        m_error = u"fewshot: "_s + source->error();
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

PromptRenderer::Template PromptRenderer::parseTemplate(const QString& text, QString* error)
{
    TemplateGrammar::Parsed parsed = TemplateGrammar::parse(text);
    *error = parsed.error;
    return std::move(parsed.segments);
}

bool PromptRenderer::resolve(const Segment& segment, const Sample& sample, QString* value) const
{
    const QString& name = segment.text;
    QJsonValue raw;
    if (name == u"input"_s)
        raw = sample.input;
    else if (name == u"target"_s)
        raw = sample.target;
    else if (name == u"id"_s)
        raw = sample.id;
    else if (name == u"category"_s)
        raw = sample.category;
    else if (name == u"choices"_s)
        raw = QJsonArray::fromStringList(sample.choices);
    else if (const QString prefix = TemplateGrammar::recordPrefix();
             name.startsWith(prefix) && sample.record.contains(name.mid(prefix.size())))
        raw = sample.record.value(name.mid(prefix.size()));
    else if (sample.record.contains(name))
        raw = sample.record.value(name);
    else
        return false;

    // Lists become text first: choices as lettered lines unless a filter says otherwise, other arrays as JSON.
    QString text;
    bool converted = false;
    for (const QString& f : segment.filters) {
        if (converted)
            break;
        if (f == u"lettered"_s && raw.isArray()) {
            text = letteredChoices(listOf(raw));
            converted = true;
        } else if (f == u"numbered"_s && raw.isArray()) {
            const QStringList items = listOf(raw);
            QStringList lines;
            for (qsizetype i = 0; i < items.size(); ++i)
                lines << QString::number(i + 1) + u". "_s + items[i];
            text = lines.join(u'\n');
            converted = true;
        } else if (f == u"json"_s) {
            text = compactJson(raw);
            converted = true;
        }
    }
    if (!converted)
        text = name == u"choices"_s ? letteredChoices(sample.choices) : jsonText(raw);
    for (const QString& f : segment.filters) {
        if (f == u"trim"_s)
            text = text.trimmed();
        else if (f == u"upper"_s)
            text = text.toUpper();
        else if (f == u"lower"_s)
            text = text.toLower();
    }
    *value = text;
    return true;
}

QString PromptRenderer::expand(const Template& segments, const Sample& sample, QString* unknown) const
{
    QString out;
    for (const Segment& s : segments) {
        QString value;
        if (!s.placeholder) {
            out += s.text;
        } else if (resolve(s, sample, &value)) {
            out += value;
        } else {
            if (unknown && unknown->isEmpty())
                *unknown = s.text;
            out += u"{{"_s + s.text + (s.filters.isEmpty() ? QString() : u'|' + s.filters.join(u'|')) + u"}}"_s;
        }
    }
    return out;
}

const PromptRenderer::Template& PromptRenderer::userTemplate(const Sample& sample) const
{
    if (m_lastUserMessage >= 0)
        return m_messages[m_lastUserMessage].content;
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
    QString where;
    if (!m_messages.isEmpty()) {
        for (qsizetype i = 0; i < m_messages.size() && unknown.isEmpty(); ++i) {
            expand(m_messages[i].content, sample, &unknown);
            where = u"messages[%1].content"_s.arg(i);
        }
    } else {
        expand(userTemplate(sample), sample, &unknown);
        where = u"template"_s;
        if (unknown.isEmpty()) {
            expand(m_system, sample, &unknown);
            where = u"system"_s;
        }
    }
    if (unknown.isEmpty())
        return true;
    if (error) {
        *error = where + u": unknown placeholder {{"_s + unknown + u"}}: not "_s
            + TemplateGrammar::placeholderNames().join(u", "_s) + u", nor a key of record "_s + sample.id + u" ("_s
            + sample.record.keys().join(u", "_s) + u')';
    }
    return false;
}

QString PromptRenderer::shotAnswer(const Sample& shot) const
{
    // A GSM8K-style example answers with its whole worked solution ("... #### 42"), which teaches the format;
    // the target alone is only the number.
    for (auto it = shot.record.begin(); it != shot.record.end(); ++it) {
        if (it->isString() && it->toString() != shot.target && RecordMapper::finalAnswer(it->toString()) == shot.target
            && !shot.target.isEmpty())
            return it->toString();
    }
    return shot.target;
}

PromptRequest PromptRenderer::render(const Sample& sample) const
{
    PromptRequest r;
    // A dataset may give each sample its own output budget (the latency set goes from a few tokens to a thousand).
    if (const QJsonValue budget = sample.record.value(u"max_tokens"_s); budget.isDouble() && budget.toDouble() >= 1)
        r.maxTokens = int(std::min(budget.toDouble(), 1e6));
    // Few-shot turns: never the sample itself (same index in its own dataset, or the same question).
    QVector<ChatMessage> shotTurns;
    int used = 0;
    for (const Sample& shot : m_shots) {
        if (used == m_shotCount)
            break;
        if ((m_shotsFromOwnDataset && shot.index == sample.index) || shot.input == sample.input)
            continue;
        shotTurns.append({ u"user"_s, expand(userTemplate(shot), shot) });
        shotTurns.append({ u"assistant"_s, shotAnswer(shot) });
        ++used;
    }

    if (m_messages.isEmpty()) {
        const QString system = expand(m_system, sample);
        if (!system.isEmpty())
            r.messages.append({ u"system"_s, system });
        r.messages += shotTurns;
        r.messages.append({ u"user"_s, expand(userTemplate(sample), sample) });
    } else {
        qsizetype i = 0;
        for (; i < m_messages.size() && m_messages[i].role == u"system"_s; ++i)
            r.messages.append({ m_messages[i].role, expand(m_messages[i].content, sample) });
        r.messages += shotTurns;
        for (; i < m_messages.size(); ++i)
            r.messages.append({ m_messages[i].role, expand(m_messages[i].content, sample) });
    }
    QStringList flat;
    for (qsizetype i = 0; i < r.messages.size(); ++i) {
        // Completion APIs get one text: an example's answer follows its question on the next line.
        if (r.messages[i].role == u"assistant"_s && !flat.isEmpty())
            flat.last() += u'\n' + r.messages[i].content;
        else
            flat << r.messages[i].content;
    }
    r.prompt = flat.join(u"\n\n"_s);
    r.expected = sample.target;
    r.choices = sample.choices;
    return r;
}

} // namespace evs
