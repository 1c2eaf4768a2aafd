#pragma once

#include "models/core/benchmarkspec.h"
#include "models/plan/scorerregistry.h"

#include <QJsonObject>
#include <QWidget>

class QComboBox;
class QFormLayout;
class QLabel;

namespace evs {

// Chooses a scorer type and edits its options with a form built from ScorerRegistry's option specs (labels,
// tooltips, defaults, ranges, choices); a type the registry does not know gets a JSON field. Validated live with
// ScorerOptions, the same check the plan parser runs. Object names: "scorerOptionsEditor", "scorerTypeCombo",
// "scorerErrorLabel", and "scorerOption_KEY" for each option's widget.
class ScorerOptionsEditor : public QWidget {
    Q_OBJECT
public:
    explicit ScorerOptionsEditor(QWidget* parent = nullptr);

    void setJudgeModels(const QStringList& modelIds); // offered for a judge's "model"
    void setSpec(const ScorerSpec& spec);
    ScorerSpec spec() const; // options hold only what differs from the defaults
    QString validationError() const; // empty when the scorer is valid

Q_SIGNALS:
    void changed();

private:
    enum class Kind { Bool, Number, String, Text, Lines, Choice, Json, Model, Group };
    struct Option {
        ScorerOptionSpec spec; // for a type the registry does not know: "options", all of them as one JSON object
        Kind kind;
    };
    static QVector<Option> optionsFor(const QString& type);
    void rebuildForm();
    void loadValues(const QJsonObject& options);
    QJsonObject collect() const;
    void onChanged();

    QComboBox* m_type;
    QFormLayout* m_form;
    QLabel* m_description;
    QLabel* m_error;
    QVector<QPair<Option, QWidget*>> m_fields;
    QJsonObject m_extra; // options of the loaded scorer this form has no field for: kept as they are
    QString m_loadedType;
    QStringList m_judgeModels;
    bool m_loading = false;
};

} // namespace evs
