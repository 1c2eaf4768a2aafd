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

#include <algorithm>

using namespace Qt::StringLiterals;

namespace evs {

namespace {

constexpr double kLargestNumber = 1e12; // a spin box needs a finite range

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
    for (const ScorerTypeSpec& t : ScorerRegistry::types()) {
        m_type->addItem(t.name);
        m_type->setItemData(m_type->count() - 1, QString(t.label + u": "_s + t.description), Qt::ToolTipRole);
    }
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
    const ScorerTypeSpec* spec = ScorerRegistry::find(type);
    if (!spec) {
        ScorerOptionSpec all;
        all.key = u"options"_s;
        all.label = tr("Options");
        all.description = tr("This scorer's options as a JSON object (without \"type\")");
        return { { all, Kind::Json } };
    }
    QVector<Option> options;
    for (const ScorerOptionSpec& o : spec->options) {
        if (!o.alternativeTo.isEmpty())
            continue; // a short form of another option, whose field shows it (loadValues)
        using Type = ScorerOptionSpec::Type;
        Kind kind = Kind::String;
        switch (o.type) {
        case Type::Boolean:
            kind = Kind::Bool;
            break;
        case Type::Number:
            kind = Kind::Number;
            break;
        case Type::String:
        case Type::Regex:
            kind = Kind::String;
            break;
        case Type::Text:
            kind = Kind::Text;
            break;
        case Type::StringList:
            kind = Kind::Lines;
            break;
        case Type::Choice:
            kind = Kind::Choice;
            break;
        case Type::CaptureGroup:
            kind = Kind::Group;
            break;
        case Type::Schema:
        case Type::Range:
        case Type::ScorerList:
            kind = Kind::Json;
            break;
        case Type::ModelRef:
            kind = Kind::Model;
            break;
        }
        options.append({ o, kind });
    }
    return options;
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
    const ScorerTypeSpec* typeSpec = ScorerRegistry::find(type);
    m_description->setText(typeSpec ? typeSpec->label + u": "_s + typeSpec->description : tr("Options as JSON."));
    for (const Option& o : optionsFor(type)) {
        QWidget* w = nullptr;
        switch (o.kind) {
        case Kind::Bool: {
            auto* box = new QCheckBox(this);
            box->setChecked(o.spec.defaultValue.toBool());
            connect(box, &QCheckBox::toggled, this, &ScorerOptionsEditor::onChanged);
            w = box;
            break;
        }
        case Kind::Number: {
            auto* spin = new QDoubleSpinBox(this);
            spin->setRange(std::max(o.spec.minimum, -kLargestNumber), std::min(o.spec.maximum, kLargestNumber));
            spin->setDecimals(6);
            spin->setValue(o.spec.defaultValue.toDouble());
            connect(spin, &QDoubleSpinBox::valueChanged, this, &ScorerOptionsEditor::onChanged);
            w = spin;
            break;
        }
        case Kind::String:
        case Kind::Group: {
            auto* edit = new QLineEdit(this);
            if (o.spec.defaultValue.isString())
                edit->setPlaceholderText(o.spec.defaultValue.toString());
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
            combo->addItems(o.spec.allowed);
            combo->setCurrentText(o.spec.defaultValue.toString());
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
        w->setObjectName(u"scorerOption_"_s + o.spec.key);
        w->setToolTip(o.spec.description);
        m_form->addRow(o.spec.label + u':', w);
        m_fields.append({ o, w });
    }
}

void ScorerOptionsEditor::loadValues(const QJsonObject& options)
{
    m_extra = options;
    m_extra.remove(u"type"_s);
    for (auto& [o, w] : m_fields) {
        if (o.kind == Kind::Json && o.spec.key == u"options"_s) {
            qobject_cast<QPlainTextEdit*>(w)->setPlainText(m_extra.isEmpty()
                    ? QString()
                    : QString::fromUtf8(QJsonDocument(m_extra).toJson(QJsonDocument::Indented)));
            m_extra = {};
            continue;
        }
        QJsonValue v = options.value(o.spec.key);
        // A short form ("value" for "values") is shown in the field of the option it abbreviates.
        if (const ScorerTypeSpec* type = ScorerRegistry::find(m_type->currentText()); type && v.isUndefined()) {
            for (const ScorerOptionSpec& shortForm : type->options) {
                if (shortForm.alternativeTo == o.spec.key && options.contains(shortForm.key)) {
                    v = QJsonArray { options.value(shortForm.key) };
                    m_extra.remove(shortForm.key);
                }
            }
        }
        m_extra.remove(o.spec.key);
        switch (o.kind) {
        case Kind::Bool:
            qobject_cast<QCheckBox*>(w)->setChecked(v.isBool() ? v.toBool() : o.spec.defaultValue.toBool());
            break;
        case Kind::Number:
            qobject_cast<QDoubleSpinBox*>(w)->setValue(v.isDouble() ? v.toDouble() : o.spec.defaultValue.toDouble());
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
            qobject_cast<QComboBox*>(w)->setCurrentText(v.isString() ? v.toString() : o.spec.defaultValue.toString());
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
            if (on != opt.spec.defaultValue.toBool())
                o.insert(opt.spec.key, on);
            break;
        }
        case Kind::Number: {
            const double v = qobject_cast<QDoubleSpinBox*>(w)->value();
            if (v != opt.spec.defaultValue.toDouble())
                o.insert(opt.spec.key, v);
            break;
        }
        case Kind::String:
        case Kind::Model: {
            const QString text = opt.kind == Kind::String ? qobject_cast<QLineEdit*>(w)->text()
                                                          : qobject_cast<QComboBox*>(w)->currentText();
            if (!text.isEmpty())
                o.insert(opt.spec.key, text);
            break;
        }
        case Kind::Group: {
            const QString text = qobject_cast<QLineEdit*>(w)->text().trimmed();
            bool number = false;
            const int n = text.toInt(&number);
            if (number)
                o.insert(opt.spec.key, n);
            else if (!text.isEmpty())
                o.insert(opt.spec.key, text);
            break;
        }
        case Kind::Text: {
            const QString text = qobject_cast<QPlainTextEdit*>(w)->toPlainText();
            if (!text.isEmpty())
                o.insert(opt.spec.key, text);
            break;
        }
        case Kind::Lines: {
            QJsonArray values;
            for (const QString& line : qobject_cast<QPlainTextEdit*>(w)->toPlainText().split(u'\n')) {
                if (!line.isEmpty())
                    values.append(line);
            }
            if (!values.isEmpty())
                o.insert(opt.spec.key, values);
            break;
        }
        case Kind::Choice: {
            const QString v = qobject_cast<QComboBox*>(w)->currentText();
            if (v != opt.spec.defaultValue.toString())
                o.insert(opt.spec.key, v);
            break;
        }
        case Kind::Json: {
            const QString text = qobject_cast<QPlainTextEdit*>(w)->toPlainText().trimmed();
            if (text.isEmpty())
                break;
            QJsonParseError error;
            const QJsonDocument doc = QJsonDocument::fromJson(text.toUtf8(), &error);
            if (opt.spec.key == u"options"_s) {
                const QJsonObject given = doc.object();
                for (auto it = given.begin(); it != given.end(); ++it) {
                    if (it.key() != u"type"_s)
                        o.insert(it.key(), it.value());
                }
            } else if (doc.isArray()) {
                o.insert(opt.spec.key, doc.array());
            } else if (doc.isObject()) {
                o.insert(opt.spec.key, doc.object());
            } else {
                o.insert(opt.spec.key, text); // not JSON: validation names the field
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
            return tr("%1: not valid JSON: %2 at character %3")
                .arg(opt.spec.key, error.errorString())
                .arg(error.offset);
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
