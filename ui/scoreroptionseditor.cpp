#include "ui/scoreroptionseditor.h"

#include "models/plan/scoreroptions.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QFormLayout>
#include <QJsonArray>
#include <QJsonDocument>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

namespace evs {

namespace {

QString describeType(const QString& type)
{
    if (type == u"exact_match"_s)
        return ScorerOptionsEditor::tr("1 when the whole response equals the target after normalisation.");
    if (type == u"contains"_s)
        return ScorerOptionsEditor::tr("1 when the response contains the text (or the target when none is given).");
    if (type == u"not_contains"_s)
        return ScorerOptionsEditor::tr("1 when the response does not contain the text.");
    if (type == u"regex"_s)
        return ScorerOptionsEditor::tr("1 when the regular expression matches the response.");
    if (type == u"regex_extract"_s)
        return ScorerOptionsEditor::tr("Extracts with a regular expression, then compares with the target.");
    if (type == u"multiple_choice"_s)
        return ScorerOptionsEditor::tr("Finds the chosen letter (\"B\", \"(B)\", \"Answer: b\", a choice's text); "
                                       "1 when it is the target.");
    if (type == u"numeric"_s)
        return ScorerOptionsEditor::tr("Compares the response's final number with the target, within a tolerance.");
    if (type == u"json"_s)
        return ScorerOptionsEditor::tr("1 when the response is valid JSON (and fits the schema, when given).");
    if (type == u"judge"_s)
        return ScorerOptionsEditor::tr("Asks a judge model with a rubric; an unparseable verdict is a scoring error.");
    if (type == u"composite"_s)
        return ScorerOptionsEditor::tr("Combines several scorers: weighted mean, all of, or any of.");
    return ScorerOptionsEditor::tr("Options as JSON.");
}

} // namespace

ScorerOptionsEditor::ScorerOptionsEditor(QWidget* parent)
    : QWidget(parent)
    , m_type(new QComboBox(this))
    , m_form(new QFormLayout)
    , m_description(new QLabel(this))
    , m_error(new QLabel(this))
{
    setObjectName(u"scorerOptionsEditor"_s);
    m_type->setObjectName(u"scorerTypeCombo"_s);
    m_type->addItems(ScorerOptions::types());
    m_type->setToolTip(tr("How each response is scored (see docs/plan.md, Scorers)"));
    m_description->setWordWrap(true);
    m_description->setObjectName(u"scorerDescription"_s);
    m_error->setObjectName(u"scorerErrorLabel"_s);
    m_error->setWordWrap(true);
    m_error->setStyleSheet(u"QLabel { color: #c62828; }"_s);
    m_error->setVisible(false);

    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    auto* top = new QFormLayout;
    top->addRow(tr("&Scorer:"), m_type);
    layout->addLayout(top);
    layout->addWidget(m_description);
    layout->addLayout(m_form);
    layout->addWidget(m_error);
    layout->addStretch(1);

    connect(m_type, &QComboBox::currentTextChanged, this, [this] {
        rebuildForm();
        onChanged();
    });
    rebuildForm();
}

QVector<ScorerOptionsEditor::Option> ScorerOptionsEditor::optionsFor(const QString& type)
{
    const QVector<Option> normalisation = {
        { u"case_sensitive"_s, Kind::Bool, tr("Compare letters' case as well"), false },
        { u"normalize_whitespace"_s, Kind::Bool, tr("Collapse runs of whitespace and trim the ends"), true },
        { u"strip_punctuation"_s, Kind::Bool, tr("Drop punctuation before comparing"), false },
        { u"ignore_articles"_s, Kind::Bool, tr("Drop the articles \"a\", \"an\", \"the\""), false },
    };
    if (type == u"exact_match"_s)
        return normalisation;
    if (type == u"contains"_s || type == u"not_contains"_s)
        return {
            { u"values"_s, Kind::Lines, tr("Texts to look for, one per line; empty = the sample's target") },
            { u"mode"_s, Kind::Choice, tr("any: one of the texts is enough; all: every text must be there"), u"any"_s,
                { u"any"_s, u"all"_s } },
            { u"case_sensitive"_s, Kind::Bool, tr("Compare letters' case as well"), false },
        };
    if (type == u"regex"_s)
        return {
            { u"pattern"_s, Kind::String, tr("A regular expression (PCRE) searched for in the response") },
            { u"case_sensitive"_s, Kind::Bool, tr("Compare letters' case as well"), false },
        };
    if (type == u"regex_extract"_s)
        return QVector<Option> {
            { u"pattern"_s, Kind::String, tr("A regular expression (PCRE) whose match is extracted") },
            { u"group"_s, Kind::Group,
                tr("The capture group compared: a number or a name; empty = group 1 "
                   "if there is one, else the whole match") },
            { u"occurrence"_s, Kind::Choice, tr("Which match is used when there are several"), u"last"_s,
                { u"first"_s, u"last"_s } },
        }
        + normalisation;
    if (type == u"numeric"_s)
        return {
            { u"tolerance"_s, Kind::Number, tr("Largest absolute difference that still passes"), 0.0 },
            { u"relative_tolerance"_s, Kind::Number, tr("Largest difference relative to the target (0.01 = 1 %)"),
                0.0 },
        };
    if (type == u"json"_s)
        return {
            { u"schema"_s, Kind::Json,
                tr("A JSON Schema (subset: type, properties, required, enum, items, min/max) "
                   "the response must fit; empty = any valid JSON") },
            { u"schema_field"_s, Kind::String, tr("A record key holding each sample's own schema") },
            { u"match_target"_s, Kind::Bool, tr("The parsed response must also equal the target as JSON"), false },
        };
    if (type == u"judge"_s)
        return {
            { u"model"_s, Kind::Model, tr("The workspace model that judges the answers") },
            { u"rubric"_s, Kind::Text,
                tr("What the judge is asked; placeholders: {{input}}, {{response}}, "
                   "{{target}}, {{choices}}") },
            { u"system"_s, Kind::Text, tr("The judge's system prompt; empty = none") },
            { u"format"_s, Kind::Choice, tr("score: the judge replies \"SCORE: n\"; verdict: PASS or FAIL"), u"score"_s,
                { u"score"_s, u"verdict"_s } },
        };
    if (type == u"composite"_s)
        return {
            { u"mode"_s, Kind::Choice, tr("weighted: weighted mean of the scores; all / any: pass when all / any pass"),
                u"weighted"_s, { u"weighted"_s, u"all"_s, u"any"_s } },
            { u"pass_threshold"_s, Kind::Number, tr("For all / any: the score from which a child scorer passes"), 1.0 },
            { u"scorers"_s, Kind::Json,
                tr("The child scorers: a JSON array of scorer objects (with \"weight\" "
                   "in weighted mode)") },
        };
    if (type == u"multiple_choice"_s)
        return {};
    return { { u"options"_s, Kind::Json, tr("This scorer's options as a JSON object (without \"type\")") } };
}

void ScorerOptionsEditor::setJudgeModels(const QStringList& modelIds)
{
    m_judgeModels = modelIds;
}

void ScorerOptionsEditor::rebuildForm()
{
    while (m_form->rowCount() > 0)
        m_form->removeRow(0);
    m_fields.clear();
    const QString type = m_type->currentText();
    m_description->setText(describeType(type));
    for (const Option& o : optionsFor(type)) {
        QWidget* w = nullptr;
        switch (o.kind) {
        case Kind::Bool: {
            auto* box = new QCheckBox(this);
            box->setChecked(o.defaultValue.toBool());
            connect(box, &QCheckBox::toggled, this, &ScorerOptionsEditor::onChanged);
            w = box;
            break;
        }
        case Kind::Number: {
            auto* spin = new QDoubleSpinBox(this);
            spin->setRange(0, 1e12);
            spin->setDecimals(6);
            spin->setValue(o.defaultValue.toDouble());
            connect(spin, &QDoubleSpinBox::valueChanged, this, &ScorerOptionsEditor::onChanged);
            w = spin;
            break;
        }
        case Kind::String:
        case Kind::Group: {
            auto* edit = new QLineEdit(this);
            connect(edit, &QLineEdit::textChanged, this, &ScorerOptionsEditor::onChanged);
            w = edit;
            break;
        }
        case Kind::Text:
        case Kind::Lines:
        case Kind::Json: {
            auto* edit = new QPlainTextEdit(this);
            edit->setTabChangesFocus(true);
            edit->setMaximumHeight(o.kind == Kind::Json ? 120 : 80);
            connect(edit, &QPlainTextEdit::textChanged, this, &ScorerOptionsEditor::onChanged);
            w = edit;
            break;
        }
        case Kind::Choice: {
            auto* combo = new QComboBox(this);
            combo->addItems(o.choices);
            combo->setCurrentText(o.defaultValue.toString());
            connect(combo, &QComboBox::currentTextChanged, this, &ScorerOptionsEditor::onChanged);
            w = combo;
            break;
        }
        case Kind::Model: {
            auto* combo = new QComboBox(this);
            combo->setEditable(true);
            combo->addItems(m_judgeModels);
            connect(combo, &QComboBox::currentTextChanged, this, &ScorerOptionsEditor::onChanged);
            w = combo;
            break;
        }
        }
        w->setObjectName(u"scorerOption_"_s + o.key);
        w->setToolTip(o.tip);
        m_form->addRow(o.key + u':', w);
        m_fields.append({ o, w });
    }
}

void ScorerOptionsEditor::loadValues(const QJsonObject& options)
{
    m_extra = options;
    m_extra.remove(u"type"_s);
    for (auto& [o, w] : m_fields) {
        if (o.kind == Kind::Json && o.key == u"options"_s) {
            qobject_cast<QPlainTextEdit*>(w)->setPlainText(m_extra.isEmpty()
                    ? QString()
                    : QString::fromUtf8(QJsonDocument(m_extra).toJson(QJsonDocument::Indented)));
            m_extra = {};
            continue;
        }
        QJsonValue v = options.value(o.key);
        if (o.key == u"values"_s && v.isUndefined() && options.contains(u"value"_s)) {
            v = QJsonArray { options.value(u"value"_s) };
            m_extra.remove(u"value"_s);
        }
        m_extra.remove(o.key);
        switch (o.kind) {
        case Kind::Bool:
            qobject_cast<QCheckBox*>(w)->setChecked(v.isBool() ? v.toBool() : o.defaultValue.toBool());
            break;
        case Kind::Number:
            qobject_cast<QDoubleSpinBox*>(w)->setValue(v.isDouble() ? v.toDouble() : o.defaultValue.toDouble());
            break;
        case Kind::String:
            qobject_cast<QLineEdit*>(w)->setText(v.toString());
            break;
        case Kind::Group:
            qobject_cast<QLineEdit*>(w)->setText(v.isDouble() ? QString::number(v.toInt()) : v.toString());
            break;
        case Kind::Text:
            qobject_cast<QPlainTextEdit*>(w)->setPlainText(v.toString());
            break;
        case Kind::Lines: {
            QStringList lines;
            for (const QJsonValue& e : v.toArray())
                lines << e.toString();
            qobject_cast<QPlainTextEdit*>(w)->setPlainText(lines.join(u'\n'));
            break;
        }
        case Kind::Json:
            qobject_cast<QPlainTextEdit*>(w)->setPlainText(v.isUndefined() ? QString()
                    : v.isArray()  ? QString::fromUtf8(QJsonDocument(v.toArray()).toJson(QJsonDocument::Indented))
                    : v.isObject() ? QString::fromUtf8(QJsonDocument(v.toObject()).toJson(QJsonDocument::Indented))
                                   : QString());
            break;
        case Kind::Choice:
            qobject_cast<QComboBox*>(w)->setCurrentText(v.isString() ? v.toString() : o.defaultValue.toString());
            break;
        case Kind::Model:
            qobject_cast<QComboBox*>(w)->setCurrentText(v.toString());
            break;
        }
    }
}

void ScorerOptionsEditor::setSpec(const ScorerSpec& spec)
{
    m_loading = true;
    if (m_type->findText(spec.type) < 0)
        m_type->addItem(spec.type); // a type newer than this editor: edited as JSON
    m_type->setCurrentText(spec.type);
    rebuildForm();
    m_loadedType = spec.type;
    loadValues(spec.options);
    m_loading = false;
    onChanged();
}

QJsonObject ScorerOptionsEditor::collect() const
{
    QJsonObject o;
    o.insert(u"type"_s, m_type->currentText());
    if (m_type->currentText() == m_loadedType) {
        for (auto it = m_extra.begin(); it != m_extra.end(); ++it)
            o.insert(it.key(), it.value());
    }
    for (const auto& [opt, w] : m_fields) {
        switch (opt.kind) {
        case Kind::Bool: {
            const bool on = qobject_cast<QCheckBox*>(w)->isChecked();
            if (on != opt.defaultValue.toBool())
                o.insert(opt.key, on);
            break;
        }
        case Kind::Number: {
            const double v = qobject_cast<QDoubleSpinBox*>(w)->value();
            if (v != opt.defaultValue.toDouble())
                o.insert(opt.key, v);
            break;
        }
        case Kind::String:
        case Kind::Model: {
            const QString text = opt.kind == Kind::String ? qobject_cast<QLineEdit*>(w)->text()
                                                          : qobject_cast<QComboBox*>(w)->currentText();
            if (!text.isEmpty())
                o.insert(opt.key, text);
            break;
        }
        case Kind::Group: {
            const QString text = qobject_cast<QLineEdit*>(w)->text().trimmed();
            bool number = false;
            const int n = text.toInt(&number);
            if (number)
                o.insert(opt.key, n);
            else if (!text.isEmpty())
                o.insert(opt.key, text);
            break;
        }
        case Kind::Text: {
            const QString text = qobject_cast<QPlainTextEdit*>(w)->toPlainText();
            if (!text.isEmpty())
                o.insert(opt.key, text);
            break;
        }
        case Kind::Lines: {
            QJsonArray values;
            for (const QString& line : qobject_cast<QPlainTextEdit*>(w)->toPlainText().split(u'\n')) {
                if (!line.isEmpty())
                    values.append(line);
            }
            if (!values.isEmpty())
                o.insert(opt.key, values);
            break;
        }
        case Kind::Choice: {
            const QString v = qobject_cast<QComboBox*>(w)->currentText();
            if (v != opt.defaultValue.toString())
                o.insert(opt.key, v);
            break;
        }
        case Kind::Json: {
            const QString text = qobject_cast<QPlainTextEdit*>(w)->toPlainText().trimmed();
            if (text.isEmpty())
                break;
            QJsonParseError error;
            const QJsonDocument doc = QJsonDocument::fromJson(text.toUtf8(), &error);
            if (opt.key == u"options"_s) {
                const QJsonObject given = doc.object();
                for (auto it = given.begin(); it != given.end(); ++it) {
                    if (it.key() != u"type"_s)
                        o.insert(it.key(), it.value());
                }
            } else if (doc.isArray()) {
                o.insert(opt.key, doc.array());
            } else if (doc.isObject()) {
                o.insert(opt.key, doc.object());
            } else {
                o.insert(opt.key, text); // not JSON: validation names the field
            }
            break;
        }
        }
    }
    return o;
}

ScorerSpec ScorerOptionsEditor::spec() const
{
    ScorerSpec s;
    s.type = m_type->currentText();
    s.options = collect();
    return s;
}

QString ScorerOptionsEditor::validationError() const
{
    for (const auto& [opt, w] : m_fields) {
        if (opt.kind != Kind::Json)
            continue;
        const QString text = qobject_cast<QPlainTextEdit*>(w)->toPlainText().trimmed();
        QJsonParseError error;
        if (!text.isEmpty() && QJsonDocument::fromJson(text.toUtf8(), &error).isNull())
            return tr("%1: not valid JSON: %2 at character %3").arg(opt.key, error.errorString()).arg(error.offset);
    }
    const auto problem = ScorerOptions::validate(collect());
    if (!problem)
        return {};
    return problem->path.isEmpty() ? problem->message : problem->path + u": "_s + problem->message;
}

void ScorerOptionsEditor::onChanged()
{
    if (m_loading)
        return;
    const QString error = validationError();
    m_error->setText(error);
    m_error->setVisible(!error.isEmpty());
    Q_EMIT changed();
}

} // namespace evs
