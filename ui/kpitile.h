#pragma once

#include <QFrame>

class QLabel;

namespace evs {

// One KPI of the dashboard: a title, the number in large type and a small caption (unit, "approx.", the CI...).
// The double property "value" holds the number shown (NaN when there is none), and the string properties "text"
// and "caption" what the tile reads ("—" when the figure has no data), for tests and accessibility.
class KpiTile : public QFrame {
    Q_OBJECT
    Q_PROPERTY(double value READ value NOTIFY valueChanged)
    Q_PROPERTY(QString text READ text)
    Q_PROPERTY(QString caption READ caption)
public:
    KpiTile(const QString& title, const QString& definition, QWidget* parent = nullptr);

    double value() const { return m_value; }
    QString text() const;
    QString caption() const;
    void setValue(double value, const QString& text, const QString& caption = {});
    void clearValue();
    // The metric's definition (docs/metrics.md) followed by `details` (per-model figures) in the tooltip.
    void setDetails(const QString& details);

Q_SIGNALS:
    void valueChanged(double value);

private:
    QLabel* m_title;
    QLabel* m_number;
    QLabel* m_caption;
    QString m_definition;
    double m_value;
};

} // namespace evs
